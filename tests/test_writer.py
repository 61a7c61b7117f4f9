"""The writer: only what briefgen wrote is ever replaced or removed, and only after a build succeeded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.errors import OutputConflictError, OutputFolderError
from briefgen.render.writer import RECORD_NAME, OutputFolder, clean_output, read_record, safe_relative


@pytest.mark.parametrize("rel", ["../x", "/etc/passwd", "a/../../b", "", "a\\b", "x\0y", RECORD_NAME])
def test_paths_outside_the_site_are_refused(rel: str) -> None:
    with pytest.raises(OutputConflictError):
        safe_relative(rel)


def _write(folder: OutputFolder, files: dict[str, bytes]) -> tuple[str, ...]:
    for rel, data in files.items():
        folder.stage(rel, data)
    return folder.commit(files).written


def test_a_commit_writes_changes_only_and_keeps_unchanged_files_untouched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert _write(OutputFolder(site), {"a.html": b"A", "d/b.html": b"B"}) == ("a.html", "d/b.html")
    before = (site / "a.html").stat()
    written = _write(OutputFolder(site), {"a.html": b"A", "d/b.html": b"B2", "c.html": b"C"})
    assert written == ("c.html", "d/b.html")
    after = (site / "a.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (site / "d/b.html").read_bytes() == b"B2"
    assert set(read_record(site) or {}) == {"a.html", "d/b.html", "c.html"}


def test_files_briefgen_did_not_write_survive_builds_and_clean(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write(OutputFolder(site), {"index.html": b"i", "old/index.html": b"o"})
    (site / "CNAME").write_text("example.org\n")
    (site / ".nojekyll").write_text("")
    (site / ".well-known").mkdir()
    (site / ".well-known" / "security.txt").write_text("Contact: x\n")
    (site / "old" / "notes.txt").write_text("mine\n")
    result = OutputFolder(site).commit({"index.html"})
    assert result.removed == ("old/index.html",)
    assert (site / "old" / "notes.txt").is_file()  # a folder holding a file of the user's stays
    assert clean_output(site) == ["index.html"]
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        ".nojekyll",
        ".well-known/security.txt",
        "CNAME",
        "old/notes.txt",
    ]


def test_a_folder_briefgen_did_not_make_is_refused_unless_forced(tmp_path: Path) -> None:
    other = tmp_path / "v"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    with pytest.raises(OutputFolderError, match="--force"):
        OutputFolder(other)
    _write(OutputFolder(other, force=True), {"index.html": b"i"})
    assert (other / "keep.txt").read_text() == "x"
    assert set(read_record(other) or {}) == {"index.html"}
    assert clean_output(other) == ["index.html"]
    assert (other / "keep.txt").read_text() == "x"
    empty = tmp_path / "empty"
    empty.mkdir()
    _write(OutputFolder(empty), {"index.html": b"i"})  # an empty folder needs no --force


def test_a_discarded_build_leaves_every_byte_and_no_staging(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write(OutputFolder(site), {"a.html": b"A"})
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    folder = OutputFolder(site)
    folder.stage("a.html", b"changed")
    folder.stage("b.html", b"new")
    folder.discard()
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_staging_left_by_a_killed_build_is_removed_by_the_next(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write(OutputFolder(site), {"a.html": b"A"})
    dead = subprocess.run(  # a process that has ended: its pid is known to be nobody's now
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    leftover = tmp_path / f".site.staging-{int(dead.stdout)}"
    (leftover / "x").mkdir(parents=True)
    (leftover / "x" / "index.html").write_text("half")
    OutputFolder(site)
    assert not leftover.exists()


def test_the_output_folder_is_never_absent_and_a_file_is_never_written_through(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write(OutputFolder(site), {"a.html": b"A"})
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"precious")
    (site / "a.html").unlink()
    os.link(outside, site / "a.html")  # a hard link out of the site: replaced, never written through
    folder = OutputFolder(site)
    folder.stage("a.html", b"new")
    inode = site.stat().st_ino
    folder.commit({"a.html"})
    assert site.stat().st_ino == inode  # the same folder, not a swapped-in tree
    assert outside.read_bytes() == b"precious" and (site / "a.html").read_bytes() == b"new"
