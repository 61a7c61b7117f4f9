"""Related briefings: our linker beside TF-IDF and BM25 on the ECB+ and BBC sets.

Runs `../shared/bench/related_eval.py` once per data set and system and prints one Markdown table
(quality, wall and CPU time, peak memory). The baselines need scikit-learn, which is never a
briefgen dependency: give an interpreter that has it with `--baseline-python` (for example a venv
under `benchmarks/.work/`); without one they are listed as skipped.

    python benchmarks/related_bench.py                       # full sets
    python benchmarks/related_bench.py --limit 120           # a small slice (CI)
    python benchmarks/related_bench.py --repeat-to 5000      # timing at scale (quality then meaningless)
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

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
    args = parser.parse_args(argv)

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
