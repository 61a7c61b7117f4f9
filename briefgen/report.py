"""Reporters: the build emits events; the CLI prints them, tests collect them, the server pushes them."""

from __future__ import annotations

import json
import sys
import time
from typing import IO, TYPE_CHECKING, Protocol

from briefgen.errors import Diagnostic, Severity

if TYPE_CHECKING:
    from briefgen.pipeline import BuildResult


class Reporter(Protocol):
    def progress(self, done: int, total: int) -> None: ...

    def diagnostic(self, diagnostic: Diagnostic) -> None: ...


class NullReporter:
    def progress(self, done: int, total: int) -> None:
        pass

    def diagnostic(self, diagnostic: Diagnostic) -> None:
        pass


class CollectingReporter:
    """Keeps every event, for tests and the preview server."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.progress_calls = 0

    def progress(self, done: int, total: int) -> None:
        self.progress_calls += 1

    def diagnostic(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)


def summary_line(result: BuildResult) -> str:
    warnings = sum(d.severity is Severity.WARNING for d in result.diagnostics)
    errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
    status = (
        "built"
        if result.ok
        else ("built with errors" if result.committed else "build failed, site/ unchanged")
    )
    held = result.held_back
    not_built = "".join(
        f"; {n} {what} not built"
        for n, what in ((held.drafts, "draft" + "s" * (held.drafts != 1)), (held.future, "dated after today"))
        if n
    )
    return (
        f"{status}: {result.briefings} briefings{not_built}; pages {len(result.written)} written, {result.unchanged} unchanged, "
        f"{len(result.removed)} removed; {warnings} warning{'s' * (warnings != 1)}, "
        f"{errors} error{'s' * (errors != 1)}; {result.seconds:.2f} s"
    )


class ConsoleReporter:
    """Diagnostics on stderr as they come; a progress bar on a terminal once a build runs past a second."""

    BAR_AFTER_S = 1.0

    def __init__(
        self,
        *,
        verbose: bool = False,
        quiet: bool = False,
        json_output: bool = False,
        stream: IO[str] | None = None,
        out: IO[str] | None = None,
    ) -> None:
        self.verbose = verbose
        self.quiet = quiet
        self.json_output = json_output
        self.stream = stream or sys.stderr
        self.out = out or sys.stdout
        self.started = time.monotonic()
        self.bar_shown = False
        self.is_tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def _shows(self, diagnostic: Diagnostic) -> bool:
        if diagnostic.severity is Severity.ERROR:
            return True
        if diagnostic.severity is Severity.WARNING:
            return not self.quiet
        return self.verbose

    def _clear_bar(self) -> None:
        if self.bar_shown:
            self.stream.write("\r\033[K")
            self.bar_shown = False

    def progress(self, done: int, total: int) -> None:
        if not self.is_tty or self.quiet or total <= 0:
            return
        if time.monotonic() - self.started < self.BAR_AFTER_S:
            return
        width = 30
        filled = width * done // total
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} articles")
        self.stream.flush()
        self.bar_shown = done < total
        if done >= total:
            self.stream.write("\r\033[K")

    def diagnostic(self, diagnostic: Diagnostic) -> None:
        if self._shows(diagnostic):
            self._clear_bar()
            self.stream.write(f"{diagnostic}\n")

    def finish(self, result: BuildResult) -> None:
        self._clear_bar()
        if self.json_output:
            self.out.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n")
        if not self.quiet or not result.ok:
            self.stream.write(summary_line(result) + "\n")
        self.stream.flush()
