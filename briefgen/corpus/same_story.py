"""The same-story decision: the probability that two articles report the same event.

A logistic model over a handful of interpretable pieces of evidence, each a function of the two
articles' `StoryFeatures` alone (so a pair's probability never depends on the rest of the corpus):

- `log_cosine`: ln of the cosine of their background-IDF term vectors (floored at COSINE_FLOOR);
- `names`: how much of the people, organisations and places they name they share (mention-weighted);
- `title`: the share of title terms in common (cosine of the title term sets);
- `same_year` / `other_year`: both have a year (the date's, or the latest year the text names) and it
  is the same / differs: the same kind of event in another year is another story;
- `month` / `weekday`: +1 when both name months (days of the week) and share one, -1 when they name
  only different ones, 0 when one names none; `figures`: the same for the figures they give;
- `same_days`: both are dated, at most NEAR_DAYS apart; `days_apart`: ln(1 + days beyond that);
- `speakers`: people quoted by both (up to 2).

The weights were fitted by `benchmarks/fit_same_story.py` (iteratively reweighted least squares, a
little L2) on the candidate pairs of one half of the ECB+ events, split by topic so that each event's
same-kind twin falls in the same half; the figures on the other half are in that script's output
and the commit that set them. A pair is the same story when its probability reaches THRESHOLD.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from briefgen.corpus.story_features import term_hash
from briefgen.model import StoryFeatures

THRESHOLD = 0.5  # a calibrated probability: a link is shown when the same story is more likely than not
COSINE_FLOOR = 0.05  # below this cosine two articles share only everyday words: never a candidate
NEAR_DAYS = 2  # reports of one event this close in time count as the same news cycle
WINDOW_DAYS = 30  # dated articles further apart are never compared (a story's next report is sooner)

TOP_NAMES = 4  # an article's main names: those `unshared` looks for in the other article

# (intercept, log_cosine, names, unshared, title, year, month, weekday, figures, same_days, days_apart, speakers, quotes)
WEIGHTS = (5.236, 2.877, 0.0, -2.115, 0.0, 1.023, 0.460, 0.471, 0.682, 0.745, 0.0, 1.285, 1.889)


@dataclass(frozen=True, slots=True)
class Evidence:
    """The pieces of evidence about one pair, as the model weighs them."""

    log_cosine: float
    names: float
    unshared: float
    title: float
    year: float
    month: float
    weekday: float
    figures: float
    same_days: float
    days_apart: float
    speakers: float
    quotes: float

    def as_tuple(self) -> tuple[float, ...]:
        return (
            self.log_cosine,
            self.names,
            self.unshared,
            self.title,
            self.year,
            self.month,
            self.weekday,
            self.figures,
            self.same_days,
            self.days_apart,
            self.speakers,
            self.quotes,
        )


@dataclass(frozen=True, slots=True)
class Side:
    """One article's features in the shapes pair scoring reads (made once per article, not per pair)."""

    features: StoryFeatures
    names: Mapping[str, int]  # name -> mentions
    name_total: float  # sqrt of all mentions
    main_names: tuple[tuple[str, int, int, int], ...]  # (name, mentions, its hash, its last word's hash)
    terms: frozenset[int]  # term hashes
    title_terms: frozenset[bytes]
    figures: frozenset[int]
    quotes: frozenset[int]
    speakers: frozenset[str]


def side_of(features: StoryFeatures) -> Side:
    counts = dict(zip(features.names, features.name_counts, strict=True))
    raw = features.title_terms
    who = [
        (n, c)
        for n, c, kind in zip(features.names, features.name_counts, features.name_kinds, strict=True)
        if kind != "l"
    ]
    main = tuple(
        (name, count, term_hash(name), term_hash(name.rsplit(" ", 1)[-1])) for name, count in who[:TOP_NAMES]
    )
    return Side(
        features=features,
        names=counts,
        name_total=math.sqrt(sum(counts.values())),
        main_names=main,
        terms=frozenset(np.frombuffer(features.terms, dtype="<i8").tolist()),
        title_terms=frozenset(raw[i : i + 8] for i in range(0, len(raw), 8)),
        figures=frozenset(np.frombuffer(features.numbers, dtype="<u4").tolist()),
        quotes=frozenset(np.frombuffer(features.quotes, dtype="<u4").tolist()),
        speakers=frozenset(features.speakers),
    )


def _unshared(a: Side, b: Side) -> float:
    """The share of a's main-name mentions for names b neither names nor has among its terms."""
    total = missing = 0
    for name, count, whole, last in a.main_names:
        total += count
        if name not in b.names and whole not in b.terms and last not in b.terms:
            missing += count
    return missing / total if total else 0.0


def _agreement(a: int | None, b: int | None, *, masks: bool = False) -> float:
    """+1 when both are known and agree (masks: share a bit), -1 when they differ, 0 when one is unknown."""
    if not a or not b:
        return 0.0
    same = bool(a & b) if masks else a == b
    return 1.0 if same else -1.0


def evidence(a: Side, b: Side, cosine: float) -> Evidence:
    """The evidence that `a` and `b` report the same story, given their term cosine."""
    shared = a.names.keys() & b.names.keys()
    names = 0.0
    if shared and a.name_total and b.name_total:
        names = math.fsum(math.sqrt(a.names[n] * b.names[n]) for n in shared) / (a.name_total * b.name_total)
    title = 0.0
    if a.title_terms and b.title_terms:
        title = len(a.title_terms & b.title_terms) / math.sqrt(len(a.title_terms) * len(b.title_terms))
    fa, fb = a.features, b.features
    same_days = days_apart = 0.0
    if fa.date is not None and fb.date is not None:
        gap = abs((fa.date - fb.date).days)
        same_days = 1.0 if gap <= NEAR_DAYS else 0.0
        days_apart = math.log1p(max(0, gap - NEAR_DAYS))
    return Evidence(
        log_cosine=math.log(max(cosine, COSINE_FLOOR)),
        names=names,
        unshared=max(_unshared(a, b), _unshared(b, a)),
        title=title,
        year=_agreement(fa.year, fb.year),
        month=_agreement(fa.months, fb.months, masks=True),
        weekday=_agreement(fa.weekdays, fb.weekdays, masks=True),
        figures=(1.0 if a.figures & b.figures else -1.0) if a.figures and b.figures else 0.0,
        same_days=same_days,
        days_apart=days_apart,
        speakers=float(min(2, len(a.speakers & b.speakers))),
        quotes=1.0 if a.quotes & b.quotes else 0.0,
    )


def probability(found: Evidence, weights: tuple[float, ...] = WEIGHTS) -> float:
    """The model's probability that the pair is the same story."""
    z = weights[0] + math.fsum(w * x for w, x in zip(weights[1:], found.as_tuple(), strict=True))
    if z < -30.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def dates_allow(a: StoryFeatures, b: StoryFeatures) -> bool:
    """False when both are dated more than WINDOW_DAYS apart: then they are never compared."""
    return a.date is None or b.date is None or abs((a.date - b.date).days) <= WINDOW_DAYS
