"""Markdown bodies -> Documents: golden cases, each checked through both readers (plain and parsed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefgen.model import Document
from briefgen.sources import document as markdown
from briefgen.sources import parse_source
from briefgen.sources.plain_markdown import plain_blocks

CASES = Path(__file__).parent / "cases" / "markdown"


def read_case(path: Path) -> tuple[str, str]:
    """(input, expected) of a golden case file."""
    _, rest = path.read_text(encoding="utf-8").split("\n--- input\n", 1)
    given, expected = rest.split("\n--- expected\n", 1)
    return given, expected.strip()


def records(document: Document) -> str:
    out: list[dict[str, Any]] = [{"title": document.meta.title}]
    if document.dateline is not None:
        out.append({"dateline": document.dateline.place, "as_written": document.dateline.text})
    out += [{"paragraph": p.text, "line": p.line} for p in document.paragraphs]
    out += [{"reference": r.title, "line": r.line} for r in document.references]
    out.append({"html": document.body_html})
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in out)


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
@pytest.mark.parametrize("reader", ["parsed", "plain"])
def test_markdown_case(path: Path, reader: str) -> None:
    given, expected = read_case(path)
    source, _ = parse_source(given.encode(), rel="content/case.md", kind="markdown", mtime=0.0)
    if reader == "plain":
        blocks = plain_blocks(source.body)
        if blocks is None:
            pytest.skip("not a plain body")
        document, _ = markdown._plain_markdown_document(source, blocks)
    else:
        document, _ = markdown._parsed_markdown_document(source)
    assert records(document) == expected
