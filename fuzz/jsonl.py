"""atheris target: the JSON-lines reader and writer. Any bytes as stdin of `briefgen quotes --jsonl`:
nothing escapes, every output line is valid JSON, and every input line is answered or reported once.

    python fuzz/jsonl.py -max_total_time=600 fuzz/corpus/jsonl
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import atheris
from _harness import write_seeds

with atheris.instrument_imports():
    import briefgen.analysis  # noqa: F401  (imported lazily by the handler: instrument it here)
    from briefgen.jsonl import LineReport, run_quotes


def test_one_input(data: bytes) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape", newline="\n")
    out = io.StringIO()
    report = LineReport(io.StringIO())
    run_quotes(stdin, out, report=report)
    answered = out.getvalue().splitlines()
    for line in answered:
        json.loads(line, parse_constant=lambda name: (_ for _ in ()).throw(AssertionError(name)))
        line.encode("utf-8")
    assert len(answered) + report.bad <= data.count(b"\n") + 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[-1].startswith("-"):
        write_seeds(Path(sys.argv[-1]), jsonl=True)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
