"""What one build needs around its stages: the state, the store, executors, the output folder, settings.

A `BuildSession` lives for one CLI build, or for a whole preview (which keeps the state in memory
instead of reading it back from disk before every rebuild). `building()` hands each build a `Run`
and, when the build has committed, keeps its state for the next.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import hashlib
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import jinja2

from briefgen import __version__
from briefgen.config import SiteConfig, window_days
from briefgen.corpus.stories import StoryIndex
from briefgen.corpus.story_features import features_of_briefing
from briefgen.errors import Diagnostic, Severity, SourceError, SourceLocation
from briefgen.executor import Executor, Failed, ProcessExecutor, SerialExecutor, make_executor
from briefgen.model import Briefing, Corpus, HeldBack, Record, RelatedLink, StoryFeatures
from briefgen.model.stages import (
    Analysed,
    AnalysisJob,
    BuildOptions,
    BuildResult,
    Collected,
    CollectSettings,
    LinkSettings,
    RenderSettings,
    WriteResult,
)
from briefgen.pipeline.analyse import analyse_job
from briefgen.pipeline.emit import static_files
from briefgen.pipeline.publish import ArticleFiles, address_diagnostics, requested_feeds
from briefgen.pipeline.state import (
    STATE_VERSION,
    BuildState,
    Summary,
    current_stats,
    forget_state,
    load_state,
    read_summary,
    save_state,
)
from briefgen.pipeline.store import AnalysisStore, code_fingerprint, decode, store_key
from briefgen.render.environment import THEME_DIR, make_environment
from briefgen.render.feeds import FEED_FILES
from briefgen.render.search import PENDING_NAME as SEARCH_PENDING
from briefgen.render.search import RECORD_NAME as SEARCH_RECORD
from briefgen.render.search import index_pending
from briefgen.render.writer import OutputFolder, all_intact, clean_output, read_record
from briefgen.report import Reporter
from briefgen.sources import KINDS, discover_sources
from briefgen.sources.walk import walk_inside

T = TypeVar("T")
R = TypeVar("R")


@dataclass(slots=True, kw_only=True)
class Run:
    """One build's working set, made by `BuildSession.building`."""

    config: SiteConfig
    state: BuildState
    store: AnalysisStore
    output: OutputFolder
    environment: jinja2.Environment
    analysis_executor: Executor
    render_executor: Executor
    previous_corpus: Corpus | None
    previous_linker: StoryIndex | None
    static_files: dict[str, Path]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    committed: bool = False
    written: WriteResult | None = None
    held_back: HeldBack = field(default_factory=HeldBack)
    article_files: ArticleFiles | None = None  # files beside articles, published with them

    @property
    def collect_settings(self) -> CollectSettings:
        return CollectSettings(
            root=self.config.root,
            content_dir=self.config.content_dir,
            analysis_fingerprint=self.config.analysis_fingerprint(),
            summary_sentences=self.config.summary.sentences,
            article_seconds=self.config.limits.article_seconds,
            max_article_bytes=self.config.limits.max_article_bytes,
        )

    @property
    def link_settings(self) -> LinkSettings:
        d = self.config.digests
        return LinkSettings(
            related_k=self.config.related.k,
            entity_min_briefings=d.entity_min_briefings,
            entity_min_mentions=d.entity_min_mentions,
        )

    def render_settings(self, corpus: Corpus) -> RenderSettings:
        return render_settings(self.config, corpus)

    def features_of(self, records: Sequence[Record]) -> dict[str, StoryFeatures]:
        """The same-story evidence of records: from the store, or from their briefings analysed again."""
        found = self.store.records([r.key for r in records])
        out: dict[str, StoryFeatures] = {}
        for record in records:
            entry = found.get(record.key)
            out[record.slug] = (
                entry[1] if entry is not None else features_of_briefing(self.briefing_of(record))
            )
        return out

    def join_map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """The analysis executor's ordered map for the same-story join (a failed chunk is a bug: raise)."""
        for result in self.analysis_executor.map(fn, list(items)):
            if isinstance(result, Failed):
                raise RuntimeError(f"the same-story join failed: {result.reason}")
            yield result

    def briefing_of(self, record: Record) -> Briefing:
        """The whole briefing behind a record: from the store, or analysed again if the store lost it."""
        found = self.store.briefings([record.key]).get(record.key)
        if not isinstance(found, Briefing):
            found = _analyse_again(record, self.config)
        if found.document.meta.date != record.date:  # an undated file, dated by its mtime now
            import dataclasses

            meta = dataclasses.replace(found.document.meta, date=record.date)
            found = dataclasses.replace(found, document=dataclasses.replace(found.document, meta=meta))
        return found


def render_settings(config: SiteConfig, corpus: Corpus) -> RenderSettings:
    kinds = {kind for kind, _ in corpus.digests}
    formats = requested_feeds(config) if config.absolute_base else ()
    site = {
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "base_url": config.base_url,
        "url": config.absolute_base,  # the site's whole address, or None
        "author": config.publisher,
        "generator": f"briefgen {__version__}",
        "has_days": bool(config.digests.by_day and "day" in kinds),
        "has_weeks": bool(config.digests.by_week and "week" in kinds),
        "has_stories": any(len(s.members) > 1 for s in corpus.stories.values()),
        "has_tags": bool(config.digests.by_tag and "tag" in kinds),
        "has_entities": bool(config.digests.by_entity and "entity" in kinds),
        "feed": FEED_FILES[formats[0]][0]
        if formats
        else None,  # the footer's feed link: the first format written
        "search": config.search,
    }
    return RenderSettings(
        site=site,
        index_items=config.index_items,
        window_days=window_days(config.digests.window),
        key_quotes=config.quotes.key_quotes,
        feed_items=config.feed.items,
        feed_formats=formats,
        feed_subjects=config.feed.subjects,
        page_size=config.page_size,
        search=config.search,
        by_day=config.digests.by_day,
        by_week=config.digests.by_week,
        by_tag=config.digests.by_tag,
        by_entity=config.digests.by_entity,
        absolute_base=config.absolute_base,
        mount=config.mount,
    )


def _analyse_again(record: Record, config: SiteConfig) -> Briefing:
    path = config.root / record.rel_path
    try:
        data = path.read_bytes()
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror}", SourceLocation(record.rel_path)) from None
    job = AnalysisJob(
        rel_path=record.rel_path,
        kind=KINDS[path.suffix.lower()],
        data=data,
        mtime=mtime,
        key=record.key,
        summary_sentences=config.summary.sentences,
    )
    result = analyse_job(job)
    if not isinstance(result, Analysed):
        raise SourceError(result.message, result.location or SourceLocation(record.rel_path))
    found: Briefing = decode(result.briefing_blob, Briefing)
    return found


def templates_digest(config: SiteConfig) -> str:
    """Every template's name and bytes, and briefgen's theme: a change to any re-renders every page."""
    digest = hashlib.sha256()
    for label, folder in (("site", config.templates_dir), ("theme", THEME_DIR)):
        if folder.is_dir():  # the walk the template loader allows: nothing from outside the folder
            for path in sorted(walk_inside(folder).files):
                digest.update(f"{label}/{path.relative_to(folder).as_posix()}".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


class BuildSession:
    """State kept between the builds of one process; pass the same instance to every rebuild."""

    def __init__(self, options: BuildOptions, *, persistent: bool = False) -> None:
        self.options = options
        self.persistent = persistent  # a preview: keep the state in memory between builds
        self.state: BuildState | None = None
        self._environment: tuple[str, jinja2.Environment] | None = None
        self._store: AnalysisStore | None = None
        self.last_records = 0
        self.last_related: dict[str, tuple[RelatedLink, ...]] = {}
        self.last_sources = 0
        self.last_analysed = 0  # articles the last build analysed anew
        self.last_held = HeldBack()
        self.search_pending = False  # a preview build changed pages; its search index is to be made

    def _load(self, config: SiteConfig, render_fingerprint: str) -> BuildState:
        analysis_fingerprint = _analysis_fingerprint(config)
        state = self.state
        if state is not None and state.analysis_fingerprint == analysis_fingerprint:
            if state.render_fingerprint != render_fingerprint:
                state.render_fingerprint = render_fingerprint
                state.reset_pages()
            return state
        if not self.options.use_cache:
            return BuildState(
                analysis_fingerprint=analysis_fingerprint, render_fingerprint=render_fingerprint
            )
        return load_state(
            config.cache_dir, analysis_fingerprint=analysis_fingerprint, render_fingerprint=render_fingerprint
        )

    def _environment_for(self, config: SiteConfig, templates: str) -> jinja2.Environment:
        if self._environment is None or self._environment[0] != templates:
            self._environment = (templates, make_environment(config.templates_dir))
        return self._environment[1]

    def _store_for(self, config: SiteConfig, scratch: Path | None) -> AnalysisStore:
        folder = scratch if scratch is not None else config.cache_dir
        if self._store is None or self._store.path.parent.parent != folder:
            self._store = AnalysisStore(folder)
        self._store.max_bytes = int(config.limits.cache_mb * (1 << 20))  # a preview may reload the config
        return self._store

    @contextlib.contextmanager
    def building(self, config: SiteConfig, changed: Collection[Path] | None) -> Iterator[Run]:
        templates = templates_digest(config)
        render_fingerprint = _render_fingerprint(config, templates)
        with contextlib.ExitStack() as stack:
            stack.enter_context(_build_lock(config.cache_dir))
            if not self.persistent:
                stack.enter_context(_collecting_rarely())
            scratch = None
            if not self.options.use_cache:
                import tempfile

                scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="briefgen-")))
            state = self._load(config, render_fingerprint)
            output = OutputFolder(config.output_dir, force=self.options.force)
            stack.callback(output.discard)
            store = self._store_for(config, scratch)
            analysis_executor, render_executor = _executors(self.options, stack)
            static = static_files((THEME_DIR / "static", config.static_dir), config.root)
            previous_corpus = state.corpus if isinstance(state.corpus, Corpus) else None
            previous_linker = state.linker if isinstance(state.linker, StoryIndex) else None
            run = Run(
                config=config,
                state=state,
                store=store,
                output=output,
                environment=self._environment_for(config, templates),
                analysis_executor=analysis_executor,
                render_executor=render_executor,
                previous_corpus=previous_corpus,
                previous_linker=previous_linker,
                static_files=static[0],
            )
            run.diagnostics.extend(static[1])
            run.diagnostics.extend(address_diagnostics(config))
            try:
                yield run
            except BaseException:
                self.state = None  # half-updated: the next build starts from what is on disk
                raise
            # the corpus moved on but the pages did not: plan (not render) every page next time
            state.plan_all = not run.committed
            self.state = state if self.persistent else None
            corpus = state.corpus if isinstance(state.corpus, Corpus) else None
            self.last_records = len(corpus.records) if corpus is not None else 0
            self.last_related = dict(corpus.related) if corpus is not None else {}
            self.last_sources = len(state.sources)
            self.last_held = run.held_back
            if self.options.use_cache:
                save_state(config.cache_dir, state, self._summary(state, run))
                store.finish()
            if scratch is not None:
                store.close()
                self._store = None
            # after the summary is saved: a build with nothing changed runs nothing, and must not repeat it
            run.diagnostics.extend(_ran_here(render_executor))

    def _summary(self, state: BuildState, run: Run) -> Summary:
        return Summary(
            version=STATE_VERSION,
            analysis_fingerprint=state.analysis_fingerprint,
            render_fingerprint=state.render_fingerprint,
            stats={rel: s.stat for rel, s in state.sources.items()},
            static=state.static,
            briefings=self.last_records,
            diagnostics=tuple(run.diagnostics),
            related=self.last_related,
            held_back=run.held_back,
            assets=run.article_files.sources if run.article_files else {},
            missing_assets=run.article_files.missing if run.article_files else (),
        )

    def unchanged(self, config: SiteConfig, started: float, reporter: Reporter) -> BuildResult | None:
        """The last build's result, when nothing it read has changed and site/ is as it left it.

        Costs a stat of every content and output file and a read of the templates and static files;
        the rest of the state is not even decoded.
        """
        if self.persistent or not self.options.use_cache or self.options.force:
            return None
        found = read_summary(config.cache_dir)
        if found is None or index_pending(config.cache_dir):  # (a preview stopped before its index)
            return None
        summary = found[0]
        if summary.analysis_fingerprint != _analysis_fingerprint(
            config
        ) or summary.render_fingerprint != _render_fingerprint(config, templates_digest(config)):
            return None
        root = config.root.as_posix().rstrip("/") + "/"
        paths = [p.as_posix() for p in discover_sources(config.content_dir)]
        if current_stats(paths, root) != summary.stats:
            return None
        release = summary.held_back.release
        if release is not None and release <= self.options.build_day():  # a future article's day came
            return None
        files = static_files((THEME_DIR / "static", config.static_dir), config.root)[0]
        if any((config.root / source).exists() for source in summary.missing_assets):
            return None  # a file an article names has come
        for copy, source in summary.assets.items():
            files[copy] = config.root / source
            if not files[copy].is_file():
                return None
        if {rel: _sha(path) for rel, path in files.items()} != summary.static:
            return None
        record = read_record(config.output_dir)
        if not record or not all_intact(config.output_dir, record):
            return None
        self.last_records, self.last_related = summary.briefings, summary.related
        self.last_held = summary.held_back
        self.last_sources, self.last_analysed = len(summary.stats), 0
        return self.result(
            list(summary.diagnostics), started, reporter, committed=True, unchanged=len(record)
        )

    def result(
        self,
        diagnostics: list[Diagnostic],
        started: float,
        reporter: Reporter,
        *,
        committed: bool,
        written: WriteResult | None = None,
        unchanged: int = 0,
    ) -> BuildResult:
        for d in diagnostics:
            reporter.diagnostic(d)
        return BuildResult(
            ok=not any(d.severity is Severity.ERROR for d in diagnostics),
            committed=committed,
            diagnostics=tuple(diagnostics),
            written=written.written if written else (),
            unchanged=written.unchanged if written else unchanged,
            removed=written.removed if written else (),
            briefings=self.last_records,
            seconds=time.monotonic() - started,
            cache_hits=max(0, self.last_sources - self.last_analysed),
            related=self.last_related if committed else {},
            held_back=self.last_held,
        )


def _executors(options: BuildOptions, stack: contextlib.ExitStack) -> tuple[Executor, Executor]:
    """(analysis, render) executors, closed with `stack`. The analysis and the same-story join run on
    `--executor`; pages always render on local processes, which fork with the build's pages in memory.
    Dask's client runs in a process of its own (executor_dask), so this process may still fork."""
    workers = options.jobs if options.parallel else 1
    render: Executor = make_executor("local", jobs=workers) if options.parallel else SerialExecutor()
    stack.callback(render.close)
    if options.executor != "dask":
        return render, render
    analysis = make_executor("dask", jobs=workers, scheduler=options.scheduler)
    stack.callback(analysis.close)
    return analysis, render


def _ran_here(executor: Executor) -> list[Diagnostic]:
    """An info diagnostic when work meant for worker processes ran in this process (threads were alive)."""
    if not isinstance(executor, ProcessExecutor):
        return []
    return [
        Diagnostic(
            Severity.INFO,
            f"work meant for {executor.workers} worker processes ran in the build's process, one item "
            f"at a time: {reason}",
        )
        for reason in dict.fromkeys(executor.fallbacks)
    ]


@contextlib.contextmanager
def _collecting_rarely() -> Iterator[None]:
    """Cyclic garbage collection made rare while a one-shot build runs (as mypy does for its own).

    Such a build keeps nearly all it makes until it ends, and makes little cyclic garbage, so the
    collector's full passes over the growing heap find nothing: 0.8-1.5 s of CPU of a 10 s one-process
    build of 1,000 articles. Forked workers inherit the setting. A preview's heap lives on, so its
    builds keep the usual collector.
    """
    before = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _analysis_fingerprint(config: SiteConfig) -> str:
    return config.analysis_fingerprint() + code_fingerprint()


def _render_fingerprint(config: SiteConfig, templates: str) -> str:
    return hashlib.sha256((config.render_fingerprint() + templates).encode()).hexdigest()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextlib.contextmanager
def _build_lock(cache_dir: Path) -> Iterator[None]:
    """One build of a site at a time: a second waits for the first."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle = (cache_dir / "build.lock").open("a")
    except OSError:
        yield  # an unwritable cache folder: build without the lock
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def select_records(
    collected: Collected,
    state: BuildState,
    drafts: bool,
    *,
    future: bool = True,
    today: dt.date | None = None,
) -> tuple[list[Record], list[Diagnostic], set[str], HeldBack]:
    """The records to publish (drafts only when asked, articles dated after `today` only when `future`;
    of two files with one slug, the first by path), the problems found choosing them (and a note for
    each future article), the slugs whose record changed since the last build, and what was held back."""
    kept: dict[str, Record] = {}
    problems: list[Diagnostic] = []
    held_drafts = held_future = 0
    release: dt.date | None = None
    for rel, record in collected.records.items():  # in path order
        if record.draft and not drafts:
            held_drafts += 1
            continue
        if not future and today is not None and record.date > today:
            held_future += 1
            release = min(release or record.date, record.date)
            note = f"dated {record.date.isoformat()}, after today: not built until then (--future builds it)"
            problems.append(Diagnostic(Severity.INFO, note, SourceLocation(rel)))
            continue
        other = kept.get(record.slug)
        if other is None:
            kept[record.slug] = record
            continue
        problems.append(
            Diagnostic(
                Severity.ERROR,
                f"both this file and {other.rel_path} would write briefings/{record.slug}/index.html;"
                " rename one of them (this one was skipped)",
                SourceLocation(rel),
            )
        )
    previous = state.corpus.records if isinstance(state.corpus, Corpus) else {}
    changed = {s for s in kept.keys() | previous.keys() if previous.get(s) is not kept.get(s)}
    held = HeldBack(drafts=held_drafts, future=held_future, release=release)
    return list(kept.values()), problems, changed, held


def clean(config: SiteConfig) -> list[Path]:
    """Delete what briefgen wrote in the output folder, and its cache; return what was removed."""
    removed: list[Path] = []
    if clean_output(config.output_dir):
        removed.append(config.output_dir)
    cache = config.cache_dir
    if cache.is_dir():
        forget_state(cache)
        for name in ("build.lock", SEARCH_RECORD, SEARCH_PENDING):
            (cache / name).unlink(missing_ok=True)
        import shutil

        for child in cache.glob("v[0-9]*"):
            shutil.rmtree(child, ignore_errors=True)
        with contextlib.suppress(OSError):
            cache.rmdir()
        removed.append(cache)
    return removed


__all__ = ["BuildOptions", "BuildResult", "BuildSession", "Run", "clean", "select_records", "store_key"]
