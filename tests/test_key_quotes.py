"""Key quotes as a briefing shows them: whole statements (split quotations joined), ranked by analysis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.analysis import analyse_body
from briefgen.analysis.key_quotes import rank_key_quotes
from briefgen.analysis.quotes import find_quotes
from briefgen.model import Quote
from briefgen.pipeline.analyse import analyse_text
from briefgen.text.segment import segment
from tests.casefiles import CASES, Golden, each_case, read_case
from tests.conftest import SEED_ARTICLE
from tests.test_entities import paragraphs_of

SEED_TITLE = "Hegseth Says US Is Not Abandoning Ukraine"


def as_jsonl(paragraphs: list[str], title: str | None) -> str:
    ranked = rank_key_quotes(find_quotes(paragraphs, title=title), segment(paragraphs, title=title))
    return "\n".join(json.dumps({"quote": k.text, "speaker": k.speaker}, ensure_ascii=False) for k in ranked)


@each_case("key_quotes")
def test_key_quote_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)  # config: {"title": ...}
    golden.check(case, as_jsonl(paragraphs_of(case.input), case.config.get("title")))


def test_the_analysis_carries_the_ranking() -> None:
    paragraphs = paragraphs_of(read_case(CASES / "key_quotes" / "split_quotation_is_one_statement.txt").input)
    analysis = analyse_body(paragraphs, title="Harbour dredging to start in spring")
    assert analysis.key_quotes == rank_key_quotes(
        analysis.quotes, segment(paragraphs, title="Harbour dredging to start in spring")
    )
    joined = next(k for k in analysis.key_quotes if len(k.pieces) == 2)
    assert [analysis.quotes[i].is_key for i in joined.pieces] == [True, True]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


def test_seed_headline_claim_first_and_split_quotes_joined(seed_text: str) -> None:
    analysis = analyse_text(seed_text, title=SEED_TITLE).analysis
    ranked = analysis.key_quotes
    assert ranked[0].text.startswith("It is certainly not a betrayal. No country, as President Trump")
    assert ranked[0].speaker == "Pete Hegseth"
    texts = [k.text for k in ranked]
    assert len(texts) == 5  # seven key pieces, two of them the second halves of split quotations
    assert any(t.startswith("I’m just here to try and get peace. I don’t care so much") for t in texts)
    assert sum(len(k.pieces) for k in ranked) == 7
    assert "unrealistic" not in " ".join(texts)
    assert {k.speaker for k in ranked[:4]} == {"Pete Hegseth", "Donald Trump"}


def test_seed_ranking_prefers_whole_long_statements(seed_text: str) -> None:
    ranked = analyse_text(seed_text, title=SEED_TITLE).analysis.key_quotes[:3]
    assert {k.speaker for k in ranked} == {"Pete Hegseth", "Donald Trump"}
    assert all(len(k.text.split()) >= 8 for k in ranked)


# ----------------------------------------------------------------- ranking rules on made-up quotes


def _quote(text: str, score: float, *, key: bool = True, paragraph: int = 0, speaker: str = "A B") -> Quote:
    return Quote(
        text=text, speaker=speaker, paragraph=paragraph, start=0, end=len(text), is_key=key, score=score
    )


BLANK = segment(["", "", "", ""])  # no headline, no lead: the scores alone rank


def test_ranking_follows_the_scores() -> None:
    quotes = [
        _quote("The bridge will open in June next year.", 1.0),
        _quote("We have spent every cent we were given on it.", 2.0, paragraph=1),
        _quote("Nobody expected the river to rise so fast.", 1.5, paragraph=2),
    ]
    assert [k.score for k in rank_key_quotes(quotes, BLANK)] == [2.0, 1.5, 1.0]


def test_ranking_skips_non_key_quotes_and_near_repeats() -> None:
    quotes = [
        _quote("The bridge will open in June next year, on time.", 2.0),
        _quote("The bridge will open in June next year.", 1.9, paragraph=3),
        _quote("unrealistic", 5.0, key=False, paragraph=1),
        _quote("We kept the promise we made to this town.", 1.0, paragraph=2),
    ]
    assert [k.text for k in rank_key_quotes(quotes, BLANK)] == [
        "The bridge will open in June next year, on time.",
        "We kept the promise we made to this town.",
    ]


def test_ranking_hears_more_than_one_voice_when_scores_are_close() -> None:
    quotes = [
        _quote("We will build the bridge on time and on budget.", 2.0, speaker="Ana Silva"),
        _quote("Every cent of the money is accounted for today.", 1.95, speaker="Ana Silva", paragraph=1),
        _quote("The town was never asked what it wanted here.", 1.9, speaker="Rui Costa", paragraph=2),
        _quote("Nobody will pay a toll to cross it, ever.", 0.5, speaker="Rui Costa", paragraph=3),
    ]
    assert [k.speaker for k in rank_key_quotes(quotes, BLANK)[:2]] == ["Ana Silva", "Rui Costa"]
