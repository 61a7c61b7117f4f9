"""Twenty random kills of real `briefgen build` and `briefgen serve` processes (issue 16 item 6).

A generated site of a few hundred articles (tests/sitegen.py) is built first as reference outputs of
both its versions (`--no-cache --output`, into folders of their own), then into site/, where a user
puts `CNAME` and `.well-known/security.txt`. Each round then starts a real process, every second round
after editing some articles (so the build has pages to replace) and the others after deleting the
cache (so it analyses everything on worker processes), and sends it SIGKILL, SIGTERM or SIGINT at a
random moment: from the process's start on, or, for a build after the cache was deleted, once its
workers run. After each kill:

- no process of that run is left: its descendants are found by a tag in their environment (/proc), so
  reparenting and process groups cannot hide one;
- site/ exists, every page in it is byte-equal to the last completed build's page or the new build's
  for the same path, no page both builds make is missing, and the user's files are there unchanged;
- the next normal build succeeds and its site/ equals the reference output of the same content, and
  leaves no staging tree behind.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_briefgen
from tests.sitegen import site_files, write_content
from tests.test_executor_orphans import tagged

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

ARTICLES = 200
KILLS = 20
SERVE_ROUNDS = frozenset({2, 5, 10, 13, 18})  # the others run `briefgen build`
GONE_WITHIN_S = 5.0
USER_FILES = {
    "CNAME": b"briefs.example.org\n",
    ".well-known/security.txt": b"Contact: mailto:sec@example.org\n",
}
SIGNALS = {signal.SIGKILL: "KILL", signal.SIGTERM: "TERM", signal.SIGINT: "INT"}


@dataclass(frozen=True)
class Outcome:
    command: str
    signal: str
    edited: bool  # the round edited articles (else it deleted the cache)
    running: bool  # the process had not ended when the signal was sent
    processes: int  # processes of the run alive when the signal was sent (parent and workers)
    orphans: int
    pages_lost: int  # pages both builds make, missing from site/
    pages_wrong: int  # pages in site/ equal to neither build's page
    staging_left: int  # staging trees beside site/ just after the kill (the next build removes them)


def _build_reference(root: Path, out: Path) -> dict[str, bytes]:
    run = run_briefgen("build", "--site", str(root), "--no-cache", "--output", str(out), "-q")
    assert run.returncode == 0, run.stderr
    return site_files(out)


def _pages(site: Path) -> dict[str, bytes]:
    return site_files(site, leave_out=frozenset(USER_FILES))


def _start(root: Path, command: str, tag: str, log: Path) -> subprocess.Popen[bytes]:
    args = (
        ["build", "--site", str(root)]
        if command == "build"
        else ["serve", "--site", str(root), "--port", "0"]
    )
    env = {**os.environ, "BRIEFGEN_KILL_TAG": tag, "PYTHONWARNINGS": "ignore", "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "briefgen", *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            env=env,
        )


def _kill(proc: subprocess.Popen[bytes], signum: int, tag: bytes) -> tuple[bool, int, int]:
    """(running when signalled, processes alive then, processes left GONE_WITHIN_S after it ended)."""
    processes = len(tagged(tag))
    running = proc.poll() is None
    if running:
        proc.send_signal(signum)
    try:
        proc.wait(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + GONE_WITHIN_S
    while tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = tagged(tag)
    for pid in left:  # never leave them to the rest of the suite
        os.kill(pid, signal.SIGKILL)
    return running, processes, len(left)


def _wait_for_workers(proc: subprocess.Popen[bytes], tag: bytes, timeout_s: float) -> None:
    """Until the build has forked its worker processes (parent, broker, workers), or has ended."""
    deadline = time.monotonic() + timeout_s
    while len(tagged(tag)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


def _check_site(site: Path, old: dict[str, bytes], new: dict[str, bytes]) -> tuple[int, int]:
    """(pages lost, pages equal to neither build's) of a site/ left by a killed build."""
    assert site.is_dir(), "site/ is gone"
    for rel, data in USER_FILES.items():
        assert (site / rel).read_bytes() == data, f"the user's {rel} changed or went"
    pages = _pages(site)
    lost = [rel for rel in old.keys() & new.keys() if rel not in pages]
    wrong = [rel for rel, data in pages.items() if data not in (old.get(rel), new.get(rel))]
    return len(lost), len(wrong)


def test_twenty_random_kills_lose_no_page_and_leave_no_process(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    content = root / "content"
    write_content(content, ARTICLES, edited=True)
    references = {True: _build_reference(root, tmp_path / "ref-edited")}
    write_content(content, ARTICLES, edited=False)
    references[False] = _build_reference(root, tmp_path / "ref-original")
    assert references[True] != references[False]

    started = time.monotonic()
    first = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--site", str(root), "-q"],
        capture_output=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    cold_s = time.monotonic() - started  # a cold build's length, as this machine runs it now
    assert first.returncode == 0, first.stderr
    site = root / "site"
    assert _pages(site) == references[False]
    for rel, data in USER_FILES.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)

    rng = random.Random(16)
    signals = [signal.SIGKILL] * 7 + [signal.SIGTERM] * 7 + [signal.SIGINT] * 6
    rng.shuffle(signals)
    edited = False  # the content version site/ was last built from
    outcomes: list[Outcome] = []
    for number, signum in enumerate(signals):
        version = not edited if number % 2 else edited
        if number % 2:
            assert write_content(content, ARTICLES, edited=version)
        else:
            shutil.rmtree(root / ".briefgen-cache")
        command = "serve" if number in SERVE_ROUNDS else "build"
        tag = f"kill-{uuid.uuid4().hex}"
        proc = _start(root, command, tag, tmp_path / f"round-{number}.log")
        if number % 2 or command == "serve":
            time.sleep(rng.uniform(0.05, cold_s))  # from start-up to the commit of the pages, or after it
        else:  # a cold build: some moment after its workers have started
            _wait_for_workers(proc, tag.encode(), timeout_s=cold_s + 30)
            time.sleep(rng.uniform(0, 0.5))  # 200 articles keep two workers busy for a second or more
        running, processes, orphans = _kill(proc, signum, tag.encode())
        lost, wrong = _check_site(site, references[edited], references[version])
        staging = len(list(root.glob(".site.staging-*")))
        outcomes.append(
            Outcome(
                command, SIGNALS[signum], bool(number % 2), running, processes, orphans, lost, wrong, staging
            )
        )

        run = run_briefgen("build", "--site", str(root), "-q")
        assert run.returncode == 0, f"round {number}: the build after the kill failed: {run.stderr}"
        assert _pages(site) == references[version], f"round {number}: site/ differs from a clean full build"
        assert all((site / rel).read_bytes() == data for rel, data in USER_FILES.items())
        assert not list(root.glob(".site.staging-*")), "a staging tree was left behind"
        edited = version

    by_signal = {name: sum(o.signal == name for o in outcomes) for name in SIGNALS.values()}
    print(
        f"\nkills: {len(outcomes)} ({', '.join(f'{n} {k}' for k, n in by_signal.items())}; "
        f"{sum(o.command == 'serve' for o in outcomes)} of serve), "
        f"during a run: {sum(o.running for o in outcomes)}, "
        f"with workers alive: {sum(o.processes > 1 for o in outcomes)}, "
        f"orphans: {sum(o.orphans for o in outcomes)}, pages lost: {sum(o.pages_lost for o in outcomes)}, "
        f"pages wrong: {sum(o.pages_wrong for o in outcomes)}, "
        f"staging trees left by a kill (removed by the next build): {sum(o.staging_left for o in outcomes)}; "
        f"cold build {cold_s:.1f} s"
    )
    for o in outcomes:
        print(f"  {o}")
    assert sum(o.orphans for o in outcomes) == 0
    assert sum(o.pages_lost for o in outcomes) == 0
    assert sum(o.pages_wrong for o in outcomes) == 0
    assert sum(o.running for o in outcomes) >= KILLS // 2, "most kills must hit a running process"
    assert sum(o.processes >= 3 for o in outcomes) >= 3, "some kills must hit a build's worker processes"
