"""Stage 5b, render: a planned page's bytes, from its template and the view of what it shows.

Briefing pages need the whole briefing (its text and analysis), which the caller loads from the
analysis store (`BriefingSource`); every other page is made from records and the corpus alone.
A template that fails is one diagnostic naming the template and line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from briefgen.errors import Diagnostic, Severity, SourceLocation
from briefgen.model import Briefing, Corpus, Record
from briefgen.render.environment import THEME_DIR
from briefgen.render.plan import Page, RenderSettings, sitemap_urls
from briefgen.render.views import (
    DIGEST_FOLDERS,
    briefing_view,
    card,
    digest_context,
    digest_view,
    search_entry,
)

BriefingSource = Callable[[Record], Briefing]  # the whole briefing of a record


def page_context(
    page: Page,
    corpus: Corpus,
    settings: RenderSettings,
    briefing_of: BriefingSource,
    all_paths: Callable[[], set[str]],
) -> dict[str, Any]:
    """What the page's template sees (besides `site` and `page_path`)."""
    records = corpus.records
    if page.kind == "briefing":
        record = records[page.subject[0]]
        return {"b": briefing_view(briefing_of(record), record, corpus, settings.key_quotes)}
    if page.kind == "digest":
        digest = corpus.digests[(page.subject[0], page.subject[1])]  # type: ignore[index]
        quotes = corpus.speaker_quotes.get(digest.title, ()) if digest.kind == "entity" else ()
        return digest_context(digest, corpus, quotes)
    if page.kind == "digests":
        kind = page.subject[0]
        return {"kind": kind, "digests": [digest_view(d) for d in corpus.digests.values() if d.kind == kind]}
    if page.kind == "index":
        cards = corpus.order[: settings.index_items] if settings.index_items else corpus.order
        days = [d for d in corpus.digests.values() if d.kind == "day"][:14]
        return {
            "briefings": [card(records[s]) for s in cards],
            "total": len(corpus.order),
            "days": [digest_view(d) for d in days],
        }
    if page.kind == "feed":
        return {
            "briefings": [card(records[s]) for s in corpus.order[: settings.feed_items]],
            "absolute_base": settings.absolute_base or "",
        }
    if page.kind == "sitemap":
        return {
            "urls": list(sitemap_urls(all_paths())),
            "absolute_base": settings.absolute_base or settings.mount,
        }
    return {}


def search_data(corpus: Corpus, known: dict[str, bytes] | None = None) -> bytes:
    """search-index.json. `known`: record digest -> entry, from the last time (a preview's rebuilds
    encode only the changed records'); updated to hold this corpus's entries only."""
    made = {}
    for slug in corpus.order:
        record = corpus.records[slug]
        entry = known.get(record.digest) if known is not None else None
        made[record.digest] = entry if entry is not None else search_entry(record)
    if known is not None:
        known.clear()
        known.update(made)
    return b"[" + b",".join(made.values()) + b"]\n"


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


__all__ = ["DIGEST_FOLDERS", "BriefingSource", "page_context", "render_page", "search_data"]
