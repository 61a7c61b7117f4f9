"""A rule-based name finder: capitalised runs, title words, surname linking, sentence-initial filtering.

`find_mentions` turns paragraphs into `Mention`s, each already resolved to the canonical name of the
person, organisation or place it refers to ("Hegseth" -> "Pete Hegseth"). Everything is local to one
article and to the `Lexicon` (word lists, and the places of the world from GeoNames): no model.
Candidates and the kind their own words give them come from `name_candidates`; what the words around
a name make it (a team, an outlet, a firm, a place the text shows) from `name_context`.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefgen.analysis.name_candidates import _Candidate, _candidates, _strip_titles, _tokens_of
from briefgen.analysis.name_context import (
    Surroundings,
    firms_that_speak,
    outlet,
    person_not_place,
    place_cues,
    team_of_place,
    teams_by_home,
    undecided_kind,
)
from briefgen.analysis.org_cues import short_firm_names
from briefgen.analysis.places import is_place_name, is_well_known_place
from briefgen.lang import lexicon
from briefgen.lang.frequency import zipf_table
from briefgen.model import EntityKind

LEX = lexicon()


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of a named thing in a paragraph (offsets cover the name without titles)."""

    paragraph: int  # -1 for the title
    start: int
    end: int
    surface: str  # as written, titles and possessive stripped: "Hegseth"
    name: str  # canonical: "Pete Hegseth"
    kind: EntityKind
    is_modifier: bool = False  # "the Trump administration", "Trump's plan": not a likely subject


@dataclass(slots=True)
class PersonInfo:
    """What the article tells about one person: titles used with the name, gender if known."""

    name: str
    titles: set[str] = field(default_factory=set)
    gender: str | None = None  # "m", "f" or None


@dataclass(frozen=True, slots=True)
class NameIndex:
    mentions: tuple[Mention, ...]
    people: dict[str, PersonInfo]
    surnames: dict[str, str]  # last (or only) token -> canonical full name
    orgs: tuple[str, ...]
    # the first person (in `people` order) with this last word, and with these first and last words
    _by_last: dict[str, str] = field(init=False, default_factory=dict)
    _by_ends: dict[tuple[str, str], str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for full in self.people:
            words = full.split()
            self._by_last.setdefault(words[-1], full)
            self._by_ends.setdefault((words[0], words[-1]), full)

    def person_for(self, text: str) -> str | None:
        """The canonical person a written name refers to ("Mr. Hegseth" -> "Pete Hegseth"): the same
        name; else the first person with the same last word (one word written) or the same first and
        last words ("Donald J. Trump" ~ "Donald Trump"); else the owner of the surname."""
        tokens = _strip_titles(_tokens_of(text))[1]
        if len(tokens) > 1:
            tokens = tuple(t for t in tokens if t not in LEX.demonyms)
        if not tokens:
            return None
        joined = " ".join(tokens)
        if joined in self.people:
            return joined
        same = (
            self._by_last.get(tokens[0]) if len(tokens) == 1 else self._by_ends.get((tokens[0], tokens[-1]))
        )
        return same if same is not None else self.surnames.get(tokens[-1])


def _gender(tokens: Sequence[str], titles: Sequence[str]) -> str | None:
    title_set = set(titles)
    if title_set & LEX.female_titles:
        return "f"
    if title_set & LEX.male_titles:
        return "m"
    first = tokens[0] if tokens else ""
    if first in LEX.given_female:
        return "f"
    if first in LEX.given_male:
        return "m"
    return None


def _subject_of_speech(text: str, end: int) -> bool:
    """Is the name at text[..end] followed by a speech verb ("Hegseth said")?"""
    after = text[end : end + 30].split(" ", 3)
    if after[0]:
        return False  # punctuation right after the name: "Recently, he said"
    words = after[1:]
    return any(w.strip(",.:;") in LEX.speech_verbs for w in words[:1]) or (
        len(words) > 1 and words[0].endswith("ly") and words[1].strip(",.:;") in LEX.speech_verbs
    )


def find_mentions(paragraphs: Sequence[str], *, title: str | None = None) -> NameIndex:
    """Memoised: the quote and entity stages both ask for the same article's names in a row."""
    return _find_mentions_cached(tuple(paragraphs), title)


@functools.lru_cache(maxsize=8)
def _find_mentions_cached(paragraphs: tuple[str, ...], title: str | None) -> NameIndex:
    return _find_mentions(paragraphs, title=title)


def _find_mentions(paragraphs: Sequence[str], *, title: str | None = None) -> NameIndex:
    """Every name in the article, linked to its canonical form."""
    cands = [c for index, text in enumerate(paragraphs) for c in _candidates(index, text)]
    short_firm_names(cands, paragraphs)
    known = _Known(_full_names(cands))
    cues = _Cues(
        places=frozenset(place_cues(cands, paragraphs)),
        seen_caps=frozenset(c.tokens[0] for c in cands if len(c.tokens) == 1 and not c.sentence_initial),
    )
    mentions: list[Mention] = []
    for c in cands:
        text = paragraphs[c.paragraph]
        decided = _decide(c, text, known, cues)
        if decided is None:
            continue
        kind, name = decided
        if kind == "person":
            _learn_about(known.people[name], c, text)
        mentions.append(
            Mention(c.paragraph, c.start, c.end, text[c.start : c.end], name, kind, c.is_modifier)
        )
    mentions = firms_that_speak(mentions, known.spoken, known.people, known.surnames)
    mentions = _link_orgs(teams_by_home(mentions, paragraphs, known.teams))
    _learn_genders(paragraphs, mentions, known.people)
    if title:
        mentions.extend(_title_mentions(title, mentions))
    orgs = tuple(dict.fromkeys(m.name for m in mentions if m.kind == "organisation"))
    return NameIndex(tuple(mentions), known.people, known.surnames, orgs)


@dataclass(slots=True)
class _Known:
    """The article's people as `_find_mentions` learns them, in reading order."""

    people: dict[str, PersonInfo]
    surnames: dict[str, str] = field(default_factory=dict)
    first_names: dict[str, str] = field(default_factory=dict)
    by_ends: dict[tuple[str, str], str] = field(default_factory=dict)
    spoken: set[str] = field(default_factory=set)  # one-word names made people only by a speech verb
    teams: set[str] = field(default_factory=set)  # places the article shows to be teams

    def __post_init__(self) -> None:
        self.surnames, self.first_names = _short_forms(self.people)
        self.by_ends = {(full.split()[0], full.split()[-1]): full for full in self.people}

    def add(self, name: str, last: str) -> None:
        self.people.setdefault(name, PersonInfo(name))
        self.surnames.setdefault(last, name)


@dataclass(frozen=True, slots=True)
class _Cues:
    places: frozenset[str]  # one-word names the text shows to be places
    seen_caps: frozenset[str]  # one-word names seen capitalised inside a sentence


def _decide(c: _Candidate, text: str, known: _Known, cues: _Cues) -> tuple[EntityKind, str] | None:
    """The kind and canonical name of one candidate, in order: a place or an undecided name that its
    context makes an organisation (a city's team, an outlet: `name_context.team_of_place`, `outlet`); a person
    already known by this form; an undecided name by the rules of `name_context.UNDECIDED_RULES` (a
    person when none decides); a titled single name never seen in full ("President Trump"); a one-word
    place used for a person (the surname of someone named, or the subject of speech); a place by its
    usual name; an organisation. None: no name at all ("New Year", "Engineers said")."""
    kind, name = c.kind, " ".join(c.tokens)
    if team_of_place(c, text, kind):
        kind = "organisation"
        known.teams.add(LEX.place_aliases.get(name, name))
    elif kind in (None, "place") and outlet(c, text):
        kind = "organisation"
    if kind in (None, "person"):
        linked = _link_person(c.tokens, known.people, known.by_ends, known.surnames, known.first_names)
        if linked is not None:
            return "person", linked
        if kind is None:
            surroundings = Surroundings(
                text=text,
                surnames=known.surnames,
                cued_places=cues.places,
                seen_caps=cues.seen_caps,
                speaks=_subject_of_speech(text, c.end),
                common=_opens_with_common_word(c.tokens),
            )
            kind = undecided_kind(c, surroundings)
            if kind is None:
                return None
            if kind == "person" and len(c.tokens) == 1:
                known.spoken.add(name)
        if kind == "person":
            known.add(name, c.tokens[-1])
            return "person", name
    if kind == "place" and person_not_place(c, name, known.surnames, speaks=_subject_of_speech(text, c.end)):
        name = known.surnames.get(name, name)
        known.add(name, name.split()[-1])
        return "person", name
    if kind == "place":
        name = LEX.place_aliases.get(name, name)
        in_capitals = name.isupper() and (name.title() in LEX.places or is_place_name(name))
        return "place", name.title() if in_capitals else name
    assert kind == "organisation"
    return "organisation", _org_name(name)


def _full_names(cands: Sequence[_Candidate]) -> dict[str, PersonInfo]:
    """Multi-word people, in order of appearance; of two with the same first and last words, the longer
    form names both ("Donald J. Trump" over "Donald Trump")."""
    people: dict[str, PersonInfo] = {}
    by_ends: dict[tuple[str, str], str] = {}  # (first, last) word -> full name
    for c in cands:
        if len(c.tokens) < 2 or c.kind not in (None, "person"):
            continue
        if c.kind is None and (
            _looks_like_org_or_place(c.tokens)
            or _opens_with_common_word(c.tokens)
            or c.tokens[0].title() in LEX.foreign_articles  # "La Presse": `name_context.UNDECIDED_RULES`
        ):
            continue
        key = " ".join(c.tokens)
        ends = (c.tokens[0], c.tokens[-1])
        match = by_ends.get(ends)
        if match is None:
            people[key] = PersonInfo(key)
            by_ends[ends] = key
        elif len(key) > len(match):
            info = people.pop(match)
            info.name = key
            people[key] = info
            by_ends[ends] = key
    return people


def _short_forms(people: dict[str, PersonInfo]) -> tuple[dict[str, str], dict[str, str]]:
    """(surname -> full name, first name -> full name): the first person to bear each."""
    surnames: dict[str, str] = {}
    first_names: dict[str, str] = {}
    for full in people:
        words = full.split()
        surnames.setdefault(words[-1], full)
        if len(words) == 2 and _FAMILY_NAME_FIRST.fullmatch(words[1]):
            surnames.setdefault(words[0], full)  # "Ban Ki-moon" is "Ban" again later
    for full in people:
        first_names.setdefault(full.split()[0], full)
    return surnames, first_names


def _learn_about(info: PersonInfo, c: _Candidate, text: str) -> None:
    """Titles written with the name or said of it, and a gender the titles or first name tell."""
    if c.titles:
        info.titles.update(t.rstrip(".") for t in c.titles)
    info.titles.update(_described_as(text, c.start, c.end))
    if info.gender is None:
        info.gender = _gender(info.name.split(), c.titles)


_APPOSITIVE = re.compile(
    r",\s+(?:the|a|an|its|their)\s+([^,.;:“”\"()]{1,80}?)(?=,|\.|;|\s+who\b|\s+said\b|$)"
)
_WORDS = re.compile(r"[\w\-]+")


_ROLE_OR_DEMONYM = LEX.role_nouns | LEX.role_modifiers


def _described_as(text: str, start: int, end: int) -> set[str]:
    """Role words said of a name: "Calum Rennick, the trust’s senior ranger," / "former FBI agent X"."""
    words: set[str] = set()
    match = _APPOSITIVE.match(text, end)
    if match:
        words.update(w.lower() for w in _WORDS.findall(match.group(1).replace("’s", "").replace("'s", "")))
    before = text[max(0, start - 40) : start].split()[-3:]
    for word in reversed(before):
        low = word.lower()
        if not (word.isalpha() and word.islower() and low in _ROLE_OR_DEMONYM):
            break
        words.add(low)
    return words


def _link_orgs(mentions: list[Mention]) -> list[Mention]:
    """Short forms of an organisation count towards its full name ("the Bank", "Reserve Bank" ->
    "Reserve Bank of Australia": the latest full name mentioned before, else the first after); a bare
    organisation word that names nothing ("Department") is dropped."""
    full: dict[str, list[int]] = {}  # full (several-word) name -> where it is mentioned, in order
    for i, m in enumerate(mentions):
        if m.kind == "organisation" and " " in m.name:
            full.setdefault(m.name, []).append(i)
    holders = _holders(list(full))
    out: list[Mention] = []
    longer_of: dict[str, tuple[list[int], list[list[str]]]] = {}  # name -> the full names holding it
    for i, m in enumerate(mentions):
        if m.kind != "organisation":
            out.append(m)
            continue
        words = m.name.split()
        found = longer_of.get(m.name)
        if found is None:
            holding = holders.get(tuple(words), ())
            longer = sorted((j, name.split()) for name in holding for j in full[name]) if holding else []
            found = longer_of[m.name] = ([j for j, _ in longer], [f for _, f in longer])
        at, targets = found
        if at:
            k = bisect_left(at, i)  # the latest full name mentioned before, else the first after
            target = targets[k - 1] if k else targets[0]
            out.append(
                Mention(m.paragraph, m.start, m.end, m.surface, " ".join(target), m.kind, m.is_modifier)
            )
        elif not (len(words) == 1 and words[0] in LEX.org_words):
            out.append(m)
    return out


_LONGEST_SHORT_FORM = 12  # words: a short form of a name is short


def _holders(full_names: Sequence[str]) -> dict[tuple[str, ...], list[str]]:
    """Each run of words -> the longer names (in the given order) that contain it as a run of words."""
    holders: dict[tuple[str, ...], list[str]] = {}
    for name in full_names:
        words = tuple(name.split())
        longest = min(len(words) - 1, _LONGEST_SHORT_FORM)
        runs = {words[k : k + n] for n in range(1, longest + 1) for k in range(len(words) - n + 1)}
        for run in runs:
            holders.setdefault(run, []).append(name)
    return holders


# `[.!?][”\"’]?\s+(He|She|His|Her)\b|,\s+(he|she) (?:said|says|added)\b`, opening with one character class
_NEXT_PRONOUN = re.compile(
    r"[.!?,](?:(?<=[.!?])[”\"’]?\s+(He|She|His|Her)\b|(?<=,)\s+(he|she) (?:said|says|added)\b)"
)


def _learn_genders(
    paragraphs: Sequence[str], mentions: Sequence[Mention], people: dict[str, PersonInfo]
) -> None:
    """A person whose first name tells nothing takes the gender of the pronoun that next refers back
    to them, when no other person comes between ("Rennick said … He said it was too early")."""
    votes: dict[str, list[str]] = {}
    by_paragraph: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.kind == "person":
            by_paragraph.setdefault(m.paragraph, []).append(m)
    for index, found in by_paragraph.items():
        text = paragraphs[index]
        for i, m in enumerate(found):
            info = people.get(m.name)
            if info is None or info.gender is not None or m.is_modifier:
                continue
            limit = found[i + 1].start if i + 1 < len(found) else len(text)
            match = _NEXT_PRONOUN.search(text, m.end, min(limit, m.end + 300))
            if match:
                word = (match.group(1) or match.group(2)).lower()
                votes.setdefault(m.name, []).append("m" if word in ("he", "his") else "f")
    for name, said in votes.items():
        if said.count("m") != said.count("f"):
            people[name].gender = "m" if said.count("m") > said.count("f") else "f"


# Zipf frequency (x 10) from which a first word is an everyday word ("new", "old", "great"), not a name.
_COMMON_ZIPF10 = 48
_NAME_PARTICLES = LEX.name_particles


def _opens_with_common_word(tokens: Sequence[str]) -> bool:
    """A run without title or known first name that opens with an everyday word: a film, a holiday,
    a stadium more likely than a person (the word list: `briefgen.lang.frequency`)."""
    first = tokens[0]
    if first in LEX.given_names or first.lower() in _NAME_PARTICLES or len(first.rstrip(".")) == 1:
        return False  # "Ed Balls", "Van Morrison", "R Kelly"
    return zipf_table().get(first.lower(), 0) >= _COMMON_ZIPF10


def _looks_like_org_or_place(tokens: Sequence[str]) -> bool:
    return (
        any(t in LEX.places or t in LEX.place_aliases or is_well_known_place(t) for t in tokens)
        and tokens[0] not in LEX.given_names
    )


def _org_name(name: str) -> str:
    return LEX.place_aliases.get(name, name) if name == "EU" else name


# A hyphenated given name with a lower-case second part ("Ki-moon", "Jae-in", "Jong-un") follows the family
# name, which is what the text uses on its own afterwards.
_FAMILY_NAME_FIRST = re.compile(r"[A-Z][a-z]+-[a-z]+")


def _link_person(
    tokens: tuple[str, ...],
    people: dict[str, PersonInfo],
    by_ends: dict[tuple[str, str], str],
    surnames: dict[str, str],
    first_names: dict[str, str],
) -> str | None:
    joined = " ".join(tokens)
    if joined in people:
        return joined
    if len(tokens) >= 2:
        return by_ends.get((tokens[0], tokens[-1]))
    if len(tokens) == 1:
        if tokens[0] in surnames:
            return surnames[tokens[0]]
        if tokens[0] in LEX.given_names and tokens[0] in first_names:
            return first_names[tokens[0]]
    return None


def _title_mentions(title: str, body: Sequence[Mention]) -> list[Mention]:
    """Headlines are title-cased, so only forms already known from the body count."""
    forms = {m.surface: (m.name, m.kind) for m in body}
    forms.update({m.name: (m.name, m.kind) for m in body})
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for form in sorted([form for form in forms if form in title], key=len, reverse=True):
        for start, end in _whole_word_spans(form, title):
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            name, kind = forms[form]
            out.append(Mention(-1, start, end, form, name, kind))
    return out


def _whole_word_spans(form: str, text: str) -> list[tuple[int, int]]:
    """Where `form` stands in `text` between non-word characters: the spans `re.finditer` gives for
    `(?<!\\w)` + the escaped form + `(?!\\w)`, without compiling a pattern per form."""
    spans: list[tuple[int, int]] = []
    at = text.find(form)
    while at >= 0:
        end = at + len(form)
        if (at == 0 or not _is_word_char(text[at - 1])) and (
            end == len(text) or not _is_word_char(text[end])
        ):
            spans.append((at, end))
            at = text.find(form, end) if end > at else text.find(form, at + 1)
        else:
            at = text.find(form, at + 1)
    return spans


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # the regex `\w` on str
