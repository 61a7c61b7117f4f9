#!/usr/bin/env python3
"""Cold builds of N generated articles with `--executor local` and `--executor dask` (a LocalCluster of
`--workers` single-threaded workers): wall and CPU seconds, and peak memory per process.

    python benchmarks/dask_bench.py                  # 10,000 articles (../shared/bench/make_corpus.py)
    python benchmarks/dask_bench.py --big            # 100,000: issue 17's bar, under 2 GB with each
    python benchmarks/dask_bench.py --n 2000 --executors dask --keep

Each build is `python -m briefgen build --json --jobs W --executor E` from an empty output and cache
folder (a fresh pair per build: deleting a big site just before a build slows its writes), all sites
reading one generated content folder. While it runs, every process of its tree is sampled
(`--sample-seconds`): the build's own process, the forked local workers (analysis, join and pages, or
pages only under Dask), the Dask client process (which holds the LocalCluster's scheduler and its
nannies) and each Dask worker. Per process: the kernel's peak resident size (VmHWM, which counts pages
shared with a fork parent in full) and the peak PSS (shared pages divided among their sharers) seen in
the samples, and its CPU seconds as last sampled. For the whole tree: the peak of the PSS summed over
the tree at one sample, and the CPU seconds of every process the build reaped (os.wait4). The machine
is shared: compare CPU seconds first.

A build whose tree passes `--max-tree-gb` is stopped (the machine is shared), and reported as such.
Also printed: the same-story join's chunks for this corpus (from the articles' dates, as
`story_join.plan_chunks` cuts them) and an estimate of the largest one's bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
DEFAULT_WORK = REPO / "benchmarks" / ".work" / "dask"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BAR_GB = 2.0  # issue 17: 100,000 articles under 2 GB, with the local executor and a 2-worker LocalCluster
DISK_PER_ARTICLE_KB = 120  # content, site and cache of one article, measured at 2,000 and 10,000 (with room)
DATE = re.compile(r"^date:\s*\"?(\d{4}-\d{2}-\d{2})", re.MULTILINE)


class BenchError(Exception):
    """The benchmark cannot run (exit status 2)."""


# --------------------------------------------------------------------------- processes and memory


@dataclass(slots=True)
class Seen:
    """One process of the tree, over the samples that saw it."""

    pid: int
    role: str
    hwm_kb: int = 0
    pss_kb: int = 0
    cpu_ticks: int = 0


@dataclass(slots=True, kw_only=True)
class Measured:
    executor: str
    wall: float = 0.0
    cpu: float = 0.0  # user + system of the build and every process it reaped
    peak_tree_pss_kb: int = 0
    processes: dict[int, Seen] = field(default_factory=dict)
    returncode: int | None = None
    stopped: str | None = None  # why the benchmark stopped the build
    report: dict[str, Any] | None = None
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.stopped is None and bool(self.report and self.report.get("ok"))


def tree_pids(root: int) -> list[int]:
    """`root` and every descendant, through /proc/<pid>/task/<tid>/children."""
    pids = [root]
    index = 0
    while index < len(pids):
        pid = pids[index]
        index += 1
        try:
            tids = list(Path(f"/proc/{pid}/task").iterdir())
        except OSError:
            continue
        for tid in tids:
            try:
                pids.extend(int(child) for child in (tid / "children").read_text(encoding="ascii").split())
            except (OSError, ValueError):
                continue
    return pids


def _field_kb(text: str, name: str) -> int:
    match = re.search(rf"^{name}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def sample(pid: int) -> tuple[int, int, int] | None:
    """(VmHWM kB, Pss kB, CPU ticks) of a live process, or None if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return _field_kb(status, "VmHWM"), _field_kb(rollup, "Pss"), int(fields[11]) + int(fields[12])


def role_of(pid: int, build: int, parents: dict[int, int]) -> str | None:
    """What a process of the build's tree is, from its command line and its parent (None: it has ended)."""
    if pid == build:
        return "build (main process)"
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    if not cmdline:  # a zombie, waiting to be reaped
        return None
    if "executor_dask_client" in cmdline:
        return "Dask client process (scheduler, nannies)"
    if "multiprocessing" in cmdline and "resource_tracker" in cmdline:
        return "multiprocessing resource tracker"
    if "spawn" in cmdline or "forkserver" in cmdline:
        return "Dask worker"
    if "pagefind" in cmdline:  # the search index's binary, which the build runs after its pages
        return "Pagefind (search index)"
    if "-m briefgen" in cmdline:  # a fork of the build: a broker or a worker of the local executor
        return "local forked broker" if parents.get(pid) == build else "local forked worker"
    return "other: " + cmdline[:60]


def measure(
    cmd: Sequence[str], executor: str, *, cwd: Path, env: dict[str, str], every: float, max_tree_kb: int
) -> Measured:
    """Run one build to its end (or stop it past `max_tree_kb`), sampling its process tree."""
    result = Measured(executor=executor)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True)
        while True:
            done, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if done:
                break
            _sample_tree(proc.pid, result)
            if result.stopped is None and result.peak_tree_pss_kb > max_tree_kb:
                result.stopped = (
                    f"stopped by the benchmark: the tree passed {max_tree_kb / 2**20:.1f} GB "
                    f"after {time.perf_counter() - started:.0f} s"
                )
                os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(every)
        result.wall = time.perf_counter() - started
        result.cpu = usage.ru_utime + usage.ru_stime
        result.returncode = os.waitstatus_to_exitcode(status)
        proc.returncode = result.returncode
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        result.stderr = err.read().decode("utf-8", "replace")
    try:
        result.report = json.loads(stdout)
    except ValueError:
        result.report = None
    return result


def _sample_tree(build: int, result: Measured) -> None:
    pids = tree_pids(build)
    parents = {child: _parent(child) for child in pids}
    total = 0
    for pid in pids:
        found = sample(pid)
        if found is None:
            continue
        hwm, pss, ticks = found
        seen = result.processes.get(pid)
        role = role_of(pid, build, parents)
        if role is None:  # gone since it was sampled
            continue
        if seen is None or seen.role != role:  # new, or a fork that has run exec since (a fresh mm)
            seen = result.processes[pid] = Seen(pid=pid, role=role)
        seen.hwm_kb, seen.pss_kb = max(seen.hwm_kb, hwm), max(seen.pss_kb, pss)
        seen.cpu_ticks = max(seen.cpu_ticks, ticks)
        total += pss
    result.peak_tree_pss_kb = max(result.peak_tree_pss_kb, total)


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


# --------------------------------------------------------------------------- corpus and sites


def make_corpus(script: Path, n: int, content: Path, *, seed: int) -> None:
    """The generated articles, made once per (n, seed) and kept in `content`."""
    marker = content / f".made-{n}-{seed}"
    if marker.is_file():
        return
    if not script.is_file():
        raise BenchError(f"make_corpus.py not found at {script} (use --make-corpus PATH)")
    shutil.rmtree(content, ignore_errors=True)
    cmd = [sys.executable, str(script), "--n", str(n), "--format", "md", "--out", str(content)]
    done = subprocess.run([*cmd, "--seed", str(seed)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"make_corpus.py failed ({done.returncode}): {done.stderr.strip()}")
    marker.touch()


def check_disk(work: Path, n: int, *, keep: bool, executors: int) -> str:
    """Free space against what the builds will write; raises when it cannot be enough."""
    usage = shutil.disk_usage(work)
    need = n * DISK_PER_ARTICLE_KB * 1024 * (executors if keep else 1)
    line = f"{usage.free / 2**30:.1f} GB free in {work}, about {need / 2**30:.1f} GB needed"
    if usage.free < need:
        raise BenchError(f"not enough disk space: {line}")
    return line


def new_site(work: Path, name: str, content: Path) -> Path:
    """An empty site folder whose config reads the shared content folder."""
    root = work / name
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "briefgen.yml").write_text(f"content_dir: {content}\n", encoding="utf-8")
    return root


# --------------------------------------------------------------------------- the join's chunks


def join_chunks(content: Path, sample_size: int = 200) -> list[str]:
    """The join's chunks for these articles' dates, and an estimate of the largest one's bytes."""
    import datetime as dt

    from briefgen.corpus.story_join import order_key, plan_chunks

    paths = sorted(content.glob("*.md"))
    stubs = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            match = DATE.search(handle.read(400))
        date = dt.date.fromisoformat(match.group(1)) if match else None
        stubs.append(_stub(path.stem, date))
    chunks = list(plan_chunks(sorted(stubs, key=order_key)))
    if not chunks:
        return ["join: no articles"]
    largest = max(chunks, key=lambda chunk: len(chunk.index))
    sizes = [len(chunk.index) for chunk in chunks]
    mean_bytes = _mean_features_bytes(paths[:: max(1, len(paths) // sample_size)])
    estimate = len(largest.index) * mean_bytes / 2**20
    sampled = len(paths[:: max(1, len(paths) // sample_size)])
    return [
        f"join: {len(chunks)} chunks of {len(chunks[0].queries)} query articles; articles per chunk "
        f"(its queries and their {_window()}-day window): median {statistics.median(sizes):.0f}, "
        f"largest {len(largest.index):,} of {len(paths):,}",
        f"join: the largest chunk pickles to about {estimate:.1f} MB ({mean_bytes / 1024:.2f} kB per "
        f"article's same-story features, the mean of {sampled} analysed here)",
    ]


def _window() -> int:
    from briefgen.corpus.same_story import WINDOW_DAYS

    return WINDOW_DAYS


def _stub(item_id: str, date: Any) -> Any:
    from briefgen.model import StoryFeatures

    return StoryFeatures(
        id=item_id,
        date=date,
        year=None,
        weekdays=0,
        months=0,
        numbers=b"",
        terms=b"",
        weights=b"",
        quotes=b"",
        speakers=b"",
        name_hashes=b"",
        main_names=b"",
        keywords=(),
    )


def _mean_features_bytes(paths: Sequence[Path]) -> float:
    """The mean pickled size of real same-story features (each article analysed here, as a worker would)."""
    import pickle

    from briefgen.pipeline.analyse import Analysed, AnalysisJob, analyse_job
    from briefgen.sources import KINDS

    sizes = []
    for path in paths:
        job = AnalysisJob(
            rel_path=path.name,
            kind=KINDS[path.suffix.lower()],
            data=path.read_bytes(),
            mtime=path.stat().st_mtime,
            key=path.name,
            summary_sentences=3,
        )
        result = analyse_job(job)
        if isinstance(result, Analysed):
            sizes.append(len(pickle.dumps(result.features, pickle.HIGHEST_PROTOCOL)))
    return statistics.fmean(sizes) if sizes else 0.0


# --------------------------------------------------------------------------- output


def mb(kb: int) -> str:
    return f"{kb / 1024:,.0f}"


def format_results(results: Sequence[Measured]) -> list[str]:
    lines = []
    for result in results:
        state = "ok" if result.ok else (result.stopped or f"failed (exit {result.returncode})")
        written = len((result.report or {}).get("pages", {}).get("written", []))
        lines.append(
            f"--executor {result.executor}: {state}; wall {result.wall:.1f} s, CPU {result.cpu:.1f} s "
            f"(process tree), peak tree PSS {mb(result.peak_tree_pss_kb)} MB; {written:,} files written"
        )
        lines.append("| process | count | peak RSS (VmHWM) MB | peak PSS MB | CPU s |")
        lines.append("|---|---:|---:|---:|---:|")
        for role, group in _by_role(result.processes.values()):
            rows = [[seen] for seen in group] if role == "Dask worker" else [group]  # each worker alone
            for members in rows:
                label = f"{role} (pid {members[0].pid})" if len(rows) > 1 else role
                lines.append(
                    f"| {label} | {len(members)} | "
                    f"{mb(max(m.hwm_kb for m in members))} | {mb(max(m.pss_kb for m in members))} | "
                    f"{sum(m.cpu_ticks for m in members) / CLOCK_TICKS:.1f} |"
                )
        if result.stderr.strip() and not result.ok:
            lines.append("stderr (last lines): " + " / ".join(result.stderr.strip().splitlines()[-3:]))
        lines.append("")
    return lines


def _by_role(processes: Any) -> list[tuple[str, list[Seen]]]:
    groups: dict[str, list[Seen]] = {}
    for seen in sorted(processes, key=lambda s: s.pid):
        groups.setdefault(seen.role, []).append(seen)
    return list(groups.items())


def bar_lines(results: Sequence[Measured], n: int) -> list[str]:
    lines = []
    for result in results:
        gb = result.peak_tree_pss_kb / 2**20
        verdict = "met" if result.ok and gb < BAR_GB else "NOT met"
        lines.append(
            f"bar (issue 17, at 100,000 articles): under {BAR_GB:g} GB with --executor {result.executor}: "
            f"{verdict} at {n:,} articles ({gb:.2f} GB peak tree PSS)"
        )
    return lines


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="articles (default 10,000)")
    parser.add_argument("--big", action="store_true", help="100,000 articles")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes, Dask workers (2)")
    parser.add_argument("--executors", default="local,dask", help="comma-separated (local,dask)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where corpus and sites go")
    parser.add_argument("--make-corpus", type=Path, default=DEFAULT_MAKE_CORPUS)
    parser.add_argument(
        "--content", type=Path, default=None, help="build these articles instead (--n ignored)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep each built site (default: delete it)")
    parser.add_argument("--max-tree-gb", type=float, default=6.0, help="stop a build past this (6)")
    parser.add_argument("--sample-seconds", type=float, default=0.2)
    parser.add_argument("--no-chunks", action="store_true", help="skip the join's chunk figures")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.big:
        args.n = 100_000
    args.executors = [e.strip() for e in args.executors.split(",") if e.strip()]
    if not set(args.executors) <= {"local", "dask"}:
        parser.error("--executors takes local and dask")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    content = args.work / "content"
    try:
        if args.content is not None:
            content = args.content.resolve()
            args.n = sum(1 for _ in content.glob("*.md"))
        print(check_disk(args.work, args.n, keep=args.keep, executors=len(args.executors)), flush=True)
        made = time.perf_counter()
        if args.content is None:
            make_corpus(args.make_corpus, args.n, content, seed=args.seed)
        print(f"corpus: {args.n:,} articles in {content} ({time.perf_counter() - made:.0f} s)", flush=True)
    except BenchError as exc:
        print(f"dask_bench: {exc}", file=sys.stderr)
        return 2
    env = {**os.environ, "NO_COLOR": "1"}
    results = []
    for executor in args.executors:
        site = new_site(args.work, f"site-{executor}-{os.getpid()}", content)
        cmd = [sys.executable, "-m", "briefgen", "build", "--site", str(site), "--json"]
        cmd += ["--jobs", str(args.workers), "--executor", executor]
        max_tree_kb = int(args.max_tree_gb * 2**20)
        # run from the site folder: `python -m` puts the working directory first on the import path,
        # where a checkout's briefgen/ would shadow the one PYTHONPATH names (to measure another tree)
        result = measure(cmd, executor, cwd=site, env=env, every=args.sample_seconds, max_tree_kb=max_tree_kb)
        results.append(result)
        print("\n".join(format_results([result])), flush=True)
        if not args.keep:
            shutil.rmtree(site, ignore_errors=True)
    lines = [f"{args.n:,} articles, {args.workers} workers, load average {os.getloadavg()[0]:.1f} at the end"]
    if not args.no_chunks:
        lines += join_chunks(content)
    if args.n >= 100_000:
        lines += bar_lines(results, args.n)
    print("\n".join(lines))
    if args.json is not None:
        args.json.write_text(json.dumps([_to_json(r) for r in results], indent=1) + "\n", encoding="utf-8")
    return 0 if all(r.ok for r in results) else 1


def _to_json(result: Measured) -> dict[str, Any]:
    return {
        "executor": result.executor,
        "ok": result.ok,
        "stopped": result.stopped,
        "wall_s": round(result.wall, 2),
        "cpu_s": round(result.cpu, 2),
        "peak_tree_pss_mb": round(result.peak_tree_pss_kb / 1024, 1),
        "processes": [
            {
                "pid": s.pid,
                "role": s.role,
                "peak_rss_mb": round(s.hwm_kb / 1024, 1),
                "peak_pss_mb": round(s.pss_kb / 1024, 1),
                "cpu_s": round(s.cpu_ticks / CLOCK_TICKS, 2),
            }
            for s in result.processes.values()
        ],
    }


if __name__ == "__main__":
    sys.exit(main())
