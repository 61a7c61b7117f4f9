"""Stage 5b, render: a planned page's bytes, from its template and the view of what it shows.

Briefing pages need the whole briefing (its text and analysis), which the caller loads from the
analysis store (`BriefingSource`); every other page is made from records and the corpus alone.
A template that fails is one diagnostic naming the template and line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from briefgen.corpus.story_content import story_content
from briefgen.errors import Diagnostic, Severity, SourceLocation
from briefgen.model import Briefing, Corpus, Digest, Record, Story, StoryContent
from briefgen.render.environment import THEME_DIR
from briefgen.render.plan import (
    Page,
    RenderSettings,
    feed_stories,
    front_stories,
    neighbours,
    sitemap_urls,
    stories_in,
    window_slugs,
)
from briefgen.render.views import (
    DIGEST_FOLDERS,
    briefing_view,
    card,
    digest_context,
    digest_view,
    story_card,
    story_view,
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
    """What the page's template sees (besides `site` and `page_path`)."""
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
        quotes = corpus.speaker_quotes.get(digest.title, ()) if digest.kind == "entity" else ()
        return digest_context(digest, corpus, quotes)
    if page.kind == "digests":
        kind = page.subject[0]
        return {"kind": kind, "digests": [digest_view(d) for d in corpus.digests.values() if d.kind == kind]}
    if page.kind == "stories":
        return {"stories": [story_card(s, corpus, reports=()) for s in feed_stories(corpus, _all(settings))]}
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
    if page.kind == "feed":
        return {
            "briefings": [card(records[s]) for s in corpus.order[: settings.feed_items]],
            "absolute_base": settings.absolute_base or "",
        }
    if page.kind == "story-feed":
        return {
            "stories": [story_card(s, corpus) for s in feed_stories(corpus, settings)],
            "absolute_base": settings.absolute_base or "",
        }
    if page.kind == "sitemap":
        return {
            "urls": list(sitemap_urls(all_paths())),
            "absolute_base": settings.absolute_base or settings.mount,
        }
    if page.kind == "not-found":  # served at any depth: its links start at the base path
        return {"link_root": settings.mount}
    if page.kind == "robots":
        return {"absolute_base": settings.absolute_base}
    return {}


def _all(settings: RenderSettings) -> RenderSettings:
    return dataclasses.replace(settings, feed_items=1 << 30)


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
