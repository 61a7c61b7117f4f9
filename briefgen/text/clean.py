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
from dataclasses import dataclass, field

from briefgen.lang import lexicon
from briefgen.model import Byline, CleanText, Dateline, DroppedLine, PageDate, Paragraph, Reference
from briefgen.text.boilerplate import drop_reason, reference_title
from briefgen.text.byline import byline_from_line, byline_from_url
from briefgen.text.dateline import split_dateline
from briefgen.text.furniture import is_caption_label
from briefgen.text.pagedates import dates_in_line
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
_MAX_HEADER_WORDS = 40  # spaces in a headline, standfirst or caption: more is story text
_DATED_REASONS = frozenset({"timestamp", "byline"})  # dropped lines whose dates are the page's
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
    page_dates: list[PageDate]
    byline_under_header: bool  # a byline stood under the first kept lines (a headline, a standfirst)


@dataclass(slots=True)
class _Marking:
    """What `mark_lines` has found so far."""

    kept: list[_Line | None] = field(default_factory=list)
    dropped: list[DroppedLine] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    page_dates: list[PageDate] = field(default_factory=list)
    author: Byline | None = None
    outlet: Byline | None = None
    kept_lines: int = 0  # text lines kept so far
    long_kept: bool = False  # one of them is longer than a headline or standfirst
    byline_under_header: bool = False  # a byline was read right under a headline (and a standfirst)

    def drop(self, line: _Line, reason: str) -> None:
        self.dropped.append(DroppedLine(line=line.number, text=line.text, reason=reason))
        self.kept.append(None)
        if reason in _DATED_REASONS:
            # a date the line does not label is the page's only above the story: further down, a bare
            # "May 2, 2013" is as likely a step in a timeline
            header = self.in_header()
            self.page_dates += [
                PageDate(date=date, label=label, line=line.number, text=line.text)
                for label, date in dates_in_line(line.text)
                if label or header
            ]

    def keep(self, line: _Line) -> None:
        self.kept.append(line)
        if line.text:
            self.kept_lines += 1
            self.long_kept = self.long_kept or line.text.count(" ") >= _MAX_HEADER_WORDS

    def in_header(self) -> bool:
        """Still above the story: at most a headline and a standfirst kept, and nothing long."""
        return self.kept_lines <= 2 and not self.long_kept

    def found_byline(self, found: Byline) -> None:
        self.author = self.author or (found if found.author else None)
        self.outlet = self.outlet or (found if found.source else None)

    def byline(self) -> Byline:
        author, outlet = self.author, self.outlet
        return Byline(
            author=author.author if author else None,
            source=(author.source if author and author.source else outlet.source if outlet else None),
            url=(author.url if author and author.url else outlet.url if outlet else None),
        )


def _starts_block(lines: Sequence[_Line], i: int, *, after_dropped: bool) -> bool:
    """Does line i open a block: first, after a blank or dropped line, or after a finished sentence?"""
    return i == 0 or after_dropped or not lines[i - 1].text or ends_sentence(lines[i - 1].text)


def _mark_reference(
    lines: Sequence[_Line], i: int, found: tuple[str, str], wrap: Wrap, marking: _Marking
) -> int:
    """Drop a reference line and its wrapped continuation; the index of the line after them."""
    label, title = found
    marking.drop(lines[i], "reference")
    j = i + 1
    while j < len(lines) and j - i <= _MAX_REFERENCE_LINES:
        following = lines[j].text
        if not _continues_reference(title, following, wrap):
            break
        title = f"{title} {following}"
        marking.drop(lines[j], "reference")
        j += 1
    marking.references.append(Reference(title=title, line=lines[i].number, label=label))
    return j


def _caption_follows(lines: Sequence[_Line], i: int) -> bool:
    """After a bare "Image caption," label: is the next line its caption?"""
    return (
        i + 1 < len(lines)
        and bool(lines[i + 1].text)
        and lines[i + 1].text.count(" ") < _MAX_HEADER_WORDS
        and is_caption_label(lines[i].text)
    )


def mark_lines(lines: Sequence[_Line], wrap: Wrap) -> _Marked:
    marking = _Marking()
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        if not text:
            marking.keep(line)
            i += 1
            continue
        opens = _starts_block(lines, i, after_dropped=bool(marking.kept) and marking.kept[-1] is None)
        reference = reference_title(text) if opens else None
        if reference is not None:
            i = _mark_reference(lines, i, reference, wrap, marking)
            continue
        reason = drop_reason(text)
        found: Byline | None = None
        if reason == "bare url":
            found = byline_from_url(text)
        elif reason is None and (opens or marking.in_header()):
            # a byline opens a block, or stands right under the headline; without "By" ("Maria
            # Lindgren, Chief Correspondent") only above the story
            found = byline_from_line(text, needs_by=not marking.in_header())
            if found is not None:
                reason = "byline"
                marking.byline_under_header |= marking.kept_lines > 0 and marking.in_header()
        if found is not None:
            marking.found_byline(found)
        if reason is None:
            marking.keep(line)
        else:
            marking.drop(line, reason)
            if reason == "caption" and _caption_follows(lines, i):
                i += 1
                marking.drop(lines[i], "caption")
        i += 1
    return _Marked(
        kept=marking.kept,
        dropped=marking.dropped,
        references=marking.references,
        byline=marking.byline(),
        page_dates=marking.page_dates,
        byline_under_header=marking.byline_under_header,
    )


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


def _looks_like_title(line: str, following: _Line | None, wrap: Wrap, *, above_byline: bool) -> bool:
    """Is `line`, the first kept line, the headline? Above a byline, a headline in sentence case is
    one too when the line after it (a standfirst) could have gone on it and did not."""
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
    headline = is_title_case(line) or (above_byline and not _goes_on(line, following.text))
    return headline and not forced_break(line, following.text, wrap)


def _goes_on(line: str, following: str) -> bool:
    """Does `following` carry on `line` (a headline wrapped over two lines)?"""
    return following[:1].islower() or line.rsplit(" ", 1)[-1].lower() in _OPEN_ENDINGS


def _take_title(blocks: list[list[_Line]], wrap: Wrap, *, above_byline: bool) -> str | None:
    if len(blocks) < 2 and (not blocks or len(blocks[0]) < 2):
        return None
    first = blocks[0]
    if above_byline and len(first) == 2 and _goes_on(first[0].text, first[1].text):
        wrapped = f"{first[0].text} {first[1].text}"  # a headline over two lines, right above the byline
        if _looks_like_title(wrapped, None, wrap, above_byline=True):
            del blocks[0]
            return wrapped
    following = first[1] if len(first) > 1 else None
    if not _looks_like_title(first[0].text, following, wrap, above_byline=above_byline):
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
    title = _take_title(blocks, wrap, above_byline=marked.byline_under_header) if infer_title else None
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
        page_dates=tuple(marked.page_dates),
    )
