"""The analysis cache: a damaged or planted entry is a miss, never an error and never code run."""

from __future__ import annotations

import json
import pickle
import sqlite3
from pathlib import Path

from conftest import Site

from briefgen.cache import CACHE_SCHEMA, AnalysisCache


class _Planted:
    """Unpickling this would run a shell command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        import os

        return (os.system, (f"touch {self.marker}",))


def _database(site: Site) -> Path:
    return site.root / ".briefgen-cache" / f"v{CACHE_SCHEMA}" / "analysis.sqlite"


def _report(site: Site, *args: str) -> dict[str, object]:
    run = site.build("--json", *args)
    assert run.returncode == 0, run.stderr
    report: dict[str, object] = json.loads(run.stdout)
    return report


def test_a_warm_build_reads_every_article_from_the_cache(site: Site) -> None:
    assert _report(site)["cache_hits"] == 0
    assert _database(site).is_file()
    (site.root / "site").rename(site.root / "elsewhere")  # no stamp shortcut: the site must be rebuilt
    assert _report(site)["cache_hits"] == 2


def test_planted_entries_run_no_code_and_are_misses(site: Site, tmp_path: Path) -> None:
    assert _report(site)["cache_hits"] == 0
    marker = tmp_path / "pwned"
    with sqlite3.connect(_database(site)) as db:
        keys = [row[0] for row in db.execute("SELECT key FROM entries")]
        assert keys
        db.executemany(
            "UPDATE entries SET value = ? WHERE key = ?", [(pickle.dumps(_Planted(marker)), k) for k in keys]
        )
    (site.root / "site").rename(site.root / "elsewhere")
    report = _report(site)
    assert not marker.exists()
    assert report["cache_hits"] == 0 and report["briefings"] == 2
    assert "Halvorsen" in site.out("briefings/2025-03-01-dredging-plan/index.html")


def test_a_damaged_cache_file_costs_only_speed(site: Site) -> None:
    assert _report(site)["cache_hits"] == 0
    for path in _database(site).parent.iterdir():
        path.write_bytes(b"this is not a database" * 100)
    (site.root / "site").rename(site.root / "elsewhere")
    report = _report(site)
    assert report["briefings"] == 2 and report["cache_hits"] == 0
    assert "Halvorsen" in site.out("briefings/2025-03-01-dredging-plan/index.html")


def test_entries_written_by_one_process_are_read_by_another(tmp_path: Path) -> None:
    writer = AnalysisCache(tmp_path)
    writer.put("k", {"a": (1, 2)})
    assert writer.get("k", dict) is None  # queued, not yet written
    writer.flush()
    reader = AnalysisCache(tmp_path)
    assert reader.get("k", dict) == {"a": (1, 2)}
    assert reader.get("k", list) is None  # the wrong type is a miss
    assert (reader.hits, reader.misses) == (1, 1)
