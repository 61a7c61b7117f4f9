"""Quotation marks: the one scanner. `find_spans` gives a paragraph's quotations, `protected_regions`
the stretches a sentence may not be cut inside.

Only double marks delimit quotations (curly, straight, low-9 and guillemets); single marks never do,
so apostrophes (’) and quotes within quotes never split a quotation. A mark left open runs to the end of
its paragraph: that is the news convention for a quote continued in the next paragraph, and it keeps
one stray mark from costing more than its own paragraph. For sentence splitting, closed single-quoted
stretches (where a mark cannot be an apostrophe) and tokenised ``...'' quotations count as well.
"""

from __future__ import annotations

import re

from briefgen.model import QuoteSpan

_OPENERS = frozenset("“„«")
_CLOSERS = frozenset("”»")
_STRAIGHT = '"'
_MARKS = re.compile(r'["“”„«»]')
_TAG = re.compile(
    r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>"
)  # markup such as <a href="…">: its quotes are no quotes


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
    """An opening mark typed where a quote closes: after its final punctuation or last word and before
    a space or the paragraph end (“It’s unusual,“ said Jane Doe; the plan was “unrealistic“ and ...)."""
    return (
        text[at] in _OPENERS
        and at > 0
        and (text[at - 1] in ",.!?…" or text[at - 1].isalnum())
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
        spans.append(QuoteSpan(start=start, end=end, open_at=open_at, close_at=close_at))


def protected_regions(text: str, spans: tuple[QuoteSpan, ...]) -> list[tuple[int, int]]:
    """(open, close) offsets of the closed quotations a sentence may not be cut inside: the double-mark
    spans (not one whose "closing" mark re-opened a quotation: it was left open), single-quoted
    stretches and tokenised ``...'' quotations, none longer than _LONGEST_QUOTE."""
    reopened = {s.open_at for s in spans}
    regions = [
        (s.open_at, s.close_at)
        for s in spans
        if s.close_at is not None and s.close_at not in reopened and s.close_at - s.open_at <= _LONGEST_QUOTE
    ]
    if "'" in text or "‘" in text or "’" in text or "`" in text:
        regions += [(a, b) for a, b in _marked_regions(text) if text[a] in "‘'`"]
    return sorted(regions)


# A longer "quotation" is more likely two marks paired by mistake than one quote to keep whole.
_LONGEST_QUOTE = 600
_QUOTE_MARK = re.compile(r"[`'\"“”‘’](?:(?<=`)`|(?<=')'|(?<=[\"“”‘’']))")  # ``|''|[\"“”‘’']
_CLITIC = re.compile(r"(?:s|t|re|ve|ll|d|m)\b", re.IGNORECASE)


def _marked_regions(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of quotations that open and close in this paragraph.

    Double quotes pair by direction (“ ” `` '', straight quotes by their spacing); single quotes count
    only where they cannot be apostrophes or plural possessives.
    """
    regions: list[tuple[int, int]] = []
    open_double: int | None = None
    open_single: int | None = None
    for match in _QUOTE_MARK.finditer(text):
        mark, at = match.group(0), match.start()
        if (
            mark in ("’", "'")
            and 0 < at < len(text) - 1
            and text[at - 1].isalnum()
            and text[at + 1].isalnum()
        ):
            continue  # an apostrophe inside a word (don’t, Kyiv’s): `_single_role` is None
        if mark in ("“", "``", "”", "''", '"'):
            role = _double_role(text, at, mark, open_double is not None)
            if role == "open":  # one still open was never closed (a quotation running on): not a region
                open_double = at
            elif role == "close" and open_double is not None:
                regions.append((open_double, at))
                open_double = None
            continue
        single = _single_role(text, at, mark, open_single is not None)
        if single == "open" and open_single is None:
            open_single = at
        elif single == "close" and open_single is not None:
            regions.append((open_single, at))
            open_single = None
    return [(start, close) for start, close in regions if close - start <= _LONGEST_QUOTE]


def _double_role(text: str, at: int, mark: str, is_open: bool) -> str:
    if mark in ("“", "``"):
        return "open"
    if mark in ("”", "''"):
        return "close"
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if before.isspace() and not after.isspace():
        return "open"
    if after.isspace() and not before.isspace():
        return "close"
    return "close" if is_open else "open"  # free-standing, as in tokenised text


def _single_role(text: str, at: int, mark: str, is_open: bool) -> str | None:
    """ "open", "close" or None (an apostrophe) for one single quotation mark."""
    if mark == "‘":
        return "open"
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return None  # don't, Kyiv’s
    if not before.isspace() and not after.isspace():
        return "close" if is_open and not after.isalnum() else None
    if before.isspace() and after.isalnum():
        if _CLITIC.match(text, at + 1):
            return None  # tokenised "crapser 's", "do n't"
        return "open"
    if after.isspace() and not before.isspace():
        return "close" if is_open else None  # "visibility.’" or "players’ union"
    # Free-standing (tokenised text): decide by the nearest non-space characters.
    prev = text[max(0, at - 8) : at].rstrip()[-1:]
    nxt = text[at + 1 : at + 9].lstrip()[:1]
    if prev in ("", ":") or (prev in ".!?…" and not is_open):
        return "open"
    if prev in ".!?,…" or nxt in ("", ".", ",", "!", "?", ";", ":"):
        return "close"
    if is_open:
        return "close"
    return None if prev in ("s", "z") else "open"  # "five years ' probation"
