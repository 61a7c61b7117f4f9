"""URL path segments from titles, tags, names and file names."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import PurePosixPath


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A URL path segment: lower-case words joined by '-', accents folded, other scripts kept."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = re.findall(r"\w+", folded.lower())
    return "-".join(words)[:80].strip("-") or "untitled"


def slug_for(rel_path: str) -> str:
    """A briefing's slug: its file name without the extension."""
    return slugify(PurePosixPath(rel_path).stem)
