"""What a published site needs besides its pages: its address (or the build's one warning that it has
none), and the files beside its articles.

Files beside an article (`![](harbour.jpg)`, `[report](report.pdf)` in content/2025-03-01-x.md) are
published in its briefing's folder, so the article's relative links work on its page.

Which files an article names is part of its (cached) analysis; whether each is there is looked at on
every build, since such files come and go without the article changing. Copies go through the same
path as static files (`emit._stage_static`): written when their bytes change, pruned when unused.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.errors import Diagnostic, Severity, SourceLocation
from briefgen.model import Record
from briefgen.render.feeds import FeedFormat
from briefgen.render.head import address_warning
from briefgen.render.plan import briefing_path


def requested_feeds(config: SiteConfig) -> tuple[FeedFormat, ...]:
    wanted: dict[FeedFormat, bool] = {
        "atom": config.feed.atom,
        "rss": config.feed.rss,
        "json": config.feed.json,
    }
    return tuple(f for f, on in wanted.items() if on)


def address_diagnostics(config: SiteConfig) -> list[Diagnostic]:
    """The build's one warning when the site has no whole address (feeds, sitemap... left out)."""
    try:
        shown = config.config_path.relative_to(config.root).as_posix()
    except ValueError:
        shown = config.config_path.as_posix()
    found = address_warning(
        base_url=config.base_url,
        absolute_base=config.absolute_base,
        feed_formats=requested_feeds(config),
        where=SourceLocation(shown, config.key_lines.get("base_url")),
    )
    return [found] if found is not None else []


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleFiles:
    copies: dict[str, Path]  # output path -> the file beside the article
    sources: dict[str, str]  # output path -> the file's site-relative path (the no-change check's list)
    missing: tuple[str, ...]  # site-relative paths named by an article and not there
    diagnostics: tuple[Diagnostic, ...]


def article_files(records: Iterable[Record], root: Path, content_dir: Path) -> ArticleFiles:
    """The copies to publish beside each briefing, and a warning for each named file that is missing."""
    content = os.path.realpath(content_dir)
    copies: dict[str, Path] = {}
    sources: dict[str, str] = {}
    missing: list[str] = []
    problems: list[Diagnostic] = []
    for record in records:
        folder = posixpath.dirname(record.rel_path)
        page_folder = briefing_path(record.slug).removesuffix("index.html")
        for ref in record.assets:
            where = SourceLocation(record.rel_path, ref.line)
            kind = "image" if ref.image else "linked file"
            if ref.target == ".." or ref.target.startswith("../"):
                problems.append(_warn(f"{ref.target!r} is outside the article's folder, so it is not "
                                      f"published and the {kind} is missing from its page; put it beside the article", where))  # fmt: skip
                continue
            if ref.target == "index.html":
                problems.append(_warn(f"{ref.target!r} would replace the briefing page itself, so it is not published", where))  # fmt: skip
                continue
            source = posixpath.join(folder, ref.target)
            path = root / source
            real = os.path.realpath(path)
            if not path.is_file() or os.path.commonpath([content, real]) != content:
                missing.append(source)
                problems.append(_warn(f"{ref.target!r} is not in {folder}/, so the {kind} is missing from "
                                      "this article's page; put the file beside the article", where))  # fmt: skip
                continue
            copy = page_folder + ref.target
            copies[copy] = path
            sources[copy] = source
    return ArticleFiles(copies=copies, sources=sources, missing=tuple(missing), diagnostics=tuple(problems))


def _warn(message: str, where: SourceLocation) -> Diagnostic:
    return Diagnostic(Severity.WARNING, message, where)
