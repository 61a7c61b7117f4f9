"""Background IDF: how informative a word is in general English, from a bundled frequency table.

The table (`briefgen/data/zipf_en.tsv.gz`, made by `benchmarks/make_background_idf.py` from wordfreq,
CC BY-SA 4.0) gives each common word's Zipf frequency: log10 of its uses per billion words. A term's
weight is `8 - zipf`, so "the" (7.7) weighs almost nothing and a word the table lacks (a rare name)
weighs the most. It does not depend on the corpus, which keeps similarity scores comparable across
sites of any size and lets one article change without re-weighting all the others.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

MAX_IDF = 6.0  # a word with Zipf frequency <= 2 (once in 100 million words) or absent: most names
MIN_IDF = 1.0


def _zipf_lines() -> list[str]:
    """The table's lines after its header: "<zipf × 10>\t<words separated by spaces>"."""
    raw = resources.files("briefgen").joinpath("data/zipf_en.tsv.gz").read_bytes()
    return gzip.decompress(raw).decode("utf-8").splitlines()[1:]


@cache
def zipf_table() -> dict[str, int]:
    """word -> its Zipf frequency × 10, for the words the table has."""
    table: dict[str, int] = {}
    for line in _zipf_lines():
        zipf10, words = line.split("\t", 1)
        table.update(dict.fromkeys(words.split(), int(zipf10)))
    return table


@cache
def word_idf_table() -> dict[str, float]:
    """word -> weight for the words in the table; any other word weighs MAX_IDF.

    Built a line (one Zipf value) at a time; words that would weigh MAX_IDF anyway are left out.
    """
    table: dict[str, float] = {}
    for line in _zipf_lines():
        zipf10, words = line.split("\t", 1)
        weight = min(MAX_IDF, max(MIN_IDF, 8.0 - int(zipf10) / 10))
        if weight < MAX_IDF:
            table.update(dict.fromkeys(words.split(), weight))
    return table


def word_idf(word: str) -> float:
    """Weight of one lower-case word: 8 - Zipf frequency, clamped to [MIN_IDF, MAX_IDF]."""
    return word_idf_table().get(word, MAX_IDF)


def term_idf(term: str) -> float:
    """Weight of a term: a word's `word_idf`, a two-word term's the mean of its words'."""
    table = word_idf_table()
    if " " not in term:
        return table.get(term, MAX_IDF)
    first, _, second = term.partition(" ")
    return (table.get(first, MAX_IDF) + table.get(second, MAX_IDF)) / 2
