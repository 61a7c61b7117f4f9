"""Candidate pairs for the same-story decision: a sparse join in chunks, linear at a steady rate of news.

Articles are taken in canonical order, (date, id) with undated articles first. The corpus is cut
into chunks of consecutive query articles; each chunk carries the articles it can pair with (those
before its last query, and for dated queries only the undated ones and those at most
`same_story.WINDOW_DAYS` older), so a chunk is self-contained: an executor can send it to a worker that
has nothing else of the corpus. The work grows with the articles times the articles within the window.
`join_chunk` multiplies the chunk's packed term vectors (integer weights, so every score is exact and
the same however it is summed), keeps the pairs whose cosine reaches `CANDIDATE_COSINE`, and gives
each its same-story probability.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from briefgen.corpus.same_story import COSINE_FLOOR, WINDOW_DAYS, Evidence, PairBlock, from_logit
from briefgen.corpus.story_features import WEIGHT_UNIT
from briefgen.model import StoryFeatures

KEEP_PROBABILITY = 0.02  # pairs less likely than this are dropped: they would never be shown
CHUNK_ROWS = 256  # query articles per chunk
SCORE_UNIT = WEIGHT_UNIT * WEIGHT_UNIT  # an integer score per 1.0 of cosine
# The join's own floor, above the model's: pairs between the two never changed a story or a link on the
# ECB+ sets (measured: the same stories and links at 0.05, 0.08 and 0.1) and are most of the join's work.
CANDIDATE_COSINE = 0.1
MIN_SCORE = int(CANDIDATE_COSINE * SCORE_UNIT)

Pair = tuple[str, str, float]  # (later id, earlier id, probability), ids in canonical order
MapFunction = Callable[
    [Callable[["JoinChunk"], tuple[Pair, ...]], Iterable["JoinChunk"]], Iterable[tuple[Pair, ...]]
]


def order_key(features: StoryFeatures) -> tuple[dt.date, str]:
    """Canonical order: by date, undated first, then by id."""
    return (features.date or dt.date.min, features.id)


@dataclass(frozen=True, slots=True)
class JoinChunk:
    """Query articles and the articles they may pair with: all a worker needs for one part of the join."""

    queries: tuple[StoryFeatures, ...]
    index: tuple[StoryFeatures, ...]  # may include the queries themselves; pairs with oneself are skipped
    earlier_only: bool = True  # pair a query only with index articles before it in canonical order


def _matrix(rows: Sequence[StoryFeatures], columns: npt.NDArray[np.intp], width: int) -> Any:
    """The rows' term vectors as a CSR matrix; `columns`: each packed term's column, in row order."""
    import scipy.sparse as sp  # type: ignore[import-untyped]

    weights = np.frombuffer(b"".join([f.weights for f in rows]), dtype="<u2").astype(np.int64)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(f.weights) // 2 for f in rows], out=indptr[1:])
    return sp.csr_matrix((weights, columns, indptr), shape=(len(rows), width))


def candidate_pairs(chunk: JoinChunk, *, min_score: int = MIN_SCORE) -> tuple[npt.NDArray[np.int64], ...]:
    """(query rows, index rows, integer scores, whether the query comes later) of every pair whose cosine
    reaches the floor, whose dates allow it and (with `earlier_only`) whose index article comes first;
    score / SCORE_UNIT is the cosine. In (query row, index row) order."""
    import scipy.sparse as sp

    queries, index = chunk.queries, chunk.index
    empty = np.zeros(0, dtype=np.int64)
    if not queries or not index:
        return empty, empty, empty, empty
    query_terms = b"".join([f.terms for f in queries])
    hashes = np.frombuffer(query_terms + b"".join([f.terms for f in index]), dtype="<i8")
    unique, columns = np.unique(hashes, return_inverse=True)
    split = len(query_terms) // 8
    q = _matrix(queries, columns[:split], len(unique))
    x = _matrix(index, columns[split:], len(unique))
    coo = sp.csr_matrix(q @ x.T).tocoo()
    rows, cols, scores = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(np.int64)
    rank = _ranks(queries, index)
    ordinal = np.array([f.date.toordinal() if f.date else 0 for f in (*queries, *index)], dtype=np.int64)
    a, b = rows, cols + len(queries)
    keep = (scores >= min_score) & (rank[a] != rank[b])
    both = (ordinal[a] > 0) & (ordinal[b] > 0)
    keep &= ~both | (np.abs(ordinal[a] - ordinal[b]) <= WINDOW_DAYS)
    if chunk.earlier_only:
        keep &= rank[b] < rank[a]
    later = rank[a] > rank[b]
    order = np.lexsort((cols[keep], rows[keep]))
    return rows[keep][order], cols[keep][order], scores[keep][order], later[keep][order]


def _ranks(queries: Sequence[StoryFeatures], index: Sequence[StoryFeatures]) -> npt.NDArray[np.int64]:
    """Each article's place in canonical order among the chunk's articles (queries, then index)."""
    everyone = (*queries, *index)
    keys = sorted({order_key(f) for f in everyone})
    place = {key: n for n, key in enumerate(keys)}
    return np.array([place[order_key(f)] for f in everyone], dtype=np.int64)


def chunk_evidence(
    chunk: JoinChunk, *, min_cosine: float = COSINE_FLOOR
) -> list[tuple[StoryFeatures, StoryFeatures, Evidence]]:
    """Every pair of the chunk down to the model's cosine floor, with its evidence (for fitting the model)."""
    rows, cols, scores, _ = candidate_pairs(chunk, min_score=int(min_cosine * SCORE_UNIT))
    block = PairBlock(chunk.queries, chunk.index, rows, cols)
    return [
        (chunk.queries[r], chunk.index[c], block.evidence(i, s / SCORE_UNIT))
        for i, (r, c, s) in enumerate(zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True))
    ]


def join_chunk(chunk: JoinChunk) -> tuple[Pair, ...]:
    """Every candidate pair of the chunk with its same-story probability, when that is at least
    KEEP_PROBABILITY; later id first, in (query, index article) order."""
    rows, cols, scores, later = candidate_pairs(chunk)
    block = PairBlock(chunk.queries, chunk.index, rows, cols)
    z = block.logits([s / SCORE_UNIT for s in scores.tolist()])
    kept = np.flatnonzero(z >= math.log(KEEP_PROBABILITY / (1.0 - KEEP_PROBABILITY)) - 1e-9)
    probabilities = [from_logit(logit) for logit in z[kept].tolist()]
    query_ids = np.array([f.id for f in chunk.queries], dtype=object)[rows[kept]]
    index_ids = np.array([f.id for f in chunk.index], dtype=object)[cols[kept]]
    is_later = later[kept]
    first = np.where(is_later, query_ids, index_ids).tolist()
    second = np.where(is_later, index_ids, query_ids).tolist()
    return tuple(
        (a, b, p) for a, b, p in zip(first, second, probabilities, strict=True) if p >= KEEP_PROBABILITY
    )


def plan_chunks(ordered: Sequence[StoryFeatures], *, rows: int = CHUNK_ROWS) -> Iterator[JoinChunk]:
    """The chunks of a whole-corpus join over features in canonical order (`order_key`)."""
    undated = 0
    while undated < len(ordered) and ordered[undated].date is None:
        undated += 1
    ordinals = [f.date.toordinal() if f.date is not None else 0 for f in ordered]
    for start in range(0, len(ordered), rows):
        stop = min(len(ordered), start + rows)
        queries = tuple(ordered[start:stop])
        if start < undated:
            index = tuple(ordered[:stop])
        else:
            low = bisect.bisect_left(ordinals, ordinals[start] - WINDOW_DAYS, lo=undated, hi=start)
            index = tuple(ordered[:undated]) + tuple(ordered[low:stop])
        yield JoinChunk(queries=queries, index=index)


def join_all(ordered: Sequence[StoryFeatures], *, map: MapFunction = map) -> list[Pair]:
    """Every candidate pair of the corpus, by `join_chunk` over `plan_chunks`, through `map` (the builtin,
    or an executor's ordered map: an item it could not do comes back as something other than a tuple,
    and then the join fails rather than lose that chunk's pairs)."""
    pairs: list[Pair] = []
    for found in map(join_chunk, list(plan_chunks(ordered))):
        if not isinstance(found, tuple):
            raise RuntimeError(f"a chunk of the story join failed: {getattr(found, 'reason', found)}")
        pairs.extend(found)
    return pairs
