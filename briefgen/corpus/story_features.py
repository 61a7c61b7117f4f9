"""One article's evidence for the same-story decision, as a compact `StoryFeatures`.

A pure function of the article's title, text, date and analysis, so the build makes it in its
parallel, cached per-article stage and the whole-corpus stage keeps only this. The term vector is the
related-links one (`similarity.term_weights`: background-IDF weights, independent of the corpus), cut
to its `TERMS_KEPT` heaviest terms, which carry nearly all of an article's cosine with another, and
packed as hashes and 16-bit weights.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from briefgen.corpus.similarity import term_weights
from briefgen.model import Analysis, Briefing, Entity, StoryFeatures, TermWeights

TERMS_KEPT = 64  # heaviest terms kept per article
WEIGHT_UNIT = 65535  # a unit vector's largest possible weight, so weights fit in uint16
NAMES_KEPT = 16  # most mentioned names that main names are chosen from
NAME_HASHES_KEPT = 64  # names another article's main names are looked for among
KEYWORDS_KEPT = 8
_YEAR = re.compile(r"(?<![\d.,])(1[89]\d\d|20\d\d)(?![\d.,]\d)")
_WEEKDAY = re.compile(r"\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
_WEEKDAYS = {"Mon": 0, "Tues": 1, "Wednes": 2, "Thurs": 3, "Fri": 4, "Satur": 5, "Sun": 6}
# Months written out, or abbreviated with a full stop or before a day number ("Dec. 14", "Jan 5"; not
# "Jan" the name); "May" only before a day number, as "may" is also a verb.
_MONTH = re.compile(
    r"\b(?:(January|February|March|April|June|July|August|September|October|November|December)"
    r"|(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)t?(?:\.|(?=\s+\d))|May(?=\s+\d))(?![a-z])"
)
# A figure as written: "35", "4.4", "2,500" (commas dropped); not part of a word, a date or a version
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\w|[.,]\d)")
_YEARLIKE = re.compile(r"(?:18|19|20)\d\d")
NUMBERS_KEPT = 24
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}


@functools.lru_cache(maxsize=1 << 18)
def term_hash(term: str) -> int:
    """A stable 63-bit hash of a term (the same in every process and run, unlike `hash`)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little") >> 1


def normalise_name(name: str) -> str:
    """'Pete  Hegseth' -> 'pete hegseth': how names are compared across articles."""
    return " ".join(name.casefold().split())


def mentioned_year(text: str, *, not_after: int | None = None) -> int | None:
    """The latest year (1800-2099) the text mentions, not after `not_after`; None when it names none.

    News mentions past years far more than future ones, so the latest year named is a fair guess at
    when an undated article was written ("in December 2008"; "since 1999").
    """
    found = [int(y) for y in _YEAR.findall(text)]
    if not_after is not None:
        found = [y for y in found if y <= not_after]
    return max(found, default=None)


def named_weekdays(text: str) -> int:
    """The days of the week a text names ("on Tuesday"), as a bit mask: when the event happened."""
    mask = 0
    for day in _WEEKDAY.findall(text):
        mask |= 1 << _WEEKDAYS[day]
    return mask


def named_months(text: str) -> int:
    """The months a text names ("December 9", "Dec. 14"), as a bit mask."""
    mask = 0
    for match in _MONTH.finditer(text):
        mask |= 1 << _MONTHS[match.group()[:3]]
    return mask


def named_figures(text: str) -> bytes:
    """The figures a text gives (a death toll, a magnitude, a sum), as sorted CRC-32s: reports of one event
    share some, a same-kind event elsewhere has its own. Years and the numbers 0-12 (counts, dates,
    times of day that any story has) are left out."""
    found: set[int] = set()
    for raw in _NUMBER.findall(text):
        figure = raw.replace(",", "")
        if _YEARLIKE.fullmatch(figure) or ("." not in figure and int(figure) <= 12):
            continue
        found.add(zlib.crc32(figure.encode()))
        if len(found) == NUMBERS_KEPT:
            break
    return np.asarray(sorted(found), dtype="<u4").tobytes()


QUOTE_WORDS = 6  # words of a quote that identify it across outlets (which may cut or end it differently)
_WORD = re.compile(r"[^\W_]+")


def quote_prints(quotes: Sequence[str]) -> bytes:
    """CRC-32s of each quote's first QUOTE_WORDS words, lower-cased: outlets that carry one statement
    quote the same words. Quotes shorter than that are too common ("no comment") and left out."""
    found: set[int] = set()
    for text in quotes:
        words = _WORD.findall(text.casefold())
        if len(words) >= QUOTE_WORDS:
            found.add(zlib.crc32(" ".join(words[:QUOTE_WORDS]).encode()))
    return np.asarray(sorted(found), dtype="<u4").tobytes()


MAIN_NAMES = 4  # an article's main names: those another report of its story names too


def _hash_set(values: Iterable[str]) -> bytes:
    return np.asarray(sorted({term_hash(v) for v in values}), dtype="<i8").tobytes()


def _main_names(entities: Sequence[Entity]) -> bytes:
    """(hash of the name, hash of its last word, mentions) of the MAIN_NAMES most mentioned names."""
    triples: list[int] = []
    for entity in entities[:MAIN_NAMES]:
        name = normalise_name(entity.name)
        triples += [term_hash(name), term_hash(name.rsplit(" ", 1)[-1]), entity.count]
    return np.asarray(triples, dtype="<i8").tobytes()


def pack_terms(weights: Sequence[tuple[str, int]]) -> tuple[bytes, bytes]:
    """The heaviest TERMS_KEPT terms as (hashes, uint16 weights), renormalised, sorted by hash."""
    heaviest = sorted(weights, key=lambda pair: (-pair[1], pair[0]))[:TERMS_KEPT]
    norm = math.sqrt(math.fsum(float(w) * w for _, w in heaviest)) or 1.0
    by_hash: dict[int, int] = {}
    for term, weight in heaviest:
        q = round(weight / norm * WEIGHT_UNIT)
        if q > 0:
            h = term_hash(term)
            by_hash[h] = max(by_hash.get(h, 0), q)  # a (vanishingly rare) collision keeps one weight
    order = sorted(by_hash)
    hashes = np.asarray(order, dtype="<i8")
    packed = np.asarray([by_hash[h] for h in order], dtype="<u2")
    return hashes.tobytes(), packed.tobytes()


def story_features(
    *,
    id: str,
    title: str,
    paragraphs: Sequence[str],
    date: dt.date | None,
    analysis: Analysis,
    terms: TermWeights | None = None,
) -> StoryFeatures:
    """The article's `StoryFeatures`; `terms`, when given, must be `term_weights(title, text)`.

    `date`: the publication date when it is known (not a file's modification time).
    """
    text = "\n\n".join(paragraphs)
    if terms is None:
        terms = term_weights(title, text)
    hashes, weights = pack_terms(terms.weights)
    names = analysis.entities[:NAMES_KEPT]  # most mentioned first
    whole = f"{title}\n{text}"
    year = date.year if date is not None else mentioned_year(whole)
    return StoryFeatures(
        id=id,
        date=date,
        year=year,
        weekdays=named_weekdays(whole),
        months=named_months(whole),
        numbers=named_figures(whole),
        terms=hashes,
        weights=weights,
        quotes=quote_prints([q.text for q in analysis.quotes]),
        speakers=_hash_set(normalise_name(q.speaker) for q in analysis.quotes if q.speaker),
        name_hashes=_hash_set(normalise_name(e.name) for e in analysis.entities[:NAME_HASHES_KEPT]),
        main_names=_main_names(names),
        keywords=tuple(k.term for k in analysis.keywords[:KEYWORDS_KEPT]),
    )


def features_of_briefing(briefing: Briefing) -> StoryFeatures:
    """`story_features` of a briefing as the build makes it (a modification-time date counts as unknown)."""
    document = briefing.document
    meta = document.meta
    return story_features(
        id=briefing.slug,
        title=meta.title,
        paragraphs=[p.text for p in document.paragraphs],
        date=None if meta.date_inferred_from == "modified time" else meta.date,
        analysis=briefing.analysis,
        terms=briefing.terms,
    )


@dataclass(frozen=True, slots=True)
class Vector:
    """A feature's term vector unpacked for arithmetic."""

    hashes: npt.NDArray[np.int64]
    weights: npt.NDArray[np.int64]


def vector_of(features: StoryFeatures) -> Vector:
    return Vector(
        hashes=np.frombuffer(features.terms, dtype="<i8").astype(np.int64),
        weights=np.frombuffer(features.weights, dtype="<u2").astype(np.int64),
    )
