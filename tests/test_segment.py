"""One segmentation per article: what it promises every analyser."""

from __future__ import annotations

import random
from itertools import pairwise

from briefgen.analysis import analyse_body, analyse_segmented, quotes_of_text, summarize_text
from briefgen.analysis.quotes import find_quotes
from briefgen.text.segment import segment
from briefgen.text.sentences import split_sentences
from briefgen.text.tokens import words

ARTICLE = [
    "BRUSSELS — U.S. Defense Secretary Pete Hegseth on Thursday rejected claims. He spoke after talks.",
    '"We are not abandoning Ukraine," Hegseth said. "Peace is the goal." The allies listened.',
    "Sen. Jack Reed (D-R.I.), said the plan was a “starting point.” Mr. Reed left early.",
]
_PIECES = [
    '"',
    "“",
    "”",
    "'",
    "’",
    ". ",
    "! ",
    ", ",
    " ",
    "he said",
    "Mr.",
    "U.S.",
    "The",
    "Jane Doe",
    "word",
]


def _random_paragraphs(seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 30))) for _ in range(rng.randint(1, 4))]


def test_sentences_are_the_splitters_and_their_words_the_tokenisers() -> None:
    for seed in range(300):
        paragraphs = _random_paragraphs(seed) if seed else ARTICLE
        segmented = segment(paragraphs, title="T")
        assert segmented.sentences == split_sentences(paragraphs)
        for sentence, found in zip(segmented.sentences, segmented.sentence_words, strict=True):
            assert paragraphs[sentence.paragraph][sentence.start : sentence.end] == sentence.text
            assert list(found) == words(sentence.text)
        assert [list(w) for w in segmented.words] == [words(p) for p in paragraphs]


def test_sentence_ends_and_quotes_lie_inside_their_paragraph_in_order() -> None:
    for seed in range(300):
        paragraphs = _random_paragraphs(seed)
        segmented = segment(paragraphs)
        for text, spans, ends, closing in zip(
            paragraphs, segmented.quotes, segmented.ends, segmented.ends_at_closing, strict=True
        ):
            assert list(ends) == sorted(set(ends)) and set(ends) <= set(closing)
            assert all(0 < end <= len(text) for end in closing)
            for span, following in pairwise(spans):
                assert span.close_at is not None and span.close_at <= following.open_at
            assert all(0 <= s.open_at < s.start <= s.end <= len(text) for s in spans)


def test_a_quote_ending_a_sentence_ends_it_for_attribution_only_at_its_closing_marks() -> None:
    paragraph = '"The budget is tight." Jones warned the council. It voted.'
    segmented = segment([paragraph])
    closing_end = paragraph.index(" Jones")
    assert closing_end not in segmented.ends[0]  # the full stop stands inside the quotation
    assert paragraph.index(" It") in segmented.ends[0]


def test_every_analyser_reads_the_same_segmentation() -> None:
    segmented = segment(ARTICLE, title="Hegseth in Brussels")
    analysis = analyse_segmented(segmented)
    assert analysis == analyse_body(ARTICLE, title="Hegseth in Brussels")
    assert analysis.sentences == segmented.sentences
    assert analysis.quotes == find_quotes(ARTICLE, title="Hegseth in Brussels")
    text = "\n\n".join(ARTICLE)
    assert [q.text for q in quotes_of_text(text)] == [q.text for q in find_quotes(ARTICLE)]
    assert set(summarize_text(text)) <= {s.text for s in segmented.sentences}
