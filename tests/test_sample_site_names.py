"""The sample site (content/) built in full: the names a reader scans first are right on the pages.

Checked through the built HTML with an HTML parser, as a reader's browser would see it: each
briefing's "Who and where" lists and the place pages.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen.cli import main

REPO = Path(__file__).resolve().parent.parent


class EntityLists(HTMLParser):
    """kind -> names, from `<ul class="entity-list KIND"><li><a>Name</a> <span class="count">`."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, list[str]] = {}
        self._kind: str | None = None
        self._in_item = False
        self._in_count = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "ul" and "entity-list" in classes:
            self._kind = next(c for c in classes if c != "entity-list")
        elif tag == "li" and self._kind:
            self._in_item, self._text = True, []
        elif tag == "span" and self._in_item and "count" in classes:
            self._in_count = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._in_count:
            self._in_count = False
        elif tag == "li" and self._in_item and self._kind:
            self.names.setdefault(self._kind, []).append("".join(self._text).strip())
            self._in_item = False
        elif tag == "ul":
            self._kind = None

    def handle_data(self, data: str) -> None:
        if self._in_item and not self._in_count:
            self._text.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "briefgen.yml", root / "briefgen.yml")
    assert main(["build", "--site", str(root), "--quiet", "--jobs", "1"]) == 0
    return root / "site"


def entities_on(site: Path, slug: str) -> dict[str, list[str]]:
    parser = EntityLists()
    parser.feed((site / "briefings" / slug / "index.html").read_text(encoding="utf-8"))
    return parser.names


def every_listing(site: Path) -> dict[str, dict[str, list[str]]]:
    return {page.name: entities_on(site, page.name) for page in sorted((site / "briefings").iterdir())}


@pytest.mark.parametrize(
    "wrong",
    [
        "Calderwick Chamber of Commerce",
        "Representatives of Calderwick",
        "Engineers",
        "Clyde Water",
        "X Email",
    ],
)
def test_no_organisation_or_word_is_listed_as_a_person(built: Path, wrong: str) -> None:
    for slug, names in every_listing(built).items():
        assert wrong not in names.get("person", []), slug


def test_the_chamber_of_commerce_is_an_organisation(built: Path) -> None:
    names = entities_on(built, "2025-03-11-calderwick-rail-funding-dispute")
    assert "Calderwick Chamber of Commerce" in names["organisation"]


def test_a_club_is_not_a_place(built: Path) -> None:
    names = entities_on(built, "2025-04-12-harbour-cup-final-kestrel-bay")
    assert not any(name.startswith("Kestrel Bay") for name in names.get("place", []))
    assert "Kestrel Bay Rovers" in names["organisation"]


@pytest.mark.parametrize(
    "slug",
    [
        "2025-03-04-calderwick-council-approves-high-speed-line",
        "2025-03-11-calderwick-rail-funding-dispute",
        "2025-03-20-merriton-residents-challenge-rail-route",
    ],
)
def test_the_rail_towns_are_places(built: Path, slug: str) -> None:
    places = entities_on(built, slug)["place"]
    assert "Calderwick" in places and "Merriton" in places


@pytest.mark.parametrize(
    ("town", "story"),
    [
        ("calderwick", "2025-03-11-calderwick-rail-funding-dispute"),
        ("calderwick", "2025-03-04-calderwick-council-approves-high-speed-line"),
        ("merriton", "2025-03-20-merriton-residents-challenge-rail-route"),
    ],
)
def test_the_rail_towns_have_place_pages(built: Path, town: str, story: str) -> None:
    page = (built / "entities" / town / "index.html").read_text(encoding="utf-8")
    assert f"briefings/{story}/" in page
