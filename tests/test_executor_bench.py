"""The executor benchmark runs end to end on a few items and prints a well-formed table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_benchmark_prints_a_row_per_executor_and_load() -> None:
    bench = REPO / "benchmarks" / "executor_bench.py"
    proc = subprocess.run(
        [sys.executable, str(bench), "--trivial", "300", "--cpu", "6", "--no-dask"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("| executor | load | items | wall s | CPU s |")
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in lines[2:8]]
    assert sorted((row[0], row[1], row[2]) for row in rows) == sorted(
        (executor, load, count)
        for executor in ("serial", "process", "pool (before)")
        for load, count in (("trivial", "300"), ("cpu-bound", "6"))
    )
    assert all(float(row[3]) >= 0 and float(row[4]) >= 0 for row in rows)
