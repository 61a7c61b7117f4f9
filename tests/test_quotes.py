"""Direct quotes and speakers: golden cases for every shape and speaker rule, the seed article, properties."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.analysis.quotes import find_quotes
from briefgen.model import Quote
from tests.casefiles import CASES, Golden, as_jsonl, each_case, read_case
from tests.conftest import SEED_ARTICLE

MARKS = '"“”„«»'
PRONOUNS = {"he", "she", "they", "we", "i", "him", "her", "them"}


def paragraphs_of(text: str) -> list[str]:
    """Blank-line paragraphs with hard wraps joined: this stage's input, without the cleaner."""
    blocks = re.split(r"\n\s*\n", text)
    return [" ".join(line.strip() for line in b.splitlines() if line.strip()) for b in blocks if b.strip()]


def quote_records(quotes: tuple[Quote, ...]) -> str:
    return as_jsonl([{"quote": q.text, "speaker": q.speaker, "key": q.is_key} for q in quotes])


@each_case("quotes")
def test_quote_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)
    golden.check(case, quote_records(find_quotes(paragraphs_of(case.input))))


@each_case("quotes")
def test_offsets_point_at_the_text_between_the_marks(case_path: Path) -> None:
    paragraphs = paragraphs_of(read_case(case_path).input)
    for quote in find_quotes(paragraphs):
        assert paragraphs[quote.paragraph][quote.start : quote.end] == quote.text
        assert quote.text == quote.text.strip()
        assert quote.text[0] not in MARKS and quote.text[-1] not in MARKS
        assert quote.speaker is None or quote.speaker.lower() not in PRONOUNS


def test_quotes_come_in_reading_order() -> None:
    paragraphs = paragraphs_of(read_case(CASES / "quotes" / "reopened_paragraphs.txt").input)
    positions = [(q.paragraph, q.start) for q in find_quotes(paragraphs)]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)


# ----------------------------------------------------------------- the seed article

SEED_KEY = {  # start of each key quote -> its speaker
    "It is certainly not a betrayal": "Pete Hegseth",
    "No country, as President Trump": "Pete Hegseth",
    "There’s no betrayal": "Pete Hegseth",
    "I’m just here to try and get peace": "Donald Trump",
    "I don’t care so much": "Donald Trump",
    "That will require both sides": "Pete Hegseth",
    "As Defense Secretary, my job": "Pete Hegseth",
}


@pytest.fixture(scope="module")
def seed_quotes() -> tuple[Quote, ...]:
    return find_quotes(paragraphs_of(SEED_ARTICLE.read_text(encoding="utf-8")))


def test_seed_has_all_seven_key_quotes_with_speakers(seed_quotes: tuple[Quote, ...]) -> None:
    key = [q for q in seed_quotes if q.is_key]
    found = {prefix: [q.speaker for q in key if q.text.startswith(prefix)] for prefix in SEED_KEY}
    assert found == {prefix: [speaker] for prefix, speaker in SEED_KEY.items()}
    assert len(key) == 7


def test_seed_fragments_are_not_key(seed_quotes: tuple[Quote, ...]) -> None:
    texts = {q.text: q for q in seed_quotes}
    assert "unrealistic." in texts and not texts["unrealistic."].is_key
    assert "lengthy and highly productive phone call" in texts
    assert not texts["lengthy and highly productive phone call"].is_key
    assert not any("Peaceful Negotiations" in q.text for q in seed_quotes if q.is_key)


def test_seed_whole_quotes_end_where_the_marks_close(seed_quotes: tuple[Quote, ...]) -> None:
    ends = {q.text[-1] for q in seed_quotes if q.is_key}
    assert ends <= {",", ".", "?", "!"}


# ----------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "paragraphs",
    [
        [],
        [""],
        ["“"],
        ["”"],
        ['He said "'],
        ["“A” “B” “C"],
        ["6'2\" tall, he said."],
        ["“Unclosed at the end of one paragraph", "“and re-opened,” she said."],
    ],
)
def test_odd_input_never_fails(paragraphs: list[str]) -> None:
    for quote in find_quotes(paragraphs):
        assert paragraphs[quote.paragraph][quote.start : quote.end] == quote.text


def test_an_unbalanced_mark_costs_only_its_paragraph() -> None:
    paragraphs = [
        "She called it “reckless and left.",
        "“This plan will push rents higher,” Mayor Grace Mbeki said.",
    ]
    quotes = find_quotes(paragraphs, include_scare_quotes=True)
    assert [q.paragraph for q in quotes] == [0, 1]
    assert not quotes[0].is_key
    assert quotes[1].text == "This plan will push rents higher,"
    assert quotes[1].speaker == "Grace Mbeki" and quotes[1].is_key


def test_scare_quotes_are_left_out_unless_asked_for() -> None:
    paragraphs = ["Critics say the “new” plan is the old one. The shop sells “vintage” lamps."]
    assert find_quotes(paragraphs) == ()
    kept = find_quotes(paragraphs, include_scare_quotes=True)
    assert [q.text for q in kept] == ["new", "vintage"]
    assert not any(q.is_key for q in kept)
