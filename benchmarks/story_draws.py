"""Story and link quality to expect on reader-like collections: many draws, not one.

`ecbplus-stories` is one draw of ECB+ (each event keeps 1 to 5 of its articles, `make_story_set.py`);
its bars are decided by a handful of same-kind twin events that merge or not, so one draw says little
about held-out data. This script draws many such collections from each half of the ECB+ topics (split
as `fit_same_story.py` splits them: the model is fitted on half 0, so half 1 is held out), groups and
links each with the build's code (`StoryIndex`), and scores them as `story_eval.py` and
`related_eval.py` do (ids made opaque and shuffled, as those scorers send them). It prints, per half,
the mean and the 10th percentile over the draws of every figure, and the share of draws meeting each
bar of issue 12.

Link policies (`--links`): `mates` (the build's: story-mates only), `pairs` (every article whose
same-story probability reaches the threshold, best first), `mates+pairs` (story-mates first, then
pair links from outside the story). `--threshold` sets the merge threshold (and the pair-link one),
`--link-threshold` a separate one for pair links.

    python benchmarks/story_draws.py --data ../shared/eval/related/ecbplus/articles.jsonl --draws 40
    python benchmarks/story_draws.py --data ... --threshold 0.5,0.6,0.7 --links mates,mates+pairs

`--files` scores whole labelled files instead (the visible sets and their halves: the trade-off curve of
a threshold sweep as the scorers would print it, without running the command once per threshold):

    python benchmarks/story_draws.py --files ../shared/eval/related/ecbplus-stories/articles.jsonl \
        --threshold 0.5,0.55,0.6,0.65,0.7 --links mates
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import io
import json
import random
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path

from fit_same_story import draw, topic_halves

from briefgen.corpus.same_story import THRESHOLD
from briefgen.corpus.stories import StoryIndex
from briefgen.jsonl import read_story_features
from briefgen.model import StoryFeatures

Row = Mapping[str, object]
BARS = {"b3_f1": 0.92, "pair_p": 0.95, "link_p": 0.95, "link_r": 0.90, "lonely": 0.90}


def story_scores(gold: Mapping[str, str], story: Mapping[str, str]) -> dict[str, float]:
    """B-cubed precision and F1, pairwise precision and recall, as story_eval.py computes them."""
    gold_members: dict[str, set[str]] = collections.defaultdict(set)
    found_members: dict[str, set[str]] = collections.defaultdict(set)
    for item, event in gold.items():
        gold_members[event].add(item)
        found_members[story[item]].add(item)
    b3p = sum(
        len(gold_members[gold[i]] & found_members[story[i]]) / len(found_members[story[i]]) for i in gold
    )
    b3r = sum(len(gold_members[gold[i]] & found_members[story[i]]) / len(gold_members[gold[i]]) for i in gold)
    b3p, b3r = b3p / len(gold), b3r / len(gold)
    found_pairs = sum(len(s) * (len(s) - 1) // 2 for s in found_members.values())
    gold_pairs = sum(len(s) * (len(s) - 1) // 2 for s in gold_members.values())
    both = sum(
        v * (v - 1) // 2
        for s in found_members.values()
        for v in collections.Counter(gold[i] for i in s).values()
    )
    return {
        "b3_p": b3p,
        "b3_f1": 2 * b3p * b3r / (b3p + b3r) if b3p + b3r else 0.0,
        "pair_p": both / found_pairs if found_pairs else 1.0,
        "pair_r": both / gold_pairs if gold_pairs else 1.0,
    }


def link_scores(gold: Mapping[str, str], links: Mapping[str, Sequence[str]], k: int) -> dict[str, float]:
    """Link precision and recall, lonely left alone and P@3, as related_eval.py computes them."""
    members: dict[str, set[str]] = collections.defaultdict(set)
    for item, event in gold.items():
        members[event].add(item)
    given = right = wanted = lonely = alone = 0
    p_at_3: list[float] = []
    for item in gold:
        shown = list(links.get(item, ()))[:k]
        mates = members[gold[item]] - {item}
        given += len(shown)
        right += sum(1 for other in shown if other in mates)
        wanted += min(k, len(mates))
        if not mates:
            lonely += 1
            alone += not shown
        else:
            p_at_3.append(sum(1 for other in shown[:3] if other in mates) / 3)
    return {
        "link_p": right / given if given else 1.0,
        "link_r": right / wanted if wanted else 1.0,
        "lonely": alone / lonely if lonely else 1.0,
        "p_at_3": statistics.fmean(p_at_3) if p_at_3 else 1.0,
    }


def links_of(index: StoryIndex, policy: str, k: int, link_threshold: float) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in index.story_keys():
        mates = [link.target for link in index.related(item, k=k)] if "mates" in policy else []
        if "pairs" in policy:
            chosen = set(mates)
            mates += [
                other for other, p in index.candidates(item) if p >= link_threshold and other not in chosen
            ]
        out[item] = mates[:k]
    return out


def scores(
    rows: Sequence[Row],
    features: Mapping[str, StoryFeatures],
    *,
    seed: int,
    threshold: float,
    policies: Sequence[str],
    link_threshold: float | None,
    k: int,
) -> dict[str, dict[str, float]]:
    """Every figure of one collection under each link policy (ids opaque and shuffled by `seed`)."""
    ids = [str(r["id"]) for r in rows]
    random.Random(seed).shuffle(ids)
    opaque = {item: f"a{n:06d}" for n, item in enumerate(ids)}
    index = StoryIndex.build(
        (dataclasses.replace(features[i], id=opaque[i]) for i in ids), threshold=threshold
    )
    gold = {opaque[str(r["id"])]: str(r["cluster"]) for r in rows}
    grouped = story_scores(gold, index.story_keys())
    pair_threshold = threshold if link_threshold is None else link_threshold
    return {
        policy: grouped | link_scores(gold, links_of(index, policy, k, pair_threshold), k)
        for policy in policies
    }


def summary(runs: Sequence[Mapping[str, float]]) -> str:
    figures = ("b3_p", "b3_f1", "pair_p", "pair_r", "link_p", "link_r", "lonely", "p_at_3")
    cells = []
    for name in figures:
        values = sorted(run[name] for run in runs)
        low = values[max(0, (len(values) - 1) // 10)]
        cell = f"{statistics.fmean(values):.3f} ({low:.3f})"
        if name in BARS:
            cell += f" {sum(v >= BARS[name] for v in values) / len(values):.0%}"
        cells.append(cell)
    return " | ".join(cells)


def features_of(rows: Sequence[Row]) -> dict[str, StoryFeatures]:
    lines = "".join(
        json.dumps({k: r[k] for k in ("id", "title", "text", "date") if k in r}) + "\n" for r in rows
    )
    return {f.id: f for _, f in read_story_features(io.StringIO(lines))}


def score_files(paths: Sequence[str], args: argparse.Namespace) -> int:
    """Each file whole, at each threshold and link policy (ids opaque, shuffled with seed 0)."""
    policies = args.links.split(",")
    print(
        "| set | threshold | links | B3 P | B3 F1 | pair P | pair R | link P | link R | lonely alone | P@3 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    figures = ("b3_p", "b3_f1", "pair_p", "pair_r", "link_p", "link_r", "lonely", "p_at_3")
    for path in paths:
        with Path(path).open(encoding="utf-8") as lines_in:
            rows = [json.loads(line) for line in lines_in if line.strip()]
        features = features_of(rows)
        for threshold in (float(t) for t in args.threshold.split(",")):
            found = scores(
                rows, features, seed=0, threshold=threshold, policies=policies,
                link_threshold=args.link_threshold, k=args.k,
            )  # fmt: skip
            for policy in policies:
                cells = " | ".join(f"{found[policy][name]:.3f}" for name in figures)
                print(f"| {Path(path).name} | {threshold} | {policy} | {cells} |", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="the full ECB+ related set (cluster = event, label = topic), for draws")
    ap.add_argument("--files", help="labelled sets to score whole, comma-separated (no draws)")
    ap.add_argument("--draws", type=int, default=40)
    ap.add_argument("--first-seed", type=int, default=100, help="draw seeds (fit_same_story.py uses 0-19)")
    ap.add_argument("--threshold", default=str(THRESHOLD), help="merge thresholds, comma-separated")
    ap.add_argument("--link-threshold", type=float, help="pair-link threshold (default: the merge one)")
    ap.add_argument("--links", default="mates", help="link policies: mates, pairs, mates+pairs")
    ap.add_argument("--k", type=int, default=3)
    args = ap.parse_args(argv)
    if args.files:
        return score_files(args.files.split(","), args)
    if not args.data:
        ap.error("give --data (draws) or --files")
    with Path(args.data).open(encoding="utf-8") as lines_in:
        rows = [json.loads(line) for line in lines_in if line.strip()]
    features = features_of(rows)
    halves = topic_halves(rows)
    by_id = {str(r["id"]): r for r in rows}
    policies = args.links.split(",")
    print(
        f"{args.draws} draws per half (seeds {args.first_seed}-{args.first_seed + args.draws - 1}); each cell:"
    )
    print("mean over draws (10th percentile) and, for a figure with a bar, the share of draws meeting it\n")
    print(
        "| half | threshold | links | B3 P | B3 F1 | pair P | pair R | link P | link R | lonely alone | P@3 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for threshold in (float(t) for t in args.threshold.split(",")):
        for half in (0, 1):
            part = [r for r in rows if halves[str(r["label"])] == half]
            runs: dict[str, list[dict[str, float]]] = collections.defaultdict(list)
            for seed in range(args.first_seed, args.first_seed + args.draws):
                drawn = [by_id[i] for i in draw(part, seed)]
                found = scores(
                    drawn, features, seed=seed, threshold=threshold, policies=policies,
                    link_threshold=args.link_threshold, k=args.k,
                )  # fmt: skip
                for policy, figures in found.items():
                    runs[policy].append(figures)
            role = "fit" if half == 0 else "held out"
            for policy in policies:
                print(f"| {half} ({role}) | {threshold} | {policy} | {summary(runs[policy])} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
