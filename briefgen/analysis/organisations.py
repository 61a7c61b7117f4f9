"""Organisations told apart from people and places: by their form and by their context.

A firm's legal form ends its name ("Lear Corp"); "Ohio-based KeyCorp" names a place and a firm;
"Tono Eitel of Germany" is a person and a place, "Bank of Romania" one organisation; a place that
beats another or fills a results table is a team ("Leicester 21 Bath 18", "Liverpool beat Leeds"); a
name beside "news agency" or "newspaper" is an outlet. These rules work on the capitalised runs and
mentions that `names.py` finds, as pure functions of tokens and text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from briefgen.analysis.places import is_listed_place
from briefgen.lang import lexicon
from briefgen.lang.frequency import zipf_table
from briefgen.model import EntityKind

LEX = lexicon()
_Tok = tuple[int, int, str]  # start, end, token (as in name_candidates.py)


def is_org_word(token: str) -> bool:
    """A capitalised word that makes a name an organisation: "Ministry", "Corp", "SpA", "Rovers"."""
    return (
        token in LEX.org_words
        or token in LEX.org_heads
        or token in LEX.company_forms
        or ("." in token and token.replace(".", "") in LEX.company_forms)  # "S.A.", "N.V."
    )


# "Ohio-based", "Brazilian-born", "Communist-led": a name (or adjective) made a modifier of what follows
_MODIFIER = re.compile(rf"(.+?)[-‐]({'|'.join(sorted(LEX.name_modifiers, key=len, reverse=True))})")


def split_modifiers(run: list[_Tok]) -> list[tuple[list[_Tok], EntityKind | None]]:
    """ "Ohio-based KeyCorp" -> ("Ohio", no hint), ("KeyCorp", organisation): the modified name's kind
    follows from the modifier (a firm is based somewhere, a person born there, a place ruled)."""
    for i, (start, _end, token) in enumerate(run):
        match = _MODIFIER.fullmatch(token)
        if match is None or not match.group(1)[:1].isupper():
            continue
        stem = (start, start + len(match.group(1)), match.group(1))
        rest = run[i + 1 :]
        while rest and rest[0][2] in ("of", "and", "&"):
            rest = rest[1:]
        hint = LEX.name_modifiers[match.group(2)]
        parts: list[tuple[list[_Tok], EntityKind | None]] = [([*run[:i], stem], None)]
        if rest:
            parts.extend(
                (part, hint if k == 0 else None) for k, (part, _) in enumerate(split_modifiers(rest))
            )
        return parts
    return [(run, None)]


_EVERYDAY_ZIPF10 = 40  # "Shares", "Representatives", "Results": words before "of" that name nobody


def split_of(run: list[_Tok], is_place: Callable[[str], bool]) -> list[list[_Tok]]:
    """A run joined across "of" that is two names: "Tono Eitel of Germany", "Kia Motor Corp of South
    Korea", "John Casesa of Schroder Wertheim & Co"; an everyday word before "of" is dropped
    ("Representatives of Calderwick"). Kept whole after a word that takes "of" ("Bank of Romania",
    "Republic of Ireland", "Minister of Finance")."""
    at = next((i for i, tok in enumerate(run) if tok[2] == "of" and 0 < i < len(run) - 1), None)
    if at is None:
        return [run]
    left, right = run[:at], run[at + 1 :]
    left_words = [t for _, _, t in left]
    right_name = " ".join(t for _, _, t in right if t not in ("of", "and", "&"))
    titled = [t.lower().rstrip(".") in LEX.person_titles for t in left_words]
    if any(titled):
        # "Secretary of State Marco Rubio": the "of" belongs to the title; "Sen. Ben Cardin of
        # Maryland": titles, then a name, then a place
        k = titled.index(False) if False in titled else len(titled)
        named = left_words[k:]
        if any(titled[k:]) or len(named) < 2 or not (is_place(right_name) or is_org_word(right[-1][2])):
            return [run]  # "Economist Joel Naroff of First Union": a person and a firm
        return [left, *split_of(right, is_place)]
    last = left_words[-1]
    if len(left_words) == 1 and last[1:].islower() and zipf_table().get(last.lower(), 0) >= _EVERYDAY_ZIPF10:
        if last in LEX.org_words or last in LEX.place_words or last in LEX.of_heads:
            return [run]
        return split_of(right, is_place)
    if last in LEX.company_forms and is_place(right_name):
        return [left, right]
    if last in LEX.org_words or last in LEX.place_words or last in LEX.of_heads:
        return [run]
    if (
        is_place(right_name)
        or (len(left_words) >= 2 and left_words[0] in LEX.given_names)
        # "Petra Lind of Lindqvist Holdings"; not "Gold Fields of South Africa Ltd" (an everyday word first)
        or (len(left_words) >= 2 and is_org_word(right[-1][2]) and not _everyday(left_words[0]))
    ):
        return [left, *split_of(right, is_place)]
    return [run]


def _everyday(word: str) -> bool:
    return zipf_table().get(word.lower(), 0) >= _COMMON_ZIPF10


_COMMON_ZIPF10 = 48  # as names._opens_with_common_word: "new", "gold", "great"


def split_companies(run: list[_Tok]) -> list[list[_Tok]] | None:
    """ "Johnson Controls Inc and Lear Corp": two firms, each with its legal form."""
    forms = LEX.company_forms
    joins = [i for i, tok in enumerate(run) if tok[2] in ("and", "&")]
    if not joins or run[-1][2] not in forms:
        return None
    i = joins[0]
    if run[i - 1][2] not in forms:
        return None
    return [run[:i], run[i + 1 :]]


_SCORE = re.compile(r" \d{1,3}(?![\d.,:/%-]\d)(?! (?:per|percent|years?|months?|days?|km|miles|people)\b)")
_DATE = re.compile(r" \d{4}-\d\d-\d\d")


def team_context(text: str, start: int, end: int) -> bool:
    """A place name used for a team: subject or object of a result verb ("Surrey beat Kent", "drew
    with Leeds", "Boston v Leeds"), or a name followed by a score in a line of scores ("Leicester 21
    Bath 18", "Derbyshire 312 and 150-6", "Boston 71 60 .542")."""
    verbs = LEX.sports_verbs
    after = text[end : end + 32].split()[:2] if text[end : end + 1] == " " else []
    if after and (after[0] in verbs or (len(after) == 2 and after[0].endswith("ly") and after[1] in verbs)):
        return True
    if text.startswith((" drew with", " lost to", " v ", " vs "), end):
        return True
    before = text[max(0, start - 20) : start].split()
    if before and (before[-1] in verbs or before[-1] in ("v", "vs", "v.", "vs.")):
        return True
    if len(before) >= 2 and " ".join(before[-2:]) in ("drew with", "lost to", "draw with", "loss to"):
        return True
    return _SCORE.match(text, end) is not None and not _DATE.match(text, end) and _tabular(text)


def _tabular(text: str) -> bool:
    """A line of results or standings: numbers make up a good share of its words."""
    words = text.split()
    numbers = sum(1 for w in words if any(c.isdigit() for c in w))
    lower = sum(1 for w in words if w[:1].islower())
    return numbers >= 2 and numbers >= 0.3 * len(words) and lower <= max(3, len(words) // 4)


def media_context(text: str, start: int, end: int) -> bool:
    """A name next to a lower-case outlet noun: "the Interfax news agency", "the daily Granma"."""
    nouns = LEX.media_nouns
    after = text[end : end + 30].split()
    if after and after[0] == "news" and len(after) > 1:
        after = after[1:]
    if after and after[0].rstrip(",.;:") in nouns:
        return True
    before = text[max(0, start - 30) : start].split()
    return bool(before) and before[-1] in nouns and before[-1][:1].islower()


def keeps_adjective(tokens: Sequence[str]) -> bool:
    """ "Federal Reserve", "Conservative Party": the adjective belongs to an organisation's name; so does
    a demonym before a body's own name ("Scottish National Party", "Palestinian Authority", "European
    Union"), but not before a state's department ("German Foreign Ministry", "French Government")."""
    if tokens[0] in LEX.org_adjectives and any(is_org_word(t) for t in tokens[1:]):
        return True
    if len(tokens) >= 3 and tokens[0] in LEX.demonyms and keeps_adjective(tokens[1:]):
        return True  # "Irish Republican Army"
    return (
        len(tokens) >= 2
        and tokens[0] in LEX.demonyms
        and is_org_word(tokens[-1])
        and tokens[-1] not in LEX.state_bodies
        and (tokens[1] not in LEX.portfolios or tokens[1] in LEX.org_adjectives)
        and " ".join(tokens) not in LEX.geonames_countries
        and " ".join(tokens) not in LEX.places
        and not is_listed_place(" ".join(tokens[1:]))  # "Jewish West Bank settlers"
    )


def team_name(tokens: Sequence[str], is_place: Callable[[str], bool]) -> bool:
    """A known place with a team's name after it, a plural: "Boston Red Sox", "Kestrel Bay Rovers"."""
    if len(tokens) < 2 or tokens[0] in LEX.given_names:
        return False
    last = tokens[-1]
    if not (
        last.endswith("s") and last[:1].isupper() and last not in LEX.demonyms and last not in LEX.place_words
    ):
        return False
    return any(
        is_place(" ".join(tokens[:k])) and not any(t in LEX.place_words for t in tokens[k:])
        for k in range(1, len(tokens))
    )
