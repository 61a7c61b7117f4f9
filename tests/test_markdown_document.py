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
from tests.casefiles import Golden, each_case, read_case


def records(document: Document) -> str:
    out: list[dict[str, Any]] = [{"title": document.meta.title}]
    if document.dateline is not None:
        out.append({"dateline": document.dateline.place, "as_written": document.dateline.text})
    out += [{"paragraph": p.text, "line": p.line} for p in document.paragraphs]
    out += [{"reference": r.title, "line": r.line} for r in document.references]
    out.append({"html": document.body_html})
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in out)


@each_case("markdown")
@pytest.mark.parametrize("reader", ["parsed", "plain"])
def test_markdown_case(case_path: Path, reader: str, golden: Golden) -> None:
    case = read_case(case_path)
    source, _ = parse_source(case.input.encode(), rel="content/case.md", kind="markdown", mtime=0.0)
    if reader == "plain":
        blocks = plain_blocks(source.body)
        if blocks is None:
            pytest.skip("not a plain body")
        document, _ = markdown._plain_markdown_document(source, blocks)
    else:
        document, _ = markdown._parsed_markdown_document(source)
    golden.check(case, records(document))
