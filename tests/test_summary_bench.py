"""The summary benchmark script runs end to end on 50 articles and prints a well-formed table.

The script runs as a real process, as a user runs it: it starts and times `briefgen` processes itself.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

pytestmark = pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="../shared/eval is not present")


def test_summary_bench_prints_a_table() -> None:
    pytest.importorskip("rouge_score")
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "summary_bench.py"), "--limit", "50"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert re.fullmatch(r"\| set +\| method +\| +R1 \| +R2 \| +RLsum \| +articles/s \|", lines[0])
    row = re.compile(
        r"\| (cnndm|bbc) +\| (\S+) +\| +(\d+\.\d\d) \| +(\d+\.\d\d) \| +(\d+\.\d\d) \| +(\d+\.\d|-) \|"
    )
    rows = [m.groups() for m in map(row.fullmatch, lines[2:]) if m]
    methods = {(s, m) for s, m, *_ in rows}
    for data_set in ("cnndm", "bbc"):
        assert (data_set, "briefgen") in methods
        assert (data_set, "lead") in methods
    for _, _, r1, r2, rlsum, _ in rows:
        assert 0 < float(r2) <= float(r1) <= 100 and 0 < float(rlsum) <= 100
    has_sumy = any(m == "textrank" for _, m in methods)
    assert has_sumy or "sumy rows skipped" in run.stdout
    assert "articles per set: 50" in run.stdout
