"""Stage 2 for plain text: pasted article text -> paragraphs, with what was learnt or dropped on the way.

Steps: normalise each line (BOM, CR/LF, stray and non-breaking spaces); mark lines that are not article
text (bare URLs, adverts, page markers, social buttons, bylines, "Related article:" references with their
wrapped continuations), each one recorded; take a headline-like first line as the title; group the rest
into blocks at blank and dropped lines; rejoin hard wraps inside blocks (splitting where a short line ends
a paragraph); finally take the dateline off the first paragraph. Nothing is removed without a record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.lang import lexicon
from briefgen.model import Byline, CleanText, Dateline, DroppedLine, Paragraph, Reference
from briefgen.text.boilerplate import drop_reason, reference_title
from briefgen.text.byline import byline_from_line, byline_from_url
from briefgen.text.dateline import split_dateline
from briefgen.text.wrapping import (
    Wrap,
    document_words,
    ends_sentence,
    forced_break,
    is_title_case,
    join_lines,
    measure_wrap,
    paragraph_ends,
)

__all__ = ["clean_text", "reference_title", "split_dateline"]

_SPACE_CHARS = " \t\u00a0\u2007\u202f\u3000\f\v"
# Runs of spaces to make one " ": like `[ \t\u00a0…]+`, but a lone " " (most of them, and already
# right) is not matched, so substituting leaves the text as it is instead of rebuilding it.
_SPACES = re.compile(rf"[{_SPACE_CHARS}](?:(?<= )[{_SPACE_CHARS}]+|(?<! )[{_SPACE_CHARS}]*)")
_MAX_TITLE = 160
_MAX_REFERENCE_LINES = 3
# Words a title cannot end with: after one, the next line must be its rest.
_OPEN_ENDINGS = lexicon().small_words


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based line in the file
    text: str  # stripped, inner runs of spaces collapsed; "" for a blank line


def normalise_lines(raw: str, first_line: int) -> list[_Line]:
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Neither the removed characters nor _SPACES touch a newline: clean the whole text, then split.
    text = _SPACES.sub(" ", text.replace("\u200b", "").replace("\ufeff", ""))
    return [_Line(number=first_line + i, text=line.strip()) for i, line in enumerate(text.split("\n"))]


def _continues_reference(title: str, line: str, wrap: Wrap) -> bool:
    """Is `line` the wrapped rest of a reference title rather than new body text?"""
    if not line or ends_sentence(title) or drop_reason(line) or reference_title(line):
        return False
    if byline_from_line(line) is not None:
        return False
    if title.endswith((",", "-", "–", "—", ":")) or title.rsplit(" ", 1)[-1].lower() in _OPEN_ENDINGS:
        return True
    if is_title_case(line) and (len(line) < 0.8 * wrap.width or not wrap.wrapped):
        return True
    return (
        wrap.wrapped
        and forced_break(title, line, wrap)
        and len(line) < 0.6 * wrap.width
        and not ends_sentence(line)
    )


@dataclass(frozen=True, slots=True)
class _Marked:
    kept: list[_Line | None]  # the line, or None where a line was dropped (blank lines kept as "")
    dropped: list[DroppedLine]
    references: list[Reference]
    byline: Byline


def _starts_block(lines: Sequence[_Line], i: int, *, after_dropped: bool) -> bool:
    """Does line i open a block: first, after a blank or dropped line, or after a finished sentence?"""
    return i == 0 or after_dropped or not lines[i - 1].text or ends_sentence(lines[i - 1].text)


def mark_lines(lines: Sequence[_Line], wrap: Wrap) -> _Marked:
    kept: list[_Line | None] = []
    dropped: list[DroppedLine] = []
    references: list[Reference] = []
    author: Byline | None = None
    outlet: Byline | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        if not text:
            kept.append(line)
            i += 1
            continue
        opens = _starts_block(lines, i, after_dropped=bool(kept) and kept[-1] is None)
        reference = reference_title(text) if opens else None
        if reference is not None:
            label, title = reference
            dropped.append(DroppedLine(line=line.number, text=text, reason="reference"))
            kept.append(None)
            j = i + 1
            while j < len(lines) and j - i <= _MAX_REFERENCE_LINES:
                following = lines[j].text
                if not _continues_reference(title, following, wrap):
                    break
                title = f"{title} {following}"
                dropped.append(DroppedLine(line=lines[j].number, text=following, reason="reference"))
                kept.append(None)
                j += 1
            references.append(Reference(title=title, line=line.number, label=label))
            i = j
            continue
        reason = drop_reason(text)
        found: Byline | None = None
        if reason == "bare url":
            found = byline_from_url(text)
        elif reason is None and opens:
            found = byline_from_line(text)
            if found is not None:
                reason = "byline"
        if found is not None:
            author = author or (found if found.author else None)
            outlet = outlet or (found if found.source else None)
        if reason is None:
            kept.append(line)
        else:
            dropped.append(DroppedLine(line=line.number, text=text, reason=reason))
            kept.append(None)
        i += 1
    byline = Byline(
        author=author.author if author else None,
        source=(author.source if author and author.source else outlet.source if outlet else None),
        url=(author.url if author and author.url else outlet.url if outlet else None),
    )
    return _Marked(kept=kept, dropped=dropped, references=references, byline=byline)


def _blocks(kept: Sequence[_Line | None]) -> list[list[_Line]]:
    """Runs of text lines, broken at blank lines and at dropped lines (unless a sentence runs across one)."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    pending_gap = False  # a dropped line since the last text line
    for item in kept:
        if item is None:
            pending_gap = True
            continue
        if not item.text:
            if current:
                blocks.append(current)
            current, pending_gap = [], False
            continue
        if pending_gap and current and (ends_sentence(current[-1].text) or not item.text[:1].islower()):
            blocks.append(current)
            current = []
        pending_gap = False
        current.append(item)
    if current:
        blocks.append(current)
    return blocks


def _looks_like_title(line: str, following: _Line | None, wrap: Wrap) -> bool:
    if not (line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"“‘'"):
        return False
    if len(line) > _MAX_TITLE or len(line.split()) > 25 or line.endswith((".", ",", ";", ":", "…")):
        return False
    if ends_sentence(line) and not line.rstrip("\"'”’").endswith(("?", "!")):
        return False
    if split_dateline(line + " x")[0] is not None:
        return False
    if following is None or not following.text:
        return True
    return is_title_case(line) and not forced_break(line, following.text, wrap)


def _take_title(blocks: list[list[_Line]], wrap: Wrap) -> str | None:
    if len(blocks) < 2 and (not blocks or len(blocks[0]) < 2):
        return None
    first = blocks[0]
    following = first[1] if len(first) > 1 else None
    if not _looks_like_title(first[0].text, following, wrap):
        return None
    title = first[0].text
    if len(first) > 1:
        blocks[0] = first[1:]
    else:
        del blocks[0]
    return title


def _paragraphs(block: Sequence[_Line], wrap: Wrap, seen: frozenset[str]) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    start = 0
    for i in range(1, len(block) + 1):
        if i == len(block) or paragraph_ends(block[i - 1].text, block[i].text, wrap, alone=start == i - 1):
            lines = [line.text for line in block[start:i]]
            paragraphs.append(Paragraph(text=join_lines(lines, seen), line=block[start].number))
            start = i
    return paragraphs


def clean_text(raw: str, *, first_line: int = 1, infer_title: bool = True) -> CleanText:
    """Clean the body of a plain-text article; `first_line` is the file line number of raw's first line."""
    lines = normalise_lines(raw, first_line)
    texts = [line.text for line in lines if line.text]
    raw_blocks = _blocks(lines)
    wrap = measure_wrap([[line.text for line in block] for block in raw_blocks])
    marked = mark_lines(lines, wrap)
    blocks = _blocks(marked.kept)
    title = _take_title(blocks, wrap) if infer_title else None
    seen = document_words(texts) if any(t.endswith("-") for t in texts) else frozenset()
    paragraphs = [p for block in blocks for p in _paragraphs(block, wrap, seen)]
    dateline: Dateline | None = None
    if paragraphs:
        dateline, rest = split_dateline(paragraphs[0].text)
        if dateline is not None:
            paragraphs[0] = Paragraph(text=rest, line=paragraphs[0].line)
    return CleanText(
        paragraphs=tuple(paragraphs),
        title=title,
        dateline=dateline,
        byline=marked.byline,
        references=tuple(marked.references),
        dropped=tuple(sorted(marked.dropped, key=lambda d: d.line)),
    )
