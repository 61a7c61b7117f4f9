"""The forked side of `ProcessExecutor`: a broker process per `map`, and its workers.

    caller ◀── results, in order ── broker ◀── one frame per item ── worker × n
                                            ── (start, stop) chunks ─▶

The broker hands out chunks, keeps results in order, watches each item's clock, and kills and replaces a
worker that overruns or dies. Workers never wait for a busy caller (the broker buffers what the caller
has not read), and the caller needs no helper thread, which would make every later fork unsafe. Items are
inherited through fork; only results cross a pipe, one frame each: `HEADER` then the payload (a pickle for
DONE, one line of text otherwise). Nothing outlives the caller: each child asks Linux for SIGKILL when its
parent dies (`PR_SET_PDEATHSIG`); the broker also stops when the caller's end of its pipe closes, and a
worker when the broker's end of its task pipe does; the broker and its workers share a process group,
which the caller kills as one.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import pickle
import select
import signal
import struct
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

CHUNKS_PER_WORKER = 32  # small chunks: the last one is what one worker finishes while the others idle
HEADER = struct.Struct("<qBI")  # item index, frame kind, payload bytes
TASK = struct.Struct("<qq")  # a chunk: items[start:stop]
DONE, RAISED, TIMED_OUT, DIED = range(4)  # frame kinds
_PR_SET_PDEATHSIG = 1


def chunk_size(items: int, workers: int) -> int:
    """Items per chunk: a chunk costs ~1 ms of messaging, and small ones leave no worker idle at the end."""
    return max(1, items // (workers * CHUNKS_PER_WORKER))


def one_line(exc: BaseException) -> str:
    text = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return " ".join(text.split())


def start_broker(
    fn: Callable[[Any], object],
    items: Sequence[Any],
    workers: int,
    item_seconds: float | None,
    close: Sequence[int],
) -> tuple[int, int]:
    """Fork the broker for one map (it forks the workers); its pid, and the pipe its frames come on.
    `close`: descriptors the children must not keep (other runs' pipe ends)."""
    read_fd, write_fd = os.pipe()
    caller = os.getpid()
    pid = os.fork()
    if pid == 0:
        broker = _Broker(fn, items, workers, item_seconds, write_fd)
        run_child(broker.run, expected_parent=caller, close=[read_fd, *close])
    os.close(write_fd)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)  # the broker does it too: whichever runs first, killpg finds the group
    return pid, read_fd


def describe_exit(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def run_child(body: Callable[[], None], *, expected_parent: int, close: Sequence[int]) -> NoReturn:
    """A forked child: die with its parent, ignore the terminal's Ctrl-C (the caller handles it), run
    `body`, and never return into the caller's code, whatever happens."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGALRM):
            signal.signal(signum, signal.SIG_DFL)
        with contextlib.suppress(ValueError):
            signal.set_wakeup_fd(-1)
        if sys.platform == "linux":
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != expected_parent:  # it died before prctl: no signal will come
            os._exit(1)
        for fd in close:
            with contextlib.suppress(OSError):
                os.close(fd)
        body()
        code = 0
    finally:
        os._exit(code)


def _worker_loop(fn: Callable[[Any], object], items: Sequence[Any], tasks: int, results: int) -> None:
    while len(task := _read_exact(tasks, TASK.size)) == TASK.size:
        start, stop = TASK.unpack(task)
        for index in range(start, stop):
            kind, payload = _do_item(fn, items[index])
            _write_all(results, HEADER.pack(index, kind, len(payload)) + payload)


def _do_item(fn: Callable[[Any], object], item: Any) -> tuple[int, bytes]:
    try:
        value = fn(item)
    except BaseException as exc:  # SystemExit from fn too: it is this item's failure
        return RAISED, one_line(exc).encode()
    try:
        return DONE, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        return RAISED, f"result could not be pickled: {one_line(exc)}".encode()


def _read_exact(fd: int, size: int) -> bytes:
    data = b""
    while len(data) < size and (chunk := os.read(fd, size - len(data))):
        data += chunk
    return data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


@dataclass(slots=True, kw_only=True)
class _Worker:
    pid: int
    tasks: int  # write end: chunks go to the worker
    results: int  # read end: one frame per item comes back
    assigned: deque[range] = field(default_factory=deque)  # chunks given, unfinished; [0][0] is running
    started: float = 0.0  # monotonic; when the running item began, as far as the broker can tell
    buffer: bytearray = field(default_factory=bytearray)


class _Broker:
    """Runs in its own process: forks workers, deals chunks, keeps the clock and the order."""

    def __init__(
        self,
        fn: Callable[[Any], object],
        items: Sequence[Any],
        workers: int,
        item_seconds: float | None,
        out: int,
    ) -> None:
        size = chunk_size(len(items), workers)
        self.fn, self.items, self.item_seconds, self.out = fn, items, item_seconds, out
        self.pending = deque(
            range(start, min(start + size, len(items))) for start in range(0, len(items), size)
        )
        self.target = min(workers, len(self.pending))
        self.workers: dict[int, _Worker] = {}  # by results fd
        self.ready: dict[int, bytes] = {}  # frames by item index, until all before them are out
        self.next_out, self.outgoing = 0, bytearray()
        self.poller = select.poll()
        self.poller.register(out, 0)  # POLLERR alone: the caller closed its end or died

    def run(self) -> None:
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
        os.set_blocking(self.out, False)
        try:
            while self.next_out < len(self.items) or self.outgoing:
                self._deal()
                if not self._wait():
                    return
                self._expire()
        finally:
            for worker in list(self.workers.values()):
                self._end(worker, kill=True)

    def _deal(self) -> None:
        while len(self.workers) < self.target and self.pending:  # at the start, and replacements
            self._fork()
        for worker in self.workers.values():
            while len(worker.assigned) < 2 and self.pending:  # one running, one queued: no idle gap
                chunk = self.pending.popleft()
                if not worker.assigned:
                    worker.started = time.monotonic()
                worker.assigned.append(chunk)
                with contextlib.suppress(BrokenPipeError):  # it died: its results pipe says so next
                    _write_all(worker.tasks, TASK.pack(chunk.start, chunk.stop))

    def _fork(self) -> None:
        tasks_r, tasks_w = os.pipe()
        results_r, results_w = os.pipe()
        mine = [
            self.out,
            tasks_w,
            results_r,
            *(fd for w in self.workers.values() for fd in (w.tasks, w.results)),
        ]
        broker = os.getpid()
        pid = os.fork()
        if pid == 0:
            work = functools.partial(_worker_loop, self.fn, self.items, tasks_r, results_w)
            run_child(work, expected_parent=broker, close=mine)
        os.close(tasks_r)
        os.close(results_w)
        self.workers[results_r] = _Worker(pid=pid, tasks=tasks_w, results=results_r)
        self.poller.register(results_r, select.POLLIN)

    def _wait(self) -> bool:
        """One round of pipe events; False when the caller is gone."""
        timeout = None
        starts = [worker.started for worker in self.workers.values() if worker.assigned]
        if self.item_seconds is not None and starts:
            timeout = max(0, int((min(starts) + self.item_seconds - time.monotonic()) * 1000) + 1)
        self.poller.modify(self.out, select.POLLOUT if self.outgoing else 0)
        for fd, events in self.poller.poll(timeout):
            if fd == self.out and events & (select.POLLERR | select.POLLHUP):
                return False
            if fd in self.workers:
                self._receive(self.workers[fd])
        return self._flush()

    def _flush(self) -> bool:
        """Send what is in order as far as the caller's pipe takes it; False when the caller is gone."""
        try:
            if self.outgoing:
                del self.outgoing[: os.write(self.out, self.outgoing)]
        except BlockingIOError:
            pass
        except BrokenPipeError:
            return False
        return True

    def _receive(self, worker: _Worker) -> None:
        data = os.read(worker.results, 1 << 20)
        if not data:
            self._retire(worker, blame=DIED)
            return
        worker.buffer += data
        self._take_frames(worker)

    def _take_frames(self, worker: _Worker) -> None:
        buffer = worker.buffer
        while len(buffer) >= HEADER.size:
            index, _, size = HEADER.unpack_from(buffer)
            end = HEADER.size + size
            if len(buffer) < end:
                break
            self._settle(worker, index, bytes(buffer[:end]))
            del buffer[:end]
        worker.started = time.monotonic()

    def _settle(self, worker: _Worker, index: int, frame: bytes) -> None:
        chunk = worker.assigned[0]
        worker.assigned[0] = chunk[1:]
        if not worker.assigned[0]:
            worker.assigned.popleft()
        self.ready[index] = frame
        while self.next_out in self.ready:
            self.outgoing += self.ready.pop(self.next_out)
            self.next_out += 1

    def _expire(self) -> None:
        if self.item_seconds is None:
            return
        now = time.monotonic()
        for worker in list(self.workers.values()):
            if worker.assigned and now - worker.started > self.item_seconds:
                self._retire(worker, blame=TIMED_OUT, running=worker.assigned[0][0])

    def _retire(self, worker: _Worker, *, blame: int, running: int | None = None) -> None:
        """A worker that died or overran: its item fails, its unfinished chunks go back to the queue."""
        _, status = self._end(worker, kill=blame == TIMED_OUT)
        worker.buffer += _drain(worker.results)
        self._take_frames(worker)  # results it wrote before it went are good
        os.close(worker.results)
        if worker.assigned and (running is None or worker.assigned[0][0] == running):
            index = worker.assigned[0][0]
            if blame == TIMED_OUT:
                reason = f"took longer than {self.item_seconds:g} s"
            else:
                reason = f"worker died ({describe_exit(status)})"
            payload = reason.encode()
            self._settle(worker, index, HEADER.pack(index, blame, len(payload)) + payload)
        self.pending.extendleft(reversed([chunk for chunk in worker.assigned if chunk]))

    def _end(self, worker: _Worker, *, kill: bool) -> tuple[int, int]:
        self.workers.pop(worker.results, None)
        self.poller.unregister(worker.results)
        os.close(worker.tasks)  # an idle worker exits on this
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        return os.waitpid(worker.pid, 0)


def _drain(fd: int) -> bytes:
    data = b""
    while chunk := os.read(fd, 1 << 20):
        data += chunk
    return data
