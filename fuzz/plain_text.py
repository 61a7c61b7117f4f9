"""atheris target: plain-text articles. Any bytes -> Document -> analysis; only SourceError may escape,
and no control character reaches a paragraph.

    python fuzz/plain_text.py -max_total_time=600 fuzz/corpus/plain_text
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import atheris
from _harness import write_seeds

with atheris.instrument_imports():
    from briefgen.analysis import analyse_body
    from briefgen.errors import SourceError
    from briefgen.sources import parse_source
    from briefgen.sources.document import make_document

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_one_input(data: bytes) -> None:
    try:
        source, _ = parse_source(data, rel="content/x.txt", kind="text", mtime=0.0)
        document, _ = make_document(source)
    except SourceError:
        return
    paragraphs = [p.text for p in document.paragraphs]
    assert not any(CONTROL.search(p) for p in paragraphs), paragraphs
    analysis = analyse_body(paragraphs, title=document.meta.title)
    for quote in analysis.quotes:
        assert quote.text in paragraphs[quote.paragraph]


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[-1].startswith("-"):
        write_seeds(Path(sys.argv[-1]))
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
