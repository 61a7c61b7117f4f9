"""The Jinja2 environment: the site's templates first, the built-in theme second, and `!theme/` always."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"


def relative_url(from_page: str, target: str) -> str:
    """A link from the page at `from_page` (site-relative file path) to `target` (site-relative URL).

    Relative links keep site/ working from any subpath and from disk. A target ending in '/' stays a
    directory URL ('../x/'); the theme's script appends 'index.html' when the site is opened from disk.
    Both paths are normalised site-relative paths (the page planner makes them), so plain string work
    suffices; this runs for every link of every page.
    """
    if target.startswith(("http://", "https://", "mailto:", "#", "//")):
        return target
    path, _, fragment = target.partition("#")
    here = from_page.split("/")[:-1]
    there = path.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    if fragment:
        same_page = rel in ("", from_page.rsplit("/", 1)[-1]) or (rel == "" and path.endswith("/"))
        return f"#{fragment}" if same_page else f"{rel or './'}#{fragment}"
    return rel or "./"


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: str) -> str:
    """Relative to the page, or from `link_root` (the base path) on a page served at any depth (404)."""
    root = context.get("link_root")
    if root and not target.startswith(("http://", "https://", "mailto:", "#", "//")):
        return str(root) + target
    return relative_url(str(context["page_path"]), target)


def _json(value: object) -> str:
    """JSON as a file of its own holds it (for a <script>, `tojson` escapes what HTML would read)."""
    return json.dumps(value, ensure_ascii=False, indent=1)


def _format_date(value: dt.date | str, style: str = "long") -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if style == "iso":
        return value.isoformat()
    if style == "short":
        return value.strftime("%-d %b %Y")
    return value.strftime("%A %-d %B %Y")


class _InsideLoader(jinja2.FileSystemLoader):
    """A site's templates: a symlink that leads out of the templates folder is not followed."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self._root = os.path.realpath(folder)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if os.path.commonpath([self._root, os.path.realpath(filename)]) != self._root:
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def make_environment(templates_dir: Path) -> jinja2.Environment:
    theme = jinja2.FileSystemLoader(str(THEME_DIR / "templates"))
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir.is_dir():
        loaders.append(_InsideLoader(templates_dir))
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
    # tojson (JSON Feed, JSON-LD): keys in the order the views give them (a JSON Feed's version first)
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    env.filters["json"] = _json
    env.filters["url"] = _url
    env.filters["date"] = _format_date
    return env


def template_names(env: jinja2.Environment) -> list[str]:
    return list(env.list_templates())


def render(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    return env.get_template(template).render(context)
