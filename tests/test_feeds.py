"""Feeds people subscribe to, and the site's address they need (issue 15 items 1 and 2): Atom, RSS 2.0 and
JSON Feed 1.1 of the site, its stories and each topic, entity and story, read as feed readers read them
(feedparser) and checked against the JSON Feed 1.1 schema (jsonschema); without a whole address, no feed,
no sitemap, and one warning that says so."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
import pytest

from briefgen.config import default_config_text
from briefgen.render.search import SEARCH_DIR
from tests.conftest import REPO, Site, parse_html, run_briefgen

ADDRESS = "https://news.example.org/desk/"
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "jsonfeed-1.1.schema.json").read_text())
FEED_FILES = ("feed.xml", "rss.xml", "feed.json")


def _report(run_args: list[str]) -> dict[str, object]:
    run = run_briefgen(*run_args, "--json")
    assert run.returncode == 0, run.stderr
    report: dict[str, object] = json.loads(run.stdout)
    return report


def _feeds(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.name in FEED_FILES and SEARCH_DIR not in p.parts)


def _html_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if SEARCH_DIR not in p.parts)


# --- without the site's address: left out, and said once (item 1) ---------------------------------


def test_without_an_address_the_build_says_once_what_it_left_out(site: Site) -> None:
    site.write("briefgen.yml", "title: Harbour desk\nbase_url: /desk/\n")
    for _ in range(2):  # the second build has nothing to do, and says it again
        report = _report(["build", "--site", str(site.root)])
        warnings = [d for d in report["diagnostics"] if d["severity"] == "warning"]  # type: ignore[union-attr]
        assert len(warnings) == 1, warnings
        (warning,) = warnings
        assert (warning["path"], warning["line"]) == ("briefgen.yml", 2)
        for named in ("'/desk/'", "Atom, RSS, JSON Feed", "sitemap.xml", "canonical", "https://example.org/"):
            assert named in warning["message"], named
    out = site.root / "site"
    assert _feeds(out) == []
    assert not (out / "sitemap.xml").exists()  # a sitemap of relative <loc>s is no sitemap
    assert "Sitemap" not in (out / "robots.txt").read_text()
    for path in _html_pages(out):
        page = parse_html(path.read_text())
        links = page.find_all("link")
        assert not [n for n in links if n.attrs.get("rel") in ("canonical", "alternate")], path
        assert not [n for n in page.find_all("meta") if n.attrs.get("property") == "og:url"], path
        for script in page.find_all("script", type="application/ld+json"):
            assert '"url"' not in script.text(), path


def test_an_address_makes_the_sitemap_and_canonical_links_absolute(site: Site) -> None:
    report = _report(["build", "--site", str(site.root), "--base-url", ADDRESS])
    assert report["warnings"] == 0, report["diagnostics"]
    out = site.root / "site"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [n.text or "" for n in ET.parse(out / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert f"{ADDRESS}briefings/2025-03-01-dredging-plan/" in locs and f"{ADDRESS}tags/harbour/" in locs
    assert all(loc.startswith(ADDRESS) and " " not in loc for loc in locs), locs
    for loc in locs:  # every listed address is a page of the site
        assert (out / loc.removeprefix(ADDRESS) / "index.html").is_file(), loc
    assert f"Sitemap: {ADDRESS}sitemap.xml" in (out / "robots.txt").read_text()
    for path in _html_pages(out):
        rel = path.relative_to(out).as_posix()
        canonical = [
            n for n in parse_html(path.read_text()).find_all("link") if n.attrs.get("rel") == "canonical"
        ]
        if rel == "404.html":  # served at every missing address: it has none of its own
            assert canonical == []
            continue
        (link,) = canonical
        assert link.attrs["href"] == ADDRESS + rel.removesuffix("index.html"), rel


@pytest.mark.parametrize(
    "value",
    ["https://", "example.org/desk/", "https://example.org/a b/", "https://example.org/?q=1", "ftp://x.org/"],
)
def test_a_base_url_that_is_neither_a_path_nor_an_address_is_an_error_at_its_line(
    site: Site, value: str
) -> None:
    site.write("briefgen.yml", f"title: Desk\nbase_url: {json.dumps(value)}\n")
    run = site.build()
    assert run.returncode == 2
    assert "briefgen.yml:2: error: base_url" in run.stderr, run.stderr


def test_the_config_text_and_the_readme_say_how_to_give_the_address() -> None:
    text = default_config_text()
    assert "whole address ('https://example.org/briefs/')" in text and "base_url:" in text
    assert "\n  items: 50\n" in text and "\n  rss: true\n" in text and "\npage_size: 30\n" in text
    readme = (REPO / "README.md").read_text()
    assert "base_url: https://example.org/briefs/" in readme and "feed.json" in readme


# --- the feeds of the sample site, read as readers read them (item 2) ------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample site, built at its own address (briefgen.yml), long lists in pages of 2."""
    root = tmp_path_factory.mktemp("sample")
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "briefgen.yml").read_text()
    (root / "briefgen.yml").write_text(config + "page_size: 2\n")
    run = run_briefgen("build", "--site", str(root))
    assert run.returncode == 0 and ": warning: " not in run.stderr, run.stderr
    return root / "site"


def _base_of(sample: Path) -> str:
    canonical = parse_html((sample / "index.html").read_text()).find("link", rel="canonical")
    return str(canonical.attrs["href"])


def test_every_atom_and_rss_feed_of_the_sample_site_reads_without_error(sample: Path) -> None:
    base = _base_of(sample)
    xml_feeds = [p for p in _feeds(sample) if p.suffix == ".xml"]
    folders = {p.parent.relative_to(sample).as_posix() for p in xml_feeds}
    assert {".", "stories"} <= folders  # the site's and the stories'
    for kind in ("tags", "entities", "stories"):  # and those of topics, entities and stories
        assert any(f.startswith(f"{kind}/") for f in folders), kind
    for path in xml_feeds:
        rel = path.relative_to(sample).as_posix()
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (rel, parsed.get("bozo_exception"))
        assert parsed.version == ("atom10" if path.name == "feed.xml" else "rss20"), rel
        self_links = [link["href"] for link in parsed.feed.links if link.get("rel") == "self"]
        assert self_links == [base + rel], rel
        assert parsed.feed.get("author"), rel  # feed-level author
        assert parsed.feed.get("updated_parsed") or parsed.feed.get("published_parsed"), rel
        ids = [entry.id for entry in parsed.entries]
        assert ids and len(set(ids)) == len(ids), rel
        for entry in parsed.entries:
            assert entry.id.startswith(base) and " " not in entry.id and entry.link == entry.id, rel
            assert entry.get("published_parsed") or entry.get("updated_parsed"), rel
            assert (sample / entry.link.removeprefix(base) / "index.html").is_file(), entry.link


def test_every_json_feed_of_the_sample_site_meets_the_json_feed_1_1_schema(sample: Path) -> None:
    base = _base_of(sample)
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("uri")
    def is_absolute_url(value: object) -> bool:
        parts = urlsplit(str(value))
        return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in str(value)

    @checker.checks("date-time", raises=ValueError)
    def is_rfc3339(value: object) -> bool:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).tzinfo is not None

    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=checker)
    json_feeds = [p for p in _feeds(sample) if p.suffix == ".json"]
    assert len(json_feeds) == len([p for p in _feeds(sample) if p.name == "feed.xml"])
    for path in json_feeds:
        rel = path.relative_to(sample).as_posix()
        feed = json.loads(path.read_text(encoding="utf-8"))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(feed)]
        assert errors == [], (rel, errors)
        assert next(iter(feed)) == "version"  # "this should appear at the very top"
        assert feed["feed_url"] == base + rel and feed["authors"] and feed["items"], rel
    rejected = {"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [{"id": "a b"}]}
    assert not validator.is_valid(rejected)  # an item needs content_html or content_text


def test_a_feed_holds_the_newest_feed_items_entries_and_a_topic_feed_its_own(site: Site) -> None:
    for day in range(5, 9):
        site.write(
            f"content/2025-03-0{day}-harbour-{day}.md",
            f"---\ntitle: Harbour note {day}\ntags: [harbour]\n---\n\nThe harbour board met on day {day}.\n",
        )
    site.write("briefgen.yml", f"base_url: {ADDRESS}\nfeed:\n  items: 3\n")
    assert site.build().returncode == 0
    out = site.root / "site"
    everything = feedparser.parse((out / "feed.xml").read_bytes())
    assert [e.title for e in everything.entries] == ["Harbour note 8", "Harbour note 7", "Harbour note 6"]
    harbour = json.loads((out / "tags/harbour/feed.json").read_text())
    assert harbour["title"].endswith(": harbour") and harbour["home_page_url"] == f"{ADDRESS}tags/harbour/"
    assert [i["title"] for i in harbour["items"]] == ["Harbour note 8", "Harbour note 7", "Harbour note 6"]
    transport = feedparser.parse((out / "tags/transport/rss.xml").read_bytes())
    assert [e.title for e in transport.entries] == ["Ministers agree harbour dredging plan"]
    (entry,) = transport.entries
    assert entry.author == "Ana Ruiz" and "Tomas Halvorsen" in entry.description  # key quotes, by speaker


def test_pages_name_the_feeds_that_concern_them(sample: Path) -> None:
    def alternates(rel: str) -> dict[str, str]:
        page = parse_html((sample / rel).read_text())
        links = [n for n in page.find_all("link") if n.attrs.get("rel") == "alternate"]
        found = {}
        for link in links:
            href = str(link.attrs["href"])
            assert (sample / rel).parent.joinpath(href).resolve().is_file(), (rel, href)
            found[(sample / rel).parent.joinpath(href).resolve().relative_to(sample.resolve()).as_posix()] = (
                str(link.attrs["type"])
            )
        return found

    site_feeds = {
        "feed.xml": "application/atom+xml",
        "rss.xml": "application/rss+xml",
        "feed.json": "application/feed+json",
    }
    assert alternates("search/index.html") == site_feeds
    tag = next(p.parent.name for p in sorted((sample / "tags").glob("*/feed.xml")))
    assert alternates(f"tags/{tag}/index.html") == {
        **site_feeds,
        **{f"tags/{tag}/{n}": t for n, t in site_feeds.items()},
    }
    assert set(alternates("index.html")) == {*site_feeds, *(f"stories/{n}" for n in site_feeds)}
    story = next(p.parent.name for p in sorted((sample / "stories").glob("*/feed.xml")))
    expected = {*site_feeds, *(f"stories/{story}/{n}" for n in site_feeds)}
    assert set(alternates(f"stories/{story}/index.html")) == expected
    assert set(alternates(f"briefings/{story}/index.html")) == expected  # a report names its story's feeds


def test_feed_formats_and_subject_feeds_can_be_turned_off(site: Site) -> None:
    site.write("briefgen.yml", f"base_url: {ADDRESS}\nfeed:\n  rss: false\n  subjects: false\n")
    report = _report(["build", "--site", str(site.root)])
    assert report["warnings"] == 0
    assert [p.relative_to(site.root / "site").as_posix() for p in _feeds(site.root / "site")] == [
        "feed.json",
        "feed.xml",
        "stories/feed.json",
        "stories/feed.xml",
    ]


def test_the_footer_links_to_a_feed_the_build_wrote(site: Site) -> None:
    site.write("briefgen.yml", f"base_url: {ADDRESS}\nfeed:\n  atom: false\n")
    _report(["build", "--site", str(site.root)])
    out = site.root / "site"
    assert not (out / "feed.xml").exists() and (out / "rss.xml").is_file()
    page = out / "tags/index.html"
    (footer,) = parse_html(page.read_text()).find_all("footer")
    (link,) = footer.find_all("a")
    assert (page.parent / str(link.attrs["href"])).resolve() == (out / "rss.xml").resolve()
