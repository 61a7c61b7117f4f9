"""Lines that are not article text: bare URLs, advertisement and page markers, social buttons, references."""

from __future__ import annotations

import re

from briefgen.text.byline import is_bare_url

_ADVERT = re.compile(
    r"(?:skip\s+)?advertisement|advertising|sponsored(?:\s+content)?|ad|"
    r"(?:story|article)\s+continues\s+(?:below|after)(?:\s+(?:this\s+)?(?:advertisement|ad))?|"
    r"continue\s+reading(?:\s+(?:below|the\s+main\s+story))?",
    re.IGNORECASE,
)
_PAGE_MARKER = re.compile(
    r"(?:page|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|"
    r"[-–—]\s*\d{1,4}\s*[-–—]|"
    r"\[\s*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*\]",
    re.IGNORECASE,
)
_SOCIAL = re.compile(
    r"share(?:\s+(?:this|the)\s+(?:article|story|page|post))?(?:\s+on\s+\w+)?|"
    r"share\s+on\s+(?:facebook|twitter|x|linkedin|whatsapp|reddit|email|telegram|bluesky)|"
    r"(?:click\s+to\s+)?(?:tweet|email|print)(?:\s+this(?:\s+(?:article|story|page))?)?|"
    r"copy\s+(?:the\s+)?link|"
    r"follow\s+us\s+on\s+\w+(?:(?:\s*(?:,|and)\s*\w+){0,3})",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    r"(?P<label>related\s+articles?|related\s+stor(?:y|ies)|related|read\s+more|read\s+also|also\s+read|see\s+also)"
    r"\s*[:：]\s*(?P<title>\S.*)",
    re.IGNORECASE,
)


def _bare(line: str) -> str:
    return line.strip().strip(":.|•·*").strip()


def drop_reason(line: str) -> str | None:
    """Why a whole (stripped, non-blank) line is not article text, or None if it is."""
    if is_bare_url(line):
        return "bare url"
    bare = _bare(line)
    if _ADVERT.fullmatch(bare):
        return "advertisement"
    if _PAGE_MARKER.fullmatch(line.strip()):
        return "page marker"
    if _SOCIAL.fullmatch(bare):
        return "social"
    return None


def reference_title(line: str) -> tuple[str, str] | None:
    """`(label, title)` for a "Related article: …" / "Read more: …" / "See also: …" line, else None."""
    match = _REFERENCE.fullmatch(line.strip())
    if match is None:
        return None
    title = match.group("title").strip()
    if not any(c.isalnum() for c in title):
        return None
    return " ".join(match.group("label").split()), title
