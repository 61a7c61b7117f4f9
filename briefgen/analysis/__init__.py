"""Stage 3: per-article analysis, pure functions of (paragraphs, title, settings).

An article is segmented once (`briefgen.text.segment.segment`) and every analyser reads that
`Segmented` value. `analyse_segmented` is the one entry point; the build (`briefings.analyse_document`)
and the JSON-lines commands (`summarize_text`, `quotes_of_text`) all go through it or its analysers.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.analysis.entities import find_entities
from briefgen.analysis.key_quotes import rank_key_quotes
from briefgen.analysis.keywords import extract_keywords, segmented_terms
from briefgen.analysis.quotes import quotes_of
from briefgen.analysis.summary import summarize, summary_length
from briefgen.model import Analysis, Quote, Segmented
from briefgen.text.clean import clean_text
from briefgen.text.segment import segment
from briefgen.text.terms import TermCounts


def analyse_segmented(
    segmented: Segmented, *, summary_spec: int | str = 3, terms: TermCounts | None = None
) -> Analysis:
    """`terms`: `segmented_terms(segmented)` when the caller needs them too (related linking)."""
    sentences = segmented.sentences
    limit = summary_length(summary_spec, len(sentences))
    quotes = quotes_of(segmented)
    return Analysis(
        sentences=sentences,
        summary=summarize(
            sentences, title=segmented.title, limit=limit, sentence_words=segmented.sentence_words
        ),
        quotes=quotes,
        key_quotes=rank_key_quotes(quotes, segmented),
        entities=find_entities(segmented.paragraphs, title=segmented.title, dateline=segmented.dateline),
        keywords=extract_keywords(
            segmented.paragraphs,
            title=segmented.title,
            terms=terms if terms is not None else segmented_terms(segmented),
        ),
    )


def analyse_body(
    paragraphs: Sequence[str],
    *,
    title: str | None,
    summary_spec: int | str = 3,
    terms: TermCounts | None = None,
    dateline: str | None = None,
) -> Analysis:
    """The analysis of an article's paragraphs (segmented here); `dateline`: the place it was filed from."""
    segmented = segment(paragraphs, title=title, dateline=dateline)
    return analyse_segmented(segmented, summary_spec=summary_spec, terms=terms)


def _segmented_text(text: str, title: str | None) -> Segmented:
    paragraphs = tuple(p.text for p in clean_text(text, infer_title=False).paragraphs)
    return segment(paragraphs, title=title)


def summarize_text(text: str, *, title: str | None = None, length: int | str = 3) -> tuple[str, ...]:
    """The summary sentences of raw article text, as the build would pick them."""
    segmented = _segmented_text(text, title)
    sentences = segmented.sentences
    picked = summarize(
        sentences,
        title=title,
        limit=summary_length(length, len(sentences)),
        sentence_words=segmented.sentence_words,
    )
    return tuple(sentences[i].text for i in picked)


def quotes_of_text(text: str, *, title: str | None = None) -> tuple[Quote, ...]:
    """The quotes of raw article text, as the build would find them."""
    return quotes_of(_segmented_text(text, title))
