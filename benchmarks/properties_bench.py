#!/usr/bin/env python3
"""The property tests of the text stages (tests/test_properties.py) with many examples: the long hunt.

CI runs 2,000 examples per test (`pytest --run-slow`; one test runs every stage's checks on each
example); this runs 50,000 each by default, in one pytest process, and prints per test the examples
that passed, failed and were rejected, and the seconds hypothesis spent generating and running them,
then the whole run's CPU seconds. Takes hours
at the default on a small machine; `--examples 5000` takes minutes. Exit status: pytest's (0 when
every property held, 1 when one failed: its shrunk example is printed above the table).

    python benchmarks/properties_bench.py                      # 50,000 examples per test
    python benchmarks/properties_bench.py --examples 5000 -k every_text_stage
    python benchmarks/properties_bench.py --seed 7             # another hunt than the default one
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TESTS = "tests/test_properties.py"
_SECTION = re.compile(r"^(?P<test>\S+::\S+):\n(?P<body>.*?)(?=^\S+::\S+:\n|^=+|\Z)", re.MULTILINE | re.DOTALL)
_PHASE = re.compile(r"during generate phase \((?P<seconds>[\d.]+) seconds\)")
_COUNTS = re.compile(r"(?P<passing>\d+) passing, (?P<failing>\d+) failing, and (?P<invalid>\d+) invalid")


@dataclass(frozen=True, slots=True)
class Row:
    test: str
    passing: int
    failing: int
    invalid: int
    seconds: float


def parse_statistics(output: str) -> list[Row]:
    """The per-test lines of pytest's `--hypothesis-show-statistics` report (generate phase only)."""
    rows = []
    start = output.find("Hypothesis Statistics")
    for match in _SECTION.finditer(output[start:] if start >= 0 else ""):
        body = match.group("body")
        phase, counts = _PHASE.search(body), _COUNTS.search(body)
        if phase is None or counts is None:
            continue
        rows.append(
            Row(
                test=match.group("test").rsplit("::", 1)[1],
                passing=int(counts.group("passing")),
                failing=int(counts.group("failing")),
                invalid=int(counts.group("invalid")),
                seconds=float(phase.group("seconds")),
            )
        )
    return rows


def format_table(rows: list[Row]) -> str:
    header = ("property", "passing", "failing", "invalid", "seconds")
    cells = [header] + [
        (r.test, f"{r.passing:,}", f"{r.failing:,}", f"{r.invalid:,}", f"{r.seconds:.1f}") for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--examples", type=int, default=50_000, help="examples per test (50,000)")
    parser.add_argument("-k", dest="select", default=None, help="only the tests pytest -k selects")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: a random one)")
    args = parser.parse_args(argv)
    command = [sys.executable, "-m", "pytest", TESTS, "-q", "-p", "no:cacheprovider"]
    command += ["--hypothesis-show-statistics"]
    if args.select:
        command += ["-k", args.select]
    if args.seed is not None:
        command += [f"--hypothesis-seed={args.seed}"]
    env = {**os.environ, "BRIEFGEN_PROPERTY_EXAMPLES": str(args.examples)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 5):
        print(done.stdout[: done.stdout.find("Hypothesis Statistics")] or done.stdout)
        print(done.stderr, file=sys.stderr)
    rows = parse_statistics(done.stdout)
    print(f"{args.examples:,} examples per test; pytest exit status {done.returncode}")
    print(format_table(rows))
    print(
        f"{sum(r.passing for r in rows):,} examples passed in {cpu:.0f} s of CPU "
        f"({time.monotonic() - started:.0f} s wall)"
    )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
