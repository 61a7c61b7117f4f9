"""Organisations by the words around them, when none of their own words says so.

`ORGANISATION_CUES` are tried on every name that no list, title or form decided ("CITIC Pacific",
"Cofinec", "El Al"); one cue anywhere in the article makes every mention of that name an
organisation (one sense per article). The cues read what news writes about firms and bodies, not
names: a classifier before ("telecoms group CITIC Pacific"), a possession after ("El Al's head
office", "Pirelli shares"), a market phrase before ("shares of Pan Am"), a post and a person after
("Ericsson spokesman Per Zetterquist"), a description ("Hindustan Copper, which", "X said it"). A
word that names a person of the article is never cued. `short_firm_names` adds the short forms of the
firms an article names in full ("Johnson Controls" for "Johnson Controls Inc"), and
`acronym_long_forms` the names an acronym is defined for ("Organisation for Security and
Cooperation in Europe (OSCE)").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from briefgen.analysis.name_candidates import _Candidate
from briefgen.analysis.organisations import is_org_word
from briefgen.analysis.places import is_country, is_listed_place
from briefgen.lang import lexicon
from briefgen.lang.frequency import zipf_table

LEX = lexicon()


def _alternatives(phrases: frozenset[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


_POSSESSION = re.compile(rf"(?:’s|'s|’|')? (?:{_alternatives(LEX.org_possessions)})\b")
_DESCRIBED = re.compile(r", which\b| said it\b| said on \w+ it\b")
_OFFICER = re.compile(rf" (?:{_alternatives(LEX.officer_titles)}) (?:[A-Z][\w’'.-]*\.? )*[A-Z][a-z]")
_BEFORE = tuple(f"{p} " for p in LEX.org_phrases_before)
_POST_AT = re.compile(
    rf"\b(?i:{_alternatives(LEX.officer_titles)})s?(?: [A-Z][\w’'.-]*){{0,3}},? (?:at|of) $"
)
_LONGEST_BEFORE = max(len(p) for p in _BEFORE)
_CLUB_POST = re.compile(rf"(?:’s|'s)? (?:{_alternatives(LEX.club_posts)})\b")

_Cue = Callable[[str, int, int], bool]  # (paragraph, start, end of the name) -> a cue?


def _classifier_before(text: str, start: int, end: int) -> bool:
    """ "telecoms group CITIC Pacific", "packaging company Cofinec", "first division team Deportivo"."""
    before = text[max(0, start - 24) : start].split()
    return bool(before) and before[-1] in LEX.org_classifiers and text[start - 1 : start] == " "


def _classifier_after(text: str, start: int, end: int) -> bool:
    """ "First Union bank", "the Eagles organisation"."""
    after = text[end : end + 20].split()
    return text[end : end + 1] == " " and bool(after) and after[0].rstrip(",.;:") in LEX.org_classifiers


def _club_post_after(text: str, start: int, end: int) -> bool:
    """ "Newcastle team-mate Les Ferdinand", "the Surrey captain": a town or county named as its club."""
    return _CLUB_POST.match(text, end) is not None


def _home_of_a_club(tokens: tuple[str, ...]) -> bool:
    """A town or county a list names; not a country or a land ("Republic of Ireland"): a national side."""
    name = " ".join(tokens)
    return "of" not in tokens and is_listed_place(name) and not is_country(name)


def _possession_after(text: str, start: int, end: int) -> bool:
    return _POSSESSION.match(text, end) is not None


def _phrase_before(text: str, start: int, end: int) -> bool:
    return text[max(0, start - _LONGEST_BEFORE) : start].lower().endswith(_BEFORE)


def _officer_after(text: str, start: int, end: int) -> bool:
    """ "Ericsson spokesman Per Zetterquist", "Indosuez analyst Paula Buratti"."""
    return _OFFICER.match(text, end) is not None


def _post_at(text: str, start: int, end: int) -> bool:
    """ "analysts at Kastelholm", "said analyst Paula Buratti at Indosuez": where people hold a post."""
    return _POST_AT.search(text, max(0, start - 60), start) is not None


def _described(text: str, start: int, end: int) -> bool:
    """ "Hindustan Copper, which", "El Al said it": a thing, not a person (who would be "he" or "she")."""
    return _DESCRIBED.match(text, end) is not None


# Cues tried in this order on each undecided name; any one decides.
ORGANISATION_CUES: tuple[tuple[str, _Cue], ...] = (
    ("classifier before", _classifier_before),
    ("classifier after", _classifier_after),
    ("possession after", _possession_after),
    ("market phrase before", _phrase_before),
    ("post and person after", _officer_after),
    ("post at", _post_at),
    ("described as a thing", _described),
)


_CUES_BEFORE = tuple(
    (name, cue)
    for name, cue in ORGANISATION_CUES
    if name in ("classifier before", "market phrase before", "post at")
)


def organisation_cues(cands: Sequence[_Candidate], paragraphs: Sequence[str]) -> set[tuple[str, ...]]:
    """The names (as token tuples) that a cue shows to be organisations; never a person's words."""
    people = _person_words(cands)
    cued: set[tuple[str, ...]] = set()
    for c in cands:
        if c.kind not in (None, "place") or c.tokens in cued or people.intersection(c.tokens):
            continue
        if len(c.tokens) == 1 and _everyday(c.tokens[0]):
            continue  # "Budget", "Research", "Keep": a word, not a firm's name
        text = paragraphs[c.paragraph]
        if c.kind == "place":
            # a place is a firm only when the text calls it one ("carrier Qantas"), a club when a
            # post in a club follows a town's name ("Newcastle striker"; a country's is its national side)
            if _classifier_before(text, c.start, c.end) or (
                _club_post_after(text, c.start, c.end) and _home_of_a_club(c.tokens)
            ):
                cued.add(c.tokens)
            continue
        cues = ORGANISATION_CUES
        if len(c.tokens) == 1 and c.sentence_initial and text[c.end : c.end + 2] not in ("'s", "’s"):
            cues = _CUES_BEFORE  # "Electronics manufacturer X", "Vulnerability management": a modifier
        if any(cue(text, c.start, c.end) for _, cue in cues):
            cued.add(c.tokens)
    return cued


def _everyday(word: str) -> bool:
    return zipf_table().get(word.lower(), 0) >= _EVERYDAY_ZIPF10


_EVERYDAY_ZIPF10 = 46  # "budget", "research", "family" (brands are frequent too: "disney" 44, "intel" 41)


def _person_words(cands: Sequence[_Candidate]) -> set[str]:
    """The words of the names the article gives people by title or first name."""
    return {t for c in cands if c.kind == "person" for t in c.tokens}


def short_firm_names(cands: list[_Candidate], paragraphs: Sequence[str]) -> None:
    """Names that are organisations by what the article says of them, set on the candidates in place:
    a firm named without its legal form, which the article gives elsewhere ("Johnson Controls" and
    "Johnson Controls Inc", "Cofinec" and "Cofinec SA", "Jones" for "Jones Medical Industries Inc"),
    or one that `organisation_cues` finds."""
    people = _person_words(cands) | {c.tokens[-1] for c in cands if c.kind is None and len(c.tokens) > 1}
    short: set[tuple[str, ...]] = set()
    for c in cands:
        if c.kind == "organisation" and len(c.tokens) >= 2 and is_org_word(c.tokens[-1]):
            k = len(c.tokens) - 1
            while k > 1 and is_org_word(c.tokens[k - 1]):
                k -= 1
            # "Jones Medical Industries Inc": "Jones Medical", "Jones"; "First Chicago NBD Corp": "First Chicago"
            short.update(c.tokens[:n] for n in range(1, k + 1) if n > 1 or c.tokens[0] not in people)
    cued = organisation_cues(cands, paragraphs)
    if not short and not cued:
        return
    for c in cands:
        # a short form never over a place: "Cedar Rapids" of "Cedar Rapids Gazette"
        if (c.tokens in cued and c.kind in (None, "place")) or (c.tokens in short and c.kind is None):
            c.kind = "organisation"
