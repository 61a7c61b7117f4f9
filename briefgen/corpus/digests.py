"""Digests: briefings gathered by day, tag and entity; and explicit references matched to briefings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from briefgen.model import Briefing, EntityKind, Quote


@dataclass(frozen=True, slots=True, kw_only=True)
class Digest:
    kind: str  # "day", "tag" or "entity"
    key: str  # URL segment
    title: str
    slugs: tuple[str, ...]  # briefings, newest first
    entity_kind: EntityKind | None = None
    date: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeakerQuote:
    slug: str
    quote: Quote


def newest_first(briefings: Sequence[Briefing]) -> tuple[Briefing, ...]:
    """Newest date first; the same date by title, then slug, so order never depends on file order."""
    ordered = sorted(briefings, key=lambda b: (b.document.meta.title.casefold(), b.slug))
    return tuple(sorted(ordered, key=lambda b: b.document.meta.date, reverse=True))


def day_digests(ordered: Sequence[Briefing]) -> tuple[Digest, ...]:
    """A digest per day; `ordered` is newest first, as `newest_first` gives (so are the digests' slugs)."""
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for b in ordered:
        by_day[b.document.meta.date].append(b.slug)
    return tuple(
        Digest(kind="day", key=day.isoformat(), title=day.strftime("%A %-d %B %Y"), slugs=tuple(s), date=day)
        for day, s in sorted(by_day.items(), reverse=True)
    )


def tag_digests(ordered: Sequence[Briefing], slugify: object) -> tuple[Digest, ...]:
    assert callable(slugify)
    by_tag: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for b in ordered:
        for tag in b.document.meta.tags:
            key = slugify(tag)
            names.setdefault(key, tag)
            slugs = by_tag[key]
            if not slugs or slugs[-1] != b.slug:  # a briefing's tags are visited together: no repeats
                slugs.append(b.slug)
    return tuple(
        Digest(kind="tag", key=key, title=names[key], slugs=tuple(by_tag[key]))
        for key in sorted(by_tag, key=lambda k: names[k].casefold())
    )


def featured_entities(briefing: Briefing, min_mentions: int) -> tuple[tuple[EntityKind, str], ...]:
    """The (kind, name) of entities a briefing is about, not merely names in passing: named often
    enough, or quoted."""
    speakers = {q.speaker for q in briefing.analysis.quotes if q.speaker}
    return tuple(
        (e.kind, e.name) for e in briefing.analysis.entities if e.count >= min_mentions or e.name in speakers
    )


def entity_digests(
    ordered: Sequence[Briefing],
    slugify: object,
    min_briefings: int,
    featured: Callable[[Briefing], Sequence[tuple[EntityKind, str]]],
) -> tuple[Digest, ...]:
    """A page per entity featured in at least `min_briefings` briefings, listing those briefings.

    A page gathering every passing mention would be noise (and thousands of pages on a large site):
    a reader who follows "Japan" wants the briefings about Japan; search finds the rest.
    """
    assert callable(slugify)
    by_entity: dict[tuple[EntityKind, str], list[str]] = defaultdict(list)
    for b in ordered:
        for kind_name in featured(b):
            by_entity[kind_name].append(b.slug)
    out: list[Digest] = []
    used: set[str] = set()
    least = max(min_briefings, 1)
    kept = [(kind_name, slugs) for kind_name, slugs in by_entity.items() if len(slugs) >= least]
    kept.sort(key=lambda kv: (-len(kv[1]), kv[0][1].casefold(), kv[0][0], kv[0][1]))
    for (kind, name), slugs in kept:
        key = slugify(name)
        if key in used:
            key = f"{key}-{kind}"
        used.add(key)
        out.append(Digest(kind="entity", key=key, title=name, slugs=tuple(slugs), entity_kind=kind))
    return tuple(out)


def speaker_quotes(briefing: Briefing) -> tuple[tuple[str, SpeakerQuote], ...]:
    """(speaker, quote) for each key quote of the briefing with a known speaker."""
    return tuple(
        (quote.speaker, SpeakerQuote(slug=briefing.slug, quote=quote))
        for quote in briefing.analysis.quotes
        if quote.speaker and quote.is_key
    )


def quotes_by_speaker(
    ordered: Sequence[Briefing],
    quotes_of: Callable[[Briefing], Sequence[tuple[str, SpeakerQuote]]] = speaker_quotes,
) -> Mapping[str, tuple[SpeakerQuote, ...]]:
    out: dict[str, list[SpeakerQuote]] = defaultdict(list)
    for b in ordered:
        for speaker, quote in quotes_of(b):
            out[speaker].append(quote)
    return {k: tuple(v) for k, v in out.items()}
