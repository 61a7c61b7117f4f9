"""benchmarks/dask_bench.py: one real run on 200 generated articles, as a user runs it (a process of its
own, which starts and samples its builds), with both executors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.generated_site import write_generated_site

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "dask_bench.py"


@pytest.mark.slow
def test_a_real_run_measures_every_process_of_both_builds(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="dask is not installed: pip install 'briefgen[dask]'")
    write_generated_site(tmp_path / "content", 200)  # pages enough to render in worker processes
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--content", str(tmp_path / "content"), "--work", str(tmp_path / "w")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for executor in ("local", "dask"):
        line = re.search(
            rf"^--executor {executor}: ok; wall ([\d.]+) s, CPU ([\d.]+) s .* peak tree PSS ([\d,]+) MB",
            out,
            re.M,
        )
        assert line is not None, out
        assert float(line.group(2)) > 0 and int(line.group(3).replace(",", "")) > 50
    tables = out.split("--executor dask:")
    assert "| build (main process) | 1 |" in tables[0] and "| local forked worker |" in tables[0]
    assert "Dask" not in tables[0]
    assert "| Dask client process (scheduler, nannies) | 1 |" in tables[1]
    assert len(re.findall(r"^\| Dask worker \(pid \d+\) \| 1 \|", tables[1], re.M)) == 2
    assert "| local forked worker |" in tables[1]  # pages still render in forked processes under Dask
    assert re.search(r"^join: 1 chunks of 200 query articles; .* largest 200 of 200$", out, re.M), out
    assert not list((tmp_path / "w").glob("site-*"))  # the built sites are removed after measuring
