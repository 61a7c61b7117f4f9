"""The rules that attribute one quote from its own sentence, tried in this order; the first that finds a
speaker phrase wins, and its name goes with the speaker (`briefgen quotes --jsonl --explain`):

1. `colon or first quote`: the words before the quote, when they end with a colon or the quote is the
   first of its sentence ("Hegseth said: “…”", "Hegseth said “…”");
2. `after the quote`: the clause after the closing mark ("“…,” Hegseth said", "“…,” said Jane Doe");
3. `before the quote`: the words before any other quote ("… and, Hegseth added, “…”");
4. `speech-act sentence`: the sentence before, when it is itself a speech act ("Bystrom agreed. “…”");
5. `paraphrase subject`: the subject of the sentence's speech or paraphrase verb, for a partial quote
   ("Hegseth dismissed the goals as “unrealistic.”").

Each phrase rule (`briefgen.analysis.speakers`) names the reading it used, as "after the quote: subject
before the verb". Rules over paragraphs (a signature line, an introducing paragraph, a quote continued
from the paragraph before, a neighbour's speaker) live with `quotes_of`.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefgen.analysis.phrases import Attribution
from briefgen.analysis.speakers import (
    attribution_after,
    attribution_before,
    attribution_sentence,
    has_speech_verb,
    paraphrase_subject,
)
from briefgen.model import QuoteSpan


@dataclass(frozen=True, slots=True)
class QuoteContext:
    """One quote of a paragraph and the stretches around it that its rules read."""

    text: str  # the paragraph
    span: QuoteSpan
    first: bool  # the first quote of its paragraph
    lo: int  # where the words before it start: its sentence's start, or just after the quote before
    sentence_start: int
    previous_sentence_start: int | None  # None for the paragraph's first sentence
    after_lo: int  # just after the closing mark
    hi: int  # where the words after it end: the next quote, or its sentence's end
    before: str  # text[lo:open_at], stripped
    quote_before: bool  # another quote opens in the sentence before
    quoted: Sequence[tuple[int, int]]  # (open, just after close) of the paragraph's quotes, in order

    @property
    def inner(self) -> str:
        return self.text[self.span.start : self.span.end]


def _colon_or_first(c: QuoteContext) -> Attribution | None:
    if c.before.endswith(":") or (c.first and c.before):
        return attribution_before(c.text, c.lo, c.span.open_at)
    return None


def _after(c: QuoteContext) -> Attribution | None:
    if c.after_lo >= c.hi:
        return None
    inner = c.inner
    return attribution_after(
        c.text,
        c.after_lo,
        c.hi,
        after_full_stop=inner[-1:] in ".!?",
        open_ended=inner[-1:] in ",!?" and (not c.before or c.before.endswith((".", ":", "!", "?"))),
    )


def _before(c: QuoteContext) -> Attribution | None:
    if not c.before or c.before.endswith(":") or c.first:
        return None  # rule 1 read these words already
    return attribution_before(c.text, c.lo, c.span.open_at)


def _speech_act_sentence(c: QuoteContext) -> Attribution | None:
    if c.before or c.previous_sentence_start is None or c.quote_before:
        return None
    return attribution_sentence(c.text, c.previous_sentence_start, c.sentence_start)


def _paraphrase(c: QuoteContext) -> Attribution | None:
    if not c.before or c.before.endswith((":", ",")):
        return None
    return paraphrase_subject(c.text, c.sentence_start, c.span.open_at, c.quoted)  # later quotes lie after it


QUOTE_RULES: tuple[tuple[str, Callable[[QuoteContext], Attribution | None]], ...] = (
    ("colon or first quote", _colon_or_first),
    ("after the quote", _after),
    ("before the quote", _before),
    ("speech-act sentence", _speech_act_sentence),
    ("paraphrase subject", _paraphrase),
)


def attribute(c: QuoteContext) -> Attribution | None:
    """The first rule's speaker phrase, named "rule: reading" (None if no rule finds one)."""
    for name, rule in QUOTE_RULES:
        found = rule(c)
        if found is not None:
            return dataclasses.replace(found, rule=f"{name}: {found.rule}" if found.rule else name)
    return None


def contexts(text: str, spans: Sequence[QuoteSpan], ends: Sequence[int]) -> list[QuoteContext]:
    """The context of each quote of one paragraph; `ends`: its sentence ends outside quotes."""
    opens = [s.open_at for s in spans]
    quoted = [(s.open_at, (s.close_at if s.close_at is not None else s.end) + 1) for s in spans]
    out: list[QuoteContext] = []
    for i, span in enumerate(spans):
        k = bisect_right(ends, span.open_at)
        sentence_start = ends[k - 1] if k else 0
        prev = spans[i - 1] if i else None
        lo = max(sentence_start, prev.close_at + 1 if prev and prev.close_at is not None else 0)
        next_open = spans[i + 1].open_at if i + 1 < len(spans) else len(text)
        after_lo = span.close_at + 1 if span.close_at is not None else len(text)
        j = bisect_right(ends, after_lo - 1)
        sentence_end = ends[j] if j < len(ends) else len(text)
        previous_start = (ends[k - 2] if k >= 2 else 0) if k else None
        out.append(
            QuoteContext(
                text=text,
                span=span,
                first=prev is None,
                lo=lo,
                sentence_start=sentence_start,
                previous_sentence_start=previous_start,
                after_lo=after_lo,
                hi=min(next_open, max(sentence_end, after_lo)),
                before=text[lo : span.open_at].strip(),
                quote_before=previous_start is not None
                and bisect_left(opens, previous_start) != bisect_left(opens, sentence_start),
                quoted=quoted,
            )
        )
    return out


def is_whole(c: QuoteContext, found: Attribution | None) -> bool:
    """Is the quote a whole statement, not a fragment inside someone's paraphrase?"""
    before, inner = c.before, c.inner
    after = c.text[c.after_lo : c.hi].strip(" .,;—–-")
    whole_start = (
        not before
        or before.endswith((":", "—", ".", "!", "?"))
        or (before.endswith(",") and has_speech_verb(before))
        or (found is not None and found.end <= c.span.open_at and before.endswith(","))
    )
    whole_end = not after or (found is not None and found.start >= c.after_lo) or inner[-1:] in ".!?,…—-"
    return whole_start and whole_end
