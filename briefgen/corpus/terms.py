"""Words of an article as index terms: tokens, a stop list, and display forms.

Pure functions of the text. Terms are lower-case, with curly apostrophes straightened and a
possessive "'s" removed, so "Hegseth’s" and "HEGSETH" are the same term `hegseth`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Letters and digits, with inner apostrophes ("don't", "o'neill"); hyphens split words.
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")

# Function words and the reporting verbs every news story uses: they say nothing about the story.
_STOP_TEXT = """
    a about above across after afterwards again against ago all almost alone along already also although
    always am among amongst an and another any anybody anyone anything anyway anywhere are around as at
    back be became because become becomes becoming been before beforehand behind being below beside
    besides between beyond both but by can cannot could did do does doing done down during each either
    else elsewhere enough etc even ever every everybody everyone everything everywhere except few for
    former formerly from further had has have having he hence her here hereafter hereby herein hers
    herself him himself his how however i ie if in inc indeed into is it its itself just last latter
    latterly least less ltd made make many may me meanwhile might mine more moreover most mostly much must
    my myself namely neither never nevertheless next no nobody none noone nor not nothing now nowhere of
    off often on once one only onto or other others otherwise our ours ourselves out over own per perhaps
    please put quite rather re really same seem seemed seeming seems several she should since so some
    somebody somehow someone something sometime sometimes somewhere still such than that the their theirs
    them themselves then thence there thereafter thereby therefore therein thereupon these they this
    those though through throughout thru thus to together too toward towards under until up upon us very
    via was we well were what whatever when whence whenever where whereafter whereas whereby wherein
    whereupon wherever whether which while whither who whoever whole whom whose why will with within
    without would yet you your yours yourself yourselves
    s t d ll m o re ve y don didn doesn isn wasn weren hasn haven hadn won wouldn couldn shouldn can't
    don't didn't doesn't isn't wasn't weren't hasn't haven't hadn't won't wouldn't couldn't shouldn't
    i'm i've i'd i'll we're we've we'd we'll you're you've you'd you'll he'd he'll she'd she'll they're
    they've they'd they'll it'll that'll there'll let's
    said say says saying told tell tells according asked added adding reported reports reportedly
    mr mrs ms dr st
    get gets got go goes going gone went come comes came take takes took taken give gives gave given
    like want wants wanted know knew known think thought see seen saw look looked use used using way
    new also time times year years day days week weeks month months today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday
    one two three four five six seven eight nine ten first second third
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def normalise_token(token: str) -> str:
    """`Hegseth’s` -> `hegseth`: lower case, straight apostrophes, no possessive."""
    return _POSSESSIVE.sub("", token.lower().replace("’", "'"))


def is_term(word: str) -> bool:
    """A word worth indexing: not a stop word, not a lone letter, not a short bare number."""
    if len(word) < 2 or word in STOP_WORDS:
        return False
    return not (word.isdigit() and len(word) != 4)  # keep years, drop counts and days of the month


def iter_terms(text: str) -> Iterator[str]:
    """The index terms of a text, in order, repeats kept."""
    for match in _TOKEN.finditer(text):
        word = normalise_token(match.group())
        if is_term(word):
            yield word


def count_terms(texts: Iterable[str]) -> dict[str, int]:
    """Term frequencies over several texts."""
    counts: dict[str, int] = {}
    for text in texts:
        for term in iter_terms(text):
            counts[term] = counts.get(term, 0) + 1
    return counts


@dataclass(frozen=True, slots=True)
class TermCounts:
    counts: dict[str, float]  # term -> weighted count, in first-seen order
    surface: dict[str, str]  # term -> how the text first wrote it ("Pete Hegseth"), when not as the term


_TERM_OF: dict[str, str] = {}  # token as written -> its term, "" when it is not a term (a memo)


def _term_of(raw: str) -> str:
    term = _TERM_OF.get(raw)
    if term is None:
        word = normalise_token(raw)
        term = word if is_term(word) else ""
        if len(_TERM_OF) < 1_000_000:
            _TERM_OF[raw] = term
    return term


def article_terms(title: str, text: str, *, title_weight: float = 2.0, pairs: str = "names") -> TermCounts:
    """Weighted counts of an article's terms, in first-seen order; the title counts `title_weight` times.

    Besides single words, neighbouring index terms on one line (stop words between them skipped)
    form two-word terms: `pairs="names"` keeps those written with two capitals ("Pete Hegseth",
    "Betty Ford"), `"all"` keeps every pair, `"none"` none.
    """
    counts: dict[str, float] = {}
    surface: dict[str, str] = {}
    memo = _TERM_OF
    all_pairs = pairs == "all"
    any_pairs = pairs != "none"
    for source, weight in ((text, 1.0), (title, title_weight)):
        for line in source.splitlines():
            previous, previous_raw = "", ""
            for raw in _TOKEN.findall(line):
                term = memo.get(raw)
                if term is None:
                    term = _term_of(raw)
                if not term:
                    continue
                if term in counts:
                    counts[term] += weight
                else:
                    counts[term] = weight
                    if raw != term:
                        surface[term] = _POSSESSIVE.sub("", raw.replace("’", "'"))
                if previous and any_pairs and (all_pairs or (raw[0].isupper() and previous_raw[0].isupper())):
                    pair = f"{previous} {term}"
                    if pair in counts:
                        counts[pair] += weight
                    else:
                        counts[pair] = weight
                        shown = f"{surface.get(previous, previous)} {surface.get(term, term)}"
                        if shown != pair:
                            surface[pair] = shown
                previous, previous_raw = term, raw
    return TermCounts(counts=counts, surface=surface)
