"""Direct quotes and their speakers (stub: to be implemented)."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.model import Quote


def find_quotes(paragraphs: Sequence[str], *, title: str | None = None) -> tuple[Quote, ...]:
    raise NotImplementedError


def select_key_quotes(quotes: Sequence[Quote], limit: int) -> tuple[Quote, ...]:
    raise NotImplementedError
