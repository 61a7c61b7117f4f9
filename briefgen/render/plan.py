"""Stage 5a, plan: which output files the site has, and the key of the inputs of each.

A page whose key equals the one it was last made from, and whose file is as the build left it, is
not rendered again. A full plan lists every page; an incremental plan (from `CorpusChanges`) lists the
pages that show something that changed, plus the site-wide pages, and says which pages went away.
Keys are digests of cheap inputs (record digests, link targets, digest and story members), never of
rendered contexts, so planning costs microseconds a page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from briefgen.model import Corpus, CorpusChanges, Digest, DigestKind, Record, Story
from briefgen.model.stages import FeedFormat, Page, Plan, RenderSettings
from briefgen.render.feeds import FEED_FILE_NAMES, FEED_FILES, FeedScope, feed_path
from briefgen.render.paging import page_count, page_slice, paged_url
from briefgen.render.views import DIGEST_FOLDERS, digest_url

PERIODS: tuple[DigestKind, ...] = ("day", "week")  # digests whose pages list stories
PAGED: tuple[DigestKind, ...] = ("tag", "entity")  # digests whose long lists are split into pages


def _key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def briefing_path(slug: str) -> str:
    return f"briefings/{slug}/index.html"


def digest_path(digest: Digest) -> str:
    return digest_url(digest) + "index.html"


def story_path(key: str) -> str:
    return f"stories/{key}/index.html"


def digest_kinds(settings: RenderSettings) -> tuple[DigestKind, ...]:
    enabled = {
        "day": settings.by_day,
        "week": settings.by_week,
        "tag": settings.by_tag,
        "entity": settings.by_entity,
    }
    return tuple(kind for kind in ("day", "week", "tag", "entity") if enabled[kind])


def story_pages(corpus: Corpus) -> list[Story]:
    """Stories of more than one report have a page of their own; a lonely report's story is its page."""
    return [story for story in corpus.stories.values() if len(story.members) > 1]


def digest_pages_count(digest: Digest, corpus: Corpus, settings: RenderSettings) -> int:
    if digest.kind not in PAGED:
        return 1
    return page_count(sum(s in corpus.records for s in digest.slugs), settings.page_size)


def digest_paths(digest: Digest, corpus: Corpus, settings: RenderSettings) -> list[str]:
    """The pages of a digest, and the feeds of a topic or entity."""
    folder = digest_url(digest)
    paths = [
        paged_url(folder, n) + "index.html"
        for n in range(1, digest_pages_count(digest, corpus, settings) + 1)
    ]
    if digest.kind in PAGED:
        paths += [feed_path((digest.kind, digest.key), f) for f in subject_feed_formats(settings)]
    return paths


def subject_feed_formats(settings: RenderSettings) -> tuple[FeedFormat, ...]:
    return settings.feed_formats if settings.feed_subjects else ()


def all_paths(corpus: Corpus, settings: RenderSettings) -> set[str]:
    """Every output file a full plan lists (the sitemap's source, and what an incremental plan keeps)."""
    kinds = digest_kinds(settings)
    paths = {briefing_path(slug) for slug in corpus.order}
    for digest in corpus.digests.values():
        if digest.kind in kinds:
            paths.update(digest_paths(digest, corpus, settings))
    paths.update(
        f"{DIGEST_FOLDERS[k]}/index.html" for k in kinds if any(d.kind == k for d in corpus.digests.values())
    )
    stories = story_pages(corpus)
    for story in stories:
        paths.add(story_path(story.key))
        paths.update(feed_path(("story", story.key), f) for f in subject_feed_formats(settings))
    if stories:
        paths.update(
            paged_url("stories/", n) + "index.html"
            for n in range(1, page_count(len(stories), settings.page_size) + 1)
        )
    paths.update({"index.html", "404.html", "robots.txt"})
    if settings.search:
        paths.add("search/index.html")
    for fmt in settings.feed_formats:
        paths.add(feed_path(("site",), fmt))
        if stories:
            paths.add(feed_path(("stories",), fmt))
    if settings.absolute_base:  # a sitemap lists whole addresses, or is not a sitemap
        paths.add("sitemap.xml")
    return paths


# --- keys: what each kind of page shows -------------------------------------------------------------


def _story_key(story: Story, corpus: Corpus) -> tuple[object, ...]:
    """What a story card or page shows depends on: its reports (all of them) and its headline."""
    records = corpus.records
    return (story.key, tuple(records[s].digest for s in story.members), corpus.headlines.get(story.key))


def briefing_page(record: Record, corpus: Corpus, settings: RenderSettings, site_key: str) -> Page:
    records = corpus.records
    links = corpus.related.get(record.slug, ())
    shown = tuple((link, records[link.target].digest) for link in links if link.target in records)
    entity_urls = tuple(corpus.entity_pages.get((e.kind, e.name)) for e in record.entities)
    story = corpus.stories.get(corpus.story_of.get(record.slug, ""))
    story_key = (story.key, len(story.members), corpus.headlines.get(story.key)) if story else None
    key = _key(
        site_key,
        record.digest,
        shown,
        corpus.references.get(record.slug, ()),
        entity_urls,
        story_key,
        settings.key_quotes,
    )
    return Page(
        path=briefing_path(record.slug),
        kind="briefing",
        template="briefing.html",
        key=key,
        subject=(record.slug,),
        origin=record.rel_path,
    )


def digest_pages(
    digest: Digest,
    corpus: Corpus,
    settings: RenderSettings,
    site_key: str,
    neighbours: tuple[str | None, str | None],
) -> list[Page]:
    """A digest's pages: one for a day or week; for a topic or entity, every page of its list (its
    pages all change when a member comes or goes) and its feeds."""
    records = corpus.records
    if digest.kind in PERIODS:  # a day or week: the stories it covered
        stories = tuple(_story_key(s, corpus) for s in stories_in(digest.slugs, corpus))
        return [
            Page(
                path=digest_path(digest),
                kind="period",
                template="period.html",
                key=_key(site_key, digest, stories, neighbours),
                subject=(digest.kind, digest.key),
            )
        ]
    members = [s for s in digest.slugs if s in records]
    heading = (digest.kind, digest.key, digest.title, digest.entity_kind, len(members))
    quotes = corpus.speaker_quotes.get(digest.title, ()) if digest.kind == "entity" else ()
    quote_key = tuple((q.slug, q.quote, records[q.slug].title) for q in quotes if q.slug in records)
    count = page_count(len(members), settings.page_size)
    pages = []
    for number in range(1, count + 1):
        shown = tuple(records[s].digest for s in page_slice(members, number, settings.page_size))
        pages.append(
            Page(
                path=paged_url(digest_url(digest), number) + "index.html",
                kind="digest",
                template="digest.html",
                key=_key(site_key, heading, number, count, shown, quote_key if number == 1 else ()),
                subject=(digest.kind, digest.key, str(number)),
            )
        )
    shown = tuple(records[s].digest for s in members[: settings.feed_items])
    for fmt in subject_feed_formats(settings):
        pages.append(feed_page((digest.kind, digest.key), fmt, site_key, (digest.title, shown)))
    return pages


def feed_page(scope: FeedScope, fmt: FeedFormat, site_key: str, shown: object) -> Page:
    """A feed of `scope` in `fmt`; `shown`: what its entries are made of."""
    return Page(
        path=feed_path(scope, fmt),
        kind="feed",
        template=FEED_FILES[fmt][1],
        key=_key(site_key, scope, fmt, shown),
        subject=(fmt, *scope),
    )


def story_page(story: Story, corpus: Corpus, settings: RenderSettings, site_key: str) -> list[Page]:
    """A story's page, and its feeds."""
    records = corpus.records
    names = sorted({(e.kind, e.name) for s in story.members for e in records[s].entities})
    entity_urls = tuple(corpus.entity_pages.get(name) for name in names)
    pages = [
        Page(
            path=story_path(story.key),
            kind="story",
            template="story.html",
            key=_key(site_key, _story_key(story, corpus), entity_urls),
            subject=(story.key,),
        )
    ]
    headline = corpus.headlines.get(story.key)
    shown = tuple(records[s].digest for s in story_feed_members(story, corpus, settings))
    for fmt in subject_feed_formats(settings):
        pages.append(feed_page(("story", story.key), fmt, site_key, (headline, shown)))
    return pages


def story_feed_members(story: Story, corpus: Corpus, settings: RenderSettings) -> list[str]:
    """A story feed's entries: its reports, the newest first."""
    records = corpus.records
    newest = sorted(story.members, key=lambda s: (records[s].date, s), reverse=True)
    return newest[: settings.feed_items]


def stories_in(slugs: Iterable[str], corpus: Corpus) -> list[Story]:
    """The stories these briefings belong to, by coverage (reports among `slugs`, then sources in the
    whole story), then the newest report, then key."""
    counts: dict[str, int] = {}
    newest: dict[str, tuple[dt.date, str]] = {}
    for slug in slugs:
        key = corpus.story_of.get(slug)
        if key is None or slug not in corpus.records:
            continue
        counts[key] = counts.get(key, 0) + 1
        newest[key] = max(newest.get(key, (dt.date.min, "")), (corpus.records[slug].date, slug))
    stories = [corpus.stories[k] for k in counts if k in corpus.stories]
    sources = {s.key: len({corpus.records[m].source for m in s.members}) for s in stories}
    stories.sort(key=lambda s: s.key)
    stories.sort(key=lambda s: (counts[s.key], sources[s.key], newest[s.key][0]), reverse=True)
    return stories


def window_slugs(corpus: Corpus, settings: RenderSettings) -> list[str]:
    """The briefings of the front page's window: the latest `window_days` days that have any."""
    if not corpus.order:
        return []
    latest = corpus.records[corpus.order[0]].date
    first = latest - dt.timedelta(days=max(settings.window_days, 1) - 1)
    return [s for s in corpus.order if corpus.records[s].date >= first]


def front_stories(corpus: Corpus, settings: RenderSettings) -> list[Story]:
    stories = stories_in(window_slugs(corpus, settings), corpus)
    return stories[: settings.index_items] if settings.index_items else stories


def all_feed_stories(corpus: Corpus) -> list[Story]:
    """Stories of several reports, the most recently updated first (the stories index, in pages)."""
    records = corpus.records

    def updated(story: Story) -> tuple[dt.date, str]:
        return max((records[s].date, s) for s in story.members)

    return sorted(story_pages(corpus), key=updated, reverse=True)


def feed_stories(corpus: Corpus, settings: RenderSettings) -> list[Story]:
    """The stories feed's entries."""
    return all_feed_stories(corpus)[: settings.feed_items]


def site_pages(corpus: Corpus, settings: RenderSettings, site_key: str, paths: Iterable[str]) -> list[Page]:
    """The pages that gather the whole site: front page, indexes, feeds, sitemap, search."""
    records = corpus.records
    front = tuple(_story_key(s, corpus) for s in front_stories(corpus, settings))
    latest_days = tuple((d.key, len(d.slugs)) for d in digests_of(corpus, "day")[:14])
    pages = [
        Page(
            path="index.html",
            kind="index",
            template="index.html",
            key=_key(site_key, front, latest_days, len(corpus.order), len(corpus.stories)),
        )
    ]
    for kind in digest_kinds(settings):
        digests = tuple(digests_of(corpus, kind))
        if digests:
            summary = tuple((d.key, d.title, len(d.slugs), d.entity_kind, d.date) for d in digests)
            pages.append(
                Page(
                    path=f"{DIGEST_FOLDERS[kind]}/index.html",
                    kind="digests",
                    template="digests.html",
                    key=_key(site_key, kind, summary),
                    subject=(kind,),
                )
            )
    listed = story_pages(corpus)
    if listed:
        ordered = all_feed_stories(corpus)
        count = page_count(len(ordered), settings.page_size)
        for number in range(1, count + 1):
            shown = tuple(_story_key(s, corpus) for s in page_slice(ordered, number, settings.page_size))
            pages.append(
                Page(
                    path=paged_url("stories/", number) + "index.html",
                    kind="stories",
                    template="stories.html",
                    key=_key(site_key, number, count, shown),
                    subject=(str(number),),
                )
            )
    if settings.search:
        pages.append(Page(path="search/index.html", kind="plain", template="search.html", key=_key(site_key)))
    pages.append(
        Page(path="404.html", kind="not-found", template="404.html", key=_key(site_key, settings.mount))
    )
    pages.append(
        Page(
            path="robots.txt",
            kind="robots",
            template="robots.txt",
            key=_key(site_key, settings.absolute_base),
        )
    )
    latest = tuple(records[s].digest for s in corpus.order[: settings.feed_items])
    stories = tuple(_story_key(s, corpus) for s in feed_stories(corpus, settings))
    for fmt in settings.feed_formats:
        pages.append(feed_page(("site",), fmt, site_key, (latest, settings.key_quotes)))
        if listed:
            pages.append(feed_page(("stories",), fmt, site_key, stories))
    if settings.absolute_base:
        urls = sitemap_urls(paths)
        pages.append(
            Page(path="sitemap.xml", kind="sitemap", template="sitemap.xml", key=_key(site_key, urls))
        )
    return pages


def digests_of(corpus: Corpus, kind: DigestKind) -> list[Digest]:
    return [d for d in corpus.digests.values() if d.kind == kind]


def neighbours(corpus: Corpus, digest: Digest) -> tuple[str | None, str | None]:
    """The keys of the previous (older) and next (newer) day or week that has briefings."""
    keys = [d.key for d in digests_of(corpus, digest.kind)]  # newest first
    at = keys.index(digest.key)
    return (keys[at + 1] if at + 1 < len(keys) else None, keys[at - 1] if at > 0 else None)


def sitemap_urls(paths: Iterable[str]) -> tuple[str, ...]:
    return tuple(
        sorted(
            p.removesuffix("index.html")
            for p in paths
            if p.endswith("index.html") and not p.startswith("search/")
        )
    )


# --- full and incremental plans ------------------------------------------------------------------


def plan_pages(
    corpus: Corpus,
    changes: CorpusChanges,
    settings: RenderSettings,
    *,
    previous: Corpus | None,
    last_paths: Iterable[str],
    intact: Callable[[str], bool],
) -> Plan:
    """The pages to make. `last_paths`: the pages the last build made (what `kept` may hold);
    `intact(path)`: whether that page's file is as the last build left it (if not, it is made again)."""
    site_key = _key(sorted(settings.site.items()))
    paths = all_paths(corpus, settings)
    last = set(last_paths)
    kinds = digest_kinds(settings)
    dirty = _Dirty()
    if changes.everything or previous is None or not paths <= last:  # a page never made: plan them all
        dirty.slugs = set(corpus.order)
        dirty.digests = {key for key, d in corpus.digests.items() if d.kind in kinds}
        dirty.stories = {s.key for s in story_pages(corpus)}
    else:
        dirty = _dirty(corpus, previous, changes)
        for path in paths:  # a page edited or deleted by hand is made again
            if not dirty.covers(path) and not intact(path):
                dirty.add(path)
    pages = [
        briefing_page(corpus.records[s], corpus, settings, site_key)
        for s in sorted(dirty.slugs)
        if s in corpus.records
    ]
    for key, d in corpus.digests.items():
        if key in dirty.digests and d.kind in kinds:
            around = neighbours(corpus, d) if d.kind in PERIODS else (None, None)
            pages += digest_pages(d, corpus, settings, site_key, around)
    for story in story_pages(corpus):
        if story.key in dirty.stories:
            pages += story_page(story, corpus, settings, site_key)
    pages += site_pages(corpus, settings, site_key, paths)
    planned = {p.path for p in pages}
    return Plan(pages=tuple(pages), kept=frozenset((paths - planned) & last), removed=frozenset(last - paths))


_FOLDER_KINDS = {folder: kind for kind, folder in DIGEST_FOLDERS.items()}


class _Dirty:
    """The subjects whose pages must be planned: briefing slugs, digest keys, story keys."""

    def __init__(self) -> None:
        self.slugs: set[str] = set()
        self.digests: set[tuple[DigestKind, str]] = set()
        self.stories: set[str] = set()

    def _subject(self, path: str) -> tuple[str, Any] | None:
        """The subject of a page or feed of one briefing, digest or story: 'tags/x/index.html',
        'tags/x/page/2/index.html', 'tags/x/feed.xml'. Site-wide pages have none."""
        parts = path.split("/")
        if len(parts) == 5 and parts[2] == "page" and parts[4] == "index.html":
            parts = [parts[0], parts[1], "index.html"]
        if len(parts) != 3 or (parts[2] != "index.html" and parts[2] not in FEED_FILE_NAMES):
            return None
        if parts[0] == "briefings":
            return ("slugs", parts[1])
        if parts[0] == "stories":
            return ("stories", parts[1])
        kind = _FOLDER_KINDS.get(parts[0])
        return ("digests", (kind, parts[1])) if kind is not None else None

    def covers(self, path: str) -> bool:
        subject = self._subject(path)
        return subject is None or subject[1] in getattr(self, subject[0])

    def add(self, path: str) -> None:
        subject = self._subject(path)
        if subject is not None:
            getattr(self, subject[0]).add(subject[1])


def _dirty(corpus: Corpus, previous: Corpus, changes: CorpusChanges) -> _Dirty:
    dirty = _Dirty()
    dirty.stories = set(changes.stories)
    for side in (corpus, previous):
        dirty.stories.update(k for s in changes.records if (k := side.story_of.get(s)) is not None)
    dirty.slugs = _dirty_briefings(corpus, changes, dirty.stories)
    dirty.digests = _dirty_digests(corpus, previous, changes, dirty.stories)
    return dirty


def _dirty_briefings(corpus: Corpus, changes: CorpusChanges, stories: set[str]) -> set[str]:
    """Briefing pages that show a changed record, link, story or entity page."""
    dirty = set(changes.records) | set(changes.related)
    for key in stories:  # a briefing names its story and its size
        story = corpus.stories.get(key)
        dirty.update(story.members if story else ())
    for slug, links in corpus.related.items():
        if any(link.target in changes.records for link in links):
            dirty.add(slug)
    for slug, targets in corpus.references.items():
        if any(t in changes.records for t in targets if t):
            dirty.add(slug)
    if changes.entity_pages:
        for slug in corpus.order:
            if any((e.kind, e.name) in changes.entity_pages for e in corpus.records[slug].entities):
                dirty.add(slug)
    return {s for s in dirty if s in corpus.records}


def _dirty_digests(
    corpus: Corpus, previous: Corpus, changes: CorpusChanges, stories: set[str]
) -> set[tuple[DigestKind, str]]:
    """Digest pages whose members, their cards, their stories or their speakers' quotes changed, and
    the days and weeks beside a day or week that came or went (their previous/next links)."""
    wanted = {key for key in changes.digests if key in corpus.digests}
    changed = set(changes.records)
    for story_key in stories:  # a day or week shows the whole story of each of its briefings
        for side in (corpus, previous):
            story = side.stories.get(story_key)
            changed.update(story.members if story else ())
    for side in (corpus, previous):
        for key, digest in side.digests.items():
            if not changed.isdisjoint(digest.slugs):
                wanted.add(key)
        for slug in changes.records:
            record = side.records.get(slug)
            for quote in record.key_quotes if record is not None else ():
                for kind in ("person", "organisation", "place"):
                    page = side.entity_pages.get((kind, quote.speaker))
                    if page is not None:
                        wanted.add(("entity", page))
    for kind, period in list(changes.digests):
        if kind in PERIODS and ((kind, period) in corpus.digests) != ((kind, period) in previous.digests):
            wanted.update(_around(corpus, kind, period))
    return {key for key in wanted if key in corpus.digests}


def _around(corpus: Corpus, kind: DigestKind, key: str) -> Sequence[tuple[DigestKind, str]]:
    """The days (or weeks) just before and after `key`, whether or not `key` itself still exists."""
    keys = sorted([d.key for d in digests_of(corpus, kind)] + [key])
    at = keys.index(key)
    return [
        (kind, k)
        for k in (keys[at - 1] if at > 0 else None, keys[at + 1] if at + 1 < len(keys) else None)
        if k
    ]
