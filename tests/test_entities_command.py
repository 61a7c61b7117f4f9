"""`briefgen entities --jsonl`: the build's entities of each article, one JSON line each."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from briefgen.analysis.entities import document_entities
from briefgen.cli import main
from briefgen.errors import SourceLocation
from briefgen.pipeline.analyse import analyse_text
from briefgen.sources import TEXT_PATH, parse_source, text_file
from briefgen.sources.document import make_document
from briefgen.sources.frontmatter import split_front_matter

CONTENT = Path(__file__).resolve().parent.parent / "content"


def run_entities(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["entities", "--jsonl"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_one_line_per_article_with_name_kind_and_count(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {
            "id": 1,
            "title": "Ferry strike ends",
            "text": "Ana Silva met Rui Costa in Lisbon.\n\nCosta thanked Silva.",
        },
        {"id": "two", "text": ""},
        {"id": 3, "text": "No names here at all."},
    ]
    code, out, err = run_entities(monkeypatch, capsys, "".join(json.dumps(r) + "\n" for r in rows))
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == [1, "two", 3]
    assert lines[0]["entities"][:2] == [
        {"name": "Ana Silva", "kind": "person", "count": 2},
        {"name": "Rui Costa", "kind": "person", "count": 2},
    ]
    assert {"name": "Lisbon", "kind": "place", "count": 1} in lines[0]["entities"]
    assert lines[1]["entities"] == [] and lines[2]["entities"] == []


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ('{"id": 1, "text": "Fine."}\n{oops\n', "<stdin>:2: error: not valid JSON"),
        ('{"id": 1}\n', "<stdin>:1: error: missing key 'text'"),
        ('{"id": 1, "text": "A.", "title": 5}\n', "<stdin>:1: error: 'title' must be a string"),
        ('{"id": 1, "text": "---\\ntitle: [\\n---\\nBody."}\n', "<stdin>:1: error: cannot read the article"),
    ],
)
def test_bad_line_is_named_skipped_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: str, message: str
) -> None:
    good = json.dumps({"id": "after", "text": "Ana Silva went to Lisbon."}) + "\n"
    code, out, err = run_entities(monkeypatch, capsys, stdin + good)
    assert code == 1
    assert message in err
    assert json.loads(out.splitlines()[-1])["id"] == "after"  # the lines after a bad one are answered


def _text_articles() -> list[Path]:
    return sorted(CONTENT.glob("*.txt"))


def entities_of_text(text: str, title: str | None = None) -> tuple[object, ...]:
    """What the command computes for one line (its steps, without the JSON)."""
    source, _ = parse_source(text_file(text, title), rel=TEXT_PATH, kind="text", mtime=0.0)
    return document_entities(make_document(source)[0])


@pytest.mark.parametrize("path", _text_articles(), ids=lambda p: p.stem)
def test_same_entities_as_the_build(path: Path) -> None:
    """The command's path (front matter, cleaning, title) gives what the build's analysis holds."""
    raw = path.read_text(encoding="utf-8")
    front = split_front_matter(raw, SourceLocation(path.name))
    body = front.body
    title = front.data.get("title") if isinstance(front.data.get("title"), str) else None
    built = analyse_text(raw).analysis.entities
    assert entities_of_text(raw) == built
    if title is not None:  # the same article given as {"title", "text"}
        assert entities_of_text(body, title=title) == built
