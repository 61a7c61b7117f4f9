"""Plan every output file of the site from the linked corpus: what to render, where, with which context.

Templates get plain values (dicts, lists, strings) built here, so overriding a template never needs
knowledge of briefgen's internal types.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from briefgen import __version__
from briefgen.analysis.quotes import select_key_quotes
from briefgen.config import SiteConfig
from briefgen.corpus.digests import Digest, SpeakerQuote
from briefgen.memo import PerBriefing
from briefgen.model import Briefing, Quote, RelatedLink, Sentence


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    path: str  # site-relative output file: "briefings/<slug>/index.html"
    template: str | None  # None for a file whose bytes are given directly
    context: Mapping[str, Any] = field(default_factory=dict)
    data: bytes | None = None
    origin: str | None = None  # the content file this page comes from, for conflict messages
    key: tuple[Any, ...] | None = None  # the page's inputs, cheap to compare: equal keys render equal bytes


class PageMemo:
    """What planning kept from the last build of one process (the preview server).

    A briefing that did not change is the very same object in the next build, so its card, view and
    page are reused, and the keys of the pages that show them compare by identity:
    recognising the thousands of unchanged pages of a large site costs identity checks, not renders
    or hashes. A digest page is reused when its digest is equal and none of its briefings changed.
    """

    def __init__(self) -> None:
        self.card = PerBriefing(briefing_card)
        self.site_key: tuple[Any, ...] | None = None
        self.views: dict[str, tuple[tuple[Any, ...], Page]] = {}  # slug -> (inputs, briefing page)
        self.digest_pages: dict[str, tuple[Digest, tuple[SpeakerQuote, ...], Page]] = {}
        self.entity_urls: dict[tuple[str | None, str], str] = {}
        self.entity_urls_version = 0


@dataclass(frozen=True, kw_only=True)
class Corpus:
    """Stage 4's result: every briefing with its links, and the digests that gather them."""

    briefings: tuple[Briefing, ...]  # newest first
    related: Mapping[str, tuple[RelatedLink, ...]]
    references: Mapping[str, tuple[str | None, ...]]  # slug -> matched slug per Reference (None: no match)
    days: tuple[Digest, ...]
    tags: tuple[Digest, ...]
    entities: tuple[Digest, ...]
    speaker_quotes: Mapping[str, tuple[SpeakerQuote, ...]]

    @functools.cached_property
    def entity_pages(self) -> Mapping[tuple[str | None, str], Digest]:
        """(entity kind, name) -> its digest page, for linking entity names."""
        return {(d.entity_kind, d.title): d for d in self.entities}


def briefing_url(slug: str) -> str:
    return f"briefings/{slug}/"


def digest_url(digest: Digest) -> str:
    folder = {"day": "days", "tag": "tags", "entity": "entities"}[digest.kind]
    return f"{folder}/{digest.key}/"


def _sentence_anchor(briefing: Briefing, paragraph: int, offset: int) -> str:
    """The anchor of the sentence holding `offset` in `paragraph` (Markdown bodies anchor paragraphs)."""
    if briefing.document.kind == "markdown":
        return f"p-{paragraph}"
    for index, sentence in enumerate(briefing.analysis.sentences):
        if sentence.paragraph == paragraph and sentence.start <= offset < max(
            sentence.end, sentence.start + 1
        ):
            return f"s-{index}"
    return f"p-{paragraph}"


def _text_body_html(briefing: Briefing) -> str:
    """Paragraphs of a plain-text article with every sentence wrapped in an anchored span."""
    by_paragraph: dict[int, list[tuple[int, Sentence]]] = {}
    for index, sentence in enumerate(briefing.analysis.sentences):
        by_paragraph.setdefault(sentence.paragraph, []).append((index, sentence))
    parts: list[str] = []
    for p_index, paragraph in enumerate(briefing.document.paragraphs):
        text = paragraph.text
        pieces: list[str] = []
        cursor = 0
        for index, sentence in by_paragraph.get(p_index, []):
            if sentence.start < cursor:
                continue
            pieces.append(html.escape(text[cursor : sentence.start], quote=False))
            pieces.append(
                f'<span class="sentence" id="s-{index}">'
                f"{html.escape(text[sentence.start : sentence.end], quote=False)}</span>"
            )
            cursor = sentence.end
        pieces.append(html.escape(text[cursor:], quote=False))
        parts.append(f'<p id="p-{p_index}">{"".join(pieces)}</p>')
    return "\n".join(parts) + "\n"


def _quote_view(briefing: Briefing, quote: Quote) -> dict[str, Any]:
    return {
        "text": quote.text.rstrip().removesuffix(","),  # a comma before the attribution ends no statement
        "speaker": quote.speaker,
        "speaker_kind": quote.speaker_kind,
        "anchor": _sentence_anchor(briefing, quote.paragraph, quote.start),
    }


def briefing_card(briefing: Briefing) -> dict[str, Any]:
    """The short form used in lists: title, date, source, summary."""
    meta = briefing.document.meta
    return {
        "slug": briefing.slug,
        "url": briefing_url(briefing.slug),
        "title": meta.title,
        "date": meta.date.isoformat(),
        "source": meta.source,
        "author": meta.author,
        "tags": list(meta.tags),
        "summary": summary_text(briefing),
    }


def summary_text(briefing: Briefing) -> str:
    if briefing.document.meta.summary:
        return briefing.document.meta.summary
    sentences = briefing.analysis.sentences
    return " ".join(sentences[i].text for i in briefing.analysis.summary)


def briefing_view(
    briefing: Briefing,
    corpus: Corpus,
    config: SiteConfig,
    slug_of: Callable[[str], str],
    by_slug: Mapping[str, Briefing],
) -> dict[str, Any]:
    document = briefing.document
    meta = document.meta
    analysis = briefing.analysis
    if meta.summary:
        summary = [{"text": meta.summary, "anchor": None}]
    else:
        summary = [
            {
                "text": analysis.sentences[i].text,
                "anchor": _sentence_anchor(
                    briefing, analysis.sentences[i].paragraph, analysis.sentences[i].start
                ),
            }
            for i in analysis.summary
        ]
    key_quotes = [
        _quote_view(briefing, q) for q in select_key_quotes(analysis.quotes, config.quotes.key_quotes)
    ]
    entity_pages = corpus.entity_pages
    entities: dict[str, list[dict[str, Any]]] = {"person": [], "organisation": [], "place": []}
    for entity in analysis.entities:
        digest = entity_pages.get((entity.kind, entity.name))
        entities[entity.kind].append(
            {"name": entity.name, "count": entity.count, "url": digest_url(digest) if digest else None}
        )
    related = []
    for link in corpus.related.get(briefing.slug, ()):
        other = by_slug.get(link.target)
        if other is None:
            continue
        related.append(
            {
                **briefing_card(other),
                "score": round(link.score, 3),
                "direction": link.direction,
                "shared": list(link.shared),
            }
        )
    references = []
    for reference, target in zip(document.references, corpus.references.get(briefing.slug, ()), strict=False):
        references.append(
            {
                "label": reference.label,
                "title": reference.title,
                "url": briefing_url(target) if target else None,
            }
        )
    body = (
        document.body_html
        if document.kind == "markdown" and document.body_html
        else _text_body_html(briefing)
    )
    day = next((d for d in corpus.days if d.date == meta.date), None)
    return {
        **briefing_card(briefing),
        "rel_path": document.rel_path,
        "url_source": meta.url,
        "dateline": document.dateline.place if document.dateline else None,
        "summary_sentences": summary,
        "key_quotes": key_quotes,
        "quote_count": len(analysis.quotes),
        "entities": entities,
        "keywords": [k.term for k in analysis.keywords],
        "related": related,
        "references": references,
        "body_html": Markup(body),
        "extra": dict(meta.extra),
        "day_url": digest_url(day) if day else None,
        "tag_urls": {t: f"tags/{slug_of(t)}/" for t in meta.tags},
        "dropped": [{"line": d.line, "text": d.text, "reason": d.reason} for d in document.dropped],
        "story": None,  # {"title", "url"} of the story it belongs to, once stories exist (a search filter)
    }


def plan_pages(
    corpus: Corpus,
    config: SiteConfig,
    slug_of: Callable[[str], str],
    memo: PageMemo | None = None,
    *,
    with_briefings: bool = True,
) -> list[Page]:
    """Every HTML, feed and data file of the site, in a stable order.

    `with_briefings=False` leaves out the briefing pages, the only ones that show related links: a
    build plans the rest before linking (same memo), renders it meanwhile, then plans everything.
    """
    memo = memo if memo is not None else PageMemo()
    by_slug = {b.slug: b for b in corpus.briefings}
    site = {
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "base_url": config.base_url,
        "generator": f"briefgen {__version__}",
        "has_days": bool(config.digests.by_day and corpus.days),
        "has_tags": bool(config.digests.by_tag and corpus.tags),
        "has_entities": bool(config.digests.by_entity and corpus.entities),
        "feed": config.feed.atom,
    }
    pages: list[Page] = []
    site_key = tuple(site.items())
    if memo.site_key != site_key:
        memo.site_key, memo.views, memo.digest_pages = site_key, {}, {}

    def page(
        path: str, template: str, key: tuple[Any, ...] | None, origin: str | None = None, **context: Any
    ) -> Page:
        return Page(
            path=path,
            template=template,
            context={"site": site, "page_path": path, **context},
            origin=origin,
            key=(site_key, template, *key) if key is not None else None,
        )

    def add(path: str, template: str, key: tuple[Any, ...] | None = None, **context: Any) -> None:
        pages.append(page(path, template, key, **context))

    memo.card.keep_only(by_slug)
    cards = [memo.card(b) for b in corpus.briefings]  # after this, memo.card.fresh: the briefings changed
    day_views = [_digest_view(d) for d in corpus.days[:14]]
    front = cards[: config.index_items] if config.index_items else cards
    add(
        "index.html",
        "index.html",
        key=(tuple(front), corpus.days[:14], len(cards)),
        briefings=front,
        total=len(cards),
        days=day_views,
    )
    if with_briefings:
        pages.extend(_briefing_pages(corpus, config, slug_of, memo, by_slug, page))
    pages.extend(_digest_pages(corpus, config, memo, by_slug, page))
    add("search/index.html", "search.html")
    add("404.html", "404.html", link_root=config.mount)  # served at any depth: links from the mount
    add("robots.txt", "robots.txt", key=(config.absolute_base,), absolute_base=config.absolute_base)
    if config.feed.atom:
        latest = cards[: config.feed.items]
        base = config.absolute_base or ""
        add("feed.xml", "feed.xml", key=(tuple(latest), base), briefings=latest, absolute_base=base)
    urls = _sitemap_urls(pages)
    base = config.absolute_base or config.mount
    add("sitemap.xml", "sitemap.xml", key=(tuple(urls), base), urls=urls, absolute_base=base)
    return pages


PageMaker = Callable[..., Page]  # (path, template, key, origin=None, **context) -> Page, for one site


def _briefing_pages(
    corpus: Corpus,
    config: SiteConfig,
    slug_of: Callable[[str], str],
    memo: PageMemo,
    by_slug: Mapping[str, Briefing],
    page: PageMaker,
) -> list[Page]:
    """A page per briefing; the last build's page when its briefing and everything it shows are the same."""
    card = memo.card
    entity_urls = {name: digest_url(d) for name, d in corpus.entity_pages.items()}
    if entity_urls != memo.entity_urls:
        memo.entity_urls = entity_urls
        memo.entity_urls_version += 1
    version = memo.entity_urls_version
    pages: list[Page] = []
    kept_views: dict[str, tuple[tuple[Any, ...], Page]] = {}
    for briefing in corpus.briefings:
        links = corpus.related.get(briefing.slug, ())
        previous = memo.views.get(briefing.slug)
        if previous is not None and previous[0][0] is briefing and previous[0][1] == version:
            linked = previous[0][2]  # same briefing, same entity pages: the same links to them
        else:
            linked = tuple(entity_urls.get((e.kind, e.name)) for e in briefing.analysis.entities)
        inputs = (
            briefing,
            version,
            linked,
            links,
            tuple(card(by_slug[x.target]) for x in links if x.target in by_slug),
            corpus.references.get(briefing.slug, ()),
            config.quotes.key_quotes,
        )
        if previous is not None and previous[0][2:] == inputs[2:] and previous[0][0] == briefing:
            briefing_page = previous[1]
        else:
            view = briefing_view(briefing, corpus, config, slug_of, by_slug)
            path = f"briefings/{briefing.slug}/index.html"
            briefing_page = page(path, "briefing.html", (view,), origin=briefing.document.rel_path, b=view)
        kept_views[briefing.slug] = (inputs, briefing_page)
        pages.append(briefing_page)
    memo.views = kept_views
    return pages


def _digest_pages(
    corpus: Corpus, config: SiteConfig, memo: PageMemo, by_slug: Mapping[str, Briefing], page: PageMaker
) -> list[Page]:
    """A page per day, tag and entity digest, and an index of each kind; a digest page is the last
    build's when its digest is equal and none of its briefings changed (`memo.card.fresh`)."""
    changed = memo.card.fresh
    groups = (
        ("day", corpus.days, config.digests.by_day),
        ("tag", corpus.tags, config.digests.by_tag),
        ("entity", corpus.entities, config.digests.by_entity),
    )
    pages: list[Page] = []
    kept: dict[str, tuple[Digest, tuple[SpeakerQuote, ...], Page]] = {}
    for kind, digests, enabled in groups:
        if not enabled:
            continue
        for digest in digests:
            path = digest_url(digest) + "index.html"
            quotes = corpus.speaker_quotes.get(digest.title, ()) if kind == "entity" else ()
            known = memo.digest_pages.get(path)
            if (
                known is not None
                and known[0] == digest
                and known[1] == quotes
                and changed.isdisjoint(digest.slugs)
                and changed.isdisjoint([q.slug for q in quotes])
            ):
                digest_page = known[2]
            else:
                digest_page = _digest_page(digest, quotes, by_slug, memo.card, page)
            kept[path] = (digest, quotes, digest_page)
            pages.append(digest_page)
        if digests:
            views = [_digest_view(d) for d in digests]
            folder = {"day": "days", "tag": "tags", "entity": "entities"}[kind]
            pages.append(
                page(f"{folder}/index.html", "digests.html", (kind, tuple(views)), kind=kind, digests=views)
            )
    memo.digest_pages = kept
    return pages


def _digest_page(
    digest: Digest,
    quotes: Sequence[SpeakerQuote],
    by_slug: Mapping[str, Briefing],
    card: Callable[[Briefing], dict[str, Any]],
    page: PageMaker,
) -> Page:
    """A day, tag or entity page: its briefings' cards, and for an entity the key quotes it said."""
    briefings = [card(by_slug[s]) for s in digest.slugs if s in by_slug]
    shown = [q for q in quotes if q.slug in by_slug]
    quote_views = [
        {
            **_quote_view(by_slug[q.slug], q.quote),
            "url": briefing_url(q.slug),
            "title": by_slug[q.slug].document.meta.title,
        }
        for q in shown
    ]
    quotes_key = tuple((q.slug, q.quote, by_slug[q.slug].document.meta.title) for q in shown)
    key = (digest, tuple(briefings), quotes_key)
    return page(
        digest_url(digest) + "index.html",
        "digest.html",
        key,
        digest=_digest_view(digest),
        briefings=briefings,
        quotes=quote_views,
    )


def _digest_view(digest: Digest) -> dict[str, Any]:
    return {
        "kind": digest.kind,
        "key": digest.key,
        "title": digest.title,
        "url": digest_url(digest),
        "count": len(digest.slugs),
        "entity_kind": digest.entity_kind,
        "date": digest.date.isoformat() if digest.date else None,
    }


def _sitemap_urls(pages: Sequence[Page]) -> list[str]:
    urls = []
    for page in pages:
        if page.path.endswith("index.html") and not page.path.startswith("search/"):
            urls.append(page.path.removesuffix("index.html"))
    return sorted(urls)
