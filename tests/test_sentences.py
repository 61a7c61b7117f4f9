"""Sentence splitting: golden cases, the offsets contract, and the seed article."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from briefgen.text.sentences import split_sentences
from tests.casefiles import Golden, as_jsonl, each_case, read_case
from tests.conftest import SEED_ARTICLE


def paragraphs_of(case_path: Path) -> list[str]:
    """A case's input as paragraphs: split on blank lines."""
    return read_case(case_path).input.split("\n\n")


@each_case("sentences")
def test_sentence_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)
    got = [{"paragraph": s.paragraph, "sentence": s.text} for s in split_sentences(paragraphs_of(case_path))]
    golden.check(case, as_jsonl(got))


@each_case("sentences")
def test_offsets_point_into_the_paragraph(case_path: Path) -> None:
    paragraphs = paragraphs_of(case_path)
    for s in split_sentences(paragraphs):
        assert paragraphs[s.paragraph][s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text


def test_sentences_are_in_reading_order_and_do_not_overlap() -> None:
    paragraphs = ["One. Two is here. Three!", "Four? Five."]
    sentences = split_sentences(paragraphs)
    assert [s.text for s in sentences] == ["One.", "Two is here.", "Three!", "Four?", "Five."]
    keys = [(s.paragraph, s.start, s.end) for s in sentences]
    assert keys == sorted(keys)
    assert all(a[0] != b[0] or a[2] <= b[1] for a, b in itertools.pairwise(keys))


def test_empty_and_blank_input() -> None:
    assert split_sentences([]) == ()
    assert split_sentences(["", "   ", "..."]) == ()


def _seed_paragraphs() -> list[str]:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    return [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def test_seed_article() -> None:
    texts = [s.text for s in split_sentences(_seed_paragraphs())]
    assert texts[0].startswith("U.S. Defense Secretary Pete Hegseth on Thursday rejected")  # no dateline
    assert "BRUSSELS" not in texts[0]
    # the three-sentence quotation stays whole, with its attribution
    assert any(
        t.startswith("“That will require") and t.endswith("the defense secretary said Thursday.")
        for t in texts
    )
    for t in texts:
        assert t.count("“") == t.count("”"), t
    assert "“It is certainly not a betrayal,” Hegseth said after meeting with U.S. allies." in texts
