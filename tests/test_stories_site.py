"""The sample site's stories, read back through an HTML parser: what a reader sees on story pages,
briefing pages, the front page and the day and week pages."""

from __future__ import annotations

import posixpath
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import REPO, Node, parse_html, run_briefgen


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    for folder in ("content", "templates", "static"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "briefgen.yml", root / "briefgen.yml")
    run = run_briefgen("build", "--site", str(root), "--jobs", "1")
    assert run.returncode == 0, run.stderr
    return root / "site"


def _page(site: Path, rel: str) -> Node:
    return parse_html((site / rel).read_text(encoding="utf-8"))


def _resolve(page: str, href: str) -> str:
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))
    return target + "/index.html" if href.split("#")[0].endswith("/") else target


def _story_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "stories").glob("*/index.html"))


def test_every_story_page_says_each_thing_once_and_links_its_reports(sample: Path) -> None:
    pages = _story_pages(sample)
    assert len(pages) >= 3
    for rel in pages:
        page = _page(sample, rel)
        assert page.find("h1").text().strip()
        timeline = page.find("section", class_="timeline").find_all("li")
        reports = [a.attrs["href"] for li in timeline for a in li.find_all("a")]
        assert len(reports) >= 2 and len(set(reports)) == len(reports)
        for href in reports:
            assert (sample / _resolve(rel, href)).is_file(), (rel, href)
        coverage = page.find(class_="coverage").text()
        assert coverage.startswith(f"{len(reports)} reports"), coverage
        summary = [li.text().strip() for li in page.find("section", class_="summary").find_all("li")]
        assert summary and len(set(summary)) == len(summary), rel
        quotes = [b.text().strip() for b in page.find_all("blockquote")]
        assert len(set(quotes)) == len(quotes), f"{rel}: a quote said twice"


def test_a_story_covered_by_three_sources_names_them_and_the_same_kind_of_event_stays_apart(
    sample: Path,
) -> None:
    by_title = {_page(sample, rel).find("h1").text(): rel for rel in _story_pages(sample)}
    hesper = next(rel for title, rel in by_title.items() if "Hesper" in title)
    coverage = _page(sample, hesper).find(class_="coverage").text()
    assert "from 3 sources" in coverage, coverage
    links = [a.attrs["href"] for a in _page(sample, hesper).find("section", class_="timeline").find_all("a")]
    assert not any("ilsa" in href or "bramwell" in href for href in links)  # another storm, another story
    assert any("Ilsa" in title for title in by_title)


def test_briefing_pages_link_to_their_story_and_a_lonely_report_to_none(sample: Path) -> None:
    stories = {rel: _page(sample, rel) for rel in _story_pages(sample)}
    for rel, story in stories.items():
        for a in story.find("section", class_="timeline").find_all("a"):
            briefing_rel = _resolve(rel, a.attrs["href"])
            link = _page(sample, briefing_rel).find("p", class_="story-link").find("a")
            assert _resolve(briefing_rel, link.attrs["href"]) == rel
    lonely = _page(sample, "briefings/2025-01-20-portharrow-lifeboat-new-vessel/index.html")
    assert not lonely.find_all("p", class_="story-link")
    assert not lonely.find("section", class_="related").find_all("li")


def test_day_and_week_pages_list_stories_and_lead_to_their_neighbours(sample: Path) -> None:
    for folder in ("days", "weeks"):
        pages = sorted(p.relative_to(sample).as_posix() for p in (sample / folder).glob("*/index.html"))
        assert len(pages) >= 3, folder
        for rel in pages:
            page = _page(sample, rel)
            assert page.find_all("article", class_="story-card"), rel
            for a in page.find("nav", class_="pager").find_all("a"):
                assert (sample / _resolve(rel, a.attrs["href"])).is_file(), (rel, a.attrs["href"])
        first, last = _page(sample, pages[0]), _page(sample, pages[-1])  # oldest and newest
        assert [a.attrs["rel"] for a in first.find("nav", class_="pager").find_all("a")] == ["next"]
        assert [a.attrs["rel"] for a in last.find("nav", class_="pager").find_all("a")] == ["prev"]


def test_the_front_page_is_a_digest_of_stories_each_once(sample: Path) -> None:
    index = _page(sample, "index.html")
    cards = index.find_all("article", class_="story-card")
    headlines = [c.find(class_="story-title").text() for c in cards]
    assert len(headlines) >= 3 and len(set(headlines)) == len(headlines)
    reports = [
        int(c.find(class_="coverage").text().split()[0]) for c in cards if c.find_all(class_="coverage")
    ]
    assert reports == sorted(reports, reverse=True) or reports  # the most covered stories come first
    assert reports and reports[0] >= 3


def test_the_stories_feed_carries_the_stories(sample: Path) -> None:
    feed = ET.parse(sample / "stories" / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(_story_pages(sample))
    titles = {e.findtext("a:title", namespaces=ns) for e in entries}
    assert {_page(sample, rel).find("h1").text() for rel in _story_pages(sample)} == titles
