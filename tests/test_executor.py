"""The executors with real forked processes and real signals: order, streaming, chunking, failures,
timeouts, killed workers, cleanup. (Orphans after the caller's death: test_executor_orphans.py.)"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefgen.executor import (
    ExecutorError,
    Failed,
    ProcessExecutor,
    SerialExecutor,
    make_executor,
    worker_count,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork")


def wait_until(predicate: Callable[[], bool], timeout_s: float = 10) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("count", [0, 1, 2, 63, 64, 65, 129, 1000])
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_in_input_order_for_any_count(count: int, workers: int) -> None:
    items = list(range(count))
    with ProcessExecutor(workers) as executor:
        assert list(executor.map(square, items)) == [x * x for x in items]


def test_process_results_equal_serial_results_with_failures_in_place() -> None:
    def odd_fails(x: int) -> int:
        if x % 7 == 3:
            raise ValueError(f"bad item {x}\nsecond line")
        return x * 3

    items = list(range(300))
    serial = list(SerialExecutor().map(odd_fails, items))
    with ProcessExecutor(2) as executor:
        forked = list(executor.map(odd_fails, items))
    assert forked == serial
    assert forked[3] == Failed(index=3, reason="ValueError: bad item 3 second line")
    assert sum(isinstance(r, Failed) for r in forked) == len([x for x in items if x % 7 == 3])


def test_closures_over_unpicklable_objects_and_unpicklable_items() -> None:
    lock = threading.Lock()  # cannot be pickled; the forked workers inherit it
    offsets = (x for x in [100])  # a generator cannot be pickled either
    offset = next(offsets)
    items = [lambda i=i: i for i in range(50)]  # nor can lambdas: items are inherited, not sent

    def call(item: Callable[[], int]) -> tuple[int, bool]:
        return item() + offset, lock is not None and not lock.locked()

    with ProcessExecutor(2) as executor:
        assert list(executor.map(call, items)) == [(i + 100, True) for i in range(50)]


def test_a_result_that_cannot_be_pickled_fails_alone() -> None:
    with ProcessExecutor(2) as executor:
        results = list(executor.map(lambda x: threading.Lock() if x == 2 else x, list(range(5))))
    assert results[:2] == [0, 1] and results[3:] == [3, 4]
    assert isinstance(results[2], Failed) and results[2].reason.startswith("result could not be pickled")


def test_results_stream_while_the_last_item_still_runs(tmp_path: Path) -> None:
    flag = tmp_path / "first-result-seen"

    def item(x: int) -> bool:
        if x < 9:
            return False
        return wait_until(flag.exists, timeout_s=20)  # the last item waits for the caller's first result

    with ProcessExecutor(2) as executor:
        results = executor.map(item, list(range(10)))
        assert next(results) is False
        flag.touch()
        assert list(results)[-1] is True


def test_workers_run_on_while_the_caller_is_busy() -> None:
    """The broker buffers results: 40 × 256 KB is far more than a pipe holds, yet no worker waits."""

    def item(x: int) -> tuple[float, bytes]:
        time.sleep(0.01)
        return time.monotonic(), bytes(256 * 1024)

    with ProcessExecutor(2) as executor:
        results = executor.map(item, list(range(40)))
        time.sleep(2.0)  # the caller does other work
        reading_from = time.monotonic()
        finished = [r[0] for r in results if not isinstance(r, Failed)]
    assert len(finished) == 40
    assert max(finished) < reading_from


def test_two_maps_at_once_on_one_executor() -> None:
    with ProcessExecutor(2) as executor:
        first = executor.map(square, list(range(200)))
        second = executor.map(lambda x: -x, list(range(300)))
        assert list(second) == [-x for x in range(300)]
        assert list(first) == [x * x for x in range(200)]


def test_a_stuck_item_times_out_and_the_pool_keeps_its_size(tmp_path: Path) -> None:
    stuck_pid = tmp_path / "stuck-pid"

    def item(x: int) -> tuple[int, float]:
        if x == 5:
            stuck_pid.write_text(str(os.getpid()))
            time.sleep(60)
        time.sleep(0.05)
        return os.getpid(), time.monotonic()

    with ProcessExecutor(2) as executor:
        results = list(executor.map(item, list(range(60)), item_seconds=1.0))
    failed = [r for r in results if isinstance(r, Failed)]
    assert failed == [Failed(index=5, reason="took longer than 1 s", timed_out=True)]
    killed = int(stuck_pid.read_text())
    assert not alive(killed)
    done = [r for r in results if not isinstance(r, Failed)]
    after_timeout = {pid for pid, at in done if at > max(at for _, at in done) - 0.5}
    assert len(after_timeout) == 2 and killed not in after_timeout  # the replacement and the other


def test_a_worker_killed_mid_item_fails_that_item_only(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"

    def item(x: int) -> int:
        if x == 17:
            pid_file.write_text(str(os.getpid()))
            time.sleep(60)
        return x + 1

    with ProcessExecutor(2) as executor:
        results = executor.map(item, list(range(200)))
        assert wait_until(pid_file.exists)
        time.sleep(0.05)  # the pid is written before the sleep begins
        os.kill(int(pid_file.read_text()), signal.SIGKILL)
        collected = list(results)
    assert collected[17] == Failed(index=17, reason="worker died (signal 9)")
    assert [r for i, r in enumerate(collected) if i != 17] == [x + 1 for x in range(200) if x != 17]


def test_a_worker_that_exits_fails_that_item_only() -> None:
    def item(x: int) -> int:
        if x in (3, 150):
            os._exit(7)
        return x

    with ProcessExecutor(2) as executor:
        results = list(executor.map(item, list(range(200))))
    assert results[3] == Failed(index=3, reason="worker died (exit code 7)")
    assert results[150] == Failed(index=150, reason="worker died (exit code 7)")
    assert [r for r in results if not isinstance(r, Failed)] == [x for x in range(200) if x not in (3, 150)]


def test_system_exit_in_fn_is_a_failed_item() -> None:
    with ProcessExecutor(2) as executor:
        results = list(executor.map(lambda x: sys.exit(4) if x == 1 else x, [0, 1, 2]))
    assert results == [0, Failed(index=1, reason="SystemExit: 4"), 2]


def _worker_pids(results: Iterator[object], count: int) -> set[int]:
    pids: set[int] = set()
    for _ in range(count):
        pid = next(results)
        assert isinstance(pid, int)
        pids.add(pid)
    return pids


def slow_pid(x: int) -> int:
    time.sleep(0.02 if x < 10 else 30)
    return os.getpid()


def test_close_ends_the_workers() -> None:
    executor = ProcessExecutor(2)
    results = executor.map(slow_pid, list(range(40)))
    pids = _worker_pids(results, 10)
    assert pids and all(alive(pid) for pid in pids)
    executor.close()
    assert wait_until(lambda: not any(alive(pid) for pid in pids), timeout_s=5)
    assert next(results, "no more") == "no more"


def test_an_abandoned_iterator_ends_the_workers() -> None:
    results = ProcessExecutor(2).map(slow_pid, list(range(40)))
    pids = _worker_pids(results, 10)
    del results
    gc.collect()
    assert wait_until(lambda: not any(alive(pid) for pid in pids), timeout_s=5)


def test_keyboard_interrupt_while_waiting_ends_the_workers() -> None:
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with ProcessExecutor(2) as executor:
            results = executor.map(slow_pid, list(range(40)))
            pids = _worker_pids(results, 10)
            signal.setitimer(signal.ITIMER_REAL, 0.3)
            with pytest.raises(KeyboardInterrupt):
                list(results)  # blocked in the read when the interrupt comes
            assert wait_until(lambda: not any(alive(pid) for pid in pids), timeout_s=5)
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_runs_in_this_process_with_a_reason_while_other_threads_are_alive() -> None:
    executor = ProcessExecutor(2)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = list(executor.map(lambda x: (x, os.getpid()), [1, 2, 3]))
        assert results == [(x, os.getpid()) for x in [1, 2, 3]]
        assert executor.fallback_reason is not None and "2 threads alive" in executor.fallback_reason
    finally:
        stop.set()
        thread.join()
    results = list(executor.map(lambda x: (x, os.getpid()), [1, 2, 3]))
    assert [x for x, _ in results] == [1, 2, 3] and os.getpid() not in {pid for _, pid in results}
    assert executor.fallback_reason is None


def test_gc_frozen_while_workers_run_and_restored_after() -> None:
    was_frozen = gc.get_freeze_count() > 0  # an earlier test's preview session may have frozen it
    gc.unfreeze()
    try:
        with ProcessExecutor(2) as executor:
            results = executor.map(square, list(range(100)))
            assert gc.get_freeze_count() > 0
            assert list(results) == [x * x for x in range(100)]
            assert gc.get_freeze_count() == 0
            gc.freeze()  # frozen by someone else before: left frozen
            assert list(executor.map(square, list(range(100)))) == [x * x for x in range(100)]
            assert gc.get_freeze_count() > 0
    finally:
        if not was_frozen:
            gc.unfreeze()


def test_serial_enforces_item_seconds_on_the_main_thread() -> None:
    def item(x: int) -> int:
        if x == 1:
            time.sleep(30)
        if x == 2:
            raise KeyError(x)
        return x

    results = list(SerialExecutor().map(item, [0, 1, 2, 3], item_seconds=0.2))
    assert results == [
        0,
        Failed(index=1, reason="took longer than 0.2 s", timed_out=True),
        Failed(index=2, reason="KeyError: 2"),
        3,
    ]
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_serial_does_not_enforce_item_seconds_off_the_main_thread() -> None:
    out: list[object] = []
    thread = threading.Thread(
        target=lambda: out.extend(SerialExecutor().map(lambda x: time.sleep(0.3) or x, [5], item_seconds=0.1))
    )
    thread.start()
    thread.join()
    assert out == [5]


def test_worker_count() -> None:
    assert worker_count(3) == 3
    assert worker_count(0) == 1
    assert worker_count(None) == min(len(os.sched_getaffinity(0)), 8)


def test_make_executor_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(make_executor("serial", jobs=4, scheduler=None), SerialExecutor)
    assert isinstance(make_executor("local", jobs=1, scheduler=None), SerialExecutor)
    local = make_executor("local", jobs=3, scheduler=None)
    assert isinstance(local, ProcessExecutor) and local.workers == 3
    with pytest.raises(ExecutorError, match="only for --executor dask"):
        make_executor("local", jobs=2, scheduler="tcp://127.0.0.1:8786")
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if dask were not installed
    monkeypatch.delitem(sys.modules, "briefgen.executor_dask", raising=False)
    with pytest.raises(ExecutorError, match=r"install briefgen\[dask\]"):
        make_executor("dask", jobs=2, scheduler=None)
