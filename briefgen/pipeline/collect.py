"""Stage 1-3, collect: find the articles, read each changed one once, analyse what the store lacks.

Input: the content folder, the state of the last build, the store. Output: a `Record` per article
(drafts and duplicate slugs decided later), and the diagnostics of every file. A file that cannot be
used keeps its last good record, with a warning, until it is fixed or deleted.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import Diagnostic, Severity, SourceError, SourceLocation
from briefgen.executor import Executor, Failed, SerialExecutor
from briefgen.model import Record, StoryFeatures
from briefgen.model.stages import Analysed, AnalysisJob, Collected, CollectSettings
from briefgen.pipeline.analyse import analyse_job, mtime_date, with_date
from briefgen.pipeline.state import BuildState, SourceState
from briefgen.pipeline.store import AnalysisStore, store_key
from briefgen.sources import KINDS, discover_articles, is_content_file, read_file

Progress = Callable[[int, int], None]
PARALLEL_MIN_FILES = 48  # below this, starting workers costs more than it saves


@dataclass(slots=True)
class _Pending:
    rel: str
    stat: tuple[int, int]
    sha: str
    mtime: float
    job: AnalysisJob


def _stat(path: str) -> tuple[tuple[int, int], float] | None:
    try:
        st = os.stat(path)  # noqa: PTH116  (str paths: every file, every build)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size), st.st_mtime


def collect_articles(
    settings: CollectSettings,
    state: BuildState,
    store: AnalysisStore,
    executor: Executor,
    *,
    changed: Collection[Path] | None = None,
    progress: Progress | None = None,
) -> Collected:
    """Update `state.sources` to the content folder as it is now, and return every record.

    `changed`: the paths a watcher reported since the last build; the other files are then trusted
    to be as they were, without a stat each (None: look at every file).
    """
    root = settings.root.as_posix().rstrip("/") + "/"
    paths, trusted, walk_problems = _paths_to_look_at(settings, state, changed, root)
    diagnostics: list[Diagnostic] = list(walk_problems)
    pending: list[_Pending] = []
    before = {rel: s.record for rel, s in state.sources.items()}
    seen: set[str] = set(trusted)
    for path in paths:
        rel = path.removeprefix(root)
        seen.add(rel)
        found = _stat(path)
        previous = state.sources.get(rel)
        if found is None:
            diagnostics.append(Diagnostic(Severity.ERROR, "cannot read the file", SourceLocation(rel)))
            continue
        stat, mtime = found
        if previous is not None and previous.stat == stat:
            continue
        try:  # never blocks, never more than the limit, never out of the content folder
            data, _ = read_file(
                Path(path), rel, max_bytes=settings.max_article_bytes, inside=settings.content_dir
            )
        except SourceError as exc:
            diagnostics.append(exc.diagnostic())
            continue
        sha = hashlib.sha256(data).hexdigest()
        if previous is not None and previous.sha == sha:
            previous.stat = stat
            if previous.record is not None and previous.record.date_inferred_from == "modified time":
                previous.record = with_date(previous.record, mtime_date(mtime))
            continue
        key = store_key(settings.analysis_fingerprint, rel, sha)
        job = AnalysisJob(
            rel_path=rel,
            kind=KINDS[Path(rel).suffix.lower()],
            data=data,
            mtime=mtime,
            key=key,
            summary_sentences=settings.summary_sentences,
        )
        pending.append(_Pending(rel=rel, stat=stat, sha=sha, mtime=mtime, job=job))
    for gone in set(state.sources) - seen:
        del state.sources[gone]
    features: dict[str, StoryFeatures] = {}
    analysed, from_store = _analyse(features, pending, state, store, executor, settings, progress, len(paths))
    records: dict[str, Record] = {}
    for rel in sorted(state.sources):
        entry = state.sources[rel]
        diagnostics.extend(entry.diagnostics)
        if entry.record is not None:
            records[rel] = entry.record
    return Collected(
        records=records,
        diagnostics=tuple(diagnostics),
        changed=frozenset(
            rel for rel in before.keys() | records.keys() if before.get(rel) is not records.get(rel)
        ),
        analysed=analysed,
        from_store=from_store,
        features=features,
    )


def _paths_to_look_at(
    settings: CollectSettings, state: BuildState, changed: Collection[Path] | None, root: str
) -> tuple[list[str], set[str], list[Diagnostic]]:
    """(paths to stat, known files trusted unchanged, what the walk left out): every file found by a
    walk, or after a watcher's batch of plain files, the batch alone (the other known files are
    trusted). A batch with a folder, a symlink or anything but a plain file is walked whole, so that
    the walk's rules (symlinks out of content/, FIFOs, loops) hold for it too."""
    content = settings.content_dir.as_posix().rstrip("/") + "/"
    if changed is None or not state.sources or not settings.content_dir.is_dir():
        return _walk(settings)  # (a missing content folder is an error there, never an empty site)
    trusted = {root + rel for rel in state.sources}
    look: set[str] = set()
    for path in changed:
        name = path.as_posix()
        if not name.startswith(content):
            continue  # a template, a static file or the config: no article changed
        if path.is_dir() or path.is_symlink() or (path.exists() and not path.is_file()):
            return _walk(settings)
        # a file deleted or a folder moved away: forget what was under it
        trusted = {p for p in trusted if p != name and not p.startswith(name + "/")}
        if path.exists() and is_content_file(path):
            look.add(name)
    return sorted(look), {p.removeprefix(root) for p in trusted}, []


def _walk(settings: CollectSettings) -> tuple[list[str], set[str], list[Diagnostic]]:
    paths, problems = discover_articles(settings.content_dir, root=settings.root)
    return [p.as_posix() for p in paths], set(), problems


def _analyse(
    features: dict[str, StoryFeatures],
    pending: list[_Pending],
    state: BuildState,
    store: AnalysisStore,
    executor: Executor,
    settings: CollectSettings,
    progress: Progress | None,
    total: int,
) -> tuple[int, int]:
    """Records for the pending files: from the store when it has them, else analysed on the executor."""
    stored = store.records([p.job.key for p in pending])
    todo: list[_Pending] = []
    for item in pending:
        hit = stored.get(item.job.key)
        if hit is not None:
            _settle(state, item, hit[0], hit[2])
            features[hit[0].slug] = hit[1]
        else:
            todo.append(item)
    batch: list[tuple[str, bytes, bytes]] = []
    done = total - len(todo)
    runner = executor if len(todo) >= PARALLEL_MIN_FILES else SerialExecutor()
    results = runner.map(analyse_job, [p.job for p in todo], item_seconds=settings.article_seconds)
    for item, result in zip(todo, results, strict=True):
        if isinstance(result, Analysed):
            _settle(state, item, result.record, result.diagnostics)
            features[result.record.slug] = result.features
            batch.append((item.job.key, result.record_blob, result.briefing_blob))
            if len(batch) >= 256:
                store.put(batch)
                batch = []
        else:
            _fail(state, item, _failure(item.rel, result, settings))
        done += 1
        if progress is not None:
            progress(done, total)
    store.put(batch)
    return len(todo), len(pending) - len(todo)


def _failure(rel: str, result: Diagnostic | Failed, settings: CollectSettings) -> Diagnostic:
    if isinstance(result, Diagnostic):
        return result
    if result.timed_out:
        message = f"analysis took longer than {settings.article_seconds:g} s; the file was skipped"
    else:
        message = f"internal error while processing this file ({result.reason}); please report it"
    return Diagnostic(Severity.ERROR, message, SourceLocation(rel))


def _settle(state: BuildState, item: _Pending, record: Record, diagnostics: tuple[Diagnostic, ...]) -> None:
    if record.date_inferred_from == "modified time":
        record = with_date(record, mtime_date(item.mtime))
    state.sources[item.rel] = SourceState(
        stat=item.stat, sha=item.sha, record=record, diagnostics=diagnostics
    )


def _fail(state: BuildState, item: _Pending, problem: Diagnostic) -> None:
    """A file that cannot be used now: its last good record stays, with a warning saying so."""
    previous = state.sources.get(item.rel)
    kept = previous.record if previous is not None else None
    diagnostics: tuple[Diagnostic, ...] = (problem,)
    if kept is not None:
        note = "its last good version stays on the site until it is fixed or deleted"
        diagnostics += (Diagnostic(Severity.WARNING, note, SourceLocation(item.rel)),)
    # stat and sha stay unknown, so the file is read again on the next build
    state.sources[item.rel] = SourceState(stat=(0, -1), sha="", record=kept, diagnostics=diagnostics)


def restrict_to(changed: Collection[Path], state: BuildState) -> None:
    """Forget the stats of `changed` files so the next collect reads them (the watcher's batch)."""
    for path in changed:
        for rel, entry in state.sources.items():
            if path.as_posix().endswith("/" + rel):
                entry.stat = (0, -1)
