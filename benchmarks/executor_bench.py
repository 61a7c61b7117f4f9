"""What each executor costs: per-item overhead on trivial items, and throughput on a CPU-bound item.

Rows: `serial` (SerialExecutor), `process` (ProcessExecutor: forked broker and workers),
`pool (before)` (concurrent.futures.ProcessPoolExecutor with fork and the same chunk size, which is what
build.py's `forked_map` ran before the executor module), and `dask` (DaskExecutor on a LocalCluster of
the same worker count; its start-up is timed apart and left out of the rows).

CPU seconds are the whole process tree's: this process plus its reaped children (the broker, the workers,
the pool), read from os.times(); for Dask, the worker processes' own counters from /proc are added, since
they are still running when a row ends. The machine is shared, so compare CPU seconds first.

    python benchmarks/executor_bench.py                       # 20,000 trivial items, 400 CPU-bound ones
    python benchmarks/executor_bench.py --trivial 100000 --cpu 1000 --workers 2 --no-dask
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from briefgen.executor import Failed, ProcessExecutor, SerialExecutor, chunk_size

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SPIN = 20_000  # iterations of the CPU-bound item (about 1-2 ms of CPU here)


def trivial(x: int) -> int:
    return x


def spin(x: int) -> int:
    total = 0
    for i in range(SPIN):
        total += (i * x) % 7
    return total


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    executor: str
    load: str
    items: int
    wall_s: float
    cpu_s: float

    def cells(self) -> list[str]:
        per_item_us = self.wall_s / self.items * 1e6
        cpu_per_item_us = self.cpu_s / self.items * 1e6
        return [
            self.executor,
            self.load,
            f"{self.items:,}",
            f"{self.wall_s:.2f}",
            f"{self.cpu_s:.2f}",
            f"{per_item_us:,.1f}",
            f"{cpu_per_item_us:,.1f}",
            f"{self.items / self.wall_s:,.0f}",
        ]


def tree_cpu_s(extra_pids: Iterable[int] = ()) -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system + sum(map(process_cpu_s, extra_pids))


def process_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


Load = tuple[Callable[[int], int], list[int]]
Runner = Callable[[Callable[[int], int], list[int]], Iterable[object]]


def timed(name: str, load: str, run: Runner, work: Load, extra_pids: Iterable[int] = ()) -> Row:
    pids = list(extra_pids)
    fn, items = work
    cpu, wall = tree_cpu_s(pids), time.perf_counter()
    results = list(run(fn, items))
    wall, cpu = time.perf_counter() - wall, tree_cpu_s(pids) - cpu
    failed = sum(isinstance(r, Failed) for r in results)
    if len(results) != len(items) or failed:
        sys.exit(f"{name} on {load}: {len(results)} results, {failed} failed, for {len(items)} items")
    return Row(executor=name, load=load, items=len(items), wall_s=wall, cpu_s=cpu)


def pool_before(fn: Callable[[int], int], items: list[int], workers: int) -> list[object]:
    pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    with pool:
        return list(pool.map(fn, items, chunksize=chunk_size(len(items), workers)))


def local_rows(loads: dict[str, Load], workers: int) -> list[Row]:
    rows = []
    for load, work in loads.items():
        rows.append(timed("serial", load, SerialExecutor().map, work))
        with ProcessExecutor(workers) as executor:
            rows.append(timed("process", load, executor.map, work))
        rows.append(timed("pool (before)", load, lambda fn, items: pool_before(fn, items, workers), work))
    return rows


def dask_rows(loads: dict[str, Load], workers: int) -> tuple[list[Row], str]:
    from briefgen.executor_dask import DaskExecutor

    started = time.perf_counter()
    with DaskExecutor(None, jobs=workers) as executor:
        start_s = time.perf_counter() - started
        pids = list(executor._client.run(os.getpid).values())
        rows = [timed("dask", load, executor.map, work, pids) for load, work in loads.items()]
    return rows, f"Dask LocalCluster start-up: {start_s:.2f} s wall (not in the rows)."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trivial", type=int, default=20_000, help="trivial items (identity function)")
    parser.add_argument("--cpu", type=int, default=400, help="CPU-bound items")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true", help="leave out the Dask row")
    args = parser.parse_args(argv)
    loads: dict[str, Load] = {
        "trivial": (trivial, list(range(args.trivial))),
        "cpu-bound": (spin, list(range(args.cpu))),
    }
    rows = local_rows(loads, args.workers)
    notes = [f"{args.workers} workers; chunk size as the build uses: len // (workers × 32)."]
    if not args.no_dask:
        try:
            more, note = dask_rows(loads, args.workers)
        except ImportError:
            notes.append("Dask rows skipped: dask is not installed (pip install 'briefgen[dask]').")
        else:
            rows += more
            notes.append(note)
    head = ["executor", "load", "items", "wall s", "CPU s", "wall µs/item", "CPU µs/item", "items/s"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in sorted(rows, key=lambda r: r.load, reverse=True):
        print("| " + " | ".join(row.cells()) + " |")
    for note in notes:
        print(f"\n{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
