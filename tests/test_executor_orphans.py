"""No worker outlives its caller: a real parent process maps over slow items with a ProcessExecutor, is
sent SIGKILL, SIGTERM or SIGINT while its workers run, and every process it forked must be gone within a
few seconds. Its descendants are found by a tag in their inherited environment (/proc/PID/environ), so
reparenting and process groups cannot hide one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

REPO = Path(__file__).resolve().parent.parent
PARENT = textwrap.dedent(
    """
    import time
    from briefgen.executor import ProcessExecutor

    def slow(x):
        for _ in range(600):  # 30 s, unless something ends it
            time.sleep(0.05)
        return x

    with ProcessExecutor(2) as executor:
        for result in executor.map(slow, list(range(100))):
            pass
    """
)
DASK_PARENT = textwrap.dedent(
    """
    import time
    from briefgen.executor_dask import DaskExecutor

    # time.sleep, not a function of this script: the workers import what they run, and cannot import
    # a script's __main__
    with DaskExecutor(None, jobs=2) as executor:
        for result in executor.map(time.sleep, [30] * 100):
            pass
    """
)
GONE_WITHIN_S = 5.0


def tagged(tag: bytes) -> list[int]:
    """Live (not zombie) processes whose environment carries the tag."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if tag not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            found.append(int(entry.name))
    return found


@dataclass
class KillOutcome:
    running_before: int  # tagged processes alive when the signal was sent (parent, broker, workers)
    orphans: int  # tagged processes still alive GONE_WITHIN_S after the parent ended


def kill_parent(
    tmp_path: Path,
    signum: int,
    *,
    delay_s: float | None,
    source: str = PARENT,
    gone_within_s: float = GONE_WITHIN_S,
) -> KillOutcome:
    """Start the parent, send `signum` after `delay_s` (None: once both workers run), count leftovers."""
    script = tmp_path / "parent.py"
    script.write_text(source)
    tag = f"BRIEFGEN_ORPHAN_TAG={uuid.uuid4().hex}"
    env = {**os.environ, "BRIEFGEN_ORPHAN_TAG": tag.split("=", 1)[1], "PYTHONWARNINGS": "ignore"}
    parent = subprocess.Popen([sys.executable, str(script)], cwd=REPO, env=env, stderr=subprocess.DEVNULL)
    try:
        if delay_s is None:
            deadline = time.monotonic() + 20
            while len(tagged(tag.encode())) < 4 and time.monotonic() < deadline:  # parent, broker, 2 workers
                time.sleep(0.02)
            time.sleep(random.uniform(0, 0.3))
        else:
            time.sleep(delay_s)
        running = len(tagged(tag.encode()))
        parent.send_signal(signum)
        parent.wait(timeout=20)
        deadline = time.monotonic() + gone_within_s
        while tagged(tag.encode()) and time.monotonic() < deadline:
            time.sleep(0.05)
        leftovers = tagged(tag.encode())
    finally:
        parent.kill()
        parent.wait()
    for pid in leftovers:  # never leave them behind for the rest of the suite
        os.kill(pid, signal.SIGKILL)
    return KillOutcome(running_before=running, orphans=len(leftovers))


@pytest.mark.parametrize(
    "signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["KILL", "TERM", "INT"]
)
def test_no_worker_outlives_a_killed_caller(tmp_path: Path, signum: int) -> None:
    outcomes = [kill_parent(tmp_path, signum, delay_s=None) for _ in range(3)]
    assert [o.running_before for o in outcomes] == [4, 4, 4]
    assert [o.orphans for o in outcomes] == [0, 0, 0]


@pytest.mark.slow
def test_twenty_random_kills_leave_no_orphan(tmp_path: Path) -> None:
    """Random signal, random moment from start-up on: also while the broker or a worker is being forked."""
    rng = random.Random(20)
    outcomes = []
    for _ in range(20):
        signum = rng.choice([signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
        outcomes.append(kill_parent(tmp_path, signum, delay_s=rng.uniform(0.05, 1.0)))
    print(
        f"kills: {len(outcomes)}, with workers running: {sum(o.running_before >= 4 for o in outcomes)}, "
        f"orphans: {sum(o.orphans for o in outcomes)}"
    )
    assert sum(o.orphans for o in outcomes) == 0
    assert sum(o.running_before >= 4 for o in outcomes) >= 5  # most kills hit a running pool


@pytest.mark.slow
@pytest.mark.parametrize(
    "signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["KILL", "TERM", "INT"]
)
def test_no_dask_worker_outlives_a_killed_caller(tmp_path: Path, signum: int) -> None:
    pytest.importorskip("distributed", reason="dask is not installed: pip install 'briefgen[dask]'")
    outcome = kill_parent(tmp_path, signum, delay_s=6.0, source=DASK_PARENT, gone_within_s=10.0)
    assert outcome.running_before >= 4  # the parent, the Dask client process and two workers at least
    assert outcome.orphans == 0
