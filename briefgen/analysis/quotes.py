"""Direct quotes and their speakers, and the key quotes a briefing features.

Rule-based and fast (no model): quote marks come from `quotemarks`, names from `names`, attribution
and speaker resolution from `speakers`. A quote is *key* when it is a whole statement (not a fragment
inside a paraphrase, not a scare quote) with a known speaker.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.analysis.names import Mention, find_mentions
from briefgen.analysis.phrases import Attribution
from briefgen.analysis.resolver import Resolver, Speaker
from briefgen.analysis.speakers import (
    attribution_after,
    attribution_before,
    attribution_sentence,
    has_speech_verb,
    paraphrase_subject,
    reported_subject,
    signature_line,
)
from briefgen.model import Quote, QuoteSpan, Segmented
from briefgen.text.segment import segment
from briefgen.text.tokens import words as words_in

_MIN_KEY_WORDS = 4
_MAX_SCARE_WORDS = 3
_SAME_SPEAKER_COST = 0.25


@dataclass(frozen=True, slots=True)
class _Piece:
    paragraph: int
    span: QuoteSpan
    speaker: Speaker | None
    is_whole: bool
    attributed: bool  # the speaker comes from this quote's own attribution clause


def _inside(spans: Sequence[QuoteSpan], opens: Sequence[int], start: int, end: int) -> bool:
    """Is text[start:end] inside one of the quotes? `opens`: their opening marks' offsets, in order."""
    k = bisect_left(opens, start) - 1  # spans do not overlap: only the last one opened before can hold it
    return k >= 0 and end <= spans[k].end


def _pieces_of(
    index: int, text: str, spans: tuple[QuoteSpan, ...], ends: tuple[int, ...], resolver: Resolver
) -> list[tuple[QuoteSpan, Attribution | None, bool]]:
    """Each span of one paragraph with its own attribution (if any) and whether it is a whole statement."""
    out: list[tuple[QuoteSpan, Attribution | None, bool]] = []
    opens = [s.open_at for s in spans]
    quoted = [(s.open_at, (s.close_at if s.close_at is not None else s.end) + 1) for s in spans]
    for i, span in enumerate(spans):
        k = bisect_right(ends, span.open_at)
        sentence_start = ends[k - 1] if k else 0
        prev = spans[i - 1] if i else None
        lo = max(sentence_start, prev.close_at + 1 if prev and prev.close_at is not None else 0)
        next_open = spans[i + 1].open_at if i + 1 < len(spans) else len(text)
        after_lo = span.close_at + 1 if span.close_at is not None else len(text)
        j = bisect_right(ends, after_lo - 1)
        sentence_end = ends[j] if j < len(ends) else len(text)
        hi = min(next_open, max(sentence_end, after_lo))
        inner = text[span.start : span.end]
        found = None
        before = text[lo : span.open_at].strip()
        if before.endswith(":") or (prev is None and before):
            found = attribution_before(text, lo, span.open_at)
        if found is None and after_lo < hi:
            found = attribution_after(
                text,
                after_lo,
                hi,
                after_full_stop=inner[-1:] in ".!?",
                open_ended=inner[-1:] in ",!?" and (not before or before.endswith((".", ":", "!", "?"))),
            )
        if found is None and before:
            found = attribution_before(text, lo, span.open_at)
        if found is None and not before and k:
            prev_start = ends[k - 2] if k >= 2 else 0
            if bisect_left(opens, prev_start) == bisect_left(opens, sentence_start):  # no quote opens there
                found = attribution_sentence(text, prev_start, sentence_start)
        if found is None and before and not before.endswith((":", ",")):
            found = paraphrase_subject(
                text, sentence_start, span.open_at, quoted
            )  # later quotes lie after it
        after = text[after_lo:hi].strip(" .,;—–-")
        whole_start = (
            not before
            or before.endswith((":", "—", ".", "!", "?"))
            or (before.endswith(",") and has_speech_verb(before))
            or (found is not None and found.end <= span.open_at and before.endswith(","))
        )
        whole_end = not after or (found is not None and found.start >= after_lo) or inner[-1:] in ".!?,…—-"
        out.append((span, found, whole_start and whole_end))
    return out


def find_quotes(
    paragraphs: Sequence[str],
    *,
    title: str | None = None,
    keep_descriptions: bool = True,
    include_scare_quotes: bool = False,
) -> tuple[Quote, ...]:
    """`quotes_of` the paragraphs, segmented here."""
    return quotes_of(
        segment(paragraphs, title=title),
        keep_descriptions=keep_descriptions,
        include_scare_quotes=include_scare_quotes,
    )


def quotes_of(
    segmented: Segmented, *, keep_descriptions: bool = True, include_scare_quotes: bool = False
) -> tuple[Quote, ...]:
    """Every direct quote in reading order, with its speaker where the text makes it clear.

    Partial quotes inside a paraphrase ("dismissed the goals as “unrealistic.”") are kept, never key.
    `include_scare_quotes`: also return short marked fragments inside a sentence that nobody is said to
    have said (scare quotes, titles, slogans: a “new” Nixon); they are never key either.
    `keep_descriptions`: when a description ("a spokesman", "police") names no one in the article,
    keep it as the speaker (True) or report no speaker (False).
    """
    paragraphs, spans, ends = segmented.paragraphs, segmented.quotes, segmented.ends
    index = find_mentions(paragraphs, title=segmented.title)
    opens = [[s.open_at for s in found] for found in spans]
    outside = [
        m
        for m in index.mentions
        if m.paragraph >= 0 and not _inside(spans[m.paragraph], opens[m.paragraph], m.start, m.end)
    ]
    resolver = Resolver(
        index, segmented.ends_at_closing, outside, paragraphs=paragraphs, keep_descriptions=keep_descriptions
    )

    pieces: list[_Piece] = []
    carried: Speaker | None = None  # speaker of a quote left open at the end of the previous paragraph
    last_speaker: Speaker | None = None  # the last quote speaker of the previous paragraph
    quote_free = False  # the previous paragraph has no quotes (it may report someone's speech)
    for p, text in enumerate(paragraphs):
        raw = _pieces_of(p, text, spans[p], ends[p], resolver)
        speakers: list[Speaker | None] = []
        own: list[bool] = []
        for _, found, _ in raw:
            speaker = resolver.resolve(p, found) if found is not None else None
            if speaker is not None and found is not None:
                resolver.note(p, found, speaker)
            speakers.append(speaker)
            own.append(speaker is not None)
        _fill_gaps(text, raw, speakers)
        signed = _signed_by(paragraphs, spans, p)
        if signed is not None and not any(own):
            speaker = resolver.resolve(p + 1, signed)
            speakers = [speaker] * len(raw)
            own = [speaker is not None] * len(raw)
        elif raw and speakers[0] is None and raw[0][0].open_at == 0:
            intro = _introduced_by(paragraphs, spans, ends, p - 1) if carried is None else None
            if intro is not None:
                speakers[0] = resolver.resolve(p - 1, intro)
                own[0] = speakers[0] is not None
            if speakers[0] is None:
                if carried is None and not any(own):
                    speakers[0] = (
                        _reporter(paragraphs, ends, resolver, p - 1) if quote_free else None
                    ) or last_speaker
                else:
                    speakers[0] = carried
            if speakers[0] is not None:
                _fill_gaps(text, raw, speakers)
        for (span, _, whole), speaker, attributed in zip(raw, speakers, own, strict=True):
            pieces.append(_Piece(p, span, speaker, whole, attributed))
        carried = speakers[-1] if raw and raw[-1][0].close_at is None else None
        paragraph_speakers = [s for s in speakers if s is not None]
        last_speaker = paragraph_speakers[-1] if paragraph_speakers else (last_speaker if not raw else None)
        quote_free = not raw
    if not include_scare_quotes:
        pieces = [p for p in pieces if not _is_scare_quote(paragraphs[p.paragraph], p)]
    return _score(paragraphs, pieces, index.mentions)


def _reporter(
    paragraphs: Sequence[str], ends: Sequence[tuple[int, ...]], resolver: Resolver, p: int
) -> Speaker | None:
    """Whose speech paragraph p (one without quotes) reports, if anyone's: "Carter said that …"."""
    if p < 0 or _is_headline(paragraphs[p]):
        return None
    reported = reported_subject(paragraphs[p], ends[p])
    return resolver.resolve(p, reported) if reported is not None else None


def _is_headline(text: str) -> bool:
    """A title-cased line ("Mayor Says Budget Will Pass"): no sentence to take a subject from."""
    words = text.split()
    return len(words) >= 4 and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def _signed_by(
    paragraphs: Sequence[str], spans: Sequence[tuple[QuoteSpan, ...]], p: int
) -> Attribution | None:
    """A paragraph that is nothing but quotes, signed by the next one ("— Jane Doe."): the signature."""
    if p + 1 >= len(paragraphs) or not spans[p] or spans[p + 1]:
        return None
    text, last = paragraphs[p], 0
    for span in spans[p]:
        if text[last : span.open_at].strip(" .,;"):
            return None
        last = span.close_at + 1 if span.close_at is not None else len(text)
    if text[last:].strip(" .,;"):
        return None
    return signature_line(paragraphs[p + 1])


def _introduced_by(
    paragraphs: Sequence[str], spans: Sequence[tuple[QuoteSpan, ...]], ends: Sequence[tuple[int, ...]], p: int
) -> Attribution | None:
    """A paragraph that ends with a colon introduces the quote opening the next one ("Reporter Jane
    Doe says:" / "The party said in a statement:"): its attribution, if it has one."""
    if p < 0:
        return None
    text = paragraphs[p].rstrip()
    if not text.endswith(":"):
        return None
    lo = ends[p][-1] if ends[p] and ends[p][-1] < len(text) else 0
    for span in spans[p]:
        if span.close_at is None:
            return None
        lo = max(lo, span.close_at + 1)
    return attribution_before(text, lo, len(text))


def _is_scare_quote(text: str, piece: _Piece) -> bool:
    return (
        not piece.is_whole
        and piece.speaker is None
        and len(words_in(text[piece.span.start : piece.span.end])) <= _MAX_SCARE_WORDS
    )


def _fill_gaps(
    text: str, raw: Sequence[tuple[QuoteSpan, Attribution | None, bool]], speakers: list[Speaker | None]
) -> None:
    """A quote split by its attribution ("A," X said. "B.") shares the speaker of its neighbour."""
    for i in range(1, len(raw)):
        if speakers[i] is None and speakers[i - 1] is not None and raw[i][2]:
            speakers[i] = speakers[i - 1]
    for i in range(len(raw) - 2, -1, -1):
        if speakers[i] is None and speakers[i + 1] is not None:
            span, nxt = raw[i][0], raw[i + 1][0]
            gap = text[span.close_at + 1 if span.close_at is not None else span.end : nxt.open_at]
            if not gap.strip(" ,.;—–-"):
                speakers[i] = speakers[i + 1]


def _score(
    paragraphs: Sequence[str], pieces: Sequence[_Piece], mentions: Sequence[Mention]
) -> tuple[Quote, ...]:
    counts = Counter(m.name for m in mentions)
    top = max(counts.values(), default=1)
    n = max(len(paragraphs), 1)
    quotes: list[Quote] = []
    for piece in pieces:
        text = paragraphs[piece.paragraph][piece.span.start : piece.span.end]
        words = len(words_in(text))
        is_key = piece.is_whole and piece.speaker is not None and words >= _MIN_KEY_WORDS
        score = 0.0
        if is_key and piece.speaker is not None:
            prominence = counts.get(piece.speaker.name, 0) / top
            named = 0.3 if piece.speaker.kind == "person" else 0.0
            score = (
                math.log1p(min(words, 60)) / math.log1p(60)
                + 0.5 * prominence
                + named
                + 0.2 * (1 - piece.paragraph / n)
            )
        quotes.append(
            Quote(
                text=text,
                speaker=piece.speaker.name if piece.speaker else None,
                paragraph=piece.paragraph,
                start=piece.span.start,
                end=piece.span.end,
                is_key=is_key,
                score=round(score, 4),
                speaker_kind=piece.speaker.kind if piece.speaker else None,
            )
        )
    return tuple(quotes)


def _tokens(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in words_in(text))


def select_key_quotes(quotes: Sequence[Quote], limit: int) -> tuple[Quote, ...]:
    """Up to `limit` key quotes, most informative first, with no near-repeats.

    Greedy by score; each quote already picked from the same speaker costs the next one
    `_SAME_SPEAKER_COST`, so a briefing hears from more than one voice when the scores are close.
    """
    pool = sorted((q for q in quotes if q.is_key), key=lambda q: (-q.score, q.paragraph, q.start))
    chosen: list[Quote] = []
    seen: list[frozenset[str]] = []
    by_speaker: Counter[str | None] = Counter()
    while pool and len(chosen) < limit:
        best = max(pool, key=lambda q: q.score - _SAME_SPEAKER_COST * by_speaker[q.speaker])
        pool.remove(best)
        tokens = _tokens(best.text)
        if any(len(tokens & other) >= 0.6 * min(len(tokens), len(other)) for other in seen):
            continue
        chosen.append(best)
        seen.append(tokens)
        by_speaker[best.speaker] += 1
    return tuple(chosen)
