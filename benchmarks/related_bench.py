"""Related briefings: our linker beside TF-IDF and BM25 on the ECB+ and BBC sets.

Runs `../shared/bench/related_eval.py` once per data set and system and prints one Markdown table
(quality, wall and CPU time, peak memory). The baselines need scikit-learn, which is never a
briefgen dependency: give an interpreter that has it with `--baseline-python` (for example a venv
under `benchmarks/.work/`); without one they are listed as skipped.

    python benchmarks/related_bench.py                       # full sets
    python benchmarks/related_bench.py --limit 120           # a small slice (CI)
    python benchmarks/related_bench.py --repeat-to 5000      # timing at scale (quality then meaningless)
    python benchmarks/related_bench.py --speed 1000,10000    # in-process: link_related, RelatedIndex, edits

`--speed` writes BBC-text sites with `../shared/bench/make_corpus.py`, turns each article into a
`RelatedItem` as the build does (title, date, paragraphs, entity names) and times, in one process:
`link_related` (the first call also loads the IDF table and numpy/scipy), building a `RelatedIndex`,
`upsert` of an edited article and of it restored (the preview's path), and `links()`. It checks that
the index's links equal `link_related` after the edits.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EVAL = SHARED / "bench" / "related_eval.py"
SETS = {
    "ecbplus": SHARED / "eval/related/ecbplus/articles.jsonl",
    "bbc": SHARED / "eval/related/bbc/articles.jsonl",
}
COLUMNS = ("p_at_1", "p_at_3", "p_at_5", "mrr", "coverage", "wall_s", "cpu_s", "peak_rss_mb")
HEADER = "| set | system | P@1 | P@3 | P@5 | MRR | coverage | wall s | CPU s | peak MB |"


def has_sklearn(python: str) -> bool:
    probe = subprocess.run([python, "-c", "import sklearn"], capture_output=True, check=False)
    return probe.returncode == 0


def sliced(path: Path, limit: int | None, folder: Path) -> Path:
    """The first `limit` articles of a set, in a file under the same folder name (the evaluator's tag)."""
    if not limit:
        return path
    out = folder / path.parent.name / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    with path.open(encoding="utf-8") as src:
        lines = [line for line in src if line.strip()][:limit]
    out.write_text("".join(lines), encoding="utf-8")
    return out


def evaluate(
    python: str, data: list[Path], system: list[str], k: int, repeat_to: int
) -> list[dict[str, object]]:
    cmd = [python, str(EVAL), "--json", "--k", str(k)]
    for path in data:
        cmd += ["--data", str(path)]
    if repeat_to:
        cmd += ["--repeat-to", str(repeat_to)]
    proc = subprocess.run([*cmd, *system], capture_output=True, text=True, check=False)
    if proc.returncode == 2 or not proc.stdout.strip():
        raise SystemExit(f"related_eval failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    results: list[dict[str, object]] = json.loads(proc.stdout)["results"]
    return results


def row(set_name: str, result: dict[str, object]) -> str:
    if "error" in result:
        return f"| {set_name} | {result['system']} | error: {result['error']} |"
    cells = []
    for key in COLUMNS:
        value = result[key]
        assert isinstance(value, int | float)
        cells.append(f"{value:.3f}" if key not in ("wall_s", "cpu_s", "peak_rss_mb") else f"{value:.1f}")
    return f"| {set_name} | {result['system']} | " + " | ".join(cells) + " |"


def _item(path: Path) -> Any:
    """One generated Markdown article as the build's RelatedItem (see build.related_items)."""
    from briefgen.analysis.entities import find_entities
    from briefgen.corpus.related import RelatedItem
    from briefgen.sources import read_source

    source, _ = read_source(path, path.parent)
    title = str(source.front.get("title") or path.stem)
    date = source.front.get("date")
    day = date.date() if isinstance(date, dt.datetime) else date if isinstance(date, dt.date) else None
    paragraphs = [p.strip() for p in source.body.split("\n\n") if p.strip() and not p.startswith("#")]
    names = tuple(e.name for e in find_entities(paragraphs, title=title))
    return RelatedItem(id=path.stem, title=title, text="\n\n".join(paragraphs), date=day, names=names)


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"{statistics.median(values) * 1000:.1f} / {p90 * 1000:.1f} / {ordered[-1] * 1000:.1f}"


def speed(sizes: list[int], edits: int, k: int) -> int:
    """Time the linker in process on generated sites of the given sizes; 1 if the index disagrees."""
    from briefgen.corpus.related import RelatedIndex, link_related

    print(
        "| articles | link_related s (first call) | RelatedIndex() s | upsert edited ms (median / p90 / max)"
        " | upsert restored ms | links() ms (median / p90 / max) |"
    )
    print("|---|---|---|---|---|---|")
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            out = Path(tmp) / f"c{n}"
            make = [sys.executable, str(SHARED / "bench" / "make_corpus.py"), "--n", str(n), "--format", "md"]
            subprocess.run([*make, "--out", str(out)], check=True, capture_output=True)
            with ProcessPoolExecutor() as pool:
                items = list(pool.map(_item, sorted(out.glob("*.md")), chunksize=32))
            start = time.perf_counter()
            full = link_related(items, k=k)
            linked = time.perf_counter() - start
            start = time.perf_counter()
            index = RelatedIndex(items, k=k)
            built = time.perf_counter() - start
            rng = random.Random(n)
            edited, restored, listed = [], [], []
            for _ in range(edits):
                item = rng.choice(items)
                words = item.text.split(" ")
                words[rng.randrange(len(words))] = "reformers"
                text = " ".join(words) + "\n\nThe minister added a short comment on the matter."
                for target, times in ((dataclasses.replace(item, text=text), edited), (item, restored)):
                    start = time.perf_counter()
                    index.upsert(target)
                    times.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    index.links()
                    listed.append(time.perf_counter() - start)
            if index.links() != full:
                print(f"| {n} | index links differ from link_related after the edits |")
                status = 1
            print(
                f"| {n} | {linked:.2f} | {built:.2f} | {_ms(edited)} | {_ms(restored)} | {_ms(listed)} |",
                flush=True,
            )
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles of each set")
    parser.add_argument("--sets", default="ecbplus,bbc", help="comma-separated: ecbplus, bbc")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--repeat-to", type=int, default=0, help="one timing run over all sets padded to N")
    parser.add_argument("--baseline-python", default=sys.executable, help="interpreter with scikit-learn")
    parser.add_argument("--baselines", default="tfidf,bm25", help="comma-separated, or '' for none")
    parser.add_argument("--speed", default="", help="comma-separated site sizes: time the linker in process")
    parser.add_argument("--edits", type=int, default=30, help="with --speed: edited articles per size")
    args = parser.parse_args(argv)
    if args.speed:
        return speed([int(n) for n in args.speed.split(",")], args.edits, args.k)

    ours = [f"--cmd={shlex.quote(sys.executable)} -m briefgen related --jsonl --k {args.k}"]
    baselines = [b for b in args.baselines.split(",") if b]
    can_compare = bool(baselines) and has_sklearn(args.baseline_python)
    names = [s for s in args.sets.split(",") if s]
    print(HEADER)
    print("|" + "---|" * (len(COLUMNS) + 2))
    with tempfile.TemporaryDirectory() as tmp:
        data = {name: sliced(SETS[name], args.limit, Path(tmp)) for name in names}
        groups = (
            [("+".join(names), list(data.values()))]
            if args.repeat_to
            else [(name, [path]) for name, path in data.items()]
        )
        for label, paths in groups:
            results = evaluate(sys.executable, paths, ours, args.k, args.repeat_to)
            results[0]["system"] = "briefgen"
            if can_compare:
                results += evaluate(
                    args.baseline_python, paths, [f"--baseline={','.join(baselines)}"], args.k, args.repeat_to
                )
            for result in results:
                print(row(label, result), flush=True)
            if baselines and not can_compare:
                for name in baselines:
                    print(f"| {label} | {name} | skipped: no scikit-learn in {args.baseline_python} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
