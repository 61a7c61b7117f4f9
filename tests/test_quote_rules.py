"""Attribution rules have names, are tried in a documented order, and say which one chose a speaker."""

from __future__ import annotations

import io
import json

import pytest

from briefgen.analysis import quote_rules, resolver
from briefgen.analysis.quotes import find_quotes
from briefgen.cli import main


def test_rules_are_tried_in_the_documented_order() -> None:
    names = [name for name, _ in quote_rules.QUOTE_RULES]
    doc = quote_rules.__doc__ or ""
    assert [doc.index(f"`{name}`") for name in names] == sorted(doc.index(f"`{name}`") for name in names)


@pytest.mark.parametrize(
    ("paragraphs", "rule"),
    [
        (
            ["Hegseth said: “We will not abandon Ukraine.”"],
            "colon or first quote: subject before the verb → person named",
        ),
        (
            ["“We will not abandon Ukraine,” Hegseth said."],
            "after the quote: subject before the verb → person named",
        ),
        (
            ["“We will not abandon Ukraine,” said Jane Doe."],
            "after the quote: subject after the verb → person named",
        ),
        (
            ["Hegseth dismissed the goals as “unrealistic” on Thursday."],
            "paraphrase subject → a name not seen before",
        ),
        (
            ["Jane Doe said the plan would work.", "“We will not abandon Ukraine.”"],
            "speech reported in the paragraph before: subject of its speech verb → person named",
        ),
        (
            ["“We will go,” Jane Doe said.", "“We will not abandon Ukraine.”"],
            "the previous paragraph's speaker",
        ),
        (["“We will go,” Hegseth said. “Peace is the goal.”"], "the quote before's speaker"),
    ],
)
def test_each_speaker_carries_the_rule_that_chose_it(paragraphs: list[str], rule: str) -> None:
    quotes = find_quotes(paragraphs)
    assert quotes[-1].speaker is not None
    assert quotes[-1].rule == rule


@pytest.mark.parametrize(
    ("paragraphs", "speaker", "rule"),
    [
        (
            ["The World Health Organization warned of a new wave.", "“The risk remains low,” the WHO said."],
            "World Health Organization",
            "after the quote: subject before the verb → acronym of a full name",
        ),
        (
            ["Jane Doe resigned.", "“I am proud of what we built,” her statement said."],
            "Jane Doe",
            "after the quote: subject before the verb → whose document",
        ),
        (
            ["Lindqvist Air Ltd cut fares.", "“Demand is weak,” the airline said."],
            "Lindqvist Air Ltd",
            "after the quote: subject before the verb → organisation named before",
        ),
        (
            ["“The road is closed,” the harbour police said, quoting Sergeant Ilse Brandt."],
            "Ilse Brandt",
            "after the quote: subject before the verb → person the speaker quotes",
        ),
    ],
)
def test_a_resolved_speaker_names_the_resolution_rule(paragraphs: list[str], speaker: str, rule: str) -> None:
    quote = find_quotes(paragraphs)[-1]
    assert (quote.speaker, quote.rule) == (speaker, rule)


@pytest.mark.parametrize("phrase", ["the month", "the budget", "Last week"])
def test_a_phrase_that_names_nobody_gives_no_speaker(phrase: str) -> None:
    (quote,) = find_quotes([f"“Prices will fall again next spring,” {phrase} said."])
    assert quote.speaker is None and quote.rule is None


def test_resolution_rules_are_tried_in_the_documented_order() -> None:
    names = [name for name, _, _ in resolver.RESOLUTION_RULES]
    doc = resolver.__doc__ or ""
    assert [doc.index(f"`{name}`") for name in names] == sorted(doc.index(f"`{name}`") for name in names)


def test_no_speaker_no_rule() -> None:
    (quote,) = find_quotes(["The so-called “new” plan arrived."], include_scare_quotes=True)
    assert quote.speaker is None and quote.rule is None


def test_quotes_jsonl_explain_adds_the_rule(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    line = json.dumps({"id": "a", "text": "“We will not abandon Ukraine,” Hegseth said."})
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    assert main(["quotes", "--jsonl", "--explain"]) == 0
    (quote,) = json.loads(capsys.readouterr().out)["quotes"]
    assert (
        quote["speaker"] == "Hegseth"
        and quote["rule"] == "after the quote: subject before the verb → person named"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    assert main(["quotes", "--jsonl"]) == 0
    assert "rule" not in json.loads(capsys.readouterr().out)["quotes"][0]
