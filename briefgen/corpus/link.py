"""Stage 4, link: what needs the whole corpus. Related links, explicit references, digests.

Input: every record, the last build's corpus and link index (if any), and which records changed.
Output: the new `Corpus` and `CorpusChanges`, which say what the pages must follow. The related-link
index is updated with the changed records only; digests are recomputed (linear and cheap) and
compared with the last ones.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from briefgen.corpus.digests import (
    day_digests,
    entity_digests,
    index_digests,
    newest_first,
    quotes_by_speaker,
    tag_digests,
    week_digests,
)
from briefgen.corpus.related import TitleMatcher
from briefgen.corpus.stories import StoryIndex
from briefgen.corpus.story_content import headline_of
from briefgen.corpus.story_join import MapFunction
from briefgen.model import (
    Corpus,
    CorpusChanges,
    Digest,
    DigestKind,
    EntityKind,
    Record,
    RelatedLink,
    Story,
    StoryFeatures,
)
from briefgen.model.stages import LinkSettings

FeatureSource = Callable[[Sequence[Record]], Mapping[str, StoryFeatures]]  # records -> slug -> features


def link_corpus(
    records: Sequence[Record],
    settings: LinkSettings,
    *,
    previous: Corpus | None,
    index: StoryIndex | None,
    changed: Collection[str],
    features: Mapping[str, StoryFeatures],
    more_features: FeatureSource,
    map: MapFunction = map,
) -> tuple[Corpus, StoryIndex, CorpusChanges]:
    """Link `records` (unique slugs). `changed`: slugs whose record differs from `previous`'s;
    `features`: the same-story evidence of records read anew (`more_features` gives the others';
    it is asked only when the index must be made from nothing); `map` runs the candidate join."""
    ordered = newest_first(records)
    by_slug = {r.slug: r for r in ordered}
    if previous is None or index is None:
        wanted = [r for r in ordered if r.slug not in features]
        evidence = {**features, **more_features(wanted)} if wanted else dict(features)
        index = StoryIndex.build((evidence[r.slug] for r in ordered), map=map)
        previous = None
    else:
        _update(index, by_slug, previous, changed, features, more_features)
    stories = {story.key: story for story in index.stories()}
    digests = index_digests(
        day_digests(ordered),
        week_digests(ordered),
        tag_digests(ordered),
        entity_digests(ordered, settings.entity_min_briefings, settings.entity_min_mentions),
    )
    corpus = Corpus(
        records=by_slug,
        order=tuple(r.slug for r in ordered),
        related=index.related_all(k=settings.related_k),
        references=_references(ordered, previous, changed),
        digests=digests,
        speaker_quotes=quotes_by_speaker(
            ordered,
            previous=(previous.records, previous.speaker_quotes) if previous is not None else None,
            changed=changed,
        ),
        entity_pages={(d.entity_kind, d.title): d.key for d in digests.values() if d.entity_kind is not None},
        stories=stories,
        story_of=index.story_keys(),
        headlines=_headlines(stories, by_slug, previous, changed),
    )
    return corpus, index, _changes(previous, corpus, changed)


def _update(
    index: StoryIndex,
    by_slug: Mapping[str, Record],
    previous: Corpus,
    changed: Collection[str],
    features: Mapping[str, StoryFeatures],
    more_features: FeatureSource,
) -> None:
    """Bring the index from the last build's records to these: removals first, then upserts."""
    for slug in sorted(set(previous.records) - set(by_slug)):
        index.remove(slug)
    # a record that changed only in its mtime date keeps its evidence (an mtime is no publication date)
    upserts = sorted(s for s in changed if s in by_slug and (s in features or s not in index))
    missing = [by_slug[s] for s in upserts if s not in features]
    evidence = {**features, **more_features(missing)} if missing else features
    for slug in upserts:
        index.upsert(evidence[slug])


def _headlines(
    stories: Mapping[str, Story],
    records: Mapping[str, Record],
    previous: Corpus | None,
    changed: Collection[str],
) -> dict[str, str]:
    """Each story's headline; the last build's for a story whose reports did not change."""
    out: dict[str, str] = {}
    for key, story in stories.items():
        known = previous.stories.get(key) if previous is not None else None
        if previous is not None and known == story and changed_none(story.members, changed):
            out[key] = previous.headlines[key]
        else:
            out[key] = headline_of([(records[s].date, s, records[s].title) for s in story.members])
    return out


def changed_none(members: Sequence[str], changed: Collection[str]) -> bool:
    return not any(m in changed for m in members)


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
    stories = {
        key for key in previous.stories.keys() | corpus.stories.keys()
        if previous.stories.get(key) != corpus.stories.get(key)
        or previous.headlines.get(key) != corpus.headlines.get(key)
    }  # fmt: skip
    return CorpusChanges(
        everything=False,
        records=frozenset(changed) | (previous.records.keys() ^ corpus.records.keys()),
        related=frozenset(related | references),
        digests=frozenset(digests),
        entity_pages=frozenset(entity_pages),
        stories=frozenset(stories),
    )


def _links(related: Mapping[str, tuple[RelatedLink, ...]], slug: str) -> tuple[RelatedLink, ...]:
    return related.get(slug, ())


def digest_of(corpus: Corpus, kind: DigestKind, key: str) -> Digest | None:
    return corpus.digests.get((kind, key))
