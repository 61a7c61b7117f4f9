"""Live preview: `briefgen serve` (rebuild, serve, reload the browser) and `briefgen watch` (rebuild only).

One `LiveSite` owns the config and the build session for the whole run, so that each rebuild re-reads
only what changed. Whatever goes wrong in a rebuild (a bad article, template or config, or a bug) is
reported on the console and in the browser overlay, and the last good site stays served.
`build` never imports this package.
"""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import BriefgenError, ConfigError, Severity
from briefgen.serve.reload import Publication
from briefgen.serve.server import SiteView, bind_server, mount_path
from briefgen.serve.watch import Watcher, WatchPlan, run_loop

if TYPE_CHECKING:
    from briefgen.config import SiteConfig
    from briefgen.pipeline import BuildOptions, BuildResult, BuildSession

__all__ = ["LiveSite", "run_server", "run_watch", "site_view", "watch_plan"]

EXIT_OK = 0
EXIT_USAGE = 2
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SHOWN_CHANGES = 3
QUIET_BEFORE_INDEX_S = 1.0  # the search index waits this long after a rebuild for another one


def watch_plan(config: SiteConfig) -> WatchPlan:
    return WatchPlan(
        trees=(config.content_dir, config.templates_dir, config.static_dir),
        files=(config.config_path,),
        ignored=(config.output_dir, config.cache_dir),
    )


def site_view(config: SiteConfig) -> SiteView:
    return SiteView(output_dir=config.output_dir, mount=mount_path(config.base_url))


def _say(text: str, *, stream: str = "out") -> None:
    out = sys.stdout if stream == "out" else sys.stderr
    out.write(text + "\n")
    out.flush()


class SearchRefresher:
    """Brings the preview's search index up to date after a rebuild, on a thread of its own.

    Pagefind takes seconds on a large site (about 5 s of CPU at 1,000 articles): a rebuild publishes
    its pages at once, with the last index, and this indexes the site meanwhile (reading it only, at
    the lowest CPU priority, once the saves have paused), then commits the bundle under the write
    gate. One indexer runs at a time; a rebuild that comes meanwhile asks for another run.
    """

    def __init__(
        self, publication: Publication, current: Callable[[], SiteConfig], *, quiet: bool = False
    ) -> None:
        self.publication = publication
        self.current = current  # the live config: a job for a replaced one commits nothing
        self.quiet = quiet
        self._lock = threading.Lock()
        self._next: tuple[SiteConfig, bool] | None = None
        self._running = False
        self.done = threading.Event()  # set whenever no job is waiting or running (tests wait on it)
        self.done.set()

    def schedule(self, config: SiteConfig, *, has_pages: bool) -> None:
        with self._lock:
            self._next = (config, has_pages)
            self.done.clear()
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._work, name="briefgen-search", daemon=True).start()

    def _work(self) -> None:
        from briefgen.pipeline.search import commit_bundle, make_bundle
        from briefgen.render.writer import OutputFolder

        while True:
            with self._lock:
                job, self._next = self._next, None
                if job is None:
                    self._running = False
                    self.done.set()
                    return
            config, has_pages = job
            time.sleep(QUIET_BEFORE_INDEX_S)  # a burst of saves: index once, after the last
            with self._lock:
                if self._next is not None:
                    continue
            try:
                bundle, problems = make_bundle(
                    config.output_dir, config.templates_dir, has_pages=has_pages, behind=True
                )
                committed = False
                if bundle is not None:
                    with self.publication.rebuilding():
                        if self.current() is config:
                            commit_bundle(
                                OutputFolder(config.output_dir),
                                bundle,
                                config.cache_dir,
                                config.templates_dir,
                            )
                            committed = True
            except BriefgenError as exc:  # (a full disk) the preview goes on with the last index
                _say(f"briefgen: error: the search index was not updated: {exc}", stream="err")
                continue
            except Exception as exc:  # the preview goes on with the last index
                _say(f"briefgen: error: the search index was not updated: {exc!r}", stream="err")
                continue
            for problem in problems:
                _say(str(problem), stream="err")
            if committed and not self.quiet:
                _say("search index updated", stream="err")


class LiveSite:
    """A site kept built for a whole preview session; publishes each build to `publication`."""

    def __init__(
        self,
        config: SiteConfig,
        load: Callable[[], SiteConfig],
        publication: Publication,
        *,
        options: BuildOptions | None = None,
        verbose: bool = False,
        quiet: bool = False,
        on_config: Callable[[SiteConfig], None] | None = None,
    ) -> None:
        from briefgen.pipeline import BuildOptions

        self.config = config
        self.load = load
        self.publication = publication
        self.options = options or BuildOptions()
        self.verbose = verbose
        self.quiet = quiet
        self.on_config = on_config
        self.session = self._new_session()
        self.builds = 0
        self.last: BuildResult | None = None
        self.search = SearchRefresher(publication, lambda: self.config, quiet=quiet)

    def _new_session(self) -> BuildSession:
        from briefgen.pipeline import BuildSession

        return BuildSession(self.options, persistent=True)

    def build_all(self, *, parallel: bool = False) -> None:
        """Build everything. `parallel` (worker processes) only before any other thread is started."""
        self._build(None, parallel=parallel)

    def catch_up(self) -> None:
        """Once the watcher runs: take in what was saved during the first build (usually nothing).

        Silent unless it changed the site, so the first build's report is not printed twice.
        """
        self._build(None, announce=False)

    def rebuild(self, batch: frozenset[Path]) -> None:
        """Rebuild after `batch` changed: reload the config first if it is part of the batch."""
        if not self.quiet:
            _say(f"changed: {self._describe(batch)}", stream="err")
        if self.config.config_path in batch:
            try:
                config = self.load()
            except ConfigError as exc:  # keep the old config and the last good site
                lines = [line for line in str(exc).splitlines() if line.strip()]
                for line in lines:
                    _say(line, stream="err")
                self.publication.publish(changed=False, errors=lines)
                return
            self.config = config
            self.session = self._new_session()  # a new config: everything is rebuilt
            if self.on_config is not None:
                self.on_config(config)
            self._build(None)
            return
        self._build(batch)

    def _describe(self, batch: frozenset[Path]) -> str:
        root = self.config.root
        names = sorted(str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in batch)
        more = len(names) - SHOWN_CHANGES
        return ", ".join(names[:SHOWN_CHANGES]) + (f" (+{more} more)" if more > 0 else "")

    def _build(
        self, changed: frozenset[Path] | None, *, parallel: bool = False, announce: bool = True
    ) -> None:
        from briefgen.pipeline import build
        from briefgen.report import ConsoleReporter, NullReporter

        reporter = ConsoleReporter(verbose=self.verbose, quiet=self.quiet)
        try:
            with self.publication.rebuilding():
                # worker processes are forked, so only before the server's threads start
                self.session.options = dataclasses.replace(self.options, parallel=parallel)
                result = build(
                    self.config,
                    reporter=reporter if announce else NullReporter(),
                    session=self.session,
                    changed=changed,
                )
        except BriefgenError as exc:  # e.g. the content folder was removed: keep the last good site
            lines = [line for line in str(exc).splitlines() if line.strip()]
            for line in lines:
                _say(line, stream="err")
            self.publication.publish(changed=False, errors=lines)
            return
        except Exception as exc:  # a bug in a stage must not end the preview
            message = f"internal error while building: {exc!r}; please report"
            _say(f"briefgen: error: {message}", stream="err")
            if self.verbose:
                traceback.print_exc()
            self.session = self._new_session()  # its state may be half-updated
            self.publication.publish(changed=False, errors=[message])
            return
        self.builds += 1
        self.last = result
        if self.session.search_pending:
            self.session.search_pending = False
            self.search.schedule(self.config, has_pages=self.session.last_records > 0)
        if not announce and not (result.written or result.removed):
            return
        if not announce:
            for diagnostic in result.diagnostics:
                reporter.diagnostic(diagnostic)
        reporter.finish(result)
        errors = [str(d) for d in result.diagnostics if d.severity is Severity.ERROR]
        self.publication.publish(changed=bool(result.written or result.removed), errors=errors)


@contextmanager
def _interrupt_on_sigterm() -> Iterator[None]:
    """SIGTERM stops the preview as cleanly as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _live_site(
    args: argparse.Namespace, config: SiteConfig, load: Callable[[], SiteConfig], options: BuildOptions
) -> LiveSite:
    return LiveSite(
        config,
        load,
        Publication(),
        options=options,
        verbose=bool(args.verbose),
        quiet=bool(args.quiet),
    )


def _report_warnings(watcher: Watcher) -> None:
    for warning in watcher.warnings:
        _say(f"briefgen: warning: {warning}", stream="err")
    watcher.warnings.clear()


def run_watch(args: argparse.Namespace, load: Callable[[], SiteConfig], options: BuildOptions) -> int:
    """Build, then rebuild on every change until Ctrl-C."""
    config = load()
    live = _live_site(args, config, load, options)
    watcher = Watcher(watch_plan(config), poll=bool(args.poll))
    live.on_config = lambda new: watcher.replan(watch_plan(new))
    stop = threading.Event()
    with _interrupt_on_sigterm():
        try:
            live.build_all(parallel=True)  # before any thread: workers are forked
            watcher.start()
            _report_warnings(watcher)
            live.catch_up()
            _say(f"watching {config.root} for changes (Ctrl-C to stop)")
            run_loop(watcher, live.rebuild, stop=stop)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            watcher.stop()
    _say("stopped")
    return EXIT_OK


def run_server(args: argparse.Namespace, load: Callable[[], SiteConfig], options: BuildOptions) -> int:
    """Build, serve the output over HTTP, rebuild on change and reload open pages, until Ctrl-C."""
    config = load()
    live = _live_site(args, config, load, options)
    try:
        server = bind_server(args.host, args.port, site_view(config), live.publication, verbose=args.verbose)
    except BriefgenError as exc:
        _say(f"briefgen: error: {exc}", stream="err")
        return EXIT_USAGE
    if args.host.lower() not in LOOPBACK_HOSTS:
        _say(
            f"briefgen: warning: listening on {args.host}, not only on this computer: anyone who can reach it "
            "can read the site and its drafts. This is a development server, not for production.",
            stream="err",
        )
    watcher = Watcher(watch_plan(config), poll=bool(args.poll))

    def on_config(new: SiteConfig) -> None:
        server.view = site_view(new)
        watcher.replan(watch_plan(new))

    live.on_config = on_config
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="briefgen-http", daemon=True
    )
    stop = threading.Event()
    with _interrupt_on_sigterm():
        try:
            live.build_all(parallel=True)  # before any thread: workers are forked; requests queue meanwhile
            thread.start()
            watcher.start()
            _report_warnings(watcher)
            live.catch_up()
            url = server.url()
            _say(f"serving {url} (a development server; Ctrl-C to stop)")
            if args.open:
                threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
            run_loop(watcher, live.rebuild, stop=stop)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            live.publication.close()
            if thread.is_alive():
                server.shutdown()
            server.server_close()
            watcher.stop()
    _say("stopped")
    return EXIT_OK
