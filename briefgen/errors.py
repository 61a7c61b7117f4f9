"""Errors briefgen raises on purpose, and the one message shape for every problem.

BriefgenError
├── ConfigError          briefgen.yml is missing, unreadable or invalid (exit code 2)
├── SourceError          one content file cannot be used (has .location)
│   └── TemplateError    a template fails to compile or render (location is the template)
├── OutputConflictError  two sources want the same output path
├── OutputFolderError    the output folder holds files briefgen did not write (exit code 2)
└── InputLineError       a JSON-lines command got a malformed line

The CLI prints these without a traceback, as `path:line:col: severity: message`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


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
        return ":".join(str(p) for p in (self.path, self.line, self.column) if p is not None)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    message: str
    location: SourceLocation | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}: {self.message}"

    def to_json(self) -> dict[str, object]:
        loc = self.location
        return {
            "severity": str(self.severity),
            "message": self.message,
            "path": str(loc.path) if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
        }


class BriefgenError(Exception):
    """Base of every error briefgen raises on purpose."""


class ConfigError(BriefgenError):
    def __init__(self, path: object, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(f"{self.path}: error: {p}" for p in problems))


class SourceError(BriefgenError):
    def __init__(self, message: str, location: SourceLocation) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: error: {message}")

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(Severity.ERROR, self.message, self.location)


class TemplateError(SourceError):
    pass


class OutputConflictError(BriefgenError):
    pass


class OutputFolderError(BriefgenError):
    pass


class InputLineError(BriefgenError):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")
