"""Stage 1: find content files and read them (the only stage that touches content/)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from briefgen.errors import Diagnostic, Severity, SourceError, SourceLocation
from briefgen.model import Source, SourceKind
from briefgen.sources.frontmatter import split_front_matter

KINDS: dict[str, SourceKind] = {".md": "markdown", ".markdown": "markdown", ".txt": "text"}
_EDITOR_LITTER = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".orig")


def is_content_file(path: Path) -> bool:
    """True for an article file; false for hidden files and editors' swap, backup and lock files."""
    return _is_content_name(path.name)


def _is_content_name(name: str) -> bool:
    if name.startswith((".", "#", "~")) or name.endswith(_EDITOR_LITTER) or name == "4913":
        return False
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in KINDS


def discover_sources(content_dir: Path) -> list[Path]:
    """Every article under content_dir, in a stable order; hidden folders are skipped.

    Walked with os.scandir: the preview server calls this on every rebuild, on sites of 10,000 files.
    """
    found: list[str] = []
    pending = [content_dir.as_posix()]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):  # like rglob: symlinked folders are not walked
                if not entry.name.startswith("."):
                    pending.append(f"{folder}/{entry.name}")
            elif _is_content_name(entry.name) and entry.is_file(follow_symlinks=True):
                found.append(f"{folder}/{entry.name}")
    return [Path(p) for p in sorted(found)]


def decode(data: bytes, location: SourceLocation) -> tuple[str, Diagnostic | None]:
    """UTF-8 (a BOM is dropped), else cp1252 with a warning, else a SourceError naming the first bad byte."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise SourceError(
            f"cannot decode the file: byte 0x{data[utf8_error.start]:02x} is neither UTF-8 nor cp1252; "
            "save it as UTF-8",
            SourceLocation(location.path, line),
        ) from None
    line = data[: utf8_error.start].count(b"\n") + 1
    warning = Diagnostic(
        Severity.WARNING,
        "not valid UTF-8; read as Windows-1252 (cp1252): save it as UTF-8 to be sure",
        SourceLocation(location.path, line),
    )
    return text.removeprefix("\ufeff"), warning


def read_source(path: Path, root: Path) -> tuple[Source, tuple[Diagnostic, ...]]:
    """Read one article; raise SourceError when it cannot be used at all."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    data, mtime = read_file(path, rel)
    return parse_source(data, rel=rel, kind=KINDS[path.suffix.lower()], mtime=mtime)


def read_file(path: Path, rel: str) -> tuple[bytes, float]:
    """A content file's bytes and mtime; SourceError naming it when it cannot be read."""
    try:
        return path.read_bytes(), path.stat().st_mtime
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror}", SourceLocation(rel)) from None


TEXT_PATH = "<text>.txt"  # the name an article given as text (not a file) is read under


def text_file(text: str, title: str | None) -> bytes:
    """The bytes of a .txt article with `title` in its front matter (unless the text has its own)."""
    if title and not text.startswith("---\n"):
        text = f"---\ntitle: {json.dumps(title)}\n---\n{text}"
    return text.encode()


def parse_source(
    data: bytes, *, rel: str, kind: SourceKind, mtime: float
) -> tuple[Source, tuple[Diagnostic, ...]]:
    """Decode a file's bytes and split off its front matter."""
    location = SourceLocation(rel)
    text, warning = decode(data, location)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front, front_line, body, body_line, key_lines = split_front_matter(text, location)
    source = Source(
        rel_path=rel,
        kind=kind,
        body=body,
        body_line=body_line,
        front=front,
        front_line=front_line,
        front_key_lines=key_lines,
        digest=hashlib.sha256(data).hexdigest(),
        mtime=mtime,
    )
    return source, (warning,) if warning else ()
