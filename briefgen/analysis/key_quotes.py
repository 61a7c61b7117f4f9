"""The key quotes a briefing features, ranked: whole statements, closest to what the story is about.

A quotation split by its attribution ("A," Hegseth said. "B.") is one statement: its key pieces are
joined into one `KeyQuote` that takes one slot. Statements are ranked by the informativeness of their
pieces (`quotes._score`) and by how much they share with the headline and the lead paragraph, the
story's own claim; a speaker already picked costs the next statement of theirs a little, and a
near-repeat of a picked statement is left out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from briefgen.corpus.background import zipf_table
from briefgen.model import KeyQuote, Quote

_WORDS = re.compile(r"\w+")
_FUNCTION_ZIPF10 = 58  # "the", "is", "not", "said": words that tell nothing about a story
_MAX_GAP = 160  # characters between the pieces of one split quotation: the attribution only
_TITLE_WEIGHT = 2.0  # a word of the headline counts twice a word of the lead
_ABOUT_WEIGHT = 0.12  # per shared (weighted) word, up to _ABOUT_CAP
_ABOUT_CAP = 0.6
_SAME_SPEAKER_COST = 0.25
_STEM = 5  # letters of a word compared
_REPEAT_SHARE = 0.6


def _terms(text: str) -> set[str]:
    table = zipf_table()
    out: set[str] = set()
    for word in _WORDS.findall(text.lower()):
        if len(word) > 2 and not word.isdigit() and table.get(word, 0) < _FUNCTION_ZIPF10:
            out.add(word[:_STEM])  # "dredging", "dredgers": one word for this purpose
    return out


def _length(text: str) -> float:
    """The length term of a quote's score (as `quotes._score` computes it), for a joined statement."""
    return math.log1p(min(len(_WORDS.findall(text)), 60)) / math.log1p(60)


def _shown(text: str) -> str:
    return text.rstrip().removesuffix(",")  # a comma before the attribution ends no statement


def _join(first: str, second: str) -> str:
    """ "It is not a betrayal," + "No country …" -> "It is not a betrayal. No country …"; a piece
    that goes on in lower case keeps its comma ("If we lose," + "we go home.")."""
    head = first.rstrip()
    if second[:1].islower():
        return f"{head} {second}"
    head = head.removesuffix(",")
    if head[-1:] not in ".!?…—-":
        head += "."
    return f"{head} {second}"


def statements(quotes: Sequence[Quote], paragraphs: Sequence[str]) -> list[KeyQuote]:
    """The key quotes with a speaker, split quotations joined, in reading order (score: the best piece's)."""
    out: list[KeyQuote] = []
    for index, quote in enumerate(quotes):
        if not quote.is_key or quote.speaker is None:
            continue
        last = out[-1] if out else None
        if last is not None and _continues(last, quotes[last.pieces[-1]], quote, paragraphs):
            out[-1] = KeyQuote(
                text=_join(last.text, quote.text),
                speaker=last.speaker,
                speaker_kind=last.speaker_kind,
                paragraph=last.paragraph,
                start=last.start,
                pieces=(*last.pieces, index),
                score=_joined_score(last, quote),
            )
            continue
        out.append(
            KeyQuote(
                text=quote.text,
                speaker=quote.speaker,
                speaker_kind=quote.speaker_kind,
                paragraph=quote.paragraph,
                start=quote.start,
                pieces=(index,),
                score=quote.score,
            )
        )
    return [
        KeyQuote(
            text=_shown(s.text),
            speaker=s.speaker,
            speaker_kind=s.speaker_kind,
            paragraph=s.paragraph,
            start=s.start,
            pieces=s.pieces,
            score=s.score,
        )
        for s in out
    ]


def _joined_score(statement: KeyQuote, quote: Quote) -> float:
    """The better piece's score, its length term replaced by the joined statement's."""
    best = max(statement.score, quote.score)
    best_text = statement.text if statement.score >= quote.score else quote.text
    return best - _length(best_text) + _length(statement.text + " " + quote.text)


def _continues(statement: KeyQuote, previous: Quote, quote: Quote, paragraphs: Sequence[str]) -> bool:
    """The next piece of the same quotation: same paragraph and speaker, only an attribution between."""
    if quote.paragraph != previous.paragraph or quote.speaker != statement.speaker or quote.paragraph < 0:
        return False
    gap = paragraphs[quote.paragraph][previous.end : quote.start]
    return 0 < len(gap) <= _MAX_GAP and gap.count("“") + gap.count('"') <= 2 and statement.speaker is not None


def rank_key_quotes(
    quotes: Sequence[Quote], paragraphs: Sequence[str], *, title: str | None
) -> tuple[KeyQuote, ...]:
    """Every statement, best first (see the module's docstring)."""
    found = statements(quotes, paragraphs)
    if not found:
        return ()
    title_terms = _terms(title or "")
    lead_terms = _terms(paragraphs[0]) if paragraphs else set()
    pool: list[tuple[float, KeyQuote, set[str]]] = []
    for s in found:
        words = _terms(s.text)
        shared = _TITLE_WEIGHT * len(words & title_terms) + len(words & lead_terms)
        about = min(_ABOUT_CAP, _ABOUT_WEIGHT * max(0.0, shared - 1))  # one shared word is chance
        pool.append((s.score + about, s, words))
    ranked: list[KeyQuote] = []
    picked_words: list[set[str]] = []
    by_speaker: Counter[str] = Counter()
    pool.sort(key=lambda item: (-item[0], item[1].paragraph, item[1].start))
    while pool:
        best = max(pool, key=lambda item: item[0] - _SAME_SPEAKER_COST * by_speaker[item[1].speaker])
        pool.remove(best)
        total, statement, words = best
        if words and any(
            len(words & seen) >= _REPEAT_SHARE * min(len(words), len(seen)) for seen in picked_words
        ):
            continue  # a near-repeat of a statement already picked
        ranked.append(
            KeyQuote(
                text=statement.text,
                speaker=statement.speaker,
                speaker_kind=statement.speaker_kind,
                paragraph=statement.paragraph,
                start=statement.start,
                pieces=statement.pieces,
                score=round(total, 4),
            )
        )
        picked_words.append(words)
        by_speaker[statement.speaker] += 1
    return tuple(ranked)
