"""Stories: grouping is independent of input order, keys are stable, and the incremental index equals
a recomputation from scratch (property tests with hypothesis); the same-story model's pieces."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.corpus.stories import StoryIndex, group_stories
from briefgen.corpus.story_features import pack_terms, term_hash
from briefgen.model import StoryFeatures

TOPICS = [
    ["harbour", "strike", "dockers", "velsand", "grain"],
    ["flood", "marden", "haldwick", "barrier", "ashgrove"],
    ["council", "vote", "tramline", "budget", "calderwick"],
    ["storm", "gale", "coast", "ferry", "kessling"],
]
FILLER = ["report", "officials", "residents", "morning", "minister", "plan", "talks", "week"]
BASE = dt.date(2025, 3, 1)


PEOPLE = ["ada okafor", "ben hollis", "cara lind", "dev mehta"]


def features(item_id: str, topic: int, extra: Sequence[int], day: int | None, weight: int) -> StoryFeatures:
    """Features made directly (no text): some of the topic's words, some filler, a person, a date.

    The mix gives same-story probabilities all over [0, 1], so that average linkage both merges and
    refuses, and the date window both allows and forbids pairs; figures agree in part or in full."""
    words = {
        w: 20000 + (weight * 7919 + i * 104729) % 30000 for i, w in enumerate(TOPICS[topic][: 2 + weight % 4])
    }
    for i in extra:
        words[FILLER[i % len(FILLER)]] = 15000 + 4000 * i
    if weight % 2:
        words[TOPICS[(topic + 1) % len(TOPICS)][0]] = 12000  # a word of another topic
    person = PEOPLE[(topic + weight // 2) % len(PEOPLE)]
    words[person] = 25000
    terms, weights = pack_terms(sorted(words.items()))
    return StoryFeatures(
        id=item_id,
        date=None if day is None else BASE + dt.timedelta(days=day),
        year=None,
        weekdays=0,
        months=0,
        numbers=figures(str(100 + topic), str(200 + 7 * topic + weight % 2)),
        terms=terms,
        weights=weights,
        quotes=b"",
        speakers=b"",
        name_hashes=hashes(person, TOPICS[topic][3]),
        main_names=np.asarray(
            [term_hash(person), term_hash(person.split()[-1]), 1 + weight % 3, term_hash(TOPICS[topic][3])]
            * 1
            + [term_hash(TOPICS[topic][3]), 2],
            dtype="<i8",
        ).tobytes(),
        keywords=(TOPICS[topic][0],),
    )


def figures(*written: str) -> bytes:
    """Figures as story_features packs them (sorted CRC-32s): a topic's own, and one that varies."""
    return np.asarray(sorted({zlib.crc32(w.encode()) for w in written}), dtype="<u4").tobytes()


def hashes(*words: str) -> bytes:
    return np.asarray(sorted({term_hash(w) for w in words}), dtype="<i8").tobytes()


article = st.tuples(
    st.integers(0, len(TOPICS) - 1),
    st.lists(st.integers(0, 7), max_size=4),
    st.one_of(st.none(), st.integers(0, 60)),
    st.integers(0, 5),
)
corpora = st.lists(article, min_size=1, max_size=14)


def corpus(spec: Sequence[tuple[int, list[int], int | None, int]]) -> list[StoryFeatures]:
    return [features(f"a{n:03d}", *entry) for n, entry in enumerate(spec)]


def snapshot(index: StoryIndex) -> tuple[object, ...]:
    return (index.stories(), index.related_all(k=3))


@settings(max_examples=100, deadline=None)
@given(corpora, st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_input_order(spec, rng) -> None:
    items = corpus(spec)
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert snapshot(StoryIndex.build(items)) == snapshot(StoryIndex.build(shuffled))


@settings(max_examples=100, deadline=None)
@given(corpora, article)
def test_a_later_article_never_changes_an_existing_story_key(spec, new) -> None:
    items = corpus(spec)
    latest = max((f.date for f in items if f.date is not None), default=BASE)
    topic, extra, _, weight = new
    later = features("zz", topic, extra, (latest - BASE).days + 1 + (weight % 3), weight)
    before = StoryIndex.build(items).story_keys()
    after = StoryIndex.build([*items, later]).story_keys()
    assert all(after[item_id] == key for item_id, key in before.items())


@settings(max_examples=100, deadline=None)
@given(corpora, st.lists(st.tuples(st.integers(0, 13), article, st.booleans()), max_size=10))
def test_incremental_updates_equal_recomputing_from_scratch(spec, edits) -> None:
    items = {f.id: f for f in corpus(spec)}
    index = StoryIndex.build(items.values())
    for slot, entry, is_removal in edits:
        item_id = f"a{slot:03d}"
        before = {s.key: s.members for s in StoryIndex.build(items.values()).stories()}
        if is_removal:
            items.pop(item_id, None)
            change = index.remove(item_id)
        else:
            items[item_id] = features(item_id, *entry)
            change = index.upsert(items[item_id])
        full = StoryIndex.build(items.values())
        assert snapshot(index) == snapshot(full)
        after = {s.key: s.members for s in full.stories()}
        expected = {k for k, m in after.items() if before.get(k) != m}
        if not is_removal:
            expected.add(full.story_of(item_id))  # its report is new or different
        assert change.changed == expected
        assert change.removed == set(before) - set(after)


def test_the_index_survives_pickling() -> None:
    items = corpus([(0, [1], 3, 1), (0, [2], 4, 2), (1, [], 5, 0)])
    index = StoryIndex.build(items)
    again = pickle.loads(pickle.dumps(index))
    assert snapshot(again) == snapshot(index)
    assert again.upsert(features("new", 1, [3], 6, 1)) == index.upsert(features("new", 1, [3], 6, 1))


def test_an_article_about_nothing_else_is_its_own_story_without_links() -> None:
    items = corpus([(0, [1], 3, 1), (0, [2], 4, 2), (1, [], 5, 0)])
    index = StoryIndex.build(items)
    assert [s.members for s in group_stories(items)] == [("a000", "a001"), ("a002",)]
    assert index.related("a002", k=3) == ()
    assert [link.target for link in index.related("a000", k=3)] == ["a001"]


@settings(max_examples=50, deadline=None)
@given(corpora)
def test_candidates_are_every_paired_article_most_probable_first(spec) -> None:
    index = StoryIndex.build(corpus(spec))
    for story in index.stories():
        for item_id in story.members:
            found = index.candidates(item_id)
            assert [p for _, p in found] == sorted((p for _, p in found), reverse=True)
            assert all(p == index.probability(item_id, other) > 0 for other, p in found)
            assert {other for other, _ in found} == {
                f.id for f in corpus(spec) if f.id != item_id and index.probability(item_id, f.id) > 0
            }


def test_evidence_from_figures_dates_and_years() -> None:
    """Figures: the share in common and the larger share unshared; years count only when one is undated."""
    from briefgen.corpus.same_story import PairBlock

    a = dataclasses.replace(features("a", 0, [], 1, 0), numbers=figures("35", "4.4", "900"), year=2025)
    b = dataclasses.replace(features("b", 0, [], 2, 0), numbers=figures("35", "4.6"), year=2024)
    c = dataclasses.replace(features("c", 0, [], None, 0), numbers=b"", year=2024)
    rows, cols = np.array([0, 0, 1], dtype=np.int64), np.array([1, 2, 2], dtype=np.int64)
    block = PairBlock((a, b), (a, b, c), rows, cols)
    ab, ac, bc = (block.evidence(i, 0.5) for i in range(3))
    assert (ab.figures, ab.figures_jaccard, ab.figures_unshared) == (1.0, 0.25, 2 / 3)
    assert (ac.figures, ac.figures_jaccard, ac.figures_unshared) == (0.0, 0.0, 0.0)  # c gives none
    assert ab.year == 0.0  # both dated: the date window decided, whatever years they carry
    assert (ac.year, bc.year) == (-1.0, 1.0)


# --- the repository's own sample site ------------------------------------------------------------

CONTENT = Path(__file__).resolve().parent.parent / "content"
SAMPLE_STORIES = {
    "2025-02-12-putin-trump-first-call": {
        "2025-02-12-putin-trump-first-call",
        "2025-02-13-Hegseth-Says-US-Is-Not-Abandoning-Ukraine",
        "2025-02-13-kyiv-reacts-trump-putin-call",
        "2025-02-13-nato-ministers-spending-pressure",
        "2025-02-14-munich-security-conference-opens",
    },
    "2025-03-04-calderwick-council-approves-high-speed-line": {
        "2025-03-04-calderwick-council-approves-high-speed-line",
        "2025-03-11-calderwick-rail-funding-dispute",
    },
    "2025-01-14-hesper-leaves-thousands-without-power": {  # three outlets
        "2025-01-14-hesper-leaves-thousands-without-power",
        "2025-01-14-storm-hesper-batters-portharrow",
        "2025-01-15-portharrow-clean-up-after-hesper",
    },
    "2025-01-27-storm-ilsa-floods-bramwell": {  # another storm two weeks later: another story
        "2025-01-27-storm-ilsa-floods-bramwell",
        "2025-01-28-bramwell-flood-barrier-questioned",
    },
}


def sample_features() -> list[StoryFeatures]:
    """The sample site's articles through the build's per-article stages."""
    from briefgen.config import SummaryConfig
    from briefgen.corpus.story_features import features_of_briefing
    from briefgen.pipeline.analyse import analyse_document
    from briefgen.slugs import slug_for
    from briefgen.sources import discover_sources, read_source
    from briefgen.sources.document import make_document

    found = []
    for path in discover_sources(CONTENT):
        source, _ = read_source(path, CONTENT.parent)
        document, _ = make_document(source)
        briefing = analyse_document(document, SummaryConfig().sentences)
        assert briefing.slug == slug_for(document.rel_path)
        found.append(features_of_briefing(dataclasses.replace(briefing, slug=path.stem)))
    return found


def test_sample_site_stories_and_links() -> None:
    index = StoryIndex.build(sample_features())
    multi = {s.key: set(s.members) for s in index.stories() if len(s.members) > 1}
    assert multi == SAMPLE_STORIES
    in_story = {stem: key for key, stems in SAMPLE_STORIES.items() for stem in stems}
    for item_id, links in index.related_all(k=3).items():
        if item_id in in_story:
            mates = SAMPLE_STORIES[in_story[item_id]] - {item_id}
            assert {link.target for link in links} <= mates
            assert len(links) == min(3, len(mates))
        else:
            assert links == (), (
                f"{item_id} is a story of its own but links to {[link.target for link in links]}"
            )


def test_the_join_runs_its_chunks_through_any_ordered_map() -> None:
    """Chunks are self-contained and picklable: the executor's process pool gives the same index as `map`."""
    from briefgen.corpus.story_join import plan_chunks
    from briefgen.executor import ProcessExecutor

    spec = [(n % 4, [n % 8, (n * 3) % 8], None if n % 5 == 0 else n % 40, n % 6) for n in range(700)]
    items = corpus(spec)
    ordered = sorted(items, key=lambda f: (f.date or dt.date.min, f.id))
    chunks = list(plan_chunks(ordered))
    assert len(chunks) > 1
    for chunk in chunks:
        pickle.loads(pickle.dumps(chunk))
    executor = ProcessExecutor(2)
    pooled = StoryIndex.build(items, map=executor.map)
    executor.close()
    assert snapshot(pooled) == snapshot(StoryIndex.build(items))


def test_a_chunk_the_executor_could_not_do_fails_the_join() -> None:
    """A chunk that raises on the worker comes back from the executor as `Failed`: the join stops."""
    from briefgen.executor import ProcessExecutor

    items = corpus([(n % 4, [n % 8], n % 40, n % 6) for n in range(700)])
    broken = dataclasses.replace(items[-1], weights=items[-1].weights[:-2])  # one weight short
    executor = ProcessExecutor(2)
    with pytest.raises(RuntimeError, match="a chunk of the story join failed"):
        StoryIndex.build([*items[:-1], broken], map=executor.map)
    executor.close()
