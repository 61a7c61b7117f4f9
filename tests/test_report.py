"""The console reporter: a progress bar only on a terminal and only for builds past a second."""

from __future__ import annotations

import io
import os
import pty

from briefgen.errors import Diagnostic, Severity, SourceLocation
from briefgen.report import ConsoleReporter


def test_no_bar_when_output_is_not_a_terminal() -> None:
    stream = io.StringIO()
    reporter = ConsoleReporter(stream=stream)
    reporter.BAR_AFTER_S = 0.0
    for done in range(1, 11):
        reporter.progress(done, 10)
    assert stream.getvalue() == ""


def _terminal_reporter(after_s: float) -> tuple[ConsoleReporter, int, io.TextIOWrapper]:
    primary, secondary = pty.openpty()  # a real terminal device
    stream = os.fdopen(secondary, "w", encoding="utf-8")
    reporter = ConsoleReporter(stream=stream)
    reporter.BAR_AFTER_S = after_s
    return reporter, primary, stream


def _read(fd: int) -> str:
    os.set_blocking(fd, False)
    try:
        return os.read(fd, 65536).decode()
    except BlockingIOError:
        return ""


def test_bar_on_a_terminal_once_the_build_runs_past_the_threshold() -> None:
    reporter, primary, stream = _terminal_reporter(after_s=0.0)
    reporter.progress(5, 10)
    stream.flush()
    assert "5/10 articles" in _read(primary)
    stream.close()
    os.close(primary)


def test_no_bar_for_a_quick_build_even_on_a_terminal() -> None:
    reporter, primary, stream = _terminal_reporter(after_s=60.0)
    reporter.progress(5, 10)
    stream.flush()
    assert _read(primary) == ""
    stream.close()
    os.close(primary)


def test_diagnostics_by_verbosity() -> None:
    info = Diagnostic(Severity.INFO, "dropped bare url line", SourceLocation("content/a.txt", 3))
    warning = Diagnostic(Severity.WARNING, "odd", SourceLocation("content/a.txt", 1))
    error = Diagnostic(Severity.ERROR, "bad", SourceLocation("content/b.md", 2, 4))
    for kwargs, expected in (
        ({"quiet": True}, ["content/b.md:2:4: error: bad"]),
        ({}, ["content/a.txt:1: warning: odd", "content/b.md:2:4: error: bad"]),
        (
            {"verbose": True},
            [
                "content/a.txt:3: info: dropped bare url line",
                "content/a.txt:1: warning: odd",
                "content/b.md:2:4: error: bad",
            ],
        ),
    ):
        stream = io.StringIO()
        reporter = ConsoleReporter(stream=stream, **kwargs)  # type: ignore[arg-type]
        for d in (info, warning, error):
            reporter.diagnostic(d)
        assert stream.getvalue().splitlines() == expected
