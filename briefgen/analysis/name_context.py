"""Context rules of the name finder: what the words around a name make it.

`names.py` finds capitalised runs and decides what lists and titles can; these rules read the text
around a name, or the article as a whole: a rare word after "in" is a place ("in Calderwick"), a
place that beats another is a team, a name beside "news agency" an outlet, a firm named without its
legal form the firm, "the Mariners" a club, "Engineers said" nobody.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from briefgen.analysis.name_candidates import _Candidate
from briefgen.analysis.organisations import media_context, team_context, team_name
from briefgen.analysis.places import is_country, is_place_name, is_well_known_place, team_home
from briefgen.lang import lexicon
from briefgen.lang.frequency import zipf_table
from briefgen.model import EntityKind

if TYPE_CHECKING:
    from briefgen.analysis.names import Mention, PersonInfo

LEX = lexicon()


@dataclass(frozen=True, slots=True)
class Surroundings:
    """What the article says around an undecided name, for `UNDECIDED_RULES`."""

    text: str  # the name's paragraph
    surnames: Mapping[str, str]  # the article's people by their last word
    cued_places: frozenset[str]  # one-word names the text shows to be places (`place_cues`)
    seen_caps: frozenset[str]  # one-word names seen capitalised inside a sentence
    speaks: bool  # a speech verb follows the name
    common: bool  # the name opens with an everyday word ("New Year")


_NoName = Literal["no name"]
_UndecidedRule = Callable[[_Candidate, Surroundings], "EntityKind | _NoName | None"]


def _cued_place(c: _Candidate, s: Surroundings) -> EntityKind | None:
    return "place" if len(c.tokens) == 1 and c.tokens[0] in s.cued_places else None


def _team_by_plural(c: _Candidate, s: Surroundings) -> EntityKind | None:
    return "organisation" if plural_team(c, s.text, s.surnames) else None


def _foreign_article(c: _Candidate, s: Surroundings) -> EntityKind | None:
    """ "La Presse", "LE TEMPS", "Die Welt", "El Al": a newspaper, a club or a firm (a place with an
    article, "Le Havre", is decided by the place lists before)."""
    opens = len(c.tokens) >= 2 and c.tokens[0].title() in LEX.foreign_articles
    return "organisation" if opens and c.tokens[-1] not in s.surnames else None


def _silent_word(c: _Candidate, s: Surroundings) -> _NoName | None:
    """A capitalised word alone, sentence-initial or not, unless it speaks (a date word never does)."""
    alone = len(c.tokens) == 1 and (not s.speaks or c.tokens[0].lower() in LEX.date_words)
    return "no name" if alone else None


def _people_unnamed(c: _Candidate, s: Surroundings) -> _NoName | None:
    """ "Engineers said", "Delegates said": people, but no name ("“…,” Williams said" is a surname)."""
    word = c.tokens[0]
    unnamed = (
        len(c.tokens) == 1
        and c.sentence_initial
        and word not in s.seen_caps
        and _everyday_plural(word)
        and not _after_closing_mark(s.text, c.start)
    )
    return "no name" if unnamed else None


def _club_of_city(c: _Candidate, s: Surroundings) -> EntityKind | None:
    """ "Real Madrid", "Inter Milan": an everyday word before a well-known place is a club (not a
    direction: "Northeast Philadelphia" is a place word's)."""
    return "organisation" if s.common and len(c.tokens) == 2 and is_well_known_place(c.tokens[1]) else None


def _everyday_words(c: _Candidate, s: Surroundings) -> _NoName | None:
    """ "New Year", "Million Dollar Baby": no person, unless they speak."""
    return "no name" if s.common and not s.speaks else None


# The rules for a name that no list, title or earlier mention decided, tried in this order; the first
# that decides wins, and a name none decides is a person ("Cobb said", "Elena Voss").
UNDECIDED_RULES: tuple[tuple[str, _UndecidedRule], ...] = (
    ("place the text shows", _cued_place),
    ("team called by its plural", _team_by_plural),
    ("foreign article", _foreign_article),
    ("a lone word that does not speak", _silent_word),
    ("people, unnamed", _people_unnamed),
    ("club of a city", _club_of_city),
    ("everyday words", _everyday_words),
)


def undecided_kind(c: _Candidate, surroundings: Surroundings) -> EntityKind | None:
    """The kind of an undecided name by `UNDECIDED_RULES`; None: no name at all."""
    for _, rule in UNDECIDED_RULES:
        found = rule(c, surroundings)
        if found is not None:
            return None if found == "no name" else found
    return "person"


_PLACE_BEFORE = LEX.place_prepositions
_PLACE_OF = LEX.place_of_nouns
_PLACE_AFTER = LEX.place_followers
_RARE_ZIPF10 = 30  # a word used less than once per million words: not an everyday word


def place_cues(cands: Sequence[_Candidate], paragraphs: Sequence[str]) -> set[str]:
    """One-word names the text shows to be places though no list has them: "in Calderwick", "south
    of Merriton", "Calderwick city council" (rare words only, never a known first name)."""
    cued: set[str] = set()
    table = zipf_table()
    for c in cands:
        if c.kind is not None or len(c.tokens) != 1 or c.tokens[0] in cued:
            continue
        word = c.tokens[0]
        if word in LEX.given_names or table.get(word.lower(), 0) >= _RARE_ZIPF10 or not word[1:].islower():
            continue
        text = paragraphs[c.paragraph]
        before = text[max(0, c.start - 24) : c.start].split()
        after = text[c.end : c.end + 16].split() if text[c.end : c.end + 1] == " " else []
        if (
            (before and before[-1] in _PLACE_BEFORE)
            or (len(before) >= 2 and before[-1] == "of" and before[-2] in _PLACE_OF)
            or (after and after[0] in _PLACE_AFTER)
        ):
            cued.add(word)
    return cued


def _after_closing_mark(text: str, start: int) -> bool:
    return text[:start].rstrip().endswith(("”", '"', "’"))


def _everyday_plural(word: str) -> bool:
    """A common plural noun ("Engineers", "Delegates") whose singular is common too."""
    table = zipf_table()
    return (
        word.endswith("s")
        and word[1:].islower()
        and table.get(word.lower(), 0) >= 35
        and table.get(word[:-1].lower(), 0) >= _RARE_ZIPF10
    )


def plural_team(c: _Candidate, text: str, surnames: Mapping[str, str]) -> bool:
    """ "the Mariners", "the Wasps": one capitalised plural after "the" that is no family ("the
    Clintons", when a Clinton is named), no people ("the Germans") and no place ("the Philippines")."""
    word = c.tokens[0]
    return (
        len(c.tokens) == 1
        and len(word) >= 4
        and word.endswith("s")
        and not word.endswith("ss")
        and word[1:].islower()
        and text[max(0, c.start - 4) : c.start] == "the "
        and word not in LEX.demonyms
        and word[:-1] not in LEX.demonyms  # "the Koreans": a people
        and word not in LEX.stop_caps
        and word[:-1] not in surnames
        and word.removesuffix("es") not in surnames
        and not is_place_name(word)
    )


def teams_by_home(mentions: list[Mention], paragraphs: Sequence[str], teams: set[str]) -> list[Mention]:
    """A team called by its home alone ("Kestrel Bay had started brightly", after "Kestrel Bay
    Rovers"), or a place the article once shows to be a team (`teams`: "Essex reached 372" after
    "to beat Essex"), is the team throughout the article (one sense per article), unless the words
    before make it the place ("in Kestrel Bay")."""
    homes = teams | {
        m.name.rsplit(" ", 1)[0]
        for m in mentions
        if m.kind == "organisation" and " " in m.name and team_name(m.name.split(), team_home)
    }
    if not homes:
        return mentions
    out: list[Mention] = []
    for m in mentions:
        if m.kind == "place" and m.name in homes and m.paragraph >= 0:
            before = paragraphs[m.paragraph][max(0, m.start - 12) : m.start].split()
            if not (before and before[-1].lower() in _PLACE_BEFORE):
                m = dataclasses.replace(m, kind="organisation")
        out.append(m)
    return out


def firms_that_speak(
    mentions: list[Mention], spoken: set[str], people: dict[str, PersonInfo], surnames: dict[str, str]
) -> list[Mention]:
    """ "Interfax said", "Ericsson says": a one-word name that is a person only because it speaks is
    the organisation the article names with that word elsewhere ("Interfax news agency", "LM Ericsson AB")."""
    if not spoken:
        return mentions
    org_words = {word for m in mentions if m.kind == "organisation" for word in m.name.split()}
    firms = spoken & org_words
    if not firms:
        return mentions
    for name in firms:
        people.pop(name, None)
        if surnames.get(name) == name:
            del surnames[name]
    return [
        dataclasses.replace(m, kind="organisation") if m.kind == "person" and m.name in firms else m
        for m in mentions
    ]


def team_of_place(c: _Candidate, text: str, kind: EntityKind | None) -> bool:
    """A city's or region's name used for its team ("Surrey beat Kent", "Leicester 21 Bath 18"); a
    country's side is named as the country ("England beat Wales") and stays a place."""
    return kind == "place" and not is_country(" ".join(c.tokens)) and team_context(text, c.start, c.end)


def outlet(c: _Candidate, text: str) -> bool:
    """A name beside "news agency", "newspaper" ("the Interfax news agency"); not a people's adjective
    ("Algerian radio")."""
    return not _adjective_of_a_people(c.tokens) and media_context(text, c.start, c.end)


def _adjective_of_a_people(tokens: tuple[str, ...]) -> bool:
    """ "Algerian", "Bosnian", "Japanese": a demonym, listed or by its ending, not a name."""
    word = tokens[0]
    return word in LEX.demonyms or (
        len(tokens) == 1 and len(word) >= 5 and word[1:].islower() and word.endswith(_DEMONYM_ENDINGS)
    )


_DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "an")


def person_not_place(c: _Candidate, name: str, surnames: dict[str, str], *, speaks: bool) -> bool:
    """A one-word name that the gazetteer alone calls a place, used for a person: the surname of
    someone named in the article ("Jackson" after "Jesse Jackson"), or the subject of speech."""
    if len(c.tokens) != 1 or name in LEX.places or name in LEX.place_aliases or is_well_known_place(name):
        return False
    return name in surnames or speaks
