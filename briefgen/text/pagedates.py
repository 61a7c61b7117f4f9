"""Dates a pasted page prints above or below its story: "Published March 3, 2025 | Updated 6:42 p.m.",
"First published on Mon 3 Mar 2025 10.15 GMT", "By Jane Doe | 2025-03-03".

Each date is read with the label before it (published, updated, or none). Numeric dates are read only
when they cannot be misread: "03/04/2025" is March 4 in one country and April 3 in another.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from briefgen.lang import lexicon

Label = Literal["published", "updated", ""]

_MONTH_NUMBERS: dict[str, int] = {}
for _number, _name in enumerate(lexicon().months, start=1):
    _MONTH_NUMBERS[_name.lower()] = _number
    _MONTH_NUMBERS[_name[:3].lower()] = _number
_MONTH_NUMBERS["sept"] = 9
_MONTH = "(?P<month>" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DATES = (
    re.compile(rf"(?<![\w-]){_MONTH}\s+{_DAY},?\s+{_YEAR}(?!\d)", re.IGNORECASE),  # March 3, 2025
    re.compile(rf"(?<![\w-]){_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}(?!\d)", re.IGNORECASE),  # 3 March 2025
    re.compile(rf"(?<!\d){_YEAR}-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})(?![\d-])"),  # 2025-03-03
)
_DIGIT = re.compile(r"\d")
_NUMERIC = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>(?:19|20)\d{2})(?![\d/])")
_WEEKDAY_BEFORE = re.compile(
    "(?:" + "|".join(w[:3] for w in lexicon().weekdays) + r")[a-z]*\.?,?\s*$", re.IGNORECASE
)
_LABEL = re.compile(
    r"\b(?:(?P<published>(?:first\s+)?(?:published|posted))"
    r"|(?P<updated>(?:last\s+)?(?:updated|modified|edited|revised)))\b",
    re.IGNORECASE,
)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _found_dates(line: str) -> list[tuple[int, dt.date]]:
    """(offset, date) of every date written out in `line`, in order."""
    found: list[tuple[int, dt.date]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATES:
        for match in pattern.finditer(line):
            month = match.group("month")
            number = int(month) if month.isdigit() else _MONTH_NUMBERS[month.lower()]
            date = _date(int(match.group("year")), number, int(match.group("day")))
            if date is not None and not any(a < match.end() and match.start() < b for a, b in taken):
                found.append((match.start(), date))
                taken.append(match.span())
    for match in _NUMERIC.finditer(line):
        a, b, year = int(match.group("a")), int(match.group("b")), int(match.group("year"))
        readings = {d for d in (_date(year, a, b), _date(year, b, a)) if d is not None}
        if len(readings) == 1 and not any(x < match.end() and match.start() < y for x, y in taken):
            found.append((match.start(), readings.pop()))
    return sorted(found, key=lambda item: item[0])


def dates_in_line(line: str) -> tuple[tuple[Label, dt.date], ...]:
    """Each date the line prints, with the label that stands before it ("" if none does)."""
    if _DIGIT.search(line) is None:
        return ()
    labels = [(m.start(), "published" if m.group("published") else "updated") for m in _LABEL.finditer(line)]
    out: list[tuple[Label, dt.date]] = []
    previous_end = -1
    for at, date in _found_dates(line):
        label: Label = ""
        for label_at, name in labels:
            if previous_end < label_at < at:
                label = "published" if name == "published" else "updated"
        out.append((label, date))
        previous_end = at
    return tuple(out)


def stamp_start(text: str) -> int | None:
    """Where the first date in `text` starts, with the label or weekday written before it ("Published
    Monday, March 3, 2025"), or None when it has no date: "By Jane Doe, March 3, 2025" -> 12."""
    found = _found_dates(text) if _DIGIT.search(text) is not None else []
    if not found:
        return None
    start = found[0][0]
    weekday = _WEEKDAY_BEFORE.search(text, 0, start)
    if weekday is not None:
        start = weekday.start()
    labels = [m for m in _LABEL.finditer(text, 0, start) if not text[m.end() : start].strip(" :,-–—|•·on")]
    return labels[-1].start() if labels else start
