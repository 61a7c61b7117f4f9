"""The one orchestration function: gather every briefing, link the corpus, render, then write.

Two phases: nothing is written until every page has rendered, so a failing build leaves site/ as it was.
A BuildSession carries in-memory state between builds of one process (the preview server), so a
rebuild re-reads only files whose size or mtime changed and re-renders only pages whose inputs changed.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import functools
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import jinja2

from briefgen.briefings import CachedBriefing, brief_file, cached_brief, related_text, slugify
from briefgen.cache import AnalysisCache, atomic_write, cache_key, decoder_for, to_jsonable
from briefgen.config import SiteConfig
from briefgen.corpus.digests import (
    day_digests,
    entity_digests,
    featured_entities,
    newest_first,
    quotes_by_speaker,
    speaker_quotes,
    tag_digests,
)
from briefgen.corpus.related import (
    RESERVE,
    FirstOrder,
    KnownFirstOrder,
    RelatedIndex,
    RelatedItem,
    TitleMatcher,
    first_order_of_profiles,
    link_related,
    prepare_linking,
)
from briefgen.corpus.similarity import Profile
from briefgen.errors import BriefgenError, Diagnostic, Severity, SourceError, SourceLocation
from briefgen.memo import PerBriefing
from briefgen.model import Briefing, RelatedLink
from briefgen.render.environment import THEME_DIR, make_environment
from briefgen.render.pages import Corpus, Page, PageMemo, plan_pages
from briefgen.render.search import SEARCH_DIR, SearchIndex, bundle_key, index_pages, kept_bundle
from briefgen.render.writer import OutputSet, Staging, WriteResult, commit
from briefgen.report import NullReporter, Reporter
from briefgen.sources import discover_sources
from briefgen.stamp import clear_stamp, inputs_digest, output_listing, read_stamp, write_stamp


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    ok: bool  # no error diagnostics
    committed: bool  # the output folder holds this build's pages (false when a fatal error kept the old site)
    diagnostics: tuple[Diagnostic, ...]
    written: tuple[str, ...] = ()
    unchanged: int = 0
    removed: tuple[str, ...] = ()
    briefings: int = 0
    seconds: float = 0.0
    cache_hits: int = 0
    related: dict[str, tuple[RelatedLink, ...]] = field(default_factory=dict)  # slug -> same-story links

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "committed": self.committed,
            "briefings": self.briefings,
            "pages": {
                "written": list(self.written),
                "unchanged": self.unchanged,
                "removed": list(self.removed),
            },
            "warnings": sum(d.severity is Severity.WARNING for d in self.diagnostics),
            "errors": sum(d.severity is Severity.ERROR for d in self.diagnostics),
            "diagnostics": [d.to_json() for d in self.diagnostics],
            "dropped_lines": [
                d.to_json()
                for d in self.diagnostics
                if d.severity is Severity.INFO and d.message.startswith("dropped ")
            ],
            "related": {
                slug: [
                    {
                        "target": x.target,
                        "score": round(x.score, 4),
                        "direction": x.direction,
                        "shared": list(x.shared),
                    }
                    for x in links
                ]
                for slug, links in sorted(self.related.items())
                if links
            },
            "cache_hits": self.cache_hits,
            "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class _Entry:
    stamp: tuple[int, int]  # (mtime_ns, size) of the file when it was read
    result: CachedBriefing


@dataclass(slots=True)
class BuildSession:
    """In-memory state kept between builds of one process. Pass the same instance to every rebuild."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    config_fingerprint: str | None = None
    rendered: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # path -> (input digest, bytes)
    page_keys: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # path -> Page.key of that render
    rendered_with: str | None = None  # templates digest of the renders above
    memo: PageMemo = field(default_factory=PageMemo)
    environment: tuple[str, jinja2.Environment] | None = None  # (templates digest, env)
    on_disk: dict[str, bytes] | None = None  # what the last in-place commit left in the output folder
    related_index: RelatedIndex | None = None
    related_items: dict[str, RelatedItem] = field(default_factory=dict)
    corpus_memo: CorpusMemo | None = None
    cache: AnalysisCache | None = None
    heap_frozen: bool = False
    search_index: SearchIndex | None = None  # the last build's Pagefind bundle, reused while its pages stay
    search_pending: bool = False  # a preview rebuild changed indexed pages; search_index is older


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


_IN_LAST_ENTRY = None  # `_brief_one`'s result: "decode the last cache entry", which holds it


def _brief_one(
    path: Path, rel: str, config: SiteConfig, cache: AnalysisCache
) -> tuple[CachedBriefing | Diagnostic | None, list[tuple[str, bytes]]]:
    """One file the cache lacks through stages 1-3: the result or its error diagnostic, and the cache
    entries it made (a worker's go back to the main process, which writes them). A result that is
    also the last cache entry is not pickled twice: `_IN_LAST_ENTRY` stands for it."""
    try:
        result: CachedBriefing | Diagnostic = brief_file(path, config, cache, ask_cache=False)
    except SourceError as exc:
        result = exc.diagnostic()
    except Exception as exc:  # one file's crash must not take the site down
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        message = f"internal error while processing this file ({detail}); please report it"
        result = Diagnostic(Severity.ERROR, message, SourceLocation(rel))
    entries = cache.take_pending()
    if _IN_WORKER and isinstance(result, CachedBriefing) and entries:
        # the result is the last entry, pickled already for the cache: that blob is all that goes back
        return _IN_LAST_ENTRY, entries
    return result, entries


def _from_cache(path: Path, config: SiteConfig, cache: AnalysisCache) -> CachedBriefing | None:
    try:
        return cached_brief(path, config, cache)
    except Exception:  # unreadable: briefing it reports the problem
        return None


PARALLEL_MIN_FILES = 48  # below this, starting workers costs more than it saves
PARALLEL_MIN_PAGES = 400

_T = TypeVar("_T")
_P = ParamSpec("_P")
_R = TypeVar("_R")
_FORKED_CALL: Callable[[Any], Any] | None = None  # what the forked workers run, inherited through fork
_IN_WORKER = False  # True in a forked worker: its results cross a pipe, pickled


def _call_forked(item: Any) -> Any:
    global _IN_WORKER
    assert _FORKED_CALL is not None
    _IN_WORKER = True
    return _FORKED_CALL(item)


MAX_WORKERS = 8


def worker_count(jobs: int | None = None) -> int:
    """How many processes a build uses: `jobs` if given, else one per CPU this process may run on
    (a container or `taskset` may allow fewer than the machine has), at most MAX_WORKERS."""
    if jobs is not None:
        return max(1, jobs)
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_WORKERS))


def _forks(workers: int, items: Sized, min_items: int) -> bool:
    return workers >= 2 and len(items) >= min_items and sys.platform != "win32"


def forked_map(call: Callable[[_T], _R], items: list[_T], *, workers: int, min_items: int) -> Iterator[_R]:
    """`call` over items, in order and as results arrive, on `workers` forked processes for a large batch.

    Workers are forked, so `call` may close over anything (environments, configs) without pickling it;
    only items and results cross processes. Fork is only safe from a single-threaded process: callers
    pass workers=1 from the preview server. The workers start at once, so the caller may do other
    work before reading the results; reading them all, or `close()`, ends the workers.
    """
    global _FORKED_CALL
    if not _forks(workers, items, min_items):
        return map(call, items)
    _FORKED_CALL = call
    frozen_before = gc.get_freeze_count()
    gc.freeze()  # the workers' collections then leave the inherited heap alone: less copy-on-write of it
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("fork")
    )

    def finish() -> None:
        global _FORKED_CALL
        pool.shutdown(wait=True, cancel_futures=True)
        _FORKED_CALL = None
        if not frozen_before:
            gc.unfreeze()

    try:
        # small chunks: the last one is what one worker finishes while the others wait (~60 ms at 1,000
        # articles, against ~0.3 s with 8 chunks per worker); a chunk costs ~1 ms of messaging
        chunksize = max(1, len(items) // (workers * 32))
        results = pool.map(_call_forked, items, chunksize=chunksize)  # forks now
    except BaseException:
        finish()
        raise
    return _Results(results, finish)


class _Results(Iterator[_R]):
    """A worker pool's results in order; `finish` runs once, when they are all read or on `close()`."""

    def __init__(self, results: Iterator[_R], finish: Callable[[], None]) -> None:
        self._results: Iterator[_R] | None = results
        self._finish = finish

    def __next__(self) -> _R:
        if self._results is None:
            raise StopIteration
        try:
            return next(self._results)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._results is not None:
            self._results = None
            self._finish()

    def __del__(self) -> None:  # abandoned unread (an error in the caller's loop): end the workers too
        with contextlib.suppress(Exception):
            self.close()


def collect_briefings(
    config: SiteConfig,
    cache: AnalysisCache,
    reporter: Reporter,
    session: BuildSession,
    *,
    workers: int = 1,
    while_waiting: Callable[[int], None] | None = None,
) -> tuple[list[Briefing], list[Diagnostic]]:
    """Stages 1-3 for every file; one broken file is one diagnostic, never a failed build.

    `workers` above 1 allows worker processes (forked, so only from a process without other threads).
    `while_waiting(files)` runs in this process once the workers have started.
    """
    paths = discover_sources(config.content_dir)
    results: dict[str, CachedBriefing | Diagnostic] = {}
    stamps: dict[str, tuple[int, int] | None] = {}
    jobs: list[tuple[Path, str]] = []
    order: list[str] = []
    root = config.root.as_posix().rstrip("/") + "/"
    for path in paths:
        rel = path.as_posix()
        rel = rel.removeprefix(root)  # plain string work: this runs for every file on every rebuild
        order.append(rel)
        stamps[rel] = stamp = _stamp(path)
        entry = session.entries.get(rel)
        if entry is not None and stamp is not None and entry.stamp == stamp:
            results[rel] = entry.result
        else:
            jobs.append((path, rel))

    def record(rel: str, result: CachedBriefing | Diagnostic) -> None:
        results[rel] = result
        stamp = stamps[rel]
        if isinstance(result, CachedBriefing) and stamp is not None:
            session.entries[rel] = _Entry(stamp=stamp, result=result)
        else:
            session.entries.pop(rel, None)
        reporter.progress(len(results), len(paths))

    if cache.enabled:  # hits are decoded here: a worker would decode, pickle back, and this decode again
        misses = []
        for path, rel in jobs:
            found = _from_cache(path, config, cache)
            if found is None:
                misses.append((path, rel))
            else:
                record(rel, found)
        jobs = misses
    briefed = forked_map(
        lambda job: _brief_one(job[0], job[1], config, cache),
        jobs,
        workers=workers,
        min_items=PARALLEL_MIN_FILES,
    )
    for (_, rel), (result, entries) in zip(jobs, briefed, strict=True):
        cache.pending.extend(entries)
        if result is _IN_LAST_ENTRY:
            result = pickle.loads(entries[-1][1])  # our own worker's pickle of a CachedBriefing
        if while_waiting is not None and _forks(workers, jobs, PARALLEL_MIN_FILES):  # workers run
            while_waiting(len(paths))
            while_waiting = None
        record(rel, result)
    cache.flush()
    briefings: list[Briefing] = []
    diagnostics: list[Diagnostic] = []
    for rel in order:
        result = results[rel]
        if isinstance(result, Diagnostic):
            diagnostics.append(result)
            continue
        diagnostics.extend(result.diagnostics)
        if result.briefing.document.meta.draft and not config.drafts:
            continue
        briefings.append(result.briefing)
    for stale in set(session.entries) - set(order):
        del session.entries[stale]
    return briefings, diagnostics


def _drop_slug_conflicts(briefings: list[Briefing]) -> tuple[list[Briefing], list[Diagnostic]]:
    """Two files that would write the same page: keep the first by path, report both."""
    kept: dict[str, Briefing] = {}
    problems: list[Diagnostic] = []
    for briefing in sorted(briefings, key=lambda b: b.document.rel_path):
        other = kept.get(briefing.slug)
        if other is None:
            kept[briefing.slug] = briefing
            continue
        problems.append(
            Diagnostic(
                Severity.ERROR,
                f"both this file and {other.document.rel_path} would write briefings/{briefing.slug}/index.html;"
                " rename one of them (this one was skipped)",
                SourceLocation(briefing.document.rel_path),
            )
        )
    return list(kept.values()), problems


def related_item(b: Briefing) -> RelatedItem:
    return RelatedItem(
        id=b.slug,
        title=b.document.meta.title,
        text=related_text(b.document),
        date=b.document.meta.date,
        names=tuple(e.name for e in b.analysis.entities),
        terms=b.terms,
    )


class CorpusMemo:
    """Stage 4's per-briefing inputs, kept across a preview session's builds (see `briefgen.memo`)."""

    def __init__(self, config: SiteConfig) -> None:
        min_mentions = config.digests.entity_min_mentions
        self.related_item = PerBriefing(related_item)
        self.featured = PerBriefing(lambda b: featured_entities(b, min_mentions))
        self.speaker_quotes = PerBriefing(speaker_quotes)
        self.titles: dict[str, str] = {}
        self.references: dict[str, tuple[Briefing, tuple[str | None, ...]]] = {}

    def keep_only(self, slugs: Collection[str]) -> None:
        for memo in (self.related_item, self.featured, self.speaker_quotes):
            memo.keep_only(slugs)


def _link_incrementally(
    items: list[RelatedItem], k: int, session: BuildSession, cache: AnalysisCache
) -> dict[str, tuple[RelatedLink, ...]]:
    """Update the session's related index with what changed; equal to link_related over all items."""
    index = session.related_index
    if index is None or index.k != k:
        known = _first_order_cached(items, cache)  # e.g. what `briefgen build` kept: the costly part
        index = session.related_index = RelatedIndex(items, k=k, known_first_order=known)
        session.related_items = {item.id: item for item in items}
        prepare_linking(len(items), incremental=True)  # now, not on the first edit
        return index.links()
    current = {item.id: item for item in items}
    for gone in set(session.related_items) - set(current):
        index.remove(gone)
    for item_id, item in current.items():
        before = session.related_items.get(item_id)
        if before is not item and before != item:
            index.upsert(item)
    session.related_items = current
    return index.links()


def _corpus_digest(items: list[RelatedItem]) -> str:
    digest = hashlib.sha256()
    for item in sorted(items, key=lambda i: i.id):
        fields = (item.id, item.title, item.text, item.date, item.names)  # terms follow from title and text
        digest.update(json.dumps(to_jsonable(fields), ensure_ascii=False).encode())
    return digest.hexdigest()


def _first_order_cached(
    items: list[RelatedItem], cache: AnalysisCache, digest: str | None = None
) -> KnownFirstOrder | None:
    """`first_order(items)`, remembered on disk for the exact same corpus (the preview starts from it).

    Handed to the linker, which asks for it once it has made the items' profiles: a corpus met for
    the first time then has its profiles made once, not once here and once there.
    """
    if not cache.enabled:
        return None  # the linker works it out
    key = cache_key("first-order", str(RESERVE), digest or _corpus_digest(items))

    def known(ordered: Sequence[Profile]) -> FirstOrder:
        found = cache.get(key, dict, count=False)
        if found is None:
            found = first_order_of_profiles(ordered, limit=RESERVE)
            cache.put(key, found)
            cache.flush()
        return found

    return known


def _link_cached(
    items: list[RelatedItem], k: int, cache: AnalysisCache | None
) -> dict[str, tuple[RelatedLink, ...]]:
    """link_related, remembered on disk for the exact same corpus (a no-change rebuild skips the work)."""
    if cache is None or not cache.enabled:
        return link_related(items, k=k)
    digest = _corpus_digest(items)
    key = cache_key("related", str(k), digest)
    stored = cache.get(key, dict, count=False)
    if stored is not None:
        return stored
    related = link_related(items, k=k, known_first_order=_first_order_cached(items, cache, digest))
    cache.put(key, related)
    cache.flush()
    return related


def link_corpus(
    briefings: list[Briefing],
    config: SiteConfig,
    session: BuildSession | None = None,
    cache: AnalysisCache | None = None,
    *,
    with_related: bool = True,
) -> Corpus:
    """Stage 4: related links, explicit references and digests need the whole corpus.

    `with_related=False` leaves the related links out (`add_related_links` adds them): the digests
    are then ready early, and their pages can render while the links are worked out.
    """
    memo = CorpusMemo(config)
    if session is not None:  # the preview: keep what unchanged briefings gave last time
        memo = session.corpus_memo = session.corpus_memo or memo
    ordered = newest_first(briefings)
    memo.keep_only([b.slug for b in ordered])
    items = [memo.related_item(b) for b in ordered]
    related: dict[str, tuple[RelatedLink, ...]] = (
        {}
        if not with_related
        else _link_incrementally(
            items, config.related.k, session, cache or AnalysisCache(config.cache_dir, enabled=False)
        )
        if session is not None
        else _link_cached(items, config.related.k, cache)
    )
    return Corpus(
        briefings=ordered,
        related=related,
        references=_match_references(ordered, memo),
        days=day_digests(ordered),
        tags=tag_digests(ordered, slugify),
        entities=entity_digests(ordered, slugify, config.digests.entity_min_briefings, memo.featured),
        speaker_quotes=quotes_by_speaker(ordered, memo.speaker_quotes),
    )


def add_related_links(corpus: Corpus, config: SiteConfig, cache: AnalysisCache | None) -> Corpus:
    """`corpus` (from `link_corpus(..., with_related=False)`) with its related links."""
    items = [related_item(b) for b in corpus.briefings]
    return dataclasses.replace(corpus, related=_link_cached(items, config.related.k, cache))


def _match_references(ordered: Sequence[Briefing], memo: CorpusMemo) -> dict[str, tuple[str | None, ...]]:
    """Each "Related article: ..." line's briefing, by title; reused while no title changes."""
    titles = {b.slug: b.document.meta.title for b in ordered}
    if titles != memo.titles:
        memo.titles, memo.references = titles, {}
    matcher: TitleMatcher | None = None
    out: dict[str, tuple[str | None, ...]] = {}
    for b in ordered:
        if not b.document.references:
            continue
        known = memo.references.get(b.slug)
        if known is not None and known[0] is b:
            out[b.slug] = known[1]
            continue
        matcher = matcher or TitleMatcher(titles)
        out[b.slug] = tuple(matcher.match(r.title, exclude=b.slug) for r in b.document.references)
        memo.references[b.slug] = (b, out[b.slug])
    return out


def _template_location(exc: BaseException, config: SiteConfig) -> SourceLocation:
    filename: str | None = getattr(exc, "filename", None)
    lineno: int | None = getattr(exc, "lineno", None)
    if filename is None:
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".html", ".xml", ".txt", ".j2")) and not name.endswith(".py"):
                filename, lineno = name, tb.tb_lineno
            tb = tb.tb_next
    if filename is None:
        return SourceLocation("templates")
    path = Path(filename)
    for base in (config.root, THEME_DIR.parent.parent):
        if path.is_absolute() and path.is_relative_to(base):
            return SourceLocation(path.relative_to(base).as_posix(), lineno)
    return SourceLocation(filename, lineno)


def _templates_digest(config: SiteConfig) -> str:
    """Every template's name and bytes: pages rendered with equal digests and inputs are equal."""
    digest = hashlib.sha256()
    for label, folder in (("site", config.templates_dir), ("theme", THEME_DIR / "templates")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    digest.update(f"{label}/{path.relative_to(folder).as_posix()}".encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()


def _page_digest(page: Page, templates: str) -> str:
    blob = json.dumps(page.context, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{templates}\0{page.template}\0{blob}".encode()).hexdigest()


def _manifest_path(config: SiteConfig) -> Path:
    return config.cache_dir / "pages.json"


Manifest = dict[str, list[Any]]  # page path -> [input digest, size, mtime_ns] as the last build left it


def read_manifest(config: SiteConfig) -> Manifest:
    """What the last build wrote: a page whose inputs and file are unchanged need not render again."""
    try:
        data = json.loads(_manifest_path(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_manifest(config: SiteConfig, digests: Mapping[str, str], listing: Mapping[str, list[int]]) -> None:
    """`listing`: `output_listing(config.output_dir)` as the build left it."""
    entries = {path: [key, *listing[path]] for path, key in digests.items() if path in listing}
    try:
        config.cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(_manifest_path(config), json.dumps(entries, sort_keys=True).encode())
    except OSError:
        pass  # only costs speed next time


def _unchanged_on_disk(config: SiteConfig, rel: str, key: str, manifest: Manifest) -> bytes | None:
    """The page's bytes from disk, if its inputs digest matches and the file is as the last build left it."""
    entry = manifest.get(rel)
    if not entry or entry[0] != key:
        return None
    path = config.output_dir / rel
    try:
        st = path.stat()
        if [st.st_size, st.st_mtime_ns] != entry[1:]:
            return None
        return path.read_bytes()
    except OSError:
        return None


@dataclass(frozen=True, slots=True)
class _Rendered:
    key: str  # the page's input digest
    data: bytes | None  # None when the template failed
    from_disk: bool = False  # bytes read back from the output folder, known to equal it
    error: Diagnostic | None = None


def _render_one(
    page: Page,
    env: jinja2.Environment,
    config: SiteConfig,
    templates: str,
    manifest: Manifest,
    previous: tuple[str, bytes] | None,
) -> _Rendered:
    assert page.template is not None
    key = _page_digest(page, templates)
    if previous is not None and previous[0] == key:
        return _Rendered(key, previous[1])
    on_disk = _unchanged_on_disk(config, page.path, key, manifest)
    if on_disk is not None:
        return _Rendered(key, on_disk, from_disk=True)
    try:
        return _Rendered(key, env.get_template(page.template).render(page.context).encode("utf-8"))
    except jinja2.TemplateError as exc:
        message = getattr(exc, "message", None) or str(exc)
        location = _template_location(exc, config)
        return _Rendered(key, None, error=Diagnostic(Severity.ERROR, f"template error: {message}", location))


def render_pages(
    pages: list[Page],
    env: jinja2.Environment,
    config: SiteConfig,
    session: BuildSession,
    templates: str,
    manifest: Manifest | None = None,
    *,
    workers: int = 1,
    staging: Staging | None = None,
    ready: Mapping[str, tuple[Page, _Rendered]] | None = None,
) -> tuple[OutputSet, list[Diagnostic]]:
    """Every page's bytes: reused when its inputs are unchanged, else rendered. Failing templates are reported once.

    `staging`: the tree a swap commit will fill; each rendered page is placed in it as it arrives, so
    the writes overlap the render (the workers' CPU) instead of following it.
    `ready`: results rendered already, by path, for the very Page objects given (placed here too).
    """
    manifest = manifest or {}
    reused: dict[str, tuple[str, bytes]] = {}
    todo: list[Page] = []
    done: dict[str, _Rendered] = {}
    for page in pages:
        if page.data is not None or page.template is None:
            continue
        early = ready.get(page.path) if ready else None
        if early is not None and early[0] is page:
            done[page.path] = early[1]
            continue
        previous = session.rendered.get(page.path)
        if (
            page.key is not None
            and previous is not None
            and session.page_keys.get(page.path) == page.key
            and templates == session.rendered_with
        ):
            reused[page.path] = previous
        else:
            todo.append(page)
    if session.rendered:  # the preview: few pages, each may reuse its last render
        results = [
            _render_one(p, env, config, templates, manifest, session.rendered.get(p.path)) for p in todo
        ]
    else:
        results = []
        for index, result in enumerate(
            forked_map(  # workers inherit the pages: only an index goes over, not a context
                lambda index: _render_one(todo[index], env, config, templates, manifest, None),
                list(range(len(todo))),
                workers=workers,
                min_items=PARALLEL_MIN_PAGES,
            )
        ):
            results.append(result)
            if staging is not None:
                if index == 0:  # the workers exist now, so write threads may start
                    staging.prepare(p.path for p in pages)
                    for path, rendered in done.items():
                        if rendered.data is not None:
                            staging.place(path, rendered.data, verified=rendered.from_disk)
                if result.data is not None:
                    staging.place(todo[index].path, result.data, verified=result.from_disk)
    by_path = {page.path: result for page, result in zip(todo, results, strict=True)} | done
    outputs = OutputSet()
    problems: list[Diagnostic] = []
    reported: set[str] = set()
    fresh: dict[str, tuple[str, bytes]] = {}
    keys: dict[str, tuple[Any, ...]] = {}
    for page in pages:
        origin = page.origin or page.template or "briefgen"
        if page.data is not None or page.template is None:
            outputs.add(page.path, page.data or b"", origin=origin)
            continue
        if page.path in reused:
            fresh[page.path] = reused[page.path]
        else:
            result = by_path[page.path]
            if result.data is None:
                if result.error is not None and page.template not in reported:
                    reported.add(page.template)
                    problems.append(result.error)
                continue
            fresh[page.path] = (result.key, result.data)
            if result.from_disk:
                outputs.verified.add(page.path)
        if page.key is not None:
            keys[page.path] = page.key
        outputs.add(page.path, fresh[page.path][1], origin=origin)
    session.rendered = fresh
    session.page_keys = keys
    session.rendered_with = templates
    return outputs, problems


def add_static(outputs: OutputSet, config: SiteConfig) -> None:
    """The theme's static files, then the site's (a site file replaces the theme's of the same path)."""
    files: dict[str, Path] = {}
    for folder in (THEME_DIR / "static", config.static_dir):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files["static/" + path.relative_to(folder).as_posix()] = path
    for rel, path in files.items():
        origin = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else "theme"
        outputs.add(rel, path.read_bytes(), origin=origin)


def _collecting_rarely_unless_persistent(run: Callable[_P, BuildResult]) -> Callable[_P, BuildResult]:
    """Cyclic garbage collection made rare while a one-shot build runs (as mypy does for its own).

    Such a build keeps nearly all it makes until it ends (briefings, links, pages), and makes little
    cyclic garbage, so the collector's full passes over the growing heap find nothing: they were a
    tenth of a one-process build's time and ~0.3 s of the main process's with workers, for about 3%
    less memory. Forked workers inherit the setting. A preview session's heap lives on, so its
    builds keep the usual collector (and freeze it).
    """

    @functools.wraps(run)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> BuildResult:
        if kwargs.get("session") is not None:
            return run(*args, **kwargs)
        before = gc.get_threshold()
        gc.set_threshold(200_000, 30, 30)
        try:
            return run(*args, **kwargs)
        finally:
            gc.set_threshold(*before)

    return wrapper


def add_search_index(
    outputs: OutputSet,
    config: SiteConfig,
    session: BuildSession,
    diagnostics: list[Diagnostic],
    *,
    persistent: bool,
) -> None:
    """Pagefind's index of the rendered pages, committed with them (see briefgen.render.search).

    A preview build (`persistent`) keeps the last bundle (at first, the one a build left in the output
    folder, if it fits) and only says, in `session.search_pending`, that it is out of date: indexing
    takes seconds on a large site, so the preview does it after publishing the pages
    (`index_pending_search`), not before.
    """
    previous = session.search_index
    if persistent:
        if previous is None:
            previous = kept_bundle(
                outputs.files,
                language=config.language,
                output_dir=config.output_dir,
                cache_dir=config.cache_dir,
            )
        key = bundle_key(outputs.files, config.language)
        session.search_index, session.search_pending = previous, key != (previous.key if previous else None)
        search: SearchIndex | None = previous
    else:
        search, problems = index_pages(
            outputs.files,
            language=config.language,
            output_dir=config.output_dir,
            cache_dir=config.cache_dir,
            previous=previous,
        )
        diagnostics.extend(problems)
        session.search_index, session.search_pending = search, False
    for rel, data in (search.files if search else {}).items():
        outputs.add(rel, data, origin="the search index")


def index_pending_search(
    config: SiteConfig, session: BuildSession, committed: Mapping[str, bytes]
) -> tuple[SearchIndex | None, tuple[Diagnostic, ...]]:
    """The bundle for `committed` (a preview's `session.on_disk`): slow, and safe outside the write gate."""
    pages = {rel: data for rel, data in committed.items() if not rel.startswith(f"{SEARCH_DIR}/")}
    return index_pages(
        pages, language=config.language, output_dir=config.output_dir, cache_dir=None, previous=None
    )


def commit_search_index(
    config: SiteConfig, session: BuildSession, committed: Mapping[str, bytes], search: SearchIndex | None
) -> bool:
    """Put `search`, made from `committed`, in the preview's output folder; False (nothing done) when a
    rebuild committed other pages meanwhile (it asked for an index of its own). Call it under the gate."""
    if session.on_disk is None or (session.on_disk is not committed and session.on_disk != committed):
        return False
    pages = {rel: data for rel, data in committed.items() if not rel.startswith(f"{SEARCH_DIR}/")}
    files = {**pages, **(search.files if search else {})}
    commit(config.output_dir, files, in_place=True, known=committed)
    session.on_disk, session.search_index, session.search_pending = files, search, False
    return True


@_collecting_rarely_unless_persistent
def build(
    config: SiteConfig,
    *,
    use_cache: bool = True,
    reporter: Reporter | None = None,
    session: BuildSession | None = None,
    changed: Collection[Path] | None = None,
    in_place: bool | None = None,
    parallel: bool | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Build the site. Never raises for bad content or templates: problems come back as diagnostics.

    `parallel` allows forked worker processes; by default only without a session, since a preview
    server has threads, and forking a threaded process is unsafe. It may pass True before they start.
    `jobs`: how many processes at most (default: one per available CPU); 1 forks none.
    """
    started = time.monotonic()
    reporter = reporter or NullReporter()
    fingerprint = config.render_fingerprint() + config.analysis_fingerprint()
    persistent = session is not None
    if parallel is None:
        parallel = not persistent
    workers = worker_count(jobs) if parallel else 1
    if session is None:
        session = BuildSession()
    elif session.config_fingerprint != fingerprint:
        session.entries.clear()
        session.rendered.clear()
        session.related_index = None
        session.on_disk = None
        session.memo = PageMemo()
        session.corpus_memo = None
    session.config_fingerprint = fingerprint
    cache = session.cache
    if cache is None or cache.path.parent.parent != config.cache_dir or cache.enabled != use_cache:
        cache = AnalysisCache(config.cache_dir, enabled=use_cache)
        if persistent:  # one connection to the cache file for the whole preview session
            session.cache = cache
    cache.hits = cache.misses = 0
    diagnostics: list[Diagnostic] = []

    def finish(**kwargs: Any) -> BuildResult:
        for d in diagnostics:
            reporter.diagnostic(d)
        return BuildResult(
            ok=not any(d.severity is Severity.ERROR for d in diagnostics),
            diagnostics=tuple(diagnostics),
            seconds=time.monotonic() - started,
            cache_hits=cache.hits,
            **kwargs,
        )

    stamp_digest = _inputs_digest(config) if use_cache and not persistent else None
    if stamp_digest is not None and (unchanged := _unchanged_build(config, stamp_digest)) is not None:
        diagnostics.extend(unchanged.diagnostics)
        return finish(
            committed=True,
            briefings=unchanged.briefings,
            unchanged=unchanged.unchanged,
            related=unchanged.related,
        )
    clear_stamp(config.cache_dir)
    briefings, problems = collect_briefings(
        config, cache, reporter, session, workers=workers, while_waiting=prepare_linking
    )
    diagnostics.extend(problems)
    briefings, problems = _drop_slug_conflicts(briefings)
    diagnostics.extend(problems)
    staging = None if in_place else Staging(config.output_dir)  # the tree a swap fills, if it comes to one
    early: list[Page] = []
    early_results: Iterator[_Rendered] | None = None
    try:
        templates = _templates_digest(config)
        if session.environment is None or session.environment[0] != templates:
            session.environment = (templates, make_environment(config.templates_dir))
        env = session.environment[1]
        manifest = read_manifest(config) if use_cache and not session.rendered else {}
        page_memo = session.memo if persistent else PageMemo()
        # A build with workers renders the digest pages (most pages, none shows a related link) while
        # this process works out the related links; planning again with the same memo gives back the
        # very same Page objects for them.
        ahead = workers > 1 and not persistent and staging is not None
        corpus = link_corpus(
            briefings, config, session if persistent else None, cache, with_related=not ahead
        )
        if ahead:
            planned = plan_pages(corpus, config, slugify, page_memo, with_briefings=False)
            early = [p for p in planned if p.template == "digest.html"]
            early_results = forked_map(
                lambda index: _render_one(early[index], env, config, templates, manifest, None),
                list(range(len(early))),
                workers=workers,
                min_items=PARALLEL_MIN_PAGES,
            )
            corpus = add_related_links(corpus, config, cache)
        pages = plan_pages(corpus, config, slugify, page_memo)
        ready = {}
        if early_results is not None:
            ready = {page.path: (page, result) for page, result in zip(early, early_results, strict=True)}
        outputs, problems = render_pages(
            pages,
            env,
            config,
            session,
            templates,
            manifest,
            workers=workers,
            staging=staging,
            ready=ready,
        )
        diagnostics.extend(problems)
        if problems:  # a broken template: keep the last good site, byte for byte
            session.rendered.clear()
            return finish(committed=False, briefings=len(briefings))
        add_static(outputs, config)
        add_search_index(outputs, config, session, diagnostics, persistent=persistent and bool(in_place))
        written: WriteResult = commit(
            config.output_dir,
            outputs.files,
            in_place=bool(in_place),
            known=session.on_disk if persistent else None,
            verified=outputs.verified,
            staging=staging,
        )
        session.on_disk = dict(outputs.files) if persistent and in_place else None
        # one walk of the new tree serves the manifest and the stamp (a stat costs ~30 µs on some disks)
        listing = output_listing(config.output_dir) if use_cache and not persistent else None
        if listing is not None:  # the preview keeps this in memory instead
            write_manifest(config, {path: entry[0] for path, entry in session.rendered.items()}, listing)
    except BriefgenError as exc:
        session.rendered.clear()
        session.on_disk = None
        diagnostics.append(Diagnostic(Severity.ERROR, str(exc)))
        return finish(committed=False, briefings=len(briefings))
    except Exception as exc:
        session.rendered.clear()
        session.on_disk = None
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        diagnostics.append(
            Diagnostic(Severity.ERROR, f"internal error, site/ left unchanged ({detail}); please report it")
        )
        return finish(committed=False, briefings=len(briefings))
    finally:
        if isinstance(early_results, _Results):
            early_results.close()  # the workers, if linking failed before their results were read
        if staging is not None:
            staging.discard()  # gone already when it was swapped in
    result = finish(
        committed=True,
        briefings=len(briefings),
        written=written.written,
        unchanged=written.unchanged,
        removed=written.removed,
        related=dict(corpus.related),
    )
    if persistent and not session.heap_frozen:
        # The first build's objects live as long as the session. Moving them out of the collector's
        # view makes each later rebuild's garbage collections cheap (a third of an edit's CPU otherwise).
        gc.collect()
        gc.freeze()
        session.heap_frozen = True
    if stamp_digest is not None:
        write_stamp(
            config.cache_dir,
            {
                "inputs": stamp_digest,
                "outputs": listing if listing is not None else output_listing(config.output_dir),
                "briefings": result.briefings,
                "diagnostics": to_jsonable(result.diagnostics),
                "related": to_jsonable(result.related),
            },
        )
    return result


@dataclass(frozen=True, slots=True, kw_only=True)
class _Unchanged:
    briefings: int
    unchanged: int
    diagnostics: tuple[Diagnostic, ...]
    related: dict[str, tuple[RelatedLink, ...]]


def _inputs_digest(config: SiteConfig) -> str | None:
    try:
        return inputs_digest(
            settings=config.render_fingerprint() + config.analysis_fingerprint(),
            sources=discover_sources(config.content_dir),
            folders=(config.templates_dir, config.static_dir),
            config_path=config.config_path,
        )
    except OSError:
        return None


def _unchanged_build(config: SiteConfig, digest: str) -> _Unchanged | None:
    """The last build's outcome when its inputs are the same and site/ is as it left it; else None."""
    stamp = read_stamp(config.cache_dir)
    if stamp is None or stamp.get("inputs") != digest:
        return None
    try:
        if output_listing(config.output_dir) != stamp["outputs"] or not stamp["outputs"]:
            return None
        links = decoder_for(tuple[RelatedLink, ...])
        return _Unchanged(
            briefings=int(stamp["briefings"]),
            unchanged=len(stamp["outputs"]),
            diagnostics=decoder_for(tuple[Diagnostic, ...])(stamp["diagnostics"]),
            related={slug: links(v) for slug, v in stamp["related"].items()},
        )
    except (OSError, KeyError, TypeError, ValueError):
        return None


def clean(config: SiteConfig) -> list[Path]:
    """Delete the output folder and the cache; return what was removed."""
    removed = []
    for folder in (config.output_dir, config.cache_dir):
        if folder.is_dir():
            shutil.rmtree(folder)
            removed.append(folder)
    return removed
