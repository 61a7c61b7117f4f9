"""A real Dask LocalCluster on loopback, in a process of its own, for the tests of `--executor dask`.

The cluster and the client that watches it live in a child process (as briefgen's own Dask client
does), so the test process keeps no Dask threads and every other test may still fork. The child
prints the scheduler's address, then answers `tasks` with what the cluster's workers computed since
it started: one [task name, worker address] pair per task (Dask's task stream).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from types import TracebackType
from typing import Self

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from dask.utils import key_split
    from distributed import Client
    from briefgen.executor_dask_client import start_local_cluster

    cluster = start_local_cluster(int(sys.argv[1]))
    client = Client(cluster, set_as_default=False)
    client.get_task_stream()  # the scheduler records every task from now on
    print(json.dumps(cluster.scheduler_address), flush=True)
    for line in sys.stdin:
        if line.strip() == "tasks":
            done = [[key_split(t["key"]), t["worker"]] for t in client.get_task_stream()]
            print(json.dumps(done), flush=True)
    client.close()
    cluster.close()
    """
)


class DaskCluster:
    """`with DaskCluster(2) as cluster:` a LocalCluster of 2 single-threaded workers at `cluster.address`."""

    def __init__(self, workers: int) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(workers)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            # the workers import the tests' functions (a cluster's workers must import what they run)
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._stdin, self._stdout = self._process.stdin, self._process.stdout
        line = self._stdout.readline()
        if not line:
            self.close()
            raise RuntimeError("the test's Dask cluster did not start")
        self.address: str = json.loads(line)

    def tasks(self) -> list[tuple[str, str]]:
        """(task name, worker address) of every task the workers computed so far."""
        self._stdin.write("tasks\n")
        self._stdin.flush()
        return [(name, worker) for name, worker in json.loads(self._stdout.readline())]

    def task_counts(self) -> Counter[str]:
        return Counter(name for name, _ in self.tasks())

    def close(self) -> None:
        if self._process.poll() is None:
            self._stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._stdout.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
