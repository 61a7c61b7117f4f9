"""Edit-to-browser latency of `briefgen serve`, side by side with `hugo server` on the same articles.

For each size it makes a site (the repository's sample site, or N articles from
../shared/bench/make_corpus.py), then runs ../shared/bench/watch_latency.py: start the server, append a
marker to one article 5 times, and time until the updated page is served over HTTP. Hugo rows are
skipped with a note when `hugo` is not installed (`apt-get install -y hugo`). `--memory N` also runs N
in-process rebuilds and reports the resident memory before and after.

    python benchmarks/serve_bench.py                      # sample and 1,000 articles
    python benchmarks/serve_bench.py --sizes sample,1000,10000 --memory 200
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "bench"
WORK = REPO / "benchmarks" / ".work"
BARS_MS = {"sample": 300.0, "1000": 500.0, "10000": 1500.0}
HUGO_LAYOUT = "<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n"
HUGO_LIST = '<!doctype html><html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>\n'


@dataclass(frozen=True)
class Row:
    size: str
    articles: int
    tool: str
    result: dict[str, object] | None
    note: str = ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_site(size: str) -> Path:
    """A briefgen site for `size` under benchmarks/.work/ (reused when it already exists)."""
    root = WORK / f"site-{size}"
    if size == "sample":
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copy(REPO / "briefgen.yml", root / "briefgen.yml")
        return root
    if not (root / "content").is_dir() or len(list((root / "content").glob("*.md"))) != int(size):
        if root.exists():
            shutil.rmtree(root)
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "make_corpus.py"),
                "--n",
                size,
                "--format",
                "md",
                "--out",
                str(root / "content"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return root


def pick_article(folder: Path) -> Path:
    """The middle Markdown article of a folder (the same file name in the briefgen and Hugo copies)."""
    articles = sorted(p for p in folder.iterdir() if p.suffix == ".md")
    return articles[len(articles) // 2]


def run_latency(cmd: str, cwd: Path, edit: str, ready: str, label: str, edits: int) -> dict[str, object]:
    out = subprocess.run(
        [
            sys.executable,
            str(SHARED / "watch_latency.py"),
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
            "60",
            "--label",
            label,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"error": out.stderr.strip()[-300:] or "no result"}
    result: dict[str, object] = json.loads(lines[-1])
    return result


def bench_briefgen(size: str, root: Path, edits: int) -> Row:
    from briefgen.slugs import slug_for

    article = pick_article(root / "content")
    slug = slug_for(article.relative_to(root).as_posix())
    port = free_port()
    # warm the analysis cache as a user's earlier `briefgen build` would have
    subprocess.run([sys.executable, "-m", "briefgen", "build", "--site", str(root), "-q"], check=False)
    result = run_latency(
        f"{sys.executable} -m briefgen serve --site . --port {port}",
        root,
        f"{article.relative_to(root)}=http://127.0.0.1:{port}/briefings/{slug}/",
        r"serving http",
        f"briefgen {size}",
        edits,
    )
    return Row(size, len(list((root / "content").iterdir())), "briefgen serve", result)


def make_hugo_site(size: str, root: Path) -> Path:
    hugo = WORK / f"hugo-{size}"
    if hugo.exists():
        shutil.rmtree(hugo)
    (hugo / "content" / "posts").mkdir(parents=True)
    for src in sorted((root / "content").iterdir()):
        if src.suffix == ".md":
            shutil.copy(src, hugo / "content" / "posts" / src.name)
    (hugo / "layouts" / "_default").mkdir(parents=True)
    (hugo / "layouts" / "_default" / "single.html").write_text(HUGO_LAYOUT)
    (hugo / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    (hugo / "layouts" / "index.html").write_text(HUGO_LIST)
    (hugo / "config.toml").write_text(
        'baseURL = "http://127.0.0.1/"\ntitle = "bench"\ndisableKinds = ["RSS"]\n'
    )
    return hugo


def bench_hugo(size: str, root: Path, edits: int) -> Row:
    count = len([p for p in (root / "content").iterdir() if p.suffix == ".md"])
    if shutil.which("hugo") is None:
        return Row(size, count, "hugo server", None, "hugo not installed (apt-get install -y hugo)")
    hugo = make_hugo_site(size, root)
    article = pick_article(hugo / "content" / "posts")
    name = article.stem.lower()
    port = free_port()
    result = run_latency(
        f"hugo server --bind 127.0.0.1 --port {port} --buildFuture --buildDrafts --disableLiveReload",
        hugo,
        f"content/posts/{article.name}=http://127.0.0.1:{port}/posts/{name}/",
        r"Web Server is available",
        f"hugo {size}",
        edits,
    )
    return Row(size, count, "hugo server", result)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_memory(rebuilds: int) -> str:
    """RSS after the first tenth of `rebuilds` in-process rebuilds and after all of them."""
    from briefgen.config import load_config
    from briefgen.serve import LiveSite
    from briefgen.serve.reload import Publication

    root = make_site("sample")
    config_path = root / "briefgen.yml"
    live = LiveSite(
        load_config(config_path, root=root),
        lambda: load_config(config_path, root=root),
        Publication(),
        quiet=True,
    )
    live.build_all()
    article = pick_article(root / "content")
    original = article.read_text(encoding="utf-8")
    warm = max(1, rebuilds // 10)
    early = 0.0
    started = time.perf_counter()
    for n in range(rebuilds):
        article.write_text(original + f"\n\nRevision {n} of the story.\n", encoding="utf-8")
        live.rebuild(frozenset({article}))
        if n + 1 == warm:
            early = rss_mb()
    seconds = time.perf_counter() - started
    article.write_text(original, encoding="utf-8")
    late = rss_mb()
    return (
        f"memory: {rebuilds} rebuilds of the sample site in {seconds:.1f} s "
        f"({1000 * seconds / rebuilds:.0f} ms each); RSS {early:.1f} MB after {warm}, {late:.1f} MB after "
        f"{rebuilds} ({late - early:+.1f} MB)"
    )


def fmt(row: Row) -> str:
    r = row.result
    if r is None:
        return f"| {row.size:>6} | {row.articles:>6} | {row.tool:<14} | {'—':>9} | {'—':>15} | {'—':>9} | {row.note}"
    if "median_ms" not in r:
        return f"| {row.size:>6} | {row.articles:>6} | {row.tool:<14} | {'—':>9} | {'—':>15} | {'—':>9} | error: {r.get('error')}"
    median = float(str(r["median_ms"]))
    spread = f"{r['min_ms']}–{r['max_ms']}"
    bar = BARS_MS.get(row.size)
    verdict = (
        ""
        if row.tool != "briefgen serve" or bar is None
        else ("ok" if median <= bar else "OVER") + f" (bar {bar:.0f})"
    )
    if r.get("timeouts"):
        verdict += f" {r['timeouts']} timeouts"
    return f"| {row.size:>6} | {row.articles:>6} | {row.tool:<14} | {median:>9.0f} | {spread:>15} | {r.get('startup_s', '—')!s:>9} | {verdict}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default="sample,1000", help="comma-separated: sample and/or article counts")
    ap.add_argument("--edits", type=int, default=5, help="edits per run (median reported)")
    ap.add_argument("--no-hugo", action="store_true", help="skip the Hugo rows")
    ap.add_argument("--memory", type=int, default=0, metavar="N", help="also run N in-process rebuilds")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        root = make_site(size)
        rows.append(bench_briefgen(size, root, args.edits))
        print(fmt(rows[-1]), file=sys.stderr, flush=True)
        if not args.no_hugo and size != "sample":  # the sample's .txt articles mean nothing to Hugo
            rows.append(bench_hugo(size, root, args.edits))
            print(fmt(rows[-1]), file=sys.stderr, flush=True)
    print("edit saved -> updated page served over HTTP (watch_latency.py), milliseconds")
    print("|   size | articles | tool           | median ms | min–max ms      | startup s | verdict")
    print("|--------|--------|----------------|-----------|-----------------|-----------|--------")
    for row in rows:
        print(fmt(row))
    if args.memory:
        print(bench_memory(args.memory))
    failed = any(
        r.tool == "briefgen serve" and (r.result is None or "median_ms" not in r.result) for r in rows
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
