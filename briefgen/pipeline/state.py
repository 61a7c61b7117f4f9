"""The one incremental state: what the last build saw and made, so the next one redoes only what changed.

It lives in `<cache_dir>/state.pickle` between CLI builds, and in memory for a preview session. A
state that cannot be read, or was made by another briefgen, settings or templates, is simply empty:
the build is then a full one, which writes the same bytes.

What invalidates what (the only rules; everything else follows from them):

| input that changed                              | how it is noticed                          | what is redone                                          |
|-------------------------------------------------|--------------------------------------------|---------------------------------------------------------|
| an article's bytes (added, edited)              | its (mtime, size) differ, then its sha256  | its analysis (unless the store has that key), its record |
| an article's mtime only                         | (mtime, size) differ, sha256 equal         | nothing, or its date if the file is undated              |
| an article removed                              | no longer discovered                        | its record goes                                          |
| any record added, changed or removed            | record digests                              | linking; the pages that show that record (see below)    |
| analysis settings, briefgen's code or data      | `analysis_fingerprint` (in every store key)| every record (from the store when it has them)           |
| render settings, a template, briefgen's theme   | `render_fingerprint`                       | every page                                               |
| a static file, or a file beside an article      | its bytes                                   | its copy in the output folder                           |
| the day a future-dated article waited for       | the summary's `held_back.release`           | a build (the article joins the site)                    |
| a file in the output folder edited by hand      | the writer's record of sizes and mtimes     | that page is written again                              |

The pages that show a record: its briefing page, its story's page, the day, week, tag and entity pages
that list it, the briefing pages that link to it, and the site-wide pages (front page, indexes,
feeds, sitemap). The link stage reports which of those groups changed; the plan stage renders the
pages of those groups and of the changed records, and nothing else.

Each content file is read at most once per build, and only when its (mtime, size) changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from briefgen.atomicfile import atomic_write
from briefgen.corpus.stories import StoryIndex, StoryIndexState
from briefgen.errors import Diagnostic
from briefgen.model import Corpus, HeldBack, Record, RelatedLink
from briefgen.pipeline.store import decode, encode

STATE_VERSION = 2
STATE_NAME = "state.msgpack"
LINKER_NAME = "linker.msgpack"


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
    plan_all: bool = False  # the last build failed after linking: its pages lag behind its corpus
    linker: StoryIndex | None = None  # the link stage's incremental index (kept in its own file)

    def reset_pages(self) -> None:
        self.pages = {}
        self.static = {}


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
    held_back: HeldBack = field(default_factory=lambda: HeldBack())  # drafts and future articles not built
    assets: dict[str, str] = field(default_factory=dict)  # copies of files beside articles: copy -> source
    missing_assets: tuple[str, ...] = ()  # files articles name that were not there


@dataclass(frozen=True, slots=True, kw_only=True)
class _Body:
    sources: dict[str, SourceState]
    corpus: Corpus | None
    corpus_paths: dict[str, str]  # slug -> path of the source whose record the corpus holds
    pages: dict[str, str]
    plan_all: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class _StateFile:
    summary: Summary
    body: msgspec.Raw


def read_summary(cache_dir: Path) -> tuple[Summary, bytes] | None:
    """The state file's summary (and the file, to decode the rest from), or None."""
    try:
        blob = (cache_dir / STATE_NAME).read_bytes()
        found = decode(blob, _StateFile)
    except (OSError, msgspec.DecodeError, ValueError, TypeError):
        return None
    if found.summary.version != STATE_VERSION:
        return None
    return found.summary, blob


def load_state(cache_dir: Path, *, analysis_fingerprint: str, render_fingerprint: str) -> BuildState:
    """The state the last build saved, or an empty one (made for these fingerprints)."""
    fresh = BuildState(analysis_fingerprint=analysis_fingerprint, render_fingerprint=render_fingerprint)
    found = read_summary(cache_dir)
    if found is None or found[0].analysis_fingerprint != analysis_fingerprint:
        return fresh
    summary, blob = found
    try:
        body = decode(decode(blob, _StateFile).body, _Body)
    except (msgspec.DecodeError, ValueError, TypeError):
        return fresh
    state = BuildState(
        analysis_fingerprint=analysis_fingerprint,
        render_fingerprint=summary.render_fingerprint,
        sources=body.sources,
        corpus=body.corpus,
        pages=body.pages,
        plan_all=body.plan_all,
        static=summary.static,
        linker=_load_linker(cache_dir),
    )
    if state.corpus is not None:
        _share_records(state, body.corpus_paths)
    if state.render_fingerprint != render_fingerprint:
        state.render_fingerprint = render_fingerprint
        state.reset_pages()
    return state


def _share_records(state: BuildState, paths: dict[str, str]) -> None:
    """Give the corpus the very record objects the sources hold (the file keeps each record once), so
    that unchanged records are recognised by identity."""
    assert state.corpus is not None
    records: dict[str, Record] = {}
    for slug in state.corpus.order:
        source = state.sources.get(paths.get(slug, ""))
        if source is None or source.record is None:
            state.corpus = None  # does not fit the sources: link afresh
            return
        records[slug] = source.record
    state.corpus = dataclasses.replace(state.corpus, records=records)


def save_state(cache_dir: Path, state: BuildState, summary: Summary) -> None:
    """Keep the state for the next build; failing to costs only speed."""
    corpus, paths = state.corpus, {}
    if corpus is not None:  # its records are the sources' records: kept once, by path
        paths = {slug: record.rel_path for slug, record in corpus.records.items()}
        corpus = dataclasses.replace(corpus, records={})
    body = encode(
        _Body(
            sources=state.sources,
            corpus=corpus,
            corpus_paths=paths,
            pages=state.pages,
            plan_all=state.plan_all,
        )
    )
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(cache_dir / STATE_NAME, encode(_StateFile(summary=summary, body=msgspec.Raw(body))))
        _save_linker(cache_dir, state.linker)


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


def _load_linker(cache_dir: Path) -> StoryIndex | None:
    try:
        return StoryIndex.restore(decode((cache_dir / LINKER_NAME).read_bytes(), StoryIndexState))
    except (OSError, msgspec.DecodeError, ValueError, TypeError, KeyError):  # the link stage starts afresh
        return None


def _save_linker(cache_dir: Path, linker: StoryIndex | None) -> None:
    if linker is None:
        (cache_dir / LINKER_NAME).unlink(missing_ok=True)
    else:
        atomic_write(cache_dir / LINKER_NAME, encode(linker.export()))
