"""Run one function over many items, in this process, in forked workers, or on Dask (`executor_dask`).

Every executor's `map(fn, items, item_seconds=...)` yields the results in input order, each as soon as it
and all before it are ready. An item that could not be done gives a `Failed` in its place, so one bad item
never stops the others and the caller decides what it means.

`ProcessExecutor` forks one broker process per `map`, which forks the workers (`executor_fork` is the
code that runs there). Fork means `fn` may close over anything (environments, configs, the corpus): the
items are inherited, and only results cross a pipe. No worker outlives the caller, however it ends.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NoReturn, Protocol, Self, TypeVar

from briefgen.errors import BriefgenError
from briefgen.executor_fork import DONE, HEADER, TIMED_OUT, chunk_size, describe_exit, one_line, start_broker

__all__ = [
    "Executor",
    "ExecutorError",
    "Failed",
    "ProcessExecutor",
    "SerialExecutor",
    "chunk_size",
    "make_executor",
    "one_line",
    "worker_count",
]

# numpy's OpenBLAS would start a thread pool on import, and a process with threads alive may not fork
# workers; the analysis needs no BLAS threads (as briefgen.corpus.similarity says too)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

T = TypeVar("T")
R = TypeVar("R")
MAX_WORKERS = 8


@dataclass(frozen=True, slots=True, kw_only=True)
class Failed:
    """In place of a result: the item could not be done."""

    index: int
    reason: str  # one line: "took longer than 10 s", "worker died (signal 9)", "ValueError: ..."
    timed_out: bool = False


class ExecutorError(BriefgenError):
    """The executor asked for cannot run here (an extra not installed, a scheduler out of reach, ...)."""


class Executor(Protocol):
    @property
    def workers(self) -> int: ...

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, item_seconds: float | None = None
    ) -> Iterator[R | Failed]:
        """fn over items, results in input order, yielded as soon as each (and all before it) is ready."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


def worker_count(jobs: int | None = None) -> int:
    """`jobs` if given, else one per CPU this process may run on (a container or `taskset` may allow
    fewer than the machine has), at most MAX_WORKERS."""
    if jobs is not None:
        return max(1, jobs)
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_WORKERS))


def make_executor(
    kind: Literal["local", "serial", "dask"] = "local",
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
) -> Executor:
    """The executor `--executor KIND` names; `local` with one job is the serial one."""
    if kind == "dask":
        try:
            from briefgen.executor_dask import DaskExecutor
        except ImportError as exc:
            raise ExecutorError(
                f"--executor dask needs dask: install briefgen[dask] ({one_line(exc)})"
            ) from exc
        return DaskExecutor(scheduler, jobs=jobs)
    if scheduler is not None:
        raise ExecutorError("--scheduler is only for --executor dask")
    workers = worker_count(jobs)
    if kind == "serial" or workers == 1:
        return SerialExecutor()
    return ProcessExecutor(workers)


class _ItemTimedOut(BaseException):  # BaseException: fn's own `except Exception` must not swallow it
    pass


def _raise_timed_out(signum: int, frame: object) -> NoReturn:
    raise _ItemTimedOut


class SerialExecutor:
    """In this process, one item after another. `item_seconds` is enforced with SIGALRM on the main
    thread when no other interval timer runs; elsewhere it is not enforced."""

    workers = 1

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, item_seconds: float | None = None
    ) -> Iterator[R | Failed]:
        timed = (
            item_seconds is not None
            and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0
        )
        for index, item in enumerate(items):
            yield (
                _call_timed(fn, item, index, item_seconds)
                if timed and item_seconds
                else _call(fn, item, index)
            )

    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _call(fn: Callable[[T], R], item: T, index: int) -> R | Failed:
    try:
        return fn(item)
    except Exception as exc:
        return Failed(index=index, reason=one_line(exc))


def _call_timed(fn: Callable[[T], R], item: T, index: int, seconds: float) -> R | Failed:
    previous = signal.signal(signal.SIGALRM, _raise_timed_out)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return _call(fn, item, index)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _ItemTimedOut:  # also when the alarm lands just after fn returned: it took the whole time
        return Failed(index=index, reason=f"took longer than {seconds:g} s", timed_out=True)
    finally:
        signal.signal(signal.SIGALRM, previous)


class ProcessExecutor:
    """`workers` forked processes per `map` (see the module docstring). `map` forks at once, so the
    caller may do other work while they run. In a process with other threads alive (a server, a
    library's pool), where a fork can deadlock, `map` runs the items here instead, as SerialExecutor
    does, and says why in `fallback_reason` (and `fallbacks`, which a build reports). `close()`, an
    abandoned iterator, or the caller's death ends them."""

    def __init__(self, workers: int) -> None:
        self._workers = max(1, workers)
        self._runs: weakref.WeakSet[_Run[Any]] = weakref.WeakSet()
        self._unfreeze_when_idle = False
        self.fallback_reason: str | None = None  # why the last map ran in this process, if it did
        self.fallbacks: list[str] = []  # why each map that ran in this process did, oldest first

    @property
    def workers(self) -> int:
        return self._workers

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, item_seconds: float | None = None
    ) -> Iterator[R | Failed]:
        threads = _threads_alive()
        self.fallback_reason = None
        if threads > 1:
            self.fallback_reason = (
                f"{threads} threads alive in this process, and forking a threaded process can deadlock"
            )
            self.fallbacks.append(self.fallback_reason)
            return SerialExecutor().map(fn, items, item_seconds=item_seconds)
        if not items:
            return iter(())
        if not self._runs and gc.get_freeze_count() == 0:
            self._unfreeze_when_idle = True
        gc.freeze()  # the children's collections then leave the inherited heap alone: less copy-on-write
        others = [fd for run in self._runs for fd in run.parent_fds()]
        pid, read_fd = start_broker(fn, items, self._workers, item_seconds, close=others)
        run: _Run[R] = _Run(len(items), pid, read_fd, self._run_ended)
        self._runs.add(run)
        return run

    def _run_ended(self, run: _Run[Any]) -> None:
        self._runs.discard(run)
        if not self._runs and self._unfreeze_when_idle:
            self._unfreeze_when_idle = False
            gc.unfreeze()

    def close(self) -> None:
        for run in list(self._runs):
            run.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _threads_alive() -> int:
    """Threads of this process, C threads too (a BLAS pool, a watcher): fork copies only the caller.

    A Python thread just joined may still be listed by the kernel for a moment after `join()` returns
    (it ends after releasing the lock `join` waits on): when Python knows of no other thread, the count
    is taken again for up to 0.1 s before a thread it does not know of is believed.
    """
    try:
        for _ in range(_SETTLE_TRIES):
            count = sum(1 for _ in Path("/proc/self/task").iterdir())
            if count <= 1 or threading.active_count() > 1:
                return count
            time.sleep(_SETTLE_S)
        return count
    except OSError:
        return threading.active_count()


_SETTLE_TRIES, _SETTLE_S = 10, 0.01


class _Run(Iterator[R | Failed]):
    """The caller's side of one `map`: reads the broker's frames, in order."""

    def __init__(self, count: int, broker: int, fd: int, ended: Callable[[_Run[Any]], None]) -> None:
        self._count, self._next, self._fd, self._buffer = count, 0, fd, bytearray()
        self._broker: int | None = broker
        self._ended = ended
        self._owner = os.getpid()  # a forked child that inherits this object must not act on it
        self._finalizer = weakref.finalize(self, _stop_broker, broker, fd, self._owner)  # abandoned

    def parent_fds(self) -> list[int]:
        return [self._fd] if self._broker is not None else []

    def __next__(self) -> R | Failed:
        if self._next >= self._count or not self._finalizer.alive:  # all read, or closed
            self.close()
            raise StopIteration
        try:
            frame = self._read_frame()
        except BaseException:  # KeyboardInterrupt while waiting, too: end the workers
            self.close()
            raise
        index, self._next = self._next, self._next + 1
        if frame is None:
            return Failed(index=index, reason=f"worker pool ended early ({self._broker_status()})")
        kind, payload = frame
        if kind != DONE:
            return Failed(index=index, reason=payload.decode(), timed_out=kind == TIMED_OUT)
        try:
            return pickle.loads(payload)  # type: ignore[no-any-return]
        except Exception as exc:
            return Failed(index=index, reason=f"result could not be read: {one_line(exc)}")

    def _read_frame(self) -> tuple[int, bytes] | None:
        while True:
            if len(self._buffer) >= HEADER.size:
                _, kind, size = HEADER.unpack_from(self._buffer)
                end = HEADER.size + size
                if len(self._buffer) >= end:
                    payload = bytes(self._buffer[HEADER.size : end])
                    del self._buffer[:end]
                    return kind, payload
            if self._broker is None:
                return None
            data = os.read(self._fd, 1 << 20)
            if not data:
                return None
            self._buffer += data

    def _broker_status(self) -> str:
        if self._broker is None:
            return "closed"
        _, status = os.waitpid(self._broker, 0)
        self._broker = None
        return describe_exit(status)

    def close(self) -> None:
        if self._finalizer.alive and os.getpid() == self._owner:
            finished = self._next >= self._count
            self._finalizer.detach()
            _stop_broker(self._broker, self._fd, self._owner, kill=not finished)
            self._broker = None
            self._ended(self)

    def __del__(self) -> None:  # the finalizer runs after this object is gone; tell the executor now
        with contextlib.suppress(Exception):
            self.close()


def _stop_broker(pid: int | None, fd: int, owner: int, *, kill: bool = True) -> None:
    if os.getpid() != owner:
        return
    with contextlib.suppress(OSError):
        os.close(fd)
    if pid is None:
        return
    if kill:
        for send in (os.killpg, os.kill):  # the group holds the broker and its workers
            with contextlib.suppress(OSError):
                send(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
