"""The same-story decision: the probability that two articles report the same event.

A logistic model over a handful of interpretable pieces of evidence, each a function of the two
articles' `StoryFeatures` alone (so a pair's probability never depends on the rest of the corpus):

- `log_cosine`: ln of the cosine of their background-IDF term vectors (floored at COSINE_FLOOR);
- `unshared`: the share of one article's main names (by mentions; people by surname) that the other
  never writes (the larger of the two directions): a boxer's other opponent, another town;
- `year`: +1 when both have a year (the date's, or the latest year the text names) and it is the same,
  -1 when it differs: the same kind of event in another year is another story; 0 when one has none,
  and 0 when both are dated (the date window has decided: two dated candidates are days apart);
- `month` / `weekday`: the same for the months and days of the week they name (agreeing when they
  share one), and `figures` for the figures they give (a toll, a magnitude, a sum);
- `same_days`: both are dated, at most NEAR_DAYS apart; `days_apart`: ln(1 + days beyond that);
- `speakers`: people quoted by both (up to 2); `quotes`: a quotation both carry (its first words);
- `figures_jaccard` / `figures_unshared`: when both give figures, the share of all their figures that
  they have in common, and the larger share of one article's figures that the other never gives. A
  same-kind event elsewhere has its own toll, score, magnitude or sum (4.4 beside 4.6).

The weights were fitted by `benchmarks/fit_same_story.py` (iteratively reweighted least squares, a
little L2, each weight held to the sign its evidence must have) on the candidate pairs of reader-like
draws from one half of the ECB+ events, split by topic so that each event's same-kind twin falls in
the same half; the figures on the other half are in that script's output and the commit that set
them. A pair is the same story when its probability reaches THRESHOLD.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from briefgen.model import StoryFeatures

# A calibrated probability, and a decision: a link or a story shown is a claim "same story", a link left out
# is silent, so the claim waits for 3 to 2 odds rather than even ones. Chosen on draws of the fitting half
# (benchmarks/story_draws.py): the lowest threshold whose reader-like collections leave 90% of lonely
# articles alone; on the held-out half it gives link precision 0.95 at link recall 0.79 (0.93 at 0.85
# with 0.5).
THRESHOLD = 0.6
COSINE_FLOOR = 0.05  # the log-cosine evidence stops here; the model was fitted on pairs at or above it
NEAR_DAYS = 2  # reports of one event this close in time count as the same news cycle
WINDOW_DAYS = 30  # dated articles further apart are never compared (a story's next report is sooner)

# (intercept, log_cosine, unshared, year, month, weekday, figures, same_days, days_apart, speakers, quotes,
#  figures_jaccard, figures_unshared)
WEIGHTS = (5.498, 2.844, -2.063, 0.91, 0.402, 0.477, 0.188, 0.0, 0.0, 1.363, 1.782, 4.388, -0.972)


@dataclass(frozen=True, slots=True)
class Evidence:
    """The pieces of evidence about one pair, as the model weighs them."""

    log_cosine: float
    unshared: float
    year: float
    month: float
    weekday: float
    figures: float
    same_days: float
    days_apart: float
    speakers: float
    quotes: float
    figures_jaccard: float
    figures_unshared: float

    def as_tuple(self) -> tuple[float, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)


class PairBlock:
    """The evidence about many pairs (query row, index row) of one join chunk, as arrays.

    Set overlaps (figures, quotes, speakers) are sparse products over hashed values, so a
    chunk costs a few matrix products rather than a Python loop per pair; every value is an exact
    integer or a ratio of integers, the same whichever chunk a pair is scored in.
    """

    def __init__(
        self,
        queries: Sequence[StoryFeatures],
        index: Sequence[StoryFeatures],
        rows: npt.NDArray[np.int64],
        cols: npt.NDArray[np.int64],
    ) -> None:
        self.rows, self.cols = rows, cols
        a = _per_article(queries)
        b = _per_article(index)
        self.month = _agree(a.months[rows], b.months[cols], masks=True)
        self.weekday = _agree(a.weekdays[rows], b.weekdays[cols], masks=True)
        both_dated = (a.ordinal[rows] > 0) & (b.ordinal[cols] > 0)
        self.year = np.where(both_dated, 0.0, _agree(a.year[rows], b.year[cols], masks=False))
        gap = np.abs(a.ordinal[rows] - b.ordinal[cols])
        self.same_days = (both_dated & (gap <= NEAR_DAYS)).astype(np.float64)
        self.days_apart = np.where(both_dated, np.log1p(np.maximum(0, gap - NEAR_DAYS)), 0.0)
        shared_figures = _shared([f.numbers for f in queries], [f.numbers for f in index], rows, cols, "<u4")
        count_a = np.array([len(f.numbers) // 4 for f in queries], dtype=np.int64)[rows]
        count_b = np.array([len(f.numbers) // 4 for f in index], dtype=np.int64)[cols]
        both = (count_a > 0) & (count_b > 0)
        self.figures = np.where(both, np.where(shared_figures > 0, 1.0, -1.0), 0.0)
        union = np.maximum(count_a + count_b - shared_figures, 1)
        self.figures_jaccard = np.where(both, shared_figures / union, 0.0)
        only_a = (count_a - shared_figures) / np.maximum(count_a, 1)
        only_b = (count_b - shared_figures) / np.maximum(count_b, 1)
        self.figures_unshared = np.where(both, np.maximum(only_a, only_b), 0.0)
        self.quotes = (
            _shared([f.quotes for f in queries], [f.quotes for f in index], rows, cols, "<u4") > 0
        ) * 1.0
        spoken = _shared([f.speakers for f in queries], [f.speakers for f in index], rows, cols, "<i8")
        self.speakers = np.minimum(2, spoken).astype(np.float64)
        self.unshared = np.maximum(
            _unshared(queries, index, rows, cols), _unshared(index, queries, cols, rows)
        )

    def evidence(self, i: int, cosine: float) -> Evidence:
        """The evidence about the i-th pair, whose cosine is given."""
        return Evidence(
            math.log(max(cosine, COSINE_FLOOR)),
            *(float(column[i]) for column in self._columns()),
        )

    def logits(self, cosines: Sequence[float]) -> npt.NDArray[np.float64]:
        """Every pair's logit: the same sums, in the same order, as `logit` of one pair's evidence, so
        each is the same double whichever chunk (of any size) the pair is scored in."""
        w = WEIGHTS
        log_cosine = np.array([math.log(max(c, COSINE_FLOOR)) for c in cosines], dtype=np.float64)
        z = w[0] + w[1] * log_cosine
        for weight, values in zip(w[2:], self._columns(), strict=True):
            z = z + weight * values
        return np.asarray(z, dtype=np.float64)

    def _columns(self) -> tuple[npt.NDArray[Any], ...]:
        return (
            self.unshared, self.year, self.month, self.weekday, self.figures, self.same_days, self.days_apart,
            self.speakers, self.quotes, self.figures_jaccard, self.figures_unshared,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Articles:
    year: npt.NDArray[np.int64]
    months: npt.NDArray[np.int64]
    weekdays: npt.NDArray[np.int64]
    ordinal: npt.NDArray[np.int64]  # 0 when undated


def _per_article(features: Sequence[StoryFeatures]) -> _Articles:
    return _Articles(
        year=np.array([f.year or 0 for f in features], dtype=np.int64),
        months=np.array([f.months for f in features], dtype=np.int64),
        weekdays=np.array([f.weekdays for f in features], dtype=np.int64),
        ordinal=np.array([f.date.toordinal() if f.date else 0 for f in features], dtype=np.int64),
    )


def _agree(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], *, masks: bool) -> npt.NDArray[np.float64]:
    """+1 where both are known and agree (masks: share a bit), -1 where they differ, 0 where one is 0."""
    known = (a != 0) & (b != 0)
    same = (a & b) != 0 if masks else a == b
    return np.where(known, np.where(same, 1.0, -1.0), 0.0)


def _csr(
    sets: Sequence[bytes], dtype: str, columns: npt.NDArray[np.intp], width: int, data: Any = None
) -> Any:
    import scipy.sparse as sp  # type: ignore[import-untyped]

    size = np.dtype(dtype).itemsize
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum([len(s) // size for s in sets], out=indptr[1:])
    values = np.ones(len(columns), dtype=np.int64) if data is None else data
    return sp.csr_matrix((values, columns, indptr), shape=(len(sets), width))


def _shared(
    left: Sequence[bytes],
    right: Sequence[bytes],
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    dtype: str,
) -> npt.NDArray[np.int64]:
    """How many values each pair's two sets share (sets packed as sorted, distinct `dtype` values)."""
    joined_left = b"".join(left)
    values = np.frombuffer(joined_left + b"".join(right), dtype=dtype)
    if not len(values) or not len(rows):
        return np.zeros(len(rows), dtype=np.int64)
    unique, columns = np.unique(values, return_inverse=True)
    split = len(joined_left) // np.dtype(dtype).itemsize
    product = (
        _csr(left, dtype, columns[:split], len(unique)) @ _csr(right, dtype, columns[split:], len(unique)).T
    ).tocsr()
    return np.asarray(product[rows, cols], dtype=np.int64).ravel()


def _unshared(
    left: Sequence[StoryFeatures],
    right: Sequence[StoryFeatures],
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """Per pair, the share of the left article's main-name mentions for names the right one never
    writes: neither the name (among its names or heaviest terms) nor its last word (among its terms).

    Each (right article, value) becomes one sortable integer, so every membership test of every pair
    is one `searchsorted` over the chunk's sorted presence keys."""
    if not len(rows):
        return np.zeros(0, dtype=np.float64)
    mains = np.frombuffer(b"".join([f.main_names for f in left]), dtype="<i8").reshape(-1, 3)
    counts = np.array([len(f.main_names) // 24 for f in left], dtype=np.int64)
    first = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    totals = np.bincount(np.repeat(np.arange(len(left)), counts), weights=mains[:, 2], minlength=len(left))
    terms = np.frombuffer(b"".join([f.terms for f in right]), dtype="<i8")
    names = np.frombuffer(b"".join([f.name_hashes for f in right]), dtype="<i8")
    unique, columns = np.unique(np.concatenate((mains[:, 0], mains[:, 1], terms, names)), return_inverse=True)
    width = np.int64(len(unique))
    whole_col, last_col = columns[: len(mains)], columns[len(mains) : 2 * len(mains)]
    at = 2 * len(mains)
    term_owner = np.repeat(np.arange(len(right), dtype=np.int64), [len(f.terms) // 8 for f in right])
    name_owner = np.repeat(np.arange(len(right), dtype=np.int64), [len(f.name_hashes) // 8 for f in right])
    in_terms = np.sort(term_owner * width + columns[at : at + len(terms)])
    in_names = np.sort(np.concatenate((in_terms, name_owner * width + columns[at + len(terms) :])))
    missing = np.zeros(len(rows), dtype=np.int64)
    for k in range(int(counts.max(initial=0))):
        has = counts[rows] > k
        entry = first[rows[has]] + k
        base = cols[has] * width
        found = _holds(in_names, base + whole_col[entry]) | _holds(in_terms, base + last_col[entry])
        missing[has] += np.where(found, 0, mains[entry, 2])
    total = totals[rows]
    return np.where(total > 0, missing / np.maximum(total, 1), 0.0)


def _holds(sorted_keys: npt.NDArray[np.int64], wanted: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    at = np.minimum(np.searchsorted(sorted_keys, wanted), max(len(sorted_keys) - 1, 0))
    if not len(sorted_keys):
        return np.zeros(len(wanted), dtype=bool)
    return np.asarray(sorted_keys[at] == wanted)


def logit(found: Evidence, weights: tuple[float, ...] = WEIGHTS) -> float:
    """The model's log-odds that the pair is the same story (summed in a fixed order: see `PairBlock`)."""
    values = found.as_tuple()
    z = weights[0] + weights[1] * values[0]
    for weight, value in zip(weights[2:], values[1:], strict=True):
        z = z + weight * value
    return z


def probability(found: Evidence, weights: tuple[float, ...] = WEIGHTS) -> float:
    """The model's probability that the pair is the same story."""
    return from_logit(logit(found, weights))


def from_logit(z: float) -> float:
    return 0.0 if z < -30.0 else 1.0 / (1.0 + math.exp(-z))


def dates_allow(a: StoryFeatures, b: StoryFeatures) -> bool:
    """False when both are dated more than WINDOW_DAYS apart: then they are never compared."""
    return a.date is None or b.date is None or abs((a.date - b.date).days) <= WINDOW_DAYS
