"""Bylines: author and outlet from a "By Jane Doe" line or an author-page URL."""

from __future__ import annotations

import re

from briefgen.lang import lexicon
from briefgen.model import Byline

LEX = lexicon()

# Outlets whose domains do not split into their names by the masthead-word rule below.
_KNOWN_OUTLETS = LEX.outlets
_MASTHEAD = LEX.masthead_words
_SECOND_LEVEL = LEX.second_level_domains
_AUTHOR_PATH = re.compile(
    r"/(?:author|authors|profile|profiles|people|by|staff|writers?|journalists?)/([^/?#]+)"
)
_URL_LINE = re.compile(r"<?(?:https?://|www\.)\S+?>?")

_NAME_WORD = r"(?:[A-Z][a-z]*\.?|[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)+|(?:Mc|Mac|O['’])[A-Z][a-z]+|[A-Z]{2,}(?:[-'’][A-Z]+)?)"
_PARTICLE = "(?:" + "|".join(sorted(LEX.name_particles)) + ")"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_NAME_WORD}){{1,3}}"
_BY_LINE = re.compile(
    rf"(?i:by)[:\s]\s*(?P<names>{_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*)"
    rf"(?:\s*(?:,|\||—|–|-|\bfor\b)\s*(?P<source>[A-Z][\w.&'’ ]{{1,40}}?))?\s*\.?"
)
_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|columnist|contributor)s?\b", re.IGNORECASE
)
_NOT_NAME_START = LEX.byline_not_names | frozenset(LEX.weekdays) | frozenset(LEX.months)


def outlet_from_domain(host: str) -> str | None:
    """A display name for a news site's host name: "www.themoscowtimes.com" -> "The Moscow Times"."""
    labels = [label for label in host.lower().split(".") if label]
    while labels and labels[0] in LEX.host_prefixes:
        labels = labels[1:]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    if not labels:
        return None
    name = labels[-1].replace("-", "")
    if name in _KNOWN_OUTLETS:
        return _KNOWN_OUTLETS[name]
    words: list[str] = []
    rest = name
    the = rest.startswith("the") and len(rest) > 6
    if the:
        rest = rest[3:]
    found = True
    while found and rest:
        found = False
        for word in _MASTHEAD:
            if rest.endswith(word) and len(rest) > len(word):
                words.insert(0, word)
                rest = rest[: -len(word)]
                found = True
                break
    if rest:
        words.insert(0, rest)
    shown = [w.upper() if len(w) <= 3 and w not in _MASTHEAD else w.capitalize() for w in words]
    return " ".join((["The"] if the else []) + shown)


def author_from_slug(slug: str) -> str | None:
    """ "pyotr-kozlov" -> "Pyotr Kozlov" (numeric ids and file endings dropped)."""
    from urllib.parse import unquote

    slug = unquote(slug).rsplit(".", 1)[0] if slug.endswith((".html", ".htm")) else unquote(slug)
    parts = [p for p in re.split(r"[-_+\s]+", slug) if p and not p.isdigit()]
    if not parts or not all(p.isalpha() for p in parts) or len(parts) > 5:
        return None
    return " ".join(p[:1].upper() + p[1:].lower() for p in parts)


def is_bare_url(line: str) -> bool:
    return _URL_LINE.fullmatch(line) is not None


def byline_from_url(line: str) -> Byline | None:
    """The author and outlet of a bare author-page URL line, or None if the line is not one."""
    if not is_bare_url(line):
        return None
    from urllib.parse import urlsplit

    url = line.strip("<>")
    try:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        hostname = parts.hostname or ""
    except ValueError:  # not a URL after all ("http://[": an unclosed IPv6 host)
        return None
    match = _AUTHOR_PATH.search(parts.path)
    if match is None:
        return None
    author = author_from_slug(match.group(1))
    if author is None:
        return None
    return Byline(author=author, source=outlet_from_domain(hostname), url=url)


def _name_display(name: str) -> str:
    name = " ".join(name.split())
    if name.isupper():
        return re.sub(r"[A-Z]+", lambda m: m.group(0).capitalize(), name)
    return name


def byline_from_line(line: str) -> Byline | None:
    """Author (and outlet) of a "By Jane Doe" / "By JANE DOE, Reuters" line, or None if it is not one."""
    match = _BY_LINE.fullmatch(line)
    if match is None or not line.startswith(("By", "BY")):
        return None
    names = match.group("names")
    if names.split()[0] in _NOT_NAME_START:
        return None
    source = match.group("source")
    groups = [g for g in re.split(r"\s*,\s*", names) if g]
    if source is None and len(groups) >= 2 and not re.search(r"\band\b|&", groups[-1]):
        # "By J. R. Smith, Associated Press": a trailing comma part with no "and" names the outlet.
        source = groups.pop()
    if source is not None and _ROLE.search(source):
        source = None  # "By Jane Doe, Staff Writer": a job title, not an outlet
    authors = [n for g in groups for n in re.split(r"\s*(?:\band\b|&)\s*", g) if n]
    shown = [_name_display(a) for a in authors]
    author = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return Byline(author=author, source=source.strip() if source else None)
