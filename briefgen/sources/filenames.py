"""What a content file's name says of its article: a title made of its words, or nothing at all."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from briefgen.lang import lexicon

_LEADING_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[-_ ]*")
_SLUG_WORDS = re.compile(r"[-_\s]+")
_TOKEN = re.compile(r"[^\W_]+")  # letters and digits, split at everything else
_LETTERS = re.compile(r"[^\W\d_]+")
_HEX = re.compile(r"[0-9a-f]+", re.IGNORECASE)
_VOWELS = frozenset("aeiouy")
_FILE_LABELS = lexicon().file_labels


def name_stem(rel_path: str) -> str:
    """The file name without its extension and without a leading date: '2025-02-13-nato-talks'."""
    return _LEADING_DATE.sub("", PurePosixPath(rel_path).stem)


def title_from_name(rel_path: str) -> str:
    """'2025-02-13-nato-talks.txt' -> 'Nato talks'."""
    words = [w for w in _SLUG_WORDS.split(name_stem(rel_path)) if w]
    if not words:
        return PurePosixPath(rel_path).stem
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def is_identifier(stem: str) -> bool:
    """Is this file-name stem (its leading date taken off) an identifier rather than words?

    It is when no piece of it is a word. The stem is cut into runs of letters and digits; a run of hex
    digits holding a digit ('e1ac3629cfe7b588', a UUID's pieces) is a hash, never words. In the other
    runs, a word is a stretch of three or more letters with a vowel (any letter outside ASCII counts as
    one, so other scripts keep their names) that is not a generic file label ('article', 'scan', 'img':
    `lang/en/file_labels.txt`). So '000_e1ac3629cfe7b588', '12345', 'article-12345', 'scan0001',
    'IMG_2034' and a UUID are identifiers; 'nato-talks', 'hegseth' and 'brexit2' are not.
    """
    tokens = _TOKEN.findall(stem)
    if tokens and all(_HEX.fullmatch(t) for t in tokens) and any(c.isdigit() for c in stem):
        return True  # a hash or UUID, its all-letter pieces ("cafe", "beef") included
    for token in tokens:
        if _HEX.fullmatch(token) and any(c.isdigit() for c in token):
            continue
        for run in _LETTERS.findall(token):
            folded = run.casefold()
            if len(run) < 3 or folded in _FILE_LABELS:
                continue
            if not folded.isascii() or _VOWELS.intersection(folded):
                return False
    return True
