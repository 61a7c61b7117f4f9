"""DaskExecutor on a real LocalCluster: two worker processes on loopback, no dashboard."""

from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Iterator

import pytest

from briefgen.executor import ExecutorError, Failed, SerialExecutor, make_executor

pytest.importorskip("distributed", reason="dask is not installed: pip install 'briefgen[dask]'")

from briefgen.executor_dask import DaskExecutor, start_local_cluster

pytestmark = pytest.mark.dask_cluster  # one LocalCluster for the module: see conftest


@pytest.fixture(scope="module")
def executor() -> Iterator[DaskExecutor]:
    cluster = start_local_cluster(2)
    try:
        with DaskExecutor(cluster.scheduler_address) as dask:
            yield dask
    finally:
        cluster.close()


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


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    with pytest.raises(ExecutorError, match=r"cannot start Dask on tcp://127\.0\.0\.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", connect_seconds=1)
