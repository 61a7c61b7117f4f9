"""Words: the one tokeniser every analyser shares.

A word is a run of letters and digits, with apostrophes inside it ("don't", "Kyiv’s", "o'neill");
hyphens, underscores and every other character split words. Words keep the case and the apostrophe
they are written with; each user folds them as it needs (`lower_words` for the summariser, terms for
related links strip a possessive as well).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of `text`, in order, as written."""
    return _WORD.findall(text)


def lower_words(written: Sequence[str]) -> list[str]:
    """Words lower-cased, with curly apostrophes made straight."""
    if not written:
        return []
    return " ".join(written).lower().replace("’", "'").split(" ")
