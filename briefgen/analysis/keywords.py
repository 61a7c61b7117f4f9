"""Keywords of one article (stub: to be implemented)."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.model import Keyword


def extract_keywords(
    paragraphs: Sequence[str], *, title: str | None = None, limit: int = 8
) -> tuple[Keyword, ...]:
    raise NotImplementedError
