"""Language data: the word lists of `lang/en/*.txt`, loaded once into one frozen `Lexicon`.

Each file holds one entry a line; `#` starts a comment line, and every file opens with a header that
says what the list is for, where it came from and its licence. Mapping lists write `key = value`; the
abbreviation list writes `word kind`. The loader keeps entries exactly as written: a stray comma or
space is a mistake that `tests/test_lexicon.py` reports, not something to clean up silently.

`lexicon()` is the one owner of the loaded data (cached on first use); analysis code asks it for the
sets it needs instead of keeping word lists of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

LANGUAGE = "en"


@dataclass(frozen=True, slots=True, kw_only=True)
class Lexicon:
    """Every word list of one language. Sets are lower case unless their file says otherwise."""

    # speech and attribution
    speech_verbs: frozenset[str]
    attribution_verbs: frozenset[str]  # the commonest, that make the words after a quote its attribution
    paraphrase_verbs: frozenset[str]  # beyond the speech verbs
    inverting_verbs: frozenset[str]  # "said Jane Doe", "Said Comey, ..."
    phrasal_speech: tuple[str, ...]  # "according to", "went on", "put it"
    irregular_speech_verbs: frozenset[str]
    not_speech_ed: frozenset[str]
    content_after_verb: frozenset[str]
    subject_pronouns: frozenset[str]
    description_heads: frozenset[str]
    indefinite_determiners: frozenset[str]
    not_heads: frozenset[str]
    documents: frozenset[str]
    verb_adverbs: frozenset[str]
    clause_words: frozenset[str]
    np_prepositions: frozenset[str]
    participle_objects: frozenset[str]
    auxiliaries: frozenset[str]
    verb_particles: frozenset[str]
    object_starts: frozenset[str]
    coordination: frozenset[str]
    subordinators: frozenset[str]
    possessive_determiners: frozenset[str]
    ly_nouns: frozenset[str]  # words ending in -ly that are not adverbs
    # people, organisations, places
    person_titles: frozenset[str]
    female_titles: frozenset[str]
    male_titles: frozenset[str]
    occupations: frozenset[str]
    role_nouns: frozenset[str]  # person titles included
    role_modifiers: frozenset[str]  # lower-cased demonyms included
    org_nouns: frozenset[str]
    org_words: frozenset[str]  # capitalised; plurals included
    known_orgs: frozenset[str]
    event_words: frozenset[str]
    law_words: frozenset[str]
    places: frozenset[str]
    place_acronyms: frozenset[str]
    place_aliases: Mapping[str, str]
    place_words: frozenset[str]
    demonyms: frozenset[str]
    portfolios: frozenset[str]
    stop_caps: frozenset[str]  # capitalised
    surname_caps: frozenset[str]
    given_male: frozenset[str]
    given_female: frozenset[str]
    given_either: frozenset[str]
    given_names: frozenset[str]  # the three above
    name_particles: frozenset[str]
    # sentences and text
    abbreviations: Mapping[str, str]  # word (no final period) -> kind: title, endable, number, dotted
    sentence_openers: frozenset[str]
    small_words: frozenset[str]
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    stop_words: frozenset[str]
    filler_words: frozenset[str]
    term_stop_words: frozenset[str]  # stop words and filler words: never a related-link term
    # datelines and bylines
    agencies: frozenset[str]
    caps_not_places: frozenset[str]
    kickers: frozenset[str]
    place_small_words: frozenset[str]
    outlets: Mapping[str, str]
    masthead_words: tuple[str, ...]  # in the order they are tried
    second_level_domains: frozenset[str]
    host_prefixes: frozenset[str]
    byline_not_names: frozenset[str]
    # the last word of a job in a byline: "Staff Reporter", "Chief Correspondent"
    byline_roles: frozenset[str]

    def abbreviations_of(self, *kinds: str) -> frozenset[str]:
        """The abbreviations of the given kinds."""
        return frozenset(word for word, kind in self.abbreviations.items() if kind in kinds)


def read_entries(name: str, language: str = LANGUAGE) -> tuple[str, ...]:
    """The entries of one list file, in file order: lines that are neither blank nor comments."""
    text = resources.files("briefgen").joinpath(f"lang/{language}/{name}.txt").read_text(encoding="utf-8")
    return tuple(line for line in text.split("\n") if line and not line.startswith("#"))


def _pairs(name: str, separator: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for entry in read_entries(name):
        key, _, value = entry.partition(separator)
        pairs[key] = value
    return pairs


def _set(name: str) -> frozenset[str]:
    return frozenset(read_entries(name))


def _plural_forms(words: frozenset[str]) -> frozenset[str]:
    return words | frozenset(w + "s" for w in words if not w.endswith("s"))


@functools.cache
def lexicon() -> Lexicon:
    """The English lexicon, read from the package's files on first use."""
    sets = {
        name: _set(name)
        for name in (
            "speech_verbs attribution_verbs paraphrase_verbs inverting_verbs irregular_speech_verbs not_speech_ed "
            "content_after_verb subject_pronouns description_heads indefinite_determiners not_heads "
            "documents verb_adverbs clause_words np_prepositions participle_objects auxiliaries "
            "verb_particles object_starts coordination subordinators possessive_determiners ly_nouns person_titles female_titles "
            "male_titles occupations org_nouns known_orgs event_words law_words places "
            "place_acronyms place_words demonyms portfolios stop_caps surname_caps given_male "
            "given_female given_either name_particles sentence_openers small_words stop_words "
            "filler_words agencies caps_not_places kickers place_small_words second_level_domains "
            "host_prefixes byline_not_names"
        ).split()
    }
    person_titles = sets["person_titles"]
    demonyms = sets["demonyms"]
    return Lexicon(
        **sets,
        byline_roles=_set("byline_roles"),
        phrasal_speech=read_entries("phrasal_speech"),
        role_nouns=person_titles | _set("role_nouns"),
        role_modifiers=frozenset(d.lower() for d in demonyms) | _set("role_modifiers"),
        org_words=_plural_forms(_set("org_words")),
        place_aliases=MappingProxyType(_pairs("place_aliases", " = ")),
        given_names=sets["given_male"] | sets["given_female"] | sets["given_either"],
        abbreviations=MappingProxyType(_pairs("abbreviations", " ")),
        weekdays=read_entries("weekdays"),
        months=read_entries("months"),
        term_stop_words=sets["stop_words"] | sets["filler_words"],
        outlets=MappingProxyType(_pairs("outlets", " = ")),
        masthead_words=read_entries("masthead_words"),
    )


class Memo(dict[Any, Any]):
    """A bounded memo of a pure function of language data (a token's term, a term's IDF): a plain dict
    for speed on hot paths, that stops growing at `limit` entries. With `compute`, a missing key is
    computed and kept (`memo[key]` never misses)."""

    __slots__ = ("compute", "limit")

    def __init__(self, limit: int, compute: Callable[[Any], Any] | None = None) -> None:
        super().__init__()
        self.limit = limit
        self.compute = compute

    def keep(self, key: Any, value: Any) -> None:
        if len(self) < self.limit:
            self[key] = value

    def __missing__(self, key: Any) -> Any:
        if self.compute is None:
            raise KeyError(key)
        value = self.compute(key)
        self.keep(key, value)
        return value


_MEMOS: dict[str, Memo] = {}


def memo(name: str, *, limit: int, compute: Callable[[Any], Any] | None = None) -> Memo:
    """The process's memo called `name`: every module-level cache of briefgen lives here, bounded, and
    `clear_memos` empties them all (a long preview session, a test)."""
    found = _MEMOS.get(name)
    if found is None:
        found = _MEMOS[name] = Memo(limit, compute)
    return found


def clear_memos() -> None:
    for found in _MEMOS.values():
        found.clear()
