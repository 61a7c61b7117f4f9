"""atheris target: front matter. Any bytes -> decoded, split, typed fields; only SourceError may escape.

    python fuzz/front_matter.py -max_total_time=600 fuzz/corpus/front_matter
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris
from _harness import write_seeds

with atheris.instrument_imports():
    from briefgen.errors import SourceError
    from briefgen.sources import parse_source
    from briefgen.sources.document import read_meta_fields


def test_one_input(data: bytes) -> None:
    try:
        source, problems = parse_source(b"---\n" + data, rel="content/x.md", kind="markdown", mtime=0.0)
    except SourceError as exc:
        str(exc)
        return
    fields, more = read_meta_fields(source)
    for diagnostic in (*problems, *more):
        str(diagnostic).encode("utf-8")  # printable, whatever the input
    for value in fields.values():
        repr(value)


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[-1].startswith("-"):
        write_seeds(Path(sys.argv[-1]))
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
