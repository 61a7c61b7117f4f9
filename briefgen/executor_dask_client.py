"""The Dask client process that `executor_dask.DaskExecutor` starts: it holds the `distributed.Client`
(and, without `--scheduler`, the LocalCluster: its scheduler, and the nannies of its worker processes),
so the build's own process never has Dask's threads.

It relays bytes: a command's pickled `fn` and chunk become one task (`executor_dask.run_chunk`), and the
task's pickled outcomes go back as they are; it never unpickles an item or a result. It ends when the
build's end of the command pipe closes (the build closed the executor, or died): it closes the client
and its cluster, and is gone within CLOSE_SECONDS whatever happens.

    python -c "from briefgen.executor_dask_client import main; main()" COMMANDS_FD EVENTS_FD SETTINGS_JSON
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import pickle
import sys
import threading
import traceback
from typing import IO, Any

from distributed import Client, Future, LocalCluster

from briefgen.executor import one_line
from briefgen.executor_dask import CLOSE_SECONDS, FRAME, run_chunk


def main() -> None:
    commands_fd, events_fd, settings = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    events = _Events(events_fd)
    scheduler: str | None = settings["scheduler"]
    cluster: LocalCluster | None = None
    try:
        if scheduler is None:
            cluster = start_local_cluster(int(settings["workers"]))
        client = Client(cluster or scheduler, set_as_default=False, timeout=settings["connect_seconds"])
    except Exception as exc:
        if cluster is not None:
            cluster.close()
        events.send(("error", f"cannot start Dask on {scheduler or 'a local cluster'}: {one_line(exc)}"))
        sys.exit(1)
    code = 0
    try:
        events.send(("ready", _slots(client)))
        with open(commands_fd, "rb", buffering=1 << 20) as commands:
            _serve(commands, events, client, cluster)
    except Exception:
        traceback.print_exc()
        code = 1
    finally:
        # past this deadline, end anyway: the workers of a LocalCluster go with their nannies
        deadline = threading.Timer(CLOSE_SECONDS, os._exit, (code,))
        deadline.daemon = True
        deadline.start()
        client.close()
        if cluster is not None:
            cluster.close()
    sys.stderr.flush()
    os._exit(code)  # no wait for Dask's leftover threads at interpreter exit


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


class _Events:
    """The pipe up to the build: whole messages, from any thread (task callbacks have their own)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._lock = threading.Lock()

    def send(self, message: tuple[Any, ...]) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            view = memoryview(FRAME.pack(len(data)) + data)
            try:
                while view:
                    view = view[os.write(self._fd, view) :]
            except BrokenPipeError:  # the build is gone: its closed command pipe ends this process
                pass


def _serve(commands: IO[bytes], events: _Events, client: Client, cluster: LocalCluster | None) -> None:
    futures: dict[str, Future[bytes]] = {}  # submitted and not yet reported or cancelled
    while (message := _read(commands)) is not None:
        kind = message[0]
        if kind == "submit":
            _, key, function, chunk, item_seconds = message
            future = client.submit(run_chunk, function, chunk, item_seconds, key=key, pure=False)
            futures[key] = future
            future.add_done_callback(functools.partial(_report, events, futures))
        elif kind == "cancel":
            _, key, restart = message
            if (cancelled := futures.pop(key, None)) is not None:
                _cancel(client, cancelled, restart=restart and cluster is not None)
        elif kind == "workers":
            events.send(("workers", _slots(client)))


def _read(commands: IO[bytes]) -> tuple[Any, ...] | None:
    header = commands.read(FRAME.size)
    if len(header) < FRAME.size:
        return None
    (size,) = FRAME.unpack(header)
    data = commands.read(size)
    if len(data) < size:
        return None
    message: tuple[Any, ...] = pickle.loads(data)
    return message


def _report(events: _Events, futures: dict[str, Future[bytes]], future: Future[bytes]) -> None:
    """A task ended: send its pickled outcomes, or why it failed (unless the build cancelled it)."""
    key = str(future.key)
    if futures.pop(key, None) is None:
        return
    try:
        message: tuple[Any, ...] = ("done", key, future.result())
    except Exception as exc:  # its worker died, or the cluster went
        message = ("failed", key, f"dask task failed: {one_line(exc)}")
    future.release()
    events.send(message)


def _cancel(client: Client, future: Future[bytes], *, restart: bool) -> None:
    """Cancel a task; with `restart` (our own LocalCluster) also restart the worker that runs it, since
    a running task cannot be stopped and would hold its thread. The restart runs in a thread: it takes
    seconds (more on a busy machine), and the chunks the build submits meanwhile, whose time runs from
    their submission, must reach the other workers at once rather than wait in the command pipe."""
    processing: dict[str, list[str]] = client.processing() if restart else {}
    future.cancel()
    stuck = [worker for worker, keys in processing.items() if future.key in keys]
    if stuck:
        threading.Thread(
            target=_restart_workers, args=(client, stuck), name="restart-stuck-worker", daemon=True
        ).start()


def _restart_workers(client: Client, workers: list[str]) -> None:
    with contextlib.suppress(Exception):  # the client closed meanwhile: the build is over
        client.restart_workers(workers, raise_for_error=False)


def _slots(client: Client) -> int:
    slots: dict[str, int] = client.nthreads()
    return sum(slots.values())
