"""One segmentation per article: quotations, sentences, sentence ends and words, made once and shared.

Every analyser reads the same `Segmented` value, so the summary, the quotes and their speakers, the
keywords and the related-link terms agree on where sentences end and what the words are. For each
paragraph, in one pass:

1. quotation marks (`text.quotemarks`): the quotations, and the stretches a sentence may not be cut in;
2. sentence ends (`text.sentences`): each with whether its final mark stands inside a quotation (at
   the quotation's own closing marks: "… arbitrary.” Jones warned …"), which attribution counts as
   no sentence end;
3. sentences: the stretches between the ends, a wire dateline left out;
4. words (`text.tokens`): of each sentence, and of the paragraph (the sentences' words with the words
   between them, such as a dateline's).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from briefgen.model import QuoteSpan, Segmented, Sentence
from briefgen.text.quotemarks import find_spans, protected_regions
from briefgen.text.sentences import sentence_cuts, spans_between
from briefgen.text.tokens import words


def segment(paragraphs: Sequence[str], *, title: str | None = None, dateline: str | None = None) -> Segmented:
    """Cut an article's paragraphs once for every analyser; `dateline`: the place the document's
    dateline names (`text.dateline`), carried along for the entities."""
    sentences: list[Sentence] = []
    sentence_words: list[tuple[str, ...]] = []
    quotes: list[tuple[QuoteSpan, ...]] = []
    ends: list[tuple[int, ...]] = []
    ends_at_closing: list[tuple[int, ...]] = []
    paragraph_words: list[tuple[str, ...]] = []
    for index, paragraph in enumerate(paragraphs):
        spans = find_spans(paragraph)
        cuts = sentence_cuts(paragraph, protected_regions(paragraph, spans))
        quotes.append(spans)
        ends_at_closing.append(tuple(end for _, end in cuts))
        ends.append(_ends_outside(spans, cuts, len(paragraph)))
        found: list[str] = []
        last = 0
        for start, end in spans_between(paragraph, ends_at_closing[-1]):
            text = paragraph[start:end]
            own = tuple(words(text))
            sentences.append(Sentence(text=text, paragraph=index, start=start, end=end))
            sentence_words.append(own)
            if start > last:
                found += _gap_words(paragraph, last, start)
            found += own
            last = end
        if last < len(paragraph):
            found += _gap_words(paragraph, last, len(paragraph))
        paragraph_words.append(tuple(found))
    return Segmented(
        paragraphs=tuple(paragraphs),
        title=title,
        sentences=tuple(sentences),
        sentence_words=tuple(sentence_words),
        quotes=tuple(quotes),
        ends=tuple(ends),
        ends_at_closing=tuple(ends_at_closing),
        words=tuple(paragraph_words),
        dateline=dateline,
    )


def _ends_outside(
    spans: Sequence[QuoteSpan], cuts: Sequence[tuple[int, int]], length: int
) -> tuple[int, ...]:
    """The sentence ends whose final mark is outside every quotation."""
    opens = [s.open_at for s in spans]  # spans are in order and never overlap
    out: list[int] = []
    for at, end in cuts:
        k = bisect_left(opens, at) - 1  # the one quotation that can hold `at`: the last opened before it
        close = spans[k].close_at if k >= 0 else None
        if k < 0 or at >= (close if close is not None else length):
            out.append(end)
    return tuple(out)


def _gap_words(paragraph: str, start: int, end: int) -> list[str]:
    """Words between sentences (a dateline, a word-less stretch): usually there are none."""
    gap = paragraph[start:end]
    return words(gap) if not gap.isspace() else []
