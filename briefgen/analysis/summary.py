"""Extractive summaries: one position-aware, length-aware centrality scorer, then a stable top-N pick."""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.analysis.summary_terms import content_terms, word_count
from briefgen.model import Sentence


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryWeights:
    """The scorer's knobs; one set of defaults for every kind of text."""

    term_power: float = 1.0  # weight of a term = (sentences sharing it) ** term_power
    length_norm: float = 0.5  # centrality divided by (content words) ** length_norm
    position_decay: float = 1.0  # prior = 1 / (1 + position / position_scale) ** position_decay
    position_scale: float = 1.0
    title_weight: float = 0.5  # bonus for each shared title term, relative to the best centrality
    redundancy: float = 0.5  # penalty for overlap with sentences already picked
    min_words: int = 6
    forward: float = 1.0  # weight of similarity to later sentences
    backward: float = 0.0  # weight of similarity to earlier sentences
    lead_bonus: float = 0.0
    paragraph_decay: float = 0.0
    quote_penalty: float = 0.0  # share of the score a sentence with a quotation loses
    long_words: int = 1000  # sentences longer than this lose score in proportion


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
    terms = [set(content_terms(s.text)) for s in sentences]
    eligible = [_is_whole_sentence(s.text, weights.min_words) for s in sentences]
    if sum(eligible) < limit:
        eligible = [True] * len(sentences)
    scores = _scores(
        terms, eligible, title, weights, [s.paragraph for s in sentences], [s.text for s in sentences]
    )
    return _pick(scores, terms, eligible, limit, weights.redundancy)


def _scores(
    terms: Sequence[set[str]],
    eligible: Sequence[bool],
    title: str | None,
    weights: SummaryWeights,
    paragraphs: Sequence[int] = (),
    texts: Sequence[str] = (),
) -> list[float]:
    quoted = [bool(_QUOTATION.search(t)) for t in texts] or [False] * len(terms)
    words = [word_count(t) for t in texts] or [1] * len(terms)
    df: Counter[str] = Counter()
    for bag in terms:
        df.update(bag)
    n = len(terms)
    idf = {t: math.log(1 + n / c) ** weights.term_power for t, c in df.items()}
    norms = [max(len(bag), 1) ** weights.length_norm for bag in terms]
    central = [0.0] * n
    for i in range(n):
        bag_i = terms[i]
        if not bag_i:
            continue
        for j in range(i + 1, n):
            shared = bag_i & terms[j]
            if not shared:
                continue
            sim = sum(idf[t] for t in shared) / (norms[i] * norms[j])
            central[i] += weights.forward * sim  # a sentence the rest of the text develops
            central[j] += weights.backward * sim  # a sentence that repeats what came before
    low, high = min(central), max(central)
    span = (high - low) or 1.0
    title_terms = set(content_terms(title)) if title else set()
    scores: list[float] = []
    rank = 0
    in_para = 0
    last_para = -1
    para_rank = -1
    for i, (bag, value, ok) in enumerate(zip(terms, central, eligible, strict=True)):
        if not ok:
            scores.append(-1.0)
            continue
        para = paragraphs[i] if paragraphs else 0
        if para != last_para:
            last_para, in_para, para_rank = para, 0, para_rank + 1
        prior = 1.0 / (1.0 + in_para / weights.position_scale) ** weights.position_decay
        prior /= (1.0 + para_rank) ** weights.paragraph_decay
        in_para += 1
        bonus = weights.title_weight * len(bag & title_terms) / max(len(title_terms), 1)
        bonus += weights.lead_bonus if rank == 0 else 0.0
        rank += 1
        factor = 1.0 - weights.quote_penalty if quoted[i] else 1.0
        factor *= min(1.0, weights.long_words / max(words[i], 1))
        scores.append(((value - low) / span + bonus) * prior * factor)
    return scores


def _pick(
    scores: Sequence[float], terms: Sequence[set[str]], eligible: Sequence[bool], limit: int, redundancy: float
) -> tuple[int, ...]:
    chosen: list[int] = []
    candidates = [i for i in range(len(scores)) if eligible[i]]
    while len(chosen) < limit and candidates:
        best, best_value = -1, -math.inf
        for i in candidates:
            overlap = max((_overlap(terms[i], terms[j]) for j in chosen), default=0.0)
            value = scores[i] - redundancy * overlap * max(scores[i], 0.0)
            if value > best_value:
                best, best_value = i, value
        chosen.append(best)
        candidates.remove(best)
    return tuple(sorted(chosen))


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _is_whole_sentence(text: str, min_words: int) -> bool:
    """Not a fragment, heading, link or cut quotation: what a summary may show."""
    if word_count(text) < min_words or _URL.search(text):
        return False
    if not _ENDS_SENTENCE.search(text):
        return False
    return _balanced(text)


def _balanced(text: str) -> bool:
    opening = text.count("“") + text.count("``")
    closing = text.count("”") + text.count("''")
    return opening == closing and text.count('"') % 2 == 0
