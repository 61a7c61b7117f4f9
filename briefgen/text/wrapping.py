"""Hard wraps: is a text wrapped at a fixed width, where do its paragraphs end, and how lines rejoin."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from briefgen.lang import lexicon

# Closing marks that may follow a sentence's final punctuation.
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = re.compile(rf"[.!?…][{re.escape(_CLOSERS)}]*$")
_HYPHEN_END = re.compile(r"(?<![A-Za-z\u00c0-\u024f])([A-Za-z\u00c0-\u024f]+)-$")
_ATTACHED_HYPHEN = re.compile(r"\w-$")
_ASCII_LOWER_WORD = re.compile(r"[a-z][a-z]*(?:-[a-z]+)*")
_WORD_START = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f]*(?:-[A-Za-z\u00c0-\u024f]+)*")
_SMALL_WORDS = lexicon().small_words
_MAX_WRAP_WIDTH = 160


_ENDERS = frozenset(".!?…")


def ends_sentence(line: str) -> bool:
    """`_SENTENCE_END.search(line) is not None` without scanning the line: its end, closing marks skipped."""
    core = line[:-1] if line.endswith("\n") else line  # `$` also matches before a final newline
    return core.rstrip(_CLOSERS)[-1:] in _ENDERS


def first_word(line: str) -> str:
    space = line.find(" ")
    return line if space < 0 else line[:space]


def wrap_width(lengths: Sequence[int]) -> int:
    """The width a text seems wrapped at: the 90th percentile of its line lengths."""
    if not lengths:
        return 0
    ordered = sorted(lengths)
    return ordered[min(len(ordered) - 1, (len(ordered) * 9) // 10)]


@dataclass(frozen=True, slots=True)
class Wrap:
    """How a text is laid out: its wrap width, the room a wrapped line may leave, and whether it is wrapped."""

    width: int
    slack: int
    wrapped: bool


def _room(line: str, following: str, width: int) -> int:
    """Characters to spare had the next line's first word been put on this line (negative: no room)."""
    return width - (len(line) + 1 + len(first_word(following)))


def forced_break(line: str, following: str, wrap: Wrap) -> bool:
    """True unless the next line's first word would clearly have fitted on this line."""
    return _room(line, following, wrap.width) < wrap.slack


def measure_wrap(blocks: Sequence[Sequence[str]]) -> Wrap:
    """The wrap width (90th percentile of line lengths), its slack, and whether line ends are wrap points.

    Slack: a greedy wrapper (textwrap, an editor) leaves no room for the next word, but text copied from
    a page set in a proportional font breaks by glyph widths and may leave a few characters. Line breaks
    that are surely wraps (no sentence end, the next line goes on in lower case) show how much; a
    paragraph ends only where there is more room than that. Wrapped: most line ends inside blocks stop
    mid-sentence with no room; text with one paragraph per line has (almost) no such ends.
    """
    width = wrap_width([len(line) for block in blocks for line in block])
    default = Wrap(width=width, slack=max(3, width // 10), wrapped=False)
    if width == 0 or width > _MAX_WRAP_WIDTH:
        return default
    pairs = [(a, b) for block in blocks for a, b in pairwise(block)]
    open_pairs = [(a, b) for a, b in pairs if not ends_sentence(a)]  # line ends inside a sentence
    sure = [_room(a, b, width) for a, b in open_pairs if b[:1].islower()]
    slack = min(max(sure) + 1, width // 5) if sure else default.slack
    wrap = Wrap(width=width, slack=max(1, slack), wrapped=False)
    evidence = sum(1 for a, b in open_pairs if forced_break(a, b, wrap))
    return Wrap(width=width, slack=wrap.slack, wrapped=evidence > 0 and evidence >= 0.3 * len(pairs))


def is_title_case(line: str) -> bool:
    """Most significant words capitalised, as in a headline: "Putin Tells Trump 'Peaceful Negotiations'"."""
    words = [w.strip("\"'“”‘’()[],:;!?") for w in line.split()]
    significant = [w for w in words if w and w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capital = sum(1 for w in significant if w[0].isupper() or w[0].isdigit())
    return capital >= 0.7 * len(significant)


def paragraph_ends(line: str, following: str, wrap: Wrap, *, alone: bool = False) -> bool:
    """Does a paragraph end between two consecutive non-blank lines? `alone`: `line` starts a paragraph."""
    if _ATTACHED_HYPHEN.search(line, max(0, len(line) - 3)):  # the match is in the last 3 characters
        return False  # "nego-" / "pre-" at a line end: the word goes on
    if not wrap.wrapped:
        # One paragraph per line, unless a line visibly stops mid-sentence and the next goes on in lower case.
        return ends_sentence(line) or not following[:1].islower()
    if forced_break(line, following, wrap):
        return False
    # A line clearly shorter than the wrap width that ends a sentence (or a heading) ends the paragraph.
    if ends_sentence(line) or line.endswith(":"):
        return True
    # A short heading on a line of its own.
    last = line.rsplit(" ", 1)[-1].lower()
    return alone and len(line) < 0.6 * wrap.width and is_title_case(line) and last not in _SMALL_WORDS


@cache
def english_words() -> frozenset[str]:
    """The bundled SCOWL word list (lower case), loaded on first use only (its imports too: they cost)."""
    import gzip
    from importlib import resources

    data = resources.files("briefgen").joinpath("data/english-words.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").split())


def document_words(lines: Sequence[str]) -> frozenset[str]:
    """Every word of a text, lower-cased, hyphenated compounds both whole and split."""
    text = "\n".join(lines)  # no word runs across the newline
    if text.isascii():  # lower-cased ASCII: _WORD's letters are a-z
        found = set(_ASCII_LOWER_WORD.findall(text.lower()))
    else:
        found = {word.lower() for word in _WORD.findall(text)}
    for word in [w for w in found if "-" in w]:
        found.update(word.split("-"))
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


# A longer run of letters before a line-end hyphen is no word: only its last letters are read, so that
# mending one line costs the same however much text came before it.
_LONGEST_WORD = 64


def _hyphen_head(pieces: Sequence[str]) -> str | None:
    """The letters before a hyphen ending the joined pieces (`_HYPHEN_END` on their text), from the end."""
    end = ""
    for piece in reversed(pieces):  # enough of the text's end to hold the word, its hyphen and one more
        end = piece[-(_LONGEST_WORD + 2 - len(end)) :] + end
        if len(end) >= _LONGEST_WORD + 2:
            break
    match = _HYPHEN_END.search(end)
    return match.group(1) if match else None


def join_lines(lines: Sequence[str], seen: Set[str]) -> str:
    """Rejoin the lines of one paragraph: spaces between, broken words mended, compounds kept."""
    pieces = [lines[0]]
    for line in lines[1:]:
        last = pieces[-1]
        hyphen = _hyphen_head(pieces) if last.endswith(("-", "-\n")) else None
        start = _WORD_START.match(line)
        if hyphen and start:
            if not keep_hyphen(hyphen, start.group(0), seen):
                pieces[-1] = last[:-1]
        elif not (last.endswith("-") and line[:1].isdigit() and _before_hyphen(pieces).isalnum()):
            pieces.append(" ")
        pieces.append(line)
    return "".join(pieces)


def _before_hyphen(pieces: Sequence[str]) -> str:
    """The character before the final hyphen of the joined pieces ("" if there is none)."""
    last = pieces[-1]
    if len(last) >= 2:
        return last[-2]
    return pieces[-2][-1:] if len(pieces) > 1 else ""
