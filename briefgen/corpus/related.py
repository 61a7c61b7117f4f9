"""Related briefings about the same story (stub: to be implemented)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from briefgen.model import RelatedLink


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedItem:
    id: str
    title: str
    text: str
    date: dt.date | None = None
    names: tuple[str, ...] = ()  # people, organisations and places found in the article


def link_related(items: Sequence[RelatedItem], *, k: int = 3) -> dict[str, tuple[RelatedLink, ...]]:
    raise NotImplementedError


def match_reference(title: str, candidates: Mapping[str, str]) -> str | None:
    raise NotImplementedError
