"""The quote benchmark script runs end to end on 20 articles and prints a well-formed table.

The script runs as a real process, as a user runs it: it starts and times `briefgen` processes itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "eval" / "quotes" / "polnear-train" / "articles.jsonl"
SCORER = REPO.parent / "shared" / "bench" / "quote_eval.py"


@pytest.mark.skipif(not (DATA.is_file() and SCORER.is_file()), reason="eval data or scorer not available")
def test_quotes_bench_prints_a_table() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "quotes_bench.py"), "--limit", "20"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    header = [c.strip() for c in lines[0].split("|")]
    assert header == ["system", "articles", "gold", "P", "R", "F1", "sP", "sR", "sF1", "art/s"]
    rows = {cells[0]: cells for cells in ([c.strip() for c in line.split("|")] for line in lines[2:])}
    assert {"briefgen", "regex"} <= set(rows)
    for cells in rows.values():
        assert len(cells) == len(header)
        assert cells[1] == "20"
        for value in cells[3:9]:
            assert 0.0 <= float(value) <= 1.0
        assert float(cells[9]) > 0
