"""Article vectors and first-order similarity, exact in integers.

Each article becomes a sparse vector of background-IDF-weighted terms (`background.term_idf`),
L2-normalised and quantised to integers (`SCALE` per unit). A dot product of two such vectors is an
integer, so it is the same bit for bit whichever way it is summed: by the pure-Python inverted index
that the incremental `RelatedIndex` uses, or by the sparse matrix product that links a whole corpus.
That is what makes "incremental equals full recompute" hold exactly, not just nearly.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from briefgen.corpus.background import MAX_IDF, term_idf, word_idf_table
from briefgen.corpus.terms import article_terms

SCALE = 1 << 16  # integer units per 1.0 of a normalised weight
SCORE_UNIT = SCALE * SCALE  # a dot product of two vectors, in the same units
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


def make_profile(
    id: str, title: str, text: str, *, date: dt.date | None = None, names: Sequence[str] = ()
) -> Profile:
    terms = article_terms(title, text, pairs=PAIRS)
    log = math.log
    idf = word_idf_table()
    raw = {
        term: (1.0 + log(count)) * (idf.get(term, MAX_IDF) if " " not in term else term_idf(term))
        for term, count in terms.counts.items()
    }
    norm = math.sqrt(math.fsum(w * w for w in raw.values())) or 1.0
    weights = {term: q for term, w in raw.items() if (q := round(w / norm * SCALE)) > 0}
    surface = {term: shown for term, shown in terms.surface.items() if term in weights}
    return Profile(
        id=id,
        date=date,
        weights=weights,
        surface=surface,
        names=frozenset(" ".join(name.lower().split()) for name in names),
        top_terms=tuple(sorted(weights, key=weights.__getitem__, reverse=True)[:TOP_TERMS]),
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
    profiles: Sequence[Profile], *, min_score: int, limit: int, block: int = 256
) -> dict[str, tuple[tuple[int, str], ...]]:
    """`top_candidates` of every profile against all the others, as one chunked sparse product.

    Memory stays at one block of rows × the corpus, never the square of the corpus.
    """
    import numpy as np
    import scipy.sparse as sp  # type: ignore[import-untyped]

    n = len(profiles)
    if n < 2:
        return {p.id: () for p in profiles}
    vocabulary: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    for profile in profiles:
        for term, weight in profile.weights.items():
            indices.append(vocabulary.setdefault(term, len(vocabulary)))
            data.append(weight)
        indptr.append(len(indices))
    matrix = sp.csr_matrix(
        (np.asarray(data, dtype=np.int64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(n, len(vocabulary)),
    )
    transposed = matrix.T.tocsr()
    ids = [p.id for p in profiles]
    by_id = sorted(range(n), key=ids.__getitem__)
    rank = np.empty(n, dtype=np.int64)
    rank[np.asarray(by_id, dtype=np.int64)] = np.arange(n, dtype=np.int64)
    # one sortable key per pair: higher score first, then the smaller id (lower rank)
    id_bits = max(1, int(n).bit_length())
    tie = (1 << id_bits) - 1 - rank
    result: dict[str, tuple[tuple[int, str], ...]] = {}
    for start in range(0, n, block):
        stop = min(n, start + block)
        product = (matrix[start:stop] @ transposed).tocoo()
        rows, cols, vals = product.row, product.col, product.data
        keep = (vals >= min_score) & (cols != rows + start)
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        keys = (vals << id_bits) | tie[cols]
        order = np.lexsort((-keys, rows))  # by row, then best first
        rows, cols, keys = rows[order], cols[order], keys[order]
        starts = np.searchsorted(rows, np.arange(stop - start))
        place = np.arange(rows.size) - starts[rows]
        top = place < limit
        rows, cols, keys = rows[top], cols[top], keys[top]
        bounds = np.searchsorted(rows, np.arange(stop - start + 1)).tolist()
        col_list, score_list = cols.tolist(), (keys >> id_bits).tolist()
        for row in range(stop - start):
            lo, hi = bounds[row], bounds[row + 1]
            result[ids[start + row]] = tuple(
                zip(score_list[lo:hi], (ids[j] for j in col_list[lo:hi]), strict=True)
            )
    return result
