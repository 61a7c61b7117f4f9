"""Extractive summaries (stub: to be implemented)."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.model import Sentence


def summary_length(spec: int | str, n_sentences: int) -> int:
    raise NotImplementedError


def summarize(sentences: Sequence[Sentence], *, title: str | None, limit: int) -> tuple[int, ...]:
    raise NotImplementedError
