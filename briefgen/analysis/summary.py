"""Extractive summaries: one position-aware, length-aware centrality scorer, then a stable top-N pick.

The scorer is PacSum-shaped (Zheng and Lapata 2019): a sentence earns centrality from the later
sentences that share its content words (news states a point, then develops it), weighted by a mild
position prior. Sentences with a quotation and very long sentences score lower, because a summary
states the news in the reporter's voice and ROUGE-style judges punish padding. Fragments, headings,
links and quotations cut in half are never picked while enough whole sentences exist.
"""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.analysis.summary_terms import content_terms, word_count
from briefgen.model import Sentence


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryWeights:
    """The scorer's knobs; one set of defaults for every kind of text (tuned on the dev halves)."""

    forward: float = 1.0  # weight of similarity to later sentences
    backward: float = 0.0  # weight of similarity to earlier sentences (repeats; > 0 favours them)
    length_norm: float = 0.5  # similarity divided by (content words of each side) ** length_norm
    position_decay: float = 0.3  # prior = 1 / (1 + rank among whole sentences) ** position_decay
    quote_penalty: float = 0.3  # share of the score a sentence holding a quotation loses
    long_words: int = 35  # a longer sentence's score is scaled by long_words / its word count
    title_weight: float = 0.5  # bonus for sharing all title terms, relative to the best centrality
    redundancy: float = 0.5  # penalty for overlap with sentences already picked (MMR)
    min_words: int = 6  # shorter sentences are fragments, never picked while others exist


DEFAULT_WEIGHTS = SummaryWeights()

_PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*(?:\s*(?:''|-rrb-|[\"'”’]))*$")
_QUOTATION = re.compile(r"[“\"‘]|``|(?:^|[\s:])'\s")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def summary_length(spec: int | str, n_sentences: int) -> int:
    """Sentences a summary gets: a count (3) or a share of the text ("20%", at least one)."""
    if n_sentences <= 0:
        return 0
    if isinstance(spec, str):
        match = _PERCENT.fullmatch(spec)
        if match:
            share = float(match.group(1)) / 100
            return min(n_sentences, max(1, math.ceil(share * n_sentences - 1e-9)))
        spec = int(spec.strip())
    if spec < 0:
        raise ValueError(f"summary length must not be negative, got {spec!r}")
    return min(spec, n_sentences)


def summarize(
    sentences: Sequence[Sentence],
    *,
    title: str | None,
    limit: int,
    weights: SummaryWeights = DEFAULT_WEIGHTS,
) -> tuple[int, ...]:
    """Indices of the `limit` best sentences, in reading order; ties go to the earlier sentence."""
    if limit <= 0 or not sentences:
        return ()
    if limit >= len(sentences):
        return tuple(range(len(sentences)))
    texts = [s.text for s in sentences]
    terms = [frozenset(content_terms(text)) for text in texts]
    eligible = [is_whole_sentence(text, min_words=weights.min_words) for text in texts]
    if sum(eligible) < limit:
        eligible = [True] * len(sentences)
    scores = score_sentences(texts, terms, eligible, title=title, weights=weights)
    return pick_summary(scores, terms, eligible, limit=limit, redundancy=weights.redundancy)


def score_sentences(
    texts: Sequence[str],
    terms: Sequence[frozenset[str]],
    eligible: Sequence[bool],
    *,
    title: str | None,
    weights: SummaryWeights,
) -> list[float]:
    """One score per sentence, higher is better; ineligible sentences get -1."""
    central = _centrality(terms, weights)
    low, high = min(central), max(central)
    span = (high - low) or 1.0
    title_terms = frozenset(content_terms(title)) if title else frozenset()
    scores: list[float] = []
    rank = 0
    for text, bag, value, ok in zip(texts, terms, central, eligible, strict=True):
        if not ok:
            scores.append(-1.0)
            continue
        prior = 1.0 / (1.0 + rank) ** weights.position_decay
        rank += 1
        bonus = weights.title_weight * len(bag & title_terms) / max(len(title_terms), 1)
        factor = 1.0 - weights.quote_penalty if _QUOTATION.search(text) else 1.0
        factor *= min(1.0, weights.long_words / max(word_count(text), 1))
        scores.append(((value - low) / span + bonus) * prior * factor)
    return scores


def _centrality(terms: Sequence[frozenset[str]], weights: SummaryWeights) -> list[float]:
    """Directed, idf-weighted overlap centrality: forward edges to later sentences, backward to earlier."""
    df: Counter[str] = Counter()
    for bag in terms:
        df.update(bag)
    n = len(terms)
    idf = {term: math.log(1 + n / count) for term, count in df.items()}
    norms = [max(len(bag), 1) ** weights.length_norm for bag in terms]
    central = [0.0] * n
    for i in range(n):
        bag_i = terms[i]
        if not bag_i:
            continue
        for j in range(i + 1, n):
            shared = bag_i & terms[j]
            if shared:
                sim = sum(idf[t] for t in shared) / (norms[i] * norms[j])
                central[i] += weights.forward * sim
                central[j] += weights.backward * sim
    return central


def pick_summary(
    scores: Sequence[float],
    terms: Sequence[frozenset[str]],
    eligible: Sequence[bool],
    *,
    limit: int,
    redundancy: float,
) -> tuple[int, ...]:
    """Greedy MMR pick of `limit` eligible sentences, returned in reading order; ties: earlier wins."""
    chosen: list[int] = []
    candidates = [i for i in range(len(scores)) if eligible[i]]
    while len(chosen) < limit and candidates:
        best, best_value = candidates[0], -math.inf
        for i in candidates:
            overlap = max((_overlap(terms[i], terms[j]) for j in chosen), default=0.0)
            value = scores[i] - redundancy * overlap * max(scores[i], 0.0)
            if value > best_value:
                best, best_value = i, value
        chosen.append(best)
        candidates.remove(best)
    return tuple(sorted(chosen))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def is_whole_sentence(text: str, *, min_words: int = DEFAULT_WEIGHTS.min_words) -> bool:
    """Not a fragment, heading, link or cut quotation: something a summary may show."""
    if word_count(text) < min_words or _URL.search(text):
        return False
    if not _ENDS_SENTENCE.search(text):
        return False
    return _balanced(text)


def _balanced(text: str) -> bool:
    opening = text.count("“") + text.count("``")
    closing = text.count("”") + text.count("''")
    return opening == closing and text.count('"') % 2 == 0 and text.count("‘") <= text.count("’")
