"""`briefgen` as a real process: what an in-process run through `briefgen.cli.main` cannot show.

Every other command-line test runs in-process (tests/conftest.py `run_briefgen`). These start a new
interpreter because what they check is the process itself: its entry points, its exit status, and its
real standard streams. The serve and watch processes under Ctrl-C and SIGTERM are in test_serve_cli.py.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path

import pytest

from briefgen import __version__
from tests.conftest import Site, run_briefgen_process


def test_python_m_briefgen_builds_a_site(site: Site) -> None:
    """`python -m briefgen` (the __main__ module) runs the command and exits with its status."""
    run = run_briefgen_process("build", "--site", str(site.root))
    assert run.returncode == 0, run.stderr
    assert "built: 2 briefings" in run.stderr
    assert (site.root / "site" / "index.html").is_file()


def test_the_exit_status_is_the_commands() -> None:
    """`main()` returns the code; only the process shows that it becomes the exit status."""
    assert run_briefgen_process("build", "--no-such-flag").returncode == 2
    bad = run_briefgen_process("quotes", "--jsonl", stdin="{not json\n")
    assert bad.returncode == 1
    assert bad.stderr.startswith("<stdin>:1: error:")


def test_the_console_script_runs() -> None:
    """The `briefgen` command that installing the package puts beside this interpreter."""
    script = Path(sysconfig.get_path("scripts")) / "briefgen"
    if not script.is_file():
        pytest.skip(f"the package is not installed for {sys.executable} (no {script})")
    run = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"briefgen {__version__}"


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    """`briefgen quotes --jsonl ... | head -1`: when the reader closes the pipe, the command stops with
    status 0 and says nothing (no BrokenPipeError, no 'Exception ignored'). Needs a real pipe."""
    text = '"We will rebuild," said Mayor Ana Lopes. She added that work starts in May. ' * 20
    lines = "".join(json.dumps({"id": i, "text": text}) + "\n" for i in range(2000))
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "quotes", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None

    def feed() -> None:
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the command ended before reading it all
            proc.stdin.write(lines)
        with contextlib.suppress(BrokenPipeError):  # closes the pipe even when its last flush fails
            proc.stdin.close()

    writer = threading.Thread(target=feed, name="stdin-feeder")
    writer.start()
    try:
        first = json.loads(proc.stdout.readline())
        proc.stdout.close()
        stderr = proc.stderr.read()
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        writer.join(timeout=10)
        proc.stderr.close()
    assert first["id"] == 0 and first["quotes"]
    assert stderr == ""
