"""The executor interface on a dask.distributed cluster: `--executor dask` (the extra `briefgen[dask]`).

The Dask client runs in a process of its own (`executor_dask_client`, started on the first `map`), not
in this one. A process that has run a Dask client keeps its threads for good (its IO loop, its offload
pool), and a process with threads may not fork; so this one stays free to fork the render stage's
local worker processes (`ProcessExecutor`) in a `--executor dask` build, and the LocalCluster's
scheduler (which the client process hosts when no `--scheduler` is given) does not share its heap.
A build that never maps (nothing to analyse, no join to run) starts no cluster at all.

Unlike the forked pool, nothing is inherited: `fn` and every item travel to the workers pickled, so
`fn` must be a module-level function (or a `functools.partial` of one over picklable arguments) of a
module the workers can import (not a script's `__main__`), the items and results must pickle, and
briefgen must be importable on every worker. `map` raises
ExecutorError when `fn` or an item does not pickle, and when the client process cannot start Dask or
has ended. The client process only relays bytes: this side pickles `fn` and the chunks, and reads
the pickled outcomes that `run_chunk` returns on a worker.

Items go in chunks, one task each (the forked pool's chunk size), named after `fn` (`analyse_job-…`,
`join_chunk-…` on the dashboard). A chunk is submitted only when a task slot is free (so it starts at
once, and a slow chunk never holds others queued behind it on its worker), and at most
CHUNKS_HELD_PER_WORKER are held unyielded; results come back in input order.

`item_seconds` is best effort, because a running Dask task cannot be stopped from outside:
- an item that returns after its time is reported as timed out, its result dropped, as elsewhere;
- a chunk not done `item_seconds` × its item count (+ DISPATCH_GRACE_S) after it was submitted is
  cancelled and all its items are reported as timed out (finer grain would need one task per item). On
  the LocalCluster this executor started, the worker running it is restarted, as the forked pool
  replaces a worker; on a remote cluster the worker's thread runs on until the item returns.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar

from briefgen.executor import ExecutorError, Failed, chunk_size, one_line, worker_count
from briefgen.executor_fork import describe_exit

T = TypeVar("T")
R = TypeVar("R")
DISPATCH_GRACE_S = 5.0  # a chunk's time also covers scheduling, transfer, and a fresh worker's imports
CHUNKS_HELD_PER_WORKER = 8  # submitted, not yet yielded: bounds what waits behind a slow chunk
START_SECONDS = 120.0  # for the client process to start a LocalCluster (or reach a scheduler)
REPLY_SECONDS = 60.0  # for the client process to answer a question
CLOSE_SECONDS = 20.0  # for the client process to close its cluster and end, before it is killed
FRAME = struct.Struct("<Q")  # the size of a message between this process and the client process
CLIENT_MAIN = "from briefgen.executor_dask_client import main; main()"
_DONE, _RAISED, _TIMED_OUT = range(3)
Outcome = tuple[int, object]  # (kind, the result or the reason)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Chunk:
    key: str  # the Dask task's key
    start: int  # index of its first item
    count: int
    deadline: float | None  # monotonic

    def overdue(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def seconds_left(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())


class DaskExecutor:
    """`scheduler` (`tcp://host:port`): use that cluster. None: start a LocalCluster of `worker_count(jobs)`
    single-threaded worker processes on loopback, without a dashboard, and close it on `close()`.
    Either happens in the client process, when the first `map` (or `workers`) needs it."""

    def __init__(
        self, scheduler: str | None = None, *, jobs: int | None = None, connect_seconds: float = 30
    ) -> None:
        if importlib.util.find_spec("distributed") is None:
            raise ExecutorError(
                "--executor dask needs dask: install briefgen[dask] (no module 'distributed')"
            )
        self._settings: dict[str, object] = {
            "scheduler": scheduler,
            "workers": worker_count(jobs),
            "connect_seconds": connect_seconds,
        }
        self._client: _ClientProcess | None = None

    @property
    def workers(self) -> int:
        """Task slots across the cluster (threads of all its workers), at least 1."""
        return self._started().slots()

    @property
    def client_pid(self) -> int | None:
        """The client process, once started (benchmarks tell its memory from the build's)."""
        return self._client.pid if self._client is not None else None

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], *, item_seconds: float | None = None
    ) -> Iterator[R | Failed]:
        if getattr(getattr(fn, "func", fn), "__module__", None) == "__main__":
            raise ExecutorError(
                "--executor dask: fn is defined in __main__, which the workers cannot import; "
                "move it to a module"
            )
        function = _pickled("fn", fn, "a module-level function or a functools.partial of one")
        if not items:
            return iter(())
        _pickled("item 0", items[0], "items must pickle")  # the common mistake, before any work starts
        client = self._started()
        slots = client.slots()  # here, not in the generator: a client process that ended raises now
        return self._results(client, slots, function, _task_name(fn), items, item_seconds)

    def _started(self) -> _ClientProcess:
        if self._client is None:
            self._client = _ClientProcess(self._settings)
        return self._client

    def _results(
        self,
        client: _ClientProcess,
        slots: int,
        function: bytes,
        name: str,
        items: Sequence[Any],
        item_seconds: float | None,
    ) -> Iterator[Any]:
        size = chunk_size(len(items), slots)
        starts = deque(range(0, len(items), size))
        prefix = f"{name}-{uuid.uuid4().hex}"
        submitted: deque[_Chunk] = deque()  # in input order, not yet yielded
        try:
            while starts or submitted:
                running = sum(1 for chunk in submitted if not client.finished_with(chunk.key))
                while starts and running < slots and len(submitted) < slots * CHUNKS_HELD_PER_WORKER:
                    start = starts.popleft()
                    count = min(size, len(items) - start)
                    key = f"{prefix}-{start}"
                    client.submit(key, function, _pickled_chunk(items, start, start + count), item_seconds)
                    deadline = (
                        None
                        if item_seconds is None
                        else time.monotonic() + item_seconds * count + DISPATCH_GRACE_S
                    )
                    submitted.append(_Chunk(key=key, start=start, count=count, deadline=deadline))
                    running += 1
                head = submitted[0]
                if client.finished_with(head.key) or head.overdue():
                    submitted.popleft()
                    yield from self._chunk_results(client, head, item_seconds)
                else:
                    client.receive(head.seconds_left())
        finally:
            for chunk in submitted:  # abandoned: the cluster need not finish them
                client.cancel(chunk.key, restart=False)

    def _chunk_results(
        self, client: _ClientProcess, chunk: _Chunk, item_seconds: float | None
    ) -> Iterator[Any]:
        ended = client.take(chunk.key)
        if ended is None:  # overdue: given up, and its worker restarted if the cluster is ours
            client.cancel(chunk.key, restart=True)
            reason = f"took longer than {item_seconds:g} s (its chunk of {chunk.count} did not finish)"
            outcomes: list[Outcome] = [(_TIMED_OUT, reason)] * chunk.count
        elif isinstance(ended, str):  # the task itself failed: its worker died, or the cluster went
            outcomes = [(_RAISED, ended)] * chunk.count
        else:
            try:
                outcomes = pickle.loads(ended)
            except Exception as exc:
                outcomes = [(_RAISED, f"results could not be read: {one_line(exc)}")] * chunk.count
        for offset, (kind, value) in enumerate(outcomes):
            if kind == _DONE:
                yield value
            else:
                yield Failed(index=chunk.start + offset, reason=str(value), timed_out=kind == _TIMED_OUT)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _ClientProcess:
    """This side of the client process: commands go down one pipe, events come up another.

    Commands: ("submit", key, fn, chunk, item_seconds), ("cancel", key, restart), ("workers",); closing
    the pipe asks it to close its client (and its LocalCluster) and end. Events: ("ready", slots) or
    ("error", message) once, then ("done", key, pickled outcomes), ("failed", key, reason) and
    ("workers", slots). Nothing here needs a thread: events are read while a map waits.
    """

    def __init__(self, settings: dict[str, object]) -> None:
        commands_read, self._commands = os.pipe()
        self._events, events_write = os.pipe()
        try:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    CLIENT_MAIN,
                    str(commands_read),
                    str(events_write),
                    json.dumps(settings),
                ],
                pass_fds=(commands_read, events_write),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # never into this process's output (`briefgen build --json`)
                env=_client_environment(),
                start_new_session=True,  # a Ctrl-C reaches this process, which then closes the client
            )
        except OSError as exc:
            for fd in (self._commands, self._events):
                os.close(fd)
            raise ExecutorError(f"cannot start the Dask client process: {one_line(exc)}") from exc
        finally:
            os.close(commands_read)
            os.close(events_write)
        self.pid = self._process.pid
        self._buffer = bytearray()
        self._expected: set[str] = set()  # keys submitted and neither finished nor cancelled
        self._finished: dict[str, bytes | str] = {}  # key -> pickled outcomes, or why the task failed
        self._replies: deque[tuple[Any, ...]] = deque()
        self._ended: str | None = None
        self._closed = False
        where = settings["scheduler"] or "a local cluster"
        ready = self._reply(START_SECONDS, f"Dask on {where} did not start within {START_SECONDS:g} s")
        if ready[0] != "ready":
            self.close()
            raise ExecutorError(str(ready[1]))
        self._slots = int(ready[1])

    def slots(self) -> int:
        self._send(("workers",))
        self._slots = int(self._reply(REPLY_SECONDS, "the Dask client did not answer")[1])
        return max(1, self._slots)

    def submit(self, key: str, function: bytes, chunk: bytes, item_seconds: float | None) -> None:
        self._expected.add(key)
        self._send(("submit", key, function, chunk, item_seconds))

    def cancel(self, key: str, *, restart: bool) -> None:
        if key in self._expected:
            self._expected.discard(key)
            with contextlib.suppress(ExecutorError):  # an ended client process has nothing to cancel
                self._send(("cancel", key, restart))
        self._finished.pop(key, None)

    def finished_with(self, key: str) -> bool:
        return key in self._finished

    def take(self, key: str) -> bytes | str | None:
        """The task's pickled outcomes, or why it failed; None if it has not finished."""
        ended = self._finished.pop(key, None)
        if ended is not None:
            self._expected.discard(key)
        return ended

    def receive(self, timeout: float | None) -> None:
        """Wait up to `timeout` seconds (None: as long as it takes) for events, and take them."""
        self._check()
        poller = select.poll()
        poller.register(self._events, select.POLLIN)
        if not poller.poll(None if timeout is None else int(timeout * 1000) + 1):
            return
        data = os.read(self._events, 1 << 20)
        if not data:
            self._ended = f"the Dask client process ended ({self._exit_status()})"
            self._check()
        self._buffer += data
        while len(self._buffer) >= FRAME.size:
            (size,) = FRAME.unpack_from(self._buffer)
            end = FRAME.size + size
            if len(self._buffer) < end:
                break
            message = pickle.loads(self._buffer[FRAME.size : end])
            del self._buffer[:end]
            self._take(message)

    def _take(self, message: tuple[Any, ...]) -> None:
        if message[0] in ("done", "failed"):
            if message[1] in self._expected:  # else cancelled, or given up as overdue
                self._finished[message[1]] = message[2]
        else:
            self._replies.append(message)

    def _reply(self, seconds: float, late: str) -> tuple[Any, ...]:
        deadline = time.monotonic() + seconds
        while not self._replies:
            left = deadline - time.monotonic()
            if left <= 0:
                self._ended = late
                self._kill()
                self._check()
            self.receive(left)
        return self._replies.popleft()

    def _send(self, message: tuple[Any, ...]) -> None:
        self._check()
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        try:
            _write_all(self._commands, FRAME.pack(len(data)) + data)
        except BrokenPipeError:
            self._ended = f"the Dask client process ended ({self._exit_status()})"
            self._check()

    def _check(self) -> None:
        if self._closed:
            raise ExecutorError("the Dask executor is closed")
        if self._ended is not None:
            raise ExecutorError(self._ended)

    def _exit_status(self) -> str:
        try:
            code = self._process.wait(timeout=CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            self._kill()
            return "it stopped answering and was killed"
        return describe_exit(_wait_status(code))

    def _kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)  # its session: the client and what it spawned
        self._process.wait()

    def close(self) -> None:
        """Ask the client process to close its client and cluster and end; kill it if it takes too long."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(OSError):
            os.close(self._commands)
        try:
            self._process.wait(timeout=CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            self._kill()
        with contextlib.suppress(OSError):
            os.close(self._events)


def _client_environment() -> dict[str, str]:
    """This environment, with this process's import path: the client process, and the workers a
    LocalCluster spawns from it, import briefgen and `fn`'s module from where this process did."""
    package_root = str(Path(__file__).resolve().parent.parent)
    path = [package_root, *(entry for entry in sys.path if entry and entry != package_root)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path)}


def _wait_status(returncode: int) -> int:
    """subprocess's returncode (negative: a signal) as os.waitpid's status, for describe_exit."""
    return -returncode if returncode < 0 else returncode << 8


def _task_name(fn: Callable[..., object]) -> str:
    inner = getattr(fn, "func", fn)  # a functools.partial: its function
    name = getattr(inner, "__name__", type(inner).__name__)
    return "".join(c if c.isalnum() or c == "_" else "_" for c in name) or "task"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


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


def run_chunk(function: bytes, chunk: bytes, item_seconds: float | None) -> bytes:
    """On a Dask worker: one chunk, each item's exception caught, so one bad item fails alone; the
    outcomes go back pickled, so the client process relays them without reading them."""
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
    try:
        return pickle.dumps(outcomes, pickle.HIGHEST_PROTOCOL)
    except Exception:  # name the results that do not pickle; the others still count
        return pickle.dumps([_picklable(outcome) for outcome in outcomes], pickle.HIGHEST_PROTOCOL)


def _picklable(outcome: Outcome) -> Outcome:
    try:
        pickle.dumps(outcome[1], pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        return (_RAISED, f"result could not be pickled: {one_line(exc)}")
    return outcome
