"""The output guard: nothing escapes site/, one path one source, unchanged files untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import OutputConflictError
from briefgen.render.writer import OutputSet, Staging, commit, safe_relative


@pytest.mark.parametrize("rel", ["../x.html", "a/../../x", "/etc/passwd", "", "a\\..\\b", "."])
def test_paths_outside_the_site_are_refused(rel: str) -> None:
    with pytest.raises(OutputConflictError):
        safe_relative(rel)


def test_one_path_two_sources() -> None:
    outputs = OutputSet()
    outputs.add("a/index.html", b"1", origin="content/a.md")
    with pytest.raises(OutputConflictError, match=r"content/a\.md and content/a\.txt"):
        outputs.add("a/./index.html", b"2", origin="content/a.txt")


def test_commit_swaps_prunes_and_keeps_unchanged_inodes(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = commit(out, {"a.html": b"A", "b/index.html": b"B", "old.html": b"O"})
    assert sorted(first.written) == ["a.html", "b/index.html", "old.html"]
    inode = (out / "a.html").stat().st_ino
    second = commit(out, {"a.html": b"A", "b/index.html": b"B2"})
    assert second.written == ("b/index.html",)
    assert second.removed == ("old.html",)
    assert second.unchanged == 1
    assert (out / "a.html").stat().st_ino == inode
    assert (out / "b/index.html").read_bytes() == b"B2"
    assert not (out / "old.html").exists()
    assert not list(tmp_path.glob(".site.*"))  # no staging or trash left behind


def test_commit_in_place_writes_only_changes(tmp_path: Path) -> None:
    out = tmp_path / "site"
    commit(out, {"a.html": b"A", "x/y.html": b"Y"})
    mtime = (out / "a.html").stat().st_mtime_ns
    result = commit(out, {"a.html": b"A", "c.html": b"C"}, in_place=True)
    assert result.written == ("c.html",)
    assert result.removed == ("x/y.html",)
    assert (out / "a.html").stat().st_mtime_ns == mtime
    assert not (out / "x").exists()


def test_files_placed_while_rendering_are_committed_as_decided(tmp_path: Path) -> None:
    out = tmp_path / "site"
    commit(out, {"a/index.html": b"A", "b/index.html": b"B", "old.html": b"O"})
    inode = (out / "a/index.html").stat().st_ino
    staging = Staging(out)
    same, changed, superseded = b"A", b"B2", b"first draft"
    staging.place("a/index.html", same)
    staging.place("b/./index.html", changed)  # normalised like OutputSet.add
    staging.place("c/index.html", superseded)
    assert not (out / "c").exists()  # site/ itself is untouched until the swap
    final_c = b"C"  # a different bytes object for a placed path: the commit writes the final one
    files = {"a/index.html": same, "b/index.html": changed, "c/index.html": final_c, "d.txt": b"D"}
    result = commit(out, files, staging=staging)
    assert sorted(result.written) == ["b/index.html", "c/index.html", "d.txt"]
    assert result.unchanged == 1
    assert result.removed == ("old.html",)
    assert (out / "a/index.html").stat().st_ino == inode  # hard-linked, not rewritten
    assert {rel: (out / rel).read_bytes() for rel in files} == files
    assert not (out / "old.html").exists()
    staging.discard()
    assert not list(tmp_path.glob(".site.*"))


def test_a_discarded_staging_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "site"
    commit(out, {"a.html": b"A"})
    staging = Staging(out)
    staging.place("a.html", b"broken build")
    staging.place("b/index.html", b"B")
    staging.discard()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["a.html"]
    assert (out / "a.html").read_bytes() == b"A"
    assert not list(tmp_path.glob(".site.*"))


def test_a_file_placed_twice_never_writes_through_a_link_into_the_site(tmp_path: Path) -> None:
    """Two pages claiming one path (an error the build reports): the second placement must not
    change the site's file through the hard link the first one made."""
    out = tmp_path / "site"
    commit(out, {"a.html": b"A", "b.html": b"B"})
    staging = Staging(out)
    staging.prepare(["a.html", "b.html"])
    staging.place("b.html", b"B2")  # a change: the swap is certain, so "a.html" is linked at once
    staging.finish_placing()
    staging.place("a.html", b"A")
    staging.finish_placing()
    staging.place("a.html", b"something else")
    staging.finish_placing()
    assert (out / "a.html").read_bytes() == b"A"
    staging.discard()
    assert (out / "a.html").read_bytes() == b"A"
