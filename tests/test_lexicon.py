"""The word lists in briefgen/lang/en/ stay clean: headers, no duplicates, no stray punctuation, the
case each list promises, and no word in two lists that contradict each other."""

from __future__ import annotations

import re
from collections import Counter
from importlib import resources
from itertools import combinations

import pytest

from briefgen.analysis.name_candidates import _strip_titles
from briefgen.lang import Lexicon, lexicon, read_entries

LISTS = sorted(
    p.name.removesuffix(".txt")
    for p in resources.files("briefgen").joinpath("lang/en").iterdir()
    if p.name.endswith(".txt")
)
# Lists written with capitals (names, capitalised words); every other list is lower case.
CASED = {
    "stop_caps", "surname_caps", "given_male", "given_female", "given_either", "org_words", "known_orgs",
    "event_words", "law_words", "places", "place_acronyms", "place_aliases", "place_words", "demonyms",
    "portfolios", "caps_not_places", "kickers", "weekdays", "months", "byline_not_names", "outlets",
    "company_forms", "org_heads", "org_adjectives", "state_bodies", "land_heads", "of_heads", "street_words",
    "geonames_countries", "geonames_regions", "geonames_cities", "geonames_large_cities", "ordinals", "foreign_articles", "word_acronyms",
}  # fmt: skip
# Entries are words: letters, and inside them apostrophes, hyphens and periods (abbreviations, "U.S.").
_WORD = re.compile(r"[^\W\d_](?:[\w’'.&-]*[\w.])?|\d+|'s|n't")
_PHRASE = re.compile(rf"(?:{_WORD.pattern})(?: (?:{_WORD.pattern}))*")
_FORMATS = {
    "place_aliases": re.compile(rf"{_PHRASE.pattern} = {_PHRASE.pattern}"),
    "outlets": re.compile(rf"[a-z]+ = {_PHRASE.pattern}"),
    "abbreviations": re.compile(r"[a-z.]+ (?:title|suffix|place|endable|number|dotted)"),
    "name_modifiers": re.compile(r"[a-z]+ (?:person|organisation|place)"),
}
_MULTIWORD = {
    "known_orgs", "places", "phrasal_speech", "kickers", "geonames_countries", "geonames_regions", "geonames_cities",
    "geonames_large_cities",
    "org_possessions", "org_phrases_before", "club_posts",
}  # fmt: skip


def _text(name: str) -> str:
    return resources.files("briefgen").joinpath(f"lang/en/{name}.txt").read_text(encoding="utf-8")


def test_every_list_is_loaded() -> None:
    loaded = set(Lexicon.__slots__) | {"role_nouns", "role_modifiers", "org_words"}  # type: ignore[attr-defined]
    assert set(LISTS) <= loaded


@pytest.mark.parametrize("name", LISTS)
def test_header_says_source_and_licence(name: str) -> None:
    header = [line for line in _text(name).split("\n") if line.startswith("#")]
    assert _text(name).startswith("# "), "the file opens with a comment saying what the list is"
    assert any(line.startswith("# Source: ") and "Licence: " in line for line in header)


@pytest.mark.parametrize("name", LISTS)
def test_entries_are_clean(name: str) -> None:
    entries = read_entries(name)
    assert entries, "an empty list"
    duplicates = sorted(e for e, n in Counter(entries).items() if n > 1)
    assert not duplicates, f"duplicates: {duplicates}"
    shape = _FORMATS.get(name, _PHRASE if name in _MULTIWORD else _WORD)
    bad = [e for e in entries if not shape.fullmatch(e)]
    assert not bad, f"entries with stray spaces or punctuation: {bad}"
    if name not in CASED:
        upper = [e for e in entries if e != e.lower()]
        assert not upper, f"a lower-case list holds {upper}"
    else:
        lower = [
            e
            for e in entries
            if not (e[:1].isupper() or e.startswith(("al-", "el-")))
            and name not in ("place_aliases", "outlets")
        ]
        assert not lower, f"a capitalised list holds {lower}"


def _lower(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


# Pairs of lists that must share no entry, and why.
CONTRADICTIONS = {
    ("given_male", "given_female"): "a name is one gender's, or on given_either",
    ("given_male", "given_either"): "a name is one gender's, or on given_either",
    ("given_female", "given_either"): "a name is one gender's, or on given_either",
    ("person_titles", "given_names"): "a title word is stripped from a name; a given name opens one",
    ("stop_words", "speech_verbs"): "a speech verb is a word that matters to attribution",
    ("speech_verbs", "paraphrase_verbs"): "paraphrase_verbs lists only verbs that are not speech verbs",
    ("known_orgs", "places"): "a name is an organisation or a place",
    ("stop_words", "filler_words"): "each uninformative word is on one of the two lists",
    ("documents", "mute_documents"): "a document speaks for its issuer or stands for no one",
    ("sports_verbs", "speech_verbs"): "a result verb makes its subject a team, a speech verb a speaker",
    ("org_stand_ins", "role_nouns"): "'the firm' stands for an organisation, 'the minister' for a person",
}


@pytest.mark.parametrize("pair", sorted(CONTRADICTIONS))
def test_no_word_in_two_contradicting_lists(pair: tuple[str, str]) -> None:
    lex = lexicon()
    a, b = (_lower(frozenset(getattr(lex, name))) for name in pair)
    assert not a & b, f"{pair}: {CONTRADICTIONS[pair]}; both hold {sorted(a & b)}"


def test_a_demonym_that_is_a_given_name_opens_a_two_word_name() -> None:
    """A demonym is stripped from the front of a name and a given name opens one: a word on both lists
    ("Christian") is read as the given name when one more word follows ("Christian Cullen"), as the
    demonym before a longer name ("Christian Democrat leader Jane Doe")."""
    lex = lexicon()
    both = lex.demonyms & lex.given_names
    assert both, "no word is on both lists: this test and its rule in name_candidates may go"
    for word in both:
        titles, name = _strip_titles(("Minister", word, "Cullen"))
        assert name == (word, "Cullen"), (word, titles, name)


def test_stop_caps_that_are_given_names_are_surnames_too() -> None:
    lex = lexicon()
    assert lex.stop_caps & lex.given_names <= lex.surname_caps


def test_subsets_hold() -> None:
    lex = lexicon()
    assert lex.surname_caps <= lex.stop_caps
    assert lex.attribution_verbs - {"according"} <= lex.speech_verbs
    assert lex.inverting_verbs <= lex.speech_verbs
    assert lex.abbreviations_of("title") <= lex.person_titles


def test_lists_are_disjoint_where_they_are_unions() -> None:
    """Derived sets add lists together; a word written on two of them is a duplicate in disguise."""
    lex = lexicon()
    parts = {"given_male": lex.given_male, "given_female": lex.given_female, "given_either": lex.given_either}
    for (name_a, a), (name_b, b) in combinations(parts.items(), 2):
        assert not a & b, (name_a, name_b)
    assert not set(read_entries("role_nouns")) & lex.person_titles
    assert not set(read_entries("of_heads")) & lex.land_heads
    assert not set(read_entries("org_classifiers")) & lex.org_stand_ins
    assert not set(read_entries("geonames_cities")) & lex.large_cities
    assert not set(read_entries("date_words")) & {w.lower() for w in (*lex.months, *lex.weekdays)}


def test_lexicon_is_loaded_once() -> None:
    assert lexicon() is lexicon()
