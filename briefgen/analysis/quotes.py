"""Direct quotes and their speakers.

Rule-based and fast (no model): quote marks come from the segmentation, names from `names`,
attribution from `quote_rules` and `speakers`, speaker resolution from `resolver`. A quote is *key*
when it is a whole statement (not a fragment inside a paraphrase, not a scare quote) with a known
speaker; `key_quotes` joins and ranks the key quotes a briefing features.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.analysis.names import Mention, find_mentions
from briefgen.analysis.phrases import Attribution
from briefgen.analysis.quote_rules import QuoteContext, attribute, contexts, is_whole
from briefgen.analysis.resolver import Resolver, Speaker
from briefgen.analysis.speakers import (
    attribution_before,
    reported_subject,
    signature_line,
)
from briefgen.model import Quote, QuoteSpan, Segmented
from briefgen.text.segment import segment
from briefgen.text.tokens import words as words_in

_MIN_KEY_WORDS = 4
_MAX_SCARE_WORDS = 3


@dataclass(frozen=True, slots=True)
class _Piece:
    paragraph: int
    span: QuoteSpan
    speaker: Speaker | None
    is_whole: bool
    attributed: bool  # the speaker comes from this quote's own attribution clause
    rule: str | None  # the rule that chose the speaker


@dataclass(slots=True)
class _Chosen:
    """The speakers chosen for the quotes of one paragraph so far, with the rule behind each."""

    speakers: list[Speaker | None]
    rules: list[str | None]
    own: list[bool]  # from the quote's own attribution (or its paragraph's signature or introduction)

    def set(self, i: int, speaker: Speaker | None, rule: str, *, own: bool = False) -> None:
        self.speakers[i] = speaker
        self.rules[i] = rule if speaker is not None else None
        self.own[i] = own and speaker is not None


@dataclass(slots=True)
class _Carry:
    """What one paragraph hands to the next."""

    carried: tuple[Speaker, str | None] | None = None  # a quote left open at its end: speaker, rule
    last_speaker: Speaker | None = None  # its last quote speaker
    quote_free: bool = False  # it has no quotes (it may report someone's speech)

    def advance(self, found: Sequence[tuple[QuoteContext, Attribution | None]], chosen: _Chosen) -> None:
        last = chosen.speakers[-1] if found else None
        open_at_end = bool(found) and found[-1][0].span.close_at is None
        self.carried = (last, chosen.rules[-1]) if open_at_end and last is not None else None
        named = [s for s in chosen.speakers if s is not None]
        self.last_speaker = named[-1] if named else (self.last_speaker if not found else None)
        self.quote_free = not found


def _inside(spans: Sequence[QuoteSpan], opens: Sequence[int], start: int, end: int) -> bool:
    """Is text[start:end] inside one of the quotes? `opens`: their opening marks' offsets, in order."""
    k = bisect_left(opens, start) - 1  # spans do not overlap: only the last one opened before can hold it
    return k >= 0 and end <= spans[k].end


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
    state = _Carry()
    for p, text in enumerate(paragraphs):
        found = [(c, attribute(c)) for c in contexts(text, spans[p], ends[p])]
        chosen = _Chosen([None] * len(found), [None] * len(found), [False] * len(found))
        for i, (_, at) in enumerate(found):
            speaker = resolver.resolve(p, at) if at is not None else None
            if speaker is not None and at is not None:
                resolver.note(p, at, speaker)
                chosen.set(i, speaker, _explained(at.rule, speaker), own=True)
        _fill_gaps(text, found, chosen)
        _paragraph_rules(segmented, p, found, chosen, resolver, state)
        for i, (c, at) in enumerate(found):
            pieces.append(
                _Piece(p, c.span, chosen.speakers[i], is_whole(c, at), chosen.own[i], chosen.rules[i])
            )
        state.advance(found, chosen)
    if not include_scare_quotes:
        pieces = [p for p in pieces if not _is_scare_quote(paragraphs[p.paragraph], p)]
    return _score(paragraphs, pieces, index.mentions)


def _reporter(
    paragraphs: Sequence[str], ends: Sequence[tuple[int, ...]], resolver: Resolver, p: int
) -> tuple[Speaker, str] | None:
    """Whose speech paragraph p (one without quotes) reports, if anyone's: "Carter said that …"."""
    if p < 0 or _is_headline(paragraphs[p]):
        return None
    reported = reported_subject(paragraphs[p], ends[p])
    speaker = resolver.resolve(p, reported) if reported is not None else None
    if speaker is None or reported is None:
        return None
    return speaker, _explained(reported.rule or "subject of its speech verb", speaker)


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
        and word_count(text[piece.span.start : piece.span.end]) <= _MAX_SCARE_WORDS
    )


def _paragraph_rules(
    segmented: Segmented,
    p: int,
    found: Sequence[tuple[QuoteContext, Attribution | None]],
    chosen: _Chosen,
    resolver: Resolver,
    state: _Carry,
) -> None:
    """Rules over paragraphs, after a paragraph's own quotes: a signature line under a paragraph of
    quotes; then, for a quote opening the paragraph with no speaker yet, in order: the paragraph before
    that introduces it with a colon, the quote it continues from the paragraph before, the speech that
    paragraph reports, and the previous paragraph's last speaker."""
    paragraphs, spans, ends = segmented.paragraphs, segmented.quotes, segmented.ends
    signed = _signed_by(paragraphs, spans, p)
    if signed is not None and not any(chosen.own):
        speaker = resolver.resolve(p + 1, signed)
        rule = _explained(f"signature line: {signed.rule}".rstrip(": "), speaker)
        for i in range(len(found)):
            chosen.set(i, speaker, rule, own=True)
        return
    if not found or chosen.speakers[0] is not None or found[0][0].span.open_at != 0:
        return
    intro = _introduced_by(paragraphs, spans, ends, p - 1) if state.carried is None else None
    if intro is not None:
        speaker = resolver.resolve(p - 1, intro)
        rule = _explained(f"introduced by the paragraph before: {intro.rule}".rstrip(": "), speaker)
        chosen.set(0, speaker, rule, own=True)
    if chosen.speakers[0] is None:
        if state.carried is not None:
            chosen.set(0, state.carried[0], _continued(state.carried[1]))
        elif not any(chosen.own):
            reported = _reporter(paragraphs, ends, resolver, p - 1) if state.quote_free else None
            if reported is not None:
                chosen.set(0, reported[0], f"speech reported in the paragraph before: {reported[1]}")
            else:
                chosen.set(0, state.last_speaker, "the previous paragraph's speaker")
    if chosen.speakers[0] is not None:
        _fill_gaps(paragraphs[p], found, chosen)


def _explained(rule: str, speaker: Speaker | None) -> str:
    """The attribution rule that found the phrase, then the resolution rule that named the speaker:
    "after the quote: subject before the verb → acronym of a full name"."""
    return f"{rule} → {speaker.rule}" if speaker is not None and speaker.rule else rule


_CONTINUED = "quote continued from the paragraph before"


def _continued(rule: str | None) -> str:
    """The rule of a quote that goes on in the next paragraph: the rule that named its speaker first."""
    if rule is not None and rule.startswith(_CONTINUED):
        return rule
    return f"{_CONTINUED} ({rule})"


def _fill_gaps(text: str, found: Sequence[tuple[QuoteContext, Attribution | None]], chosen: _Chosen) -> None:
    """A quote split by its attribution ("A," X said. "B.") shares the speaker of its neighbour."""
    speakers = chosen.speakers
    for i in range(1, len(found)):
        if speakers[i] is None and speakers[i - 1] is not None and is_whole(*found[i]):
            chosen.set(i, speakers[i - 1], "the quote before's speaker")
    for i in range(len(found) - 2, -1, -1):
        if speakers[i] is None and speakers[i + 1] is not None:
            span, nxt = found[i][0].span, found[i + 1][0].span
            gap = text[span.close_at + 1 if span.close_at is not None else span.end : nxt.open_at]
            if not gap.strip(" ,.;—–-"):
                chosen.set(i, speakers[i + 1], "the quote after's speaker")


def _score(
    paragraphs: Sequence[str], pieces: Sequence[_Piece], mentions: Sequence[Mention]
) -> tuple[Quote, ...]:
    counts = Counter(m.name for m in mentions)
    top = max(counts.values(), default=1)
    n = max(len(paragraphs), 1)
    quotes: list[Quote] = []
    for piece in pieces:
        text = paragraphs[piece.paragraph][piece.span.start : piece.span.end]
        words = word_count(text)
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
                rule=piece.rule,
            )
        )
    return tuple(quotes)


def word_count(text: str) -> int:
    """Words of a quote, a contraction counting as the two it joins ("I’m with her." is four): the
    key-quote and scare-quote thresholds count this way."""
    return sum(1 + word.count("'") + word.count("’") for word in words_in(text))
