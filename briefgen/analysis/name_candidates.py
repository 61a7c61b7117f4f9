"""Name candidates: capitalised runs of a paragraph, their title words stripped, and what kind of thing
each names by the first of the ordered `KIND_RULES` that decides. `briefgen.analysis.names` links the
candidates of a whole article into mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from briefgen.lang import lexicon, memo
from briefgen.model import EntityKind

# A token: an acronym with periods ("U.S."), an initial ("J."), or a word (apostrophes and hyphens inside).
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w’'\-]*\w)?", re.UNICODE)
LEX = lexicon()
_CONNECTORS = LEX.name_particles | {"of"}  # "Bank of England"
_ABBREVIATIONS = LEX.abbreviations_of("title", "suffix", "place")
_PORTFOLIO = LEX.portfolios | {"the"}  # "Chairman of the Joint Chiefs"
_POSSESSIVE = ("’s", "'s", "’", "'")


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
        if tok.lower().rstrip(".") in LEX.person_titles and i < len(tokens) - 1:
            last = i
    if last < 0:
        return (), tuple(tokens)
    rest = list(tokens[last + 1 :])
    titles = [t.lower() for t in tokens[: last + 1]]
    if rest and rest[0] == "of":
        titles.append(rest.pop(0))
        while len(rest) > 1 and (rest[0] in _PORTFOLIO or rest[0] in LEX.demonyms or rest[0] == "and"):
            titles.append(rest.pop(0).lower())
    while rest and (rest[0].lower().rstrip(".") in LEX.person_titles or rest[0] in LEX.demonyms):
        titles.append(rest.pop(0).lower())
    return tuple(titles), tuple(rest)


# The rules that decide what kind of thing a run of capitalised words names, tried in this order; the
# first that decides wins ("title": a post, not a name). A run no rule decides stays undecided until
# the whole article is read (`names.find_mentions`).
_KindRule = Callable[[tuple[str, ...], tuple[str, ...]], "EntityKind | Literal['title'] | None"]


def _known_organisation(tokens: tuple[str, ...], titles: tuple[str, ...]) -> EntityKind | None:
    return "organisation" if " ".join(tokens) in LEX.known_orgs else None


def _known_place(tokens: tuple[str, ...], titles: tuple[str, ...]) -> EntityKind | None:
    joined = " ".join(tokens)
    return "place" if joined in LEX.places or joined in LEX.place_aliases else None


def _organisation_word(tokens: tuple[str, ...], titles: tuple[str, ...]) -> EntityKind | None:
    return "organisation" if any(t in LEX.org_words for t in tokens) else None


def _place_in_capitals(tokens: tuple[str, ...], titles: tuple[str, ...]) -> EntityKind | None:
    """A dateline: "BRUSSELS"."""
    one = len(tokens) == 1 and tokens[0].isupper() and tokens[0].title() in LEX.places
    return "place" if one else None


def _acronym(tokens: tuple[str, ...], titles: tuple[str, ...]) -> EntityKind | None:
    return "organisation" if len(tokens) == 1 and _is_acronym(tokens[0]) else None


def _post(tokens: tuple[str, ...], titles: tuple[str, ...]) -> Literal["title"] | None:
    return "title" if tokens[-1].lower() in LEX.person_titles else None


def _titled(tokens: tuple[str, ...], titles: tuple[str, ...]) -> EntityKind | None:
    return "person" if titles else None


def _given_name(tokens: tuple[str, ...], titles: tuple[str, ...]) -> EntityKind | None:
    return "person" if len(tokens) >= 2 and tokens[0] in LEX.given_names else None


def _place_word(tokens: tuple[str, ...], titles: tuple[str, ...]) -> EntityKind | None:
    placed = len(tokens) > 1 and any(t in LEX.place_words for t in tokens)
    return "place" if placed and tokens[0] not in LEX.given_names else None


KIND_RULES: tuple[tuple[str, _KindRule], ...] = (
    ("known organisation", _known_organisation),
    ("known place", _known_place),
    ("organisation word", _organisation_word),
    ("place in capitals", _place_in_capitals),
    ("acronym", _acronym),
    ("a post, not a name", _post),
    ("titled person", _titled),
    ("given name", _given_name),
    ("place word", _place_word),
)


def classify(
    tokens: tuple[str, ...], titles: tuple[str, ...]
) -> tuple[EntityKind | Literal["title"] | None, str]:
    """The kind a run names and the rule that decided it ("" when none did)."""
    for name, rule in KIND_RULES:
        kind = rule(tokens, titles)
        if kind is not None:
            return kind, name
    return None, ""


def _is_acronym(token: str) -> bool:
    letters = token.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 6 and letters.isupper() and token not in LEX.place_acronyms


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
    stop_caps, org_words, abbreviations, gaps = LEX.stop_caps, LEX.org_words, _ABBREVIATIONS, _JOINING_GAPS
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
                and token in LEX.surname_caps
                and prev_tok in LEX.given_names
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
    if not joins or run[-1][2] in LEX.org_words:
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
_PLANS = memo("names.plans", limit=100_000)  # names repeat within and across articles


def _plan(tokens: tuple[str, ...]) -> _Plan:
    """What the capitalised tokens of one run name: a pure function of the tokens, memoised."""
    known: _Plan | None = _PLANS.get(tokens)
    if known is not None:
        return known
    titles, name = _strip_titles(tokens)
    if len(name) >= 3 and name[0].lower() in LEX.occupations and all(t[0].isupper() for t in name[1:]):
        titles, name = (*titles, name[0].lower()), name[1:]  # "Actor Jamie Foxx": a description first
    offset = len(tokens) - len(name)
    places = tuple(
        i for i, tok in enumerate(tokens[:offset]) if tok in LEX.place_aliases or tok in LEX.places
    )
    while name and name[0] in LEX.demonyms and len(name) > 1:
        name, offset = name[1:], offset + 1
    leading_place = -1
    if (
        len(name) >= 3
        and (name[0] in LEX.places or name[0] in LEX.place_aliases)
        and name[1] in LEX.given_names
    ):
        leading_place = offset
        name, offset = name[1:], offset + 1
    kind: EntityKind | None = None
    # A single capitalised letter ("A", "I") or an abbreviation alone is no name.
    keep = not (not name or (len(name) == 1 and len(name[0]) == 1) or name[0] in LEX.demonyms)
    if keep:
        found, _ = classify(name, titles)
        # a post, a law, an event
        keep = not (found == "title" or name[-1] in LEX.law_words or name[-1] in LEX.event_words)
        kind = None if found == "title" else found
    plan = (places, leading_place, offset, name, titles, kind, keep)
    _PLANS.keep(tokens, plan)
    return plan


def _candidates(paragraph: int, text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    plans = _PLANS
    for run in (
        part for whole in _runs(text) for part in ((whole,) if len(whole) < 3 else _split_and(whole))
    ):
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
        and first not in LEX.given_names
        and _sentence_initial(text, run[0][0])
    )
