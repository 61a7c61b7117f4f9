#!/usr/bin/env python3
"""Quote-extraction benchmark: `briefgen quotes --jsonl` beside the regex baseline (and textacy if importable).

Scores with the shared scorer (`../shared/bench/quote_eval.py`: direct-quote P/R/F1, quote+speaker P/R/F1,
articles per second with start-up included) on the first N articles of an annotated JSON-lines file.

    python benchmarks/quotes_bench.py --limit 200
    python benchmarks/quotes_bench.py --data ../shared/eval/quotes/polnear-train/articles.jsonl --limit 0
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEFAULT_DATA = SHARED / "eval" / "quotes" / "polnear-train" / "articles.jsonl"
SCORER = SHARED / "bench" / "quote_eval.py"
COLUMNS = ("system", "articles", "gold", "P", "R", "F1", "sP", "sR", "sF1", "art/s")


def score(system: list[str], data: Path, limit: int, scorer: Path) -> dict[str, object]:
    """One scorer run; `system` is either ["--cmd", CMD] or ["--baseline", NAME]."""
    args = [sys.executable, str(scorer), *system, "--data", str(data), "--json"]
    if limit:
        args += ["--limit", str(limit)]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    try:
        result: dict[str, object] = json.loads(proc.stdout)["results"][0]
    except (ValueError, KeyError, IndexError):
        raise SystemExit(f"scorer failed for {system}: {proc.stderr.strip()[-500:]}") from None
    return result


def row(name: str, r: dict[str, object]) -> list[str]:
    def f(key: str) -> str:
        value = r.get(key)
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    aps = r.get("articles_per_s")
    return [
        name,
        str(r["articles"]),
        str(r["gold_quotes"]),
        f("quote_p"),
        f("quote_r"),
        f("quote_f1"),
        f("speaker_p"),
        f("speaker_r"),
        f("speaker_f1"),
        f"{aps:.1f}" if isinstance(aps, float | int) else "-",
    ]


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [list(COLUMNS), *rows]) for i in range(len(COLUMNS))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "data", nargs="?", type=Path, default=DEFAULT_DATA, help="annotated articles (.jsonl)"
    )
    parser.add_argument("--limit", type=int, default=200, help="first N articles (0: all)")
    parser.add_argument("--scorer", type=Path, default=SCORER)
    parser.add_argument("--cmd", default=f"{shlex.quote(sys.executable)} -m briefgen quotes --jsonl")
    parser.add_argument("--no-baselines", action="store_true", help="score briefgen only")
    args = parser.parse_args(argv)
    if not args.data.is_file() or not args.scorer.is_file():
        print(f"missing data or scorer: {args.data}, {args.scorer}", file=sys.stderr)
        return 2
    rows = [row("briefgen", score(["--cmd", args.cmd], args.data, args.limit, args.scorer))]
    if not args.no_baselines:
        rows.append(row("regex", score(["--baseline", "regex"], args.data, args.limit, args.scorer)))
        if importlib.util.find_spec("textacy") is not None:
            rows.append(row("textacy", score(["--baseline", "textacy"], args.data, args.limit, args.scorer)))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
