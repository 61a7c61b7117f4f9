"""The types passed between the build's stages (ARCHITECTURE.md): settings each stage gets, and what
each hands to the next. The article's own types (Document, Briefing, Record, Corpus, ...) are in
briefgen.model; these are the build's plumbing around them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from briefgen.errors import Diagnostic, Severity
from briefgen.model import HeldBack, Record, RelatedLink, SourceKind, StoryFeatures

MAX_ARTICLE_BYTES = 2_000_000  # limits.max_article_bytes's default


FeedFormat = Literal["atom", "rss", "json"]


PageKind = Literal[
    "briefing", "digest", "period", "story", "stories", "digests", "index", "feed", "sitemap", "robots",
    "not-found", "plain",
]  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderSettings:
    site: Mapping[str, Any]  # what every template sees as `site`
    index_items: int  # most stories on the front page (0: all of the window)
    window_days: int  # the front page shows the stories of the latest this many days
    key_quotes: int
    feed_items: int  # entries in each feed
    feed_formats: tuple[FeedFormat, ...]  # the feeds written: none without the site's whole address
    feed_subjects: bool  # a feed for each topic, entity and story page, besides the site's
    page_size: int  # cards per page of a long list (0: one page)
    search: bool  # a search page (and Pagefind's index, made after the pages)
    by_day: bool
    by_week: bool
    by_tag: bool
    by_entity: bool
    absolute_base: str | None  # the site's whole address, ending in '/' (None: it has none)
    mount: str

    @property
    def feed(self) -> bool:
        return bool(self.feed_formats)


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    path: str  # site-relative output file
    kind: PageKind
    template: str | None  # None for data written directly
    key: str  # digest of the inputs: equal keys make equal bytes
    subject: tuple[str, ...] = ()  # the slug, the story key, or the digest's (kind, key) it is about
    origin: str | None = None  # the content file it comes from, for conflict messages


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    pages: tuple[Page, ...]  # to make (or confirm unchanged)
    kept: frozenset[str]  # existing pages not planned: nothing they show changed
    removed: frozenset[str]  # pages of the last build that no longer exist


@dataclass(frozen=True, slots=True, kw_only=True)
class CollectSettings:
    root: Path
    content_dir: Path
    analysis_fingerprint: str
    summary_sentences: int | str
    article_seconds: float | None = None
    max_article_bytes: int = MAX_ARTICLE_BYTES


@dataclass(frozen=True, slots=True, kw_only=True)
class Collected:
    records: dict[str, Record]  # site-relative path -> record, in path order
    diagnostics: tuple[Diagnostic, ...]
    changed: frozenset[str]  # paths whose record is new, changed or gone since the last build
    features: dict[str, StoryFeatures]  # slug -> same-story evidence, for the records read anew
    analysed: int  # files analysed anew
    from_store: int  # files whose analysis the store had


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisJob:
    rel_path: str
    kind: SourceKind
    data: bytes
    mtime: float
    key: str  # the store key of this file's analysis
    summary_sentences: int | str


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysed:
    """A job's result: what the build keeps, and the two blobs the store keeps."""

    record: Record
    features: StoryFeatures  # the article's evidence for the same-story decision
    diagnostics: tuple[Diagnostic, ...]
    record_blob: bytes  # (record, features, diagnostics)
    briefing_blob: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkSettings:
    related_k: int
    entity_min_briefings: int
    entity_min_mentions: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteResult:
    written: tuple[str, ...]  # new or changed files, site-relative
    unchanged: int
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Emitted:
    written: WriteResult | None  # None: nothing was committed (a template failed)
    diagnostics: tuple[Diagnostic, ...]
    rendered: int


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildOptions:
    use_cache: bool = True  # False: analyse everything, keep nothing (a throwaway store)
    force: bool = False  # write into an output folder briefgen did not make
    jobs: int | None = None  # processes (None: one per available CPU)
    parallel: bool = True  # False: never fork (a preview server has threads)
    executor: str = "local"  # "local" or "dask" for the analysis
    scheduler: str | None = None  # a Dask scheduler address; None starts a LocalCluster
    today: dt.date | None = None  # the day the build publishes for (None: today, local time)

    def build_day(self) -> dt.date:
        """Articles dated after this day wait for it (unless --future)."""
        return self.today or dt.date.today()


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    ok: bool  # no error diagnostics
    committed: bool  # the output folder holds this build's pages (false when a failure kept the old site)
    diagnostics: tuple[Diagnostic, ...]
    written: tuple[str, ...] = ()
    unchanged: int = 0
    removed: tuple[str, ...] = ()
    briefings: int = 0
    seconds: float = 0.0
    cache_hits: int = 0  # articles whose analysis was reused (from the state or the store)
    related: dict[str, tuple[RelatedLink, ...]] = field(default_factory=dict)  # slug -> same-story links
    held_back: HeldBack = field(default_factory=HeldBack)  # drafts and future articles not built

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "committed": self.committed,
            "briefings": self.briefings,
            "pages": {
                "written": list(self.written),
                "unchanged": self.unchanged,
                "removed": list(self.removed),
            },
            "warnings": sum(d.severity is Severity.WARNING for d in self.diagnostics),
            "errors": sum(d.severity is Severity.ERROR for d in self.diagnostics),
            "diagnostics": [d.to_json() for d in self.diagnostics],
            "dropped_lines": [
                d.to_json()
                for d in self.diagnostics
                if d.severity is Severity.INFO and d.message.startswith("dropped ")
            ],
            "related": {
                slug: [
                    {
                        "target": x.target,
                        "score": round(x.score, 4),
                        "direction": x.direction,
                        "shared": list(x.shared),
                    }
                    for x in links
                ]
                for slug, links in sorted(self.related.items())
                if links
            },
            "held_back": {"drafts": self.held_back.drafts, "future": self.held_back.future},
            "cache_hits": self.cache_hits,
            "seconds": round(self.seconds, 3),
        }
