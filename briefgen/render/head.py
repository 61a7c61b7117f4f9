"""What a page's <head> tells the web about it: its canonical address, OpenGraph and Twitter card tags,
JSON-LD (`NewsArticle` for a briefing, `CollectionPage` for a story), the feeds that concern it, and
the previous and next pages of a long list.

Addresses are absolute or absent: without the site's whole address there is no canonical link, no
og:url and no feed, and `address_warning` says so once per build.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from briefgen.errors import Diagnostic, Severity, SourceLocation
from briefgen.model import Corpus
from briefgen.render.feeds import FEED_FILES, FeedFormat, FeedScope, absolute_url, feed_path
from briefgen.render.plan import Page, RenderSettings, story_pages, subject_feed_formats

DESCRIPTION_CHARS = 200  # OpenGraph and search engines show about this much


DIGESTS_HEADINGS = {"day": "By day", "week": "By week", "tag": "Topics", "entity": "People and places"}


def address_warning(
    *, base_url: str, absolute_base: str | None, feed_formats: Sequence[FeedFormat], where: SourceLocation
) -> Diagnostic | None:
    """One warning naming what a build without the site's whole address leaves out."""
    if absolute_base:
        return None
    left_out = ["sitemap.xml", "canonical links and og:url on the pages", "URLs in their JSON-LD"]
    formats = [FEED_FILES[f][3] for f in feed_formats]
    if formats:
        left_out.insert(0, f"the feeds ({', '.join(formats)})")
    return Diagnostic(
        Severity.WARNING,
        f"base_url {base_url!r} is not a whole address, so this build left out {', '.join(left_out)}; "
        "set base_url to the address the site is published at, e.g. 'https://example.org/briefs/'",
        where,
    )


def clip(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """`text` cut at a word before `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def page_url(path: str) -> str:
    """A page's site-relative URL: 'tags/x/index.html' -> 'tags/x/'."""
    return path.removesuffix("index.html")


def head_context(
    page: Page, context: Mapping[str, Any], corpus: Corpus, settings: RenderSettings
) -> dict[str, Any]:
    """`head` for the page's template: canonical, feeds, prev/next, meta tags and JSON-LD."""
    site = settings.site
    base = settings.absolute_base
    canonical = absolute_url(base, page_url(page.path)) if base and page.kind != "not-found" else None
    title, description, kind = _title_and_description(page, context, site)
    og: list[tuple[str, str]] = [("og:site_name", str(site["title"])), ("og:type", kind), ("og:title", title)]
    if description:
        og.append(("og:description", description))
    if canonical:
        og.append(("og:url", canonical))
    image = _image(context, base)
    if image:
        og.append(("og:image", image))
    if page.kind == "briefing":
        b = context["b"]
        og.append(("article:published_time", b["date"]))
        og += [("article:tag", tag) for tag in b["tags"]]
    twitter = [("twitter:card", "summary_large_image" if image else "summary"), ("twitter:title", title)]
    if description:
        twitter.append(("twitter:description", description))
    pager = context.get("pager")
    return {
        "head": {
            "canonical": canonical,
            "feeds": _feed_links(page, context, corpus, settings),
            "prev": pager["prev"] if pager else None,
            "next": pager["next"] if pager else None,
            "og": og if page.kind != "not-found" else [],
            "twitter": twitter if page.kind != "not-found" else [],
            "json_ld": _json_ld(page, context, settings, canonical, image),
        }
    }


def _title_and_description(
    page: Page, context: Mapping[str, Any], site: Mapping[str, Any]
) -> tuple[str, str, str]:
    """(title, description, og:type) of a page."""
    if page.kind == "briefing":
        b = context["b"]
        return b["title"], clip(b["summary"]), "article"
    if page.kind == "story":
        story = context["story"]
        return story["headline"], clip(story["summary"]), "website"
    if page.kind in ("digest", "period"):
        digest = context["digest"]
        count = digest["count"]
        return digest["title"], f"{count} briefing{'s' * (count != 1)}: {digest['title']}", "website"
    if page.kind == "stories":
        return "Stories", "Events covered by more than one report", "website"
    if page.kind == "digests":
        return DIGESTS_HEADINGS[str(context["kind"])], "", "website"
    if page.kind == "plain" and page.path.startswith("search/"):
        return "Search", "", "website"
    return str(site["title"]), clip(str(site["description"])), "website"


def _image(context: Mapping[str, Any], base: str | None) -> str | None:
    """The first image beside a briefing's article, as an absolute URL."""
    b = context.get("b")
    if not base or not b or not b.get("images"):
        return None
    return absolute_url(base, b["images"][0])


def _feed_links(
    page: Page, context: Mapping[str, Any], corpus: Corpus, settings: RenderSettings
) -> list[dict[str, str]]:
    """The feeds that concern a page: the site's on every page, and the stories', the topic's, the
    entity's or the story's where the page is about them."""
    if not settings.feed_formats:
        return []
    scopes: list[tuple[FeedScope, str]] = [(("site",), str(settings.site["title"]))]
    title = str(settings.site["title"])
    has_stories = bool(story_pages(corpus))
    subjects = bool(subject_feed_formats(settings))
    if page.kind in ("index", "stories") and has_stories:
        scopes.append((("stories",), f"{title}: stories"))
    elif page.kind == "digest" and subjects:
        digest = context["digest"]
        scopes.append(((digest["kind"], digest["key"]), f"{title}: {digest['title']}"))
    elif page.kind == "story" and subjects:
        story = context["story"]
        scopes.append((("story", story["key"]), f"{title}: {story['headline']}"))
    elif page.kind == "briefing" and subjects and context["b"]["story"]:
        story = context["b"]["story"]
        scopes.append((("story", story["key"]), f"{title}: {story['headline']}"))
    return [
        {"href": feed_path(scope, fmt), "type": FEED_FILES[fmt][2], "title": f"{name} ({FEED_FILES[fmt][3]})"}
        for scope, name in scopes
        for fmt in settings.feed_formats
    ]


def _json_ld(
    page: Page,
    context: Mapping[str, Any],
    settings: RenderSettings,
    canonical: str | None,
    image: str | None,
) -> dict[str, Any] | None:
    base = settings.absolute_base
    site = settings.site
    publisher: dict[str, Any] = {"@type": "Organization", "name": site["author"]}
    if base:
        publisher["url"] = base
    if page.kind == "briefing":
        b = context["b"]
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": clip(b["title"], 110),  # what search engines show of a headline
            "description": clip(b["summary"]),
            "datePublished": b["date"],
            "dateModified": b["date"],
            "inLanguage": site["language"],
            "publisher": publisher,
        }
        if b["author"]:
            data["author"] = [{"@type": "Person", "name": b["author"]}]
        elif b["source"]:
            data["author"] = [{"@type": "Organization", "name": b["source"]}]
        if b["tags"]:
            data["keywords"] = list(b["tags"])
        if b["url_source"]:
            data["isBasedOn"] = b["url_source"]
        if image:
            data["image"] = [image]
        if canonical:
            data["url"] = data["mainEntityOfPage"] = canonical
        return data
    if page.kind == "story":
        return _story_json_ld(context["story"], publisher, base, canonical, site)
    return None


def _story_json_ld(
    story: Mapping[str, Any],
    publisher: Mapping[str, Any],
    base: str | None,
    canonical: str | None,
    site: Mapping[str, Any],
) -> dict[str, Any]:
    """A story page: a collection of the reports of one event, each a NewsArticle."""
    timeline: Sequence[Mapping[str, Any]] = story["timeline"]
    items = []
    for position, report in enumerate(timeline, start=1):
        article: dict[str, Any] = {
            "@type": "NewsArticle",
            "headline": clip(report["title"], 110),
            "datePublished": report["date"],
        }
        if base:
            article["url"] = absolute_url(base, report["url"])
        items.append({"@type": "ListItem", "position": position, "item": article})
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": story["headline"],
        "description": clip(story["summary"]),
        "datePublished": story["first"],
        "dateModified": story["last"],
        "inLanguage": site["language"],
        "publisher": dict(publisher),
        "mainEntity": {"@type": "ItemList", "numberOfItems": len(items), "itemListElement": items},
    }
    if canonical:
        data["url"] = canonical
    return data
