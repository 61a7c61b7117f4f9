"""Publishing basics (issue 15): the search index a build writes, robots.txt, the favicon, the 404 page's
links, `briefgen new`, and a sample site that builds the same on every clone."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.render.environment import THEME_DIR
from briefgen.render.search import SEARCH_DIR, pages_to_read, varies_between_runs
from tests.conftest import REPO, Site, parse_html

ADDRESS = "https://news.example.org/"  # a site with a whole address: feeds and sitemap, and no warning


def build(site: Site, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    """`briefgen build --json` in-process: (exit code, report)."""
    code = main(["build", "--site", str(site.root), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


# -- the search index (item 5, 6) ----------------------------------------------------------------


def test_the_build_writes_pagefind_s_index_of_the_briefings_only(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    site.write(
        "content/2025-03-02-lisbon-ferries.md",
        """
        ---
        title: Lisbon ferry crews vote to strike
        ---
        LISBON — Ferry crews in Lisbon voted on Sunday to strike for a week over pay.
        """,
    )
    code, report = build(site, capsys=capsys)
    assert code == 0, report
    bundle = site.root / "site" / SEARCH_DIR
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 3  # the briefings; no digest, index or search page
    assert not (site.root / "site" / "search-index.json").exists()  # the old one-file index is gone
    page = parse_html(site.out("briefings/2025-03-01-dredging-plan/index.html"))
    assert "data-pagefind-body" in page.find("article").attrs
    filters: dict[str, list[str]] = {}
    for node in page.find_all():
        if "data-pagefind-filter" in node.attrs:
            filters.setdefault(str(node.attrs["data-pagefind-filter"]), []).append(node.text())
    assert filters["source"] == ["The Coastal Post"]
    assert filters["tag"] == ["harbour", "transport"]
    assert "Tomas Halvorsen" in filters["person"]
    lisbon = parse_html(site.out("briefings/2025-03-02-lisbon-ferries/index.html"))
    assert [n.text() for n in lisbon.find_all() if n.attrs.get("data-pagefind-filter") == "place"] == [
        "Lisbon"
    ]


def test_an_unchanged_site_rewrites_no_index_file(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    """Pagefind's filter files differ from run to run; a build whose briefings did not change keeps them."""
    assert build(site, capsys=capsys)[0] == 0

    def index_files() -> dict[Path, tuple[int, int]]:
        found = (site.root / "site" / SEARCH_DIR).rglob("*")
        return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in found if p.is_file()}

    before = index_files()
    assert any(p.name == "pagefind.js" for p in before) and any(p.parent.name == "filter" for p in before)
    site.write("static/extra.css", "p { margin: 0 }\n")  # a real build again, not the no-change shortcut
    code, report = build(site, "--no-cache", capsys=capsys)
    assert code == 0
    assert report["pages"]["written"] == ["static/extra.css"]  # type: ignore[index]
    assert report["pages"]["removed"] == []  # type: ignore[index]
    assert index_files() == before


def test_a_changed_briefing_rebuilds_the_index(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(site, capsys=capsys)[0] == 0
    article = site.root / "content/2025-03-01-dredging-plan.md"
    article.write_text(article.read_text() + "\nThe harbour master praised the zqxdredgers.\n")
    code, report = build(site, capsys=capsys)
    assert code == 0
    written = report["pages"]["written"]  # type: ignore[index]
    assert any(path.startswith(f"{SEARCH_DIR}/fragment/") for path in written)


def test_a_missing_indexer_is_an_error_and_the_site_is_still_built(
    site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    code, report = build(site, capsys=capsys)
    assert code == 1
    messages = [d["message"] for d in report["diagnostics"]]  # type: ignore[union-attr]
    assert any("search index not built" in m and "pagefind[bin]" in m for m in messages), messages
    assert (site.root / "site/briefings/2025-03-01-dredging-plan/index.html").is_file()


# -- robots.txt and the favicon (item 4) ---------------------------------------------------------


def test_robots_txt_names_the_sitemap_only_when_the_address_is_absolute(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(site, capsys=capsys)[0] == 0
    robots = site.out("robots.txt")
    assert robots.startswith("User-agent: *\n") and "Sitemap" not in robots
    assert build(site, "--base-url", "https://news.example.org/desk/", capsys=capsys)[0] == 0
    assert "Sitemap: https://news.example.org/desk/sitemap.xml\n" in site.out("robots.txt")


def test_every_page_names_the_svg_favicon(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(site, capsys=capsys)[0] == 0
    out = site.root / "site"
    assert (out / "static/favicon.svg").read_text().startswith("<svg")
    for path in out.rglob("*.html"):
        rel = path.relative_to(out).as_posix()
        icons = [n for n in parse_html(path.read_text()).find_all("link") if n.attrs.get("rel") == "icon"]
        assert len(icons) == 1, rel
        target = (path.parent / str(icons[0].attrs["href"])).resolve() if rel != "404.html" else None
        assert target is None or target == (out / "static/favicon.svg").resolve(), rel


# -- the 404 page (item 3) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "mount"), [("/", "/"), ("/desk/", "/desk/"), ("https://x.org/b/", "/b/")]
)
def test_the_404_page_links_from_the_base_path(
    site: Site, capsys: pytest.CaptureFixture[str], base_url: str, mount: str
) -> None:
    """A host serves 404.html at any depth: its links and assets cannot be relative to where it lies."""
    assert build(site, "--base-url", base_url, capsys=capsys)[0] == 0
    page = parse_html(site.out("404.html"))
    targets = [
        n.attrs.get("href") or n.attrs.get("src") for n in page.find_all() if n.tag in ("a", "link", "script")
    ]
    local = [t for t in targets if t and not t.startswith(("http", "#"))]
    assert f"{mount}static/style.css" in local and f"{mount}search/" in local
    assert all(t.startswith(mount) for t in local), local
    other = parse_html(site.out("search/index.html"))
    assert other.find("link", rel="stylesheet").attrs["href"] == "../static/style.css"  # others stay relative


# -- briefgen new (item 4) -----------------------------------------------------------------------


def test_new_writes_a_dated_article_and_never_overwrites(
    site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site.root)
    argv = ["new", "Rovers' late winner: Harbour Cup!", "--date", "2025-04-12", "--source", "Quay Post"]
    assert main([*argv, "--tags", "sport, harbour"]) == 0
    out = capsys.readouterr()
    path = site.root / "content/2025-04-12-rovers-late-winner-harbour-cup.md"
    assert out.out.strip() == "content/2025-04-12-rovers-late-winner-harbour-cup.md"
    text = path.read_text()
    assert text.startswith('---\ntitle: "Rovers\' late winner: Harbour Cup!"\ndate: 2025-04-12\n')
    assert 'source: "Quay Post"' in text and 'tags: ["sport", "harbour"]' in text and "\nauthor:" in text
    path.write_text(text.replace("draft: true  # not built until this line goes\n", "") + "More text.\n")
    edited = path.read_text()
    assert main(argv) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text() == edited  # untouched
    code, report = build(site, "--base-url", ADDRESS, capsys=capsys)
    assert code == 0 and report["warnings"] == 0, report["diagnostics"]
    page = parse_html(site.out("briefings/2025-04-12-rovers-late-winner-harbour-cup/index.html"))
    assert page.find("h1").text() == "Rovers' late winner: Harbour Cup!"
    assert page.find(class_="source").text() == "Quay Post"


def test_a_new_article_is_a_draft_that_builds_without_a_warning(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "Ferry strike ends", "--site", str(site.root)]) == 0
    capsys.readouterr()
    today = dt.date.today().isoformat()
    assert (site.root / f"content/{today}-ferry-strike-ends.md").is_file()
    code, report = build(site, "--base-url", ADDRESS, capsys=capsys)
    assert code == 0 and report["warnings"] == 0 and report["briefings"] == 2
    assert report["held_back"] == {"drafts": 1, "future": 0}


def test_new_is_in_the_help_and_the_readme(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "new" in capsys.readouterr().out
    assert 'briefgen new "' in (REPO / "README.md").read_text()


# -- the sample site is the same on every clone (item 9) ------------------------------------------


def _copy_sample_site(dest: Path) -> Path:
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "briefgen.yml", dest / "briefgen.yml")
    return dest


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_the_sample_site_is_the_same_whatever_its_files_times(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clone sets every file's time to the moment of the clone: no page may depend on it."""
    outputs = []
    for number, when in enumerate((dt.datetime(2024, 1, 2, 12), dt.datetime(2026, 12, 1, 12))):
        site = Site(_copy_sample_site(tmp_path / f"clone-{number}"))
        for path in (site.root / "content").iterdir():
            os.utime(path, (when.timestamp(), when.timestamp()))
        code, report = build(site, capsys=capsys)
        assert code == 0
        assert report["warnings"] == 0, report["diagnostics"]
        snapshot = _snapshot(site.root / "site")
        outputs.append(
            {k: v for k, v in snapshot.items() if k != ".briefgen-files" and not varies_between_runs(k)}
        )
        assert not any(k.startswith(("days/2026-", "days/2024-01")) for k in snapshot)
    assert outputs[0] == outputs[1]


def test_an_undated_article_takes_its_files_time_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = Site(tmp_path / "undated")
    path = site.write("content/cup-final.txt", "Rovers win the cup\n\nRovers won the cup on Saturday.\n")
    when = dt.datetime(2025, 4, 13, 9, 30, tzinfo=dt.UTC).timestamp()
    os.utime(path, (when, when))
    code, report = build(site, "--base-url", ADDRESS, capsys=capsys)
    assert code == 0
    (warning,) = [d for d in report["diagnostics"] if d["severity"] == "warning"]  # type: ignore[union-attr]
    assert warning["path"] == "content/cup-final.txt"
    assert "modification time (2025-04-13)" in warning["message"]
    assert (site.root / "site/days/2025-04-13/index.html").is_file()


def test_search_off_makes_no_index_or_search_page_and_removes_an_old_one(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    """`search: false` (large archives): no Pagefind run, no search page, no link to it; a bundle an
    earlier build made goes, and turning search on again brings it back."""
    assert build(site, capsys=capsys)[0] == 0
    bundle = site.root / "site" / SEARCH_DIR
    assert (bundle / "pagefind.js").is_file()
    site.write("briefgen.yml", "search: false\n")
    code, report = build(site, capsys=capsys)
    assert code == 0, report
    assert not bundle.exists() and not (site.root / "site/search/index.html").exists()
    removed = report["pages"]["removed"]  # type: ignore[index]
    assert f"{SEARCH_DIR}/pagefind.js" in removed and "search/index.html" in removed
    for page in ("index.html", "404.html", "briefings/2025-03-01-dredging-plan/index.html"):
        assert "search/" not in site.out(page), page
    site.write("briefgen.yml", "search: true\n")
    assert build(site, capsys=capsys)[0] == 0
    assert (bundle / "pagefind.js").is_file() and (site.root / "site/search/index.html").is_file()
    assert 'search/">Search</a>' in site.out("index.html")


def test_pagefind_reads_only_briefing_pages_unless_another_template_marks_a_body(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    """The theme marks briefing pages alone, so Pagefind is given those to read; a site template that
    marks another page's body for the index makes it read every page again."""
    assert pages_to_read([THEME_DIR / "templates"]) == "briefings/**/*.html"
    assert build(site, capsys=capsys)[0] == 0
    entry = site.root / "site" / SEARCH_DIR / "pagefind-entry.json"
    assert json.loads(entry.read_text())["languages"]["en"]["page_count"] == 2
    site.write(
        "templates/404.html",
        '{% extends "!theme/404.html" %}{% block content %}<div data-pagefind-body>Lost pages</div>{% endblock %}',
    )
    assert pages_to_read([site.root / "templates", THEME_DIR / "templates"]) is None
    assert build(site, capsys=capsys)[0] == 0
    assert json.loads(entry.read_text())["languages"]["en"]["page_count"] == 3
