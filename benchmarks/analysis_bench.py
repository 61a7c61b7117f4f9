"""CPU seconds per article of the per-article analysis (`analyse_document`), one or two briefgen installs.

    python benchmarks/analysis_bench.py --site SITE [--rounds 5] VENV_BIN [VENV_BIN ...]

Each VENV_BIN (a virtualenv's bin/ folder with briefgen installed) gets one worker process. A worker
reads and cleans every article of SITE once (`read_source` + `make_document`, not timed), then on each
request analyses all of them with `analyse_document` (briefgen.pipeline.analyse, or briefgen.briefings before it) and answers with the CPU
seconds it took (`time.process_time`). Requests alternate between the installs, round by round, so
that both see the same machine load. The first round runs with cold memos, as a one-off build would;
later rounds are warm. The table gives the first round and the median of the rest, in CPU
milliseconds per article, and the change of the last install against the first.

Example (before/after a change):
    python benchmarks/analysis_bench.py --site /tmp/corpus /work/before/.venv/bin .venv/bin
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

WORKER = r"""
import json, sys, time
from pathlib import Path
from briefgen.config import load_config
try:  # the pipeline package (main after 6de3edc)
    from briefgen.pipeline.analyse import analyse_document as _analyse
    def analyse_document(document, config):
        return _analyse(document, config.summary.sentences)
except ImportError:  # 6de3edc
    from briefgen.briefings import analyse_document
from briefgen.errors import SourceError
from briefgen.sources import discover_sources, read_source
from briefgen.sources.document import make_document

site = Path(sys.argv[1])
config = load_config(site / "briefgen.yml")
documents = []
for path in discover_sources(site / "content"):
    try:
        source, _ = read_source(path, site)
        documents.append(make_document(source)[0])
    except SourceError:
        pass
print(json.dumps({"articles": len(documents)}), flush=True)
for _ in sys.stdin:
    start = time.process_time()
    for document in documents:
        analyse_document(document, config)
    print(json.dumps({"cpu_s": time.process_time() - start}), flush=True)
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("venvs", nargs="+", type=Path, help="bin/ folders of virtualenvs with briefgen")
    parser.add_argument("--site", type=Path, required=True, help="a site folder with content/")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    workers = [
        subprocess.Popen(
            [str(venv / "python"), "-c", WORKER, str(args.site)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for venv in args.venvs
    ]
    counts = [json.loads(_read(w))["articles"] for w in workers]
    times: list[list[float]] = [[] for _ in workers]
    for _ in range(args.rounds):
        for i, worker in enumerate(workers):  # interleaved: each round asks every install in turn
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
            times[i].append(json.loads(_read(worker))["cpu_s"])
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.close()
        worker.wait()
    print(f"{'install':40s} {'articles':>8s} {'first ms/art':>12s} {'warm ms/art':>12s}  rounds (CPU s)")
    warm: list[float] = []
    for venv, count, series in zip(args.venvs, counts, times, strict=True):
        per = 1000 / max(count, 1)
        warm.append(statistics.median(series[1:] or series) * per)
        shown = " ".join(f"{t:.2f}" for t in series)
        print(f"{venv!s:40s} {count:8d} {series[0] * per:12.2f} {warm[-1]:12.2f}  {shown}")
    if len(warm) > 1:
        print(f"warm CPU per article, last vs first: {100 * (warm[-1] / warm[0] - 1):+.1f}%")
    return 0


def _read(worker: subprocess.Popen[str]) -> str:
    assert worker.stdout is not None
    line = worker.stdout.readline()
    if not line:
        raise SystemExit(f"worker {worker.args[0]} stopped: exit code {worker.wait()}")
    return line


if __name__ == "__main__":
    sys.exit(main())
