"""Cleaning pasted plain text into article paragraphs (stub: to be implemented)."""

from __future__ import annotations

from briefgen.model import CleanText, Dateline


def clean_text(raw: str, *, first_line: int = 1, infer_title: bool = True) -> CleanText:
    raise NotImplementedError


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    raise NotImplementedError


def reference_title(line: str) -> tuple[str, str] | None:
    raise NotImplementedError
