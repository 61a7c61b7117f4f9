"""Sentence splitting (stub: to be implemented)."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.model import Sentence


def split_sentences(paragraphs: Sequence[str]) -> tuple[Sentence, ...]:
    raise NotImplementedError
