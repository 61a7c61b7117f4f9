"""The Jinja2 environment: the site's templates first, the built-in theme second, and `!theme/` always."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path
from typing import Any

import jinja2

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"


def relative_url(from_page: str, target: str) -> str:
    """A link from the page at `from_page` (site-relative file path) to `target` (site-relative URL).

    Relative links keep site/ working from any subpath and from disk. A target ending in '/' stays a
    directory URL ('../x/'); the theme's script appends 'index.html' when the site is opened from disk.
    """
    if target.startswith(("http://", "https://", "mailto:", "#", "//")):
        return target
    base = posixpath.dirname(from_page) or "."
    path, _, fragment = target.partition("#")
    is_dir = path == "" or path.endswith("/")
    rel = posixpath.relpath(path or ".", base)
    if is_dir:
        rel = "./" if rel == "." else rel + "/"
    if fragment:
        return f"#{fragment}" if rel == "./" or rel == posixpath.basename(from_page) else f"{rel}#{fragment}"
    return rel


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: str) -> str:
    return relative_url(str(context["page_path"]), target)


def _format_date(value: dt.date | str, style: str = "long") -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if style == "iso":
        return value.isoformat()
    if style == "short":
        return value.strftime("%-d %b %Y")
    return value.strftime("%A %-d %B %Y")


def make_environment(templates_dir: Path) -> jinja2.Environment:
    theme = jinja2.FileSystemLoader(str(THEME_DIR / "templates"))
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders += [theme, jinja2.PrefixLoader({"!theme": theme})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["url"] = _url
    env.filters["date"] = _format_date
    return env


def template_names(env: jinja2.Environment) -> list[str]:
    return list(env.list_templates())


def render(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    return env.get_template(template).render(context)
