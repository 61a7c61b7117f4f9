"""Datelines: the upper-case place an article was filed from, as in "BRUSSELS —" or "KYIV, Ukraine (AP) -"."""

from __future__ import annotations

import re

from briefgen.lang import lexicon
from briefgen.model import Dateline

LEX = lexicon()

_CAPS_WORD = r"[A-Z][A-Z.'’\-]*[A-Z.]|[A-Z]"
_PLACE = rf"(?:{_CAPS_WORD})(?:\s+(?:{_CAPS_WORD}))*"
_REGION_WORD = r"[A-Z][A-Za-z.'’\-]*"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    rf"""
    (?P<place>{_PLACE})
    (?:,\s*(?P<date>{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)
      |,\s*(?P<region>{_REGION_WORD}(?:\s+{_REGION_WORD}){{0,2}})
       (?:,\s*(?P<date2>{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?))?
    )?
    (?:\s*\((?P<agency>[A-Z][A-Za-z.&' ]{{0,30}})\))?
    (?:\s*(?P<dash>—|–|--|-))?\s+
    """,
    re.VERBOSE,
)
# News agencies whose bracketed name closes a dateline even without a dash ("WASHINGTON (CNN) The ..."),
# and the only ones read in lower-cased, tokenised copies ("sao paulo , brazil ( cnn ) police ...").
_AGENCIES = LEX.agencies
_LOWER_WORDS = r"[a-z][a-z.'’\-]*(?:\s+[a-z][a-z.'’\-]*){0,3}"
_LOWER_DATELINE = re.compile(
    rf"(?P<place>{_LOWER_WORDS}(?:\s*,\s*{_LOWER_WORDS}){{0,2}})\s*(?:\(|-lrb-)\s*(?P<agency>[a-z]+)\s*(?:\)|-rrb-)"
    r"(?:\s*(?:—|–|--|-))?\s+"
)
# Upper-case words that open ordinary sentences ("NATO — the alliance ...") rather than name a place; with
# an agency or a region after them they may still be one ("UNITED NATIONS (AP) —").
_ACRONYMS = LEX.caps_not_places
# Kickers, never places: "EXCLUSIVE — Roger Stone ...".
_KICKERS = LEX.kickers
_SMALL = LEX.place_small_words


def _display_word(word: str, first: bool) -> str:
    if not first and word.lower() in _SMALL:
        return word.lower()
    return re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize(), word, count=0)


def place_name(caps: str) -> str:
    """Display form of an upper-case place: "ST. PETERSBURG" -> "St. Petersburg"."""
    words = caps.split()
    return " ".join(_display_word(w, i == 0) for i, w in enumerate(words))


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """The dateline at the start of a paragraph, and the paragraph without it."""
    match = _DATELINE.match(paragraph)
    if match is None:
        return _lower_case_dateline(paragraph)
    if match.group("dash") is None and (match.group("agency") or "").lower() not in _AGENCIES:
        return None, paragraph  # no dash: only a news agency's name in brackets closes a dateline
    place = match.group("place")
    region = match.group("region")
    has_agency = match.group("agency") is not None
    if not any(c.isalpha() for c in place) or len(re.sub(r"[^A-Z]", "", place)) < 2:
        return None, paragraph
    if place in _KICKERS or (place in _ACRONYMS and not has_agency and region is None):
        return None, paragraph
    rest = paragraph[match.end() :]
    if not rest or not (rest[0].isalnum() or rest[0] in "\"“‘'(["):
        return None, paragraph
    display = place_name(place) + (f", {region}" if region else "")
    return Dateline(place=display, text=_as_written(paragraph, match.end())), rest


def _as_written(paragraph: str, end: int) -> str:
    """The dateline as the text writes it, without its closing dash."""
    return re.sub(r"\s*(?:—|–|--|-)$", "", paragraph[:end].rstrip())


def _lower_case_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """A lower-cased, tokenised dateline: "sao paulo , brazil ( cnn ) ...", "london -lrb- reuters -rrb- --"."""
    match = _LOWER_DATELINE.match(paragraph)
    if match is None or match.group("agency") not in _AGENCIES:
        return None, paragraph
    rest = paragraph[match.end() :]
    if not rest or not (rest[0].isalnum() or rest[0] in "\"“‘'(`"):
        return None, paragraph
    display = ", ".join(place_name(part) for part in match.group("place").split(","))
    return Dateline(place=display, text=_as_written(paragraph, match.end())), rest


# A news agency alone in brackets opening a paragraph: "(CNN) --", "( cnn ) the ...".
_AGENCY_ALONE = re.compile(r"\(\s*(?P<agency>[A-Za-z][\w .&'’-]{0,24}?)\s*\)\s*(?:--|—|–)?\s+")


def dateline_length(paragraph: str) -> int:
    """Characters of the wire dateline opening a paragraph, 0 if there is none: a place as
    `split_dateline` reads one, or a news agency alone in brackets ("(CNN) --")."""
    if not ("(" in paragraph or "—" in paragraph or "–" in paragraph or "-" in paragraph):
        return 0  # every form of dateline has a bracket or a dash
    dateline, rest = split_dateline(paragraph)
    if dateline is not None:
        return len(paragraph) - len(rest)
    match = _AGENCY_ALONE.match(paragraph)
    return match.end() if match and match.group("agency").lower() in _AGENCIES else 0
