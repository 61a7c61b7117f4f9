"""The command line, run in-process through `briefgen.cli.main`: exit codes, help, config errors, init,
clean, JSON lines. What needs a real process (the entry points, a closed pipe) is in test_process.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen import __version__
from tests.conftest import Site, run_briefgen


def test_version() -> None:
    run = run_briefgen("--version")
    assert run.returncode == 0
    assert run.stdout.strip() == f"briefgen {__version__}"


@pytest.mark.parametrize(
    "command", ["init", "build", "clean", "serve", "watch", "summarize", "quotes", "entities", "related"]
)
def test_help_everywhere(command: str) -> None:
    run = run_briefgen(command, "--help")
    assert run.returncode == 0
    assert "usage: briefgen" in run.stdout


def test_usage_error_exits_2() -> None:
    run = run_briefgen("build", "--no-such-flag")
    assert run.returncode == 2
    assert "unrecognized arguments" in run.stderr


@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_jobs_must_be_a_positive_whole_number(value: str) -> None:
    run = run_briefgen("build", "--jobs", value)
    assert run.returncode == 2
    assert "--jobs" in run.stderr and value in run.stderr


def test_config_errors_are_all_reported_with_suggestions(site: Site) -> None:
    site.write("briefgen.yml", "titel: X\nsummary:\n  sentence: 2\nrelated:\n  k: many\n")
    run = site.build()
    assert run.returncode == 2
    assert "unknown key 'titel' (did you mean 'title'?)" in run.stderr
    assert "unknown key 'summary.sentence' (did you mean 'sentences'?)" in run.stderr
    assert "related.k must be a whole number" in run.stderr
    assert "Traceback" not in run.stderr


def test_config_yaml_error_has_line(site: Site) -> None:
    site.write("briefgen.yml", "title: ok\nbase_url: [\n")
    run = site.build()
    assert run.returncode == 2
    assert "briefgen.yml:3:" in run.stderr


def test_summary_share_in_config(site: Site) -> None:
    site.write("briefgen.yml", "summary:\n  sentences: '50%'\n")
    assert site.build().returncode == 0


def test_init_then_build(tmp_path: Path) -> None:
    target = tmp_path / "newsite"
    assert run_briefgen("init", str(target)).returncode == 0
    config = (target / "briefgen.yml").read_text()
    for key in (
        "title:",
        "base_url:",
        "output_dir:",
        "summary:",
        "sentences:",
        "key_quotes:",
        "related:",
        "digests:",
    ):
        assert key in config
    assert list((target / "content").iterdir())
    assert (target / "templates/README.md").is_file()
    assert run_briefgen("init", str(target)).returncode == 1  # not empty
    run = run_briefgen("build", "--site", str(target))
    assert run.returncode == 0, run.stderr
    assert (target / "site/index.html").is_file()
    cleaned = run_briefgen("clean", "--site", str(target))
    assert cleaned.returncode == 0
    assert not (target / "site").exists() and not (target / ".briefgen-cache").exists()


def test_quiet_prints_nothing_on_success(site: Site) -> None:
    run = site.build("--quiet")
    assert run.returncode == 0
    assert run.stderr == ""


def test_summarize_jsonl_streams_one_line_per_article() -> None:
    text = "The mayor opened the bridge on Monday. Crowds cheered. Traffic resumed at noon. Shops reopened later."
    lines = "".join(json.dumps({"id": i, "text": text}) + "\n" for i in range(3))
    run = run_briefgen("summarize", "--jsonl", "--sentences", "2", stdin=lines)
    assert run.returncode == 0, run.stderr
    out = [json.loads(x) for x in run.stdout.splitlines()]
    assert [o["id"] for o in out] == [0, 1, 2]
    assert all(len(o["summary"]) == 2 for o in out)
    assert all(s in text for s in out[0]["summary"])


def test_quotes_jsonl_shape() -> None:
    text = '"We will rebuild," said Mayor Ana Lopes. She added that work starts in May.'
    run = run_briefgen("quotes", "--jsonl", stdin=json.dumps({"id": "a", "text": text}) + "\n")
    assert run.returncode == 0, run.stderr
    (obj,) = [json.loads(x) for x in run.stdout.splitlines()]
    assert obj["id"] == "a"
    assert obj["quotes"][0]["quote"].startswith("We will rebuild")
    assert set(obj["quotes"][0]) == {"quote", "speaker", "key"}


def test_related_jsonl_shape() -> None:
    rows = [
        {
            "id": "a",
            "title": "Flood hits river town",
            "text": "The river flooded the town of Elmsby on Monday.",
            "date": "2025-01-01",
        },
        {
            "id": "b",
            "title": "Elmsby flood clean-up",
            "text": "Elmsby began cleaning up after the river flood.",
            "date": "2025-01-02",
        },
    ]
    run = run_briefgen("related", "--jsonl", "--k", "2", stdin="".join(json.dumps(r) + "\n" for r in rows))
    assert run.returncode == 0, run.stderr
    out = {o["id"]: o["related"] for o in map(json.loads, run.stdout.splitlines())}
    assert set(out) == {"a", "b"}


@pytest.mark.parametrize(
    "command",
    [["summarize", "--jsonl"], ["quotes", "--jsonl"], ["entities", "--jsonl"], ["related", "--jsonl"]],
)
def test_malformed_jsonl_line_names_the_line(command: list[str]) -> None:
    stdin = json.dumps({"id": 1, "text": "Fine."}) + "\n" + "{not json\n"
    run = run_briefgen(*command, stdin=stdin)
    assert run.returncode == 1
    assert "<stdin>:2: error: not valid JSON" in run.stderr
    assert "Traceback" not in run.stderr


def test_missing_key_names_the_line() -> None:
    run = run_briefgen("summarize", "--jsonl", stdin='{"id": 1}\n')
    assert run.returncode == 1
    assert "<stdin>:1: error: missing key 'text'" in run.stderr
