"""People, organisations and places: golden cases and the seed article."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefgen.analysis.entities import find_entities
from briefgen.model import Entity

CASES = Path(__file__).parent / "cases" / "entities"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_e1ac3629cfe7b588.txt"


def paragraphs_of(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text)
    return [" ".join(line.strip() for line in b.splitlines() if line.strip()) for b in blocks if b.strip()]


def read_case(path: Path) -> tuple[str | None, str, str]:
    head, rest = path.read_text(encoding="utf-8").split("\n--- input\n", 1)
    title = head.split("--- title\n", 1)[1].strip() if "--- title\n" in head else None
    given, expected = rest.split("\n--- expected\n", 1)
    return title, given, expected.strip()


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_entity_case(path: Path) -> None:
    title, given, expected = read_case(path)
    got = find_entities(paragraphs_of(given), title=title)
    assert (
        "\n".join(
            json.dumps({"name": e.name, "kind": e.kind, "count": e.count}, ensure_ascii=False) for e in got
        )
        == expected
    )


@pytest.fixture(scope="module")
def seed_entities() -> dict[str, Entity]:
    if not SEED.is_file():
        pytest.skip("seed article not available")
    return {e.name: e for e in find_entities(paragraphs_of(SEED.read_text(encoding="utf-8")))}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Pete Hegseth", "person"),
        ("Donald Trump", "person"),
        ("Vladimir Putin", "person"),
        ("Volodymyr Zelensky", "person"),
        ("Marco Rubio", "person"),
        ("Keith Kellogg", "person"),
        ("NATO", "organisation"),
        ("Fox News", "organisation"),
        ("Ukraine", "place"),
        ("Russia", "place"),
        ("Brussels", "place"),
        ("Kyiv", "place"),
        ("Washington", "place"),
        ("United States", "place"),
    ],
)
def test_seed_entities(seed_entities: dict[str, Entity], name: str, kind: str) -> None:
    assert seed_entities[name].kind == kind


def test_seed_short_forms_count_towards_full_names(seed_entities: dict[str, Entity]) -> None:
    assert seed_entities["Pete Hegseth"].count >= 7  # "Hegseth" written alone six times
    assert seed_entities["Donald Trump"].count >= 6
    assert "Hegseth" not in seed_entities and "Trump" not in seed_entities
    assert "Defense Secretary" not in seed_entities  # a post, not a person


def test_order_is_by_count_then_first_mention() -> None:
    paragraphs = ["Ana Silva met Rui Costa in Lisbon.", "Costa thanked Silva. Costa left for Porto."]
    got = find_entities(paragraphs)
    assert [(e.name, e.count) for e in got][:3] == [("Rui Costa", 3), ("Ana Silva", 2), ("Lisbon", 1)]
    assert find_entities(paragraphs) == got
