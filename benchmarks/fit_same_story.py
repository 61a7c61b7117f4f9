"""Fit the same-story model's weights (`briefgen.corpus.same_story.WEIGHTS`) on one half of the events.

The events of an ECB+-style file (`cluster` = event, `label` = topic, each topic two events of the same
kind) are split by topic, alternating in topic-number order, so an event and its same-kind twin fall in
the same half. Reader-like collections are drawn from the fitting half many times (each event keeps 1 to
5 of its articles, as `make_story_set.py` does), so the model learns the base rate of small stories, not
of the full set's clusters of eleven. Every candidate pair of each draw (the join's own candidates) is
one observation; the weights come from iteratively reweighted least squares with a little L2.

    python benchmarks/fit_same_story.py --data ../shared/eval/related/ecbplus/articles.jsonl --half 0

Prints the weights, and pair precision / recall at the threshold on both halves.
"""

from __future__ import annotations

import argparse
import io
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from briefgen.corpus.same_story import THRESHOLD, WEIGHTS, probability
from briefgen.corpus.story_join import chunk_evidence, order_key, plan_chunks
from briefgen.jsonl import read_story_features
from briefgen.model import StoryFeatures

SIZES = [1, 1, 1, 2, 2, 3, 3, 4, 5]  # stories per event, as make_story_set.py draws them


def topic_halves(rows: Sequence[dict[str, object]]) -> dict[str, int]:
    """topic label -> 0 or 1, alternating in topic-number order."""
    labels = sorted({str(r["label"]) for r in rows}, key=lambda t: (len(t), t))
    return {label: i % 2 for i, label in enumerate(labels)}


def draw(rows: Sequence[dict[str, object]], seed: int) -> list[str]:
    rng = random.Random(seed)
    by_event: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_event[str(r["cluster"])].append(str(r["id"]))
    kept: list[str] = []
    for event in sorted(by_event):
        ids = sorted(by_event[event])
        rng.shuffle(ids)
        kept.extend(ids[: rng.choice(SIZES)])
    return kept


def observations(
    features: dict[str, StoryFeatures], cluster: dict[str, str], ids: Sequence[str]
) -> tuple[list[tuple[float, ...]], list[int]]:
    ordered = sorted((features[i] for i in ids), key=order_key)
    xs: list[tuple[float, ...]] = []
    ys: list[int] = []
    for chunk in plan_chunks(ordered):
        for a, b, found in chunk_evidence(chunk):
            xs.append(found.as_tuple())
            ys.append(int(cluster[a.id] == cluster[b.id]))
    return xs, ys


# the sign each weight must have (after the intercept): evidence for the same story counts for it
SIGNS = (1, -1, 1, 1, 1, 1, 1, -1, 1, 1, 1, -1)
# same_days and days_apart (columns of Evidence): ECB+ dates few articles, and its dated candidates (the
# 30-day window keeps only pairs days apart) are all of one story, so a weight fitted here would say
# "dated close together, so the same story", which on a site where every article is dated is false.
HELD = (6, 7)


def fit_signed(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """`fit` with every weight of the wrong sign held at 0 (refitted until none is left), and the weights
    of evidence about two dated articles (HELD) held at 0 too."""
    free = [f for f in range(x.shape[1]) if f not in HELD]
    while True:
        w = fit(x[:, free], y, l2)
        wrong = [f for f, v in zip(free, w[1:], strict=True) if v * SIGNS[f] < 0]
        if not wrong:
            full = np.zeros(x.shape[1] + 1)
            full[0] = w[0]
            full[[f + 1 for f in free]] = w[1:]
            return full
        free = [f for f in free if f not in wrong]


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    design = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(design.shape[1])
    penalty = l2 * np.eye(len(w))
    penalty[0, 0] = 0.0  # the intercept is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def pair_scores(weights: Sequence[float], x: np.ndarray, y: np.ndarray) -> str:
    from briefgen.corpus.same_story import Evidence

    p = np.array([probability(Evidence(*row), tuple(weights)) for row in x])
    shown = p >= THRESHOLD
    hits = int((shown & (y == 1)).sum())
    precision = hits / shown.sum() if shown.sum() else 1.0
    recall = hits / y.sum() if y.sum() else 1.0
    return f"pairs {len(y)} (same story {int(y.sum())}), P {precision:.3f} R {recall:.3f} at {THRESHOLD}"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--half", type=int, choices=[0, 1], default=0, help="the half to fit on")
    ap.add_argument("--draws", type=int, default=20)
    ap.add_argument("--l2", type=float, default=1.0)
    args = ap.parse_args(argv)
    with Path(args.data).open(encoding="utf-8") as lines_in:
        rows = [json.loads(line) for line in lines_in if line.strip()]
    lines = "".join(
        json.dumps({k: r[k] for k in ("id", "title", "text", "date") if k in r}) + "\n" for r in rows
    )
    features = {f.id: f for _, f in read_story_features(io.StringIO(lines))}
    cluster = {str(r["id"]): str(r["cluster"]) for r in rows}
    halves = topic_halves(rows)
    data: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for half in (0, 1):
        part = [r for r in rows if halves[str(r["label"])] == half]
        xs: list[tuple[float, ...]] = []
        ys: list[int] = []
        for seed in range(args.draws):
            x, y = observations(features, cluster, draw(part, seed))
            xs += x
            ys += y
        data[half] = (np.array(xs), np.array(ys))
    weights = fit_signed(*data[args.half], l2=args.l2)
    print("WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in weights) + ")")
    for half in (0, 1):
        role = "fit" if half == args.half else "held out"
        print(f"half {half} ({role}): fitted {pair_scores(weights, *data[half])}")
        print(f"half {half} ({role}): current {pair_scores(WEIGHTS, *data[half])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
