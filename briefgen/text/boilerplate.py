"""Lines that are not article text: bare URLs, advertisement and page markers, social buttons, references."""

from __future__ import annotations

import re

from briefgen.text.byline import is_bare_url
from briefgen.text.furniture import furniture_reason

_ADVERT = re.compile(
    r"(?:skip\s+)?advertisement(?:\s*[-–—·|:]?\s*scroll\s+(?:down\s+)?to\s+continue(?:\s+reading)?)?|"
    r"advertising|sponsored(?:\s+content)?|ad|"
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
# A row of share buttons: "Share on X Email", "Facebook | X | Email | Copy link" (two buttons or more),
# perhaps after a label: "Share this article: Facebook Twitter Email", "Share this with Email Facebook".
_BUTTON = r"(?:share(?:\s+(?:this|on|via))?|facebook|twitter|x|linkedin|whatsapp|reddit|email|e-mail|telegram|bluesky|threads|print|pinterest|messenger|copy\s+(?:this\s+|the\s+)?link|comments?)"
_SHARE_LABEL = r"(?:share\s+(?:this|the)(?:\s+(?:article|story|page|post))?(?:\s+(?:with|on|via))?\s*:?\s*)?"
_BUTTON_ROW = re.compile(rf"{_SHARE_LABEL}{_BUTTON}(?:[\s|•·,/]+{_BUTTON})+", re.IGNORECASE)
BUTTON_ROW_MAX = 160  # characters: longer lines are story text, whatever their words
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DAYS = r"mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
# One token of a date/time stamp: "May", "03,", "2013", "5:03pm", "p.m.", "EDT", "|", "Posted", "at" ...
_STAMP_TOKEN = re.compile(
    rf"(?:{_MONTHS}|{_DAYS})\.?,?|\d{{1,4}}(?:st|nd|rd|th)?,?|\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?(?:[ap]\.?m\.?)?|"
    r"[ap]\.?m\.?|[ap]\.|m\.|[A-Z]{1,4}T|GMT|UTC|[|/•·,–—-]|at|on|posted|published|updated|first|last|modified|"
    r"\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}",
    re.IGNORECASE,
)
# "Updated 2 hours ago", "Published just now", "3 mins ago", "Updated: 6:42 p.m. ET": a stamp with no
# date in it.
_RELATIVE_STAMP = re.compile(
    r"(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)\s*:?\s*)?"
    r"(?:\d{1,3}\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?)\s+ago)"
    r"|(?:first\s+|last\s+)?(?:published|updated|posted|modified)\s*:?\s*(?:just\s+now|yesterday|today)"
    r"|(?:first\s+|last\s+)?(?:published|updated|posted|modified)\s*:?\s*(?:at\s+)?"
    r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?",
    re.IGNORECASE,
)
_RELATIVE_STARTS = frozenset("0123456789pPuUlLmMfF")
_ROW_SEPARATORS = re.compile(r"\s*[|•·]\s*")
_REFERENCE = re.compile(
    r"(?P<label>related\s+articles?|related\s+stor(?:y|ies)|related|read\s+more|read\s+also|also\s+read|see\s+also)"
    r"\s*[:：]\s*(?P<title>\S.*)",
    re.IGNORECASE,
)


# First characters the patterns above can match (case-insensitively: "ſ" matches "s" too).
_ADVERT_STARTS = frozenset("sSaAcCſ")
_PAGE_MARKER_STARTS = frozenset("pP-–—[")
_SOCIAL_STARTS = frozenset("sScCtTeEpPfFſ")


def _bare(line: str) -> str:
    return line.strip().strip(":.|•·*").strip()


def drop_reason(line: str) -> str | None:
    """Why a whole (stripped, non-blank) line is not article text, or None if it is."""
    if is_bare_url(line):
        return "bare url"
    bare = _bare(line)
    first = bare[:1]  # each pattern can only start with a few letters (any case): skip the rest fast
    if first in _ADVERT_STARTS and _ADVERT.fullmatch(bare):
        return "advertisement"
    stripped = line.strip()
    if stripped[:1] in _PAGE_MARKER_STARTS and _PAGE_MARKER.fullmatch(stripped):
        return "page marker"
    if first in _SOCIAL_STARTS and _SOCIAL.fullmatch(bare):
        return "social"
    if len(bare) < BUTTON_ROW_MAX and _BUTTON_ROW.fullmatch(bare):
        return "social"
    if is_timestamp(line) or (first in _RELATIVE_STARTS and _RELATIVE_STAMP.fullmatch(bare)):
        return "timestamp"
    return furniture_reason(bare) or _stamp_row_reason(bare)


def _stamp_row_reason(bare: str) -> str | None:
    """A row of a date stamp and furniture: "Published March 3, 2025 | 5 min read" is a timestamp."""
    if not ("|" in bare or "•" in bare or "·" in bare):
        return None
    parts = [part for part in _ROW_SEPARATORS.split(bare) if part]
    if len(parts) < 2:
        return None
    stamps = sum(1 for part in parts if is_timestamp(part) or _RELATIVE_STAMP.fullmatch(part) is not None)
    if stamps and all(
        is_timestamp(part) or _RELATIVE_STAMP.fullmatch(part) or furniture_reason(part) for part in parts
    ):
        return "timestamp"
    return None


def is_timestamp(line: str) -> bool:
    """A line that is only a date and/or time, as pages print above a story: "May 2, 2013 | 5:03pm"."""
    head = line.split(None, 1)
    if not head or not (first := head[0].rstrip(":")) or not _STAMP_TOKEN.fullmatch(first):
        return False  # most lines: the first word is no date or time
    tokens = line.split()
    if len(tokens) > 12:
        return False
    for token in tokens[1:]:
        bare = token.rstrip(":")
        if not bare or not _STAMP_TOKEN.fullmatch(bare):
            return False
    has_year = re.search(r"\b(?:19|20)\d{2}\b", line) is not None
    has_time = re.search(r"\d[:.]\d{2}", line) is not None
    has_month = re.search(rf"\b(?:{_MONTHS})\b", line, re.IGNORECASE) is not None
    return (has_year and (has_month or "/" in line or "-" in line)) or (has_time and (has_month or has_year))


def reference_title(line: str) -> tuple[str, str] | None:
    """`(label, title)` for a "Related article: …" / "Read more: …" / "See also: …" line, else None."""
    match = _REFERENCE.fullmatch(line.strip())
    if match is None:
        return None
    title = match.group("title").strip()
    if not any(c.isalnum() for c in title):
        return None
    return " ".join(match.group("label").split()), title
