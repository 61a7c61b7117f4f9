"""Dates as people write them in front matter and file names."""

from __future__ import annotations

import datetime as dt
import re

_ISO_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def parse_date(value: str) -> dt.date | None:
    """An ISO date or date-time (`2025-02-13`, `2025-02-13T10:00:00Z`) as a date, else None."""
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def date_in_name(name: str) -> dt.date | None:
    """The first valid `YYYY-MM-DD` in a file name."""
    for m in _ISO_IN_NAME.finditer(name):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
    return None
