"""Feeds people subscribe to: Atom, RSS 2.0 and JSON Feed 1.1, of the site, of its stories, and of each
topic, entity and story page.

A feed's ids and links are absolute URLs (a reader fetches it from anywhere), so feeds exist only when
the site has a whole address (`base_url: https://...`); without one the plan lists none and the build
says so once (`head.address_warning`). Entries are made from records alone, never whole briefings.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from email.utils import format_datetime
from typing import Any, Literal
from urllib.parse import quote

from briefgen.model import Record

FeedFormat = Literal["atom", "rss", "json"]
FEED_FORMATS: tuple[FeedFormat, ...] = ("atom", "rss", "json")
# format -> (file name, template, media type, name people know it by)
FEED_FILES: dict[FeedFormat, tuple[str, str, str, str]] = {
    "atom": ("feed.xml", "atom.xml", "application/atom+xml", "Atom"),
    "rss": ("rss.xml", "rss.xml", "application/rss+xml", "RSS"),
    "json": ("feed.json", "feed.json", "application/feed+json", "JSON Feed"),
}
FEED_FILE_NAMES = frozenset(name for name, *_ in FEED_FILES.values())
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_EPOCH = dt.date(1970, 1, 1)

# what a feed is about: ("site",), ("stories",), ("tag", key), ("entity", key) or ("story", key)
FeedScope = tuple[str, ...]
_SCOPE_FOLDERS = {"tag": "tags", "entity": "entities", "story": "stories"}


def feed_folder(scope: FeedScope) -> str:
    """The site-relative folder of a scope's feeds ('' for the site's own): beside the page it follows."""
    if scope[0] == "site":
        return ""
    if scope[0] == "stories":
        return "stories/"
    return f"{_SCOPE_FOLDERS[scope[0]]}/{scope[1]}/"


def feed_path(scope: FeedScope, fmt: FeedFormat) -> str:
    return feed_folder(scope) + FEED_FILES[fmt][0]


def absolute_url(base: str, url: str) -> str:
    """`url` (site-relative, as the views give it) under the site's address, percent-encoded."""
    return base + quote(url, safe="/#%:@!$&'()*+,;=-._~")


def feed_date(date: dt.date) -> str:
    """RFC 3339, as Atom and JSON Feed want it. Articles carry a day, so midnight UTC stands for it."""
    return f"{date.isoformat()}T00:00:00Z"


def rss_date(date: dt.date) -> str:
    """RFC 822, as RSS 2.0 wants it."""
    return format_datetime(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC), usegmt=True)


def briefing_entry(record: Record, base: str, key_quotes: int) -> dict[str, Any]:
    """One briefing as a feed entry: its summary, and its key quotes with their speakers."""
    url = absolute_url(base, f"briefings/{record.slug}/")
    parts = [f"<p>{html.escape(record.summary)}</p>"] if record.summary else []
    for said in record.key_quotes[:key_quotes]:
        parts.append(
            f"<blockquote><p>“{html.escape(said.text)}”</p><p>— {html.escape(said.speaker)}</p></blockquote>"
        )
    source = f"{html.escape(record.source)} · " if record.source else ""
    parts.append(f'<p>{source}<a href="{html.escape(url)}">Read the briefing</a></p>')
    return {
        "id": url,
        "url": url,
        "title": record.title,
        "date": record.date,
        "author": record.author,
        "summary": record.summary,
        "content_html": "\n".join(parts),
        "tags": list(record.tags),
    }


def story_entry(card: Mapping[str, Any], base: str) -> dict[str, Any]:
    """One story (a `views.story_card`) as a feed entry: its summary and its reports, newest first."""
    url = absolute_url(base, card["url"])
    sources = ", ".join(card["sources"])
    summary = f"{card['reports']} reports{f' from {sources}' if sources else ''}. {card['summary']}".strip()
    items = []
    for report in card["briefings"]:
        link = html.escape(absolute_url(base, report["url"]))
        source = f" ({html.escape(report['source'])})" if report["source"] else ""
        items.append(f'<li><a href="{link}">{html.escape(report["title"])}</a>{source}</li>')
    return {
        "id": url,
        "url": url,
        "title": card["headline"],
        "date": dt.date.fromisoformat(card["last"]),
        "author": None,
        "summary": summary,
        "content_html": f"<p>{html.escape(summary)}</p>\n<ul>{''.join(items)}</ul>",
        "tags": [],
    }


def feed_view(
    *,
    scope: FeedScope,
    fmt: FeedFormat,
    title: str,
    page_url: str,
    entries: Sequence[Mapping[str, Any]],
    site: Mapping[str, Any],
) -> dict[str, Any]:
    """What a feed template sees as `feed`: every URL absolute, every date in the format's own form."""
    base = str(site["url"])
    self_url = absolute_url(base, feed_path(scope, fmt))
    newest = max((e["date"] for e in entries), default=_EPOCH)
    description = site["description"] or f"Briefings from {site['title']}"
    shown = [
        {**e, "updated": feed_date(e["date"]), "rss_date": rss_date(e["date"]), "date": e["date"].isoformat()}
        for e in entries
    ]
    return {
        "title": title,
        "description": description,
        "id": self_url,
        "self": self_url,
        "type": FEED_FILES[fmt][2],
        "home": absolute_url(base, page_url),
        "updated": feed_date(newest),
        "rss_date": rss_date(newest),
        "author": {"name": site["author"], "url": base},
        "language": site["language"],
        "generator": site["generator"],
        "entries": shown,
    }


def json_feed(feed: Mapping[str, Any]) -> dict[str, Any]:
    """A feed view as JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), keys in the spec's order."""
    items = []
    for entry in feed["entries"]:
        item: dict[str, Any] = {
            "id": entry["id"],
            "url": entry["url"],
            "title": entry["title"],
            "content_html": entry["content_html"],
            "summary": entry["summary"],
            "date_published": entry["updated"],
        }
        if entry["author"]:
            item["authors"] = [{"name": entry["author"]}]
        if entry["tags"]:
            item["tags"] = entry["tags"]
        items.append(item)
    return {
        "version": JSON_FEED_VERSION,
        "title": feed["title"],
        "home_page_url": feed["home"],
        "feed_url": feed["self"],
        "description": feed["description"],
        "authors": [feed["author"]],
        "language": feed["language"],
        "items": items,
    }
