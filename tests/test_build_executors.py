"""Where a build's work runs: `--executor dask` builds the site that `--executor local` builds, byte for
byte, on a real LocalCluster on loopback (its own, or one at `--scheduler`); the analysis and the
same-story join run on the Dask workers while pages still render in forked local processes; and work
that had to run in the build's own process is reported.

Each pair of builds shares one content folder (so inputs and mtimes are the same) and differs only in
its output and cache folders (`--config`). Builds run in this process: the Dask client runs in a
process of its own, so no Dask thread is left here (the suite's autouse check would fail the test).
"""

from __future__ import annotations

import json
import math
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.corpus.story_join import CHUNK_ROWS
from briefgen.executor import chunk_size
from briefgen.render.search import varies_between_runs
from tests.conftest import REPO, run_briefgen
from tests.generated_site import write_generated_site

RAN_HERE = "ran in the build's process"
GENERATED = 2_000


def configure(root: Path, name: str, base: str = "") -> Path:
    """A config of the site with its own output and cache folders; its path."""
    path = root / f"{name}.yml"
    path.write_text(f"{base}\noutput_dir: out-{name}\ncache_dir: .cache-{name}\n", encoding="utf-8")
    return path


def build(root: Path, config: Path, *args: str) -> dict[str, Any]:
    run = run_briefgen("build", "--site", str(root), "--config", str(config), "--json", "--jobs", "2", *args)
    assert run.returncode == 0, run.stderr
    report: dict[str, Any] = json.loads(run.stdout)
    assert report["ok"] and report["committed"], report["diagnostics"]
    return report


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site but the writer's record of mtimes, and the files of the search bundle
    that Pagefind writes differently from run to run for the same pages (Pagefind/pagefind#638)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel != ".briefgen-files" and not varies_between_runs(rel):
            found[rel] = path.read_bytes()
    return found


def assert_same_site(expected: Path, actual: Path) -> None:
    want, got = site_files(expected), site_files(actual)
    assert sorted(want) == sorted(got), set(want) ^ set(got)
    differing = [rel for rel in want if want[rel] != got[rel]]
    assert not differing, f"{len(differing)} of {len(want)} files differ, first: {differing[:5]}"


def pages(report: dict[str, Any]) -> dict[str, list[str]]:
    """What the build wrote and removed, but the search bundle's files that Pagefind names differently
    from run to run (so also not the count of files left unchanged, which counts those)."""
    return {
        change: [rel for rel in report["pages"][change] if not varies_between_runs(rel)]
        for change in ("written", "removed")
    }


def ran_here(report: dict[str, Any]) -> list[str]:
    return [d["message"] for d in report["diagnostics"] if RAN_HERE in d["message"]]


def edit(path: Path, paragraph: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + paragraph + "\n", encoding="utf-8")


# --- work that ran in the build's process is reported ---------------------------------------------


def test_work_that_could_not_fork_is_reported_as_info(tmp_path: Path) -> None:
    """With another thread alive the forked pool runs the items in the build's process; the build says
    so (an info diagnostic, shown with --verbose and in --json), and says nothing when it could fork."""
    write_generated_site(tmp_path / "content", 60)  # above collect's threshold for worker processes
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        report = build(tmp_path, configure(tmp_path, "threaded"))
    finally:
        stop.set()
        thread.join()
    assert len(ran_here(report)) == 1
    assert "2 worker processes" in ran_here(report)[0] and "threads alive" in ran_here(report)[0]
    assert all(d["severity"] == "info" for d in report["diagnostics"] if RAN_HERE in d["message"])
    again = build(tmp_path, configure(tmp_path, "alone"))
    assert ran_here(again) == []
    assert_same_site(tmp_path / "out-threaded", tmp_path / "out-alone")
    nothing_changed = build(tmp_path, configure(tmp_path, "threaded"))
    assert ran_here(nothing_changed) == []  # a no-change build ran nothing: it repeats no such note


# --- Dask ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    pytest.importorskip("distributed", reason="dask is not installed: pip install 'briefgen[dask]'")
    from tests.dask_cluster import DaskCluster

    with DaskCluster(2) as cluster:
        yield cluster


@pytest.fixture
def no_process_outlives_the_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test after which a process that its builds started is still running: the Dask client
    process, or a worker of its LocalCluster (these are not this process's children once orphaned, so
    they are found by a mark in the environment they were started with)."""
    mark = f"BRIEFGEN_TEST_RUN={uuid.uuid4().hex}"
    monkeypatch.setenv(*mark.split("="))
    yield
    deadline = time.monotonic() + 10  # the client process closes its cluster, then ends
    while (left := processes_started_with(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"still running after the builds: {left}"


def processes_started_with(mark: str) -> list[str]:
    """Command lines of the live processes whose environment at start held `mark`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and mark.encode() in (proc / "environ").read_bytes().split(b"\0"):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:  # ended, or another user's
            continue
    return found


@pytest.fixture
def every_stage_on_its_executor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small site runs its analysis and its pages in this process; here they go to the executors."""
    monkeypatch.setattr("briefgen.pipeline.collect.PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr("briefgen.pipeline.emit.PARALLEL_MIN_PAGES", 1)


@pytest.mark.slow
@pytest.mark.usefixtures("every_stage_on_its_executor", "no_process_outlives_the_test")
def test_sample_site_on_dask_is_byte_identical(tmp_path: Path, cluster: Any) -> None:
    root = tmp_path / "sample"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    base = (REPO / "briefgen.yml").read_text(encoding="utf-8")
    local, remote, own = (configure(root, name, base) for name in ("local", "remote", "own"))
    articles = len(list((root / "content").iterdir()))

    before = cluster.task_counts()
    reports = [
        build(root, local),
        build(root, remote, "--executor", "dask", "--scheduler", cluster.address),
        build(root, own, "--executor", "dask"),
    ]
    ran = cluster.task_counts() - before
    assert ran["analyse_job"] == math.ceil(articles / chunk_size(articles, 2))  # every article, there
    assert ran["join_chunk"] == math.ceil(reports[0]["briefings"] / CHUNK_ROWS) == 1
    assert all(ran_here(report) == [] for report in reports)  # pages rendered in forked processes
    assert reports[0]["related"] and reports[0]["related"] == reports[1]["related"] == reports[2]["related"]
    assert_same_site(root / "out-local", root / "out-remote")
    assert_same_site(root / "out-local", root / "out-own")

    edited = root / "content" / "2025-02-13-Hegseth-Says-US-Is-Not-Abandoning-Ukraine.txt"
    edit(edited, "Officials in Brussels said the talks would resume on Monday.")
    after = [
        build(root, local),
        build(root, remote, "--executor", "dask", "--scheduler", cluster.address),
        build(root, own, "--executor", "dask"),
    ]
    assert all(report["pages"]["written"] for report in after)
    assert pages(after[0]) == pages(after[1]) == pages(after[2])
    assert_same_site(root / "out-local", root / "out-remote")
    assert_same_site(root / "out-local", root / "out-own")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    write_generated_site(root / "content", GENERATED)
    return root


@pytest.mark.slow
@pytest.mark.usefixtures("no_process_outlives_the_test")
def test_generated_articles_on_dask_are_byte_identical(generated: Path, cluster: Any) -> None:
    """At 2,000 articles the join runs in several chunks. Against the test's cluster only: a build on
    its own LocalCluster differs in who starts the cluster, which the sample site's test covers (with
    one edit too); each cold build here costs about 20 s of CPU, and CI's time is shared."""
    root = generated
    local, remote = configure(root, "local"), configure(root, "remote")
    on_dask = ("--executor", "dask", "--scheduler", cluster.address)
    before = cluster.task_counts()
    reports = [build(root, local), build(root, remote, *on_dask)]
    ran = cluster.task_counts() - before
    assert ran["analyse_job"] == math.ceil(GENERATED / chunk_size(GENERATED, 2))
    assert ran["join_chunk"] == math.ceil(GENERATED / CHUNK_ROWS) > 1  # the whole join, on the workers
    assert all(ran_here(report) == [] for report in reports)
    linked = sum(bool(links) for links in reports[0]["related"].values())
    assert linked > GENERATED // 2  # the join found stories: a comparison of empty links proves little
    assert reports[0]["related"] == reports[1]["related"]
    assert_same_site(root / "out-local", root / "out-remote")

    before = cluster.task_counts()
    for path in sorted((root / "content").iterdir())[::40]:  # 50 edits: analysed on the executor
        edit(path, "Officials said the decision had been postponed until the autumn.")
    many = [build(root, local), build(root, remote, *on_dask)]
    assert cluster.task_counts()["analyse_job"] > before["analyse_job"]
    assert 0 < len(pages(many[0])["written"]) < 7_000  # an incremental build, not a full one
    assert pages(many[0]) == pages(many[1])
    assert many[0]["related"] == many[1]["related"]
    assert_same_site(root / "out-local", root / "out-remote")
