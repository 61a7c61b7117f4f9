"""`briefgen init DIR`: a new site with a commented config, one example article and a templates/ note."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefgen.config import default_config_text
from briefgen.errors import BriefgenError

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
