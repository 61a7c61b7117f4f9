"""`build()`: the stages in order. Read this function first; each stage is its own module.

    collect   content/ -> a Record per article     build/collect.py (analysis: build/analyse.py)
    link      records  -> Corpus, CorpusChanges    corpus/link.py
    plan      corpus   -> the pages to make         render/plan.py
    emit      pages    -> bytes, committed          build/emit.py, render/pages.py, render/writer.py
    search    the committed site -> its index      pipeline/search.py, render/search.py (Pagefind)

What the last build saw and made is one `BuildState` (build/state.py, which has the table of what
invalidates what); analyses are kept in the `AnalysisStore` (build/store.py). A build never raises
for bad content or templates: problems come back as diagnostics.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.corpus.link import link_corpus
from briefgen.errors import BriefgenError, Diagnostic, OutputFolderError, Severity
from briefgen.model import CorpusChanges
from briefgen.model.stages import BuildOptions, BuildResult
from briefgen.pipeline.collect import collect_articles
from briefgen.pipeline.emit import emit_pages
from briefgen.pipeline.publish import article_files
from briefgen.pipeline.search import bundle_files, defer_index, index_site, merged, search_outdated
from briefgen.pipeline.session import BuildSession, clean, select_records
from briefgen.render.plan import plan_pages
from briefgen.report import NullReporter, Reporter

__all__ = ["BuildOptions", "BuildResult", "BuildSession", "build", "clean"]


def build(
    config: SiteConfig,
    *,
    options: BuildOptions | None = None,
    reporter: Reporter | None = None,
    session: BuildSession | None = None,
    changed: Collection[Path] | None = None,
) -> BuildResult:
    """Build the site; `session` keeps state in memory between the builds of a preview.

    `changed`: the paths a watcher saw change (None: look at everything).
    """
    started = time.monotonic()
    reporter = reporter or NullReporter()
    session = session or BuildSession(options or BuildOptions())
    if (done := session.unchanged(config, started, reporter)) is not None:
        return done
    diagnostics: list[Diagnostic] = []
    try:
        with session.building(config, changed) as run:
            diagnostics = run.diagnostics
            collected = collect_articles(
                run.collect_settings,
                run.state,
                run.store,
                run.analysis_executor,
                changed=changed,
                progress=reporter.progress,
            )
            diagnostics += collected.diagnostics
            session.last_analysed = collected.analysed
            records, problems, changed_slugs, run.held_back = select_records(
                collected, run.state, config.drafts, future=config.future, today=session.options.build_day()
            )
            diagnostics += problems
            run.article_files = article_files(records, config.root, config.content_dir)
            diagnostics += run.article_files.diagnostics
            corpus, run.state.linker, changes = link_corpus(
                records,
                run.link_settings,
                previous=run.previous_corpus,
                index=run.previous_linker,
                changed=changed_slugs,
                features=collected.features,
                more_features=run.features_of,
                map=run.join_map,
            )
            run.state.corpus = corpus
            settings = run.render_settings(corpus)
            pages = plan_pages(
                corpus,
                CorpusChanges(everything=True) if run.state.plan_all else changes,
                settings,
                previous=run.previous_corpus,
                last_paths=run.state.pages,
                intact=run.output.intact,
            )
            emitted = emit_pages(
                pages,
                corpus,
                settings,
                env=run.environment,
                briefing_of=run.briefing_of,
                output=run.output,
                state=run.state,
                executor=run.render_executor,
                root=config.root,
                static_files={**run.static_files, **run.article_files.copies},
                also_produced=bundle_files(run.output) if config.search else (),  # off: removed
            )
            diagnostics += emitted.diagnostics
            written = emitted.written
            has_pages = bool(corpus.order)
            if (
                config.search
                and written is not None
                and search_outdated(run.output, config.cache_dir, has_pages=has_pages)
            ):
                if session.persistent:  # a preview indexes behind the rebuild (serve.SearchRefresher)
                    session.search_pending = True
                    defer_index(config.cache_dir)
                else:
                    indexed, index_problems = index_site(
                        run.output, config.cache_dir, config.templates_dir, has_pages=has_pages
                    )
                    diagnostics += index_problems
                    if indexed is not None:
                        written = merged(written, indexed, len(run.output.record))
            run.committed, run.written = written is not None, written
    except OutputFolderError:
        raise  # a usage error: nothing was built
    except BriefgenError as exc:
        diagnostics.append(Diagnostic(Severity.ERROR, str(exc)))
        return session.result(diagnostics, started, reporter, committed=False)
    return session.result(diagnostics, started, reporter, committed=run.committed, written=run.written)
