"""Where quotation marks open and close in a paragraph, and where its sentences end.

Only double marks delimit quotes (curly, straight, low-9 and guillemets); single marks are left alone,
so apostrophes (’) and quotes within quotes never split a quotation. A mark left open runs to the end of
its paragraph: that is the news convention for a quote continued in the next paragraph, and it keeps
one stray mark from costing more than its own paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from briefgen.lang import lexicon

_OPENERS = frozenset("“„«")
_CLOSERS = frozenset("”»")
_STRAIGHT = '"'
_MARKS = re.compile(r'["“”„«»]')
_TAG = re.compile(
    r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>"
)  # markup such as <a href="…">: its quotes are no quotes


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """The text between one pair of marks (whitespace trimmed)."""

    start: int
    end: int
    open_at: int  # offset of the opening mark
    close_at: int | None  # offset of the closing mark; None when the paragraph ends first


def find_spans(text: str) -> tuple[QuoteSpan, ...]:
    """Quoted stretches of one paragraph, in order."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    tags = [(m.start(), m.end()) for m in _TAG.finditer(text)] if "<" in text else []
    for match in _MARKS.finditer(text):
        mark, at = match.group(), match.start()
        if tags and any(s <= at < e for s, e in tags):
            continue
        if open_at is None:
            if mark in _CLOSERS or (mark == _STRAIGHT and _looks_like_inches(text, at)):
                continue  # a stray closing mark, or 6'2": nothing to close
            open_at = at
        elif mark in _CLOSERS or (mark == _STRAIGHT and not _opens(text, at)) or _misturned_closer(text, at):
            _add(spans, text, open_at, at)
            open_at = None
        else:  # a second opener before any closer: the first quote lost its closing mark
            _add(spans, text, open_at, at)
            open_at = at
    if open_at is not None:
        _add(spans, text, open_at, None)
    return tuple(spans)


def _opens(text: str, at: int) -> bool:
    """A straight mark after a space and before a word opens a quote: inside another one it means the
    earlier quote was never closed (a paragraph break lost, a quote re-opened)."""
    return (
        (at == 0 or text[at - 1].isspace())
        and at + 1 < len(text)
        and (text[at + 1].isalnum() or text[at + 1] in "‘'")
    )


def _misturned_closer(text: str, at: int) -> bool:
    """An opening mark typed where a quote closes: after its final punctuation and before a space or
    the paragraph end (“It’s unusual,“ said Jane Doe)."""
    return (
        text[at] in _OPENERS
        and at > 0
        and text[at - 1] in ",.!?…"
        and (at + 1 == len(text) or text[at + 1].isspace())
    )


def _looks_like_inches(text: str, at: int) -> bool:
    return at > 0 and text[at - 1].isdigit() and (at + 1 >= len(text) or not text[at + 1].isalnum())


def _add(spans: list[QuoteSpan], text: str, open_at: int, close_at: int | None) -> None:
    start, end = open_at + 1, len(text) if close_at is None else close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(QuoteSpan(start, end, open_at, close_at))


_ABBREVIATIONS = lexicon().abbreviations_of("title", "suffix", "place", "endable", "dotted")
_BEFORE_NUMBER = lexicon().abbreviations_of("number")
_END = re.compile(r"[.!?](?=[”\"’')\]]*\s+[“\"‘(\[]?[A-Z0-9])")


def sentence_ends(
    text: str, spans: tuple[QuoteSpan, ...], *, at_closing_marks: bool = False
) -> tuple[int, ...]:
    """Offsets just after each sentence-final mark outside quotes (the paragraph end is implied).

    `at_closing_marks`: a quote that ends with its own full stop and is followed by a new capitalised
    sentence (“… arbitrary.” Jones warned …) also ends a sentence; attribution keeps it off, since
    “….” Jones said. is one sentence to it, but people mentioned after it start a new one."""
    return sentence_ends_both(text, spans)[1 if at_closing_marks else 0]


def sentence_ends_both(text: str, spans: tuple[QuoteSpan, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """`sentence_ends` without and with `at_closing_marks`, from one pass over the paragraph."""
    plain: list[int] = []
    closing: list[int] = []
    length = len(text)
    opens = [s.open_at for s in spans]  # spans are in order and do not overlap
    for match in _END.finditer(text):
        at = match.start()
        k = bisect_left(opens, at) - 1  # the one span that can hold `at`: the last opened before it
        span = spans[k] if k >= 0 else None
        in_quote = span is not None and at < (span.close_at if span.close_at is not None else length)
        in_open_quote = (
            in_quote
            and span is not None
            and not (span.close_at is not None and not text[at + 1 : span.close_at].strip("’'"))
        )
        if in_open_quote:
            continue  # inside a quote, not at its own closing marks: no sentence end for either
        if text[at] == ".":
            word = text[max(0, text.rfind(" ", 0, at) + 1) : at].lower().lstrip('(“"')
            if (
                word in _ABBREVIATIONS
                or (len(word) == 1 and word.isalpha())
                or (word in _BEFORE_NUMBER and text[at + 2 : at + 3].isdigit())
            ):
                continue
        end = at + 1
        while end < length and text[end] in "”\"’')]":
            end += 1
        if not in_quote:
            plain.append(end)
        closing.append(end)
    return tuple(plain), tuple(closing)
