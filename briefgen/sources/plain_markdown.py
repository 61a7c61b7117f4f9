"""Markdown bodies with nothing but plain paragraphs and ATX headings, read without the full parser.

Most articles are prose: paragraphs of words and punctuation, maybe a few `## headings`. For those,
markdown-it's block and inline rules all decline and every block becomes one text run; `plain_blocks`
recognises such bodies directly and returns their blocks, or None as soon as any line could mean
something else to a CommonMark parser (then the caller parses the body with markdown-it as always).
The tests check, on generated bodies, that both readings give the same paragraphs and HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Inline syntax: escapes, code, emphasis, autolinks and HTML, an entity ("&amp;", "&#38;"), a link or
# image ("](": brackets alone are text, as no reference definitions can exist in a plain body), NUL
# (which markdown-it replaces) and carriage returns (which it reads as line ends).
_INLINE_SYNTAX = re.compile(r"[\\`*_<\x00\r]|&(?:#|[A-Za-z0-9]+;)|\]\(")
# A line markdown-it could read as a list item ("1." / "3)"), were it not for the digits' length.
_NUMBERED = re.compile(r"[0-9]+[.)]")
# An ATX heading with no '#' in its text and no closing sequence: "## Electric buses".
_HEADING = re.compile(r"(#{1,6})[ \t]+([^#]+)")
# Besides letters and digits, the characters a paragraph line may open with and mean nothing else.
_SAFE_OPENERS = frozenset("\"'“”‘’(")


@dataclass(frozen=True, slots=True)
class PlainBlock:
    """A paragraph ("p") or heading ("h1".."h6"): its text lines (soft breaks between them)."""

    tag: str
    lines: tuple[str, ...]
    line: int  # 0-based line of the body where the block starts


def plain_blocks(body: str) -> list[PlainBlock] | None:
    """The blocks of a body of plain paragraphs and headings; None if it holds anything else."""
    if _INLINE_SYNTAX.search(body):
        return None
    blocks: list[PlainBlock] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(body.split("\n")):
        if not line.strip(" \t"):
            if current:
                blocks.append(PlainBlock("p", tuple(current), start))
                current = []
            continue
        if line.strip() != line:  # markdown-it trims (a subset of) what str.strip() does
            return None  # indented, or trailing spaces (hard breaks), or spaces markdown-it may trim
        first = line[0]
        if first == "#":
            heading = _HEADING.fullmatch(line)
            if heading is None:
                return None
            if current:
                blocks.append(PlainBlock("p", tuple(current), start))
                current = []
            text = heading.group(2)
            if text.strip() != text:
                return None
            blocks.append(PlainBlock(f"h{len(heading.group(1))}", (text,), number))
            continue
        if not (first.isalpha() or first in _SAFE_OPENERS or (first.isdigit() and not _NUMBERED.match(line))):
            return None
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(PlainBlock("p", tuple(current), start))
    return blocks


def escape_html(text: str) -> str:
    """markdown-it's escaping of text runs: & < > and double quotes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
