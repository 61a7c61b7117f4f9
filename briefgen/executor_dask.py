"""The executor interface on a dask.distributed cluster: `--executor dask` (the extra `briefgen[dask]`).

Imported only when Dask is asked for. Unlike the forked pool, nothing is inherited: `fn` and every item
travel to the workers pickled, so `fn` must be a module-level function (or a `functools.partial` of one
over picklable arguments), the items and results must pickle, and briefgen must be importable on every
worker. `map` raises ExecutorError when `fn` or an item does not pickle.

Items go in chunks, one task each (the forked pool's chunk size). A chunk is submitted only when a task
slot is free (so it starts at once, and a slow chunk never holds others queued behind it on its
worker), and at most CHUNKS_HELD_PER_WORKER are held unyielded; results come back in input order.

`item_seconds` is best effort, because a running Dask task cannot be stopped from outside:
- an item that returns after its time is reported as timed out, its result dropped, as elsewhere;
- a chunk not done `item_seconds` × its item count (+ DISPATCH_GRACE_S) after it was submitted is
  cancelled and all its items are reported as timed out (finer grain would need one task per item). On the LocalCluster this
  executor started, the worker running it is restarted, as the forked pool replaces a worker; on a
  remote cluster the worker's thread runs on until the item returns.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Self, TypeVar

from distributed import Client, Future, LocalCluster, wait

from briefgen.executor import ExecutorError, Failed, chunk_size, one_line, worker_count

T = TypeVar("T")
R = TypeVar("R")
DISPATCH_GRACE_S = 5.0  # a chunk's time also covers scheduling, transfer, and a fresh worker's imports
CHUNKS_HELD_PER_WORKER = 8  # submitted, not yet yielded: bounds what waits behind a slow chunk
_DONE, _RAISED, _TIMED_OUT = range(3)
Outcome = tuple[int, object]  # (kind, the result or the reason)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Chunk:
    start: int  # index of its first item
    count: int
    task: Future[list[Outcome]]
    deadline: float | None  # monotonic

    def overdue(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def seconds_left(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())


class DaskExecutor:
    """`scheduler` (`tcp://host:port`): use that cluster. None: start a LocalCluster of `worker_count(jobs)`
    single-threaded worker processes on loopback, without a dashboard, and close it on `close()`."""

    def __init__(
        self, scheduler: str | None = None, *, jobs: int | None = None, connect_seconds: float = 30
    ) -> None:
        self._cluster: LocalCluster | None = None
        try:
            if scheduler is None:
                self._cluster = start_local_cluster(worker_count(jobs))
            self._client = Client(self._cluster or scheduler, set_as_default=False, timeout=connect_seconds)
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
        slots = self.workers
        size = chunk_size(len(items), slots)
        starts = deque(range(0, len(items), size))
        submitted: deque[_Chunk] = deque()  # in input order, not yet yielded
        try:
            while starts or submitted:
                running = [chunk.task for chunk in submitted if not chunk.task.done()]
                while starts and len(running) < slots and len(submitted) < slots * CHUNKS_HELD_PER_WORKER:
                    chunk = self._submit(function, items, starts.popleft(), size, item_seconds)
                    submitted.append(chunk)
                    running.append(chunk.task)
                head = submitted[0]
                if head.task.done() or head.overdue():
                    submitted.popleft()
                    yield from self._chunk_results(head, item_seconds)
                else:
                    with self._client.as_current(), contextlib.suppress(TimeoutError):
                        wait(running, timeout=head.seconds_left(), return_when="FIRST_COMPLETED")
        finally:
            for chunk in submitted:
                chunk.task.cancel()

    def _submit(
        self, function: bytes, items: Sequence[Any], start: int, size: int, item_seconds: float | None
    ) -> _Chunk:
        """A chunk goes out only when a task slot is free, so it starts at once and its clock is fair."""
        count = min(size, len(items) - start)
        task = self._client.submit(
            _run_chunk, function, _pickled_chunk(items, start, start + count), item_seconds, pure=False
        )
        deadline = (
            None if item_seconds is None else time.monotonic() + item_seconds * count + DISPATCH_GRACE_S
        )
        return _Chunk(start=start, count=count, task=task, deadline=deadline)

    def _chunk_results(self, chunk: _Chunk, item_seconds: float | None) -> Iterator[Any]:
        if not chunk.task.done():  # overdue
            self._stop(chunk.task)
            reason = f"took longer than {item_seconds:g} s (its chunk of {chunk.count} did not finish)"
            outcomes: list[Outcome] = [(_TIMED_OUT, reason)] * chunk.count
        else:
            try:
                outcomes = chunk.task.result()
            except Exception as exc:  # the task itself failed: its worker died, or a result did not pickle
                outcomes = [(_RAISED, f"dask task failed: {one_line(exc)}")] * chunk.count
            chunk.task.release()
        for offset, (kind, value) in enumerate(outcomes):
            if kind == _DONE:
                yield value
            else:
                yield Failed(index=chunk.start + offset, reason=str(value), timed_out=kind == _TIMED_OUT)

    def _stop(self, task: Future[list[Outcome]]) -> None:
        """Cancel an overdue task; on our own LocalCluster also restart the worker that runs it, since a
        running task cannot be stopped and would hold its thread."""
        processing: dict[str, list[str]] = self._client.processing()
        task.cancel()
        if self._cluster is not None:
            stuck = [worker for worker, keys in processing.items() if task.key in keys]
            if stuck:
                self._client.restart_workers(stuck, raise_for_error=False)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_local_cluster(workers: int) -> LocalCluster:
    """`workers` single-threaded worker processes and their scheduler, all on loopback; no dashboard (the
    scheduler's health and metrics routes take a free loopback port, not 8787)."""
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.ERROR,
    )


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
