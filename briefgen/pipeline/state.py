"""The one incremental state: what the last build saw and made, so the next one redoes only what changed.

It lives in `<cache_dir>/state.msgpack` between CLI builds, and in memory for a preview session. A
state that cannot be read, or was made by another briefgen, settings or templates, is simply empty:
the build is then a full one, which writes the same bytes.

The file is a small summary (what a no-change build compares: content stats, static files, the
report) followed by the body, which only a build that has work to do decodes. Each record is kept
once (the corpus refers to the sources' records), without its related-link terms (those stay in
the analysis store). The link stage's index is kept in `<cache_dir>/linker.pickle`, written only
when it changed, under a token the body names: an index of another version of the state is not used
(the link stage then rebuilds it). A preview writes the state after each rebuild's pages are served,
and its index when it stops.

What invalidates what (the only rules; everything else follows from them):

| input that changed                              | how it is noticed                          | what is redone                                          |
|-------------------------------------------------|--------------------------------------------|---------------------------------------------------------|
| an article's bytes (added, edited)              | its (mtime, size) differ, then its sha256  | its analysis (unless the store has that key), its record |
| an article's mtime only                         | (mtime, size) differ, sha256 equal         | nothing, or its date if the file is undated              |
| an article removed                              | no longer discovered                        | its record goes                                          |
| any record added, changed or removed            | record digests                              | linking; the pages that show that record (see below)    |
| analysis settings, briefgen's code or data      | `analysis_fingerprint` (in every store key)| every record (from the store when it has them)           |
| render settings, a template, briefgen's theme   | `render_fingerprint`                       | every page                                               |
| a static file                                   | its bytes                                   | its copy in the output folder                           |
| a file in the output folder edited by hand      | the writer's record of sizes and mtimes     | that page is written again                              |
| the link index lost, or of another state        | its token                                   | the index, from every record's terms (from the store)  |

The pages that show a record: its briefing page, its story's page, the day, week, tag and entity pages
that list it, the briefing pages that link to it, and the site-wide pages (front page, indexes,
feeds, sitemap). The link stage reports which of those groups changed; the plan stage renders the
pages of those groups and of the changed records, and nothing else.

Each content file is read at most once per build, and only when its (mtime, size) changed.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import struct
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from briefgen.atomicfile import atomic_write
from briefgen.corpus.digests import quotes_by_speaker
from briefgen.errors import Diagnostic
from briefgen.model import (
    Corpus,
    CorpusChanges,
    Digest,
    DigestKind,
    EntityKind,
    Record,
    RelatedLink,
    SpeakerQuote,
)
from briefgen.pipeline.store import decode, encode

STATE_VERSION = 5
STATE_NAME = "state.msgpack"
LINKER_NAME = "linker.pickle"
_HEADER = struct.Struct("<4sQ")  # magic, length of the summary that follows; then the body
_MAGIC = b"BGS3"


@dataclass(slots=True, kw_only=True)
class SourceState:
    """One content file as the last build left it."""

    stat: tuple[int, int]  # (mtime_ns, size) when it was read
    sha: str  # sha256 of its bytes
    record: Record | None  # the last good record (kept while the file is broken)
    diagnostics: tuple[Diagnostic, ...]  # what making the record reported


@dataclass(slots=True, kw_only=True)
class BuildState:
    analysis_fingerprint: str = ""
    render_fingerprint: str = ""
    sources: dict[str, SourceState] = field(default_factory=dict)  # site-relative path -> state
    corpus: Corpus | None = None  # the last committed corpus
    pages: dict[str, str] = field(default_factory=dict)  # output path -> key of the inputs it was made from
    static: dict[str, str] = field(default_factory=dict)  # output path -> sha256 of the static file
    linker: Any = None  # the link stage's incremental index (kept in its own file)
    linker_token: str = ""  # names the version of `linker`: its file is used only with the same token
    linker_saved: bool = True  # its file holds this version (nothing to write)
    search_entries: dict[str, bytes] = field(default_factory=dict)  # record digest -> its search entry
    link_key: tuple[int, ...] = ()  # the link settings `corpus` was made with

    def reset_pages(self) -> None:
        self.pages = {}
        self.static = {}

    def links_made_with(self, key: tuple[int, ...]) -> None:
        """Forget the corpus and index if they were made with other link settings (the link stage then
        starts afresh: it reuses the last corpus's digests when no record they depend on changed)."""
        if self.link_key != key:
            self.forget_links()
            self.link_key = key

    def keep_links(self, corpus: Corpus, linker: Any, changes: CorpusChanges) -> None:
        """The link stage's result; an index that moved gets a new token (its file must be written)."""
        self.corpus = corpus
        if linker is not self.linker or changes.everything or changes.records:
            self.linker_token = os.urandom(8).hex()
            self.linker_saved = False
        self.linker = linker

    def forget_links(self) -> None:
        self.corpus = None
        self.linker = None
        self.linker_token = ""
        self.linker_saved = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """The small front part of the state file: enough to tell, cheaply, that nothing changed."""

    version: int
    analysis_fingerprint: str
    render_fingerprint: str
    stats: dict[str, tuple[int, int]]  # every content file: (mtime_ns, size)
    static: dict[str, str]
    briefings: int
    diagnostics: tuple[Diagnostic, ...]  # what the build reported (a build with nothing to do repeats it)
    related: dict[str, tuple[RelatedLink, ...]]


@dataclass(frozen=True, slots=True, kw_only=True)
class _StoredCorpus:
    """A `Corpus` without its records (the sources' records, each kept once), its related links (the
    summary's) or its speakers' quotes (made from the records again: they were half of it)."""

    records: tuple[str, ...]  # the site-relative path of each record, in the corpus's order
    order: tuple[str, ...]
    references: dict[str, tuple[str | None, ...]]
    digests: dict[tuple[DigestKind, str], Digest]
    entity_pages: dict[tuple[EntityKind, str], str]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Body:
    sources: dict[str, SourceState]
    corpus: _StoredCorpus | None
    pages: dict[str, str]
    linker_token: str
    link_key: tuple[int, ...]


def read_summary(cache_dir: Path) -> Summary | None:
    """The state file's summary (its front part: the body is not even read), or None."""
    try:
        with (cache_dir / STATE_NAME).open("rb") as handle:
            magic, length = _HEADER.unpack(handle.read(_HEADER.size))
            summary: Summary | None = decode(handle.read(length), Summary) if magic == _MAGIC else None
    except (OSError, struct.error, msgspec.DecodeError, ValueError, TypeError):
        return None
    if summary is None or summary.version != STATE_VERSION:
        return None
    return summary


def _read_body(cache_dir: Path) -> tuple[Summary, _Body] | None:
    try:
        blob = (cache_dir / STATE_NAME).read_bytes()
        magic, length = _HEADER.unpack_from(blob)
        if magic != _MAGIC:
            return None
        start = _HEADER.size
        summary = decode(memoryview(blob)[start : start + length], Summary)
        if summary.version != STATE_VERSION:
            return None
        return summary, decode(memoryview(blob)[start + length :], _Body)
    except (OSError, struct.error, msgspec.DecodeError, ValueError, TypeError):
        return None


def load_state(cache_dir: Path, *, analysis_fingerprint: str, render_fingerprint: str) -> BuildState:
    """The state the last build saved, or an empty one (made for these fingerprints)."""
    fresh = BuildState(analysis_fingerprint=analysis_fingerprint, render_fingerprint=render_fingerprint)
    summary = read_summary(cache_dir)
    if summary is None or summary.analysis_fingerprint != analysis_fingerprint:
        return fresh
    found = _read_body(cache_dir)
    if found is None:
        return fresh
    summary, body = found
    state = BuildState(
        analysis_fingerprint=analysis_fingerprint,
        render_fingerprint=summary.render_fingerprint,
        sources=body.sources,
        corpus=_corpus_of(body.corpus, body.sources, summary.related),
        pages=body.pages,
        static=summary.static,
        link_key=body.link_key,
    )
    if state.corpus is not None and body.linker_token:
        state.linker = _load_linker(cache_dir, body.linker_token)
        state.linker_token = body.linker_token if state.linker is not None else ""
    state.linker_saved = state.linker is not None
    if state.render_fingerprint != render_fingerprint:
        state.render_fingerprint = render_fingerprint
        state.reset_pages()
    return state


def _corpus_of(
    stored: _StoredCorpus | None,
    sources: dict[str, SourceState],
    related: dict[str, tuple[RelatedLink, ...]],
) -> Corpus | None:
    """The corpus again, holding the very record objects the sources hold, so that unchanged records
    are recognised by identity."""
    if stored is None:
        return None
    records: dict[str, Record] = {}
    for rel in stored.records:
        source = sources.get(rel)
        if source is None or source.record is None:
            return None  # not the state it was saved with: start afresh
        records[source.record.slug] = source.record
    return Corpus(
        records=records,
        order=stored.order,
        related=related,
        references=stored.references,
        digests=stored.digests,
        speaker_quotes=_SpeakerQuotes(tuple(records.values())),
        entity_pages=stored.entity_pages,
    )


class _SpeakerQuotes(Mapping[str, tuple[SpeakerQuote, ...]]):
    """A loaded corpus's quotes by speaker, made from its records (as the link stage made them) when
    first asked for: a build only compares the last corpus with the new one, and never asks."""

    def __init__(self, ordered: tuple[Record, ...]) -> None:
        self._ordered = ordered
        self._made: dict[str, tuple[SpeakerQuote, ...]] | None = None

    def _quotes(self) -> dict[str, tuple[SpeakerQuote, ...]]:
        if self._made is None:
            self._made = quotes_by_speaker(self._ordered)
        return self._made

    def __getitem__(self, speaker: str) -> tuple[SpeakerQuote, ...]:
        return self._quotes()[speaker]

    def __iter__(self) -> Iterator[str]:
        return iter(self._quotes())

    def __len__(self) -> int:
        return len(self._quotes())


def _stored_corpus(corpus: Corpus | None) -> _StoredCorpus | None:
    if corpus is None:
        return None
    return _StoredCorpus(
        records=tuple(r.rel_path for r in corpus.records.values()),
        order=corpus.order,
        references=dict(corpus.references),
        digests=dict(corpus.digests),
        entity_pages=dict(corpus.entity_pages),
    )


def save_state(cache_dir: Path, state: BuildState, summary: Summary, *, linker: bool = True) -> None:
    """Keep the state for the next build; failing to costs only speed. `summary.related` must be the
    corpus's related links (they are kept there only).

    `linker=False` (a preview, between its rebuilds) leaves a moved link index unwritten: its old file
    no longer matches the token and is not used, until `save_linker` writes it.
    """
    body = encode(
        _Body(
            sources=state.sources,
            corpus=_stored_corpus(state.corpus),
            pages=state.pages,
            linker_token=state.linker_token,
            link_key=state.link_key,
        )
    )
    head = encode(summary)
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        if linker:
            save_linker(cache_dir, state)
        atomic_write(cache_dir / STATE_NAME, b"".join((_HEADER.pack(_MAGIC, len(head)), head, body)))


def save_linker(cache_dir: Path, state: BuildState) -> None:
    """Write the link index if its file does not hold this version of it."""
    if state.linker is None:
        (cache_dir / LINKER_NAME).unlink(missing_ok=True)
    elif not state.linker_saved:
        data = pickle.dumps((state.linker_token, state.linker), pickle.HIGHEST_PROTOCOL)
        atomic_write(cache_dir / LINKER_NAME, data)
    state.linker_saved = True


def forget_state(cache_dir: Path) -> None:
    (cache_dir / STATE_NAME).unlink(missing_ok=True)
    (cache_dir / LINKER_NAME).unlink(missing_ok=True)


def current_stats(paths: Iterable[str], root: str) -> dict[str, tuple[int, int]] | None:
    """rel -> (mtime_ns, size) of each content file, or None if one cannot be read."""
    stats: dict[str, tuple[int, int]] = {}
    for path in paths:
        try:
            st = os.stat(path)  # noqa: PTH116  (str paths: every file, every build)
        except OSError:
            return None
        stats[path.removeprefix(root)] = (st.st_mtime_ns, st.st_size)
    return stats


# The related-link index is kept with pickle until it has a plain form of its own; read back with an
# unpickler that builds nothing but the index's own classes, numbers and containers.
_LINKER_MODULES = frozenset({"briefgen.model", "briefgen.corpus.related", "briefgen.corpus.similarity"})
_LINKER_GLOBALS = frozenset(
    {
        ("datetime", "date"),
        ("builtins", "frozenset"),
        ("builtins", "set"),
        ("array", "_array_reconstructor"),
        ("array", "array"),
        ("numpy", "dtype"),
        ("numpy", "ndarray"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("copyreg", "_reconstructor"),
        ("copyreg", "__newobj__"),
    }
)


class _LinkerUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module in _LINKER_MODULES or (module, name) in _LINKER_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing {module}.{name} in the link index")


def _load_linker(cache_dir: Path, token: str) -> Any:
    """The index saved with `token`, or None (unreadable, foreign, or of another version of the state)."""
    try:
        found = _LinkerUnpickler(io.BytesIO((cache_dir / LINKER_NAME).read_bytes())).load()
    except Exception:  # unreadable or foreign: the link stage starts afresh
        return None
    if not isinstance(found, tuple) or len(found) != 2 or found[0] != token:
        return None
    return found[1]
