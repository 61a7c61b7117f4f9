"""Stages 1-3 for one file: read, clean, analyse; cached by content, path and analysis settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefgen.analysis import analyse_segmented
from briefgen.analysis.keywords import segmented_terms
from briefgen.cache import AnalysisCache, cache_key
from briefgen.config import SiteConfig
from briefgen.corpus.similarity import weights_of
from briefgen.errors import Diagnostic
from briefgen.model import Briefing, Document, Source
from briefgen.sources import KINDS, parse_source, read_file
from briefgen.sources.document import make_document
from briefgen.text.segment import segment


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedBriefing:
    """What the cache stores per file: the briefing and the problems found making it."""

    briefing: Briefing
    diagnostics: tuple[Diagnostic, ...]


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A URL path segment: lower-case words joined by '-', accents folded, other scripts kept."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = re.findall(r"\w+", folded.lower())
    return "-".join(words)[:80].strip("-") or "untitled"


def slug_for(rel_path: str) -> str:
    return slugify(PurePosixPath(rel_path).stem)


def analyse_document(document: Document, config: SiteConfig) -> Briefing:
    segmented = segment([p.text for p in document.paragraphs], title=document.meta.title)
    counts = segmented_terms(segmented)  # once, for keywords and related linking
    analysis = analyse_segmented(segmented, summary_spec=config.summary.sentences, terms=counts)
    return Briefing(
        slug=slug_for(document.rel_path), document=document, analysis=analysis, terms=weights_of(counts)
    )


def related_text(document: Document) -> str:
    """The text related linking compares: the body's paragraphs."""
    return "\n\n".join(p.text for p in document.paragraphs)


def _refresh_mtime_date(briefing: Briefing, source_mtime: float) -> Briefing:
    meta = briefing.document.meta
    if meta.date_inferred_from != "modified time":
        return briefing
    date = dt.datetime.fromtimestamp(source_mtime, tz=dt.UTC).date()
    if date == meta.date:
        return briefing
    document = dataclasses.replace(briefing.document, meta=dataclasses.replace(meta, date=date))
    return dataclasses.replace(briefing, document=document)


def _read(path: Path, config: SiteConfig) -> tuple[str, bytes, float, str]:
    """(site-relative path, bytes, modification time, cache key) of one content file."""
    rel = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else path.as_posix()
    data, mtime = read_file(path, rel)
    return rel, data, mtime, cache_key(config.analysis_fingerprint(), rel, hashlib.sha256(data).hexdigest())


def cached_brief(path: Path, config: SiteConfig, cache: AnalysisCache) -> CachedBriefing | None:
    """The cache's result for the file as it is now, or None. Raises SourceError for an unreadable file.

    A hit costs one read, one hash and one indexed lookup; nothing is parsed.
    """
    _, _, mtime, key = _read(path, config)
    cached = cache.get(key, CachedBriefing)
    if cached is None:
        return None
    return dataclasses.replace(cached, briefing=_refresh_mtime_date(cached.briefing, mtime))


def brief_file(
    path: Path, config: SiteConfig, cache: AnalysisCache, *, ask_cache: bool = True
) -> CachedBriefing:
    """Read and analyse one article (from the cache when it has it, unless told it has not).

    Raises SourceError for a file that cannot be used.
    """
    if ask_cache and (cached := cached_brief(path, config, cache)) is not None:
        return cached
    rel, data, mtime, key = _read(path, config)
    source, read_problems = parse_source(data, rel=rel, kind=KINDS[path.suffix.lower()], mtime=mtime)
    result = _brief_source(source, config, read_problems)
    cache.put(key, result)
    return result


def _brief_source(
    source: Source, config: SiteConfig, read_problems: tuple[Diagnostic, ...]
) -> CachedBriefing:
    document, problems = make_document(source)
    return CachedBriefing(briefing=analyse_document(document, config), diagnostics=read_problems + problems)
