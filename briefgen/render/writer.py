"""The one writer of site/: it guards paths, keeps unchanged files untouched and swaps whole trees.

A build first renders every file into memory. Only then does `commit` touch the disk, in one of two ways:
- `swap` (the CLI build): a staging tree is made beside site/ (unchanged files hard-linked, so they keep
  their inode and mtime), then renamed into place, so site/ is only ever the old tree or the new one;
- `in_place` (the preview server, which holds requests while it writes): only changed files are
  replaced, each atomically, and files that are no longer produced are removed.
When nothing differs, neither touches the disk.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import posixpath
import shutil
import threading
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen.cache import atomic_write
from briefgen.errors import OutputConflictError


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteResult:
    written: tuple[str, ...]  # new or changed files, site-relative
    unchanged: int
    removed: tuple[str, ...]


WRITE_THREADS = 4  # file creation is kernel CPU on a local disk: more threads than cores only contend


def safe_relative(rel: str) -> str:
    """Normalise a site-relative path; refuse anything that could land outside the output folder."""
    if not rel or "\\" in rel or "\0" in rel or rel.startswith("/"):
        raise OutputConflictError(f"refusing to write outside the site folder: {rel!r}")
    norm = posixpath.normpath(rel)
    if norm.startswith("..") or norm == "." or posixpath.isabs(norm):
        raise OutputConflictError(f"refusing to write outside the site folder: {rel!r}")
    return norm


class OutputSet:
    """The files one build produces, each claimed once."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.origins: dict[str, str] = {}
        self.verified: set[str] = set()  # files whose bytes were just read back from the output folder

    def add(self, rel: str, data: bytes, *, origin: str) -> None:
        rel = safe_relative(rel)
        if rel in self.files:
            raise OutputConflictError(f"{rel} would be written by both {self.origins[rel]} and {origin}")
        self.files[rel] = data
        self.origins[rel] = origin


def _existing_files(root: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    if not root.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not Path(dirpath, d).is_symlink()]
        for name in filenames:
            path = Path(dirpath, name)
            out[path.relative_to(root).as_posix()] = path
    return out


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def diff_outputs(
    output_dir: Path,
    files: Mapping[str, bytes],
    verified: Collection[str] = (),
    *,
    existing: Mapping[str, Path] | None = None,
    decided: Mapping[str, tuple[bytes, bool]] | None = None,
) -> tuple[list[str], list[str], list[str]]:
    """(changed or new, unchanged, no longer produced) site-relative paths.

    `verified` ones need no re-read; `decided` (rel -> (bytes, same)) holds comparisons already made,
    trusted for the very same bytes object; `existing`: `_existing_files(output_dir)` if walked already.
    """
    if existing is None:
        existing = _existing_files(output_dir)
    decided = decided or {}
    changed: list[str] = []
    same: list[str] = []
    for rel, data in files.items():
        known = decided.get(rel)
        if known is not None and known[0] is data:
            (same if known[1] else changed).append(rel)
        elif rel in existing and (rel in verified or _same_bytes(existing[rel], data)):
            same.append(rel)
        else:
            changed.append(rel)
    removed = sorted(set(existing) - set(files))
    return sorted(changed), same, removed


def commit(
    output_dir: Path,
    files: Mapping[str, bytes],
    *,
    in_place: bool = False,
    known: Mapping[str, bytes] | None = None,
    verified: Collection[str] = (),
    staging: Staging | None = None,
) -> WriteResult:
    """Make output_dir hold exactly `files`.

    `known` is what this process last committed there; when given (the preview server, which owns the
    folder while it runs), the diff is made in memory instead of by reading the tree back.
    """
    if known is not None and in_place and output_dir.is_dir():
        changed = sorted(rel for rel, data in files.items() if known.get(rel) != data)
        removed = sorted(set(known) - set(files))
        if changed or removed:
            _commit_in_place(output_dir, files, changed, removed)
        return WriteResult(
            written=tuple(changed), unchanged=len(files) - len(changed), removed=tuple(removed)
        )
    if staging is not None:
        staging.finish_placing()
        changed, same, removed = diff_outputs(
            output_dir, files, verified, existing=staging.existing(), decided=staging.placed
        )
    else:
        changed, same, removed = diff_outputs(output_dir, files, verified)
    if not changed and not removed and output_dir.is_dir():
        return WriteResult(written=(), unchanged=len(same), removed=())
    if in_place and output_dir.is_dir():
        _commit_in_place(output_dir, files, changed, removed)
    else:
        _commit_swap(output_dir, files, set(changed), staging)
    return WriteResult(written=tuple(changed), unchanged=len(same), removed=tuple(removed))


def _commit_in_place(
    output_dir: Path, files: Mapping[str, bytes], changed: list[str], removed: list[str]
) -> None:
    for rel in changed:
        target = output_dir / rel
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, files[rel])
    for rel in removed:
        (output_dir / rel).unlink(missing_ok=True)
    _prune_empty_parents(output_dir, removed)


def _prune_empty_parents(root: Path, removed: list[str]) -> None:
    """Remove folders that the removed files left empty, deepest first; never root itself."""
    parents: set[Path] = set()
    for rel in removed:
        parents.update((root / rel).parents)
    for path in sorted(
        (p for p in parents if p != root and p.is_relative_to(root)), key=lambda p: -len(p.parts)
    ):
        with contextlib.suppress(OSError):
            path.rmdir()  # only succeeds when empty


class Staging:
    """The tree a swap commit fills beside the output folder, filled while pages still render.

    The build places each page as soon as it is rendered, on write threads (thousands of mkdirs,
    writes and links are I/O the main process would otherwise wait for afterwards, while the render
    workers have the CPU). `place` decides, like `diff_outputs`, whether a file equals the one site/
    holds (to be hard-linked, keeping its inode and mtime) or is new. Nothing is made until a swap is
    certain (the first new or changed file, or a site built from nothing): a build that changes
    nothing makes and removes nothing. `commit` trusts the decisions for the same bytes and places
    what is left. `discard` removes the tree unless it was swapped in.
    """

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir
        self.path = output_dir.parent / f".{output_dir.name}.staging-{os.getpid()}"
        if self.path.exists():  # a crashed build of this pid left it
            shutil.rmtree(self.path, ignore_errors=True)
        self._made: set[str] = set()
        self._folders_lock = threading.Lock()
        self._all: tuple[str, ...] = ()  # every file the build will place (`prepare`)
        self._swap_certain = False
        self._existing: dict[str, Path] | None = None
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._pending: list[concurrent.futures.Future[None]] = []
        self.placed: dict[str, tuple[bytes, bool]] = {}  # rel -> (bytes, same as in site/)
        self.in_tree: dict[str, bytes] = {}  # rel -> the bytes now in the staging tree

    def existing(self) -> dict[str, Path]:
        """The files site/ holds now (walked once per build)."""
        if self._existing is None:
            self._existing = _existing_files(self.output_dir)
        return self._existing

    def make_folders(self, rels: Iterable[str]) -> None:
        folders = {posixpath.dirname(safe_relative(rel)) for rel in rels}
        with self._folders_lock:  # write threads call this too
            for folder in sorted(folders - self._made, key=len):  # parents first; one mkdir per folder
                (self.path / folder).mkdir(parents=True, exist_ok=True)
            self._made |= folders

    def prepare(self, rels: Iterable[str]) -> None:
        """Before placing: the files to come. A site built from nothing is a certain swap at once."""
        self._all = tuple(rels)
        if not self.existing():  # each write thread makes its file's folder: the mkdirs overlap too
            self._swap_certain = True

    def place(self, rel: str, data: bytes, *, verified: bool = False) -> None:
        """Place one file of the new tree, on a write thread; `verified`: known to equal site/'s copy."""
        rel = safe_relative(rel)
        old = self.existing().get(rel)
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=WRITE_THREADS)
        self._pending.append(self._pool.submit(self._put, rel, data, old, verified))

    def _put(self, rel: str, data: bytes, old: Path | None, verified: bool) -> None:
        same = old is not None and (verified or _same_bytes(old, data))
        self.placed[rel] = (data, same)
        if not same and not self._swap_certain:  # the first change: the tree will be swapped in
            self._swap_certain = True
            self.make_folders(self._all)
        if self._swap_certain:
            self.make_folders((rel,))
            _link_or_write(self.path / rel, data, old if same else None)
            self.in_tree[rel] = data

    def finish_placing(self) -> None:
        """Wait for every `place`; the first failure (a full disk, say) is raised."""
        pending, self._pending = self._pending, []
        try:
            for future in pending:
                future.result()
        finally:
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.finish_placing()
        shutil.rmtree(self.path, ignore_errors=True)
        self._made = set()
        self.placed = {}
        self.in_tree = {}


def _link_or_write(target: Path, data: bytes, same_file: Path | None) -> None:
    """Hard-link an unchanged file (it keeps its inode and mtime), else write the bytes."""
    if same_file is not None:
        try:
            os.link(same_file, target)
            return
        except OSError:
            pass
    try:  # a new inode always: an existing name may be a link into site/, never written through
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        target.unlink()
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _commit_swap(
    output_dir: Path, files: Mapping[str, bytes], changed: set[str], staging: Staging | None
) -> None:
    staging = staging or Staging(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    trash = output_dir.parent / f".{output_dir.name}.old-{os.getpid()}"
    if trash.exists():
        shutil.rmtree(trash)
    try:
        staging.finish_placing()
        in_tree = staging.in_tree
        rest = [rel for rel, data in files.items() if in_tree.get(rel) is not data]
        staging.make_folders(rest)

        def place(rel: str) -> None:
            _link_or_write(staging.path / rel, files[rel], None if rel in changed else output_dir / rel)

        # file creation is I/O-bound on many file systems: a few threads overlap the waits
        with concurrent.futures.ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
            for _ in pool.map(place, rest):
                pass
        if output_dir.exists():
            output_dir.rename(trash)
        staging.path.rename(output_dir)
    except BaseException:
        if not output_dir.exists() and trash.exists():
            trash.rename(output_dir)
        staging.discard()
        raise
    shutil.rmtree(trash, ignore_errors=True)
