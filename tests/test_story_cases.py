"""Golden story cases (tests/cases/stories): the JSON-lines commands, which run the build's per-article
analysis and grouping, put the right reports together and link only story-mates."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from briefgen import cli
from briefgen.jsonl import run_related, run_stories

CASES = Path(__file__).parent / "cases" / "stories"


def read_case(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    _, rest = text.split("\n--- input\n", 1)
    given, expected = rest.split("\n--- expected\n", 1)
    return given, expected.strip()


def outcome(given: str) -> str:
    """One line per article, by id: its story's key and its related links."""
    stories, related = io.StringIO(), io.StringIO()
    run_stories(io.StringIO(given), stories)
    run_related(io.StringIO(given), related, k=3)
    story = {o["id"]: o["story"] for o in map(json.loads, stories.getvalue().splitlines())}
    links = {o["id"]: o["related"] for o in map(json.loads, related.getvalue().splitlines())}
    return "\n".join(
        json.dumps({"id": i, "story": story[i], "related": links[i]}, ensure_ascii=False)
        for i in sorted(story)
    )


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_story_case(path: Path) -> None:
    given, expected = read_case(path)
    assert outcome(given) == expected


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_input_order_does_not_change_a_case(path: Path) -> None:
    given, _ = read_case(path)
    lines = given.strip().splitlines()
    assert outcome("\n".join(reversed(lines)) + "\n") == outcome(given)


def test_links_only_ever_go_to_story_mates() -> None:
    for path in sorted(CASES.glob("*.txt")):
        for line in outcome(read_case(path)[0]).splitlines():
            obj = json.loads(line)
            mates = {
                json.loads(o)["id"]
                for o in outcome(read_case(path)[0]).splitlines()
                if json.loads(o)["story"] == obj["story"]
            }
            assert set(obj["related"]) <= mates - {obj["id"]}


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ('{"id": "a", "text": "Fine."}\n{not json\n', "<stdin>:2: error: not valid JSON"),
        ('{"id": "a"}\n', "<stdin>:1: error: missing key 'text'"),
        ('{"id": "a", "text": "Fine.", "date": "last Tuesday"}\n', "<stdin>:1: error: 'date' is not a date"),
        (
            '{"id": "a", "text": "One."}\n{"id": "a", "text": "Two."}\n',
            "<stdin>:2: error: the id 'a' is used twice",
        ),
        ('{"id": "a", "text": " ", "title": ""}\n', "<stdin>:1: error: the article has no text and no title"),
    ],
)
@pytest.mark.parametrize("command", ["stories", "related"])
def test_malformed_input_names_the_line(
    command: str,
    stdin: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert cli.main([command, "--jsonl"]) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_stories_command_writes_one_line_per_article_in_input_order(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    given, _ = read_case(CASES / "follow_up_days_later.txt")
    monkeypatch.setattr("sys.stdin", io.StringIO(given))
    assert cli.main(["stories", "--jsonl"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == [json.loads(line)["id"] for line in given.strip().splitlines()]
    assert all(set(o) == {"id", "story"} for o in out)
