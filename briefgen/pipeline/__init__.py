"""`build()`: the stages in order. Read this function first; each stage is its own module.

    collect   content/ -> a Record per article     build/collect.py (analysis: build/analyse.py)
    link      records  -> Corpus, CorpusChanges    corpus/link.py
    plan      corpus   -> the pages to make         render/plan.py
    emit      pages    -> bytes, committed          build/emit.py, render/pages.py, render/writer.py

What the last build saw and made is one `BuildState` (build/state.py, which has the table of what
invalidates what); analyses are kept in the `AnalysisStore` (build/store.py). A build never raises
for bad content or templates: problems come back as diagnostics.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.errors import BriefgenError, Diagnostic, OutputFolderError, Severity
from briefgen.pipeline.session import BuildOptions, BuildResult, BuildSession, clean, select_records
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
    # the stages, imported only now: a build with nothing to do (above) never needs them
    from briefgen.corpus.link import link_corpus
    from briefgen.pipeline.collect import collect_articles
    from briefgen.pipeline.emit import emit_pages
    from briefgen.render.plan import plan_pages

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
            records, problems, changed_slugs = select_records(collected, run.state, config.drafts)
            diagnostics += problems
            corpus, linker, changes = link_corpus(
                records,
                run.link_settings,
                previous=run.previous_corpus,
                index=run.previous_linker,
                changed=changed_slugs,
                terms={r.slug: collected.terms[r.rel_path] for r in records if r.rel_path in collected.terms},
                load_terms=run.load_terms,
            )
            collected.terms.clear()  # needed only to link: as decoded vectors, the largest thing held
            run.state.keep_links(corpus, linker, changes)
            settings = run.render_settings(corpus)
            pages = plan_pages(
                corpus,
                changes,
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
                static_files=run.static_files,
            )
            diagnostics += emitted.diagnostics
            run.committed, run.written = emitted.written is not None, emitted.written
    except OutputFolderError:
        raise  # a usage error: nothing was built
    except BriefgenError as exc:
        diagnostics.append(Diagnostic(Severity.ERROR, str(exc)))
        return session.result(diagnostics, started, reporter, committed=False)
    return session.result(diagnostics, started, reporter, committed=run.committed, written=run.written)
