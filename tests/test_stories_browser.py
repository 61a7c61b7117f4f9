"""In a real headless Chromium: the sample site's front page shows a story told by three sources, and a
reader follows it to the story page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest_browser import BROWSER_MARKS
from conftest_browser import browser as browser  # a fixture, used by name (the "as" re-exports it)

from tests.conftest import REPO, Site
from tests.test_browser import served

pytestmark = BROWSER_MARKS


def test_the_front_page_leads_with_a_three_source_story_and_opens_its_page(
    tmp_path: Path,
    browser: Any,
) -> None:
    site = Site(tmp_path / "sample")
    shutil.rmtree(site.root / "content")
    for folder in ("content", "templates"):
        shutil.copytree(REPO / folder, site.root / folder)
    shutil.copy(REPO / "briefgen.yml", site.root / "briefgen.yml")
    with served(site) as url:
        page = browser.new_page()
        page.goto(url)
        three = page.locator("article.story-card", has_text="from 3 sources").first
        headline = three.locator(".story-title a").inner_text()
        sources = three.locator(".coverage").inner_text()
        three.locator(".story-title a").click()
        page.wait_for_url("**/stories/**")
        assert page.locator("h1").inner_text() == headline
        assert page.locator(".coverage").inner_text() == sources
        timeline = page.locator("section.timeline li")
        assert timeline.count() >= 3
        page.locator("section.timeline a").first.click()  # and on to the first report
        page.wait_for_url("**/briefings/**")
        assert page.locator("p.story-link a").inner_text() == headline
