"""Watch the site's sources and hand the rebuild loop one batch of changed paths per burst of events.

Folders are watched, never single files: editors save by writing a temporary file and renaming it onto
the original (vim, VS Code, JetBrains "safe write", gedit), which replaces the file's inode. A move counts
for both its source (gone) and its destination (new content). Editor swap, backup and lock files, the
output folder, the cache and version-control folders never trigger anything, so a build cannot wake its
own watcher. A burst of events becomes one batch once `quiet_s` passes without an event (or `max_wait_s`
after the first one, so a never-ending stream still rebuilds).
"""

from __future__ import annotations

import fnmatch
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

QUIET_S = 0.06
MAX_WAIT_S = 2.0
POLL_INTERVAL_S = 0.5

# Names editors and tools write next to the file being edited; never content.
IGNORED_NAMES = (
    "*.swp",
    "*.swx",
    "*.swo",
    ".*.sw?",
    "*~",
    ".#*",
    "#*#",
    "*.tmp",
    "*.temp",
    "*.bak",
    "*.bck",
    "*.kate-swp",
    "*.crswap",
    "*___jb_tmp___",
    "*___jb_old___",
    ".goutputstream-*",
    ".~lock.*#",
    ".DS_Store",
    "Thumbs.db",
    "4913",  # vim's probe file, to test whether it may write in the folder
)
IGNORED_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
)
RELEVANT_TYPES = frozenset({"created", "modified", "deleted", "moved", "closed"})
RELEVANT_EVENTS = (
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
)


def is_editor_file(name: str) -> bool:
    """True for swap, backup, lock and temporary files that editors write beside the real one."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in IGNORED_NAMES)


@dataclass(frozen=True, slots=True)
class WatchPlan:
    """What to watch: folders (recursively), single files (through their folder), and what to ignore."""

    trees: tuple[Path, ...]  # content/, templates/, static/ as absolute paths
    files: tuple[Path, ...]  # briefgen.yml
    ignored: tuple[Path, ...]  # output and cache folders: never a trigger, even inside a tree

    def is_relevant(self, path: Path) -> bool:
        """Would a change at `path` change the site?"""
        if any(path == d or path.is_relative_to(d) for d in self.ignored):
            return False
        if any(sibling_of_output(path, d) for d in self.ignored):
            return False
        if path in self.files:
            return True
        for tree in self.trees:
            if path == tree:
                return True
            if path.is_relative_to(tree):
                parts = path.relative_to(tree).parts
                return not is_editor_file(parts[-1]) and not IGNORED_DIRS.intersection(parts)
        return False


def sibling_of_output(path: Path, output: Path) -> bool:
    """Temporary build folders beside the output (`site.tmp-123/`, `site.old/`) and what is in them."""
    if not path.is_relative_to(output.parent) or path == output.parent:
        return False
    return path.relative_to(output.parent).parts[0].startswith(output.name + ".")


def event_paths(event: FileSystemEvent) -> tuple[Path, ...]:
    """The paths an event touches: both ends of a move, else its one path; none for a mere read."""
    if event.event_type not in RELEVANT_TYPES or (event.is_directory and event.event_type == "modified"):
        return ()  # opened, closed without writing, attributes, a folder's listing "modified"
    if event.dest_path:
        return (_as_path(event.src_path), _as_path(event.dest_path))
    return (_as_path(event.src_path),)


def _as_path(raw: str | bytes) -> Path:
    return Path(raw.decode(errors="surrogateescape") if isinstance(raw, bytes) else raw)


class ChangeBatcher(FileSystemEventHandler):
    """Collects relevant paths from the observer thread; `take()` returns them as one batch per burst."""

    def __init__(self, plan: WatchPlan, *, quiet_s: float = QUIET_S, max_wait_s: float = MAX_WAIT_S) -> None:
        super().__init__()
        self.plan = plan  # replaced as a whole when the config changes
        self.quiet_s = quiet_s
        self.max_wait_s = max_wait_s
        self._cond = threading.Condition()
        self._paths: set[Path] = set()
        self._first = 0.0
        self._last = 0.0
        self._closed = False

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [p for p in event_paths(event) if self.plan.is_relevant(p)]
        if paths:
            self.add(paths)

    def add(self, paths: Iterable[Path]) -> None:
        with self._cond:
            now = time.monotonic()
            if not self._paths:
                self._first = now
            self._paths.update(paths)
            self._last = now
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def pending(self) -> bool:
        with self._cond:
            return bool(self._paths)

    def take(self, timeout_s: float) -> frozenset[Path] | None:
        """The next batch once events have been quiet for `quiet_s`; None after `timeout_s` without one."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                if self._paths:
                    ready_at = min(self._last + self.quiet_s, self._first + self.max_wait_s)
                    if now >= ready_at:
                        batch = frozenset(self._paths)
                        self._paths.clear()
                        return batch
                    wait_s = min(ready_at, deadline) - now
                else:
                    wait_s = deadline - now
                if wait_s <= 0:
                    return None
                self._cond.wait(wait_s)
            return None


class Watcher:
    """A watchdog observer over a `WatchPlan`, feeding a `ChangeBatcher`.

    Folders that do not exist yet are picked up by `sync()` once they appear (their parent, the site
    root, is watched). When the native observer cannot start (inotify limits), it falls back to polling.
    """

    def __init__(self, plan: WatchPlan, *, poll: bool = False, quiet_s: float = QUIET_S) -> None:
        self.batcher = ChangeBatcher(plan, quiet_s=quiet_s)
        self.poll = poll
        self.observer = self._new_observer()
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self.warnings: list[str] = []

    def _new_observer(self) -> BaseObserver:
        if self.poll:
            return PollingObserver(timeout=POLL_INTERVAL_S)
        return Observer()

    @property
    def plan(self) -> WatchPlan:
        return self.batcher.plan

    def start(self) -> None:
        self.sync()
        try:
            self.observer.start()
        except OSError as exc:  # e.g. ENOSPC: inotify watch limit reached
            if self.poll:
                raise
            self.warnings.append(
                f"cannot watch files with events ({exc.strerror}); polling instead "
                "(raise fs.inotify.max_user_watches to avoid this)"
            )
            self.poll = True
            self.observer = self._new_observer()
            self._watches.clear()
            self.sync()
            self.observer.start()

    def stop(self) -> None:
        self.batcher.close()
        self.observer.stop()
        if self.observer.is_alive():
            self.observer.join(timeout=2.0)

    def replan(self, plan: WatchPlan) -> None:
        self.batcher.plan = plan
        self.sync()

    def _wanted(self) -> dict[tuple[Path, bool], Path]:
        plan = self.plan
        wanted: dict[tuple[Path, bool], Path] = {}
        for tree in plan.trees:
            wanted[(tree, True)] = tree
            wanted.setdefault((tree.parent, False), tree.parent)  # sees the tree itself appear or go
        for file in plan.files:
            wanted.setdefault((file.parent, False), file.parent)
        return wanted

    def sync(self, changed: Iterable[Path] = ()) -> None:
        """Watch every planned folder that exists; re-watch folders that were removed or replaced."""
        changed_set = set(changed)
        wanted = self._wanted()
        for key, watch in list(self._watches.items()):
            if key not in wanted or key[0] in changed_set or not key[0].is_dir():
                self._unschedule(watch)
                del self._watches[key]
        for key, folder in wanted.items():
            if key in self._watches or not folder.is_dir():
                continue
            try:
                self._watches[key] = self.observer.schedule(
                    self.batcher, str(folder), recursive=key[1], event_filter=list(RELEVANT_EVENTS)
                )
            except OSError as exc:
                self.warnings.append(f"cannot watch {folder}: {exc.strerror}")

    def _unschedule(self, watch: ObservedWatch) -> None:
        try:
            self.observer.unschedule(watch)
        except (KeyError, OSError):
            pass


def run_loop(
    watcher: Watcher,
    rebuild: Callable[[frozenset[Path]], None],
    *,
    stop: threading.Event,
    tick_s: float = 0.25,
) -> None:
    """Rebuild once per batch until `stop` is set; a rebuild that raises is reported and the loop goes on.

    Events that arrive during a rebuild are kept and become the next batch: never dropped, never two
    builds at once.
    """
    while not stop.is_set():
        batch = watcher.batcher.take(tick_s)
        if batch is None:
            continue
        watcher.sync(batch)
        try:
            rebuild(batch)
        except Exception as exc:  # a rebuild must never stop the watcher
            sys.stderr.write(f"briefgen: internal error while rebuilding: {exc!r}\n")
