"""The related-briefings benchmark runs end to end on a small slice and prints a well-formed table.

The script runs as a real process, as a user runs it: it starts and times `briefgen` processes itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval" / "related"


@pytest.mark.slow  # the script and its scorer on 60 articles: 2.4 s
@pytest.mark.skipif(not (EVAL / "ecbplus" / "articles.jsonl").is_file(), reason="../shared/eval is not here")
def test_benchmark_prints_a_table_on_a_slice() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "related_bench.py"), "--limit", "60", "--baselines", ""],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("| set | system | P@1 |")
    body = [line.split("|")[1:-1] for line in lines[2:]]
    assert [cells[0].strip() for cells in body] == ["ecbplus", "bbc"]
    for cells in body:
        assert cells[1].strip() == "briefgen"
        numbers = [float(cell) for cell in cells[2:]]
        assert len(numbers) == 8
        assert all(0.0 <= n <= 1.0 for n in numbers[:5])
