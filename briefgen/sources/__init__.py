"""Stage 1: find content files and read them (the only stage that touches content/)."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from pathlib import Path

from briefgen.errors import ContentFolderError, Diagnostic, Severity, SourceError, SourceLocation
from briefgen.model import Source, SourceKind
from briefgen.sources.frontmatter import split_front_matter
from briefgen.sources.mojibake import repair_mojibake
from briefgen.sources.walk import is_inside, walk_inside

MAX_ARTICLE_BYTES = 2_000_000  # limits.max_article_bytes's default

KINDS: dict[str, SourceKind] = {".md": "markdown", ".markdown": "markdown", ".txt": "text"}
_EDITOR_LITTER = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".orig")
_NOT_READ = (".html", ".htm")


def is_content_file(path: Path) -> bool:
    """True for an article file; false for hidden files and editors' swap, backup and lock files."""
    return _is_content_name(path.name)


def _is_content_name(name: str) -> bool:
    if name.startswith((".", "#", "~")) or name.endswith(_EDITOR_LITTER) or name == "4913":
        return False
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in KINDS


def discover_articles(content_dir: Path, *, root: Path | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """Every article under content_dir in a stable order, and what the walk left out or could not read.

    Raises ContentFolderError when content_dir is not a folder: building from nothing would delete every
    page of the site. `.html` files are reported as not read (articles are .md or .txt).
    """
    if not content_dir.is_dir():
        shown = (
            content_dir.relative_to(root)
            if root is not None and content_dir.is_relative_to(root)
            else content_dir
        )
        raise ContentFolderError(
            shown.as_posix(),
            ["the content folder does not exist; nothing was built and the site is unchanged"],
        )
    walked = walk_inside(content_dir, shown_root=root)
    found: list[Path] = []
    diagnostics = list(walked.diagnostics)
    for path in walked.files:
        if _is_content_name(path.name) and not _is_utf8_name(path):
            diagnostics.append(
                Diagnostic(
                    Severity.ERROR,
                    "the file name is not valid UTF-8, so no page can be named after it: rename the file",
                    SourceLocation(_shown_path(path, root)),
                )
            )
        elif _is_content_name(path.name):
            found.append(path)
        elif path.suffix.lower() in _NOT_READ:
            shown_path = (
                path.relative_to(root).as_posix()
                if root is not None and path.is_relative_to(root)
                else path.as_posix()
            )
            diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    f"{path.suffix} files are not read: articles are .md or .txt files",
                    SourceLocation(shown_path),
                )
            )
    return sorted(found), diagnostics


def _shown_path(path: Path, root: Path | None) -> str:
    return (
        path.relative_to(root).as_posix()
        if root is not None and path.is_relative_to(root)
        else path.as_posix()
    )


def _is_utf8_name(path: Path) -> bool:
    """False for a name with bytes that are not UTF-8 (Python holds them as lone surrogates)."""
    try:
        path.as_posix().encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def discover_sources(content_dir: Path) -> list[Path]:
    """Every article under content_dir, in a stable order (`discover_articles` without its diagnostics)."""
    return discover_articles(content_dir)[0]


_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_MAGIC = (  # files that are not text at all, by their first bytes
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word or OpenDocument file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
)
# C0 controls but tab and line ends, DEL, C1 controls, and the non-characters U+FFFE and U+FFFF: never
# text a reader should see, and a NUL or ESC in a page is at best noise. Form feeds and vertical tabs
# (page breaks in text pasted from PDFs) become line ends.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n"})
_ODD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")  # _CONTROL or _BREAKS


def _undecodable(data: bytes, codec: str, exc: UnicodeDecodeError, location: SourceLocation) -> SourceError:
    line = data[: exc.start].decode(codec, "replace").count("\n") + 1
    return SourceError(
        f"cannot decode the file as {codec.upper()} (it starts with that byte-order mark): "
        f"bad bytes at offset {exc.start}; save it as UTF-8",
        SourceLocation(location.path, line),
    )


def decode(data: bytes, location: SourceLocation) -> tuple[str, Diagnostic | None]:
    """Text from bytes: a BOM names the encoding (UTF-8, -16 or -32); without one UTF-8, else cp1252 with
    a warning, else a SourceError naming the first bad byte. Binary files are SourceErrors."""
    for bom, codec, _ in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), None
            except UnicodeDecodeError as exc:
                raise _undecodable(data[len(bom) :], codec, exc, location) from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise SourceError(f"this is {what}, not text; skipped", SourceLocation(location.path, 1))
    head = data[:8192]
    if head.count(0) * 10 > len(head):
        raise SourceError(
            "this looks like a binary file (or UTF-16 without a byte-order mark), not text: "
            "save it as UTF-8; skipped",
            SourceLocation(location.path, 1),
        )
    try:
        return data.decode("utf-8"), None
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
    return text, warning


def strip_controls(text: str, location: SourceLocation) -> tuple[str, Diagnostic | None]:
    """Text without control characters (see `_CONTROL`), and a warning naming the first one's line."""
    if _ODD.search(text) is None:  # nearly every file: one scan in C
        return text, None
    text = text.translate(_BREAKS)
    first = _CONTROL.search(text)
    if first is None:
        return text, None
    found = sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(text)})
    count = len(_CONTROL.findall(text))
    line = text.count("\n", 0, first.start()) + 1
    shown = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
    warning = Diagnostic(
        Severity.WARNING,
        f"removed {count} control character{'s' * (count != 1)} ({shown}) that cannot be shown in a page",
        SourceLocation(location.path, line),
    )
    return _CONTROL.sub("", text), warning


def repaired_text(text: str, location: SourceLocation) -> tuple[str, Diagnostic | None]:
    """Text with its mojibake repaired (ftfy), and a warning naming the first repaired line."""
    repair = repair_mojibake(text)
    if repair is None:
        return text, None
    count = len(repair.lines)
    before, after = repair.example
    misread = f"as {repair.misread_as}" if repair.misread_as else "with the wrong encoding"
    warning = Diagnostic(
        Severity.WARNING,
        f"repaired mojibake on {count} line{'s' * (count != 1)} (UTF-8 text once read {misread}): "
        f"{before!r} -> {after!r}; the pages show the repaired text",
        SourceLocation(location.path, repair.lines[0] + 1),
    )
    return repair.text, warning


def read_source(path: Path, root: Path) -> tuple[Source, tuple[Diagnostic, ...]]:
    """Read one article; raise SourceError when it cannot be used at all."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    data, mtime = read_file(path, rel)
    return parse_source(data, rel=rel, kind=KINDS[path.suffix.lower()], mtime=mtime)


def read_file(
    path: Path, rel: str, *, max_bytes: int = MAX_ARTICLE_BYTES, inside: Path | None = None
) -> tuple[bytes, float]:
    """A content file's bytes and mtime; SourceError naming it when it cannot (or must not) be read.

    Never blocks (a FIFO put in place after discovery), never reads more than `max_bytes` + 1 bytes, and,
    given `inside`, refuses a file whose real path left that folder since it was listed.
    """
    location = SourceLocation(rel)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror}", location) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError("not a regular file; skipped", location)
        if inside is not None and not _opened_inside(fd, path, inside):
            raise SourceError(
                f"the file is no longer inside {inside.name}/ (a symlink changed); skipped", location
            )
        if info.st_size > max_bytes:
            raise SourceError(_too_large(info.st_size, max_bytes), location)
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:  # it grew since fstat
            raise SourceError(_too_large(len(data), max_bytes), location)
        return data, info.st_mtime
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror}", location) from None
    finally:
        os.close(fd)


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"the file is {size:,} bytes, larger than limits.max_article_bytes ({max_bytes:,}); skipped "
        "(split it, or raise the limit in briefgen.yml)"
    )


def _opened_inside(fd: int, path: Path, inside: Path) -> bool:
    """Is the file open on `fd` inside the folder `inside`? (Linux names it in /proc/self/fd.)"""
    real_root = os.path.realpath(inside)
    try:
        real = str(Path(f"/proc/self/fd/{fd}").readlink())
    except OSError:
        real = os.path.realpath(path)
    return is_inside(real, real_root)


def parse_source(
    data: bytes, *, rel: str, kind: SourceKind, mtime: float
) -> tuple[Source, tuple[Diagnostic, ...]]:
    """Decode a file's bytes, drop control characters and split off its front matter."""
    location = SourceLocation(rel)
    text, warning = decode(data, location)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, repaired = repaired_text(text, location)
    text, stripped = strip_controls(text, location)
    front = split_front_matter(text, location)
    source = Source(
        rel_path=rel,
        kind=kind,
        body=front.body,
        body_line=front.body_line,
        front=front.data,
        front_line=front.line,
        front_key_lines=front.key_lines,
        digest=hashlib.sha256(data).hexdigest(),
        mtime=mtime,
    )
    problems = tuple(d for d in (warning, repaired, stripped) if d is not None) + front.diagnostics
    return source, problems
