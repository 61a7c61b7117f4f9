"""Errors briefgen raises on purpose, and the one message shape for every problem.

BriefgenError
├── ConfigError          briefgen.yml is missing, unreadable or invalid (exit code 2)
│   └── ContentFolderError   the content folder is missing: building would empty the site
├── SourceError          one content file cannot be used (has .location)
│   └── TemplateError    a template fails to compile or render (location is the template)
├── OutputConflictError  two sources want the same output path
├── OutputFolderError    the output folder holds files briefgen did not write (exit code 2)
├── OutputWriteError     the output folder cannot be written (a full disk): the old site stays
└── InputLineError       a JSON-lines command got a malformed line

The CLI prints these without a traceback, as `path:line:col: severity: message`. Paths and messages are
shown with control characters escaped (`\\n`, `\\x1b`) and undecodable file-name bytes as `\\xNN`: a file
name may hold anything but `/` and NUL, and a terminal must not act on it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

# C0 and C1 controls, DEL, surrogates (undecodable bytes in file names), bidi overrides and the line
# separators: none may reach a terminal or a one-line message as it is.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if char == "\r":
        return "\\r"
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def shown(text: str) -> str:
    """`text` safe to print on one line: control characters and file-name bytes escaped."""
    return _UNSHOWABLE.sub(_escape, text)


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class SourceLocation:
    path: str  # POSIX, relative to the site root, so messages stay short and portable
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return ":".join(str(p) for p in (shown(self.path), self.line, self.column) if p is not None)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    message: str
    location: SourceLocation | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}: {shown(self.message)}"

    def to_json(self) -> dict[str, object]:
        loc = self.location
        return {
            "severity": str(self.severity),
            "message": shown(self.message),
            "path": shown(loc.path) if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
        }


class BriefgenError(Exception):
    """Base of every error briefgen raises on purpose."""


class ConfigError(BriefgenError):
    """`lines` (when given) holds the config file's line of each problem, or None where it has none."""

    def __init__(self, path: object, problems: Sequence[str], lines: Sequence[int | None] = ()) -> None:
        self.path = str(path)
        self.problems = list(problems)
        self.lines = list(lines) + [None] * (len(self.problems) - len(lines))
        super().__init__(
            "\n".join(
                f"{shown(self.path)}{'' if line is None else f':{line}'}: error: {shown(p)}"
                for p, line in zip(self.problems, self.lines, strict=True)
            )
        )


class ContentFolderError(ConfigError):
    """The content folder is missing or not a folder: a build would delete every page, so none runs."""


class SourceError(BriefgenError):
    def __init__(self, message: str, location: SourceLocation) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: error: {shown(message)}")

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(Severity.ERROR, self.message, self.location)


class TemplateError(SourceError):
    pass


class OutputConflictError(BriefgenError):
    pass


class OutputFolderError(BriefgenError):
    pass


class OutputWriteError(BriefgenError):
    """Writing the output folder failed (`no space left writing PATH`): the build is discarded."""


class InputLineError(BriefgenError):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")
