"""The analysis store: a damaged, planted or foreign entry is a miss, never an error and never code run."""

from __future__ import annotations

import json
import pickle
import sqlite3
from pathlib import Path

import msgspec
import pytest
from conftest import Site

from briefgen.config import default_config_text, load_config
from briefgen.errors import ConfigError
from briefgen.pipeline.state import STATE_NAME
from briefgen.pipeline.store import DEFAULT_MAX_BYTES, STORE_SCHEMA, AnalysisStore, encode
from tests.conftest import run_briefgen
from tests.sitegen import site_files, write_content


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


def _store_bytes(store: AnalysisStore) -> int:
    """The store's size on disk: its database and write-ahead log (not the log's fixed 32 KB index,
    `-shm`, which lives only while the store is open)."""
    files = [store.path, store.path.with_name(store.path.name + "-wal")]
    return sum(p.stat().st_size for p in files if p.exists())


def test_the_store_drops_the_entries_used_longest_ago_past_its_cap(tmp_path: Path) -> None:
    store = AnalysisStore(tmp_path, max_bytes=200_000)
    old = [(f"old-{i}", b"r" * 2_000, b"b" * 8_000) for i in range(20)]
    store.put(old)
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE entries SET used = 1")  # long ago
    store.put([(f"new-{i}", b"r" * 2_000, b"b" * 8_000) for i in range(10)])
    store.finish()
    with sqlite3.connect(store.path) as db:
        left = {row[0] for row in db.execute("SELECT key FROM entries")}
    assert _store_bytes(store) <= 200_000
    assert {f"new-{i}" for i in range(10)} <= left  # the newest stay
    assert 10 < len(left) < 30


def test_the_cap_holds_against_one_builds_own_entries(tmp_path: Path) -> None:
    store = AnalysisStore(tmp_path, max_bytes=100_000)
    store.put([(f"key-{i}", b"r" * 2_000, b"b" * 8_000) for i in range(30)])
    store.finish()
    assert _store_bytes(store) <= 100_000
    with sqlite3.connect(store.path) as db:
        assert 0 < db.execute("SELECT COUNT(*) FROM entries").fetchone()[0] < 30


def test_the_cache_cap_is_a_setting(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    config = tmp_path / "briefgen.yml"
    assert load_config(config).limits.cache_mb == 1024  # MB: the store's DEFAULT_MAX_BYTES
    assert DEFAULT_MAX_BYTES == 1024 << 20
    config.write_text("limits:\n  cache_mb: 0.5\n")
    assert load_config(config).limits.cache_mb == 0.5
    for bad in ("0", "-3", "lots", "true"):
        config.write_text(f"title: Desk\nlimits:\n  cache_mb: {bad}\n")
        with pytest.raises(ConfigError) as caught:
            load_config(config)
        assert str(caught.value).startswith(
            f"{config}:3: error: limits.cache_mb must be a number of megabytes > 0"
        )
    assert "  cache_mb: 1024\n" in default_config_text()


def test_a_build_with_a_tiny_cache_cap_keeps_the_store_under_it_and_builds_the_same_site(
    tmp_path: Path,
) -> None:
    root = tmp_path / "desk"
    (root / "briefgen.yml").parent.mkdir()
    (root / "briefgen.yml").write_text("limits:\n  cache_mb: 0.125\n")
    cap = 0.125 * (1 << 20)
    store = AnalysisStore(root / ".briefgen-cache")  # to read its files
    for edited in (False, True):  # a cold build, then one after edits that re-reads what the store lost
        write_content(root / "content", 60, edited=edited)
        run = run_briefgen("build", "--site", str(root), "-q")
        assert run.returncode == 0, run.stderr
        assert 0 < _store_bytes(store) <= cap
        with sqlite3.connect(store.path) as db:
            kept = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        assert 0 < kept < 60  # sixty analyses take about 500 KB: most were dropped
        reference = tmp_path / f"reference-{edited}"
        run = run_briefgen("build", "--site", str(root), "--no-cache", "--output", str(reference), "-q")
        assert run.returncode == 0, run.stderr
        assert site_files(root / "site") == site_files(reference)
