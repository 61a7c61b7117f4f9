"""What a story page says beyond its list of reports: pure functions of the story's briefings.

Reports of one story repeat each other: agencies' copy is rewritten by outlets, quotes travel whole.
Every function here treats two sentences (or quotes) as the same when most of the content words of
the shorter one are in the other (`same_text`), so the page says each thing once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from briefgen.analysis.summary_terms import content_terms
from briefgen.corpus.story_features import normalise_name
from briefgen.model import Briefing, Entity, EntityKind, StoryContent, StoryQuote, StorySentence, StorySpeaker

SAME_TEXT = 0.7  # share of the shorter text's content words found in the other: the same sentence
SUMMARY_SENTENCES = 5  # most sentences in a story summary
CARD_SENTENCES = 2  # of which a story card shows the first ones (a Record keeps as many of its own)
NEW_SENTENCES = 3  # most sentences under "what's new"
ENTITIES_SHOWN = 8  # per kind


def _terms(text: str) -> frozenset[str]:
    return frozenset(content_terms(text))


def same_text(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two texts' content-word sets say the same thing (one nearly contained in the other)."""
    if not a or not b:
        return a == b
    return len(a & b) >= SAME_TEXT * min(len(a), len(b))


class _Seen:
    """Content-word sets already said, looked up through their words (not compared with all of them)."""

    def __init__(self) -> None:
        self._sets: list[frozenset[str]] = []
        self._by_word: dict[str, list[int]] = {}

    def add(self, terms: frozenset[str]) -> None:
        for word in terms:
            self._by_word.setdefault(word, []).append(len(self._sets))
        self._sets.append(terms)

    def has(self, terms: frozenset[str]) -> bool:
        if not terms:
            return frozenset() in self._sets
        near = {i for word in terms for i in self._by_word.get(word, ())}
        return any(same_text(terms, self._sets[i]) for i in near)


def in_story_order(briefings: Iterable[Briefing]) -> list[Briefing]:
    """Reports by date, then slug: the order a story's timeline shows them."""
    return sorted(briefings, key=lambda b: (b.document.meta.date, b.slug))


def story_headline(briefings: Sequence[Briefing]) -> str:
    """The title that shares the most words with the other reports' titles (ties: the earliest report)."""
    return headline_of([(b.document.meta.date, b.slug, b.document.meta.title) for b in briefings])


def headline_of(reports: Sequence[tuple[dt.date, str, str]]) -> str:
    """`story_headline` from the reports' (date, slug, title): the build knows these without the texts."""
    ordered = sorted(reports)
    titles = [_terms(title) for _, _, title in ordered]

    def shared(i: int) -> int:
        return sum(len(titles[i] & other) for j, other in enumerate(titles) if j != i)

    best = max(range(len(ordered)), key=lambda i: (shared(i), -i))
    return ordered[best][2]


def story_summary(
    briefings: Sequence[Briefing], *, limit: int = SUMMARY_SENTENCES
) -> tuple[StorySentence, ...]:
    """Each report's summary sentences in turn (first sentences of every report, then second ones, ...,
    reports in date order), skipping any sentence an earlier pick already says."""
    reports = [
        (b.slug, [(i, b.analysis.sentences[i].text) for i in b.analysis.summary])
        for b in in_story_order(briefings)
    ]
    return pick_summary(reports, limit=limit)


def card_summary(reports: Sequence[Sequence[str]]) -> list[str]:
    """A story card's summary: `story_summary`'s first CARD_SENTENCES sentences, from each report's first
    summary sentences (`Record.lead`, reports in date order), without loading any briefing."""
    picked = pick_summary([("", list(enumerate(lead))) for lead in reports], limit=CARD_SENTENCES)
    return [p.text for p in picked]


def pick_summary(
    reports: Sequence[tuple[str, Sequence[tuple[int, str]]]], *, limit: int
) -> tuple[StorySentence, ...]:
    """Summary sentences of (slug, [(sentence index, text)]) reports in date order, level by level."""
    seen = _Seen()
    picked: list[StorySentence] = []
    depth = max((len(sentences) for _, sentences in reports), default=0)
    for level in range(depth):
        for slug, sentences in reports:
            if level >= len(sentences) or len(picked) == limit:
                continue
            index, text = sentences[level]
            terms = _terms(text)
            if seen.has(terms):
                continue
            seen.add(terms)
            picked.append(StorySentence(text=text, source=slug, sentence=index))
    return tuple(picked)


def whats_new(briefings: Sequence[Briefing], *, limit: int = NEW_SENTENCES) -> tuple[StorySentence, ...]:
    """Sentences of the latest report that no earlier report carries, its summary sentences first, shown
    in reading order; nothing for a story of one report."""
    ordered = in_story_order(briefings)
    if len(ordered) < 2:
        return ()
    latest = ordered[-1]
    seen = _Seen()
    for earlier in ordered[:-1]:
        for sentence in earlier.analysis.sentences:
            seen.add(_terms(sentence.text))
    sentences = latest.analysis.sentences
    summary = set(latest.analysis.summary)
    fresh = [i for i, s in enumerate(sentences) if _terms(s.text) and not seen.has(_terms(s.text))]
    chosen = sorted(sorted(fresh, key=lambda i: (i not in summary, i))[:limit])
    return tuple(StorySentence(text=sentences[i].text, source=latest.slug, sentence=i) for i in chosen)


def story_speakers(briefings: Sequence[Briefing]) -> tuple[StorySpeaker, ...]:
    """Key quotes grouped by speaker, each quote once however many reports carry it (the first report's
    wording); speakers with the most distinct quotes first, then by first appearance."""
    quotes: dict[str, list[tuple[frozenset[str], str, list[str]]]] = {}  # speaker -> (terms, text, sources)
    shown: dict[str, str] = {}
    for briefing in in_story_order(briefings):
        # whole statements (a quotation split by its attribution joined), in reading order
        for quote in sorted(briefing.analysis.key_quotes, key=lambda k: (k.paragraph, k.start)):
            speaker = normalise_name(quote.speaker)
            shown.setdefault(speaker, quote.speaker)
            terms = _terms(quote.text)
            said = quotes.setdefault(speaker, [])
            for known_terms, _, sources in said:
                if same_text(terms, known_terms):
                    if briefing.slug not in sources:
                        sources.append(briefing.slug)
                    break
            else:
                said.append((terms, quote.text, [briefing.slug]))
    order = sorted(quotes, key=lambda s: -len(quotes[s]))  # stable: first appearance breaks ties
    return tuple(
        StorySpeaker(
            speaker=shown[speaker],
            quotes=tuple(
                StoryQuote(text=text, speaker=shown[speaker], sources=tuple(sources))
                for _, text, sources in quotes[speaker]
            ),
        )
        for speaker in order
    )


def story_entities(briefings: Sequence[Briefing]) -> dict[EntityKind, tuple[Entity, ...]]:
    """People, organisations and places across the reports: mentions summed per name, each name under
    the kind most of its mentions have, most mentioned first (ties: first named first)."""
    counts: dict[str, int] = {}
    kinds: dict[str, dict[EntityKind, int]] = {}
    shown: dict[str, str] = {}
    for briefing in in_story_order(briefings):
        for entity in briefing.analysis.entities:
            name = normalise_name(entity.name)
            shown.setdefault(name, entity.name)
            counts[name] = counts.get(name, 0) + entity.count
            by_kind = kinds.setdefault(name, {})
            by_kind[entity.kind] = by_kind.get(entity.kind, 0) + entity.count
    merged: dict[EntityKind, list[Entity]] = {"person": [], "organisation": [], "place": []}
    for name in sorted(counts, key=lambda n: -counts[n]):  # stable: first named first among equals
        kind = max(kinds[name].items(), key=lambda item: item[1])[0]
        merged[kind].append(Entity(name=shown[name], kind=kind, count=counts[name]))
    return {kind: tuple(found[:ENTITIES_SHOWN]) for kind, found in merged.items()}


def story_content(briefings: Sequence[Briefing]) -> StoryContent:
    """Everything a story page shows about its reports (`briefings`: the story's members, any order)."""
    if not briefings:
        raise ValueError("a story has at least one report")
    entities = story_entities(briefings)
    return StoryContent(
        headline=story_headline(briefings),
        summary=story_summary(briefings),
        speakers=story_speakers(briefings),
        people=entities["person"],
        organisations=entities["organisation"],
        places=entities["place"],
        whats_new=whats_new(briefings),
    )
