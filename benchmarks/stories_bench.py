"""Stories at scale: linking and grouping N articles, one upsert into the index, bytes per article.

Writes a BBC-text site with `../shared/bench/make_corpus.py` (or reads `--corpus DIR`), turns every
article into `StoryFeatures` through the build's per-article stage (parse, clean, analyse; in a process
pool, not timed against the bar), then times in this process, CPU seconds beside wall:

- `StoryIndex.build`: the chunked candidate join, the same-story model and the grouping, for all N;
- `upsert` of one new article (the latest) into an index of the other N-1, and of a changed old one;
- a TF-IDF baseline on the same texts: sublinear TF-IDF over the corpus, cosine by a chunked sparse
  product, single-link groups at or above 0.3 (`story_eval.py --baseline tfidf-threshold` in scipy);
- the size of one `StoryFeatures`: pickled bytes, and memory held per article (tracemalloc).

    python benchmarks/stories_bench.py --n 10000
    python benchmarks/stories_bench.py --corpus /work/data/corpus10k --cache /work/data/features10k.pkl
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import pickle
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"


def _features(path: str) -> Any:
    from briefgen.config import SummaryConfig
    from briefgen.corpus.story_features import features_of_briefing
    from briefgen.pipeline.analyse import analyse_document
    from briefgen.sources import KINDS, parse_source
    from briefgen.sources.document import make_document

    file = Path(path)
    source, _ = parse_source(file.read_bytes(), rel=file.name, kind=KINDS[file.suffix], mtime=0.0)
    document, _ = make_document(source)
    briefing = analyse_document(document, SummaryConfig().sentences)
    text = "\n\n".join(p.text for p in document.paragraphs)
    return features_of_briefing(briefing), f"{document.meta.title}\n{text}"


def load(corpus: Path, n: int, cache: Path | None, jobs: int) -> tuple[list[Any], list[str], float]:
    """Features and texts of the first n articles, and the CPU seconds per article the features took."""
    if cache is not None and cache.is_file():
        with cache.open("rb") as f:
            found, texts, per_article = pickle.load(f)
        if len(found) >= n:
            return found[:n], texts[:n], per_article
    files = sorted(str(p) for p in corpus.iterdir() if p.suffix in (".md", ".txt"))[:n]
    start = time.process_time()
    with ProcessPoolExecutor(jobs) as pool:
        pairs = list(pool.map(_features, files, chunksize=64))
    children = _children_cpu()
    per_article = (time.process_time() - start + children) / max(1, len(files))
    found, texts = [p[0] for p in pairs], [p[1] for p in pairs]
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump((found, texts, per_article), f)
    return found, texts, per_article


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.process_time() - cpu, time.perf_counter() - wall


_TOKEN = re.compile(r"[a-z0-9]+")


def tfidf_groups(texts: Sequence[str], threshold: float = 0.3, rows: int = 512) -> int:
    """The TF-IDF single-link baseline; how many groups it makes."""
    import numpy as np
    import scipy.sparse as sp

    vocabulary: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for text in texts:
        counts: dict[int, int] = {}
        for word in _TOKEN.findall(text.lower()):
            column = vocabulary.setdefault(word, len(vocabulary))
            counts[column] = counts.get(column, 0) + 1
        indices.extend(counts)
        data.extend(1.0 + math.log(c) for c in counts.values())
        indptr.append(len(indices))
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(texts), len(vocabulary)))
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    matrix = matrix @ sp.diags(np.log((1 + len(texts)) / (1 + df)) + 1.0)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()) + 1e-12
    matrix = sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    transposed = matrix.T.tocsc()
    for start in range(0, len(texts), rows):
        block = (matrix[start : start + rows] @ transposed).tocoo()
        for i, j, value in zip(block.row, block.col, block.data, strict=True):
            if value >= threshold and start + i < j:
                parent[find(start + i)] = find(int(j))
    return len({find(i) for i in range(len(texts))})


def held_bytes(features: Sequence[Any]) -> float:
    """Memory held per article by copies of the features (tracemalloc), as the main process would keep."""
    blob = pickle.dumps(list(features))
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    copies = pickle.loads(blob)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del copies
    return held / max(1, len(features))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument(
        "--corpus", type=Path, help="a make_corpus.py folder (default: made in a temporary folder)"
    )
    ap.add_argument("--cache", type=Path, help="keep the computed features here between runs")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    from briefgen.corpus.stories import StoryIndex

    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(scratch) / "content"
            subprocess.run(
                [
                    sys.executable,
                    str(MAKE_CORPUS),
                    "--n",
                    str(args.n),
                    "--format",
                    "md",
                    "--out",
                    str(corpus),
                ],
                check=True,
                capture_output=True,
            )
        features, texts, per_article = load(corpus, args.n, args.cache, args.jobs)
    n = len(features)
    StoryIndex.build(features[:50])  # imports numpy and scipy, loads nothing else: not part of the figure
    index, cpu, wall = timed(lambda: StoryIndex.build(features))
    rows = [f"| link and group all (StoryIndex.build) | {n} | {cpu:.2f} | {wall:.2f} |"]
    stories = index.stories()
    latest = max(features, key=lambda f: (f.date, f.id))
    rest = StoryIndex.build([f for f in features if f.id != latest.id])
    change, cpu, wall = timed(lambda: rest.upsert(latest))
    rows.append(
        f"| upsert the latest article into {n - 1} | 1 | {cpu * 1000:.0f} ms | {wall * 1000:.0f} ms |"
    )
    middle = sorted(features, key=lambda f: (f.date, f.id))[n // 2]
    edited = dataclasses.replace(middle, keywords=(*middle.keywords, "edited"))
    _, cpu, wall = timed(lambda: index.upsert(edited))
    rows.append(
        f"| upsert a changed article from mid-archive | 1 | {cpu * 1000:.0f} ms | {wall * 1000:.0f} ms |"
    )
    groups, cpu, wall = timed(lambda: tfidf_groups(texts))
    rows.append(f"| TF-IDF single-link baseline (threshold 0.3) | {n} | {cpu:.2f} | {wall:.2f} |")
    print(f"{n} articles; per-article features (analysis included): {per_article * 1000:.1f} ms CPU each")
    print("| step | articles | CPU | wall |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    sizes = [len(pickle.dumps(f)) for f in features]
    print(
        f"stories: {len(stories)} (TF-IDF baseline groups: {groups}); largest {max(len(s.members) for s in stories)};"
        f" the upsert changed {len(change.changed)} story"
    )
    print(
        f"StoryFeatures: {sum(sizes) / n:.0f} bytes pickled per article (max {max(sizes)}),"
        f" {held_bytes(features):.0f} bytes held in memory per article"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
