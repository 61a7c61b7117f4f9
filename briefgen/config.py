"""Site configuration: one YAML file, frozen dataclasses, one loader that reports every problem at once."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from briefgen.errors import ConfigError
from briefgen.safeyaml import check_budget


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryConfig:
    sentences: int | str = 3  # a count, or a share of the article such as "20%"


@dataclass(frozen=True, slots=True, kw_only=True)
class QuotesConfig:
    key_quotes: int = 4  # key quotes shown on a briefing page


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedConfig:
    k: int = 3  # related briefings per page


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestsConfig:
    by_day: bool = True
    by_week: bool = True
    window: str = "1d"  # the front page: stories of the latest day ("1d") or days ("7d") with briefings
    by_tag: bool = True
    by_entity: bool = True
    entity_min_briefings: int = 2  # an entity gets a page when this many briefings feature it
    entity_min_mentions: int = 2  # a briefing features an entity it names this often, or quotes


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedConfig:
    atom: bool = True
    rss: bool = True
    json: bool = True
    items: int = 50  # entries in each feed, the newest first
    subjects: bool = True  # a feed for each topic, person, organisation, place and story, besides the site's


@dataclass(frozen=True, slots=True, kw_only=True)
class LimitsConfig:
    max_article_bytes: int = 2_000_000  # a larger article is reported and skipped, never read whole
    article_seconds: float = 10.0  # analysis time per article before it is reported and skipped
    cache_mb: float = 1024  # the analysis store's size cap (MB of 2**20 bytes); past it the oldest go


SECTIONS: dict[str, type] = {
    "summary": SummaryConfig,
    "quotes": QuotesConfig,
    "related": RelatedConfig,
    "digests": DigestsConfig,
    "feed": FeedConfig,
    "limits": LimitsConfig,
}

# key -> (default, comment) for the top-level scalar keys, in the order `briefgen init` writes them
TOP_LEVEL: dict[str, tuple[object, str]] = {
    "title": ("Briefings", "the site's name, shown in every page header and in the feed"),
    "description": ("", "one line under the title on the index page and in the feed"),
    "base_url": (
        "/",
        "where site/ is published. The whole address ('https://example.org/briefs/') lets the build write"
        " feeds, sitemap.xml, canonical and OpenGraph links; a path alone ('/', '/briefs/') leaves them out,"
        " with a warning",
    ),
    "author": ("", "who publishes the site, named in feeds and structured data (default: the title)"),
    "language": ("en", "the pages' lang attribute"),
    "content_dir": ("content", "articles: .md and .txt, YAML front matter optional"),
    "templates_dir": ("templates", "templates that override the built-in theme by name"),
    "static_dir": ("static", "files copied to site/static/ (they win over the theme's)"),
    "output_dir": ("site", "the built site; replaced as a whole on each successful build"),
    "cache_dir": (".briefgen-cache", "analysis cache; safe to delete"),
    "drafts": (False, "build articles marked draft: true"),
    "future": (False, "build articles dated after today (otherwise each waits for its date)"),
    "index_items": (50, "newest briefings on the front page; the rest are in the by-day archive (0: all)"),
    "page_size": (30, "cards per page of a long list (topics, people and places, stories); 0: one page"),
    "search": (True, "a search page and its index (Pagefind), made again whenever a briefing changes"),
}

SECTION_COMMENTS: dict[str, dict[str, str]] = {
    "summary": {"sentences": "summary length: a count (3) or a share of the article ('20%')"},
    "quotes": {"key_quotes": "key quotes shown on a briefing page"},
    "related": {"k": "related briefings listed per page (only those about the same story)"},
    "digests": {
        "by_day": "a page per day",
        "by_week": "a page per week (ISO weeks, Monday to Sunday)",
        "window": "the front page shows the stories of the latest day ('1d') or days ('7d') with briefings",
        "by_tag": "a page per tag",
        "by_entity": "a page per person, organisation or place",
        "entity_min_briefings": "an entity gets a page when at least this many briefings feature it",
        "entity_min_mentions": "a briefing features an entity it names at least this often, or quotes",
    },
    "feed": {
        "atom": "Atom feeds (feed.xml); every feed needs base_url to be a whole address",
        "rss": "RSS 2.0 feeds (rss.xml)",
        "json": "JSON Feed 1.1 feeds (feed.json)",
        "items": "entries in each feed, the newest first",
        "subjects": "a feed for each topic, person, organisation, place and story, besides the site's",
    },
    "limits": {
        "max_article_bytes": "a larger article is reported as an error and skipped",
        "article_seconds": "an article whose analysis takes longer is reported as an error and skipped",
        "cache_mb": "the analysis cache's size cap in MB: past it, the analyses used longest ago are dropped",
    },
}


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    root: Path
    config_path: Path
    title: str = "Briefings"
    description: str = ""
    base_url: str = "/"
    author: str = ""
    language: str = "en"
    content_dir: Path
    templates_dir: Path
    static_dir: Path
    output_dir: Path
    cache_dir: Path
    drafts: bool = False
    future: bool = False
    index_items: int = 50
    page_size: int = 30
    search: bool = True
    summary: SummaryConfig = SummaryConfig()
    quotes: QuotesConfig = QuotesConfig()
    related: RelatedConfig = RelatedConfig()
    digests: DigestsConfig = DigestsConfig()
    feed: FeedConfig = FeedConfig()
    limits: LimitsConfig = LimitsConfig()
    key_lines: Mapping[str, int] = field(default_factory=dict)  # the config file's line of each key it sets

    @property
    def mount(self) -> str:
        """The path part of base_url, always with leading and trailing slash: '/' or '/briefs/'."""
        path = urlsplit(self.base_url).path or "/"
        return "/" + path.strip("/") + "/" if path.strip("/") else "/"

    @property
    def absolute_base(self) -> str | None:
        """The site's whole address, ending in '/', when base_url names a host (feeds, sitemap, canonical
        and OpenGraph links need it), else None."""
        parts = urlsplit(self.base_url)
        if not (parts.scheme and parts.netloc):
            return None
        return f"{parts.scheme}://{parts.netloc}{self.mount}"

    @property
    def publisher(self) -> str:
        """The name feeds and structured data give as the site's author."""
        return self.author or self.title

    def analysis_fingerprint(self) -> str:
        """Everything the per-article analysis depends on, for cache keys."""
        data = {"summary": str(self.summary.sentences)}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def render_fingerprint(self) -> str:
        """Every setting that can change a rendered page."""
        data = {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if f.name not in {"root", "config_path", "cache_dir", "key_lines"}
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _type_name(value: object) -> str:
    return {bool: "true/false", int: "a whole number", str: "text"}.get(type(value), type(value).__name__)


def _check_scalar(key: str, value: object, default: object, problems: list[str]) -> object:
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e9:
            problems.append(f"{key} must be a number of seconds > 0, got {value!r}")
            return default
        return float(value)
    if key == "limits.cache_mb":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e9:
            problems.append(f"{key} must be a number of megabytes > 0, got {value!r}")
            return default
        return value
    if key == "limits.max_article_bytes" and (
        isinstance(value, bool) or not isinstance(value, int) or value < 1
    ):
        problems.append(f"{key} must be a whole number of bytes >= 1, got {value!r}")
        return default
    if isinstance(default, bool):
        if not isinstance(value, bool):
            problems.append(f"{key} must be true or false, got {value!r}")
            return default
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"{key} must be a whole number >= 0, got {value!r}")
            return default
        return value
    if not isinstance(value, str):
        problems.append(f"{key} must be text, got {value!r}")
        return default
    return value


def _check_summary_length(value: object, problems: list[str]) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            share = float(value.strip()[:-1])
        except ValueError:
            share = -1
        if 0 < share <= 100:
            return value.strip()
    problems.append(f"summary.sentences must be a count such as 3 or a share such as '20%', got {value!r}")
    return 3


def window_days(window: str) -> int:
    """Days in a front-page window such as '1d' or '7d' (checked by `load_config`)."""
    return int(window.removesuffix("d"))


def _check_window(value: object, problems: list[str]) -> str:
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    days = text.removesuffix("d")
    if not days.isdigit() or not 1 <= int(days) <= 366:
        problems.append(f"digests.window must be a number of days such as '1d' or '7d', got {value!r}")
        return DigestsConfig().window
    return f"{int(days)}d"


def _suggest(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """briefgen.yml's mapping (empty when the file does not exist); ConfigError when it is not one."""
    return _read_yaml(path)[0]


def _read_yaml(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The config's mapping and the line of each key ("key" and "section.key")."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}, {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, [f"cannot read the config file: {exc}"]) from None
    over = check_budget(text)
    if over is not None:
        raise ConfigError(path, [over[1].replace("the YAML", "the config")], [over[0] + 1])
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(where, [f"not valid YAML: {exc.problem}"]) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:  # e.g. an impossible date
        raise ConfigError(path, [f"not valid YAML: {exc}"]) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(
            path, [f"the config must be a mapping of keys to values, got {type(data).__name__}"]
        )
    return data, _key_lines(text)


def _key_lines(text: str) -> dict[str, int]:
    """1-based line of each top-level key and of each key of a top-level mapping."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        name = str(key.value)
        lines.setdefault(name, key.start_mark.line + 1)
        if isinstance(value, yaml.MappingNode):
            for sub, _ in value.value:
                lines.setdefault(f"{name}.{sub.value}", sub.start_mark.line + 1)
    return lines


class _Problems:
    """Config problems with the line each is about (None for a command-line override or a whole-file one)."""

    def __init__(self, lines: Mapping[str, int], overridden: frozenset[str]) -> None:
        self.lines = lines
        self.overridden = overridden
        self.messages: list[str] = []
        self.at: list[int | None] = []

    def add(self, key: str | None, message: str) -> None:
        self.messages.append(message)
        self.at.append(None if key is None or key in self.overridden else self.lines.get(key))

    def extend(self, key: str, messages: list[str]) -> None:
        for message in messages:
            self.add(key, message)


def load_config(
    path: Path,
    *,
    root: Path | None = None,
    overrides: Mapping[str, object] | None = None,
    require_content: bool = False,
) -> SiteConfig:
    """Read briefgen.yml (a missing file means all defaults), merge CLI overrides, validate everything.

    `require_content` (build, serve, watch): a missing content folder is a ConfigError, and so is a
    folder with neither briefgen.yml nor content/, which is not a site at all.
    """
    root = (root if root is not None else path.parent).resolve()
    if not root.is_dir():
        raise ConfigError(root, ["the site folder does not exist"])
    raw, key_lines = _read_yaml(path)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    raw = {**raw, **given}
    problems = _Problems(key_lines, frozenset(given))
    known = [*TOP_LEVEL, *SECTIONS]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in TOP_LEVEL:
            found: list[str] = []
            values[key] = _check_scalar(key, value, TOP_LEVEL[key][0], found)
            problems.extend(key, found)
        elif key in SECTIONS:
            values[key] = _load_section(key, value, problems)
        else:
            problems.add(str(key), f"unknown key {key!r}{_suggest(str(key), known)}")
    paths = {
        name: (root / str(values.get(name, TOP_LEVEL[name][0]))).resolve()
        for name in ("content_dir", "templates_dir", "static_dir", "output_dir", "cache_dir")
    }
    base_url_problem = _base_url_problem(str(values.get("base_url", "/")))
    if base_url_problem is not None:
        problems.add("base_url", base_url_problem)
    _check_output_dir(paths, root, path, problems)
    if require_content and not problems.messages:
        _check_content_dir(paths["content_dir"], root, path, problems)
    if problems.messages:
        raise ConfigError(path, problems.messages, problems.at)
    settings: dict[str, Any] = {k: v for k, v in values.items() if not k.endswith("_dir")}
    settings.update(paths)
    lines = {k: v for k, v in key_lines.items() if k not in given}
    return SiteConfig(root=root, config_path=path.resolve(), key_lines=lines, **settings)


def _base_url_problem(base_url: str) -> str | None:
    """Why base_url cannot be used: it is a path ('/briefs/') or a whole http(s) address, nothing else."""
    example = "e.g. '/', '/briefs/' or 'https://example.org/briefs/'"
    if any(c.isspace() for c in base_url):
        return f"base_url must not contain spaces, got {base_url!r} ({example})"
    if not _parses_as_url(base_url):
        return f"base_url is not a URL, got {base_url!r} ({example})"
    parts = urlsplit(base_url)
    if parts.query or parts.fragment or "?" in base_url or "#" in base_url:
        return f"base_url must not have a query or a fragment, got {base_url!r} ({example})"
    if not base_url or (base_url.startswith("/") and not base_url.startswith("//")):
        return None
    if parts.scheme in ("http", "https") and base_url.startswith(f"{parts.scheme}://"):
        if not parts.hostname:
            return f"base_url names no host, got {base_url!r} ({example})"
        if parts.username or parts.password:
            return f"base_url must not hold a user name or password, got {base_url!r}"
        return None
    return f"base_url must be a path starting with '/' or an http(s):// address, got {base_url!r} ({example})"


def _parses_as_url(url: str) -> bool:
    """urlsplit reads it, host and port included ("http://[" or "http://x:99999/" raise ValueError)."""
    try:
        parts = urlsplit(url)
        _ = parts.hostname, parts.port
    except ValueError:
        return False
    return True


def _check_output_dir(paths: Mapping[str, Path], root: Path, config_path: Path, problems: _Problems) -> None:
    """The output folder is replaced as a whole: it must hold nothing else of the site's."""
    out = paths["output_dir"]
    if out == root or root.is_relative_to(out):
        problems.add("output_dir", f"output_dir must not be the site root or a folder above it, got {out}")
        return
    for name in ("content_dir", "templates_dir", "static_dir", "cache_dir"):
        if out == paths[name] or paths[name].is_relative_to(out):
            problems.add("output_dir", f"output_dir {out.name!r} must not contain or be {name}")
        elif out.is_relative_to(paths[name]) and name != "cache_dir":
            problems.add("output_dir", f"output_dir must not be inside {name} ({paths[name].name!r})")
    if config_path.resolve().is_relative_to(out):
        problems.add("output_dir", f"output_dir {out.name!r} must not contain the config file")


def _check_content_dir(content: Path, root: Path, config_path: Path, problems: _Problems) -> None:
    if content.is_dir():
        return
    if not config_path.exists():
        problems.add(
            None,
            f"no briefgen.yml and no {content.name}/ folder in {root}: this is not a briefgen site "
            f"(make one with `briefgen init DIR`, or pass --site DIR)",
        )
        return
    folders = (
        [p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")] if root.is_dir() else []
    )
    close = difflib.get_close_matches(content.name, folders, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    problems.add(
        "content_dir",
        f"content_dir {content.name!r} is not a folder{hint}; nothing was built and the site is unchanged",
    )


def _load_section(name: str, value: object, problems: _Problems) -> object:
    cls = SECTIONS[name]
    defaults = cls()
    if value is None:
        return defaults
    if not isinstance(value, dict):
        problems.add(name, f"{name} must be a mapping, got {value!r}")
        return defaults
    known = [f.name for f in fields(cls)]
    kwargs: dict[str, object] = {}
    for key, item in value.items():
        where = f"{name}.{key}"
        if key not in known:
            problems.add(where, f"unknown key '{name}.{key}'{_suggest(str(key), known)}")
        elif name == "summary" and key == "sentences":
            found: list[str] = []
            kwargs[key] = _check_summary_length(item, found)
            problems.extend(where, found)
        elif name == "digests" and key == "window":
            found = []
            kwargs[key] = _check_window(item, found)
            problems.extend(where, found)
        else:
            found = []
            kwargs[key] = _check_scalar(where, item, getattr(defaults, key), found)
            problems.extend(where, found)
    return cls(**kwargs)


def default_config_text() -> str:
    """briefgen.yml as `briefgen init` writes it: every key with its default, commented."""
    lines = [
        "# briefgen site configuration. Every key is optional; the values below are the defaults.",
        "#",
        "# Articles in content_dir are .md or .txt files with optional YAML front matter. Its keys are",
        "# title, date, author, source, url, tags, summary, draft; keys of your own go under extra:",
        "# (templates see them as b.extra), e.g.",
        "#   extra:",
        "#     region: north",
        "",
    ]
    for key, (default, comment) in TOP_LEVEL.items():
        lines.append(f"# {comment}")
        lines.append(f"{key}: {json.dumps(default)}")
    for name, cls in SECTIONS.items():
        lines.append("")
        lines.append(f"{name}:")
        for f in fields(cls):
            lines.append(f"  # {SECTION_COMMENTS[name][f.name]}")
            lines.append(f"  {f.name}: {json.dumps(getattr(cls(), f.name))}")
    return "\n".join(lines) + "\n"
