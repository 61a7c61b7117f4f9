"""The published site as a reader meets it (issue 15 items 2 and 4), in a real headless Chromium: the built
site/ served by a plain static HTTP server under a subpath (/desk/), as a host would serve it; no preview
server, no injected script. A picture beside an article shows on its page, a long topic is read to its
end through its pager, and the feeds a page names load and parse where the browser resolves them."""

from __future__ import annotations

import functools
import http.server
import json
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import feedparser
from conftest_browser import BROWSER_MARKS
from conftest_browser import browser as browser  # a fixture, used by name (the "as" re-exports it)

from tests.conftest import Site, run_briefgen

pytestmark = BROWSER_MARKS

MOUNT = "/desk/"
ADDRESS = f"https://news.example.org{MOUNT}"
WAIT_MS = 10_000


def _png(width: int, height: int) -> bytes:
    """A real PNG (opaque red), so that the browser decodes it and reports its size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\0" + b"\xff\0\0" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class _UnderMount(http.server.SimpleHTTPRequestHandler):
    """Serves site/ at /desk/ only (anything else is 404), quietly."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(MOUNT):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path.removeprefix(MOUNT))

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _hosted(folder: Path) -> Iterator[str]:
    """A static host for `folder` on 127.0.0.1; yields the site's URL (ending in /desk/)."""
    handler = functools.partial(_UnderMount, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="static-host")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{MOUNT}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _build(site: Site, config: str) -> None:
    site.write("briefgen.yml", f"base_url: {ADDRESS}\n{config}")
    run = run_briefgen("build", "--site", str(site.root), "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["warnings"] == 0, run.stderr


def test_a_picture_beside_an_article_shows_on_its_page_under_a_subpath(browser: Any, site: Site) -> None:
    site.write_bytes("content/pictures/harbour.png", _png(3, 2))
    site.write(
        "content/2025-03-06-pictures.md",
        """
        ---
        title: The harbour in pictures
        ---

        The harbour at dawn, before the dredgers came.

        ![The harbour at dawn](pictures/harbour.png)
        """,
    )
    _build(site, "")
    with _hosted(site.root / "site") as url:
        page = browser.new_page()
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.goto(url + "briefings/2025-03-06-pictures/")
        image = page.locator("img[alt='The harbour at dawn']")
        image.wait_for(timeout=WAIT_MS)
        page.wait_for_function("img => img.complete", arg=image.element_handle(), timeout=WAIT_MS)
        assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [3, 2]
        assert (
            image.evaluate("img => img.currentSrc")
            == url + "briefings/2025-03-06-pictures/pictures/harbour.png"
        )
        assert failed == [], failed  # the stylesheet, script and favicon load from /desk/ too
        page.close()


def _titles(page: Any) -> list[str]:
    return [str(t) for t in page.locator(".listing .card-title a").all_inner_texts()]


def test_a_reader_follows_a_long_topic_s_pager_to_its_end_and_back(browser: Any, site: Site) -> None:
    for day in range(1, 6):
        site.write(
            f"content/2025-04-{day:02d}-note-{day}.md",
            f"---\ntitle: Harbour note {day}\ntags: [harbour]\n---\n\nThe harbour board met on day {day}.\n",
        )
    _build(site, "page_size: 3\n")
    with _hosted(site.root / "site") as url:
        page = browser.new_page()
        page.goto(url + "tags/harbour/")
        seen = [_titles(page)]
        assert page.locator("nav.pager").inner_text().count("Page 1 of 3") == 1
        assert page.locator("nav.pager a[rel=prev]").count() == 0
        while page.locator("nav.pager a[rel=next]").count():
            page.locator("nav.pager a[rel=next]").click()
            page.wait_for_url(f"**/tags/harbour/page/{len(seen) + 1}/")
            seen.append(_titles(page))
        assert [len(titles) for titles in seen] == [3, 3, 1]
        read = [t for titles in seen for t in titles]
        assert read[:5] == [f"Harbour note {day}" for day in range(5, 0, -1)]  # newest first, each once
        assert len(set(read)) == 7
        page.locator("nav.pager a[rel=prev]").click()
        page.wait_for_url("**/tags/harbour/page/2/")
        assert _titles(page) == seen[1]
        page.locator("nav.pager a[rel=prev]").click()
        page.wait_for_url(url + "tags/harbour/")
        assert _titles(page) == seen[0]
        page.close()


def test_the_feeds_a_topic_page_names_load_and_hold_its_briefings(browser: Any, site: Site) -> None:
    site.write(
        "content/2025-04-02-ferry.md",
        "---\ntitle: Ferry timetable\ntags: [ferries]\n---\n\nThe ferry runs.\n",
    )
    _build(site, "")
    with _hosted(site.root / "site") as url:
        page = browser.new_page()
        page.goto(url + "tags/ferries/")
        alternates = page.locator("link[rel=alternate]")
        feeds = {
            str(a["href"]): str(a["type"])
            for a in alternates.evaluate_all("ls => ls.map(l => ({href: l.href, type: l.type}))")
        }
        topic = {h: t for h, t in feeds.items() if h.startswith(url + "tags/ferries/")}
        assert sorted(topic.values()) == [
            "application/atom+xml",
            "application/feed+json",
            "application/rss+xml",
        ]
        for href, kind in topic.items():
            response = page.request.get(href)
            assert response.status == 200, href
            body = response.body()
            if kind == "application/feed+json":
                items = json.loads(body)["items"]
                assert [i["title"] for i in items] == ["Ferry timetable"]
                assert items[0]["url"] == ADDRESS + "briefings/2025-04-02-ferry/"
            else:
                parsed = feedparser.parse(body)
                assert not parsed.bozo, (href, parsed.get("bozo_exception"))
                assert [e.title for e in parsed.entries] == ["Ferry timetable"]
                assert parsed.entries[0].link == ADDRESS + "briefings/2025-04-02-ferry/"
        page.close()
