"""Keywords of one article: its most informative terms, as a pure function of its text.

A term's score is `(1 + ln count) × background IDF` (the same weighting the related-briefings linker
uses, `briefgen.lang.frequency`), normalised so the best term scores 1. Two-word names ("Pete
Hegseth") are terms of their own and hide the single words they are made of; bare years are left out.
Terms keep the form the article first wrote them in ("NATO", "Kyiv", "ceasefire").
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

from briefgen.lang import memo
from briefgen.lang.frequency import term_idf
from briefgen.model import Keyword, Segmented
from briefgen.text.terms import TermCounts, article_terms, terms_of_words

_TITLE_WEIGHT = 2.0


def extract_keywords(
    paragraphs: Sequence[str], *, title: str | None = None, limit: int = 8, terms: TermCounts | None = None
) -> tuple[Keyword, ...]:
    """`terms`, when given, must be `keyword_terms(paragraphs, title)` (shared with related linking)."""
    if limit <= 0:
        return ()
    if terms is None:
        terms = keyword_terms(paragraphs, title)
    scored = _scores(terms.counts)
    ranked = [(-score, term) for term, score in scored.items()]
    heapq.heapify(ranked)  # best first, ties alphabetical; only the first few are ever taken
    chosen: list[str] = []
    while ranked:
        term = heapq.heappop(ranked)[1]
        words = term.split(" ")
        if len(words) == 2:
            if any(w in chosen or _in_pair(w, chosen) for w in words):
                continue  # hidden by, or hiding, a word already chosen
            chosen.append(term)
        elif not _in_pair(term, chosen):
            partner = _partner(term, chosen, terms.counts)
            if partner is None:
                chosen.append(term)
            else:  # "Defense" then "Secretary", often written together: one keyword
                chosen[chosen.index(partner[0])] = partner[1]
        if len(chosen) == limit:
            break
    best = max((scored[t] for t in chosen), default=0.0) or 1.0
    result = [Keyword(term=terms.surface.get(t, t), score=round(scored[t] / best, 4)) for t in chosen]
    result.sort(key=lambda kw: -kw.score)
    return tuple(result)


def keyword_terms(paragraphs: Sequence[str], title: str | None) -> TermCounts:
    """The weighted term counts keywords are chosen from; related linking weighs the same counts."""
    return article_terms(title or "", "\n\n".join(paragraphs), title_weight=_TITLE_WEIGHT, pairs="names")


def segmented_terms(segmented: Segmented) -> TermCounts:
    """`keyword_terms` of a segmented article, from the words its segmentation found."""
    return terms_of_words(segmented.title or "", segmented.words, title_weight=_TITLE_WEIGHT, pairs="names")


_IDF = memo("keywords.idf", limit=200_000)  # term -> background IDF (the table is fixed, terms repeat)


def _scores(counts: dict[str, float]) -> dict[str, float]:
    """`(1 + ln count) × background IDF` of each term that is not a bare number."""
    logs = {count: 1.0 + math.log(count) for count in set(counts.values())}
    known = list(map(_IDF.get, counts))
    idfs = [_new_idf(term) if idf is None else idf for term, idf in zip(counts, known, strict=True)]
    return {
        term: logs[count] * idf
        for (term, count), idf in zip(counts.items(), idfs, strict=True)
        if not term.isdigit()
    }


def _new_idf(term: str) -> float:
    idf = term_idf(term)
    _IDF.keep(term, idf)
    return idf


def _in_pair(word: str, chosen: Sequence[str]) -> bool:
    return any(" " in t and word in t.split(" ") for t in chosen)


def _partner(word: str, chosen: Sequence[str], counts: dict[str, float]) -> tuple[str, str] | None:
    """A chosen word that forms, with `word`, a name written together at least twice."""
    for other in chosen:
        if " " in other:
            continue
        for pair in (f"{other} {word}", f"{word} {other}"):
            if counts.get(pair, 0.0) >= 2:
                return other, pair
    return None
