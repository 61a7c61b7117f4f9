#!/usr/bin/env python3
"""Search benchmark: Pagefind (what the build writes now) against the old one-file JSON index.

For each size (1,000 and 10,000 articles by default) one run:

1. makes a corpus with the shared `make_corpus.py --format both` and keeps one file per article,
   Markdown and plain text in turn (both formats of one article would write the same page);
2. builds it twice, each as a fresh process with an empty cache: with this tree (Pagefind's bundle in
   site/pagefind/) and with `--baseline-ref` (default 450e292, main's last commit whose build wrote
   search-index.json and searched it with its own search.js), checked out with `git archive`;
3. measures, for each index: its size on disk (bytes and files); the build time it adds (CPU and wall;
   for Pagefind the indexing step alone, `briefgen.render.search.run_pagefind` on the built site, its
   process included; for the JSON index the serialisation of its entries, all the old build did
   for it); and, in Chromium (Debian's, via Playwright) over real HTTP on 127.0.0.1, the bytes the
   search page fetches for its first query (a fresh browser context: nothing cached), the time from
   submitting a query to its results on screen (first query, and the median of the later ones), and
   the briefings each query finds. The server gzips text (HTML, JS, JSON) as most hosts do, so the JSON
   index is counted compressed; Pagefind's index files are compressed by Pagefind itself.

Prints one table. Wall times depend on what else runs on this 2-core machine; CPU times less so.

    python benchmarks/search_bench.py                      # 1,000 and 10,000 articles
    python benchmarks/search_bench.py --articles 300 --keep
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / ".work"
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
BASELINE_REF = "450e292"  # the last main commit with search-index.json and the old search.js
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Words a reader of this corpus (BBC business, politics, sport, tech and entertainment stories) might
# type: a body word, a name, a title word, a place, a rarer word. Fixed before any measurement.
QUERIES = ("broadband", "Greenspan", "profits", "Madrid", "referendum", "striker")


@dataclass(frozen=True, slots=True, kw_only=True)
class Measured:
    """One index at one size."""

    index_bytes: int
    index_files: int
    added_cpu_s: float
    added_wall_s: float
    build_cpu_s: float
    build_wall_s: float
    first_query_bytes: int
    first_query_requests: int
    first_query_ms: float
    later_query_ms: float
    hits: dict[str, int]


def run(
    cmd: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Run a command; return (wall s, CPU s of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: built with warnings-as-errors is still a site
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def make_corpus(n: int, out: Path) -> None:
    """`make_corpus.py --format both`, then one file per article: .md for even numbers, .txt for odd."""
    if out.is_dir():
        return
    staging = out.with_name(out.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    run([sys.executable, str(MAKE_CORPUS), "--n", str(n), "--format", "both", "--out", str(staging)])
    for path in staging.iterdir():
        number = int(path.name[:5])
        if path.suffix != (".md" if number % 2 == 0 else ".txt"):
            path.unlink()
    staging.rename(out)


def baseline_source(ref: str, dest: Path) -> Path:
    """The baseline's briefgen package, unpacked from git (run with PYTHONPATH, same dependencies)."""
    if not (dest / "briefgen").is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", ref, "briefgen"],
            capture_output=True,
            check=True,
        ).stdout
        archive_path = dest / "src.tar"
        archive_path.write_bytes(archive)
        with tarfile.open(archive_path) as tar:
            tar.extractall(dest, filter="data")
        archive_path.unlink()
    return dest


def build_site(content: Path, site: Path, *, pythonpath: Path | None) -> tuple[float, float]:
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(content, site / "content")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    # run from the site folder: from the checkout, its briefgen/ would come first on sys.path
    return run([sys.executable, "-m", "briefgen", "build", "--quiet"], cwd=site, env=env)


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def pagefind_step(site: Path) -> tuple[float, float]:
    """(wall s, CPU s) of indexing the built site as the build does, Pagefind's process included."""
    from briefgen.render.search import run_pagefind

    before_self = time.process_time()
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    bundle, problems = run_pagefind(site / "site")
    wall = time.monotonic() - started
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (after_children.ru_utime - before_children.ru_utime) + (
        after_children.ru_stime - before_children.ru_stime
    )
    if not bundle:
        raise SystemExit(f"indexing failed: {problems}")
    return wall, time.process_time() - before_self + children


def json_step(site: Path) -> tuple[float, float]:
    """(wall s, CPU s) of serialising search-index.json's entries, as the old build did for each one."""
    entries = json.loads((site / "site" / "search-index.json").read_text(encoding="utf-8"))
    started, cpu = time.monotonic(), time.process_time()
    parts = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in entries]
    _ = f"[{','.join(parts)}]\n".encode()
    return time.monotonic() - started, time.process_time() - cpu


COMPRESSED = {".html", ".js", ".css", ".json", ".svg", ".xml"}  # what a host gzips (Pagefind's own files
# are gzip already and go as they are)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static host as most are: text gzip-compressed for a client that accepts it, the rest as is."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        try:
            data = gzip.compress(path.read_bytes(), compresslevel=6)
        except OSError:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


ASK = """async (query) => {
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const input = document.querySelector('form.search input');
  status.textContent = ''; list.textContent = '';
  const started = performance.now();
  input.value = query;
  document.querySelector('form.search').requestSubmit();
  await new Promise((resolve) => {
    const done = () => /No briefing|\\b0 briefings/.test(status.textContent) || list.children.length > 0;
    const check = () => done() ? resolve() : requestAnimationFrame(check);
    check();
  });
  const found = status.textContent.match(/(\\d+) briefing/);
  return [performance.now() - started, found ? Number(found[1]) : 0];
}"""


def browse(url: str, browser: Any) -> tuple[int, int, float, float, dict[str, int]]:
    """(first query bytes, its requests, first query ms, median later query ms, hits per query)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "search/", wait_until="load")
    fetched: list[Any] = []
    page.on("requestfinished", lambda request: fetched.append(request))
    times: list[float] = []
    hits: dict[str, int] = {}
    first_bytes = first_requests = 0
    for number, query in enumerate(QUERIES):
        elapsed, count = page.evaluate(ASK, query)
        times.append(elapsed)
        hits[query] = count
        if number == 0:
            page.wait_for_timeout(500)  # requests still finishing (fragments of results not shown yet)
            first_requests = len(fetched)
            first_bytes = sum(
                r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in fetched
            )
    context.close()
    return first_bytes, first_requests, times[0], statistics.median(times[1:]), hits


def measure(n: int, work: Path, ref: str, browser: Any) -> tuple[Measured, Measured]:
    content = work / f"corpus-{n}"
    make_corpus(n, content)
    base_src = baseline_source(ref, work / f"baseline-{ref}")
    new_site, old_site = work / f"pagefind-{n}", work / f"json-{n}"
    new_wall, new_cpu = build_site(content, new_site, pythonpath=None)
    old_wall, old_cpu = build_site(content, old_site, pythonpath=base_src)
    index_wall, index_cpu = pagefind_step(new_site)
    json_wall, json_cpu = json_step(old_site)
    results = []
    for site, index, added, build in (
        (new_site, new_site / "site" / "pagefind", (index_cpu, index_wall), (new_cpu, new_wall)),
        (old_site, old_site / "site" / "search-index.json", (json_cpu, json_wall), (old_cpu, old_wall)),
    ):
        size, count = tree_size(index) if index.is_dir() else (index.stat().st_size, 1)
        with serving(site / "site") as url:
            first_bytes, first_requests, first_ms, later_ms, hits = browse(url, browser)
        results.append(
            Measured(
                index_bytes=size,
                index_files=count,
                added_cpu_s=added[0],
                added_wall_s=added[1],
                build_cpu_s=build[0],
                build_wall_s=build[1],
                first_query_bytes=first_bytes,
                first_query_requests=first_requests,
                first_query_ms=first_ms,
                later_query_ms=later_ms,
                hits=hits,
            )
        )
    return results[0], results[1]


def kb(value: int) -> str:
    return f"{value / 1024:,.0f} KB" if value < 10 * 1024 * 1024 else f"{value / 1024 / 1024:,.1f} MB"


def table(rows: Sequence[tuple[int, Measured, Measured]]) -> str:
    header = [
        "articles",
        "index",
        "on disk",
        "build time added (CPU / wall)",
        "whole build (CPU / wall)",
        "first query loads",
        "first query",
        "later queries (median)",
        "briefings found",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for n, pagefind, old in rows:
        for name, m in (("Pagefind", pagefind), ("search-index.json (old)", old)):
            found = ", ".join(f"{q} {m.hits[q]}" for q in QUERIES)
            lines.append(
                "| "
                + " | ".join(
                    [
                        f"{n:,}",
                        name,
                        f"{kb(m.index_bytes)} in {m.index_files:,} files",
                        f"{m.added_cpu_s:.2f} s / {m.added_wall_s:.2f} s",
                        f"{m.build_cpu_s:.1f} s / {m.build_wall_s:.1f} s",
                        f"{kb(m.first_query_bytes)} in {m.first_query_requests} requests",
                        f"{m.first_query_ms:.0f} ms",
                        f"{m.later_query_ms:.0f} ms",
                        found,
                    ]
                )
                + " |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--articles", type=int, nargs="+", default=[1000, 10000], metavar="N")
    ap.add_argument(
        "--baseline-ref", default=BASELINE_REF, help=f"git ref of the JSON index ({BASELINE_REF})"
    )
    ap.add_argument("--work", type=Path, default=WORK / "search", help="scratch folder")
    ap.add_argument("--keep", action="store_true", help="keep the built sites")
    args = ap.parse_args(argv)
    if not MAKE_CORPUS.is_file() or not CHROMIUM.exists():
        print(f"needs {MAKE_CORPUS} and {CHROMIUM}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for n in args.articles:
                pagefind, old = measure(n, args.work, args.baseline_ref, browser)
                rows.append((n, pagefind, old))
                print(f"measured {n:,} articles", file=sys.stderr, flush=True)
        finally:
            browser.close()
    print(table(rows))
    if not args.keep:
        for n in args.articles:
            for name in (f"pagefind-{n}", f"json-{n}"):
                shutil.rmtree(args.work / name, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
