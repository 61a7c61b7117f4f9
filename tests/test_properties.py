"""Properties of every text stage, on news-shaped and on arbitrary text (hypothesis; issue 16 item 6).

Each check states what a stage guarantees for any input: words are the text's letters and digits in
order; cleaning loses no word it does not list as dropped, and reads CRLF, CR and LF alike; a dateline
is the start of its paragraph; quote spans lie inside their marks; sentences cover their paragraph in
order; quotes are slices of their paragraph; the summary is some of the sentences in reading order;
entity names occur in the text; the analysis ends without an internal error and is the same for the
same text (and for its CRLF copy).

One test draws a text (news-like, arbitrary Unicode, or news with arbitrary characters spliced in) and
runs every check on it: drawing a news-like text costs more than all the checks, so each example
serves every stage. Examples come from the hypothesis profile: "dev" (30) by default, "ci" (2,000,
so 2,000 per stage) under --run-slow, "thorough" (50,000) with `--hypothesis-profile=thorough` or
`benchmarks/properties_bench.py`. A failure prints the shrunk text; paste it into a case file.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from briefgen.analysis.entities import find_entities
from briefgen.analysis.quotes import find_quotes
from briefgen.analysis.summary import summarize, summary_length
from briefgen.errors import SourceError
from briefgen.lang import lexicon
from briefgen.model import Briefing, Segmented
from briefgen.pipeline.analyse import analyse_text
from briefgen.text.boilerplate import drop_reason
from briefgen.text.clean import clean_text
from briefgen.text.dateline import dateline_length, split_dateline
from briefgen.text.quotemarks import find_spans, protected_regions
from briefgen.text.segment import segment
from briefgen.text.sentences import split_sentences
from briefgen.text.tokens import lower_words, words
from tests.newstext import any_text, sentence

LEX = lexicon()
DOUBLE_MARKS = frozenset('"“”„«»')
_NEWLINES = re.compile(r"\r\n|\r|\n")


def alnum(text: str) -> str:
    """The letters and digits of a text, in order: what no cleaning may lose or invent."""
    return "".join(c for c in text if c.isalnum())


def paragraphs_of(text: str) -> list[str]:
    return [p.text for p in clean_text(text, infer_title=False).paragraphs]


# --- tokens ------------------------------------------------------------------------------------------


def check_words(text: str) -> None:
    found = words(text)
    at = 0
    for word in found:  # each word is a piece of the text, after the one before
        at = text.index(word, at) + len(word)
    assert alnum("".join(found)) == alnum(text)
    assert len(lower_words(found)) == len(found)


# --- cleaning ----------------------------------------------------------------------------------------


def check_cleaning(text: str) -> None:
    """No word lost that is not listed as dropped, as it was written."""
    cleaned = clean_text(text)
    lines = _NEWLINES.split(text.removeprefix("\ufeff"))
    dropped = {d.line: d for d in cleaned.dropped}
    assert len(dropped) == len(cleaned.dropped), "a line dropped twice"
    for number, line in dropped.items():
        assert 1 <= number <= len(lines)
        assert alnum(line.text) == alnum(lines[number - 1]), "a dropped line is listed as it was written"
        assert line.reason
    kept = "".join(alnum(line) for n, line in enumerate(lines, 1) if n not in dropped)
    title = alnum(cleaned.title or "")
    dateline = alnum(cleaned.dateline.text) if cleaned.dateline else ""
    body = "".join(alnum(p.text) for p in cleaned.paragraphs)
    assert title + dateline + body == kept
    starts = [p.line for p in cleaned.paragraphs]
    assert starts == sorted(starts) and all(1 <= n <= len(lines) for n in starts)
    assert all(p.text and p.text == p.text.strip() and "\n" not in p.text for p in cleaned.paragraphs)


def check_line_endings(text: str) -> None:
    """CRLF, CR and LF are read alike."""
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    assert clean_text(lf.replace("\n", "\r\n")) == clean_text(lf)
    assert clean_text(lf.replace("\n", "\r")) == clean_text(lf)


@given(sentence())
def test_no_news_sentence_is_boilerplate(text: str) -> None:
    assert drop_reason(text) is None


# --- datelines ---------------------------------------------------------------------------------------


def check_dateline(text: str) -> None:
    dateline, rest = split_dateline(text)
    if dateline is None:
        assert rest == text
        return
    assert text.startswith(dateline.text) and text.endswith(rest)
    assert rest and re.fullmatch(r"[\s—–-]*", text[len(dateline.text) : len(text) - len(rest)])
    assert dateline_length(text) == len(text) - len(rest)


# --- quotation marks ---------------------------------------------------------------------------------


def check_quote_spans(text: str) -> None:
    spans = find_spans(text)
    last = -1  # a mark may close one quote and open the next (a quote that lost its closing mark)
    for span in spans:
        assert last <= span.open_at < span.start <= span.end <= len(text)
        assert text[span.open_at] in DOUBLE_MARKS
        assert not text[span.open_at + 1 : span.start].strip()
        if span.close_at is not None:
            assert span.end <= span.close_at < len(text) and text[span.close_at] in DOUBLE_MARKS
            assert not text[span.end : span.close_at].strip()
            last = span.close_at
        else:
            assert not text[span.end :].strip()
            last = len(text)
        assert text[span.start : span.end].strip() == text[span.start : span.end] != ""
    for open_at, close_at in protected_regions(text, spans):
        assert 0 <= open_at < close_at < len(text)


# --- sentences and segmentation ----------------------------------------------------------------------


def check_sentences_cover(segmented: Segmented) -> None:
    """Sentences tile each paragraph in order: nothing between them but space, word-less stretches, and
    (before the first) a wire dateline."""
    by_paragraph: dict[int, list[tuple[int, int]]] = {}
    for s in segmented.sentences:
        paragraph_text = segmented.paragraphs[s.paragraph]
        assert paragraph_text[s.start : s.end] == s.text
        assert s.text and s.text.strip() == s.text
        by_paragraph.setdefault(s.paragraph, []).append((s.start, s.end))
    assert [s.paragraph for s in segmented.sentences] == sorted(s.paragraph for s in segmented.sentences)
    for index, text in enumerate(segmented.paragraphs):
        spans = by_paragraph.get(index, [])
        lead = dateline_length(text)
        edges = [0, *(x for span in spans for x in span), len(text)]
        for k in range(0, len(edges), 2):
            gap_start, gap_end = edges[k], edges[k + 1]
            assert gap_start <= gap_end, "sentences overlap or are out of order"
            gap = text[gap_start:gap_end]
            if k == 0 and lead and gap_end >= lead:
                gap = text[lead:gap_end]
            assert not words(gap), f"words between sentences: {gap!r}"


def check_segmentation(paragraphs: list[str]) -> None:
    segmented = segment(paragraphs)
    check_sentences_cover(segmented)
    assert segmented.sentences == split_sentences(paragraphs), "one splitter"
    assert segmented.sentence_words == tuple(tuple(words(s.text)) for s in segmented.sentences)
    for index, text in enumerate(paragraphs):
        assert segmented.quotes[index] == find_spans(text)
        assert set(segmented.ends[index]) <= set(segmented.ends_at_closing[index])
        assert alnum("".join(segmented.words[index])) == alnum(text)


# --- analysis: quotes, summary, entities -------------------------------------------------------------


def check_quotes(paragraphs: list[str]) -> None:
    spans = {(p, s.start, s.end) for p, found in enumerate(segment(paragraphs).quotes) for s in found}
    for quote in find_quotes(paragraphs, include_scare_quotes=True):
        assert 0 <= quote.start <= quote.end <= len(paragraphs[quote.paragraph])
        assert paragraphs[quote.paragraph][quote.start : quote.end] == quote.text
        assert (quote.paragraph, quote.start, quote.end) in spans
        assert not quote.is_key or quote.speaker is not None
        assert (quote.speaker is None) == (quote.rule is None)


def check_summary(segmented: Segmented, length: int | str) -> None:
    n = len(segmented.sentences)
    limit = summary_length(length, n)
    picked = summarize(segmented.sentences, title=None, limit=limit, sentence_words=segmented.sentence_words)
    assert list(picked) == sorted(set(picked))
    assert all(0 <= i < n for i in picked)
    assert len(picked) == limit <= n
    if isinstance(length, int):
        assert limit == min(length, n)


def check_entities(paragraphs: list[str], title: str | None) -> None:
    entities = find_entities(paragraphs, title=title)
    whole = _name_form("\n".join([title or "", *paragraphs]))
    for entity in entities:  # as written ("BRUSSELS" shown as "Brussels"), or a place's other name ("U.S.")
        written = [entity.name, *(a for a, name in LEX.place_aliases.items() if name == entity.name)]
        assert any(_name_form(form) in whole for form in written), entity
        assert entity.count >= 1
    counts = [e.count for e in entities]
    assert counts == sorted(counts, reverse=True)
    assert len({e.name for e in entities}) == len(entities)


def _name_form(text: str) -> str:
    """Text compared as the name finder shows names today: case-folded, without the periods of
    initials and abbreviations ("George W. Bush" is shown as "George W Bush": see the strict xfail
    below)."""
    return text.replace(".", "").casefold()


@pytest.mark.xfail(strict=True, reason="the name finder drops the period of an initial or abbreviation")
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('"We will win," said George W. Bush.', "George W. Bush"),
        ("He flew to St. Petersburg.", "St. Petersburg"),
    ],
)
def test_names_keep_their_periods(text: str, name: str) -> None:
    assert name in [e.name for e in find_entities([text])]


# --- the whole analysis ------------------------------------------------------------------------------


def analysed(text: str) -> Briefing | str:
    """The build's analysis of a text, or the message of the SourceError that refused it."""
    try:
        return analyse_text(text, summary_sentences=3)
    except SourceError as exc:
        return str(exc)


def check_analysis(text: str) -> None:
    first = analysed(text)
    if isinstance(first, str):
        assert "internal error" not in first, first
        return
    assert analysed(text) == first
    if "\x00" not in text:  # (a share of NUL bytes makes a file binary: CRs change the share)
        lf = text.replace("\r\n", "\n").replace("\r", "\n")
        assert analysed(lf if lf != text else lf.replace("\n", "\r\n")) == first
    analysis = first.analysis
    assert all(0 <= i < len(analysis.sentences) for i in analysis.summary)
    for quote in analysis.quotes:
        assert first.document.paragraphs[quote.paragraph].text[quote.start : quote.end] == quote.text


# --- every stage on one text -------------------------------------------------------------------------

LENGTHS = st.one_of(st.integers(0, 8), st.sampled_from(["20%", "100%", "1%"]))
TITLES = st.sampled_from([None, "Hegseth Says U.S. Is Not Abandoning Ukraine"])


@given(any_text, LENGTHS, TITLES)
@example("Some text about nego-\ntiations and pre-\n2020 plans.", 3, None)
@example("Headline Here\n\nBRUSSELS — It rained.\r\nhttps://x.org/a\n\nAdvertisement\n\nIt stopped.", 3, None)
@example("http://[", 3, None)  # (a bare URL line urlsplit refuses: was an internal error)
def test_every_text_stage_keeps_its_promises(text: str, length: int | str, title: str | None) -> None:
    """Each example goes through every stage: generating a news-like text costs more than checking
    all of them, so one draw serves them all (2,000 examples per stage in CI cost ~2,000 draws)."""
    check_words(text)
    check_cleaning(text)
    check_line_endings(text)
    blocks = text.split("\n\n")  # the text's paragraphs as written, before cleaning
    for block in [text, *blocks[:6]]:
        check_dateline(block)
        check_quote_spans(block)
    check_segmentation(blocks[:4])
    paragraphs = paragraphs_of(text)
    segmented = segment(paragraphs)
    check_sentences_cover(segmented)
    check_quotes(paragraphs)
    check_summary(segmented, length)
    check_entities(paragraphs, title)
    check_analysis(text)
