"""A rule-based name finder: capitalised runs, title words, surname linking, sentence-initial filtering.

`find_mentions` turns paragraphs into `Mention`s, each already resolved to the canonical name of the
person, organisation or place it refers to ("Hegseth" -> "Pete Hegseth"). Everything is local to one
article: no model, no gazetteer beyond the small lists in `lexicon`.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from briefgen.analysis import lexicon as lx
from briefgen.analysis.name_context import (
    firms_that_speak,
    outlet_or_team,
    person_not_place,
    place_cues,
    placeish,
    short_firm_names,
    team_home,
    teams_by_home,
    undecided_kind,
)
from briefgen.analysis.organisations import (
    is_org_word,
    keeps_adjective,
    split_companies,
    split_modifiers,
    split_of,
    team_name,
)
from briefgen.analysis.places import is_place_name, is_well_known_place
from briefgen.corpus.background import zipf_table
from briefgen.model import EntityKind

# A token: an acronym with periods ("U.S."), an initial ("J."), or a word (apostrophes and hyphens inside).
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w’'\-]*\w)?", re.UNICODE)
_CONNECTORS = lx.words("of de da di del der van von bin al la le du des dos y")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gov",
        "lt",
        "gen",
        "col",
        "sgt",
        "const",
        "cst",
        "cpl",
        "insp",
        "supt",
        "det",
        "st",
        "jr",
        "sr",
        "prof",
        "rev",
        "capt",
        "maj",
        "adm",
        "cmdr",
        "coun",
        "mt",
        "ft",
        "hon",
        "atty",
        "brig",
        "pte",
    ]
)
_PORTFOLIO = lx.words("""State Defense Defence Finance Health Justice Foreign Affairs Homeland Security Public Safety Transport
    Transportation Energy Education Labour Labor Agriculture Immigration Environment Treasury Commerce
    Interior Veterans Housing Trade Industry Innovation Fisheries Oceans Natural Resources Infrastructure
    Revenue National International Development Economic Economy Employment Social Services Culture
    Heritage Tourism Sport Sports Indigenous Northern Climate Change Emergency Preparedness Municipal
    Intergovernmental Citizenship Digital Government Family Families Children Seniors Women Youth Mental
    Addictions Solicitor Attorney General Finance Forests Mines Water Land Lands Communities Relations
    Staff Joint Chiefs the""")
_POSSESSIVE = ("’s", "'s", "’", "'")


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
class _Candidate:
    paragraph: int
    start: int
    end: int
    tokens: tuple[str, ...]
    kind: EntityKind | None  # None: undecided until the whole article is seen
    titles: tuple[str, ...] = ()
    sentence_initial: bool = False
    is_modifier: bool = False


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

    def person_for(self, text: str) -> str | None:
        """The canonical person a written name refers to ("Mr. Hegseth" -> "Pete Hegseth")."""
        tokens = _strip_titles(_tokens_of(text))[1]
        if len(tokens) > 1:
            tokens = tuple(t for t in tokens if t not in lx.DEMONYMS)
        if not tokens:
            return None
        joined = " ".join(tokens)
        if joined in self.people:
            return joined
        for full in self.people:
            if _same_person(tokens, tuple(full.split())):
                return full
        return self.surnames.get(tokens[-1])


def _tokens_of(text: str) -> tuple[str, ...]:
    return tuple(m.group() for m in _TOKEN.finditer(text))


def _bare(token: str) -> str:
    for ending in _POSSESSIVE[:2]:
        if token.endswith(ending):
            return token[: -len(ending)]
    return token


def _is_cap(token: str) -> bool:
    return token[:1].isupper() or (token[:3] in ("al-", "el-") and token[3:4].isupper())


def _strip_titles(tokens: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split "U.S. Secretary of State Marco Rubio" into (title words, name words)."""
    last = -1
    for i, tok in enumerate(tokens):
        if tok.lower().rstrip(".") in lx.PERSON_TITLES and i < len(tokens) - 1:
            last = i
    if last < 0:
        return (), tuple(tokens)
    rest = list(tokens[last + 1 :])
    titles = [t.lower() for t in tokens[: last + 1]]
    if rest and rest[0] == "of":
        titles.append(rest.pop(0))
        while len(rest) > 1 and (rest[0] in _PORTFOLIO or rest[0] in lx.DEMONYMS or rest[0] == "and"):
            titles.append(rest.pop(0).lower())
    while rest and (
        rest[0].lower().rstrip(".") in lx.PERSON_TITLES
        or (rest[0] in lx.DEMONYMS and not (rest[0] in lx.GIVEN_NAMES and len(rest) == 2))
    ):
        titles.append(rest.pop(0).lower())
    return tuple(titles), tuple(rest)


def _classify(tokens: tuple[str, ...], titles: tuple[str, ...]) -> EntityKind | Literal["title"] | None:
    joined = " ".join(tokens)
    if joined in lx.KNOWN_ORGS:
        return "organisation"
    if joined in lx.PLACES or joined in lx.PLACE_ALIASES:
        return "place"
    if any(is_org_word(t) for t in tokens):
        return "organisation"
    if len(tokens) >= 3 and tokens[1] == "of" and tokens[0] in _LAND_HEADS:
        return "place"  # "Republic of Ireland", "Isle of Man"
    if team_name(tokens, team_home):
        return "organisation"  # "Boston Red Sox", "Kestrel Bay Rovers"
    if tokens[0].isupper() and (joined.title() in lx.PLACES or is_place_name(joined)):
        return "place"  # a dateline: "BRUSSELS", "NEW YORK"
    if len(tokens) == 1 and _is_acronym(tokens[0]):
        return "organisation"
    if tokens[-1] in _STREET_WORDS and len(tokens) > 1:
        return "place"  # "Grace Road", "Victoria Street"
    if tokens[-1].lower() in lx.PERSON_TITLES and not (len(tokens) == 2 and tokens[0] in lx.GIVEN_NAMES):
        return "title"  # "Foreign Minister"; not "John Major"
    if titles:
        return "person"
    if len(tokens) >= 2 and tokens[0] in lx.GIVEN_NAMES:
        return "person"
    if is_place_name(joined) and (tokens[0] not in lx.GIVEN_NAMES or is_well_known_place(joined)):
        return "place"  # "Phnom Penh", "Arbil"; not "Florence" or "Eugene" alone
    if len(tokens) > 1 and any(t in lx.PLACE_WORDS for t in tokens) and tokens[0] not in lx.GIVEN_NAMES:
        return "place"
    return None


_LAND_HEADS = frozenset(
    "Republic Kingdom Emirate Sultanate Principality Commonwealth Isle Isles Gulf Bay Strait".split()
)
_STREET_WORDS = frozenset("Road Street Avenue Boulevard Lane Square Airport Highway Plaza".split())


def _is_acronym(token: str) -> bool:
    letters = token.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 6 and letters.isupper() and token not in lx.PLACE_ACRONYMS


def _sentence_initial(text: str, start: int) -> bool:
    # The last 64 characters decide, unless stripping leaves fewer than the 3 that "..." needs.
    before = text[max(0, start - 64) : start].rstrip(" “\"‘'(")
    if len(before) < 3 and start > 64:
        before = text[:start].rstrip(" “\"‘'(")
    return not before or before[-1] in '.!?:—–-”"' or before.endswith("...")


# Capitalised tokens: a dotted acronym ("U.S."), or a word that starts with a capital (or "al-"/"el-" and
# one) and is not the tail of another word. Written to open with one character class, so the regex
# engine skips straight to the letters a token can start with instead of trying every position:
# same matches as `(?:[A-Z]\.){2,}|(?<![\w’'\-])(?:al-|el-)?[^\W\d_a-z](?:[\w’'\-]*\w)?`.
_CAP_TOKEN = re.compile(
    r"[^\W\d_b-df-z](?:"
    r"(?<=[A-Z])\.(?:[A-Z]\.)+"
    r"|(?<![\w’'\-].)(?<=[ae])l-[^\W\d_a-z](?:[\w’'\-]*\w)?"
    r"|(?<![\w’'\-].)(?<=[^\W\d_a-z])(?:[\w’'\-]*\w)?"
    r")"
)
# The same on ASCII text, where plain character ranges replace the slower Unicode categories.
_CAP_TOKEN_ASCII = re.compile(
    r"[A-Zae](?:"
    r"(?<=[A-Z])\.(?:[A-Z]\.)+"
    r"|(?<![\w'\-].)(?<=[ae])l-[A-Z](?:[\w'\-]*\w)?"
    r"|(?<![\w'\-].)(?<=[A-Z])(?:[\w'\-]*\w)?"
    r")",
    re.ASCII,
)
_JOINING_GAPS = frozenset(f" {c} " for c in _CONNECTORS) | {" ", " and ", " & "}


_Tok = tuple[int, int, str]


def _runs(text: str) -> list[list[_Tok]]:
    """Maximal runs of capitalised tokens joined by single spaces, initials or one connector."""
    runs: list[list[_Tok]] = []
    current: list[_Tok] = []
    stop_caps, org_words, abbreviations, gaps = lx.STOP_CAPS, lx.ORG_WORDS, _ABBREVIATIONS, _JOINING_GAPS
    prev_end, prev_tok = 0, ""  # the last capitalised token of `current`
    for match in (_CAP_TOKEN_ASCII if text.isascii() else _CAP_TOKEN).finditer(text):
        token = match.group()
        if (
            token in stop_caps
            and token.lower() not in abbreviations
            and not (current and token in org_words)
            # "Elizabeth May", "George Will": a surname after a given name
            and not (
                current
                and token in lx.SURNAME_CAPS
                and prev_tok in lx.GIVEN_NAMES
                and text[prev_end : match.start()] == " "
            )
        ):
            if current:
                runs.append(current)
                current = []
            continue
        start, end = match.span()
        if current:
            gap = text[prev_end:start]
            joined = gap in gaps or (
                gap == ". "
                and (prev_tok.lower() in abbreviations or (len(prev_tok) == 1 and prev_tok.isupper()))
            )
            if not joined or prev_tok.endswith(_POSSESSIVE[:2]):  # "Trump's Pentagon": two names
                runs.append(current)
                current = []
            elif gap != " " and gap != ". ":
                current.append((prev_end + 1, start - 1, gap.strip()))
        current.append((start, end, token))
        prev_end, prev_tok = end, token
    if current:
        runs.append(current)
    return runs


def _split_and(run: list[_Tok]) -> list[list[_Tok]]:
    """ "Securities and Exchange Commission" is one name, "Trump and Clinton" two."""
    if len(run) < 3:  # a joining word always stands between two tokens
        return [run]
    joins = [i for i, tok in enumerate(run) if tok[2] in ("and", "&")]
    if not joins or run[-1][2] in lx.ORG_WORDS:
        return [run]
    parts: list[list[_Tok]] = []
    last = 0
    for i in joins:
        parts.append(run[last:i])
        last = i + 1
    parts.append(run[last:])
    return [p for p in parts if p]


_Plan = tuple[
    tuple[int, ...],  # tokens inside the title words that are places ("U.S. Defense Secretary")
    int,  # the token a leading place stands at ("Kabul Ahmad Shah" -> "Kabul"), or -1
    int,  # index of the name's first token
    tuple[str, ...],  # the name's tokens
    tuple[str, ...],  # title words
    EntityKind | None,  # the name's kind, if decided
    bool,  # whether the name is a candidate at all (not a lone letter, a post, a law, an event)
]
_PLANS: dict[tuple[str, ...], _Plan] = {}  # memo: names repeat within and across articles


def _plan(tokens: tuple[str, ...]) -> _Plan:
    """What the capitalised tokens of one run name: a pure function of the tokens, memoised."""
    plan = _PLANS.get(tokens)
    if plan is not None:
        return plan
    titles, name = _strip_titles(tokens)
    if len(name) >= 3 and name[0].lower() in lx.OCCUPATIONS and all(t[0].isupper() for t in name[1:]):
        titles, name = (*titles, name[0].lower()), name[1:]  # "Actor Jamie Foxx": a description first
    offset = len(tokens) - len(name)
    places = tuple(i for i, tok in enumerate(tokens[:offset]) if tok in lx.PLACE_ALIASES or tok in lx.PLACES)
    while name and name[0] in lx.DEMONYMS and len(name) > 1 and not _own_adjective(name):
        name, offset = name[1:], offset + 1
    leading_place = -1
    if len(name) >= 3 and (name[0] in lx.PLACES or name[0] in lx.PLACE_ALIASES) and name[1] in lx.GIVEN_NAMES:
        leading_place = offset
        name, offset = name[1:], offset + 1
    kind: EntityKind | None = None
    # A single capitalised letter ("A", "I") or an abbreviation alone is no name.
    keep = not (
        not name
        or (len(name) == 1 and len(name[0]) == 1)
        or (name[0] in lx.DEMONYMS and not _own_adjective(name))
    )
    if keep:
        found = _classify(name, titles)
        # a post, a law, an event
        keep = not (found == "title" or name[-1] in lx.LAW_WORDS or name[-1] in lx.EVENT_WORDS)
        kind = None if found == "title" else found
    plan = (places, leading_place, offset, name, titles, kind, keep)
    if len(_PLANS) < 100_000:
        _PLANS[tokens] = plan
    return plan


def _parts(text: str) -> Iterator[tuple[list[_Tok], EntityKind | None]]:
    """The runs of a paragraph split into names ("Ohio-based KeyCorp", "X of Germany", "A and B"),
    each with the kind its modifier implies, if any."""
    for whole in _runs(text):
        pieces = split_modifiers(whole) if any("-" in t for _, _, t in whole) else [(whole, None)]
        for piece, hint in pieces:
            for part in split_of(piece, placeish) if len(piece) >= 3 else [piece]:
                if len(part) < 3:
                    yield part, hint
                    continue
                for name in split_companies(part) or _split_and(part):
                    yield name, hint


def _own_adjective(name: Sequence[str]) -> bool:
    """A demonym-like first word that belongs to the name: "Federal Reserve", "Christian Cullen"."""
    return keeps_adjective(name) or (name[0] in lx.GIVEN_NAMES and len(name) == 2)


def _candidates(paragraph: int, text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    plans = _PLANS
    for run, hint in _parts(text):
        if len(run) >= 2 and _opens_with_participle(text, run):
            run = run[1:]  # "Appearing before supporters, Suu Kyi said": a verb, not a first name
        last = run[-1][2]
        bare_last = last[:-2] if last.endswith(_POSSESSIVE[:2]) else last  # _bare(last)
        if not bare_last:
            continue
        is_possessive = bare_last != last
        tokens = (bare_last,) if len(run) == 1 else (*[t for _, _, t in run[:-1]], bare_last)
        plan = plans.get(tokens)
        places, leading_place, offset, name, titles, kind, keep = plan if plan is not None else _plan(tokens)
        if hint is not None and kind is None:
            kind = hint
        for i in places:
            out.append(_Candidate(paragraph, run[i][0], run[i][1], (tokens[i],), "place"))
        if leading_place >= 0:
            out.append(
                _Candidate(
                    paragraph, run[leading_place][0], run[leading_place][1], (tokens[leading_place],), "place"
                )
            )
        if not keep:
            continue
        start = run[offset][0]
        end = run[-1][1] - (len(last) - len(bare_last))
        before = text[max(0, start - 4) : start].lower()
        out.append(
            _Candidate(
                paragraph,
                start,
                end,
                name,
                kind,
                titles,
                # read only for single-word names (`_find_mentions`); not worked out for the others
                sentence_initial=not titles and len(name) == 1 and _sentence_initial(text, start),
                is_modifier=is_possessive or before.endswith(("the ", " a ", " an ")) or before == "a ",
            )
        )
    return out


def _opens_with_participle(text: str, run: list[_Tok]) -> bool:
    first = run[0][2]
    return (
        len(run) >= 2
        and first.endswith("ing")
        and first[1:].islower()
        and first not in lx.GIVEN_NAMES
        and _sentence_initial(text, run[0][0])
    )


def _same_person(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """ "Donald J. Trump" ~ "Donald Trump"; "Trump" ~ "Donald Trump"."""
    if short == full:
        return True
    if len(short) == 1:
        return short[0] == full[-1]
    return short[0] == full[0] and short[-1] == full[-1]


def _gender(tokens: Sequence[str], titles: Sequence[str]) -> str | None:
    title_set = set(titles)
    if title_set & {
        "mrs",
        "ms",
        "miss",
        "congresswoman",
        "spokeswoman",
        "chairwoman",
        "dame",
        "lady",
        "queen",
    }:
        return "f"
    if title_set & {"mr", "congressman", "spokesman", "chairman", "sir", "lord", "king"}:
        return "m"
    first = tokens[0] if tokens else ""
    if first in lx.GIVEN_FEMALE:
        return "f"
    if first in lx.GIVEN_MALE:
        return "m"
    return None


def _subject_of_speech(text: str, end: int) -> bool:
    """Is the name at text[..end] followed by a speech verb ("Hegseth said")?"""
    after = text[end : end + 30].split(" ", 3)
    if after[0]:
        return False  # punctuation right after the name: "Recently, he said"
    words = after[1:]
    return any(w.strip(",.:;") in lx.SPEECH_VERBS for w in words[:1]) or (
        len(words) > 1 and words[0].endswith("ly") and words[1].strip(",.:;") in lx.SPEECH_VERBS
    )


def find_mentions(paragraphs: Sequence[str], *, title: str | None = None) -> NameIndex:
    """Memoised: the quote and entity stages both ask for the same article's names in a row."""
    return _find_mentions_cached(tuple(paragraphs), title)


@functools.lru_cache(maxsize=8)
def _find_mentions_cached(paragraphs: tuple[str, ...], title: str | None) -> NameIndex:
    return _find_mentions(paragraphs, title=title)


def _find_mentions(paragraphs: Sequence[str], *, title: str | None = None) -> NameIndex:
    """Every name in the article, linked to its canonical form."""
    cands: list[_Candidate] = []
    for index, text in enumerate(paragraphs):
        cands.extend(_candidates(index, text))
    short_firm_names(cands, paragraphs)

    people, by_ends = _full_names(cands)
    surnames: dict[str, str] = {}
    for full in people:
        words = full.split()
        surnames.setdefault(words[-1], full)
        if len(words) == 2 and _FAMILY_NAME_FIRST.fullmatch(words[1]):
            surnames.setdefault(words[0], full)  # "Ban Ki-moon" is "Ban" again later
    first_names: dict[str, str] = {}
    for full in people:
        first_names.setdefault(full.split()[0], full)

    seen_caps = {c.tokens[0] for c in cands if len(c.tokens) == 1 and not c.sentence_initial}
    cued = place_cues(cands, paragraphs)
    spoken: set[str] = set()  # one-word names made people only by a speech verb after them
    mentions: list[Mention] = []
    for c in cands:
        kind = c.kind
        name = " ".join(c.tokens)
        if kind in (None, "place") and outlet_or_team(c, paragraphs[c.paragraph], kind):
            kind = "organisation"
        if kind in (None, "person"):
            linked = _link_person(c.tokens, people, by_ends, surnames, first_names)
            if linked is not None:
                kind, name = "person", linked
            elif kind is None:
                text = paragraphs[c.paragraph]
                kind = undecided_kind(
                    c,
                    text,
                    surnames,
                    cued,
                    seen_caps,
                    speaks=_subject_of_speech(text, c.end),
                    common=_opens_with_common_word(c.tokens),
                )
                if kind is None:
                    continue
                if kind == "person":
                    people.setdefault(name, PersonInfo(name))
                    surnames.setdefault(c.tokens[-1], name)
                    if len(c.tokens) == 1:
                        spoken.add(name)
            else:  # a titled single name never seen in full: "President Trump"
                people.setdefault(name, PersonInfo(name))
                surnames.setdefault(c.tokens[-1], name)
        if kind == "place" and person_not_place(
            c, name, surnames, speaks=_subject_of_speech(paragraphs[c.paragraph], c.end)
        ):
            kind, name = "person", surnames.get(name, name)
            people.setdefault(name, PersonInfo(name))
            surnames.setdefault(name.split()[-1], name)
        elif kind == "place":
            name = lx.PLACE_ALIASES.get(name, name)
            name = (
                name.title()
                if name.isupper() and (name.title() in lx.PLACES or is_place_name(name))
                else name
            )
        elif kind == "organisation":
            name = _org_name(name)
        if kind == "person":
            info = people[name]
            if c.titles:
                info.titles.update(t.rstrip(".") for t in c.titles)
            info.titles.update(_described_as(paragraphs[c.paragraph], c.start, c.end))
            if info.gender is None:
                info.gender = _gender(name.split(), c.titles)
        surface = paragraphs[c.paragraph][c.start : c.end]
        assert kind is not None
        mentions.append(Mention(c.paragraph, c.start, c.end, surface, name, kind, c.is_modifier))

    mentions = _link_orgs(teams_by_home(firms_that_speak(mentions, spoken, people, surnames), paragraphs))
    _learn_genders(paragraphs, mentions, people)
    if title:
        mentions.extend(_title_mentions(title, mentions))
    orgs = tuple(dict.fromkeys(m.name for m in mentions if m.kind == "organisation"))
    return NameIndex(tuple(mentions), people, surnames, orgs)


def _full_names(cands: Sequence[_Candidate]) -> tuple[dict[str, PersonInfo], dict[tuple[str, str], str]]:
    """Multi-word people in order of appearance, longer forms winning; and (first, last) word -> name."""
    people: dict[str, PersonInfo] = {}
    by_ends: dict[tuple[str, str], str] = {}
    for c in cands:
        if (c.kind == "person" and len(c.tokens) >= 2) or (c.kind is None and len(c.tokens) >= 2):
            if c.kind is None and (_looks_like_org_or_place(c.tokens) or _opens_with_common_word(c.tokens)):
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
    return people, by_ends


_APPOSITIVE = re.compile(
    r",\s+(?:the|a|an|its|their)\s+([^,.;:“”\"()]{1,80}?)(?=,|\.|;|\s+who\b|\s+said\b|$)"
)
_WORDS = re.compile(r"[\w\-]+")


_ROLE_OR_DEMONYM = lx.ROLE_NOUNS | lx.DEMONYMS_LOWER


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
    full_words = [(name, name.split()) for name in full]
    out: list[Mention] = []
    longer_of: dict[str, tuple[list[int], list[list[str]]]] = {}  # name -> the full names holding it
    for i, m in enumerate(mentions):
        if m.kind != "organisation":
            out.append(m)
            continue
        words = m.name.split()
        found = longer_of.get(m.name)
        if found is None:
            holding = [(name, f) for name, f in full_words if len(f) > len(words) and _contains(f, words)]
            longer = sorted((j, f) for name, f in holding for j in full[name]) if holding else []
            found = longer_of[m.name] = ([j for j, _ in longer], [f for _, f in longer])
        at, targets = found
        if at:
            k = bisect_left(at, i)  # the latest full name mentioned before, else the first after
            target = targets[k - 1] if k else targets[0]
            out.append(
                Mention(m.paragraph, m.start, m.end, m.surface, " ".join(target), m.kind, m.is_modifier)
            )
        elif not (len(words) == 1 and words[0] in lx.ORG_WORDS):
            out.append(m)
    return out


def _contains(whole: Sequence[str], part: Sequence[str]) -> bool:
    n = len(part)
    return any(list(whole[k : k + n]) == list(part) for k in range(len(whole) - n + 1))


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
_NAME_PARTICLES = frozenset("van von de del della der di da du la le al el bin ibn st".split())


def _opens_with_common_word(tokens: Sequence[str]) -> bool:
    """A run without title or known first name that opens with an everyday word: a film, a holiday,
    a stadium more likely than a person (the word list: `briefgen.corpus.background`)."""
    first = tokens[0]
    if first in lx.GIVEN_NAMES or first.lower() in _NAME_PARTICLES or len(first.rstrip(".")) == 1:
        return False  # "Ed Balls", "Van Morrison", "R Kelly"
    return zipf_table().get(first.lower(), 0) >= _COMMON_ZIPF10


def _looks_like_org_or_place(tokens: Sequence[str]) -> bool:
    return (
        any(t in lx.PLACES or t in lx.PLACE_ALIASES or is_well_known_place(t) for t in tokens)
        and tokens[0] not in lx.GIVEN_NAMES
    )


def _org_name(name: str) -> str:
    return lx.PLACE_ALIASES.get(name, name) if name == "EU" else name


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
        if tokens[0] in lx.GIVEN_NAMES and tokens[0] in first_names:
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
