"""The one writer of the output folder: it keeps a record of what briefgen wrote, and touches nothing else.

- The record (`.briefgen-files` in the output folder: every file briefgen wrote there, with its size
  and mtime) travels with the folder. A folder that holds files but no record was not made by
  briefgen and is refused unless forced; files briefgen did not write (a `CNAME`, `.well-known/`,
  `.nojekyll`) are never removed, in a build or in `clean`.
- New and changed files are first written to a staging tree beside the folder. Only when the whole
  build has succeeded are they moved into place, one atomic rename each: at every instant each path
  holds either its old bytes or its new ones, and the folder itself never disappears. A build that
  fails discards the staging tree and leaves every byte as it was. A staging tree left by a killed
  build is removed by the next one.
- Unchanged files are not touched: same inode, same mtime.
"""

from __future__ import annotations

import contextlib
import errno
import os
import posixpath
import shutil
import stat
from collections.abc import Collection, Iterable
from pathlib import Path

import msgspec

from briefgen.atomicfile import atomic_write
from briefgen.errors import OutputConflictError, OutputFolderError, OutputWriteError, shown
from briefgen.model.stages import WriteResult

RECORD_NAME = ".briefgen-files"
_RECORD_VERSION = 1
_record_json = msgspec.json.Encoder()  # the JSON json.dumps(separators=(",", ":")) writes, faster


def safe_relative(rel: str) -> str:
    """Normalise a site-relative path; refuse anything that could land outside the output folder."""
    if not rel or "\\" in rel or "\0" in rel or rel.startswith("/"):
        raise OutputConflictError(f"refusing to write outside the site folder: {rel!r}")
    norm = posixpath.normpath(rel)
    if norm.startswith("..") or norm == "." or posixpath.isabs(norm) or norm == RECORD_NAME:
        raise OutputConflictError(f"refusing to write outside the site folder: {rel!r}")
    return norm


def write_failure(path: Path | str, exc: OSError) -> OutputWriteError:
    """A write that failed for a reason the user can act on (a full disk, a read-only folder), named
    with the output file it was for, never as a traceback."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        what = "no space left" if exc.errno == errno.ENOSPC else "disk quota exceeded"
        return OutputWriteError(f"{what} writing {shown(str(path))}")
    return OutputWriteError(f"cannot write {shown(str(path))}: {exc.strerror or exc}")


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (a staging or scratch folder of a dead one is left over)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _RecordFile(msgspec.Struct):
    version: int
    files: dict[str, tuple[int, int]]


def read_record(folder: Path) -> dict[str, tuple[int, int]] | None:
    """rel -> (size, mtime_ns) of what briefgen wrote, or None when the folder has no record."""
    try:
        found = msgspec.json.decode((folder / RECORD_NAME).read_bytes(), type=_RecordFile)
    except (OSError, msgspec.DecodeError):
        return None
    return found.files if found.version == _RECORD_VERSION else None


def all_intact(folder: Path, record: dict[str, tuple[int, int]]) -> bool:
    """Every recorded file is there as briefgen left it."""
    root = folder.as_posix().rstrip("/") + "/"
    for rel, known in record.items():
        try:
            st = os.stat(root + rel)  # noqa: PTH116  (str paths: every output file, every build)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != known:
            return False
    return True


def _has_files(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except (FileNotFoundError, NotADirectoryError):
        return False


class OutputFolder:
    """One build's view of the output folder: what is there, what will change, and the commit."""

    def __init__(self, path: Path, *, force: bool = False) -> None:
        self.path = path
        record = read_record(path)
        if record is None and _has_files(path) and not force:
            raise OutputFolderError(
                f"{path} is not empty and briefgen did not make it (it has no {RECORD_NAME}); "
                "briefgen would replace files in it. Choose another output folder, empty this one, "
                "or build with --force to write into it (briefgen then never deletes files it did not write)"
            )
        self.record: dict[str, tuple[int, int]] = record or {}
        self._root = path.as_posix().rstrip("/") + "/"  # str paths: a stat per page, every build
        self.staging = path.parent / f".{path.name}.staging-{os.getpid()}"
        self.staged: set[str] = set()
        self._made: set[str] = set()
        self.remove_leftovers()

    def remove_leftovers(self) -> None:
        """Staging trees of builds that were killed (their process is gone)."""
        prefix = f".{self.path.name}.staging-"
        with contextlib.suppress(OSError), os.scandir(self.path.parent) as entries:
            for entry in entries:
                if entry.name.startswith(prefix):
                    pid = entry.name.removeprefix(prefix)
                    if not pid.isdigit() or int(pid) == os.getpid() or not pid_alive(int(pid)):
                        shutil.rmtree(entry.path, ignore_errors=True)

    def intact(self, rel: str) -> bool:
        """The file is as briefgen last left it (a file edited by hand is written again)."""
        known = self.record.get(rel)
        if known is None:
            return False
        try:
            st = os.stat(self._root + rel)  # noqa: PTH116  (a Path per page cost more than the stat)
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == known

    def stage(self, rel: str, data: bytes) -> bool:
        """Queue `data` for `rel`; False when the folder already holds exactly these bytes."""
        rel = safe_relative(rel)
        if self._same(rel, data):
            return False
        target = self.staging / rel
        folder = posixpath.dirname(rel)
        try:
            if folder not in self._made:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(folder)
            target.write_bytes(data)
        except OSError as exc:
            raise write_failure(self.path / rel, exc) from None
        self.staged.add(rel)
        return True

    def _same(self, rel: str, data: bytes) -> bool:
        path = self._root + rel
        try:
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode) or st.st_size != len(data):
                return False
            with open(path, "rb") as handle:  # noqa: PTH123
                return handle.read() == data
        except OSError:
            return False

    def commit(self, produced: Collection[str]) -> WriteResult:
        """Move the staged files into place and remove what briefgen wrote before but no longer makes.

        A write that fails (a full disk) is an OutputWriteError; each path then holds its old bytes or
        its new ones, and the record lists every file that may be new, so the next build redoes them.
        """
        try:
            return self._commit(produced)
        except OSError as exc:
            raise write_failure(self.path, exc) from None

    def _commit(self, produced: Collection[str]) -> WriteResult:
        produced_set = set(produced)
        removed = sorted(rel for rel in self.record if rel not in produced_set)
        self.path.mkdir(parents=True, exist_ok=True)
        # the record lists everything that may be ours before any file moves: a kill mid-way leaves
        # nothing of ours unrecorded (nothing to add when every staged file is recorded already)
        if not self.staged <= self.record.keys():
            self._write_record({**self.record, **dict.fromkeys(self.staged, (0, 0))})
        written = sorted(self.staged)
        for rel in written:
            target = self.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            (self.staging / rel).replace(target)
        for rel in removed:
            with contextlib.suppress(FileNotFoundError):
                (self.path / rel).unlink()
        _prune_empty_parents(self.path, removed)
        record = {
            rel: self.record[rel] for rel in produced_set if rel in self.record and rel not in self.staged
        }
        for rel in written:
            st = os.stat(self._root + rel)  # noqa: PTH116
            record[rel] = (st.st_size, st.st_mtime_ns)
        for rel in produced_set - record.keys():  # produced, unchanged, but not recorded yet (--force)
            with contextlib.suppress(OSError):
                st = (self.path / rel).stat()
                record[rel] = (st.st_size, st.st_mtime_ns)
        self._write_record(record)
        self.record = record
        self.discard()
        return WriteResult(
            written=tuple(written), unchanged=len(produced_set) - len(written), removed=tuple(removed)
        )

    def _write_record(self, record: dict[str, tuple[int, int]]) -> None:
        data = {"version": _RECORD_VERSION, "files": dict(sorted(record.items()))}
        atomic_write(self.path / RECORD_NAME, _record_json.encode(data))

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staged = set()
        self._made = set()


def _prune_empty_parents(root: Path, removed: Iterable[str]) -> None:
    """Remove folders that the removed files left empty, deepest first; never root itself."""
    parents: set[Path] = set()
    for rel in removed:
        parents.update((root / rel).parents)
    for path in sorted(
        (p for p in parents if p != root and p.is_relative_to(root)), key=lambda p: -len(p.parts)
    ):
        with contextlib.suppress(OSError):
            path.rmdir()  # only succeeds when empty


def clean_output(path: Path) -> list[str]:
    """Remove every file briefgen recorded writing, and the record; return what was removed."""
    record = read_record(path)
    if record is None:
        return []
    removed = []
    for rel in sorted(record):
        with contextlib.suppress(OSError):
            (path / safe_relative(rel)).unlink()
            removed.append(rel)
    (path / RECORD_NAME).unlink(missing_ok=True)
    _prune_empty_parents(path, [*record, RECORD_NAME])
    with contextlib.suppress(OSError):
        path.rmdir()
    return removed
