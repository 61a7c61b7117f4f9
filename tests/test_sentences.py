"""Sentence splitting: golden cases, the offsets contract, and the seed article."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from briefgen.text.sentences import split_sentences

CASES = Path(__file__).parent / "cases" / "sentences"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_e1ac3629cfe7b588.txt"


def read_case(path: Path) -> tuple[list[str], list[dict[str, object]]]:
    """(paragraphs, expected sentence records) of a golden case; paragraphs are split on blank lines."""
    text = path.read_text(encoding="utf-8")
    _, rest = text.split("\n--- input\n", 1)
    given, expected = rest.split("\n--- expected\n", 1)
    records = [json.loads(line) for line in expected.splitlines() if line.strip()]
    return given.split("\n\n"), records


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_sentence_case(path: Path) -> None:
    paragraphs, expected = read_case(path)
    got = [{"paragraph": s.paragraph, "sentence": s.text} for s in split_sentences(paragraphs)]
    assert got == expected


@pytest.mark.parametrize("path", sorted(CASES.glob("*.txt")), ids=lambda p: p.stem)
def test_offsets_point_into_the_paragraph(path: Path) -> None:
    paragraphs, _ = read_case(path)
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
    text = SEED.read_text(encoding="utf-8")
    return [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


@pytest.mark.skipif(not SEED.is_file(), reason="shared seed article not present")
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
