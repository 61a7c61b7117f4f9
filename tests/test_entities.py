"""People, organisations and places: golden cases and the seed article."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.analysis.entities import find_entities
from briefgen.model import Entity
from tests.casefiles import Golden, as_jsonl, each_case, read_case
from tests.conftest import SEED_ARTICLE


def paragraphs_of(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text)
    return [" ".join(line.strip() for line in b.splitlines() if line.strip()) for b in blocks if b.strip()]


@each_case("entities")
def test_entity_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)  # config: {"title": ...} when the case has a title
    got = find_entities(paragraphs_of(case.input), title=case.config.get("title"))
    golden.check(case, as_jsonl([{"name": e.name, "kind": e.kind, "count": e.count} for e in got]))


@pytest.fixture(scope="module")
def seed_entities() -> dict[str, Entity]:
    return {e.name: e for e in find_entities(paragraphs_of(SEED_ARTICLE.read_text(encoding="utf-8")))}


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
