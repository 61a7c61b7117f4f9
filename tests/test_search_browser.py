"""Search in a real Chromium, on the sample site served over HTTP under a subpath (`briefgen serve
--base-url /desk/`): Pagefind finds authors, body words and possessives, highlights what it found, and
keeps the query and filters in the URL; opened from disk, the page says that search needs a server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest_browser import BROWSER_MARKS, WAIT_MS, briefgen_serve, copy_sample_site
from conftest_browser import browser as browser  # a fixture, used by name (the "as" re-exports it)
from conftest_serve import wait_until

pytestmark = BROWSER_MARKS

SEED = "briefings/2025-02-13-hegseth-says-us-is-not-abandoning-ukraine/"


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(site folder, its URL under /desk/): one server for the module."""
    site = copy_sample_site(tmp_path_factory.mktemp("search") / "desk")
    with briefgen_serve(site, "--base-url", "/desk/") as (proc, url):
        assert url.endswith("/desk/")
        proc.wait_for_line("search index updated", timeout_s=60, stream="err")  # made after the first build
        yield site, url


@pytest.fixture
def served(desk: tuple[Path, str], browser: Any) -> tuple[Path, str, Any]:
    return (*desk, browser)


def _results(page: Any) -> list[str]:
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results li').length > 0"
        " || /No briefing/.test(document.getElementById('search-status').textContent)",
        timeout=WAIT_MS,
    )
    return [urlsplit(str(a.get_attribute("href"))).path for a in page.locator("#search-results li > a").all()]


@pytest.mark.parametrize(
    ("query", "what"),
    [("Kozlov", "the author's name"), ("peacekeepers", "a word of the body"), ("Hegseth's", "a possessive")],
)
def test_search_finds(served: tuple[Path, str, Any], query: str, what: str) -> None:
    _, url, browser = served
    page = browser.new_page()
    page.goto(url + "search/?q=" + query)
    found = _results(page)
    assert "/desk/" + SEED in found, f"{what}: {found}"
    first = page.locator("#search-results li").first
    assert first.locator(".search-excerpt mark").count() >= 1  # the matching words are highlighted
    assert page.locator("#search-status").inner_text().endswith("found")
    page.close()


def test_the_old_index_s_blind_spots_are_gone(served: tuple[Path, str, Any]) -> None:
    """The old index held titles and summaries: a word only in a body was never found."""
    _, url, browser = served
    page = browser.new_page()
    page.goto(url + "search/?q=sell-out")  # "a sell-out crowd" is in the body of the cup final only
    assert _results(page) == ["/desk/briefings/2025-04-12-harbour-cup-final-kestrel-bay/"]
    page.goto(url + "search/?q=zzqxnothing")
    assert _results(page) == [] and page.locator("#search-status").inner_text() == "No briefing matches."
    page.close()


def test_the_query_and_filters_live_in_the_url(served: tuple[Path, str, Any]) -> None:
    _, url, browser = served
    page = browser.new_page()
    page.goto(url + "search/")
    page.locator("#q").fill("Ukraine")
    page.locator("#q").press("Enter")
    everything = _results(page)
    assert len(everything) >= 3
    assert parse_qs(urlsplit(page.url).query) == {"q": ["Ukraine"]}
    page.locator(".search-filters summary").click()
    source = page.locator("select[name=source]")
    source.wait_for(timeout=WAIT_MS)
    assert page.locator("select[name=tag]").count() == 1
    assert (
        page.locator("select[name=person]").count() == 1 and page.locator("select[name=place]").count() == 1
    )
    source.select_option("The Moscow Times")
    page.wait_for_function(
        f"() => document.querySelectorAll('#search-results li').length < {len(everything)}"
    )
    assert _results(page) == ["/desk/" + SEED]
    assert parse_qs(urlsplit(page.url).query) == {"q": ["Ukraine"], "source": ["The Moscow Times"]}
    page.reload()  # a shared link gives the same search
    assert _results(page) == ["/desk/" + SEED]
    assert page.locator("#q").input_value() == "Ukraine"
    assert page.locator("select[name=source]").input_value() == "The Moscow Times"
    page.close()


def test_a_result_opens_with_the_words_marked(served: tuple[Path, str, Any]) -> None:
    _, url, browser = served
    page = browser.new_page()
    page.goto(url + "search/?q=peacekeepers")
    _results(page)
    page.locator("#search-results li > a").first.click()
    page.wait_for_selector("mark.pagefind-highlight", timeout=WAIT_MS)
    assert urlsplit(page.url).path == "/desk/" + SEED
    marked = page.locator("mark.pagefind-highlight").all_inner_texts()
    assert marked and all(text.lower() == "peacekeepers" for text in marked)
    page.close()


def test_from_disk_the_page_says_search_needs_a_server(served: tuple[Path, str, Any]) -> None:
    site, _, browser = served
    page = browser.new_page()
    page.goto((site / "site" / "search" / "index.html").as_uri() + "?q=Kozlov")
    status = page.locator("#search-status")
    status.wait_for(timeout=WAIT_MS)
    assert "served over HTTP" in status.inner_text() and "briefgen serve" in status.inner_text()
    assert "could not be loaded" not in status.inner_text()
    page.close()


def test_the_preview_finds_a_word_just_written(served: tuple[Path, str, Any], tmp_path: Path) -> None:
    """`briefgen serve` publishes an edit first, then brings the search index up to date behind it."""
    _, _, browser = served
    site = copy_sample_site(tmp_path / "desk")
    with briefgen_serve(site) as (proc, url):
        proc.wait_for_line("search index updated", timeout_s=60, stream="err")
        page = browser.new_page()
        page.goto(url + "search/?q=zqxfresh")
        assert _results(page) == []
        article = site / "content/2025-04-12-harbour-cup-final-kestrel-bay.txt"
        article.write_text(article.read_text() + "\nThe zqxfresh chant went on into the night.\n")

        def found() -> list[str]:
            page.goto(url + "search/?q=zqxfresh")
            return _results(page)

        assert wait_until(found, timeout_s=60, interval_s=0.5, what="the new word in the index") == [
            "/briefings/2025-04-12-harbour-cup-final-kestrel-bay/"
        ]
        page.close()
