"""Site configuration: one YAML file, frozen dataclasses, one loader that reports every problem at once."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from briefgen.errors import ConfigError


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
    items: int = 20


SECTIONS: dict[str, type] = {
    "summary": SummaryConfig,
    "quotes": QuotesConfig,
    "related": RelatedConfig,
    "digests": DigestsConfig,
    "feed": FeedConfig,
}

# key -> (default, comment) for the top-level scalar keys, in the order `briefgen init` writes them
TOP_LEVEL: dict[str, tuple[object, str]] = {
    "title": ("Briefings", "the site's name, shown in every page header and in the feed"),
    "description": ("", "one line under the title on the index page and in the feed"),
    "base_url": ("/", "where site/ is hosted: '/', '/briefs/' or 'https://example.org/briefs/'"),
    "language": ("en", "the pages' lang attribute"),
    "content_dir": ("content", "articles: .md and .txt, YAML front matter optional"),
    "templates_dir": ("templates", "templates that override the built-in theme by name"),
    "static_dir": ("static", "files copied to site/static/ (they win over the theme's)"),
    "output_dir": ("site", "the built site; replaced as a whole on each successful build"),
    "cache_dir": (".briefgen-cache", "analysis cache; safe to delete"),
    "drafts": (False, "build articles marked draft: true"),
    "index_items": (50, "newest briefings on the front page; the rest are in the by-day archive (0: all)"),
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
    "feed": {"atom": "write feed.xml", "items": "newest briefings in the feed"},
}


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    root: Path
    config_path: Path
    title: str = "Briefings"
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    content_dir: Path
    templates_dir: Path
    static_dir: Path
    output_dir: Path
    cache_dir: Path
    drafts: bool = False
    index_items: int = 50
    summary: SummaryConfig = SummaryConfig()
    quotes: QuotesConfig = QuotesConfig()
    related: RelatedConfig = RelatedConfig()
    digests: DigestsConfig = DigestsConfig()
    feed: FeedConfig = FeedConfig()

    @property
    def mount(self) -> str:
        """The path part of base_url, always with leading and trailing slash: '/' or '/briefs/'."""
        path = urlsplit(self.base_url).path or "/"
        return "/" + path.strip("/") + "/" if path.strip("/") else "/"

    @property
    def absolute_base(self) -> str | None:
        """base_url when it names a host (for feeds and the sitemap), else None."""
        parts = urlsplit(self.base_url)
        return self.base_url.rstrip("/") + "/" if parts.scheme and parts.netloc else None

    def analysis_fingerprint(self) -> str:
        """Everything the per-article analysis depends on, for cache keys."""
        data = {"summary": str(self.summary.sentences)}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def render_fingerprint(self) -> str:
        """Every setting that can change a rendered page."""
        data = {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if f.name not in {"root", "config_path", "cache_dir"}
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _type_name(value: object) -> str:
    return {bool: "true/false", int: "a whole number", str: "text"}.get(type(value), type(value).__name__)


def _check_scalar(key: str, value: object, default: object, problems: list[str]) -> object:
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
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, [f"cannot read the config file: {exc}"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(where, [f"not valid YAML: {exc.problem}"]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, [f"not valid YAML: {exc}"]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            path, [f"the config must be a mapping of keys to values, got {type(data).__name__}"]
        )
    return data


def load_config(
    path: Path, *, root: Path | None = None, overrides: Mapping[str, object] | None = None
) -> SiteConfig:
    """Read briefgen.yml (a missing file means all defaults), merge CLI overrides, validate everything."""
    root = (root if root is not None else path.parent).resolve()
    if not root.is_dir():
        raise ConfigError(root, ["the site folder does not exist"])
    raw = read_yaml_mapping(path)
    raw = {**raw, **{k: v for k, v in (overrides or {}).items() if v is not None}}
    problems: list[str] = []
    known = [*TOP_LEVEL, *SECTIONS]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in TOP_LEVEL:
            values[key] = _check_scalar(key, value, TOP_LEVEL[key][0], problems)
        elif key in SECTIONS:
            values[key] = _load_section(key, value, problems)
        else:
            problems.append(f"unknown key {key!r}{_suggest(str(key), known)}")
    paths = {
        name: (root / str(values.get(name, TOP_LEVEL[name][0]))).resolve()
        for name in ("content_dir", "templates_dir", "static_dir", "output_dir", "cache_dir")
    }
    base_url = str(values.get("base_url", "/"))
    if base_url and not base_url.startswith(("/", "http://", "https://")):
        problems.append(f"base_url must start with '/' or 'http(s)://', got {base_url!r}")
    out = paths["output_dir"]
    for name in ("content_dir", "templates_dir", "static_dir"):
        if out == paths[name] or paths[name].is_relative_to(out):
            problems.append(f"output_dir {out.name!r} must not contain or be {name}")
        elif out.is_relative_to(paths[name]):
            problems.append(f"output_dir must not be inside {name} ({paths[name].name!r})")
    if out == root:
        problems.append("output_dir must not be the site root")
    if problems:
        raise ConfigError(path, problems)
    settings: dict[str, Any] = {k: v for k, v in values.items() if not k.endswith("_dir")}
    settings.update(paths)
    return SiteConfig(root=root, config_path=path.resolve(), **settings)


def _load_section(name: str, value: object, problems: list[str]) -> object:
    cls = SECTIONS[name]
    defaults = cls()
    if value is None:
        return defaults
    if not isinstance(value, dict):
        problems.append(f"{name} must be a mapping, got {value!r}")
        return defaults
    known = [f.name for f in fields(cls)]
    kwargs: dict[str, object] = {}
    for key, item in value.items():
        if key not in known:
            problems.append(f"unknown key '{name}.{key}'{_suggest(str(key), known)}")
        elif name == "summary" and key == "sentences":
            kwargs[key] = _check_summary_length(item, problems)
        elif name == "digests" and key == "window":
            kwargs[key] = _check_window(item, problems)
        else:
            kwargs[key] = _check_scalar(f"{name}.{key}", item, getattr(defaults, key), problems)
    return cls(**kwargs)


def default_config_text() -> str:
    """briefgen.yml as `briefgen init` writes it: every key with its default, commented."""
    lines = ["# briefgen site configuration. Every key is optional; the values below are the defaults.", ""]
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
