"""`briefgen init DIR`: a new site with a commented config, one example article and a templates/ note;
`briefgen new "Headline"`: a dated article file with its front matter, ready to fill in."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from briefgen.config import SiteConfig, default_config_text
from briefgen.errors import BriefgenError
from briefgen.slugs import slugify

TEMPLATES_NOTE = """\
# Overriding the built-in theme

Put a file here with the same name as a built-in template to replace it, for example
`briefing.html`, `index.html`, `digest.html`, `base.html` or `partials/_quote.html`.

To change one part and keep the rest, extend the original with the `!theme/` prefix and
override a block:

    {% extends "!theme/briefing.html" %}
    {% block related %}{{ super() }}<p>Tips? Write to the desk.</p>{% endblock %}

Blocks in briefing.html: header, summary, quotes, entities, related, body.
Links always go through the `url` filter (`{{ 'search/' | url }}`) so the site works from any folder.
"""

EXAMPLE_ARTICLE = """\
---
title: Harbour authority approves new ferry terminal
date: {date}
author: Alex Example
source: The Example Gazette
tags: [transport, harbour]
extra:  # keys of your own, for your templates (b.extra.desk)
  desk: harbour
---

PORTSEA — The harbour authority on Tuesday approved a new ferry terminal, ending two years of debate
over the site.

"This is the right place and the right time," said Dana Reyes, the authority's chair. "Passengers
have waited long enough."

Opponents said the terminal would bring more traffic to the old town. The authority said a traffic
study would be published next month.
"""


def create_site(target: Path, *, force: bool = False) -> None:
    if target.exists() and any(target.iterdir()) and not force:
        raise BriefgenError(f"{target} is not empty; use --force to write into it anyway")
    (target / "content").mkdir(parents=True, exist_ok=True)
    (target / "templates").mkdir(exist_ok=True)
    config = target / "briefgen.yml"
    if not config.exists():
        config.write_text(default_config_text(), encoding="utf-8")
    today = dt.date.today().isoformat()
    article = target / "content" / f"{today}-example-ferry-terminal.md"
    if not article.exists():
        article.write_text(EXAMPLE_ARTICLE.format(date=today), encoding="utf-8")
    note = target / "templates" / "README.md"
    if not note.exists():
        note.write_text(TEMPLATES_NOTE, encoding="utf-8")
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("site/\n.briefgen-cache/\n", encoding="utf-8")


NEW_ARTICLE = """\
---
title: {title}
date: {date}
author:{author}
source:{source}
tags: {tags}
draft: true  # not built until this line goes
---

Write or paste the article here, in place of this line.
"""


def new_article(
    config: SiteConfig,
    title: str,
    *,
    date: dt.date,
    author: str = "",
    source: str = "",
    tags: Sequence[str] = (),
) -> Path:
    """content/YYYY-MM-DD-<headline slug>.md with its front matter; never replaces an existing file.

    The article starts as a draft with a line to replace: a build skips it until `draft: true` goes.
    """
    if not title.strip():
        raise BriefgenError('the headline is empty: briefgen new "Headline of the article"')
    path = config.content_dir / f"{date.isoformat()}-{slugify(title)}.md"
    text = NEW_ARTICLE.format(
        title=json.dumps(title.strip(), ensure_ascii=False),  # a JSON string is a YAML string
        date=date.isoformat(),
        author=_yaml_text(author),
        source=_yaml_text(source),
        tags=json.dumps(list(tags), ensure_ascii=False),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:  # "x": fails if the file exists, even in a race
            out.write(text)
    except FileExistsError:
        raise BriefgenError(
            f"{_shown(path, config.root)} already exists; edit it, or choose another headline"
        ) from None
    return path


def _yaml_text(value: str) -> str:
    """' "Name"' as a YAML string, or nothing (a null: the field is left to fill in)."""
    return f" {json.dumps(value.strip(), ensure_ascii=False)}" if value.strip() else ""


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
