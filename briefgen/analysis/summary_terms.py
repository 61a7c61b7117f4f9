"""Content words of a sentence for the summariser: lower-cased, stop words out, light suffix stemming."""

from typing import cast

from briefgen.lang import lexicon
from briefgen.text.tokens import lower_words, words

STOP_WORDS = lexicon().stop_words  # function words only: filler words ("said", "year") help centrality


def content_terms(text: str) -> list[str]:
    """The stemmed content words of `text`, in order (duplicates kept)."""
    return terms_of_words(words_of(text))


def words_of(text: str) -> list[str]:
    """Every word of `text` (the one tokeniser), lower-cased, curly apostrophes made straight."""
    return lower_words(words(text))


def terms_of_words(words: list[str]) -> list[str]:
    return [term for term in _terms_or_blanks(words) if term]


def term_set(words: list[str]) -> frozenset[str]:
    """`frozenset(terms_of_words(words))`, built the same way (same insertion order) with less work."""
    return frozenset(filter(None, _terms_or_blanks(words)))


def _terms_or_blanks(words: list[str]) -> list[str]:
    """Each word's term, "" for a stop word."""
    cache = _TERMS
    found: list[str | None] = list(map(cache.get, words))
    if None in found:  # words not met before: stem them and remember
        for i, term in enumerate(found):
            if term is None:
                word = words[i]
                term = "" if word in STOP_WORDS or len(word) < 2 else stem(word)
                if len(cache) < 200_000:
                    cache[word] = term
                found[i] = term
    return cast(list[str], found)  # no None is left


_TERMS: dict[str, str] = {}  # word -> stem, "" for a stop word: most words repeat across articles


def word_count(text: str) -> int:
    return len(words(text))


def stem(word: str) -> str:
    """A crude, fast suffix stripper: enough to match "talks"/"talked"/"talking" with each other."""
    if word.endswith("'s"):
        word = word[:-2]
    n = len(word)
    if n > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if n > 5 and word.endswith("ing"):
        return word[:-3]
    if n > 4 and word.endswith("ed"):
        return word[:-2]
    if n > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
