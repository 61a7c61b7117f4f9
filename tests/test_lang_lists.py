"""Hygiene of the language lists this project ships in briefgen/lang/en/ (one entry a line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.analysis.places import gazetteer, is_place_name, is_well_known_place

LANG = Path(__file__).resolve().parent.parent / "briefgen" / "lang" / "en"
LISTS = sorted(LANG.glob("*.txt"))


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.name)
def test_list_has_a_header_with_source_and_licence(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    header = [line for line in lines[:5] if line.startswith("#")]
    assert header, "a list opens with '#' lines that say what it is"
    assert any("Source:" in line for line in header)
    assert any("Licence:" in line for line in header)


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.name)
def test_entries_are_clean_and_unique(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text
    entries = [line for line in text.split("\n") if line and not line.startswith("#")]
    assert entries
    assert all(e == e.strip() and "  " not in e and "\t" not in e for e in entries)
    assert len(entries) == len(set(entries)), "duplicate entries"


def test_gazetteer_knows_places_and_leaves_out_everyday_words() -> None:
    for place in ("Phnom Penh", "Arbil", "Guangdong", "Sarajevo", "Czech Republic", "Europe"):
        assert is_place_name(place), place
    assert is_place_name("NEW YORK")  # a dateline in capitals
    for word in ("Reading", "Split", "Best", "Central", "Of"):
        assert not is_place_name(word), word


def test_well_known_places_are_countries_regions_and_large_cities() -> None:
    assert is_well_known_place("Germany") and is_well_known_place("Texas") and is_well_known_place("Bombay")
    assert is_place_name("Clinton") and not is_well_known_place("Clinton")  # a small town, and a surname
    found = gazetteer()
    assert found.large_cities < found.cities
