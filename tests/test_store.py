"""The analysis store: a damaged, planted or foreign entry is a miss, never an error and never code run."""

from __future__ import annotations

import json
import pickle
import sqlite3
from pathlib import Path

import msgspec
from conftest import Site

from briefgen.pipeline.state import STATE_NAME
from briefgen.pipeline.store import STORE_SCHEMA, AnalysisStore, encode


class _Planted:
    """Unpickling this would run a shell command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        import os

        return (os.system, (f"touch {self.marker}",))


def _database(site: Site) -> Path:
    return site.root / ".briefgen-cache" / f"v{STORE_SCHEMA}" / "analysis.sqlite"


def _report(site: Site, *args: str) -> dict[str, object]:
    run = site.build("--json", *args)
    assert run.returncode == 0, run.stderr
    report: dict[str, object] = json.loads(run.stdout)
    return report


def _forget_state(site: Site) -> None:
    """Without the build state, every record must come from the store (or be analysed again)."""
    (site.root / ".briefgen-cache" / STATE_NAME).unlink()


def test_without_the_state_a_build_reads_every_article_from_the_store(site: Site) -> None:
    assert _report(site)["cache_hits"] == 0
    assert _database(site).is_file()
    _forget_state(site)
    report = _report(site)
    assert report["cache_hits"] == 2
    assert report["pages"]["written"] == []  # the same analysis makes the same pages


def test_planted_entries_run_no_code_and_are_misses(site: Site, tmp_path: Path) -> None:
    assert _report(site)["cache_hits"] == 0
    marker = tmp_path / "pwned"
    with sqlite3.connect(_database(site)) as db:
        keys = [row[0] for row in db.execute("SELECT key FROM entries")]
        assert keys
        planted = [
            pickle.dumps(_Planted(marker)),
            encode({"not": "a record"}),
            b"\xff\x00 random bytes",
        ]
        for index, key in enumerate(keys):
            blob = planted[index % len(planted)]
            db.execute("UPDATE entries SET record = ?, briefing = ? WHERE key = ?", (blob, blob, key))
    _forget_state(site)
    report = _report(site)
    assert not marker.exists()
    assert report["cache_hits"] == 0 and report["briefings"] == 2
    assert "Halvorsen" in site.out("briefings/2025-03-01-dredging-plan/index.html")


def test_a_damaged_store_file_costs_only_speed(site: Site) -> None:
    assert _report(site)["cache_hits"] == 0
    for path in _database(site).parent.iterdir():
        path.write_bytes(b"this is not a database" * 100)
    _forget_state(site)
    report = _report(site)
    assert report["briefings"] == 2 and report["cache_hits"] == 0
    assert "Halvorsen" in site.out("briefings/2025-03-01-dredging-plan/index.html")


def test_a_damaged_state_file_costs_only_speed(site: Site) -> None:
    assert _report(site)["cache_hits"] == 0
    (site.root / ".briefgen-cache" / STATE_NAME).write_bytes(b"\x93garbage" * 50)
    report = _report(site)
    assert report["cache_hits"] == 2 and report["pages"]["written"] == []


def test_entries_written_by_one_process_are_read_by_another(tmp_path: Path) -> None:
    from briefgen.errors import Diagnostic, Severity
    from briefgen.model import Briefing

    writer = AnalysisStore(tmp_path)
    writer.put([("k", encode(("not", "a record")), encode(["nor", "a briefing"]))])
    reader = AnalysisStore(tmp_path)
    assert reader.records(["k", "missing"]) == {}  # the wrong shape is a miss
    assert reader.briefings(["k"]) == {}
    diagnostic = Diagnostic(Severity.WARNING, "w")
    assert msgspec.msgpack.decode(encode(diagnostic), type=Diagnostic) == diagnostic
    assert Briefing  # the typed decoders build only these types


def test_the_store_drops_the_entries_used_longest_ago_past_its_cap(tmp_path: Path) -> None:
    store = AnalysisStore(tmp_path, max_bytes=10_000)
    old = [(f"old-{i}", b"r" * 500, b"b" * 500) for i in range(8)]
    store.put(old)
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE entries SET used = 1")  # long ago
    store.put([(f"new-{i}", b"r" * 500, b"b" * 500) for i in range(8)])
    store.finish()
    with sqlite3.connect(store.path) as db:
        left = {row[0] for row in db.execute("SELECT key FROM entries")}
        size = db.execute("SELECT SUM(LENGTH(record) + LENGTH(briefing)) FROM entries").fetchone()[0]
    assert size <= 10_000
    assert {f"new-{i}" for i in range(8)} <= left  # the newest stay
    assert len(left) < 16
