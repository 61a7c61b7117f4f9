"""Summaries: length specs, count, reading order, determinism and no fragments, on real sample content."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.analysis import summarize_text
from briefgen.analysis.summary import (
    SummaryWeights,
    is_whole_sentence,
    score_sentences,
    summarize,
    summary_length,
)
from briefgen.analysis.summary_terms import term_set, words_of
from briefgen.text.clean import clean_text
from briefgen.text.sentences import split_sentences
from tests.conftest import SEED_ARTICLE

ROOT = Path(__file__).resolve().parents[1]
CONTENT = sorted((ROOT / "content").glob("*.txt")) + sorted((ROOT / "content").glob("*.md"))


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md" and text.startswith("---"):
        text = text.split("\n---", 2)[-1]
    return text


@pytest.mark.parametrize(
    ("spec", "n", "expected"),
    [
        (3, 10, 3),
        (3, 2, 2),
        (0, 5, 0),
        (3, 0, 0),
        ("20%", 10, 2),
        ("20%", 3, 1),
        ("100%", 7, 7),
        ("5", 9, 5),
        ("15%", 20, 3),
        (" 50 % ", 5, 3),
        ("1%", 0, 0),
    ],
)
def test_summary_length(spec: int | str, n: int, expected: int) -> None:
    assert summary_length(spec, n) == expected


@pytest.mark.parametrize("spec", [-1, "abc", "-5%x"])
def test_summary_length_rejects_nonsense(spec: int | str) -> None:
    with pytest.raises(ValueError):
        summary_length(spec, 10)


def test_empty_text_gives_empty_summary() -> None:
    assert summarize((), title=None, limit=3) == ()
    assert summarize_text("") == ()
    assert summarize_text("   \n\n  ") == ()


def test_short_text_returns_all_its_sentences() -> None:
    text = "The council met on Monday. It approved the budget for next year."
    assert summarize_text(text, length=5) == (
        "The council met on Monday.",
        "It approved the budget for next year.",
    )


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: p.name)
@pytest.mark.parametrize("spec", [1, 3, "30%"])
def test_summary_properties_on_sample_content(path: Path, spec: int | str) -> None:
    paragraphs = [p.text for p in clean_text(_body(path), infer_title=False).paragraphs]
    sentences = split_sentences(paragraphs)
    limit = summary_length(spec, len(sentences))
    picked = summarize(sentences, title=None, limit=limit)
    assert len(picked) == limit
    assert list(picked) == sorted(set(picked))  # reading order, no repeats
    assert all(0 <= i < len(sentences) for i in picked)
    whole = sum(is_whole_sentence(s.text) for s in sentences)
    if whole >= limit:
        assert all(is_whole_sentence(sentences[i].text) for i in picked)
    assert summarize(sentences, title=None, limit=limit) == picked  # deterministic


def test_seed_summary_is_whole_sentences_without_dateline() -> None:
    summary = summarize_text(SEED_ARTICLE.read_text(encoding="utf-8"))
    assert len(summary) == 3
    assert summary[0].startswith("U.S. Defense Secretary Pete Hegseth")
    for sentence in summary:
        assert not re.search(r"https?://|Related article", sentence)
        assert sentence.count("“") == sentence.count("”")
        assert sentence[-1] in '.!?”’"'


def test_fragments_and_cut_quotes_are_not_picked() -> None:
    text = (
        "Photo: Getty\n\n"
        "The city council approved a new budget on Monday after a long debate.\n\n"
        "“We will not raise taxes this year. The budget is balanced.\n\n"
        "Officials said the budget includes new money for schools and roads across the region.\n\n"
        "https://example.com/story\n\n"
        "Read more\n\n"
        "The mayor is expected to sign the budget into law by the end of the week."
    )
    summary = summarize_text(text, length=3)
    assert len(summary) == 3
    assert all(is_whole_sentence(s) for s in summary)
    assert not any(s.startswith("“We will") or "http" in s for s in summary)


def test_same_summary_in_a_fresh_process() -> None:
    """Real processes: string hashing is seeded once, when an interpreter starts (PYTHONHASHSEED)."""
    path = CONTENT[0]
    code = (
        "import sys; from briefgen.analysis import summarize_text; "
        "print(repr(summarize_text(open(sys.argv[1], encoding='utf-8').read())))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1
    assert repr(summarize_text(path.read_text(encoding="utf-8"))) + "\n" in runs


def test_title_terms_pull_a_sentence_in() -> None:
    paragraphs = [
        "The council met on Monday to discuss several matters of local interest.",
        "Residents raised concerns about parking near the station and the market.",
        "A new library will open in the old post office building next spring.",
        "The meeting ended after three hours without a vote on any of the proposals.",
    ]
    sentences = split_sentences(paragraphs)
    plain = summarize(sentences, title=None, limit=2)
    titled = summarize(sentences, title="New library for the old post office", limit=2)
    assert 2 not in plain
    assert 2 in titled


def test_a_point_the_text_comes_back_to_is_picked() -> None:
    """Centrality counts earlier sentences too: a late sentence restating the lead's point wins."""
    paragraphs = [
        "The city council approved a new budget for schools on Monday.",
        "The vote followed weeks of debate among members.",
        "Several residents spoke about traffic on the main road.",
        "A local bakery won a national award last month.",
        "The weather was cold and wet for most of the week.",
        "The budget gives schools across the city more money for teachers and books.",
    ]
    sentences = split_sentences(paragraphs)
    assert summarize(sentences, title=None, limit=2) == (0, 5)
    assert summarize(sentences, title=None, limit=2, weights=SummaryWeights(backward=0.0)) == (0, 1)


def test_position_prior_drops_after_the_lead() -> None:
    """Equally central sentences: the prior falls by more from the last lead sentence to the next."""
    texts = [
        f"Officials discussed the budget for {w} hours today." for w in ("alpha", "bravo", "charlie", "delta")
    ]
    terms = [term_set(words_of(text)) for text in texts]
    weights = SummaryWeights()
    scores = score_sentences(texts, terms, [True] * 4, title="Budget", weights=weights)
    assert scores == sorted(scores, reverse=True)
    smooth = ((1 + 2) / (1 + 3)) ** weights.position_decay  # the decay alone from rank 2 to rank 3
    assert scores[3] / scores[2] == pytest.approx(smooth * weights.after_lead)
    assert scores[3] / scores[2] < scores[2] / scores[1]


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("The council approved the budget on Monday evening.", True),
        ("Pictured: the mayor at the opening of the new bridge.", False),
        ("pictured during her trial at the crown court last summer .", False),
        ("Read the full report at https://example.com/report today.", False),
        ("“We will not raise taxes this year. The budget is balanced.", False),
        ("he said : ' we will go ahead with the screening . '", True),
        ("Too short here.", False),
        ("A heading without any final punctuation at all", False),
    ],
)
def test_is_whole_sentence(text: str, whole: bool) -> None:
    assert is_whole_sentence(text) is whole
