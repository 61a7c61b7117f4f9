"""Words of an article as index terms: tokens, a stop list, and display forms.

Pure functions of the text. Terms are lower-case, with curly apostrophes straightened and a
possessive "'s" removed, so "Hegseth’s" and "HEGSETH" are the same term `hegseth`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from briefgen.lang import lexicon, memo
from briefgen.text.tokens import words

_POSSESSIVE = re.compile(r"['’]s$")

# Function words and the words every news story uses: they say nothing about the story.
STOP_WORDS = lexicon().term_stop_words


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
    for raw in words(text):
        word = normalise_token(raw)
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


_TERM_OF = memo("terms.term_of", limit=1_000_000)  # token as written -> its term, "" when it is none


def _term_of(raw: str) -> str:
    term = _TERM_OF.get(raw)
    if term is None:
        word = normalise_token(raw)
        term = word if is_term(word) else ""
        _TERM_OF.keep(raw, term)
    return term


def article_terms(title: str, text: str, *, title_weight: float = 2.0, pairs: str = "names") -> TermCounts:
    """Weighted counts of an article's terms, in first-seen order; the title counts `title_weight` times.

    Besides single words, neighbouring index terms on one line (stop words between them skipped)
    form two-word terms: `pairs="names"` keeps those written with two capitals ("Pete Hegseth",
    "Betty Ford"), `"all"` keeps every pair, `"none"` none.
    """
    lines = [words(line) for line in text.splitlines()]
    return terms_of_words(title, lines, title_weight=title_weight, pairs=pairs)


def terms_of_words(
    title: str,
    lines: Sequence[Sequence[str]],
    *,
    title_weight: float = 2.0,
    pairs: str = "names",
) -> TermCounts:
    """`article_terms` of a text whose words are already found (`briefgen.text.tokens.words`), a list
    per line; the title's words are found here."""
    counts: dict[str, float] = {}
    surface: dict[str, str] = {}
    memo = _TERM_OF
    all_pairs = pairs == "all"
    any_pairs = pairs != "none"
    title_lines = [words(line) for line in title.splitlines()]
    for source, weight in ((lines, 1.0), (title_lines, title_weight)):
        for line in source:
            previous, previous_raw = "", ""
            for raw in line:
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
