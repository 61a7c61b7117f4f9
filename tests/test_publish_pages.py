"""Publishing basics on the pages themselves (issue 15 item 4): canonical, OpenGraph, Twitter and JSON-LD in
the head; long lists in pages, re-planned whole when a member changes; future-dated articles held back and
drafts counted; files beside an article published with it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from briefgen import build as briefgen_build
from briefgen.config import load_config
from briefgen.pipeline import BuildOptions
from briefgen.render.search import SEARCH_DIR, varies_between_runs
from tests.conftest import Node, Site, parse_html, run_briefgen

ADDRESS = "https://news.example.org/"


def _report(site: Site, *args: str) -> dict[str, object]:
    run = run_briefgen("build", "--site", str(site.root), "--json", *args)
    assert run.returncode == 0, run.stderr
    report: dict[str, object] = json.loads(run.stdout)
    report["stderr"] = run.stderr
    return report


def _meta(page: Node) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in page.find_all("meta"):
        name = node.attrs.get("property") or node.attrs.get("name")
        if name:
            found.setdefault(str(name), []).append(str(node.attrs.get("content")))
    return found


def _json_ld(page: Node) -> dict[str, object]:
    (script,) = page.find_all("script", type="application/ld+json")
    data: dict[str, object] = json.loads(script.text())
    return data


def _tagged(site: Site, count: int, tag: str = "harbour", first_day: int = 1) -> None:
    for n in range(count):
        day = first_day + n
        site.write(
            f"content/2025-04-{day:02d}-note-{day}.md",
            f"---\ntitle: Harbour note {day}\ntags: [{tag}]\n---\n\nThe {tag} board met on day {day} of April.\n",
        )


# --- canonical, OpenGraph, Twitter, JSON-LD ------------------------------------------------------


def test_a_briefing_page_describes_itself_to_search_engines_and_link_previews(site: Site) -> None:
    assert _report(site, "--base-url", ADDRESS)["warnings"] == 0
    url = f"{ADDRESS}briefings/2025-03-01-dredging-plan/"
    page = parse_html(site.out("briefings/2025-03-01-dredging-plan/index.html"))
    assert page.find("link", rel="canonical").attrs["href"] == url
    meta = _meta(page)
    assert meta["og:type"] == ["article"] and meta["og:url"] == [url]
    assert meta["og:title"] == ["Ministers agree harbour dredging plan"]
    assert meta["og:description"][0].startswith("Ministers on Friday agreed a plan to dredge")
    assert meta["article:published_time"] == ["2025-03-01"] and meta["article:tag"] == [
        "harbour",
        "transport",
    ]
    assert meta["twitter:card"] == ["summary"] and meta["twitter:title"] == meta["og:title"]
    ld = _json_ld(page)
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "NewsArticle"
    assert ld["headline"] == "Ministers agree harbour dredging plan"
    assert ld["datePublished"] == "2025-03-01" and ld["url"] == ld["mainEntityOfPage"] == url
    assert ld["author"] == [{"@type": "Person", "name": "Ana Ruiz"}]
    assert ld["publisher"] == {"@type": "Organization", "name": "Briefings", "url": ADDRESS}
    assert ld["keywords"] == ["harbour", "transport"]


def test_a_story_page_is_a_collection_of_its_reports(site: Site) -> None:
    assert _report(site, "--base-url", ADDRESS)["warnings"] == 0
    (story_page,) = (site.root / "site/stories").glob("*/index.html")
    ld = _json_ld(parse_html(story_page.read_text()))
    assert (
        ld["@type"] == "CollectionPage"
        and ld["url"] == ADDRESS + story_page.parent.relative_to(site.root / "site").as_posix() + "/"
    )
    reports = ld["mainEntity"]["itemListElement"]  # type: ignore[index]
    assert [r["item"]["url"] for r in reports] == [
        f"{ADDRESS}briefings/2025-03-01-dredging-plan/",
        f"{ADDRESS}briefings/2025-03-04-dredging-survey/",
    ]
    assert all(r["item"]["@type"] == "NewsArticle" for r in reports)


def test_without_an_address_pages_keep_what_needs_none(site: Site) -> None:
    _report(site)
    page = parse_html(site.out("briefings/2025-03-01-dredging-plan/index.html"))
    meta = _meta(page)
    assert "og:url" not in meta and meta["og:title"] == ["Ministers agree harbour dredging plan"]
    ld = _json_ld(page)
    assert ld["@type"] == "NewsArticle" and "url" not in ld and "mainEntityOfPage" not in ld


# --- long lists in pages -------------------------------------------------------------------------


def _cards(site: Site, rel: str) -> list[str]:
    page = parse_html(site.out(rel))
    return [a.text() for a in page.find(class_="listing").find_all("a")]


def _head_link(page: Node, rel: str) -> str | None:
    found = [n for n in page.find_all("link") if n.attrs.get("rel") == rel]
    return str(found[0].attrs["href"]) if found else None


def test_a_long_topic_comes_in_pages_linked_by_prev_and_next(site: Site) -> None:
    _tagged(site, 5)
    site.write("briefgen.yml", f"base_url: {ADDRESS}\npage_size: 2\n")
    _report(site)
    harbour = ["Harbour note 5", "Harbour note 4", "Harbour note 3", "Harbour note 2", "Harbour note 1"]
    harbour += ["Harbour dredging plan faces seabed survey", "Ministers agree harbour dredging plan"]
    pages = ["tags/harbour/index.html", "tags/harbour/page/2/index.html", "tags/harbour/page/3/index.html"]
    pages.append("tags/harbour/page/4/index.html")
    assert [c for rel in pages for c in _cards(site, rel)] == harbour  # each once, newest first
    assert [len(_cards(site, rel)) for rel in pages] == [2, 2, 2, 1]
    assert not (site.root / "site/tags/harbour/page/5").exists()
    first, second, last = (parse_html(site.out(rel)) for rel in (pages[0], pages[1], pages[3]))
    assert _head_link(first, "prev") is None and _head_link(first, "next") == "page/2/"
    assert _head_link(second, "prev") == "../../" and _head_link(second, "next") == "../3/"
    assert _head_link(last, "next") is None
    nav = second.find("nav", class_="pager")
    assert [(a.attrs["rel"], a.attrs["href"]) for a in nav.find_all("a")] == [
        ("prev", "../../"),
        ("next", "../3/"),
    ]
    assert "Page 2 of 4" in nav.text()
    assert _head_link(second, "canonical") == f"{ADDRESS}tags/harbour/page/2/"


def _tree(site: Site) -> dict[str, bytes]:
    return {
        k: v
        for k, v in site.snapshot().items()
        if k != ".briefgen-files" and not k.startswith(SEARCH_DIR + "/") and not varies_between_runs(k)
    }


def _fresh_build(site: Site, tmp_path: Path, name: str) -> dict[str, bytes]:
    copy = Site(tmp_path / name)
    shutil.copytree(site.root / "content", copy.root / "content", dirs_exist_ok=True)
    shutil.copy(site.root / "briefgen.yml", copy.root / "briefgen.yml")
    assert copy.build("--no-cache").returncode == 0
    return _tree(copy)


def test_an_incremental_build_replans_every_page_of_a_list_whose_members_changed(
    site: Site, tmp_path: Path
) -> None:
    _tagged(site, 5)
    site.write("briefgen.yml", f"base_url: {ADDRESS}\npage_size: 2\n")
    _report(site)
    _tagged(site, 1, first_day=20)  # the newest: every card of the topic moves one place
    report = _report(site)
    written = set(report["pages"]["written"])  # type: ignore[index]
    assert {"tags/harbour/page/2/index.html", "tags/harbour/page/4/index.html"} <= written
    assert "tags/harbour/feed.xml" in written
    assert _tree(site) == _fresh_build(site, tmp_path, "after-adding")
    for gone in ("2025-04-01-note-1.md", "2025-04-02-note-2.md", "2025-04-03-note-3.md"):
        (site.root / "content" / gone).unlink()
    report = _report(site)
    assert "tags/harbour/page/4/index.html" in report["pages"]["removed"]  # type: ignore[index]
    assert (site.root / "site/tags/harbour/page/3/index.html").is_file()  # 5 cards: pages of 2, 2 and 1
    assert _tree(site) == _fresh_build(site, tmp_path, "after-removing")


# --- future articles and drafts ------------------------------------------------------------------


def test_an_article_dated_after_today_waits_for_its_day_unless_future(site: Site) -> None:
    later = dt.date.today() + dt.timedelta(days=30)
    site.write(
        f"content/{later.isoformat()}-launch.md",
        f"---\ntitle: Ferry launch\ndate: {later}\n---\n\nA launch.\n",
    )
    site.write("content/2025-03-05-draft.md", "---\ntitle: Unfinished\ndraft: true\n---\n\nNot yet.\n")
    report = _report(site, "--base-url", ADDRESS)
    assert report["briefings"] == 2 and report["held_back"] == {"drafts": 1, "future": 1}
    (note,) = [d for d in report["diagnostics"] if d["severity"] == "info"]  # type: ignore[union-attr]
    assert note["path"] == f"content/{later.isoformat()}-launch.md"
    assert f"dated {later.isoformat()}, after today" in note["message"] and "--future" in note["message"]
    assert "; 1 draft not built; 1 dated after today not built;" in str(report["stderr"])
    assert not (site.root / f"site/briefings/{later.isoformat()}-launch").exists()
    again = _report(site, "--base-url", ADDRESS)  # nothing changed: the same counts, from the last build
    assert again["held_back"] == {"drafts": 1, "future": 1} and again["pages"]["written"] == []  # type: ignore[index]
    report = _report(site, "--base-url", ADDRESS, "--future", "--drafts")
    assert report["briefings"] == 4 and report["held_back"] == {"drafts": 0, "future": 0}
    assert (site.root / f"site/briefings/{later.isoformat()}-launch/index.html").is_file()


def test_a_waiting_article_is_published_by_the_first_build_on_its_day(site: Site) -> None:
    site.write(
        "content/2030-01-02-launch.md", "---\ntitle: Ferry launch\n---\n\nThe new ferry is launched.\n"
    )
    site.write("briefgen.yml", f"base_url: {ADDRESS}\n")
    config = load_config(site.root / "briefgen.yml", require_content=True)
    before = briefgen_build(config, options=BuildOptions(today=dt.date(2030, 1, 1), jobs=1))
    assert before.held_back.future == 1 and before.held_back.release == dt.date(2030, 1, 2)
    assert not (site.root / "site/briefings/2030-01-02-launch").exists()
    on_the_day = briefgen_build(config, options=BuildOptions(today=dt.date(2030, 1, 2), jobs=1))
    assert on_the_day.held_back.future == 0 and on_the_day.briefings == 3  # no file changed, yet it built
    assert (site.root / "site/briefings/2030-01-02-launch/index.html").is_file()


# --- files beside an article ---------------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")  # enough of a PNG


def test_files_beside_an_article_are_published_with_it_and_a_missing_one_is_named(site: Site) -> None:
    site.write_bytes("content/harbour.jpg", PNG)
    site.write_bytes("content/docs/report.pdf", b"%PDF-1.4\n")
    site.write_bytes("outside.png", PNG)
    site.write(
        "content/2025-03-06-pictures.md",
        """
        ---
        title: The harbour in pictures
        ---

        The harbour at dawn, before the dredgers came.

        ![The harbour at dawn](harbour.jpg)

        The board's [report](docs/report.pdf) and a [map](https://example.org/map.pdf).

        ![Crane](crane.png) ![Outside](../outside.png)
        """,
    )
    report = _report(site, "--base-url", ADDRESS)
    out = site.root / "site/briefings/2025-03-06-pictures"
    assert (out / "harbour.jpg").read_bytes() == PNG
    assert (out / "docs/report.pdf").read_bytes() == b"%PDF-1.4\n"
    page = parse_html((out / "index.html").read_text())
    sources = [img.attrs["src"] for img in page.find_all("img")]
    assert sources[0] == "harbour.jpg" and (out / str(sources[0])).is_file()
    assert _meta(page)["og:image"] == [f"{ADDRESS}briefings/2025-03-06-pictures/harbour.jpg"]
    warnings = [d for d in report["diagnostics"] if d["severity"] == "warning"]  # type: ignore[union-attr]
    assert [(w["path"], w["line"]) for w in warnings] == [("content/2025-03-06-pictures.md", 11)] * 2
    assert "'crane.png' is not in content/" in warnings[0]["message"]
    assert "'../outside.png' is outside the article's folder" in warnings[1]["message"]
    assert not (site.root / "site/briefings/outside.png").exists()
    site.write_bytes("content/crane.png", PNG)  # the missing file comes: the next build publishes it
    report = _report(site, "--base-url", ADDRESS)
    assert "briefings/2025-03-06-pictures/crane.png" in report["pages"]["written"]  # type: ignore[index]
    assert report["warnings"] == 1
    site.write_bytes("content/harbour.jpg", PNG + b"\0")  # a changed file is copied again
    report = _report(site, "--base-url", ADDRESS)
    assert report["pages"]["written"] == ["briefings/2025-03-06-pictures/harbour.jpg"]  # type: ignore[index]
    article = site.root / "content/2025-03-06-pictures.md"
    article.write_text(article.read_text().replace("![The harbour at dawn](harbour.jpg)", ""))
    report = _report(site, "--base-url", ADDRESS)  # no longer shown: no longer published
    assert "briefings/2025-03-06-pictures/harbour.jpg" in report["pages"]["removed"]  # type: ignore[index]


@pytest.mark.parametrize("name", ["index.html", "2025-03-01-dredging-plan.md"])
def test_a_link_to_another_article_or_the_page_itself_is_not_copied(site: Site, name: str) -> None:
    site.write(f"content/{name}" if name.endswith(".html") else "content/unused", "x")
    site.write("content/2025-03-06-links.md", f"---\ntitle: Links\n---\n\nSee [this]({name}) for more.\n")
    report = _report(site, "--base-url", ADDRESS)
    copied = [p for p in report["pages"]["written"] if p.startswith("briefings/2025-03-06-links/")]  # type: ignore[union-attr]
    assert copied == ["briefings/2025-03-06-links/index.html"]
    messages = [d["message"] for d in report["diagnostics"] if d["severity"] == "warning"]  # type: ignore[union-attr]
    if name == "index.html":
        assert any("would replace the briefing page itself" in m for m in messages), messages
