"""People, organisations and places with mention counts, from the rule-based name finder."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from briefgen.analysis.names import find_mentions
from briefgen.model import Entity, EntityKind


def find_entities(paragraphs: Sequence[str], *, title: str | None = None) -> tuple[Entity, ...]:
    """Named people, organisations and places, most mentioned first (ties: first mentioned first).

    Short forms count towards the full name ("Hegseth" -> "Pete Hegseth"), title mentions included.
    A name seen as more than one kind gets the kind it has most often.
    """
    index = find_mentions(paragraphs, title=title)
    counts: Counter[str] = Counter()
    kinds: dict[str, Counter[EntityKind]] = {}
    first: dict[str, tuple[int, int]] = {}
    for mention in index.mentions:
        counts[mention.name] += 1
        kinds.setdefault(mention.name, Counter())[mention.kind] += 1
        position = (mention.paragraph, mention.start)
        if mention.name not in first or position < first[mention.name]:
            first[mention.name] = position
    ranked = sorted(counts, key=lambda name: (-counts[name], first[name], name))
    return tuple(
        Entity(name=name, kind=kinds[name].most_common(1)[0][0], count=counts[name]) for name in ranked
    )
