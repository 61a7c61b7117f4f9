"""Golden story cases (tests/cases/stories): the JSON-lines commands, which run the build's per-article
analysis and grouping, put the right reports together and link only story-mates."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from briefgen import cli
from briefgen.jsonl import LineReport, run_related, run_stories
from tests.casefiles import CASES as CASE_ROOT
from tests.casefiles import Golden, as_jsonl, case_paths, each_case, read_case

CASES = CASE_ROOT / "stories"


def outcome(given: str) -> list[dict[str, object]]:
    """One object per article, by id: its story's key and its related links."""
    stories, related, problems = io.StringIO(), io.StringIO(), io.StringIO()
    run_stories(io.StringIO(given), stories, report=LineReport(problems))
    run_related(io.StringIO(given), related, k=3, report=LineReport(problems))
    assert problems.getvalue() == ""
    story = {o["id"]: o["story"] for o in map(json.loads, stories.getvalue().splitlines())}
    links = {o["id"]: o["related"] for o in map(json.loads, related.getvalue().splitlines())}
    return [{"id": i, "story": story[i], "related": links[i]} for i in sorted(story)]


@each_case("stories")
def test_story_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)
    golden.check(case, as_jsonl(outcome(case.input)))


@each_case("stories")
def test_input_order_does_not_change_a_case(case_path: Path) -> None:
    given = read_case(case_path).input
    lines = given.strip().splitlines()
    assert outcome("\n".join(reversed(lines)) + "\n") == outcome(given)


@each_case("stories")
def test_links_only_ever_go_to_story_mates(case_path: Path) -> None:
    found = outcome(read_case(case_path).input)
    for obj in found:
        mates = {o["id"] for o in found if o["story"] == obj["story"]} - {obj["id"]}
        assert set(obj["related"]) <= mates


def test_there_is_a_case_of_each_kind_the_issue_names() -> None:
    assert {p.stem for p in case_paths("stories")} >= {
        "same_event_told_differently",
        "same_kind_other_time",
        "follow_up_days_later",
        "lonely_article",
    }


GOOD = '{"id": "fine", "title": "Harbour reopens", "text": "The harbour at Velsand reopened on Monday."}\n'


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json\n", "<stdin>:2: error: not valid JSON"),
        ('{"id": "a"}\n', "<stdin>:2: error: missing key 'text'"),
        ('{"id": "a", "text": "Fine.", "date": "last Tuesday"}\n', "<stdin>:2: error: 'date' is not a date"),
        ('{"id": "fine", "text": "Two."}\n', "<stdin>:2: error: id 'fine' was already used on line 1"),
        ('{"id": "a", "text": " ", "title": ""}\n', "<stdin>:2: error: the article has no text and no title"),
    ],
)
@pytest.mark.parametrize("command", ["stories", "related"])
def test_a_malformed_line_is_named_and_the_others_answered(
    command: str, bad: str, message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + bad))
    assert cli.main([command, "--jsonl"]) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == ["fine"]


def test_stories_command_writes_one_line_per_article_in_input_order(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    given = read_case(CASES / "follow_up_days_later.txt").input
    monkeypatch.setattr("sys.stdin", io.StringIO(given))
    assert cli.main(["stories", "--jsonl"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == [json.loads(line)["id"] for line in given.strip().splitlines()]
    assert all(set(o) == {"id", "story"} for o in out)
