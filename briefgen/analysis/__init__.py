"""Stage 3: per-article analysis, pure functions of (paragraphs, title, settings).

`analyse_body` is the one entry point the build and the JSON-lines commands share.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.analysis.entities import find_entities
from briefgen.analysis.key_quotes import rank_key_quotes
from briefgen.analysis.keywords import extract_keywords
from briefgen.analysis.quotes import find_quotes
from briefgen.analysis.summary import summarize, summary_length
from briefgen.corpus.terms import TermCounts
from briefgen.model import Analysis, Quote
from briefgen.text.clean import clean_text
from briefgen.text.sentences import split_sentences


def analyse_body(
    paragraphs: Sequence[str],
    *,
    title: str | None,
    summary_spec: int | str = 3,
    terms: TermCounts | None = None,
    dateline: str | None = None,
) -> Analysis:
    """`terms`: `keyword_terms(paragraphs, title)` when the caller needs them too (related linking);
    `dateline`: the place the article was filed from, if it names one."""
    sentences = split_sentences(paragraphs)
    limit = summary_length(summary_spec, len(sentences))
    quotes = find_quotes(paragraphs, title=title)
    return Analysis(
        sentences=sentences,
        summary=summarize(sentences, title=title, limit=limit),
        quotes=quotes,
        key_quotes=rank_key_quotes(quotes, paragraphs, title=title),
        entities=find_entities(paragraphs, title=title, dateline=dateline),
        keywords=extract_keywords(paragraphs, title=title, terms=terms),
    )


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.text for p in clean_text(text, infer_title=False).paragraphs)


def summarize_text(text: str, *, title: str | None = None, length: int | str = 3) -> tuple[str, ...]:
    """The summary sentences of raw article text, as the build would pick them."""
    sentences = split_sentences(_paragraphs(text))
    picked = summarize(sentences, title=title, limit=summary_length(length, len(sentences)))
    return tuple(sentences[i].text for i in picked)


def quotes_of_text(text: str, *, title: str | None = None) -> tuple[Quote, ...]:
    """The quotes of raw article text, as the build would find them."""
    return find_quotes(_paragraphs(text), title=title)
