"""Stage 5b, render: a planned page's bytes, from its template and the view of what it shows.

Briefing pages need the whole briefing (its text and analysis), which the caller loads from the
analysis store (`BriefingSource`); every other page is made from records and the corpus alone.
A template that fails is one diagnostic naming the template and line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from briefgen.corpus.story_content import story_content
from briefgen.errors import Diagnostic, Severity, SourceLocation
from briefgen.model import Briefing, Corpus, Digest, Record, Story, StoryContent
from briefgen.model.stages import FeedFormat, Page, RenderSettings
from briefgen.render.environment import THEME_DIR
from briefgen.render.feeds import (
    FeedScope,
    absolute_url,
    briefing_entry,
    feed_folder,
    feed_view,
    json_feed,
    story_entry,
)
from briefgen.render.head import head_context
from briefgen.render.paging import page_count, page_slice, pager
from briefgen.render.plan import (
    all_feed_stories,
    feed_stories,
    front_stories,
    neighbours,
    sitemap_urls,
    stories_in,
    story_feed_members,
    window_slugs,
)
from briefgen.render.views import (
    DIGEST_FOLDERS,
    briefing_view,
    digest_context,
    digest_url,
    digest_view,
    story_card,
    story_view,
)

HTML_KINDS = frozenset(
    {"briefing", "digest", "period", "story", "stories", "digests", "index", "not-found", "plain"}
)

BriefingSource = Callable[[Record], Briefing]  # the whole briefing of a record


class Material:
    """Where a render finds what records do not hold: whole briefings, and story contents (made once),
    for briefing and story pages only (lists of stories are made from records: `story_card`)."""

    def __init__(self, briefing_of: BriefingSource) -> None:
        self.briefing_of = briefing_of
        self._stories: dict[tuple[str, tuple[str, ...]], tuple[StoryContent, dict[str, Briefing]]] = {}

    def story(self, story: Story, corpus: Corpus) -> tuple[StoryContent, dict[str, Briefing]]:
        key = (story.key, tuple(corpus.records[s].digest for s in story.members))
        found = self._stories.get(key)
        if found is None:
            briefings = {s: self.briefing_of(corpus.records[s]) for s in story.members}
            found = self._stories[key] = (story_content(list(briefings.values())), briefings)
        return found


def page_context(
    page: Page,
    corpus: Corpus,
    settings: RenderSettings,
    material: Material,
    all_paths: Callable[[], set[str]],
) -> dict[str, Any]:
    """What the page's template sees (besides `site` and `page_path`); an HTML page also sees `head`."""
    context = _context(page, corpus, settings, material, all_paths)
    if page.kind in HTML_KINDS:
        context.update(head_context(page, context, corpus, settings))
    return context


def _context(
    page: Page,
    corpus: Corpus,
    settings: RenderSettings,
    material: Material,
    all_paths: Callable[[], set[str]],
) -> dict[str, Any]:
    records = corpus.records
    if page.kind == "briefing":
        record = records[page.subject[0]]
        return {"b": briefing_view(material.briefing_of(record), record, corpus, settings.key_quotes)}
    if page.kind == "story":
        story = corpus.stories[page.subject[0]]
        content, briefings = material.story(story, corpus)
        return {"story": story_view(story, corpus, content, briefings)}
    if page.kind in ("digest", "period"):
        digest = corpus.digests[(page.subject[0], page.subject[1])]  # type: ignore[index]
        if page.kind == "period":
            return _period_context(digest, corpus)
        return _digest_page_context(digest, int(page.subject[2]), corpus, settings)
    if page.kind == "digests":
        kind = page.subject[0]
        return {"kind": kind, "digests": [digest_view(d) for d in corpus.digests.values() if d.kind == kind]}
    if page.kind == "stories":
        ordered = all_feed_stories(corpus)
        number = int(page.subject[0])
        return {
            "stories": [
                story_card(s, corpus, reports=()) for s in page_slice(ordered, number, settings.page_size)
            ],
            "pager": pager("stories/", number, page_count(len(ordered), settings.page_size)),
        }
    if page.kind == "feed":
        return _feed_context(page, corpus, settings)
    if page.kind == "index":
        window = window_slugs(corpus, settings)
        days = [d for d in corpus.digests.values() if d.kind == "day"][:14]
        return {
            "stories": [
                story_card(s, corpus, reports=[m for m in s.members if m in window])
                for s in front_stories(corpus, settings)
            ],
            "window_days": settings.window_days,
            "latest": records[corpus.order[0]].date.isoformat() if corpus.order else None,
            "total": len(corpus.order),
            "total_stories": len(corpus.stories),
            "days": [digest_view(d) for d in days],
        }
    if page.kind == "sitemap":
        base = settings.absolute_base or ""
        return {"urls": [absolute_url(base, url) for url in sitemap_urls(all_paths())]}
    if page.kind == "not-found":  # served at any depth: its links start at the base path
        return {"link_root": settings.mount}
    if page.kind == "robots":
        return {"absolute_base": settings.absolute_base}
    return {}


def _digest_page_context(
    digest: Digest, number: int, corpus: Corpus, settings: RenderSettings
) -> dict[str, Any]:
    """Page `number` of a topic's or entity's list; an entity's quotes are on its first page."""
    members = [s for s in digest.slugs if s in corpus.records]
    quotes = corpus.speaker_quotes.get(digest.title, ()) if digest.kind == "entity" and number == 1 else ()
    context = digest_context(digest, corpus, quotes, shown=page_slice(members, number, settings.page_size))
    context["pager"] = pager(digest_url(digest), number, page_count(len(members), settings.page_size))
    return context


def _feed_context(page: Page, corpus: Corpus, settings: RenderSettings) -> dict[str, Any]:
    """`feed` (and `json_feed`) of a feed page: its subject is (format, *scope)."""
    fmt: FeedFormat = page.subject[0]  # type: ignore[assignment]
    scope: FeedScope = page.subject[1:]
    base = settings.absolute_base or ""
    records = corpus.records
    title = str(settings.site["title"])
    if scope[0] == "stories":
        cards = [story_card(s, corpus) for s in feed_stories(corpus, settings)]
        entries = [story_entry(c, base) for c in cards]
        title += ": stories"
    else:
        if scope[0] == "site":
            slugs: Sequence[str] = corpus.order[: settings.feed_items]
        elif scope[0] == "story":
            story = corpus.stories[scope[1]]
            slugs = story_feed_members(story, corpus, settings)
            title += f": {corpus.headlines.get(story.key, records[story.key].title)}"
        else:
            digest = corpus.digests[(scope[0], scope[1])]  # type: ignore[index]
            slugs = [s for s in digest.slugs if s in records][: settings.feed_items]
            title += f": {digest.title}"
        entries = [briefing_entry(records[s], base, settings.key_quotes) for s in slugs]
    feed = feed_view(
        scope=scope, fmt=fmt, title=title, page_url=feed_folder(scope), entries=entries, site=settings.site
    )
    return {"feed": feed, "json_feed": json_feed(feed) if fmt == "json" else None}


def _period_context(digest: Digest, corpus: Corpus) -> dict[str, Any]:
    """A day or a week: the stories it covered, each with its reports of that period."""
    older, newer = neighbours(corpus, digest)
    members = set(digest.slugs)
    folder = DIGEST_FOLDERS[digest.kind]
    return {
        "digest": digest_view(digest),
        "stories": [
            story_card(s, corpus, reports=[m for m in s.members if m in members])
            for s in stories_in(digest.slugs, corpus)
        ],
        "older": f"{folder}/{older}/" if older else None,
        "newer": f"{folder}/{newer}/" if newer else None,
    }


def render_page(
    page: Page,
    env: jinja2.Environment,
    context: Callable[[Page], dict[str, Any]],
    site: Mapping[str, Any],
    root: Path,
) -> bytes | Diagnostic:
    """The page's bytes, or the diagnostic of the template that failed."""
    assert page.template is not None
    try:
        template = env.get_template(page.template)
        return template.render({"site": site, "page_path": page.path, **context(page)}).encode("utf-8")
    except jinja2.TemplateError as exc:
        message = getattr(exc, "message", None) or str(exc)
        return Diagnostic(Severity.ERROR, f"template error: {message}", template_location(exc, root))


def template_location(exc: BaseException, root: Path) -> SourceLocation:
    filename: str | None = getattr(exc, "filename", None)
    lineno: int | None = getattr(exc, "lineno", None)
    if filename is None:
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".html", ".xml", ".txt", ".j2")) and not name.endswith(".py"):
                filename, lineno = name, tb.tb_lineno
            tb = tb.tb_next
    if filename is None:
        return SourceLocation("templates")
    path = Path(filename)
    for base in (root, THEME_DIR.parent.parent):
        if path.is_absolute() and path.is_relative_to(base):
            return SourceLocation(path.relative_to(base).as_posix(), lineno)
    return SourceLocation(filename, lineno)


__all__ = ["DIGEST_FOLDERS", "BriefingSource", "page_context", "render_page"]
