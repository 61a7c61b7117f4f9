"""A build stopped between committing its pages and committing their search index leaves the index to
the next build, and Pagefind never outlives a killed build (found by tests/test_random_kills.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

import briefgen.pipeline
from briefgen.render.search import SEARCH_DIR
from tests.conftest import Site, run_briefgen
from tests.sitegen import site_files, write_content
from tests.test_executor_orphans import tagged

FERRIES = """
---
title: Ferry crews vote to strike
---
Ferry crews voted on Sunday to strike for a week over pay, the union said.
"""


def _bundle(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in site_files(folder).items() if rel.startswith(f"{SEARCH_DIR}/")}


def test_the_next_build_indexes_the_pages_a_stopped_build_committed(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert site.build().returncode == 0
    site.write("content/2025-03-05-ferries.md", FERRIES)

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C (or SIGTERM) while Pagefind runs: the pages are committed

    with monkeypatch.context() as patch:
        patch.setattr(briefgen.pipeline, "index_site", stopped)
        assert site.build().returncode == 130
    assert (site.root / "site" / "briefings" / "2025-03-05-ferries" / "index.html").is_file()

    assert site.build().returncode == 0
    reference = tmp_path / "reference"
    assert site.build("--no-cache", "--output", str(reference)).returncode == 0
    assert _bundle(site.root / "site") == _bundle(reference)


def test_a_preview_stopped_before_its_index_leaves_it_to_the_next_build(site: Site, tmp_path: Path) -> None:
    from briefgen.config import load_config
    from briefgen.pipeline import BuildOptions, BuildSession, build

    assert site.build().returncode == 0
    site.write("content/2025-03-05-ferries.md", FERRIES)
    session = BuildSession(BuildOptions(parallel=False), persistent=True)
    result = build(load_config(site.root / "briefgen.yml"), session=session)
    assert result.committed and session.search_pending  # a preview indexes behind; it stops first

    assert site.build().returncode == 0
    reference = tmp_path / "reference"
    assert site.build("--no-cache", "--output", str(reference)).returncode == 0
    assert _bundle(site.root / "site") == _bundle(reference)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_pagefind_ends_with_a_killed_build(tmp_path: Path) -> None:
    write_content(tmp_path / "content", 120)
    assert run_briefgen("build", "--site", str(tmp_path), "-q").returncode == 0
    write_content(tmp_path / "content", 120, edited=True)  # pages to index again
    tag = f"search-{uuid.uuid4().hex}"
    env = {**os.environ, "BRIEFGEN_SEARCH_TAG": tag, "PYTHONWARNINGS": "ignore"}
    build = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", "--site", str(tmp_path), "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not _pagefind_running(tag) and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert _pagefind_running(tag), "the build ended before Pagefind was seen"
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
        time.sleep(0.5)
        left = tagged(tag.encode())
    finally:
        build.kill()
        build.wait()
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
    scratch = [p for p in Path(tempfile.gettempdir()).glob("briefgen-search-*") if _dead_owner(p)]
    assert run_briefgen("build", "--site", str(tmp_path), "-q").returncode == 0
    assert not [p for p in scratch if p.exists()], "the next build removes a killed build's scratch folder"


def _pagefind_running(tag: str) -> bool:
    for pid in tagged(tag.encode()):
        try:
            if "pagefind" in Path(f"/proc/{pid}/exe").resolve().name:
                return True
        except OSError:
            continue
    return False


def _dead_owner(folder: Path) -> bool:
    """A scratch folder of a process that is gone (its name holds the process id)."""
    pid = folder.name.removeprefix("briefgen-search-").split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def test_fragments_of_an_earlier_bundle_left_unrecorded_go_with_the_next_index(
    site: Site, tmp_path: Path
) -> None:
    """A kill while a bundle is committed can leave fragments the record does not list (seen in
    test_random_kills); the bundle's folder is briefgen's alone, so the next index removes them."""
    assert site.build().returncode == 0
    stray = site.root / "site" / SEARCH_DIR / "fragment" / "en_0000000stray.pf_fragment"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"left by a killed build")
    site.write("content/2025-03-05-ferries.md", FERRIES)
    assert site.build().returncode == 0
    assert not stray.exists()
    reference = tmp_path / "reference"
    assert site.build("--no-cache", "--output", str(reference)).returncode == 0
    assert _bundle(site.root / "site").keys() == _bundle(reference).keys()
