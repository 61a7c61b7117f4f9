"""Mojibake repair: text that was UTF-8 once, read with a single-byte encoding and saved again
("wasnâ€™t" for "wasn’t"), put right by ftfy, once per article, where its bytes become text.

ftfy runs only on the lines that could hold mojibake (`_MAYBE`, a necessary condition derived from
what ftfy's encoding fix needs, checked against ftfy itself in tests/test_mojibake.py): a clean
article costs one regular-expression scan, and ftfy is not even imported for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ftfy import TextFixerConfig

# The single-byte encodings ftfy tries (ftfy.chardata.CHARMAP_ENCODINGS), by their Python codec, and
# the name a message shows. ftfy's "sloppy" codecs decode an undefined byte as its Latin-1 character.
_ENCODINGS = {
    "latin-1": ("latin-1", "Latin-1"),
    "sloppy-windows-1252": ("cp1252", "Windows-1252"),
    "sloppy-windows-1251": ("cp1251", "Windows-1251"),
    "sloppy-windows-1250": ("cp1250", "Windows-1250"),
    "sloppy-windows-1253": ("cp1253", "Windows-1253"),
    "sloppy-windows-1254": ("cp1254", "Windows-1254"),
    "sloppy-windows-1257": ("cp1257", "Windows-1257"),
    "iso-8859-2": ("iso-8859-2", "ISO 8859-2"),
    "macroman": ("mac-roman", "Mac OS Roman"),
    "cp437": ("cp437", "code page 437"),
}


def _chars(codec: str, first: int, last: int, *, sloppy: bool) -> set[str]:
    found: set[str] = set()
    for byte in range(first, last + 1):
        try:
            found.add(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            found.add(bytes([byte]).decode("latin-1"))
    if sloppy:
        found.add("\ufffd")  # what a sloppy codec makes of a byte that stood for a lost one (0x1A)
    return found


def _class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _maybe_pattern() -> re.Pattern[str]:
    """Where ftfy's encoding fix can change a line: a UTF-8 lead byte's character in some single-byte
    encoding followed by a continuation byte's (in any of them), or by the space, hyphen, '?' or lost
    byte that ftfy accepts in its place (not after Mac OS Roman's leads: ftfy does not there), or a C1
    control character (Latin-1 read for Windows-1252)."""
    leads: set[str] = set()
    continuations: set[str] = set()
    leads_not_mac: set[str] = set()
    for name, (codec, _) in _ENCODINGS.items():
        sloppy = name.startswith("sloppy")
        leads |= _chars(codec, 0xC0, 0xFF, sloppy=False)
        continuations |= _chars(codec, 0x80, 0xBF, sloppy=sloppy) | {"\x1a"}
        if name != "macroman":
            leads_not_mac |= _chars(codec, 0xC0, 0xFF, sloppy=False)
    return re.compile(
        f"{_class(leads)}{_class(continuations)}|{_class(leads_not_mac)}[ \\-?\x1a\ufffd]|[\x80-\x9f]"
    )


_MAYBE = _maybe_pattern()


@dataclass(frozen=True, slots=True, kw_only=True)
class Repair:
    """What `repair_mojibake` changed: every repaired line, and how the first one had been misread."""

    text: str
    lines: tuple[int, ...]  # 0-based indices of the repaired lines
    misread_as: str  # "Windows-1252", ...: the encoding the first repaired line had been read with
    example: tuple[str, str]  # the first repaired word(s), before and after


@cache
def _config() -> TextFixerConfig:
    """ftfy's encoding fix only: no quote uncurling, width folding, ligatures, HTML entities or
    normalisation, so that clean text is never changed (control characters are ours to report)."""
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )


# ftfy's plan for a line of Latin-1 with C1 controls: not mojibake but control characters (a terminal's
# CSI, a stray byte), which the reader removes and reports itself.
_C1_AS_WINDOWS_1252 = [("encode", "latin-1"), ("decode", "windows-1252")]


# "â€" before a space or the line's end: a closing quotation mark (E2 80 9D) whose last byte, which
# Windows-1252 has no character for, was lost. ftfy would read the space as a lost no-break space and
# make a dagger (E2 80 A0) of it; in pasted news it is the quotation mark.
_LOST_CLOSING_QUOTE = re.compile("â€(?= |$)")


def repair_line(line: str) -> tuple[str, str | None]:
    """A line with its mojibake repaired by ftfy, and the encoding it had been misread with (None when
    the line is unchanged; "" when ftfy does not say which)."""
    from ftfy import fix_encoding_and_explain

    prepared = _LOST_CLOSING_QUOTE.sub("â€\x9d", line)
    fixed, plan = fix_encoding_and_explain(prepared, _config())
    if prepared != line and "\x9d" in fixed:  # not read as a quotation mark after all
        fixed, plan = fix_encoding_and_explain(line, _config())
    if fixed == line or not plan or [tuple(step) for step in plan] == _C1_AS_WINDOWS_1252:
        return line, None
    first = plan[0]
    misread = _ENCODINGS.get(first[1], ("", ""))[1] if first[0] == "encode" else ""
    return fixed, misread


def repair_mojibake(text: str) -> Repair | None:
    """`text` with the mojibake in its lines repaired, or None when there is none (nearly always)."""
    if text.isascii() or _MAYBE.search(text) is None:
        return None
    lines = text.split("\n")
    repaired: list[int] = []
    misread_as = ""
    example = ("", "")
    for index, line in enumerate(lines):
        if line.isascii() or _MAYBE.search(line) is None:
            continue
        fixed, misread = repair_line(line)
        if misread is None:
            continue
        if not repaired:
            misread_as, example = misread, _changed_words(line, fixed)
        lines[index] = fixed
        repaired.append(index)
    if not repaired:
        return None
    return Repair(text="\n".join(lines), lines=tuple(repaired), misread_as=misread_as, example=example)


def _changed_words(before: str, after: str, limit: int = 40) -> tuple[str, str]:
    """The word holding the first change from `before` to `after`, as each writes it."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    while start > 0 and not before[start - 1].isspace():
        start -= 1
    return _word_from(before, start)[:limit], _word_from(after, start)[:limit]


def _word_from(text: str, start: int) -> str:
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]
