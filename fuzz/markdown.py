"""atheris target: Markdown articles. Any bytes -> Document with rendered HTML; only SourceError may
escape, and the HTML holds no script: no <script>, no on* attribute, no link but http(s), mailto or
relative.

    python fuzz/markdown.py -max_total_time=600 fuzz/corpus/markdown
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

import atheris
from _harness import write_seeds

with atheris.instrument_imports():
    from briefgen.errors import SourceError
    from briefgen.sources import parse_source
    from briefgen.sources.document import make_document
    from briefgen.sources.links import is_safe_link


class ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "svg"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            if name in ("href", "src") and value is not None and not is_safe_link(value):
                self.found.append(f"{name}={value!r}")


def test_one_input(data: bytes) -> None:
    try:
        source, _ = parse_source(data, rel="content/x.md", kind="markdown", mtime=0.0)
        document, _ = make_document(source)
    except SourceError:
        return
    finder = ScriptFinder()
    finder.feed(document.body_html or "")
    assert not finder.found, finder.found
    assert "\x00" not in (document.body_html or "")


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[-1].startswith("-"):
        write_seeds(Path(sys.argv[-1]))
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
