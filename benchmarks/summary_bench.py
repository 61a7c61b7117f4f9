"""Summary quality and speed: briefgen beside Lead-3 and the sumy summarisers, in one table.

For each data set (CNN/DailyMail and BBC by default) it runs `../shared/bench/summary_rouge.py` on the
first N articles: once for `briefgen summarize --jsonl` (the whole process, start-up included) with the
Lead-3 baseline, and once for sumy's LexRank, TextRank and Luhn. It prints one row per method and set:
ROUGE-1/2/Lsum F1 x 100 and articles per second.

sumy lives in the benchmark's own environment, so the project never depends on it:

    python3 -m venv benchmarks/.work/venv-sumy
    benchmarks/.work/venv-sumy/bin/pip install sumy rouge-score

If that interpreter is missing and `import sumy` fails in this one, the sumy rows are skipped with a
note. Examples (from the repository root):

    python3 benchmarks/summary_bench.py --limit 1000                    # the dev halves
    python3 benchmarks/summary_bench.py --limit 1000 --skip 1000        # the test halves
    python3 benchmarks/summary_bench.py --limit 50 --sets cnndm         # a quick look
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
SUMY_VENV_PYTHON = ROOT / "benchmarks" / ".work" / "venv-sumy" / "bin" / "python"
SUMY_METHODS = ("lexrank", "textrank", "luhn")
SETS = ("cnndm", "bbc")


@dataclass(frozen=True, slots=True)
class Row:
    data_set: str
    method: str
    r1: float
    r2: float
    rlsum: float
    articles_per_s: float | None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    scorer = args.shared / "bench" / "summary_rouge.py"
    if not scorer.is_file():
        print(f"error: scorer not found: {scorer} (pass --shared)", file=sys.stderr)
        return 2
    sumy_python = _sumy_python()
    rows: list[Row] = []
    notes: list[str] = []
    if sumy_python is None:
        notes.append(
            "sumy rows skipped: `import sumy` failed; set up benchmarks/.work/venv-sumy (see the docstring)"
        )
    ours = f"{shlex.quote(sys.executable)} -m briefgen summarize --jsonl --sentences {args.sentences}"
    for name in args.sets:
        data = args.shared / "eval" / "summaries" / name / "articles.jsonl"
        if not data.is_file():
            notes.append(f"{name}: no data at {data}")
            continue
        common = ["--data", str(data), "--limit", str(args.limit), "--skip", str(args.skip)]
        common += ["--sentences", str(args.sentences), "--json"]
        result = _run(sys.executable, scorer, [*common, "--cmd", ours, "--baseline", "lead"])
        rows += _rows(name, result, ours)
        if sumy_python is not None:
            sumy = _run(sumy_python, scorer, [*common, "--baseline", ",".join(SUMY_METHODS)])
            rows += _rows(name, sumy, ours)
    print(format_table(rows))
    for note in notes:
        print(f"note: {note}")
    print(f"articles per set: {args.limit} (skipping {args.skip}), K={args.sentences}")
    return 0 if rows else 1


def format_table(rows: list[Row]) -> str:
    header = f"| {'set':<6} | {'method':<9} | {'R1':>6} | {'R2':>6} | {'RLsum':>6} | {'articles/s':>10} |"
    lines = [header, "|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|"]
    for row in rows:
        speed = f"{row.articles_per_s:.1f}" if row.articles_per_s is not None else "-"
        lines.append(
            f"| {row.data_set:<6} | {row.method:<9} | {row.r1:6.2f} | {row.r2:6.2f} | {row.rlsum:6.2f} "
            f"| {speed:>10} |"
        )
    return "\n".join(lines)


def _rows(data_set: str, result: dict[str, object], ours: str) -> list[Row]:
    out: list[Row] = []
    for item in result.get("results", []):  # type: ignore[attr-defined]
        system = str(item["system"])
        method = "briefgen" if system == f"cmd: {ours}" else system.removeprefix("cmd: ")
        if item.get("errors"):
            print(f"warning: {data_set} {method}: {'; '.join(item['errors'])}", file=sys.stderr)
        out.append(
            Row(data_set, method, item["rouge1"], item["rouge2"], item["rougeLsum"], item["articles_per_s"])
        )
    return out


def _run(python: str | Path, scorer: Path, args: list[str]) -> dict[str, object]:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run(
        [str(python), str(scorer), *args], capture_output=True, text=True, env=env, check=False, cwd=ROOT
    )
    try:
        parsed: dict[str, object] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        print(f"warning: scorer failed (status {proc.returncode}): {proc.stderr.strip()}", file=sys.stderr)
        return {}
    return parsed


def _sumy_python() -> str | None:
    for python in (SUMY_VENV_PYTHON, Path(sys.executable)):
        if python.is_file() and _imports(python, "sumy") and _imports(python, "rouge_score"):
            return str(python)
    return None


def _imports(python: Path, module: str) -> bool:
    proc = subprocess.run([str(python), "-c", f"import {module}"], capture_output=True, check=False)
    return proc.returncode == 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=1000, help="articles per set (CI: 50)")
    parser.add_argument("--skip", type=int, default=0, help="skip the first N (1000 = the test halves)")
    parser.add_argument("--sentences", "-k", type=int, default=3, help="summary length K")
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS, help="data sets to run")
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help="the shared/ folder (default: beside the repo)"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
