"""Bylines: author and outlet from a "By Jane Doe" line or an author-page URL."""

from __future__ import annotations

import re

from briefgen.lang import lexicon
from briefgen.model import Byline
from briefgen.text.pagedates import stamp_start

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
_NAMES = re.compile(rf"{_NAME}(?:\s*(?:\band\b|&)\s*{_NAME})*")
_BY = re.compile(r"(?:By|BY)(?::\s*|\s+)")
# Parts of a byline: "By Jane Doe, Staff Writer | Example News | March 3, 2025".
_PARTS = re.compile(r"\s*(?:\||•|·|—|–|\s-\s|\bfor\b)\s*")
_OUTLET = re.compile(r"[A-Z][\w.&'’ ]{1,40}")
_ROLES = LEX.byline_roles
_ROLE_WORD = re.compile(r"[A-Za-z][A-Za-z&'’.-]*")
_STAMP_PART = re.compile(r"(?:first\s+|last\s+)?(?:published|updated|posted|modified)\b", re.IGNORECASE)
_MAX_BYLINE = 200  # characters: names, a job, an outlet and a date stamp fit; story paragraphs do not
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
    parts = urlsplit(url if "://" in url else f"https://{url}")
    match = _AUTHOR_PATH.search(parts.path)
    if match is None:
        return None
    author = author_from_slug(match.group(1))
    if author is None:
        return None
    return Byline(author=author, source=outlet_from_domain(parts.hostname or ""), url=url)


def _name_display(name: str) -> str:
    name = " ".join(name.split())
    if name.isupper():
        return re.sub(r"[A-Z]+", lambda m: m.group(0).capitalize(), name)
    return name


def is_byline_role(part: str) -> bool:
    """A job as bylines name it: "Staff Reporter", "Chief Europe correspondent", "Staff Writers"."""
    words = part.split()
    if not 1 <= len(words) <= 6 or not all(_ROLE_WORD.fullmatch(w) for w in words):
        return False
    last = words[-1].lower()
    return last in _ROLES or (last.endswith("s") and last[:-1] in _ROLES)


def _is_stamp(part: str) -> bool:
    """A byline part that is a date stamp: "Published March 3, 2025", "Mon 3 Mar 2025 10.15 GMT"."""
    return _STAMP_PART.match(part) is not None or stamp_start(part) == 0


def byline_from_line(line: str, *, needs_by: bool = False) -> Byline | None:
    """Author (and outlet) of a byline, or None if the line is not one: "By Jane Doe", "By JANE DOE,
    Reuters", "By Maria Lindgren, Staff Reporter | Example News"; without "By" (unless `needs_by`),
    only names followed by a job: "Maria Lindgren, Chief Correspondent". Dates in it are left out."""
    text = line.strip()
    if len(text) > _MAX_BYLINE:
        return None
    if text.endswith(".") and text[-2:-1].islower():
        text = text[:-1]
    by = _BY.match(text)
    if (by is None and needs_by) or not text[by.end() if by else 0 :][:1].isupper():
        return None  # most lines: no "By", or no capitalised name where the byline starts
    parts = [p for p in _PARTS.split(text[by.end() if by else 0 :]) if p and not _is_stamp(p)]
    if not parts:
        return None
    stamp = stamp_start(parts[0])
    first = parts[0] if stamp is None else parts[0][:stamp]
    groups = [g.strip() for g in first.split(",") if g.strip()] + parts[1:]
    names: list[str] = []
    while groups and _NAMES.fullmatch(groups[0]) and not is_byline_role(groups[0]):
        names.append(groups.pop(0))
    if not names or names[0].split()[0] in _NOT_NAME_START:
        return None
    roles = [g for g in groups if is_byline_role(g)]
    rest = [g for g in groups if not is_byline_role(g) and not _is_stamp(g)]
    if len(rest) > 1 or (rest and not _OUTLET.fullmatch(rest[0])):
        return None
    source = rest[0] if rest else None
    if source is None and not roles and len(names) >= 2 and not re.search(r"\band\b|&", names[-1]):
        # "By J. R. Smith, Associated Press": a trailing comma part with no "and" names the outlet.
        source = names.pop()
    if by is None and (not roles or len(names) > 1):
        return None  # without "By", a job must say that the names are the authors'
    authors = [n for g in names for n in re.split(r"\s*(?:\band\b|&)\s*", g) if n]
    shown = [_name_display(a) for a in authors]
    author = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return Byline(author=author, source=source.strip() if source else None)
