#!/usr/bin/env python3
"""Build benchmark: briefgen against Pelican on the same generated articles.

One run makes a corpus with the shared `make_corpus.py`, writes it out twice (a briefgen site and a
Pelican site, same articles, same Markdown bodies) and times, each as a fresh process:

- briefgen cold build: `briefgen clean`, then `briefgen build --json` (empty cache and output);
- briefgen no-change rebuild: `briefgen build --json` again, checked to have written nothing (the
  report's written/removed lists must be empty and no file in site/ may change inode, mtime or size);
- Pelican cold build: empty output and no content cache, Pelican's default settings otherwise;
- optionally (`--pelican-rebuild`) Pelican's no-change rebuild with its content cache switched on;
- optionally (`--one-process`) a cold build with `--jobs 1` beside Pelican's (both then use one core), and
  how much a second process adds on this machine (two cores may do less than twice the work of one).

The cold builds run `--rounds` times (3) for each tool, each into a fresh copy of the articles made
before any timing, alternating which tool goes first; the table shows each tool's median and the notes
every pair. This machine is shared, and its file system (ext4 without a journal) makes new files slow
for minutes after many were deleted nearby; `--work /dev/shm/...` measures both tools without it.

Pelican lives in its own venv (benchmarks/.work/venv-pelican); `--setup-pelican` creates it,
otherwise the Pelican rows are skipped with a note. Prints one table; exit status 0 when every
timed build succeeded and the rebuild wrote nothing, 1 otherwise, 2 on a usage or setup problem.

    python benchmarks/build_bench.py --setup-pelican          # 1,000 articles
    python benchmarks/build_bench.py --articles 200 --keep    # keep the generated sites
    python benchmarks/build_bench.py --one-process            # also --jobs 1 against Pelican, both on one core
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / ".work"
DEFAULT_MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
DEFAULT_VENV = WORK / "venv-pelican"
MISSING = "n/a"

PELICAN_CONF = """\
# Written by benchmarks/build_bench.py: Pelican's defaults, plus what a real site sets.
AUTHOR = "benchmark"
SITENAME = "Pelican benchmark"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
FEED_DOMAIN = "https://example.org"
CACHE_PATH = "cache"
CACHE_CONTENT = {cache}
LOAD_CONTENT_CACHE = {cache}
"""


class BenchError(Exception):
    """A setup problem: the benchmark cannot run at all (exit status 2)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Timed:
    seconds: float
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    step: str
    briefgen: float | None = None
    pelican: float | None = None
    notes: tuple[str, ...] = ()
    ok: bool = True

    @property
    def ratio(self) -> float | None:
        if self.briefgen is None or not self.pelican:
            return None
        return self.briefgen / self.pelican


@dataclass(frozen=True, slots=True, kw_only=True)
class Results:
    articles: int
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    context: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)


# --------------------------------------------------------------------------- corpus and sites


def make_corpus(script: Path, n: int, out: Path, *, seed: int) -> str:
    """Run make_corpus.py (Markdown with YAML front matter); return its one-line summary."""
    if not script.is_file():
        raise BenchError(f"make_corpus.py not found at {script} (use --make-corpus PATH)")
    cmd = [
        sys.executable,
        str(script),
        "--n",
        str(n),
        "--format",
        "md",
        "--out",
        str(out),
        "--seed",
        str(seed),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"make_corpus.py failed ({done.returncode}): {done.stderr.strip()}")
    return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"wrote {n} articles"


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The leading `---` YAML block as a mapping, and the body after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 4)
    if end < 0:
        return {}, text
    meta = yaml.safe_load(text[4:end]) or {}
    if not isinstance(meta, dict):
        return {}, text
    return meta, text[end + len("\n---\n") :]


def pelican_article(stem: str, text: str) -> str:
    """The same article in Pelican's Markdown metadata format (`Key: value` lines, then a blank)."""
    meta, body = split_front_matter(text)
    lines = [f"Title: {meta.get('title') or stem}"]
    date = meta.get("date")
    if isinstance(date, dt.datetime):  # YAML reads `2024-03-05T10:12:00Z` as an aware datetime
        date = date.astimezone(dt.UTC).replace(tzinfo=None) if date.tzinfo else date
        lines.append(f"Date: {date:%Y-%m-%d %H:%M:%S}")
    elif date is not None:
        lines.append(f"Date: {date}")
    tags = meta.get("tags") or []
    if isinstance(tags, list) and tags:
        lines.append("Tags: " + ", ".join(str(t) for t in tags))
    if meta.get("source"):
        lines.append(f"Source: {meta['source']}")
    lines.append(f"Slug: {stem}")  # the file name, as briefgen uses: titles may repeat
    return "\n".join(lines) + "\n\n" + body.lstrip("\n")


def write_sites(corpus: Path, briefgen_site: Path, pelican_site: Path) -> int:
    """Copy the corpus into both sites' content/ folders; return the number of articles."""
    articles = sorted(corpus.glob("*.md"))
    (briefgen_site / "content").mkdir(parents=True)
    (pelican_site / "content").mkdir(parents=True)
    for path in articles:
        shutil.copyfile(path, briefgen_site / "content" / path.name)
        text = path.read_text(encoding="utf-8")
        (pelican_site / "content" / path.name).write_text(pelican_article(path.stem, text), encoding="utf-8")
    return len(articles)


# --------------------------------------------------------------------------- running and checking


def run_timed(cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Timed:
    env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    # Both tools run as users run them: with bytecode caches (pip compiled Pelican's at install time).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    done = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - start
    return Timed(seconds=seconds, returncode=done.returncode, stdout=done.stdout, stderr=done.stderr)


Snapshot = dict[str, tuple[int, int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file under folder: relative path -> (inode, mtime_ns, size)."""
    out: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            st = path.stat()
            out[path.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


def snapshot_changes(before: Snapshot, after: Snapshot) -> tuple[list[str], list[str], list[str]]:
    """(added, removed, touched) relative paths between two snapshots."""
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    touched = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    return added, removed, touched


def build_report(timed: Timed) -> dict[str, Any] | None:
    """The JSON report `briefgen build --json` printed, if it printed one."""
    text = timed.stdout.strip()
    start = text.find("{")
    if start < 0:
        return None
    try:
        report = json.loads(text[start:])
    except json.JSONDecodeError:
        return None
    return report if isinstance(report, dict) else None


def count(value: object) -> int:
    """A count from the report: lists count their items, numbers are themselves."""
    if isinstance(value, list | tuple):
        return len(value)
    return int(value) if isinstance(value, int | float) else 0


def failure_note(tool: str, timed: Timed) -> str:
    tail = (timed.stderr.strip().splitlines() or [""])[-1][:160]
    return f"{tool} exited {timed.returncode}: {tail}"


def briefgen_rows(
    briefgen: Sequence[str], site: Path, n: int, *, env: Mapping[str, str] | None = None
) -> list[Row]:
    """Cold build after `briefgen clean`, then a no-change rebuild that must write nothing."""
    clean = run_timed([*briefgen, "clean", "--site", str(site)], cwd=site, env=env)
    if clean.returncode != 0:
        return [Row(step="cold build", notes=(failure_note("briefgen clean", clean),), ok=False)]
    for leftover in ("site", ".briefgen-cache"):
        if (site / leftover).exists():
            return [Row(step="cold build", notes=(f"briefgen clean left {leftover}/ behind",), ok=False)]

    cold = run_timed([*briefgen, "build", "--site", str(site), "--json"], cwd=site, env=env)
    report = build_report(cold)
    notes = [f"{n / cold.seconds:.0f} articles/s"]
    ok = cold.returncode == 0 and report is not None and bool(report.get("ok"))
    if report is not None:
        pages = report.get("pages", {})
        notes.append(
            f"{report.get('briefings', '?')} briefings, {count(pages.get('written'))} files written, "
            f"{report.get('errors', '?')} errors"
        )
    if not ok:
        notes.append(failure_note("briefgen build", cold))
    rows = [Row(step="cold build", briefgen=cold.seconds, notes=tuple(notes), ok=ok)]
    output = site / "site"
    if not ok or not output.is_dir():
        rows.append(Row(step="no-change rebuild", notes=("not run: the cold build failed",), ok=False))
        return rows

    before = snapshot(output)
    again = run_timed([*briefgen, "build", "--site", str(site), "--json"], cwd=site, env=env)
    after = snapshot(output)
    report = build_report(again)
    added, removed, touched = snapshot_changes(before, after)
    pages = (report or {}).get("pages", {})
    written, pruned = count(pages.get("written")), count(pages.get("removed"))
    hits = (report or {}).get("cache_hits", "?")
    quiet = (
        again.returncode == 0
        and report is not None
        and not (written or pruned or added or removed or touched)
    )
    notes = [
        f"report: {written} written, {pruned} removed, {count(pages.get('unchanged'))} unchanged, {hits} cache hits",
        f"disk: {len(added)} added, {len(removed)} removed, {len(touched)} touched of {len(before)} files",
    ]
    if again.returncode != 0:
        notes.append(failure_note("briefgen build", again))
    if added or removed or touched:
        notes.append("changed: " + ", ".join((added + removed + touched)[:3]))
    rows.append(Row(step="no-change rebuild", briefgen=again.seconds, notes=tuple(notes), ok=quiet))
    return rows


def one_process_row(
    briefgen: Sequence[str], site: Path, n: int, *, env: Mapping[str, str] | None = None
) -> Row:
    """A cold build with `--jobs 1`: the work of the whole build on one core, as Pelican builds.

    `site` is a fresh copy of the articles, never built: a `briefgen clean` of the first build's
    output would delete thousands of files just before the timing, and a file system without a
    journal (ext4 here) then makes each new file skip the recently deleted ones, a cost neither
    tool's first build meets.
    """
    clean = run_timed([*briefgen, "clean", "--site", str(site)], cwd=site, env=env)
    cold = run_timed([*briefgen, "build", "--site", str(site), "--json", "--jobs", "1"], cwd=site, env=env)
    report = build_report(cold)
    ok = clean.returncode == 0 and cold.returncode == 0 and report is not None and bool(report.get("ok"))
    notes = [f"{n / cold.seconds:.0f} articles/s"] if ok else [failure_note("briefgen build --jobs 1", cold)]
    return Row(step="cold build, one process", briefgen=cold.seconds, notes=tuple(notes), ok=ok)


_SPIN = "import time\nt=time.perf_counter()\nd={}\nfor i in range(3_000_000): d[str(i % 200_000)]=i\nprint(time.perf_counter()-t)"


def parallel_scaling() -> str:
    """How much more a second process gets done on this machine: the same pure-Python job run alone,
    then twice at once. 2.0 on two real cores; less where they share a core or the host is busy."""
    try:
        alone = float(subprocess.run([sys.executable, "-c", _SPIN], capture_output=True, text=True).stdout)
        pair = [
            subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True) for _ in "ab"
        ]
        together = max(float(proc.communicate()[0]) for proc in pair)
    except (OSError, ValueError):
        return "?"
    return f"two processes at once do {2 * alone / together:.2f}x the work of one (the same job: {alone:.2f} s alone, {together:.2f} s side by side)"


def freeze_package(dest: Path, *, cwd: Path) -> dict[str, str]:
    """Copy the working tree's briefgen package to dest; the environment that runs that copy.

    The checkout is shared and edited while a benchmark runs; a copy keeps the code under test (and
    so the analysis cache key) the same for the cold build and the rebuild.
    """
    shutil.copytree(REPO / "briefgen", dest / "briefgen", ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(dest), os.environ.get("PYTHONPATH")]))}
    probe = run_timed([sys.executable, "-c", "import briefgen; print(briefgen.__file__)"], cwd=cwd, env=env)
    if not probe.stdout.strip().startswith(str(dest)):
        raise BenchError(f"the copy of briefgen in {dest} is not the one imported: {probe.stdout.strip()}")
    return env


def git_describe() -> str:
    done = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "?"


def pelican_bin(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / "pelican"


def setup_pelican(venv: Path) -> None:
    """Create the venv with Pelican and Markdown unless it already has a pelican command."""
    if pelican_bin(venv).exists():
        return
    print(f"setting up Pelican in {venv} ...", file=sys.stderr)
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "pip"), "install", "--quiet", "pelican", "markdown"],
    ]
    for cmd in steps:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BenchError(f"{' '.join(cmd[:3])} failed: {done.stderr.strip()[-400:]}")


def run_pelican(venv: Path, site: Path, *, cache: bool) -> Timed:
    (site / "pelicanconf.py").write_text(PELICAN_CONF.format(cache=cache), encoding="utf-8")
    return run_timed(
        [str(pelican_bin(venv)), "content", "-s", "pelicanconf.py", "-o", "output", "-q"], cwd=site
    )


def cold_round(
    briefgen: Sequence[str],
    venv: Path | None,
    sites: tuple[Path, Path],
    *,
    pelican_first: bool,
    env: Mapping[str, str] | None = None,
) -> tuple[float | None, float | None]:
    """One more pair of cold builds, each into a fresh copy of the articles (briefgen site, Pelican
    site), in the order given; None for a build that failed or a tool that is not installed."""

    def briefgen_cold() -> float | None:
        timed = run_timed([*briefgen, "build", "--site", str(sites[0]), "--json"], cwd=sites[0], env=env)
        report = build_report(timed)
        return timed.seconds if timed.returncode == 0 and report is not None and report.get("ok") else None

    def pelican_cold() -> float | None:
        if venv is None:
            return None
        timed = run_pelican(venv, sites[1], cache=False)
        return timed.seconds if timed.returncode == 0 else None

    if pelican_first:
        theirs = pelican_cold()
        return briefgen_cold(), theirs
    ours = briefgen_cold()
    return ours, pelican_cold()


def pelican_cold(venv: Path, site: Path, n: int) -> tuple[Timed, list[str]]:
    """Pelican's cold build: no output, no content cache."""
    for folder in ("output", "cache"):
        shutil.rmtree(site / folder, ignore_errors=True)
    cold = run_pelican(venv, site, cache=False)
    files = len(snapshot(site / "output")) if (site / "output").is_dir() else 0
    notes = [f"pelican: {n / cold.seconds:.0f} articles/s, {files} files written"]
    if cold.returncode != 0:
        notes.append(failure_note("pelican", cold))
    return cold, notes


def pelican_rebuild(venv: Path, site: Path) -> tuple[Timed | None, list[str]]:
    """Pelican's no-change rebuild with its content cache on (filled first by an untimed build)."""
    shutil.rmtree(site / "output", ignore_errors=True)
    warm_up = run_pelican(venv, site, cache=True)
    if warm_up.returncode != 0:
        return None, [failure_note("pelican (cache warm-up)", warm_up)]
    again = run_pelican(venv, site, cache=True)
    return again, [] if again.returncode == 0 else [failure_note("pelican rebuild", again)]


def pelican_version(venv: Path) -> str:
    done = subprocess.run([str(pelican_bin(venv)), "--version"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip() or "?"


# --------------------------------------------------------------------------- output


def seconds_cell(value: float | None) -> str:
    return MISSING if value is None else f"{value:.2f}"


def ratio_cell(value: float | None) -> str:
    return MISSING if value is None else f"{value:.2f}x"


def format_table(results: Results) -> str:
    """One pipe table (step, seconds per tool, briefgen/pelican, check), then each row's notes."""
    header = ("step", "briefgen s", "pelican s", "briefgen/pelican", "check")
    body = [
        (
            row.step,
            seconds_cell(row.briefgen),
            seconds_cell(row.pelican),
            ratio_cell(row.ratio),
            "ok" if row.ok else "FAIL",
        )
        for row in results.rows
    ]
    widths = [max(len(cells[i]) for cells in [header, *body]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    out = [f"build benchmark: {results.articles} articles", "", line(header), rule]
    out += [line(cells) for cells in body]
    out.append("")
    out += [f"{row.step}: {note}" for row in results.rows for note in row.notes]
    out += [f"note: {note}" for note in results.notes]
    out += [f"{key}: {value}" for key, value in results.context.items()]
    return "\n".join(out)


def to_json(results: Results) -> dict[str, Any]:
    return {
        "articles": results.articles,
        "ok": results.ok,
        "rows": [
            {
                "step": r.step,
                "briefgen_s": r.briefgen,
                "pelican_s": r.pelican,
                "ratio": r.ratio,
                "ok": r.ok,
                "notes": list(r.notes),
            }
            for r in results.rows
        ],
        "notes": list(results.notes),
        "context": dict(results.context),
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--articles", type=int, default=1000, metavar="N", help="articles in the corpus (1000)")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and both sites")
    ap.add_argument("--setup-pelican", action="store_true", help="create the Pelican venv if it is missing")
    ap.add_argument(
        "--pelican-rebuild", action="store_true", help="also time Pelican's cached no-change rebuild"
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        metavar="N",
        help="cold builds of each tool, alternating which goes first, each into a fresh copy; the "
        "table shows medians (3)",
    )
    ap.add_argument(
        "--one-process",
        action="store_true",
        help="also time a cold build with --jobs 1 against Pelican (one process each), and how much a "
        "second process adds on this machine",
    )
    ap.add_argument("--make-corpus", type=Path, default=DEFAULT_MAKE_CORPUS, metavar="PATH")
    ap.add_argument("--pelican-venv", type=Path, default=DEFAULT_VENV, metavar="DIR")
    ap.add_argument("--work", type=Path, default=None, metavar="DIR", help="scratch folder (.work/run-N)")
    ap.add_argument("--seed", type=int, default=1, help="make_corpus.py seed (1)")
    ap.add_argument(
        "--briefgen",
        default=f"{sys.executable} -m briefgen",
        metavar="CMD",
        help="how to run briefgen (default: this Python's -m briefgen)",
    )
    ap.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the results as JSON")
    ap.add_argument(
        "--snapshot",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run a copy of briefgen/ taken at the start, not the live working tree (default: on)",
    )
    args = ap.parse_args(argv)
    if args.articles < 1:
        ap.error("--articles must be at least 1")
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    return args


def more_rounds(
    first: Row, args: argparse.Namespace, work: Path, venv: Path, env: Mapping[str, str] | None
) -> Row:
    """The cold-build row over all rounds: the median of each tool's times (the order alternates,
    Pelican first in even rounds, so neither tool always meets the machine in the same state)."""
    if args.rounds < 2 or first.briefgen is None or first.pelican is None:
        return first
    pairs: list[tuple[float | None, float | None]] = [(first.briefgen, first.pelican)]
    for k in range(2, args.rounds + 1):
        sites = (work / f"briefgen-{k}", work / f"pelican-{k}")
        pairs.append(cold_round(shlex.split(args.briefgen), venv, sites, pelican_first=k % 2 == 0, env=env))
    ours = [b for b, _ in pairs if b is not None]
    theirs = [p for _, p in pairs if p is not None]
    shown = ", ".join(
        f"{b:.2f}/{p:.2f} ({b / p:.2f}x)" if b is not None and p is not None else "failed" for b, p in pairs
    )
    ok = first.ok and len(ours) == len(theirs) == len(pairs)
    return dataclasses.replace(
        first,
        briefgen=statistics.median(ours),
        pelican=statistics.median(theirs),
        notes=(*first.notes, f"{len(pairs)} rounds, briefgen/pelican each: {shown}; the table shows medians"),
        ok=ok,
    )


def run(args: argparse.Namespace) -> Results:
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    work: Path = args.work if args.work is not None else WORK / f"run-{args.articles}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    venv: Path = args.pelican_venv
    if args.setup_pelican:
        setup_pelican(venv)
    try:
        made = make_corpus(args.make_corpus, args.articles, work / "corpus", seed=args.seed)
        n = write_sites(work / "corpus", work / "briefgen", work / "pelican")
        env = freeze_package(work / "code", cwd=work / "briefgen") if args.snapshot else None
        for k in range(2, args.rounds + 1):  # every copy made before any timing: no file churn between
            shutil.copytree(work / "briefgen" / "content", work / f"briefgen-{k}" / "content")
            shutil.copytree(work / "pelican" / "content", work / f"pelican-{k}" / "content")
        rows = briefgen_rows(shlex.split(args.briefgen), work / "briefgen", n, env=env)
        if args.one_process:
            shutil.copytree(work / "briefgen" / "content", work / "briefgen-one-process" / "content")
            rows.append(
                one_process_row(shlex.split(args.briefgen), work / "briefgen-one-process", n, env=env)
            )
        notes = [f"corpus: {made}"]
        code = "a copy of briefgen/ taken at the start" if args.snapshot else "the live working tree"
        context = {
            "briefgen": f"{git_describe()} ({code})",
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load}",
        }
        if args.one_process:
            context["parallel scaling"] = parallel_scaling()
        if pelican_bin(venv).exists():
            cold, pelican_notes = pelican_cold(venv, work / "pelican", n)
            rows[0] = Row(
                step=rows[0].step,
                briefgen=rows[0].briefgen,
                pelican=cold.seconds,
                notes=rows[0].notes + tuple(pelican_notes),
                ok=rows[0].ok and cold.returncode == 0,
            )
            rows[0] = more_rounds(rows[0], args, work, venv, env)
            again: Timed | None = None
            if args.pelican_rebuild and cold.returncode == 0:  # after every cold round: it deletes files
                again, rebuild_notes = pelican_rebuild(venv, work / "pelican")
                rows[0] = dataclasses.replace(rows[0], notes=(*rows[0].notes, *rebuild_notes))
            if args.one_process and rows[-1].step == "cold build, one process":
                rows[-1] = dataclasses.replace(
                    rows[-1], pelican=rows[0].pelican, notes=(*rows[-1].notes, "pelican is one process")
                )
            if again is not None and len(rows) > 1:
                rows[1] = Row(
                    step=rows[1].step,
                    briefgen=rows[1].briefgen,
                    pelican=again.seconds,
                    notes=(*rows[1].notes, "pelican with its content cache on"),
                    ok=rows[1].ok and again.returncode == 0,
                )
            context["pelican"] = pelican_version(venv)
        else:
            notes.append(f"Pelican rows skipped: no venv at {venv} (run with --setup-pelican)")
        return Results(articles=n, rows=tuple(rows), notes=tuple(notes), context=context)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        results = run(args)
    except BenchError as exc:
        print(f"build_bench: error: {exc}", file=sys.stderr)
        return 2
    print(format_table(results))
    if args.json is not None:
        args.json.write_text(json.dumps(to_json(results), indent=1) + "\n", encoding="utf-8")
    return 0 if results.ok else 1


if __name__ == "__main__":
    sys.exit(main())
