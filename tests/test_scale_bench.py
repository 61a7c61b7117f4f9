"""benchmarks/scale_bench.py: its process-tree measuring, its table, and one real run at a tiny size."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "scale_bench.py"
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scale_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["scale_bench"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


bench = _load()


def _tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every pipe table in the output (header, rows); fails if one is not well formed."""
    tables: list[list[str]] = []
    current: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    out = []
    for lines in tables:
        cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
        assert re.fullmatch(r"\|(-+\|)+", lines[1]), lines[1]
        assert all(len(row) == len(cells[0]) for row in cells), lines
        assert len({len(ln) for ln in lines}) == 1, "columns are not aligned"
        out.append((cells[0], cells[2:]))
    return out


def test_measure_counts_the_cpu_and_memory_of_children() -> None:
    """A parent that waits on a child burning CPU and holding 60 MB: both show in the tree's figures."""
    child = (
        "import time\nb = bytearray(60 * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1\n"
        "t = time.process_time()\nwhile time.process_time() - t < 0.4: pass\ntime.sleep(0.3)\n"
    )
    parent = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {child!r}], check=True)\n"
    measured = bench.measure([sys.executable, "-c", parent], cwd=REPO)
    assert measured.ok
    assert measured.cpu >= 0.35  # the child's CPU, reaped by the parent
    assert measured.pss_mb >= 55  # the child's pages, sampled while it slept
    assert measured.rss_mb >= 55
    assert measured.wall >= measured.cpu * 0.5


def test_measure_reports_a_failing_command() -> None:
    measured = bench.measure([sys.executable, "-c", "import sys; print('x'); sys.exit(3)"], cwd=REPO)
    assert measured.returncode == 3 and not measured.ok
    assert measured.stdout.strip() == "x"


def test_combine_takes_medians_of_the_rounds_that_worked() -> None:
    def m(wall: float, cpu: float, pss: float) -> object:
        return bench.Measured(wall=wall, cpu=cpu, pss_mb=pss, rss_mb=pss, returncode=0, stdout="", stderr="")

    runs = [
        bench.Step(measured=m(3.0, 2.0, 90)),
        bench.Step(measured=m(1.0, 1.0, 70)),
        bench.Step(measured=m(2.0, 5.0, 80)),
    ]
    cell = bench.combine("briefgen", "cold", runs)
    assert (cell.wall, cell.cpu, cell.pss_mb) == (2.0, 2.0, 80)
    assert cell.ok
    failed = bench.combine(
        "briefgen", "cold", [*runs[:2], bench.Step(measured=m(9, 9, 9), note="boom", ok=False)]
    )
    assert (failed.wall, failed.cpu) == (2.0, 1.5) and not failed.ok and failed.notes == ("boom",)


def test_bars_are_judged_at_10000_articles() -> None:
    def cell(tool: str, step: str, wall: float, cpu: float, pss: float) -> object:
        return bench.Cell(
            tool=tool, step=step, wall=wall, cpu=cpu, pss_mb=pss, rss_mb=pss, rounds=(), notes=(), ok=True
        )

    result = bench.SizeResult(
        n=10_000,
        rounds=1,
        cells=(
            cell("briefgen", "cold", 50, 90, 450),
            cell("briefgen", "no change", 0.5, 0.4, 100),
            cell("briefgen", "one edit", 2.5, 1.5, 300),
            cell("pelican", "cold", 100, 100, 200),
        ),
        previews=(bench.Preview(tool="briefgen serve", start_s=8.0, median_ms=700.0),),
    )
    lines = bench.bar_lines(result)
    verdicts = {line.split(":")[1].split(",", 1)[1].strip(): line.rsplit(": ", 1)[1] for line in lines}
    assert verdicts == {
        "peak tree PSS": "ok",
        "no change, wall": "ok",
        "one edit, wall": "MISSED",
        "cold CPU against Pelican's": "ok",
        "preview start": "ok",
        "preview edit shown": "MISSED",
    }
    assert bench.bar_lines(dataclass_replace(result, n=1000)) == []


def dataclass_replace(obj: object, **changes: object) -> object:
    import dataclasses

    return dataclasses.replace(obj, **changes)  # type: ignore[type-var]


@pytest.mark.slow
@pytest.mark.skipif(not MAKE_CORPUS.is_file(), reason=f"{MAKE_CORPUS} is missing")
def test_a_real_run_prints_a_table_per_size(tmp_path: Path) -> None:
    """20 articles, briefgen and the floor only (Pelican and Hugo need their venvs), one round."""
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--sizes",
            "20",
            "--rounds",
            "1",
            "--skip",
            "pelican,hugo",
            "--no-preview",
            "--work",
            str(tmp_path / "work"),
            "--json",
            str(tmp_path / "results.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("20 articles, medians of 1 interleaved round(s)\n")
    [(header, rows)] = _tables(done.stdout)
    assert header == ["tool", "step", "wall s", "CPU s", "peak tree PSS MB", "largest RSS MB", "check"]
    assert [(r[0], r[1]) for r in rows] == [
        (tool, step) for tool in ("briefgen", "floor") for step in ("cold", "no change", "one edit")
    ]
    for row in rows:
        assert all(NUMBER.match(value) for value in row[2:6]), row
        assert row[6] == "ok"
    notes = done.stdout
    cold = re.search(r"^briefgen cold: .*; (\d+) files written, 0 unchanged$", notes, re.M)
    assert re.search(r"^briefgen no change: .*; 0 files written, \d+ unchanged$", notes, re.M)
    floor = re.search(r"^floor cold: .*; 20 read, (\d+) written, 0 stat$", notes, re.M)
    assert cold and floor and cold.group(1) == floor.group(1), "the floor writes what briefgen wrote"
    results = json.loads((tmp_path / "results.json").read_text())
    assert [c["tool"] for c in results["sizes"][0]["cells"]].count("briefgen") == 3
    assert not (tmp_path / "work" / "n20").exists(), "the scratch sites were kept without --keep"
