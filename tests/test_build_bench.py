"""benchmarks/build_bench.py: its helpers, and one real run on 30 articles without Pelican.

The script runs as a real process, as a user runs it: it starts and times `briefgen` processes itself.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "build_bench.py"
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
SECONDS = re.compile(r"^(n/a|\d+\.\d\d)$")
RATIO = re.compile(r"^(n/a|\d+\.\d\dx)$")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_bench"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


bench = _load()


def _table(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the one pipe table in the output; fails if it is not well formed."""
    lines = [ln for ln in text.splitlines() if ln.startswith("|")]
    assert len(lines) >= 3, text
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    header, rule, rows = cells[0], lines[1], cells[2:]
    assert re.fullmatch(r"\|(-+\|)+", rule), rule
    assert all(len(row) == len(header) for row in rows), text
    assert len({len(ln) for ln in lines}) == 1, "columns are not aligned"
    return header, rows


def test_pelican_article_converts_yaml_front_matter() -> None:
    text = (
        "---\n"
        'title: "A \\"quoted\\" title: with a colon"\n'
        "date: 2024-03-05T10:12:00Z\n"
        'tags: ["trade", "europe"]\n'
        'source: "Harbor Wire"\n'
        "---\n\nFirst paragraph.\n\n## A heading\n\nSecond paragraph.\n"
    )
    out = bench.pelican_article("00007-a-quoted-title", text)
    head, body = out.split("\n\n", 1)
    assert head.splitlines() == [
        'Title: A "quoted" title: with a colon',
        "Date: 2024-03-05 10:12:00",
        "Tags: trade, europe",
        "Source: Harbor Wire",
        "Slug: 00007-a-quoted-title",
    ]
    assert body == "First paragraph.\n\n## A heading\n\nSecond paragraph.\n"


def test_pelican_article_without_front_matter_uses_the_file_stem() -> None:
    out = bench.pelican_article("notes", "Just a body.\n")
    assert out == "Title: notes\nSlug: notes\n\nJust a body.\n"


def test_snapshot_changes_sees_added_removed_and_touched_files(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("a", encoding="utf-8")
    (tmp_path / "b.html").write_text("b", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("c", encoding="utf-8")
    before = bench.snapshot(tmp_path)
    assert bench.snapshot_changes(before, bench.snapshot(tmp_path)) == ([], [], [])

    (tmp_path / "a.html").unlink()
    (tmp_path / "d.html").write_text("d", encoding="utf-8")
    (tmp_path / "sub" / "c.html").write_text("longer", encoding="utf-8")
    added, removed, touched = bench.snapshot_changes(before, bench.snapshot(tmp_path))
    assert (added, removed, touched) == (["d.html"], ["a.html"], ["sub/c.html"])


def test_report_counts_accept_lists_or_numbers() -> None:
    timed = bench.Timed(
        seconds=1.0, returncode=0, stdout='noise\n{"pages": {"written": ["a", "b"]}}', stderr=""
    )
    report = bench.build_report(timed)
    assert report is not None
    assert bench.count(report["pages"]["written"]) == 2
    assert bench.count(7) == 7
    assert bench.count(None) == 0
    assert bench.build_report(bench.Timed(seconds=1.0, returncode=1, stdout="", stderr="boom")) is None


def test_format_table_aligns_rows_and_computes_the_ratio() -> None:
    results = bench.Results(
        articles=10,
        rows=(
            bench.Row(step="cold build", briefgen=1.5, pelican=3.0, notes=("fast",)),
            bench.Row(step="no-change rebuild", briefgen=0.25, ok=False),
        ),
        notes=("corpus: test",),
    )
    text = bench.format_table(results)
    header, rows = _table(text)
    assert header == ["step", "briefgen s", "pelican s", "briefgen/pelican", "check"]
    assert rows == [
        ["cold build", "1.50", "3.00", "0.50x", "ok"],
        ["no-change rebuild", "0.25", "n/a", "n/a", "FAIL"],
    ]
    assert "cold build: fast" in text.splitlines()
    assert not results.ok


@pytest.mark.slow
@pytest.mark.skipif(not MAKE_CORPUS.is_file(), reason=f"{MAKE_CORPUS} is missing")
def test_a_real_run_prints_a_well_formed_table(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--articles",
            "30",
            "--pelican-venv",
            str(tmp_path / "no-venv"),
            "--work",
            str(tmp_path / "work"),
            "--json",
            str(tmp_path / "results.json"),
            "--one-process",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout.startswith("build benchmark: 30 articles\n")
    header, rows = _table(done.stdout)
    assert header == ["step", "briefgen s", "pelican s", "briefgen/pelican", "check"]
    assert [row[0] for row in rows] == ["cold build", "no-change rebuild", "cold build, one process"]
    for _step, briefgen_s, pelican_s, ratio, check in rows:
        assert SECONDS.match(briefgen_s) and pelican_s == "n/a" and RATIO.match(ratio) and ratio == "n/a"
        assert check in ("ok", "FAIL")
    assert rows[0][1] != "n/a" and rows[2][1] != "n/a", "a cold build was not timed"
    assert rows[2][4] == "ok", done.stdout  # --jobs 1 builds the same corpus
    assert re.search(
        r"^parallel scaling: two processes at once do \d+\.\d\dx the work of one", done.stdout, re.M
    )
    assert (done.returncode == 0) == all(row[4] == "ok" for row in rows)
    assert "Pelican rows skipped" in done.stdout
    assert not (tmp_path / "work").exists(), "the scratch folder was kept without --keep"
    assert (tmp_path / "results.json").is_file()
