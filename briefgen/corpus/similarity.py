"""Article vectors and first-order similarity, exact in integers.

Each article becomes a sparse vector of background-IDF-weighted terms (`background.term_idf`),
L2-normalised and quantised to integers (`SCALE` per unit). A dot product of two such vectors is an
integer, so it is the same bit for bit whichever way it is summed: by the inverted index that the
incremental `RelatedIndex` uses, or by the sparse matrix product that links a whole corpus.
That is what makes "incremental equals full recompute" hold exactly, not just nearly.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

from briefgen.lang import memo
from briefgen.lang.frequency import MAX_IDF, term_idf, word_idf_table
from briefgen.model import TermWeights
from briefgen.text.terms import TermCounts, article_terms

# numpy is imported lazily, from here; its BLAS thread pool would serve nothing (the products are sparse
# integer ones) and would make the build's later forks (render workers) fork a multi-threaded process.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

SCALE = 1 << 16  # integer units per 1.0 of a normalised weight
SCORE_UNIT = SCALE * SCALE  # a dot product of two vectors, in the same units
_SCALE = float(SCALE)
PAIRS = "names"
TOP_TERMS = 40


@dataclass(frozen=True, slots=True)
class Profile:
    """What the linker keeps of one article."""

    id: str
    date: dt.date | None
    weights: Mapping[str, int]  # term -> quantised weight (> 0), in first-seen order
    surface: Mapping[str, str]  # term -> display form
    names: frozenset[str]  # lower-cased people, places, organisations from the entity stage
    top_terms: tuple[str, ...]  # the TOP_TERMS heaviest terms, heaviest first (ties: text order)


def _growth(count: float) -> float:
    return 1.0 + math.log(count)


def _idf(term: str) -> float:
    return word_idf_table().get(term, MAX_IDF) if " " not in term else term_idf(term)


_GROWTH = memo("similarity.growth", limit=10_000, compute=_growth)  # counts are few distinct values
_TERM_IDF = memo("similarity.idf", limit=1_000_000, compute=_idf)


def term_weights(title: str, text: str) -> TermWeights:
    """The article's L2-normalised, quantised term vector: all of a profile that needs the text."""
    return weights_of(article_terms(title, text, pairs=PAIRS))


def weights_of(terms: TermCounts) -> TermWeights:
    """`term_weights` from the article's counts (`article_terms(title, text, pairs=PAIRS)`)."""
    growth, idf = _GROWTH, _TERM_IDF
    raw = {term: growth[count] * idf[term] for term, count in terms.counts.items()}
    norm = math.sqrt(math.fsum(w * w for w in raw.values())) or 1.0
    weights = {term: q for term, w in raw.items() if (q := round(w / norm * _SCALE)) > 0}
    return TermWeights(
        weights=tuple(weights.items()),
        surface=tuple((term, shown) for term, shown in terms.surface.items() if term in weights),
        top_terms=tuple(sorted(weights, key=weights.__getitem__, reverse=True)[:TOP_TERMS]),
    )


def make_profile(
    id: str,
    title: str,
    text: str,
    *,
    date: dt.date | None = None,
    names: Sequence[str] = (),
    terms: TermWeights | None = None,
) -> Profile:
    """`terms`, when given, must be `term_weights(title, text)` (computed earlier, e.g. by the analysis)."""
    if terms is None:
        terms = term_weights(title, text)
    return Profile(
        id=id,
        date=date,
        weights=dict(terms.weights),
        surface=dict(terms.surface),
        names=frozenset(" ".join(name.lower().split()) for name in names),
        top_terms=terms.top_terms,
    )


def dot(a: Mapping[str, int], b: Mapping[str, int]) -> int:
    """Integer similarity of two profiles' weights (cosine × SCORE_UNIT, up to quantisation)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def top_candidates(scores: Mapping[str, int], *, min_score: int, limit: int) -> tuple[tuple[int, str], ...]:
    """The best `limit` (score, id) pairs at or above `min_score`: highest score first, then id."""
    kept = [(s, j) for j, s in scores.items() if s >= min_score]
    kept.sort(key=lambda pair: (-pair[0], pair[1]))
    return tuple(kept[:limit])


def all_candidates(
    profiles: Sequence[Profile], *, min_score: int, limit: int, block: int | None = None
) -> dict[str, tuple[tuple[int, str], ...]]:
    """`top_candidates` of every profile against all the others, as one chunked sparse product.

    Each block of rows is multiplied by itself and the rows after it (half the square, as scores are
    symmetric), and the best `limit` per row are picked from dense blocks of sortable keys (score,
    then id); memory stays at one block of rows × the corpus (about `_BLOCK_CELLS` cells) plus
    `limit` keys per row, never the square of the corpus.
    """
    import numpy as np
    import scipy.sparse as sp  # type: ignore[import-untyped]

    n = len(profiles)
    if n < 2 or limit <= 0:
        return {p.id: () for p in profiles}
    # C-level loops (chain, fromkeys, itemgetter): this is most of the work for a small corpus
    all_terms = list(chain.from_iterable([p.weights for p in profiles]))
    unique = dict.fromkeys(all_terms)
    column = dict(zip(unique, range(len(unique)), strict=True))
    found = itemgetter(*all_terms)(column) if len(all_terms) > 1 else [column[t] for t in all_terms]
    indices = np.array(found, dtype=np.int64)
    weights = chain.from_iterable([p.weights.values() for p in profiles])
    data = np.fromiter(weights, dtype=np.int64, count=len(all_terms))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(p.weights) for p in profiles], out=indptr[1:])
    matrix = sp.csr_matrix((data, indices, indptr), shape=(n, len(column)))
    ids = [p.id for p in profiles]
    by_id = np.asarray(sorted(range(n), key=ids.__getitem__), dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[by_id] = np.arange(n, dtype=np.int64)
    # one sortable key per pair: the score, then the smaller id (lower rank) in the low bits
    id_bits = max(1, int(n).bit_length())
    low = (1 << id_bits) - 1
    tie = low - rank
    floor = max(min_score, 1)  # a pair with no term in common is never a candidate
    take = min(limit, n - 1)
    # Scores are symmetric, so block b multiplies its rows by rows b.. only: its rows' best among
    # those columns, and each later row's best among b's rows, which waits in `pool` for its turn.
    pool = np.full((n, take), -1, dtype=np.int64)
    rows_per_block = block or max(1, _BLOCK_CELLS // n)
    result: dict[str, tuple[tuple[int, str], ...]] = {}
    for start in range(0, n, rows_per_block):
        stop = min(n, start + rows_per_block)
        # column i: the scores of block row start + i with rows start.. (a product of CSR rows)
        scores = (matrix[start:] @ matrix[start:stop].T.tocsr()).toarray()
        below = scores < floor
        scores <<= id_bits  # in place from here on: one block of scores in memory, not several
        if stop < n:
            later = scores[stop - start :] | tie[start:stop]  # later rows' keys for the block's rows
            later[below[stop - start :]] = -1
            pool[stop:] = _best(np.concatenate((pool[stop:], _best(later, take)), axis=1), take)
            del later
        scores |= tie[start:, None]
        scores[below] = -1
        keys = scores.T  # the block's rows' keys for rows start..
        keys[np.arange(stop - start), np.arange(stop - start)] = -1  # never oneself
        best = _best(np.concatenate((_best(keys, take), pool[start:stop]), axis=1), take)
        best = -np.sort(-best, axis=1)  # best first
        kept = (best >= 0).sum(axis=1).tolist()
        best_scores = (best >> id_bits).tolist()
        best_rows = by_id[low - (best & low)].tolist()
        for row in range(stop - start):
            count = kept[row]
            result[ids[start + row]] = tuple(
                zip(best_scores[row][:count], (ids[j] for j in best_rows[row][:count]), strict=True)
            )
    return result


def _best(keys: npt.NDArray[np.int64], take: int) -> npt.NDArray[np.int64]:
    """The `take` largest keys of each row, in no order; rows shorter than that padded with -1."""
    import numpy as np

    width = keys.shape[1]
    if width > take:
        return np.partition(keys, width - take, axis=1)[:, width - take :]
    if width == take:
        return keys
    return np.concatenate((keys, np.full((keys.shape[0], take - width), -1, dtype=np.int64)), axis=1)


_BLOCK_CELLS = 1 << 21  # scores held at once by all_candidates (16 MB of int64 per array)


class InvertedIndex:
    """Profiles by term, for the dot products of one profile with all the others in one pass.

    Each indexed id has a slot (a small integer, reused after removal); each term keeps two
    parallel int64 arrays, the slots holding it and their weights. A query gathers the postings of
    the profile's terms and sums weight × weight per slot with `numpy.bincount`: in float64, which is
    exact here because every sum is an integer below 2**53 (a score is at most about SCORE_UNIT).
    """

    def __init__(self) -> None:
        self.ids: list[str] = []  # slot -> id ("" for a free slot)
        self._slots: dict[str, int] = {}
        self._free: list[int] = []
        self._postings: dict[str, tuple[array[int], array[int]]] = {}

    def slot(self, pid: str) -> int:
        return self._slots[pid]

    def add(self, profile: Profile) -> int:
        """Index a profile whose id is not indexed yet; its slot."""
        slot = self._free.pop() if self._free else len(self.ids)
        if slot == len(self.ids):
            self.ids.append(profile.id)
        else:
            self.ids[slot] = profile.id
        self._slots[profile.id] = slot
        postings = self._postings
        for term, weight in profile.weights.items():
            found = postings.get(term)
            if found is None:
                postings[term] = (array("q", (slot,)), array("q", (weight,)))
            else:
                found[0].append(slot)
                found[1].append(weight)
        return slot

    def drop(self, profile: Profile) -> None:
        """Remove an indexed profile (the one `add` was given for its id)."""
        slot = self._slots.pop(profile.id)
        postings = self._postings
        for term in profile.weights:
            slots, weights = postings[term]
            if len(slots) == 1:
                del postings[term]
                continue
            at = slots.index(slot)
            slots[at] = slots[-1]
            weights[at] = weights[-1]
            slots.pop()
            weights.pop()
        self.ids[slot] = ""
        self._free.append(slot)

    def query(self, profile: Profile) -> npt.NDArray[np.int64]:
        """Dot product of an indexed profile with every slot (0 for its own, free slots and no overlap)."""
        import numpy as np

        postings = self._postings
        found = [postings[term] for term in profile.weights]
        scores = np.zeros(len(self.ids), dtype=np.int64)
        if found:
            slots = np.frombuffer(b"".join([pair[0] for pair in found]), dtype=np.int64)
            theirs = np.frombuffer(b"".join([pair[1] for pair in found]), dtype=np.int64)
            ours = np.repeat(
                np.fromiter(profile.weights.values(), dtype=np.int64, count=len(found)),
                [len(pair[0]) for pair in found],
            )
            summed = np.bincount(slots, weights=theirs * ours, minlength=len(self.ids))
            scores = summed.astype(np.int64)
        scores[self._slots[profile.id]] = 0
        return scores

    def top(self, scores: npt.NDArray[np.int64], *, min_score: int, limit: int) -> list[tuple[int, str]]:
        """`top_candidates` of a `query` result: the best `limit` (score, id) at or above min_score."""
        import numpy as np

        hits = np.flatnonzero(scores >= max(min_score, 1))
        if hits.size > limit > 0:
            values = scores[hits]
            cut = np.partition(values, hits.size - limit)[hits.size - limit]  # the limit-th best score
            hits = hits[values >= cut]  # ties at the cut decided by id below
        ids = self.ids
        found = [(score, ids[slot]) for score, slot in zip(scores[hits].tolist(), hits.tolist(), strict=True)]
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        return found[:limit]

    def at_least(self, scores: npt.NDArray[np.int64], min_score: int) -> dict[str, int]:
        """id -> score for the slots of a `query` result at or above min_score (at least 1)."""
        import numpy as np

        hits = np.flatnonzero(scores >= max(min_score, 1))
        ids = self.ids
        return dict(zip([ids[slot] for slot in hits.tolist()], scores[hits].tolist(), strict=True))
