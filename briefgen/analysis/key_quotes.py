"""The key quotes a briefing features, ranked: whole statements, closest to what the story is about.

A quotation split by its attribution ("A," Hegseth said. "B.") is one statement: its key pieces are
joined into one `KeyQuote` that takes one slot. Statements are ranked by the informativeness of their
pieces (`quotes._score`) and by how much they share with the headline and the lead paragraph, the
story's own claim; a speaker already picked costs the next statement of theirs a little, and a
near-repeat of a picked statement is left out. The words are the segmentation's (`Segmented.words`
for the lead, the one tokeniser for the rest), and the quotations between two pieces its spans.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence

from briefgen.analysis.quotes import word_count
from briefgen.lang.frequency import zipf_table
from briefgen.model import KeyQuote, Quote, Segmented
from briefgen.text.tokens import words

_FUNCTION_ZIPF10 = 58  # "the", "is", "not", "said": words that tell nothing about a story
_MAX_GAP = 160  # characters between the pieces of one split quotation: the attribution only
_TITLE_WEIGHT = 2.0  # a word of the headline counts twice a word of the lead
_ABOUT_WEIGHT = 0.12  # per shared (weighted) word, up to _ABOUT_CAP
_ABOUT_CAP = 0.6
_SAME_SPEAKER_COST = 0.25
_STEM = 5  # letters of a word compared
_REPEAT_SHARE = 0.6


def _terms(written: Iterable[str]) -> set[str]:
    table = zipf_table()
    out: set[str] = set()
    for word in written:
        low = word.lower()
        if len(low) > 2 and not low.isdigit() and table.get(low, 0) < _FUNCTION_ZIPF10:
            out.add(low[:_STEM])  # "dredging", "dredgers": one word for this purpose
    return out


def _length(text: str) -> float:
    """The length term of a quote's score (as `quotes._score` computes it), for a joined statement."""
    return math.log1p(min(word_count(text), 60)) / math.log1p(60)


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


def statements(quotes: Sequence[Quote], segmented: Segmented) -> list[KeyQuote]:
    """The key quotes with a speaker, split quotations joined, in reading order (score: the best piece's)."""
    out: list[KeyQuote] = []
    opens: dict[int, list[int]] = {}
    for index, quote in enumerate(quotes):
        if not quote.is_key or quote.speaker is None:
            continue
        last = out[-1] if out else None
        if last is not None and _continues(last, quotes[last.pieces[-1]], quote, segmented, opens):
            out[-1] = dataclasses.replace(
                last,
                text=_join(last.text, quote.text),
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
    # a comma before the attribution ends no statement
    return [dataclasses.replace(s, text=s.text.rstrip().removesuffix(",")) for s in out]


def _joined_score(statement: KeyQuote, quote: Quote) -> float:
    """The better piece's score, its length term replaced by the joined statement's."""
    best = max(statement.score, quote.score)
    best_text = statement.text if statement.score >= quote.score else quote.text
    return best - _length(best_text) + _length(statement.text + " " + quote.text)


def _continues(
    statement: KeyQuote, previous: Quote, quote: Quote, segmented: Segmented, opens: dict[int, list[int]]
) -> bool:
    """The next piece of the same quotation: same paragraph and speaker, and only an attribution
    between them (no other quotation, at most `_MAX_GAP` characters). `opens`: where each paragraph's
    quotations open, filled as needed (once per paragraph, so a paragraph of many quotes stays linear)."""
    if quote.paragraph != previous.paragraph or quote.speaker != statement.speaker or quote.paragraph < 0:
        return False
    if not 0 < quote.start - previous.end <= _MAX_GAP:
        return False
    at = opens.get(quote.paragraph)
    if at is None:
        at = opens[quote.paragraph] = [span.open_at for span in segmented.quotes[quote.paragraph]]
    return bisect_left(at, quote.start) - bisect_left(at, previous.end) <= 1  # the next one's own


def rank_key_quotes(quotes: Sequence[Quote], segmented: Segmented) -> tuple[KeyQuote, ...]:
    """Every statement, best first (see the module's docstring)."""
    found = statements(quotes, segmented)
    if not found:
        return ()
    title_terms = _terms(words(segmented.title or ""))
    lead_terms = _terms(segmented.words[0]) if segmented.words else set()
    pool: list[tuple[float, KeyQuote, set[str]]] = []
    for s in found:
        said = _terms(words(s.text))
        shared = _TITLE_WEIGHT * len(said & title_terms) + len(said & lead_terms)
        about = min(_ABOUT_CAP, _ABOUT_WEIGHT * max(0.0, shared - 1))  # one shared word is chance
        pool.append((s.score + about, s, said))
    ranked: list[KeyQuote] = []
    picked_words: list[set[str]] = []
    by_speaker: Counter[str] = Counter()
    pool.sort(key=lambda item: (-item[0], item[1].paragraph, item[1].start))
    # The best statement next, a picked speaker's costing a little: a heap keyed by the value when it
    # was pushed; values only fall as speakers are picked, so a popped entry whose value is still
    # current is the best (ties to the order above, as max() over the sorted pool would pick).
    heap = [(-total, order, total) for order, (total, _, _) in enumerate(pool)]
    while heap:
        key, order, total = heapq.heappop(heap)
        _, statement, said = pool[order]
        value = total - _SAME_SPEAKER_COST * by_speaker[statement.speaker]
        if value != -key:
            heapq.heappush(heap, (-value, order, total))
            continue
        if said and any(
            len(said & seen) >= _REPEAT_SHARE * min(len(said), len(seen)) for seen in picked_words
        ):
            continue  # a near-repeat of a statement already picked
        ranked.append(dataclasses.replace(statement, score=round(total, 4)))
        picked_words.append(said)
        by_speaker[statement.speaker] += 1
    return tuple(ranked)
