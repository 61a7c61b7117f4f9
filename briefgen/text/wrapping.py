"""Hard wraps: is a text wrapped at a fixed width, where do its paragraphs end, and how lines rejoin."""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence, Set
from functools import cache
from importlib import resources

# Closing marks that may follow a sentence's final punctuation.
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = re.compile(rf"[.!?…][{re.escape(_CLOSERS)}]*$")
_HYPHEN_END = re.compile(r"(?<![\s\-–—])([A-Za-z\u00c0-\u024f]+)-$")
_WORD_START = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:-[A-Za-z\u00c0-\u024f]+)*")
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "nor",
        "of",
        "on",
        "or",
        "over",
        "per",
        "the",
        "to",
        "up",
        "via",
        "vs",
        "with",
    ]
)
_MAX_WRAP_WIDTH = 160


def ends_sentence(line: str) -> bool:
    return _SENTENCE_END.search(line) is not None


def first_word(line: str) -> str:
    return line.split(" ", 1)[0]


def wrap_width(lengths: Sequence[int]) -> int:
    """The width a text seems wrapped at: the 90th percentile of its line lengths."""
    if not lengths:
        return 0
    ordered = sorted(lengths)
    return ordered[min(len(ordered) - 1, (len(ordered) * 9) // 10)]


def forced_break(line: str, following: str, width: int) -> bool:
    """True unless the next line's first word would clearly have fitted on this line.

    "Clearly": with a tenth of the width to spare, because text copied from a page set in a proportional
    font is wrapped by glyph widths, not characters, and its line lengths vary by a few characters.
    """
    return len(line) + 1 + len(first_word(following)) > width - max(3, width // 10)


def is_title_case(line: str) -> bool:
    """Most significant words capitalised, as in a headline: "Putin Tells Trump 'Peaceful Negotiations'"."""
    words = [w.strip("\"'“”‘’()[],:;!?") for w in line.split()]
    significant = [w for w in words if w and w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capital = sum(1 for w in significant if w[0].isupper() or w[0].isdigit())
    return capital >= 0.7 * len(significant)


def is_hard_wrapped(blocks: Sequence[Sequence[str]], width: int) -> bool:
    """Whether line ends inside blocks are wrap points rather than paragraph ends.

    Evidence is a line that stops mid-sentence because the next word would not have fitted; text with
    one paragraph per line has (almost) none, because its lines end with the sentence.
    """
    if width == 0 or width > _MAX_WRAP_WIDTH:
        return False
    pairs = evidence = 0
    for block in blocks:
        for line, following in zip(block, block[1:], strict=False):
            pairs += 1
            if not ends_sentence(line) and forced_break(line, following, width):
                evidence += 1
    return evidence > 0 and evidence >= 0.3 * pairs


def paragraph_ends(line: str, following: str, *, width: int, wrapped: bool, alone: bool = False) -> bool:
    """Does a paragraph end between two consecutive non-blank lines? `alone`: `line` starts a paragraph."""
    if not wrapped:
        # One paragraph per line, unless a line visibly stops mid-sentence and the next goes on in lower case.
        return ends_sentence(line) or not following[:1].islower()
    if forced_break(line, following, width):
        return False
    # A line clearly shorter than the wrap width that ends a sentence (or a heading) ends the paragraph.
    if ends_sentence(line) or line.endswith(":"):
        return True
    # A short heading on a line of its own.
    last = line.rsplit(" ", 1)[-1].lower()
    return alone and len(line) < 0.6 * width and is_title_case(line) and last not in _SMALL_WORDS


@cache
def english_words() -> frozenset[str]:
    """The bundled SCOWL word list (lower case), loaded on first use only."""
    data = resources.files("briefgen").joinpath("data/english-words.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").split())


def document_words(lines: Sequence[str]) -> frozenset[str]:
    """Every word of a text, lower-cased, hyphenated compounds both whole and split."""
    found: set[str] = set()
    for line in lines:
        for word in _WORD.findall(line):
            lowered = word.lower()
            found.add(lowered)
            if "-" in lowered:
                found.update(lowered.split("-"))
    return frozenset(found)


def keep_hyphen(head: str, tail: str, seen: Set[str]) -> bool:
    """Is "head-" + "tail" at a line break a compound ("high-speed") rather than a broken word ("nego-tiated")?

    Evidence in order: the document itself (the joined or the hyphenated form elsewhere), then the word list
    (the joined form is a word: join; the tail is a word of its own: keep), then join.
    """
    joined, hyphenated = (head + tail).lower(), f"{head}-{tail}".lower()
    if hyphenated in seen and joined not in seen:
        return True
    if joined in seen and hyphenated not in seen:
        return False
    if tail[:1].isupper() and not tail.isupper():
        return True
    words = english_words()
    if joined in words:
        return False
    return tail.lower() in words and len(tail) > 1


def join_lines(lines: Sequence[str], seen: Set[str]) -> str:
    """Rejoin the lines of one paragraph: spaces between, broken words mended, compounds kept."""
    text = lines[0]
    for line in lines[1:]:
        hyphen = _HYPHEN_END.search(text)
        start = _WORD_START.match(line)
        if hyphen and start:
            if keep_hyphen(hyphen.group(1), start.group(0), seen):
                text += line
            else:
                text = text[:-1] + line
        elif text.endswith("-") and line[:1].isdigit() and text[-2:-1].isalnum():
            text += line
        else:
            text += " " + line
    return text
