"""The executor interface on a dask.distributed cluster: `--executor dask` (the extra `briefgen[dask]`).

Imported only when Dask is asked for. Unlike the forked pool, nothing is inherited: `fn` and every item
travel to the workers pickled, so `fn` must be a module-level function (or a `functools.partial` of one
over picklable arguments), the items and results must pickle, and briefgen must be importable on every
worker. `map` raises ExecutorError when `fn` or an item does not pickle.

Items go in chunks, one task each (the forked pool's chunk size), with a bounded number of chunks in
flight so the client never holds the whole input pickled; results come back in input order.

`item_seconds` is best effort, because a running Dask task cannot be stopped: an item that returns after
its time is reported as timed out (its result dropped, as the other executors do), and a chunk whose
result has not come `item_seconds` × its item count after the executor began waiting for it is
cancelled, all its items reported as timed out. The task's thread runs on until its item returns; with
a LocalCluster, `close()` ends it with the cluster.
"""

from __future__ import annotations

import logging
import pickle
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Self, TypeVar

from distributed import Client, Future, LocalCluster

from briefgen.executor import ExecutorError, Failed, chunk_size, one_line, worker_count

T = TypeVar("T")
R = TypeVar("R")
CHUNKS_IN_FLIGHT_PER_WORKER = 4
_DONE, _RAISED, _TIMED_OUT = range(3)
Outcome = tuple[int, object]  # (kind, the result or the reason)


class DaskExecutor:
    """`scheduler` (`tcp://host:port`): use that cluster. None: start a LocalCluster of `worker_count(jobs)`
    single-threaded worker processes on loopback, without a dashboard, and close it on `close()`."""

    def __init__(self, scheduler: str | None = None, *, jobs: int | None = None) -> None:
        self._cluster: LocalCluster | None = None
        try:
            if scheduler is None:
                self._cluster = LocalCluster(
                    n_workers=worker_count(jobs),
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self._client = Client(self._cluster or scheduler, set_as_default=False, timeout=30)
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            where = scheduler or "a local cluster"
            raise ExecutorError(f"cannot start Dask on {where}: {one_line(exc)}") from exc

    @property
    def workers(self) -> int:
        """Task slots across the cluster (threads of all its workers), at least 1."""
        slots: dict[str, int] = self._client.nthreads()
        return max(1, sum(slots.values()))

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, item_seconds: float | None = None
    ) -> Iterator[R | Failed]:
        function = _pickled("fn", fn, "a module-level function or a functools.partial of one")
        if items:
            _pickled("item 0", items[0], "items must pickle")  # the common mistake, before any work starts
        return self._results(function, items, item_seconds)

    def _results(self, function: bytes, items: Sequence[Any], item_seconds: float | None) -> Iterator[Any]:
        workers = self.workers
        size = chunk_size(len(items), workers)
        starts = iter(range(0, len(items), size))
        in_flight: deque[tuple[int, Future[list[Outcome]]]] = deque()
        try:
            while True:
                while (
                    len(in_flight) < workers * CHUNKS_IN_FLIGHT_PER_WORKER
                    and (start := next(starts, None)) is not None
                ):
                    chunk = _pickled_chunk(items, start, start + size)
                    task = self._client.submit(_run_chunk, function, chunk, item_seconds, pure=False)
                    in_flight.append((start, task))
                if not in_flight:
                    return
                start, task = in_flight.popleft()
                count = min(size, len(items) - start)
                yield from _chunk_results(task, start, count, item_seconds)
        finally:
            for _, task in in_flight:
                task.cancel()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _pickled(what: str, value: object, hint: str) -> bytes:
    try:
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        advice = f" ({hint})" if hint else ""
        raise ExecutorError(f"--executor dask: {what} cannot be pickled{advice}: {one_line(exc)}") from exc


def _pickled_chunk(items: Sequence[Any], start: int, stop: int) -> bytes:
    try:
        return pickle.dumps(list(items[start:stop]), pickle.HIGHEST_PROTOCOL)
    except Exception:
        for index in range(start, min(stop, len(items))):  # name the item that does not pickle
            _pickled(f"item {index}", items[index], "items must pickle")
        raise


def _chunk_results(
    task: Future[list[Outcome]], start: int, count: int, item_seconds: float | None
) -> Iterator[Any]:
    limit = None if item_seconds is None else item_seconds * count
    try:
        outcomes = task.result(timeout=limit)
    except TimeoutError:
        task.cancel()
        reason = f"no result within {limit:g} s (a running Dask task cannot be stopped)"
        outcomes = [(_TIMED_OUT, reason)] * count
    except Exception as exc:  # the task itself failed: its worker died, or a result did not pickle
        outcomes = [(_RAISED, f"dask task failed: {one_line(exc)}")] * count
    finally:
        task.release()
    for offset, (kind, value) in enumerate(outcomes):
        if kind == _DONE:
            yield value
        else:
            yield Failed(index=start + offset, reason=str(value), timed_out=kind == _TIMED_OUT)


def _run_chunk(function: bytes, chunk: bytes, item_seconds: float | None) -> list[Outcome]:
    """On a Dask worker: one chunk, each item's exception caught, so one bad item fails alone."""
    fn = pickle.loads(function)
    outcomes: list[Outcome] = []
    for item in pickle.loads(chunk):
        started = time.monotonic()
        try:
            value = fn(item)
        except Exception as exc:
            outcomes.append((_RAISED, one_line(exc)))
            continue
        if item_seconds is not None and time.monotonic() - started > item_seconds:
            outcomes.append((_TIMED_OUT, f"took longer than {item_seconds:g} s"))
        else:
            outcomes.append((_DONE, value))
    return outcomes
