"""Cleaning pasted plain text into article paragraphs (first version: blank-line paragraphs)."""

from __future__ import annotations

from briefgen.model import Byline, CleanText, Dateline, Paragraph


def _lines(raw: str) -> list[str]:
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [line.replace("\u00a0", " ").strip() for line in text.split("\n")]


def clean_text(raw: str, *, first_line: int = 1, infer_title: bool = True) -> CleanText:
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    start = first_line
    for offset, line in enumerate(_lines(raw)):
        if not line:
            if current:
                paragraphs.append(Paragraph(text=" ".join(current), line=start))
                current = []
            continue
        if not current:
            start = first_line + offset
        current.append(line)
    if current:
        paragraphs.append(Paragraph(text=" ".join(current), line=start))
    return CleanText(
        paragraphs=tuple(paragraphs), title=None, dateline=None, byline=Byline(), references=(), dropped=()
    )


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    return None, paragraph


def reference_title(line: str) -> tuple[str, str] | None:
    return None
