"""The places of the world (lang/en/geonames_*.txt, made by scripts/make_place_lists.py) as the name
finder asks them: known places, no everyday words, and the large cities that win a tie with a name."""

from __future__ import annotations

from briefgen.analysis.places import is_country, is_place_name, is_well_known_place
from briefgen.lang import lexicon


def test_the_lists_know_places_and_leave_out_everyday_words() -> None:
    for place in ("Phnom Penh", "Arbil", "Guangdong", "Sarajevo", "Czech Republic", "Europe", "Kazan"):
        assert is_place_name(place), place
    assert is_place_name("NEW YORK")  # a dateline in capitals
    for word in ("Reading", "Split", "Best", "Central", "Of"):
        assert not is_place_name(word), word


def test_a_transliteration_is_kept_as_english_writes_it() -> None:
    cities = lexicon().geonames_cities
    assert "Kazan" in cities and "Kazan'" not in cities
    assert not [c for c in cities if c.endswith(("'", "’"))]


def test_well_known_places_are_countries_regions_and_large_cities() -> None:
    assert is_well_known_place("Germany") and is_well_known_place("Texas") and is_well_known_place("Mumbai")
    assert is_place_name("Bombay") and not is_well_known_place("Bombay")  # another name: a possible place
    assert is_place_name("Clinton") and not is_well_known_place("Clinton")  # a small town, and a surname
    lex = lexicon()
    assert lex.large_cities < lex.geonames_cities


def test_countries_by_any_of_their_names() -> None:
    assert is_country("Britain") and is_country("BRAZIL") and is_country("Germany")
    assert not is_country("Leeds")
