"""Speaker phrases that stand for someone else, or for no one: what `resolver.RESOLUTION_RULES` read.

An attribution gives a phrase ("the airline", "his statement", "the WHO", "Signs"); these pure
functions say what it stands for in the article: the organisation a generic noun means, the acronym's
full name, the person an organisation's statement quotes, or nobody (a section label, a date word,
an everyday word in capitals).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.lang import lexicon
from briefgen.lang.frequency import zipf_table

LEX = lexicon()
_EVERYDAY_ZIPF10 = 40  # an everyday word: "Signs", "Month", "Wait"
_SKIPPED_IN_INITIALS = LEX.small_words | LEX.name_particles | {"&"}  # "Bank of England" -> "BE"
_DEMONYMS_LOWER = frozenset(d.lower() for d in LEX.demonyms)


def is_no_speaker(phrase: str, *, description: bool = False) -> bool:
    """A phrase that names nobody: a section label in capitals ("MARKET VIEW") or a date word ("month",
    "the week"); and, for a name (not a `description`), a capitalised everyday word ("Signs", "Wait")
    or title words alone ("Former Secretary"). Asked only of phrases the article does not name as a
    person or organisation; "the minister" is a description that `speakers` resolves."""
    words = [w.strip(",.;:") for w in phrase.split()]
    words = [w for w in words if w]
    if words and words[0].lower() in ("the", "a", "an", "this", "that", "last", "next"):
        words = words[1:]
    if not words:
        return True
    if len(words) >= 2 and all(w.isupper() for w in words if any(c.isalpha() for c in w)):
        return True
    if all(w.lower() in LEX.date_words for w in words):
        return True
    if description:
        return False
    if all(w.lower().rstrip(".") in LEX.person_titles or w.lower() in _DEMONYMS_LOWER for w in words):
        return True
    word = words[0]
    return (
        len(words) == 1
        and word[:1].isupper()
        and word[1:].islower()
        and word not in LEX.given_names
        and zipf_table().get(word.lower(), 0) >= _EVERYDAY_ZIPF10
    )


def document_alone(phrase: str) -> bool:
    """ "the budget", "the headline": a text that stands for no one, so no speaker."""
    words = phrase.lower().split()
    return len(words) == 2 and words[0] in ("the", "a", "this", "that") and words[1] in LEX.mute_documents


def possessive_document(phrase: str) -> str | None:
    """ "his statement" -> "he", "her letter" -> "she", "its report" -> "it": whose document speaks."""
    words = phrase.lower().split()
    if len(words) < 2 or words[-1] not in LEX.documents:
        return None
    return {"his": "he", "her": "she", "its": "it", "their": "they"}.get(words[0])


def generic_organisation(phrase: str) -> bool:
    """ "the airline", "the firm", "the company": a noun that stands for an organisation named before."""
    words = phrase.lower().split()
    return len(words) == 2 and words[0] == "the" and words[1] in LEX.org_stand_ins


def initials(name: str) -> str:
    """ "World Health Organization" -> "WHO"; small words are skipped ("Bank of England" -> "BE")."""
    return "".join(w[0] for w in name.split() if w.lower() not in _SKIPPED_IN_INITIALS and w[:1].isupper())


def acronym_of(acronym: str, names: Sequence[str]) -> str | None:
    """The full name among `names` that the acronym stands for ("WHO" -> "World Health Organization")."""
    letters = acronym.replace(".", "")
    if not (2 <= len(letters) <= 8 and letters.isupper() and letters.isalpha()):
        return None
    for name in names:
        if " " in name and initials(name) == letters:
            return name
    return None


_QUOTING = re.compile(r"[^.;:!?“”\"]{0,60}?\b(?:quoting|citing)\s+((?:[A-Z][\w’'-]*\.?\s?){1,6})")


def quoted_name(text: str, end: int) -> str | None:
    """ "the harbour police said, quoting Sergeant Ilse Brandt": the name the organisation quotes."""
    match = _QUOTING.match(text, end)
    return match.group(1).strip(" .") if match else None
