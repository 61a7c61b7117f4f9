"""People, organisations and places (stub: to be implemented)."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.model import Entity


def find_entities(paragraphs: Sequence[str], *, title: str | None = None) -> tuple[Entity, ...]:
    raise NotImplementedError
