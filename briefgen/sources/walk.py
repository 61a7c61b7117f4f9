"""The one way briefgen lists the files of a folder it reads (content/, templates/, static/).

A folder a user points briefgen at may hold things that must never reach a site: a symlink to
`/proc/self/environ` or `~/.ssh`, a loop of links, a FIFO whose `open()` blocks forever, a device. The
walk follows a symlink only when its target stays inside the folder, visits each real folder once,
lists regular files only, and reports everything it leaves out. Hidden entries (`.git`, `.DS_Store`)
are skipped silently. The order is stable: sorted by name, depth first.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import Diagnostic, Severity, SourceLocation

_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Walked:
    """The regular files found under a folder, and what was left out on the way."""

    files: tuple[Path, ...]  # as reached: a followed symlink is listed under its own name
    diagnostics: tuple[Diagnostic, ...]


def is_inside(path: str, root: str) -> bool:
    """Is the real path `path` the real folder `root` or under it?"""
    return path == root or path.startswith(root.rstrip("/") + "/")


def _link_text(path: str) -> str:
    try:
        return str(Path(path).readlink())
    except OSError:
        return "?"


def _kind_of(mode: int) -> str:
    for test, name in _SPECIAL_KINDS:
        if test(mode):
            return name
    return "not a regular file"


class _Walk:
    def __init__(self, root: Path, shown_root: Path | None) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.shown_root = shown_root
        self.files: list[Path] = []
        self.diagnostics: list[Diagnostic] = []
        self.seen_folders: set[tuple[int, int]] = set()

    def shown(self, path: str) -> str:
        """A path as messages show it: relative to the site root when possible."""
        if self.shown_root is not None:
            base = self.shown_root.as_posix().rstrip("/") + "/"
            if path.startswith(base):
                return path[len(base) :]
        return path

    def report(self, severity: Severity, path: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(severity, message, SourceLocation(self.shown(path))))

    def run(self) -> None:
        try:
            top = self.root.stat()
        except OSError as exc:
            self.report(Severity.ERROR, self.root.as_posix(), f"cannot read the folder: {exc.strerror}")
            return
        self.seen_folders.add((top.st_dev, top.st_ino))
        self.folder(self.root.as_posix(), ancestors=(self.real_root,))

    def folder(self, path: str, ancestors: tuple[str, ...]) -> None:
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.report(
                Severity.ERROR, path, f"cannot read the folder: {exc.strerror}; its files are left out"
            )
            return
        for entry in entries:
            if not entry.name.startswith("."):
                self.entry(entry, ancestors)

    def entry(self, entry: os.DirEntry[str], ancestors: tuple[str, ...]) -> None:
        path = entry.path
        try:
            is_link = entry.is_symlink()
        except OSError:
            is_link = False
        if is_link and not self.link_allowed(path, ancestors):
            return
        try:
            info = Path(path).stat()  # follows an allowed link
        except OSError as exc:
            if exc.errno == errno.ENOENT:  # deleted since the listing: it is simply not there
                return
            self.report(Severity.ERROR, path, f"cannot read it: {exc.strerror}")
            return
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            real = os.path.realpath(path)
            if key in self.seen_folders:
                if real in ancestors:
                    self.report(
                        Severity.WARNING, path, f"symlink loop (back to {self.shown(real)!r}); not followed"
                    )
                else:
                    self.report(
                        Severity.WARNING,
                        path,
                        f"the folder {self.shown(real)!r} is read once, not again here",
                    )
                return
            self.seen_folders.add(key)
            self.folder(path, (*ancestors, real))
        elif stat.S_ISREG(info.st_mode):
            self.files.append(Path(path))
        else:
            self.report(Severity.WARNING, path, f"{_kind_of(info.st_mode)}, not a file; skipped")

    def link_allowed(self, path: str, ancestors: tuple[str, ...]) -> bool:
        """A symlink is followed only to a target inside the walked folder; loops and dangling links are reported."""
        try:
            Path(path).stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.report(Severity.WARNING, path, "symlink loop; not followed")
            elif exc.errno == errno.ENOENT:
                self.report(Severity.WARNING, path, f"broken symlink (to {_link_text(path)!r}); skipped")
            else:
                self.report(Severity.ERROR, path, f"cannot follow the symlink: {exc.strerror}")
            return False
        real = os.path.realpath(path)
        if not is_inside(real, self.real_root):
            self.report(
                Severity.WARNING,
                path,
                f"symlink to {_link_text(path)!r}, outside {self.shown(self.root.as_posix())}/; not followed",
            )
            return False
        return True


def walk_inside(root: Path, *, shown_root: Path | None = None) -> Walked:
    """Every regular file under `root`, following only symlinks whose targets stay inside `root`.

    Messages name paths relative to `shown_root` (the site root) when given. A missing or unreadable
    `root` is one error diagnostic; callers that need the folder check that it exists first.
    """
    walk = _Walk(root, shown_root)
    walk.run()
    return Walked(files=tuple(walk.files), diagnostics=tuple(walk.diagnostics))
