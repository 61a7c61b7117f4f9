"""Where per-item work runs: this process, forked workers, or (briefgen[dask]) a Dask cluster.

One small interface, `Executor.map(fn, items)`: ordered results, streamed, an item that fails comes
back as `Failed` instead of its result. (Interim version; the full pool with timeouts and orphan
protection replaces it.)
"""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 8


@dataclass(frozen=True, slots=True, kw_only=True)
class Failed:
    """In place of a result: the item could not be done."""

    index: int
    reason: str
    timed_out: bool = False


class Executor(Protocol):
    @property
    def workers(self) -> int: ...

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, item_seconds: float | None = None
    ) -> Iterator[R | Failed]: ...

    def close(self) -> None: ...


def worker_count(jobs: int | None = None) -> int:
    """`jobs` if given, else one per CPU this process may run on, at most MAX_WORKERS."""
    if jobs is not None:
        return max(1, jobs)
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_WORKERS))


def _one_line(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[-1]


class SerialExecutor:
    """Everything in this process."""

    workers = 1

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, item_seconds: float | None = None
    ) -> Iterator[R | Failed]:
        for index, item in enumerate(items):
            try:
                yield fn(item)
            except Exception as exc:
                yield Failed(index=index, reason=_one_line(exc))

    def close(self) -> None:
        pass


_CALL: Callable[[Any], Any] | None = None


def _call(item: tuple[int, Any]) -> Any:
    assert _CALL is not None
    try:
        return _CALL(item[1])
    except Exception as exc:
        return Failed(index=item[0], reason=_one_line(exc))


class ProcessExecutor:
    """Forked workers: `fn` may close over anything; only items and results cross the pipe."""

    def __init__(self, workers: int) -> None:
        self._workers = workers

    @property
    def workers(self) -> int:
        return self._workers

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, item_seconds: float | None = None
    ) -> Iterator[R | Failed]:
        if self._workers < 2 or len(items) < 2 or sys.platform == "win32" or threading.active_count() > 1:
            yield from SerialExecutor().map(fn, items)
            return
        global _CALL
        _CALL = fn
        frozen_before = gc.get_freeze_count()
        gc.freeze()
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=self._workers, mp_context=multiprocessing.get_context("fork")
        )
        try:
            chunksize = max(1, len(items) // (self._workers * 32))
            yield from pool.map(_call, list(enumerate(items)), chunksize=chunksize)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            _CALL = None
            if not frozen_before:
                gc.unfreeze()

    def close(self) -> None:
        pass


def make_executor(kind: str = "local", *, jobs: int | None = None, scheduler: str | None = None) -> Executor:
    workers = worker_count(jobs)
    if kind == "serial" or workers == 1:
        return SerialExecutor()
    return ProcessExecutor(workers)
