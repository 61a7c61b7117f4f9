"""Stage 5a, plan: which output files the site has, and the key of the inputs of each.

A page whose key equals the one it was last made from, and whose file is as the build left it, is
not rendered again. A full plan lists every page; an incremental plan (from `CorpusChanges`) lists the
pages that show something that changed, plus the site-wide pages, and says which pages went away.
Keys are digests of cheap inputs (record digests, link targets, digest members), never of rendered
contexts, so planning costs microseconds a page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from briefgen.model import Corpus, CorpusChanges, Digest, DigestKind, Record
from briefgen.render.views import DIGEST_FOLDERS, digest_url

PageKind = Literal[
    "briefing", "digest", "digests", "index", "feed", "sitemap", "robots", "not-found", "plain"
]


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderSettings:
    site: Mapping[str, Any]  # what every template sees as `site`
    index_items: int
    key_quotes: int
    feed_items: int
    feed: bool
    by_day: bool
    by_tag: bool
    by_entity: bool
    absolute_base: str | None
    mount: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    path: str  # site-relative output file
    kind: PageKind
    template: str | None  # None for data written directly
    key: str  # digest of the inputs: equal keys make equal bytes
    subject: tuple[str, ...] = ()  # the slug, or the digest's (kind, key), the page is about
    origin: str | None = None  # the content file it comes from, for conflict messages


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    pages: tuple[Page, ...]  # to make (or confirm unchanged)
    kept: frozenset[str]  # existing pages not planned: nothing they show changed
    removed: frozenset[str]  # pages of the last build that no longer exist


def _key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def briefing_path(slug: str) -> str:
    return f"briefings/{slug}/index.html"


def digest_path(digest: Digest) -> str:
    return digest_url(digest) + "index.html"


def _digest_kinds(settings: RenderSettings) -> tuple[DigestKind, ...]:
    enabled = {"day": settings.by_day, "tag": settings.by_tag, "entity": settings.by_entity}
    return tuple(kind for kind in ("day", "tag", "entity") if enabled[kind])


def all_paths(corpus: Corpus, settings: RenderSettings) -> set[str]:
    """Every output file a full plan lists (the sitemap's source, and what an incremental plan keeps)."""
    kinds = _digest_kinds(settings)
    paths = {briefing_path(slug) for slug in corpus.order}
    paths.update(digest_path(d) for d in corpus.digests.values() if d.kind in kinds)
    paths.update(
        f"{DIGEST_FOLDERS[k]}/index.html" for k in kinds if any(d.kind == k for d in corpus.digests.values())
    )
    paths.update({"index.html", "search/index.html", "404.html", "robots.txt", "sitemap.xml"})
    if settings.feed:
        paths.add("feed.xml")
    return paths


def briefing_page(record: Record, corpus: Corpus, settings: RenderSettings, site_key: str) -> Page:
    records = corpus.records
    links = corpus.related.get(record.slug, ())
    shown = tuple((link, records[link.target].digest) for link in links if link.target in records)
    entity_urls = tuple(corpus.entity_pages.get((e.kind, e.name)) for e in record.entities)
    key = _key(
        site_key,
        record.digest,
        shown,
        corpus.references.get(record.slug, ()),
        entity_urls,
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


def digest_page(digest: Digest, corpus: Corpus, site_key: str) -> Page:
    records = corpus.records
    members = tuple(records[s].digest for s in digest.slugs if s in records)
    quotes = corpus.speaker_quotes.get(digest.title, ()) if digest.kind == "entity" else ()
    quote_key = tuple((q.slug, q.quote, records[q.slug].title) for q in quotes if q.slug in records)
    return Page(
        path=digest_path(digest),
        kind="digest",
        template="digest.html",
        key=_key(site_key, digest, members, quote_key),
        subject=(digest.kind, digest.key),
    )


def site_pages(corpus: Corpus, settings: RenderSettings, site_key: str, paths: Iterable[str]) -> list[Page]:
    """The pages that gather the whole site: front page, digest indexes, feed, sitemap, search."""
    records = corpus.records
    front = corpus.order[: settings.index_items] if settings.index_items else corpus.order
    days = [d for d in corpus.digests.values() if d.kind == "day"][:14]
    pages = [
        Page(
            path="index.html",
            kind="index",
            template="index.html",
            key=_key(site_key, tuple(records[s].digest for s in front), tuple(days), len(corpus.order)),
        )
    ]
    for kind in _digest_kinds(settings):
        digests = tuple(d for d in corpus.digests.values() if d.kind == kind)
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
    if settings.feed:
        latest = tuple(records[s].digest for s in corpus.order[: settings.feed_items])
        pages.append(
            Page(
                path="feed.xml",
                kind="feed",
                template="feed.xml",
                key=_key(site_key, latest, settings.absolute_base),
            )
        )
    urls = sitemap_urls(paths)
    base = settings.absolute_base or settings.mount
    pages.append(
        Page(path="sitemap.xml", kind="sitemap", template="sitemap.xml", key=_key(site_key, urls, base))
    )
    return pages


def sitemap_urls(paths: Iterable[str]) -> tuple[str, ...]:
    return tuple(
        sorted(
            p.removesuffix("index.html")
            for p in paths
            if p.endswith("index.html") and not p.startswith("search/")
        )
    )


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
    kinds = _digest_kinds(settings)
    if changes.everything or previous is None or not paths <= last:  # a page never made: plan them all
        slugs: set[str] = set(corpus.order)
        digests = {key for key, d in corpus.digests.items() if d.kind in kinds}
    else:
        slugs = _dirty_briefings(corpus, changes)
        digests = {(d.kind, d.key) for d in _dirty_digests(corpus, previous, changes, kinds)}
        for path in paths:  # a page edited or deleted by hand is made again
            subject = _subject(path)
            if subject is not None and subject not in slugs and subject not in digests and not intact(path):
                (slugs.add if isinstance(subject, str) else digests.add)(subject)  # type: ignore[arg-type]
    pages = [briefing_page(corpus.records[s], corpus, settings, site_key) for s in sorted(slugs)]
    pages += [digest_page(d, corpus, site_key) for key, d in corpus.digests.items() if key in digests]
    pages += site_pages(corpus, settings, site_key, paths)
    planned = {p.path for p in pages}
    return Plan(
        pages=tuple(pages),
        kept=frozenset((paths - planned) & last),
        removed=frozenset(last - paths),
    )


_FOLDER_KINDS = {folder: kind for kind, folder in DIGEST_FOLDERS.items()}


def _subject(path: str) -> str | tuple[str, str] | None:
    """The slug of a briefing page, or the (kind, key) of a digest page; None for site-wide pages."""
    parts = path.split("/")
    if len(parts) != 3 or parts[2] != "index.html":
        return None
    if parts[0] == "briefings":
        return parts[1]
    kind = _FOLDER_KINDS.get(parts[0])
    return (kind, parts[1]) if kind is not None else None


def _dirty_briefings(corpus: Corpus, changes: CorpusChanges) -> set[str]:
    """Briefing pages that show a changed record, link or entity page."""
    dirty = set(changes.records) | set(changes.related)
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
    corpus: Corpus, previous: Corpus, changes: CorpusChanges, kinds: tuple[DigestKind, ...]
) -> list[Digest]:
    """Digest pages whose members, their cards, or their speakers' quotes changed."""
    wanted = {key for key in changes.digests if key in corpus.digests}
    changed = changes.records
    for side in (corpus, previous):
        for key, digest in side.digests.items():
            if not changed.isdisjoint(digest.slugs):
                wanted.add(key)
        for slug in changed:
            record = side.records.get(slug)
            for quote in record.key_quotes if record is not None else ():
                for kind in ("person", "organisation", "place"):
                    page = side.entity_pages.get((kind, quote.speaker))
                    if page is not None:
                        wanted.add(("entity", page))
    return [d for key, d in corpus.digests.items() if key in wanted and d.kind in kinds]
