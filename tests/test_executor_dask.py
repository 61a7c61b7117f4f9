"""DaskExecutor on a real LocalCluster: two worker processes on loopback, no dashboard. The cluster runs
in a process of its own (tests/dask_cluster.py), and so does the executor's Dask client: these tests
leave no thread in this process, and check that."""

from __future__ import annotations

import functools
import math
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.executor import ExecutorError, Failed, ProcessExecutor, SerialExecutor, make_executor

pytest.importorskip("distributed", reason="dask is not installed: pip install 'briefgen[dask]'")

from briefgen.executor_dask import DaskExecutor
from tests.dask_cluster import DaskCluster


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskCluster]:
    with DaskCluster(2) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def executor(cluster: DaskCluster) -> Iterator[DaskExecutor]:
    with DaskExecutor(cluster.address) as dask:
        yield dask


def describe(x: int) -> str:
    if x % 50 == 7:
        raise ValueError(f"item {x} is bad")
    return f"{x}:{math.isqrt(x)}"


def wait_for_workers(dask: DaskExecutor, count: int, timeout_s: float = 20) -> bool:
    deadline = time.monotonic() + timeout_s
    while dask.workers != count and time.monotonic() < deadline:
        time.sleep(0.1)
    return dask.workers == count


def nap_then_return(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def test_results_equal_the_serial_executor_in_order(executor: DaskExecutor) -> None:
    items = list(range(400))
    expected = list(SerialExecutor().map(describe, items))
    assert list(executor.map(describe, items)) == expected
    assert expected[57] == Failed(index=57, reason="ValueError: item 57 is bad")
    assert executor.workers == 2


def test_partial_of_a_module_function_and_edge_counts(executor: DaskExecutor) -> None:
    scale = functools.partial(math.ldexp, 1.0)
    for count in (0, 1, 65):
        assert list(executor.map(scale, list(range(count)))) == [2.0**i for i in range(count)]


def test_an_item_past_its_time_is_reported_as_timed_out(executor: DaskExecutor) -> None:
    results = list(executor.map(nap_then_return, [0.0, 1.5, 0.0], item_seconds=0.5))
    assert results[0] == 0.0 and results[2] == 0.0
    assert isinstance(results[1], Failed) and results[1].timed_out and results[1].index == 1


def test_unpicklable_fn_or_item_is_a_clear_error(executor: DaskExecutor) -> None:
    with pytest.raises(ExecutorError, match=r"fn cannot be pickled .*module-level function"):
        executor.map(lambda x: x, [1])
    with pytest.raises(ExecutorError, match="item 0 cannot be pickled"):
        executor.map(str, [threading.Lock()])
    with pytest.raises(ExecutorError, match="item 2 cannot be pickled"):
        list(executor.map(str, [1, 2, threading.Lock()]))


@pytest.mark.slow
def test_own_local_cluster_restarts_the_worker_of_a_stuck_item() -> None:
    started = time.monotonic()
    with make_executor("dask", jobs=2, scheduler=None) as dask:
        assert isinstance(dask, DaskExecutor) and dask.workers == 2
        assert list(dask.map(math.isqrt, [4, 9, 16])) == [2, 3, 4]
        naps = [0.0] * 30
        naps[3] = 600.0
        results = list(dask.map(nap_then_return, naps, item_seconds=1.0))
        assert [r.index for r in results if isinstance(r, Failed) and r.timed_out] == [3]
        assert results[:3] == naps[:3] and results[4:] == naps[4:]
        assert wait_for_workers(dask, 2)  # the stuck one was restarted: the cluster is whole again
    assert time.monotonic() - started < 60  # nothing waited for the 600 s item


def test_an_unreachable_scheduler_is_a_clear_error_when_first_needed() -> None:
    with DaskExecutor("tcp://127.0.0.1:9", connect_seconds=1) as dask:
        assert dask.client_pid is None  # nothing starts before a map needs it
        with pytest.raises(ExecutorError, match=r"cannot start Dask on tcp://127\.0\.0\.1:9"):
            dask.map(str, [1])


def test_this_process_keeps_no_thread_and_may_still_fork(executor: DaskExecutor) -> None:
    """Dask's client and its threads are in the client process: this one may still fork workers."""
    assert list(executor.map(math.isqrt, [4, 9])) == [2, 3]
    assert sum(1 for _ in Path("/proc/self/task").iterdir()) == 1  # C threads too
    with ProcessExecutor(2) as local:
        pids = {pid for _, pid in local.map(lambda x: (x, os.getpid()), list(range(8)))}
        assert local.fallback_reason is None and os.getpid() not in pids


def test_a_function_of_main_is_refused_before_anything_runs(executor: DaskExecutor) -> None:
    def local_function(x: int) -> int:
        return x

    local_function.__module__ = "__main__"
    with pytest.raises(ExecutorError, match="defined in __main__"):
        executor.map(local_function, [1])


def test_the_client_process_starts_on_first_use_and_ends_on_close(cluster: DaskCluster) -> None:
    dask = DaskExecutor(cluster.address)
    assert dask.client_pid is None
    assert list(dask.map(str, [])) == []  # nothing to do: still nothing started
    assert dask.client_pid is None
    assert list(dask.map(str, [1, 2])) == ["1", "2"]
    pid = dask.client_pid
    assert pid is not None and Path(f"/proc/{pid}").exists()
    dask.close()
    assert dask.client_pid is None and not Path(f"/proc/{pid}").exists()  # ended and reaped


def test_a_client_process_that_dies_is_an_executor_error(cluster: DaskCluster) -> None:
    with DaskExecutor(cluster.address) as dask:
        results = dask.map(nap_then_return, [0.0] + [5.0] * 6)
        assert next(results) == 0.0
        assert dask.client_pid is not None
        os.kill(dask.client_pid, signal.SIGKILL)
        with pytest.raises(ExecutorError, match=r"the Dask client process ended \(signal 9\)"):
            list(results)
        with pytest.raises(ExecutorError, match="ended"):
            dask.map(str, [1])
