"""Plain-text cleaning: golden cases (cleaning, datelines, bylines), the seed article, and properties."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from briefgen.model import Byline, CleanText
from briefgen.text.boilerplate import drop_reason, is_timestamp
from briefgen.text.byline import byline_from_line, byline_from_url, outlet_from_domain
from briefgen.text.clean import clean_text, reference_title, split_dateline
from briefgen.text.wrapping import keep_hyphen
from tests.casefiles import Golden, as_jsonl, case_paths, each_case, read_case
from tests.conftest import SEED_ARTICLE


def records(result: CleanText) -> list[dict[str, Any]]:
    """A CleanText as one JSON object per line, in a fixed order: what golden cases compare."""
    out: list[dict[str, Any]] = []
    if result.title is not None:
        out.append({"title": result.title})
    if result.dateline is not None:
        out.append({"dateline": result.dateline.place, "as_written": result.dateline.text})
    if result.byline != Byline():
        out.append({"author": result.byline.author, "source": result.byline.source, "url": result.byline.url})
    out += [{"paragraph": p.text, "line": p.line} for p in result.paragraphs]
    out += [{"reference": r.title, "label": r.label, "line": r.line} for r in result.references]
    out += [{"dropped": d.text, "reason": d.reason, "line": d.line} for d in result.dropped]
    out += [{"page_date": d.date.isoformat(), "label": d.label, "line": d.line} for d in result.page_dates]
    return out


@each_case("cleaning")
def test_cleaning_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)
    golden.check(case, as_jsonl(records(clean_text(case.input))))


@each_case("datelines")
def test_dateline_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)
    dateline, rest = split_dateline(case.input)
    got = None if dateline is None else {"place": dateline.place, "as_written": dateline.text, "rest": rest}
    golden.check(case, as_jsonl([got]))
    if dateline is None:
        assert rest == case.input


@each_case("bylines")
def test_byline_case(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)
    byline = byline_from_url(case.input) or byline_from_line(case.input)
    got = None if byline is None else {"author": byline.author, "source": byline.source, "url": byline.url}
    golden.check(case, as_jsonl([got]))


def test_golden_folders_are_not_empty() -> None:
    for stage in ("cleaning", "datelines", "bylines"):
        assert len(case_paths(stage)) >= 5, stage


# --- the seed article -------------------------------------------------------------------------------


def test_seed_article() -> None:
    raw = SEED_ARTICLE.read_text(encoding="utf-8")
    result = clean_text(raw)
    lines = raw.split("\n")
    assert result.title is None
    assert result.dateline is not None
    assert (result.dateline.place, result.dateline.text) == ("Brussels", "BRUSSELS")
    assert result.byline.author == "Pyotr Kozlov"
    assert result.byline.source == "The Moscow Times"
    assert result.byline.url == "https://www.themoscowtimes.com/author/pyotr-kozlov"
    assert [r.title for r in result.references] == [
        "Putin Tells Trump 'Peaceful Negotiations' on Ukraine War Possible in Leaders' First Call"
    ]
    url_line = next(d for d in result.dropped if d.reason == "bare url")
    assert lines[url_line.line - 1].strip() == url_line.text
    assert {d.reason for d in result.dropped} == {"bare url", "reference"}
    assert 12 <= len(result.paragraphs) <= 15
    assert result.paragraphs[0].text.startswith("U.S. Defense Secretary Pete Hegseth on Thursday")
    for paragraph in result.paragraphs:
        first = lines[paragraph.line - 1].strip().removeprefix("BRUSSELS — ")
        assert paragraph.text.startswith(first), paragraph.line
        assert "  " not in paragraph.text
    assert any("pre-2014 borders" in p.text for p in result.paragraphs)
    assert any("three-year war" in p.text for p in result.paragraphs)
    assert not any("themoscowtimes" in p.text or "Related article" in p.text for p in result.paragraphs)


# --- line handling ------------------------------------------------------------------------------------


def test_crlf_cr_bom_nbsp_and_stray_spaces() -> None:
    raw = "\ufeff \tFirst line of text that goes on\r\nand on.\u00a0\u00a0\r\n\r\nSecond\u00a0paragraph.\r"
    result = clean_text(raw, infer_title=False)
    assert [(p.text, p.line) for p in result.paragraphs] == [
        ("First line of text that goes on and on.", 1),
        ("Second paragraph.", 4),
    ]
    assert clean_text(raw.replace("\r\n", "\r"), infer_title=False).paragraphs == result.paragraphs


def test_first_line_offsets_every_line_number() -> None:
    raw = "Intro text here.\n\nhttps://example.com/page\n\nSee also: Another Story\n\nMore text."
    result = clean_text(raw, first_line=7, infer_title=False)
    assert [p.line for p in result.paragraphs] == [7, 13]
    assert [d.line for d in result.dropped] == [9, 11]
    assert [r.line for r in result.references] == [11]


def test_empty_and_blank_input() -> None:
    for raw in ("", "\n\n", "  \t \r\n"):
        result = clean_text(raw)
        assert result.paragraphs == ()
        assert result.title is None
        assert result.dropped == ()


@pytest.mark.parametrize(
    "line",
    [
        "May 03, 2013",
        "Posted: Jul 07, 2012 7:40 PM ET",
        "12:52 p. m. EDT May 2, 2013",
        "14 June 2013",
        "2013-05-02",
    ],
)
def test_timestamps(line: str) -> None:
    assert is_timestamp(line)
    assert drop_reason(line) == "timestamp"


@pytest.mark.parametrize(
    "line", ["May I go?", "On May 3 at 5 the 2013 season began.", "Sun", "1,200", "at 10:30"]
)
def test_not_timestamps(line: str) -> None:
    assert not is_timestamp(line)
    assert drop_reason(line) is None


# --- references, hyphens, outlets --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Related article: Putin Tells Trump", ("Related article", "Putin Tells Trump")),
        ("Read more: Markets fall", ("Read more", "Markets fall")),
        ("READ MORE: Markets fall", ("READ MORE", "Markets fall")),
        ("See also: The long road", ("See also", "The long road")),
        ("Related: Inside the talks", ("Related", "Inside the talks")),
        ("Related article:", None),
        ("He said related matters were closed.", None),
        ("Read more books: a campaign", None),
    ],
)
def test_reference_title(line: str, expected: tuple[str, str] | None) -> None:
    assert reference_title(line) == expected


@pytest.mark.parametrize(
    ("head", "tail", "keep"),
    [
        ("nego", "tiated", False),
        ("high", "speed", True),
        ("govern", "ment", False),
        ("Kyiv", "based", True),
        ("anti", "American", True),
        ("organ", "ised", False),
    ],
)
def test_keep_hyphen_without_document_evidence(head: str, tail: str, keep: bool) -> None:
    assert keep_hyphen(head, tail, frozenset()) is keep


def test_document_evidence_beats_the_word_list() -> None:
    assert keep_hyphen("co", "operation", frozenset({"co-operation", "co", "operation"})) is True
    assert keep_hyphen("high", "speed", frozenset({"highspeed"})) is False


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("www.themoscowtimes.com", "The Moscow Times"),
        ("www.chicagotribune.com", "Chicago Tribune"),
        ("www.dailymail.co.uk", "Daily Mail"),
        ("www.bbc.co.uk", "BBC News"),
        ("nytimes.com", "The New York Times"),
        ("www.kyivindependent.com", "Kyiv Independent"),
    ],
)
def test_outlet_from_domain(host: str, name: str) -> None:
    assert outlet_from_domain(host) == name


# --- properties ----------------------------------------------------------------------------------------

_PROPERTY_TEXTS = [read_case(p).input for p in case_paths("cleaning")]


def _tokens(text: str) -> Counter[str]:
    """Tokens with hyphens ignored, words broken at a line end taken whole ("nego-\ntiated")."""
    return Counter(re.sub(r"[-\u00ad]", "", re.sub(r"-[ \t]*\r?\n[ \t]*", "", text)).split())


@pytest.mark.parametrize("raw", _PROPERTY_TEXTS, ids=[p.stem for p in case_paths("cleaning")])
def test_no_word_is_lost(raw: str) -> None:
    """Every token of the input is in a paragraph, the title, the dateline or a dropped line.

    Hyphens are ignored in the comparison, since mending "nego-" + "tiated" is the point.
    """
    result = clean_text(raw)
    kept = " ".join(
        [p.text for p in result.paragraphs]
        + [d.text for d in result.dropped]
        + ([result.title] if result.title else [])
        + ([result.dateline.text] if result.dateline else [])
    )
    lost = _tokens(raw) - _tokens(kept)
    assert set(lost) <= {"—", "–", "-"}, lost  # only a dateline's dash may go
    assert sum(lost.values()) <= (1 if result.dateline else 0)


@pytest.mark.parametrize("raw", _PROPERTY_TEXTS, ids=[p.stem for p in case_paths("cleaning")])
def test_cleaning_paragraphs_again_changes_nothing(raw: str) -> None:
    """Idempotence: the cleaned paragraphs, blank-line separated, clean to themselves."""
    once = clean_text(raw, infer_title=False)
    text = "\n\n".join(p.text for p in once.paragraphs)
    twice = clean_text(text, infer_title=False)
    assert [p.text for p in twice.paragraphs] == [p.text for p in once.paragraphs]
    assert twice.dropped == ()


def _paragraph(seed: int, width: int) -> str:
    """A paragraph of made-up words whose last line, wrapped at `width`, is clearly short."""
    words = [
        f"w{seed}x{j}" + ("," if j % 5 == 4 else "." if j % 9 == 8 else "") for j in range(30 + 7 * seed)
    ]
    while len(textwrap.wrap(" ".join(words) + ".", width)[-1]) > width // 2:
        words.pop()
    return " ".join(words) + "."


@pytest.mark.parametrize("width", [40, 50, 72, 90])
@pytest.mark.parametrize("separator", ["\n", "\n\n"])
def test_generated_wrapped_text_rejoins_to_the_original_paragraphs(width: int, separator: str) -> None:
    paragraphs = [_paragraph(i, width) for i in range(6)]
    wrapped = separator.join(textwrap.fill(p, width) for p in paragraphs)
    assert [p.text for p in clean_text(wrapped, infer_title=False).paragraphs] == paragraphs


def test_unwrapped_lines_are_never_joined() -> None:
    """Lines long past any wrap width, even without blank lines, are one paragraph each."""
    lines = [_paragraph(i, 1000) for i in range(6)]
    assert [p.text for p in clean_text("\n".join(lines), infer_title=False).paragraphs] == lines
