"""Render what the plan says changed, stage it, and commit it to the output folder.

A page is rendered only when its key differs from the one the state remembers, or its file is not as
the last build left it. Any template error keeps the whole output folder as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from briefgen.errors import Diagnostic
from briefgen.executor import Executor, Failed, SerialExecutor
from briefgen.model import Corpus
from briefgen.model.stages import Emitted, Page, Plan, RenderSettings
from briefgen.pipeline.state import BuildState
from briefgen.render.pages import BriefingSource, Material, page_context, render_page
from briefgen.render.plan import all_paths
from briefgen.render.writer import OutputFolder
from briefgen.sources.walk import walk_inside

PARALLEL_MIN_PAGES = 400  # below this, starting workers costs more than it saves


def emit_pages(
    plan: Plan,
    corpus: Corpus,
    settings: RenderSettings,
    *,
    env: jinja2.Environment,
    briefing_of: BriefingSource,
    output: OutputFolder,
    state: BuildState,
    executor: Executor,
    root: Path,
    static_files: Mapping[str, Path],
    also_produced: Collection[str] = (),
) -> Emitted:
    """`also_produced`: files of the output folder made by a later step (the search index), kept."""
    todo = [p for p in plan.pages if state.pages.get(p.path) != p.key or not output.intact(p.path)]
    paths_memo: list[set[str]] = []
    material = Material(briefing_of)

    def paths() -> set[str]:
        if not paths_memo:
            paths_memo.append(all_paths(corpus, settings))
        return paths_memo[0]

    def context(page: Page) -> dict[str, Any]:
        return page_context(page, corpus, settings, material, paths)

    def make(page: Page) -> bytes | Diagnostic:
        return render_page(page, env, context, settings.site, root)

    runner = executor if len(todo) >= PARALLEL_MIN_PAGES else SerialExecutor()
    problems: dict[str, Diagnostic] = {}
    try:
        for page, result in zip(todo, runner.map(make, todo), strict=True):
            if isinstance(result, bytes):
                output.stage(page.path, result)
            elif isinstance(result, Diagnostic):
                problems.setdefault(page.template or page.path, result)
            else:
                problems.setdefault(page.path, _failed(page, result))
        if problems:
            output.discard()
            return Emitted(written=None, diagnostics=tuple(problems.values()), rendered=len(todo))
        static = _stage_static(static_files, output, state)
        produced = {p.path for p in plan.pages} | set(plan.kept) | set(static) | set(also_produced)
        written = output.commit(produced)
    except BaseException:
        output.discard()
        raise
    for page in todo:
        state.pages[page.path] = page.key
    for gone in plan.removed:
        state.pages.pop(gone, None)
    state.static = static
    return Emitted(written=written, diagnostics=(), rendered=len(todo))


def _failed(page: Page, failure: Failed) -> Diagnostic:
    from briefgen.errors import Severity, SourceLocation

    return Diagnostic(
        Severity.ERROR, f"internal error while rendering this page ({failure.reason}); please report it",
        SourceLocation(page.path),
    )  # fmt: skip


def _stage_static(files: Mapping[str, Path], output: OutputFolder, state: BuildState) -> dict[str, str]:
    """Copy static files whose bytes changed; return output path -> sha256 of each."""
    shas: dict[str, str] = {}
    for rel, path in files.items():
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        shas[rel] = sha
        if state.static.get(rel) != sha or not output.intact(rel):
            output.stage(rel, data)
    return shas


def static_files(
    folders: Iterable[Path], shown_root: Path | None = None
) -> tuple[dict[str, Path], list[Diagnostic]]:
    """Output path -> file: the theme's static files, then the site's (a site file wins by path), and
    what was left out (a symlink leaving its folder, a FIFO, ...: nothing from outside is published)."""
    files: dict[str, Path] = {}
    problems: list[Diagnostic] = []
    for folder in folders:
        if folder.is_dir():
            walked = walk_inside(folder, shown_root=shown_root)
            problems.extend(walked.diagnostics)
            for path in sorted(walked.files):
                rel = path.relative_to(folder).as_posix()
                if not any(part.startswith(".") for part in rel.split("/")):
                    files["static/" + rel] = path
    return files, problems


Renderer = Callable[[Page], bytes | Diagnostic]
