"""Sentence splitting for raw pasted news text and for lower-cased, tokenised copies of it.

Guarantees: every sentence is a span of one paragraph (`paragraphs[p][start:end] == text`), stripped of
surrounding spaces; a quotation that opens and closes inside one paragraph is never cut in half; titles
("Gen.", "Mr."), initials ("J. K."), "No. 10", decimals, dotted acronyms ("U.S.") and ellipses inside a
sentence do not end it; a leading wire dateline ("BRUSSELS —", "LONDON (Reuters) -", "(CNN)") is left out.
"""

import re
from collections.abc import Sequence

from briefgen.lang import lexicon
from briefgen.model import Sentence
from briefgen.text.dateline import dateline_length
from briefgen.text.quotemarks import find_spans, protected_regions

LEX = lexicon()

# Words that are never the last word of a sentence when followed by a period.
_TITLES = LEX.abbreviations_of("title", "suffix", "place")
# Abbreviations that end a sentence only when a typical sentence opener follows them.
_ENDABLE = LEX.abbreviations_of("endable")
# Abbreviations that are never final when a number follows ("No. 10", "pp. 4").
_BEFORE_NUMBER = LEX.abbreviations_of("number")
# Words that typically open a sentence: after an ambiguous "U.S." or "Inc." they signal a boundary.
_OPENERS = LEX.sentence_openers
_ATTRIBUTING = LEX.attribution_verbs

# A run of terminal punctuation followed by a space or the end of the paragraph.
# Regexes searched along whole paragraphs open with one character class, so the engine jumps to the
# characters a match can start with; each notes the plainer pattern it matches exactly like.
# `(?:\.{2,}|…|[.!?]+)(?=\s|[\"'”’)\]]|$)`
_TERMINAL = re.compile(r"[.!?…](?:(?<=\.)\.+|(?<=…)|(?<=[.!?])[.!?]*)(?=\s|[\"'”’)\]]|$)")
_WORD_BEFORE = re.compile(r"([^\W_](?:[\w.'’&-]*[^\W_])?)$")
# Closing marks and brackets after a terminal; a straight quote mark with a letter right after it opens
# the next sentence instead ('... waste. "Nobody ...').
_CLOSERS = re.compile(r"(?:\s*(?:''|[”’)\]]|-rrb-|-rsb-)|\s*[\"'](?![^\W_]))*")
_NEXT_WORD = re.compile(r"\s*(?:``|[\"'“‘(\[]|-lrb-)?\s*([^\W_][\w'’.-]*)")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\.?")
_HAS_WORD = re.compile(r"[^\W_]")


def split_sentences(paragraphs: Sequence[str]) -> tuple[Sentence, ...]:
    """All sentences of the paragraphs, in reading order."""
    out: list[Sentence] = []
    for index, paragraph in enumerate(paragraphs):
        out.extend(
            Sentence(text=paragraph[start:end], paragraph=index, start=start, end=end)
            for start, end in sentence_spans(paragraph)
        )
    return tuple(out)


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in one paragraph, stripped, skipping spans with no word in them."""
    cuts = sentence_cuts(paragraph, protected_regions(paragraph, find_spans(paragraph)))
    return spans_between(paragraph, [end for _, end in cuts])


def sentence_cuts(paragraph: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where the sentences of a paragraph end, before its last: (offset of the final mark, offset just
    after it and its closing marks). `regions`: the quotations a sentence is never cut inside."""
    cased = paragraph != paragraph.lower()
    inside = _Coverage(regions)
    cuts: list[tuple[int, int]] = []
    for match in _TERMINAL.finditer(paragraph):
        closers = _CLOSERS.match(paragraph, match.end())
        end = closers.end() if closers else match.end()
        if end >= len(paragraph.rstrip()):
            break
        if _is_boundary(paragraph, match, end, cased) and not inside.covers(end):
            cuts.append((match.start(), end))
    return cuts


def spans_between(paragraph: str, cuts: Sequence[int]) -> list[tuple[int, int]]:
    """The sentences between the cuts: stripped, a leading dateline and spans with no word left out."""
    spans: list[tuple[int, int]] = []
    start = _dateline_end(paragraph)
    for cut in [*cuts, len(paragraph)]:
        span = _strip(paragraph, start, cut)
        if span and _HAS_WORD.search(paragraph, span[0], span[1]):
            spans.append(span)
        start = max(start, cut)
    return spans


def _dateline_end(paragraph: str) -> int:
    length = dateline_length(paragraph)
    # Only a dateline if a sentence follows it, not a heading that happens to hold a dash.
    return length if length and len(paragraph[length:].split()) >= 4 else 0


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _is_boundary(text: str, match: re.Match[str], end: int, cased: bool) -> bool:
    punct = match.group(0)
    after = _NEXT_WORD.match(text, end)
    next_word = after.group(1) if after else ""
    quoted = end > match.end() and any(c in "\"'”’" for c in text[match.end() : end])
    if quoted and _starts_attribution(text, end):
        return False  # "Stop!" he said.
    if text[end : end + 3].lstrip()[:1] in (",", ";", ":"):
        return False  # "Sen. Jack Reed (D-R.I.), said": a sentence never goes on with a comma
    if cased and next_word[:1].islower():
        return False
    if punct in ("…", "...") or (len(punct) >= 2 and set(punct) == {"."}):
        # An ellipsis ends a sentence only when a capitalised word follows (cased text).
        return cased and next_word[:1].isupper()
    if punct != ".":
        return True
    start = match.start()
    if start > 0 and text[start - 1].isspace():
        return True  # tokenised text: a free-standing period
    word = _word_before(text, start)
    if word is None:
        return True
    lower = word.lower()
    opener = next_word.lower() in _OPENERS and (not cased or next_word[:1].isupper())
    if lower in _TITLES:
        return False
    if lower in _BEFORE_NUMBER and next_word[:1].isdigit():
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "J. K. Rowling"
    if _DOTTED.fullmatch(word) or lower in _ENDABLE:
        return opener
    return True


_WORD_CHARS_REVERSED = re.compile(r"[\w.'’&-]*")


def _word_before(text: str, start: int) -> str | None:
    """`_WORD_BEFORE.search(text, max(0, start - 40), start)`'s word, found from the end instead of
    trying each of the 40 positions: the run of word characters before `start`, from its first letter
    or digit, when the character before `start` is a letter or digit."""
    lo = max(0, start - 40)
    if start <= lo:
        return None
    if not text[start - 1].isalnum():
        if text[start - 1] == "\n":  # `$` matches before a final newline too: leave that to the regex
            match = _WORD_BEFORE.search(text, lo, start)
            return match.group(1) if match else None
        return None
    run = _WORD_CHARS_REVERSED.match(text[lo:start][::-1])
    at = start - (run.end() if run else 0)
    while not text[at].isalnum():
        at += 1
    return text[at:start]


def _starts_attribution(text: str, end: int) -> bool:
    words = text[end : end + 60].split()[:4]
    return any(w.strip(",.;:").lower() in _ATTRIBUTING for w in words)


class _Coverage:
    """Whether positions, asked in increasing order, fall inside any of some (open, close] regions:
    `any(open < position <= close for open, close in regions)` in time linear in regions plus questions."""

    def __init__(self, regions: list[tuple[int, int]]) -> None:
        self._regions = sorted(regions)
        self._next = 0  # regions before this one open before the last position asked
        self._furthest = -1  # the largest close among them

    def covers(self, position: int) -> bool:
        regions = self._regions
        while self._next < len(regions) and regions[self._next][0] < position:
            self._furthest = max(self._furthest, regions[self._next][1])
            self._next += 1
        return self._furthest >= position
