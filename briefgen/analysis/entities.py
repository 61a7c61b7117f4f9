"""People, organisations and places with mention counts, from the rule-based name finder."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from operator import itemgetter

from briefgen.analysis.names import find_mentions
from briefgen.model import Document, Entity, EntityKind


def find_entities(
    paragraphs: Sequence[str], *, title: str | None = None, dateline: str | None = None
) -> tuple[Entity, ...]:
    """Named people, organisations and places, most mentioned first (ties: first mentioned first).

    Short forms count towards the full name ("Hegseth" -> "Pete Hegseth"), title mentions included.
    A name seen as more than one kind gets the kind it has most often. `dateline`: the place the
    article was filed from ("CALDERWICK —" gives "Calderwick"), a mention of that place.
    """
    index = find_mentions(paragraphs, title=title)
    counts: Counter[str] = Counter()
    kinds: dict[str, dict[EntityKind, int]] = {}  # kind -> mentions, in order of first use
    first: dict[str, tuple[int, int]] = {}
    found: list[tuple[str, EntityKind, tuple[int, int]]] = [
        (m.name, m.kind, (m.paragraph, m.start)) for m in index.mentions
    ]
    if dateline:
        found.append((dateline, "place", (-2, 0)))
    for name, kind, position in found:
        counts[name] += 1
        seen = kinds.get(name)
        if seen is None:
            kinds[name] = {kind: 1}
        else:
            seen[kind] = seen.get(kind, 0) + 1
        if name not in first or position < first[name]:
            first[name] = position
    ranked = sorted(counts, key=lambda name: (-counts[name], first[name], name))
    # the most frequent kind, ties to the one used first (as Counter.most_common(1) picks)
    return tuple(
        Entity(name=name, kind=max(kinds[name].items(), key=itemgetter(1))[0], count=counts[name])
        for name in ranked
    )


def document_entities(document: Document) -> tuple[Entity, ...]:
    """`find_entities` as the build's analysis calls it for a document (`analyse_body`)."""
    return find_entities(
        [p.text for p in document.paragraphs],
        title=document.meta.title,
        dateline=document.dateline.place if document.dateline else None,
    )
