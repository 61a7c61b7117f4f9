"""The built-in theme in a real Chromium: spacing at 1280 and 375 px in light and dark, print from dark
mode, the preview's error overlay, and the 404 page at any depth under a subpath (`briefgen serve`).

Screenshots go to pytest's tmp_path (look at them there when a layout test fails)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest_browser import BROWSER_MARKS, WAIT_MS, briefgen_serve, copy_sample_site
from conftest_browser import browser as browser  # a fixture, used by name (the "as" re-exports it)
from conftest_serve import request

pytestmark = BROWSER_MARKS

GAP_PX = 12  # the least room between the header line and the first heading, and the last card and the footer


def _luminance(css_color: str) -> float:
    """Relative luminance (0 black .. 1 white) of a computed 'rgb(r, g, b)' or 'rgba(...)' colour."""
    numbers = css_color[css_color.index("(") + 1 : css_color.index(")")].split(",")
    r, g, b = (float(x) / 255 for x in numbers[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    site = copy_sample_site(tmp_path_factory.mktemp("theme") / "desk")
    with briefgen_serve(site, "--base-url", "/desk/") as (_, url):
        yield site, url


@pytest.fixture
def served(desk: tuple[Path, str], browser: Any) -> tuple[Path, str, Any]:
    return (*desk, browser)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_headings_and_cards_keep_clear_of_the_header_and_footer(
    served: tuple[Path, str, Any], tmp_path: Path, width: int, scheme: str
) -> None:
    _, url, browser = served
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(url)
    header = page.locator(".site-header").bounding_box()
    heading = page.locator("main h1").bounding_box()
    cards = page.locator("main .card, main .story-card")  # the front page lists stories and briefings
    last_card = cards.nth(cards.count() - 1).bounding_box()
    footer = page.locator(".site-footer").bounding_box()
    page.screenshot(path=str(tmp_path / f"index-top-{width}-{scheme}.png"))
    bottom = {"x": 0, "y": max(0, footer["y"] + footer["height"] - 400), "width": width, "height": 400}
    page.screenshot(path=str(tmp_path / f"index-bottom-{width}-{scheme}.png"), full_page=True, clip=bottom)
    assert heading["y"] - (header["y"] + header["height"]) >= GAP_PX
    assert footer["y"] - (last_card["y"] + last_card["height"]) >= GAP_PX
    assert heading["x"] >= 12 and heading["x"] + heading["width"] <= width  # side padding kept too
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert (_luminance(background) < 0.1) == (scheme == "dark")
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_is_dark_text_on_white_whatever_the_screen_scheme(
    served: tuple[Path, str, Any], tmp_path: Path, scheme: str
) -> None:
    _, url, browser = served
    page = browser.new_page(color_scheme=scheme)
    page.goto(url + "briefings/2025-02-13-hegseth-says-us-is-not-abandoning-ukraine/")
    page.emulate_media(media="print", color_scheme=scheme)
    page.screenshot(path=str(tmp_path / f"print-from-{scheme}.png"))
    styles = page.evaluate(
        """() => ['body', 'h2', '.byline', '.quote figcaption', '.full-text p'].map(
             (s) => { const e = document.querySelector(s); const c = getComputedStyle(e);
                      return [s, c.color, getComputedStyle(document.body).backgroundColor]; })"""
    )
    for selector, color, background in styles:
        assert _luminance(background) > 0.9, (selector, background)
        assert _luminance(color) < 0.1, (selector, color)  # pale grey on white is unreadable on paper
    page.close()


def test_the_error_overlay_has_a_close_button_and_hides_no_title(tmp_path: Path, browser: Any) -> None:
    site = copy_sample_site(tmp_path / "desk")
    with briefgen_serve(site) as (_, url):
        page = browser.new_page(viewport={"width": 375, "height": 700})
        page.goto(url + "briefings/2025-02-13-hegseth-says-us-is-not-abandoning-ukraine/")
        page.wait_for_function("() => !!document.querySelector('script[data-events]')")
        broken = site / "templates/index.html"
        broken.write_text("{% extends '!theme/index.html' %}\n{% block nope %\n")
        overlay = page.locator("#briefgen-overlay")
        overlay.wait_for(state="visible", timeout=WAIT_MS)
        page.screenshot(path=str(tmp_path / "overlay-375.png"))
        box, title = overlay.bounding_box(), page.locator("main h1").bounding_box()
        assert title["y"] >= box["y"] + box["height"]  # below the overlay, not under it
        assert title["y"] < 700  # and still in sight
        page.reload()  # the server puts the overlay in the page too: the same layout
        overlay.wait_for(state="visible", timeout=WAIT_MS)
        box, title = overlay.bounding_box(), page.locator("main h1").bounding_box()
        assert title["y"] >= box["y"] + box["height"]
        page.get_by_role("button", name="Close").click()
        overlay.wait_for(state="detached", timeout=WAIT_MS)
        page.wait_for_timeout(1500)  # events about the same errors do not bring it back
        assert overlay.count() == 0
        (site / "static/desk.css").write_text("/* touched */\n")  # another build, still the same errors
        page.wait_for_timeout(1500)
        assert overlay.count() == 0
        broken.write_text(
            "{% extends '!theme/index.html' %}\n\n\n{% block nope %\n"
        )  # new errors: shown again
        overlay.wait_for(state="visible", timeout=WAIT_MS)
        broken.unlink()
        overlay.wait_for(state="detached", timeout=WAIT_MS)


def test_the_404_page_is_styled_and_its_links_work_at_any_depth(
    served: tuple[Path, str, Any], tmp_path: Path
) -> None:
    _, url, browser = served
    missing = url + "briefings/missing/deep/"  # depth 3 under /desk/
    page = browser.new_page()
    response = page.goto(missing)
    assert response is not None and response.status == 404
    page.screenshot(path=str(tmp_path / "404-depth-3.png"))
    assert page.locator("h1").inner_text() == "Not found"
    styled = page.evaluate(
        """() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).margin,
                  getComputedStyle(document.querySelector('.site-header')).borderBottomStyle]"""
    )
    assert styled == ["rgb(251, 250, 247)", "0px", "solid"]  # the theme's stylesheet is loaded
    icon = page.evaluate("() => document.querySelector('link[rel=icon]').href")
    port = int(url.split(":")[2].split("/")[0])
    assert request(port, icon.split(str(port), 1)[1]).status == 200
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('a[href]:not([href^=\"#\"])')].map((a) => a.href)"
    )
    local = sorted({h.split("#")[0] for h in hrefs if h.startswith(url)})
    assert url + "search/" in local and url in local
    for href in local:
        assert request(port, href.split(str(port), 1)[1]).status == 200, href
    page.get_by_role("link", name="Search").first.click()
    page.wait_for_url(url + "search/")
    assert page.locator("h1").inner_text() == "Search"
    page.close()
