"""Helpers for the browser tests: Debian's Chromium through Playwright, and `briefgen serve` on a site.

Imported by the browser test modules (the lead owns tests/conftest.py). No mocks: a real browser, real
HTTP on 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest_serve import ServeProcess

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 10_000

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.slow,  # a Chromium start and a few page loads: several seconds each
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None, reason="needs Playwright for Python (the test extra)"
    ),
]


@pytest.fixture
def browser() -> Iterator[Any]:
    """A Chromium for one test (Playwright's event-loop threads end with it)."""
    with chromium() as launched:
        yield launched


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def copy_sample_site(dest: Path) -> Path:
    """This repository's own site (content, templates, static, config), as a throwaway copy."""
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "briefgen.yml", dest / "briefgen.yml")
    return dest


@contextmanager
def briefgen_serve(site: Path, *args: str) -> Iterator[tuple[ServeProcess, str]]:
    """`briefgen serve` on `site` (a free port); yields the process and the URL it prints. A real
    process: one server outlives the tests of a module, and its indexing thread is not this one's."""
    proc = ServeProcess("serve", "--site", str(site), "--port", "0", *args)
    try:
        yield proc, proc.url()
    finally:
        proc.stop(signal.SIGINT)
    assert "Traceback" not in proc.stderr
