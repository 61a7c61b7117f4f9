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
| a static file                                   | its bytes                                   | its copy in the output folder                           |
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
import io
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from briefgen.atomicfile import atomic_write
from briefgen.errors import Diagnostic
from briefgen.model import Corpus, Record, RelatedLink
from briefgen.pipeline.store import decode, encode

STATE_VERSION = 2
STATE_NAME = "state.msgpack"
LINKER_NAME = "linker.pickle"


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
    linker: Any = None  # the link stage's incremental index (kept in its own file)

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


@dataclass(frozen=True, slots=True, kw_only=True)
class _Body:
    sources: dict[str, SourceState]
    corpus: Corpus | None
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
        _share_records(state)
    if state.render_fingerprint != render_fingerprint:
        state.render_fingerprint = render_fingerprint
        state.reset_pages()
    return state


def _share_records(state: BuildState) -> None:
    """Make the corpus hold the very record objects the sources hold (decoding made copies), so that
    unchanged records are recognised by identity."""
    assert state.corpus is not None
    by_slug = {s.record.slug: s.record for s in state.sources.values() if s.record is not None}
    records = {slug: by_slug.get(slug, record) for slug, record in state.corpus.records.items()}
    state.corpus = dataclasses.replace(state.corpus, records=records)


def save_state(cache_dir: Path, state: BuildState, summary: Summary) -> None:
    """Keep the state for the next build; failing to costs only speed."""
    body = encode(
        _Body(sources=state.sources, corpus=state.corpus, pages=state.pages, plan_all=state.plan_all)
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


def _load_linker(cache_dir: Path) -> Any:
    try:
        return _LinkerUnpickler(io.BytesIO((cache_dir / LINKER_NAME).read_bytes())).load()
    except Exception:  # unreadable or foreign: the link stage starts afresh
        return None


def _save_linker(cache_dir: Path, linker: Any) -> None:
    if linker is None:
        (cache_dir / LINKER_NAME).unlink(missing_ok=True)
    else:
        atomic_write(cache_dir / LINKER_NAME, pickle.dumps(linker, pickle.HIGHEST_PROTOCOL))
