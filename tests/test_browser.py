"""A real headless Chromium against `briefgen serve`: edits reload the page, a broken template shows the
overlay without a manual reload, and the fix clears it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from conftest_browser import BROWSER_MARKS, WAIT_MS
from conftest_browser import browser as browser  # a fixture, used by name (the "as" re-exports it)
from conftest_serve import ServeInProcess

from tests.conftest import Site

PAGE_A = "briefings/2025-03-01-dredging-plan/"

pytestmark = BROWSER_MARKS


@contextmanager
def served(site: Site) -> Iterator[str]:
    """`briefgen serve` in this process (the page in the browser is under test, not the process), for
    the length of a test body; yields the site's URL."""
    proc = ServeInProcess("serve", "--site", str(site.root), "--port", "0")
    try:
        yield proc.url()
    finally:
        proc.stop()
    assert "Traceback" not in proc.stderr


def test_an_edit_on_disk_updates_the_open_page(browser: Any, site: Site) -> None:
    with served(site) as url:
        _an_edit_updates_the_open_page(browser, site, url)


def _an_edit_updates_the_open_page(browser: Any, site: Site, url: str) -> None:
    page = browser.new_page()
    page.goto(url + PAGE_A)
    page.wait_for_function("() => !!document.querySelector('script[data-events]')")
    page.evaluate("() => { window.__briefgenNoReloadYet = true; }")  # gone once the page reloads
    article = site.root / "content/2025-03-01-dredging-plan.md"
    article.write_text(article.read_text() + "\nThe harbour master called it zqxbrowser news.\n")
    page.wait_for_function(
        "() => document.body.innerText.includes('zqxbrowser') && !window.__briefgenNoReloadYet",
        timeout=WAIT_MS,
    )


def test_a_broken_template_shows_the_overlay_and_the_fix_clears_it(browser: Any, site: Site) -> None:
    with served(site) as url:
        _a_broken_template_shows_the_overlay(browser, site, url)


def _a_broken_template_shows_the_overlay(browser: Any, site: Site, url: str) -> None:
    page = browser.new_page()
    page.goto(url)
    page.wait_for_function("() => !!document.querySelector('script[data-events]')")
    assert page.locator("#briefgen-overlay").count() == 0
    template = site.root / "templates/index.html"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("{% extends '!theme/index.html' %}\n{% block nope %\n")
    overlay = page.locator("#briefgen-overlay")
    overlay.wait_for(state="visible", timeout=WAIT_MS)
    assert "templates/index.html" in overlay.inner_text()
    template.unlink()
    overlay.wait_for(state="detached", timeout=WAIT_MS)
    page.reload()
    assert page.locator("#briefgen-overlay").count() == 0
