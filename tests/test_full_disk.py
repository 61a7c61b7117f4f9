"""A disk that fills up mid-build is a user's problem to act on, not a traceback, and the old site stays
(issue 16 items 3 and 5: "A full disk says 'no space left writing …'").

The full disk is real: a small tmpfs mounted for the test (root only; skipped where mounting is not
allowed). A file-size limit (RLIMIT_FSIZE, any user) makes every larger write fail with another errno,
which takes the same path with its own message.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_briefgen
from tests.sitegen import site_files, write_content

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tmpfs and RLIMIT_FSIZE")

ARTICLES = 40


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs, unmounted after the test."""
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:8]}"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if made.returncode != 0 or not os.path.ismount(mount):
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def _fill(disk: Path, leave: int) -> None:
    """Take all but `leave` bytes of the disk's free space."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with (disk / "filler").open("wb") as handle:
        handle.truncate(0)
        handle.write(b"\0" * max(0, free - leave))


def test_a_full_disk_is_reported_and_leaves_the_old_site(small_disk: Path, tmp_path: Path) -> None:
    root = small_disk / "desk"
    write_content(root / "content", ARTICLES)
    assert (run := run_briefgen("build", "--site", str(root), "-q")).returncode == 0, run.stderr
    site = root / "site"
    before = site_files(site)
    (site / "CNAME").write_bytes(b"briefs.example.org\n")

    assert write_content(root / "content", ARTICLES, edited=True)  # pages to write again
    _fill(small_disk, leave=16 * 1024)
    run = run_briefgen("build", "--site", str(root), "-q")

    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert f"error: no space left writing {site}/" in run.stderr, run.stderr
    assert site_files(site, leave_out=frozenset({"CNAME"})) == before  # every page as it was
    assert (site / "CNAME").read_bytes() == b"briefs.example.org\n"
    assert not list(root.glob(".site.staging-*")), "the failed build's staging tree is removed"

    (small_disk / "filler").unlink()  # space again: the next build completes the edit
    assert (run := run_briefgen("build", "--site", str(root), "-q")).returncode == 0, run.stderr
    reference = tmp_path / "reference"  # (off the small disk)
    assert (
        run_briefgen("build", "--site", str(root), "--no-cache", "--output", str(reference)).returncode == 0
    )
    assert _outside_search_chunks(site_files(site, leave_out=frozenset({"CNAME"}))) == _outside_search_chunks(
        site_files(reference)
    )


def _outside_search_chunks(files: dict[str, bytes]) -> dict[str, bytes]:
    """Leaves out Pagefind's index chunks: on a tmpfs a folder lists its files in the order they were
    made, and Pagefind's chunks follow that order (a build that rewrote some pages lists them first)."""
    return {rel: data for rel, data in files.items() if not rel.startswith("pagefind/index/")}


def test_a_write_refused_by_a_file_size_limit_names_the_file(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    write_content(root / "content", 6)
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))\n"
        "from briefgen.cli import main\n"
        f"sys.exit(main(['build', '--site', {str(root)!r}, '-q', '--no-cache']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"error: cannot write {root / 'site'}/" in done.stderr and ": File too large" in done.stderr
    assert not (root / "site").exists() or not any((root / "site").iterdir())
    assert not list(root.glob(".site.staging-*"))
