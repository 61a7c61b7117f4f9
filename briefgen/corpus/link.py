"""Stage 4, link: what needs the whole corpus. Related links, explicit references, digests.

Input: every record, the last build's corpus and link index (if any), and which records changed.
Output: the new `Corpus` and `CorpusChanges`, which say what the pages must follow. The related-link
index is updated with the changed records only; digests are recomputed (linear and cheap) and
compared with the last ones.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from briefgen.corpus.digests import (
    day_digests,
    entity_digests,
    featured_entities,
    index_digests,
    newest_first,
    quotes_by_speaker,
    tag_digests,
)
from briefgen.corpus.related import RelatedIndex, RelatedItem, TitleMatcher
from briefgen.model import (
    Corpus,
    CorpusChanges,
    Digest,
    DigestKind,
    EntityKind,
    Record,
    RelatedLink,
    TermWeights,
)

TermsSource = Callable[[Sequence[Record]], Mapping[str, TermWeights | None]]  # records -> slug -> terms


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkSettings:
    related_k: int
    entity_min_briefings: int
    entity_min_mentions: int


def related_item(record: Record, terms: TermWeights | None) -> RelatedItem:
    return RelatedItem(
        id=record.slug,
        title=record.title,
        text="",
        date=record.date,
        names=tuple(e.name for e in record.entities),
        terms=terms,
    )


def _items(
    records: Sequence[Record], terms: Mapping[str, TermWeights | None], load: TermsSource
) -> list[RelatedItem]:
    """The related-link items of `records`: terms from `terms`, else (one batch) from `load`."""
    loaded = load([r for r in records if r.slug not in terms])
    return [related_item(r, terms[r.slug] if r.slug in terms else loaded.get(r.slug)) for r in records]


def link_corpus(
    records: Sequence[Record],
    settings: LinkSettings,
    *,
    previous: Corpus | None,
    index: RelatedIndex | None,
    changed: Collection[str],
    terms: Mapping[str, TermWeights | None],
    load_terms: TermsSource,
) -> tuple[Corpus, RelatedIndex, CorpusChanges]:
    """Link `records` (unique slugs); `changed`: slugs whose record differs from `previous`'s.

    `terms`: slug -> related-link terms of the records made in this build; `load_terms` gives the
    others' (only when the link index is rebuilt, or a record changed without being made anew).
    """
    ordered = newest_first(records)
    by_slug = {r.slug: r for r in ordered}
    if previous is None or index is None or index.k != settings.related_k:
        index = RelatedIndex(_items(ordered, terms, load_terms), k=settings.related_k)
        previous = None
    else:
        for slug in sorted(set(previous.records) - set(by_slug)):
            index.remove(slug)
        for item in _items([by_slug[s] for s in sorted(changed) if s in by_slug], terms, load_terms):
            index.upsert(item)
    related = index.links()
    if previous is not None and _digests_hold(previous, by_slug, changed, settings.entity_min_mentions):
        digests, entity_pages = previous.digests, previous.entity_pages
    else:
        digests = index_digests(
            day_digests(ordered),
            tag_digests(ordered),
            entity_digests(ordered, settings.entity_min_briefings, settings.entity_min_mentions),
        )
        entity_pages = {
            (d.entity_kind, d.title): d.key for d in digests.values() if d.entity_kind is not None
        }
    corpus = Corpus(
        records=by_slug,
        order=tuple(r.slug for r in ordered),
        related=related,
        references=_references(ordered, previous, changed),
        digests=digests,
        speaker_quotes=quotes_by_speaker(
            ordered,
            previous=(previous.records, previous.speaker_quotes) if previous is not None else None,
            changed=changed,
        ),
        entity_pages=entity_pages,
    )
    return corpus, index, _changes(previous, corpus, changed)


def _digests_hold(
    previous: Corpus, by_slug: Mapping[str, Record], changed: Collection[str], min_mentions: int
) -> bool:
    """The last corpus's digests are still right: every changed record was there and is still, with
    the same date, title and tags (its place in every list) and the same featured entities.

    The caller makes sure the last corpus was linked with the same settings.
    """
    for slug in changed:
        old, new = previous.records.get(slug), by_slug.get(slug)
        if old is None or new is None:
            return False
        if (old.date, old.title, old.tags) != (new.date, new.title, new.tags):
            return False
        if featured_entities(old, min_mentions) != featured_entities(new, min_mentions):
            return False
    return True


def _references(
    ordered: Sequence[Record], previous: Corpus | None, changed: Collection[str]
) -> dict[str, tuple[str | None, ...]]:
    """Each "Related article: ..." line's briefing, by title; the last build's while no title changed."""
    titles = {r.slug: r.title for r in ordered}
    reuse = previous is not None and {s: r.title for s, r in previous.records.items()} == titles
    matcher: TitleMatcher | None = None
    out: dict[str, tuple[str | None, ...]] = {}
    for r in ordered:
        if not r.references:
            continue
        if reuse and previous is not None and r.slug not in changed and r.slug in previous.references:
            out[r.slug] = previous.references[r.slug]
            continue
        matcher = matcher or TitleMatcher(titles)
        out[r.slug] = tuple(matcher.match(ref.title, exclude=r.slug) for ref in r.references)
    return out


def _differing(old: Mapping[str, object], new: Mapping[str, object]) -> set[str]:
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


def _changes(previous: Corpus | None, corpus: Corpus, changed: Collection[str]) -> CorpusChanges:
    if previous is None:
        return CorpusChanges(everything=True)
    related: set[str] = set()
    for slug in corpus.related.keys() | previous.related.keys():
        if _links(previous.related, slug) != _links(corpus.related, slug):
            related.add(slug)
    digests: set[tuple[DigestKind, str]] = {
        key for key in previous.digests.keys() | corpus.digests.keys()
        if previous.digests.get(key) != corpus.digests.get(key)
    }  # fmt: skip
    entity_pages: set[tuple[EntityKind, str]] = {
        key for key in previous.entity_pages.keys() | corpus.entity_pages.keys()
        if previous.entity_pages.get(key) != corpus.entity_pages.get(key)
    }  # fmt: skip
    references = _differing(dict(previous.references), dict(corpus.references))
    return CorpusChanges(
        everything=False,
        records=frozenset(changed) | (previous.records.keys() ^ corpus.records.keys()),
        related=frozenset(related | references),
        digests=frozenset(digests),
        entity_pages=frozenset(entity_pages),
    )


def _links(related: Mapping[str, tuple[RelatedLink, ...]], slug: str) -> tuple[RelatedLink, ...]:
    return related.get(slug, ())


def digest_of(corpus: Corpus, kind: DigestKind, key: str) -> Digest | None:
    return corpus.digests.get((kind, key))
