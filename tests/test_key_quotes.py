"""Key quotes as a briefing shows them: whole statements (split quotations joined), ranked by analysis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.analysis import analyse_body
from briefgen.analysis.key_quotes import rank_key_quotes
from briefgen.analysis.quotes import find_quotes, select_key_quotes
from briefgen.pipeline.analyse import analyse_text
from tests.casefiles import CASES, Golden, each_case, read_case
from tests.conftest import SEED_ARTICLE
from tests.test_entities import paragraphs_of

SEED_TITLE = "Hegseth Says US Is Not Abandoning Ukraine"


def as_jsonl(paragraphs: list[str], title: str | None) -> str:
    ranked = rank_key_quotes(find_quotes(paragraphs, title=title), paragraphs, title=title)
    return "\n".join(json.dumps({"quote": k.text, "speaker": k.speaker}, ensure_ascii=False) for k in ranked)


@each_case("key_quotes")
def test_key_quote_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)  # config: {"title": ...}
    golden.check(case, as_jsonl(paragraphs_of(case.input), case.config.get("title")))


def test_the_analysis_carries_the_ranking() -> None:
    paragraphs = paragraphs_of(read_case(CASES / "key_quotes" / "split_quotation_is_one_statement.txt").input)
    analysis = analyse_body(paragraphs, title="Harbour dredging to start in spring")
    assert analysis.key_quotes == rank_key_quotes(
        analysis.quotes, paragraphs, title="Harbour dredging to start in spring"
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


def test_select_key_quotes_is_still_callable_on_pieces(seed_text: str) -> None:
    quotes = find_quotes(paragraphs_of(seed_text))
    assert len(select_key_quotes(quotes, 3)) == 3
