"""The stories benchmark runs end to end on a small generated site and prints its table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"


@pytest.mark.slow
@pytest.mark.skipif(not MAKE_CORPUS.is_file(), reason="../shared/bench is not here")
def test_benchmark_prints_its_table() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "stories_bench.py"), "--n", "120", "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("120 articles;")
    assert lines[1] == "| step | articles | CPU | wall |"
    steps = [line.split("|")[1].strip() for line in lines[3:7]]
    assert steps[0].startswith("link and group all") and steps[3].startswith("TF-IDF")
    assert "bytes pickled per article" in lines[-1]
