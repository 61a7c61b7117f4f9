"""Digests: briefings gathered by day, tag and entity, and the key quotes each speaker gave."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from briefgen.model import Digest, DigestKind, EntityKind, Record, SpeakerQuote
from briefgen.slugs import slugify


def newest_first(records: Sequence[Record]) -> tuple[Record, ...]:
    """Newest date first; the same date by title, then slug, so order never depends on file order."""
    ordered = sorted(records, key=lambda r: (r.title.casefold(), r.slug))
    return tuple(sorted(ordered, key=lambda r: r.date, reverse=True))


def day_digests(ordered: Sequence[Record]) -> tuple[Digest, ...]:
    """A digest per day; `ordered` is newest first, as `newest_first` gives (so are the digests' slugs)."""
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for r in ordered:
        by_day[r.date].append(r.slug)
    return tuple(
        Digest(kind="day", key=day.isoformat(), title=day.strftime("%A %-d %B %Y"), slugs=tuple(s), date=day)
        for day, s in sorted(by_day.items(), reverse=True)
    )


def week_digests(ordered: Sequence[Record]) -> tuple[Digest, ...]:
    """A digest per ISO week (Monday to Sunday), newest first; its date is the week's Monday."""
    by_week: dict[tuple[int, int], list[str]] = defaultdict(list)
    for r in ordered:
        year, week, _ = r.date.isocalendar()
        by_week[(year, week)].append(r.slug)
    out = []
    for (year, week), slugs in sorted(by_week.items(), reverse=True):
        monday = dt.date.fromisocalendar(year, week, 1)
        sunday = monday + dt.timedelta(days=6)
        title = f"Week {week}, {year}: {monday.strftime('%-d %b')} to {sunday.strftime('%-d %b %Y')}"
        out.append(
            Digest(kind="week", key=f"{year}-W{week:02d}", title=title, slugs=tuple(slugs), date=monday)
        )
    return tuple(out)


def tag_digests(ordered: Sequence[Record]) -> tuple[Digest, ...]:
    by_tag: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for r in ordered:
        for tag in r.tags:
            key = slugify(tag)
            names.setdefault(key, tag)
            slugs = by_tag[key]
            if not slugs or slugs[-1] != r.slug:  # a briefing's tags are visited together: no repeats
                slugs.append(r.slug)
    return tuple(
        Digest(kind="tag", key=key, title=names[key], slugs=tuple(by_tag[key]))
        for key in sorted(by_tag, key=lambda k: names[k].casefold())
    )


def featured_entities(record: Record, min_mentions: int) -> tuple[tuple[EntityKind, str], ...]:
    """The (kind, name) of entities a briefing is about, not merely names in passing: named often
    enough, or quoted."""
    speakers = set(record.speakers)
    return tuple((e.kind, e.name) for e in record.entities if e.count >= min_mentions or e.name in speakers)


def entity_digests(ordered: Sequence[Record], min_briefings: int, min_mentions: int) -> tuple[Digest, ...]:
    """A page per entity featured in at least `min_briefings` briefings, listing those briefings.

    A page gathering every passing mention would be noise (and thousands of pages on a large site):
    a reader who follows "Japan" wants the briefings about Japan; search finds the rest.
    """
    by_entity: dict[tuple[EntityKind, str], list[str]] = defaultdict(list)
    for r in ordered:  # featured_entities, inlined: this runs over every entity of every briefing
        slug, speakers = r.slug, r.speakers
        for e in r.entities:
            if e.count >= min_mentions or e.name in speakers:
                by_entity[(e.kind, e.name)].append(slug)
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


def quotes_by_speaker(
    ordered: Sequence[Record],
    *,
    previous: tuple[Mapping[str, Record], Mapping[str, tuple[SpeakerQuote, ...]]] | None = None,
    changed: Collection[str] = (),
) -> dict[str, tuple[SpeakerQuote, ...]]:
    """Each speaker's key quotes across the briefings, newest briefing first.

    `previous`: the last build's records and result, when its records differ from `ordered` only in
    the `changed` slugs. Then only the speakers quoted in a changed record (before or after) are
    gathered again: an unchanged speaker's quotes come from unchanged records, in the same order.
    """
    touched: set[str] | None = None
    if previous is not None:
        old_records = previous[0]
        touched = set()
        by_slug = {r.slug: r for r in ordered} if changed else {}
        for slug in changed:
            for record in (old_records.get(slug), by_slug.get(slug)):
                if record is not None:
                    touched.update(q.speaker for q in record.key_quotes)
    out: dict[str, list[SpeakerQuote]] = defaultdict(list)
    for r in ordered:
        for quote in r.key_quotes:
            if touched is None or quote.speaker in touched:
                out[quote.speaker].append(SpeakerQuote(slug=r.slug, quote=quote))
    found = {k: tuple(v) for k, v in out.items()}
    if previous is None:
        return found
    kept = {k: v for k, v in previous[1].items() if k not in found and k not in (touched or ())}
    return {**kept, **found}


def index_digests(*kinds: Sequence[Digest]) -> dict[tuple[DigestKind, str], Digest]:
    """(kind, key) -> digest, each kind's digests in page order."""
    return {(d.kind, d.key): d for digests in kinds for d in digests}


def digests_of(digests: Mapping[tuple[DigestKind, str], Digest], kind: DigestKind) -> list[Digest]:
    return [d for (k, _), d in digests.items() if k == kind]
