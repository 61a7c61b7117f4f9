"""Content words of a sentence for the summariser: lower-cased, stop words out, light suffix stemming."""

import re
from typing import cast

_WORD = re.compile(r"[^\W_][^\W_]*(?:'[^\W_]+)*")  # [^\W_]+…, opening with one class: found faster
_ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9]*(?:'[a-z0-9]+)*")  # the same on lower-cased ASCII text

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can cannot could couldn't did didn't do does doesn't doing don't down
    during each even ever every few for from further get gets got had hadn't has hasn't have haven't having
    he he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if
    in into is isn't it it's its itself just let's like made make many may me might more most much must
    mustn't my myself n't new no nor not now of off on once one only or other ought our ours ourselves out
    over own per said same say says see she she'd she'll she's should shouldn't since so some still such
    than that that's the their theirs them themselves then there there's these they they'd they'll they're
    they've this those though through to too two under until up upon us very was wasn't way we we'd we'll
    we're we've were weren't what what's when when's where where's whether which while who who's whom why
    why's will with within without won't would wouldn't yet you you'd you'll you're you've your yours
    yourself yourselves 's lrb rrb lsb rsb mr mrs ms told year years""".split()
)


def content_terms(text: str) -> list[str]:
    """The stemmed content words of `text`, in order (duplicates kept)."""
    return terms_of_words(words_of(text))


def words_of(text: str) -> list[str]:
    """Every word of `text`, lower-cased, curly apostrophes made straight."""
    lowered = text.lower().replace("’", "'")
    return (_ASCII_WORD if lowered.isascii() else _WORD).findall(lowered)


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
    return len(_WORD.findall(text))


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
