"""Related briefings: golden corpora, order independence, incremental == full, and title matching."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from briefgen.corpus import related
from briefgen.corpus.related import (
    RelatedIndex,
    RelatedItem,
    date_factor,
    link_related,
    match_reference,
    title_key,
)
from briefgen.corpus.similarity import Profile, all_candidates, dot, make_profile, top_candidates
from briefgen.model import RelatedLink
from briefgen.sources.dates import parse_date
from tests.casefiles import CASES as CASE_ROOT
from tests.casefiles import Golden, as_jsonl, each_case, read_case

CASES = CASE_ROOT / "related"


def items_of(jsonl: str) -> list[RelatedItem]:
    out = []
    for line in jsonl.strip().splitlines():
        obj = json.loads(line)
        date = parse_date(obj["date"]) if obj.get("date") else None
        out.append(RelatedItem(id=obj["id"], title=obj["title"], text=obj["text"], date=date))
    return out


def summary(links: dict[str, tuple[RelatedLink, ...]]) -> list[dict[str, Any]]:
    """Links as the golden files write them: target, and direction when dates are known."""
    out = []
    for pid, found in links.items():
        shown = []
        for link in found:
            entry: dict[str, Any] = {"target": link.target}
            if link.direction is not None:
                entry["direction"] = link.direction
            shown.append(entry)
        out.append({"id": pid, "related": shown})
    return out


@each_case("related")
def test_golden_corpus(case_path: Path, golden: Golden) -> None:
    case = read_case(case_path)
    golden.check(case, as_jsonl(summary(link_related(items_of(case.input), k=3))))


@each_case("related")
def test_any_input_order_gives_the_same_links(case_path: Path) -> None:
    items = items_of(read_case(case_path).input)
    first = link_related(items, k=3)
    for seed in range(5):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert link_related(shuffled, k=3) == first


def test_links_are_explained_scored_and_never_self() -> None:
    items = items_of(read_case(CASES / "same_story_and_loner.txt").input)
    links = link_related(items, k=5)
    assert links["bakery"] == ()
    for pid, found in links.items():
        scores = [link.score for link in found]
        assert scores == sorted(scores, reverse=True)
        for link in found:
            assert link.target != pid
            assert 0.0 < link.score <= 1.0
            assert "Haldwick" in link.shared
            assert "River Marden" in link.shared
            assert "Marden" not in link.shared  # the two-word name stands for its words


def test_names_from_the_entity_stage_come_first_in_shared() -> None:
    a = RelatedItem(
        id="a",
        title="Talks in Orvel",
        text="Envoy Mira Santos met rebels in Orvel for ceasefire talks.",
        names=("Mira Santos",),
    )
    b = RelatedItem(
        id="b",
        title="Orvel ceasefire talks stall",
        text="Ceasefire talks in Orvel stalled, Mira Santos said.",
        names=("Mira Santos",),
    )
    (link,) = link_related([a, b], k=3)["a"]
    assert link.shared[0] == "Mira Santos"


def test_k_limits_and_zero_gives_nothing() -> None:
    items = items_of(read_case(CASES / "two_stories_same_kind.txt").input)
    assert all(len(found) <= 1 for found in link_related(items, k=1).values())
    assert all(found == () for found in link_related(items, k=0).values())


def test_empty_and_single_corpus() -> None:
    assert link_related([], k=3) == {}
    assert link_related([RelatedItem(id="x", title="Alone", text="Nothing else here.")]) == {"x": ()}


def test_duplicate_ids_are_an_error() -> None:
    item = RelatedItem(id="x", title="A", text="B")
    with pytest.raises(ValueError, match="'x'"):
        link_related([item, item])


def test_date_factor_prefers_coverage_near_in_time() -> None:
    day = dt.date(2025, 3, 1)
    assert date_factor(day, None) == 1.0
    assert date_factor(day, day + dt.timedelta(days=7)) == 1.0
    month, year = (
        date_factor(day, day + dt.timedelta(days=37)),
        date_factor(day, day - dt.timedelta(days=372)),
    )
    assert 1.0 > month > year > 0.4


# --- synthetic corpora for the properties -------------------------------------------------------

STORY_WORDS = [
    ["Haldwick", "flood", "Marden", "barrier", "evacuated", "Ashgrove"],
    ["Velsand", "dockers", "strike", "grain", "exports", "union"],
    ["Redmoor", "Brevik", "sacked", "manager", "defeats", "caretaker"],
    ["Orvel", "ceasefire", "Santos", "envoy", "rebels", "talks"],
    ["Kessling", "cruise", "terminal", "lighthouse", "tourism", "liners"],
    ["Lunetta", "bakery", "sourdough", "croissant", "pastry", "prize"],
    ["Tarvik", "election", "ballots", "turnout", "coalition", "Marek"],
    ["Quillon", "vaccine", "trial", "patients", "regulator", "dose"],
]
FILLER = [
    "the",
    "council",
    "said",
    "on",
    "the",
    "matter",
    "that",
    "people",
    "were",
    "waiting",
    "for",
    "news",
    "about",
    "it",
]


def random_item(rng: random.Random, item_id: str) -> RelatedItem:
    story = rng.choice(STORY_WORDS)
    words = [rng.choice(story if rng.random() < 0.4 else FILLER) for _ in range(rng.randint(3, 40))]
    if rng.random() < 0.3:  # some articles drift to a second story
        words += rng.sample(rng.choice(STORY_WORDS), 3)
    date = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 400)) if rng.random() < 0.6 else None
    title = " ".join(rng.sample(story, 3)).title()
    return RelatedItem(id=item_id, title=title, text=" ".join(words) + ".", date=date)


@pytest.mark.parametrize("seed", range(6))
def test_incremental_index_equals_full_recompute(seed: int) -> None:
    rng = random.Random(seed)
    index = RelatedIndex(k=3)
    current: dict[str, RelatedItem] = {}
    for step in range(120):
        roll = rng.random()
        if current and roll < 0.2:
            victim = rng.choice(sorted(current))
            index.remove(victim)
            del current[victim]
        elif current and roll < 0.45:
            edited = rng.choice(sorted(current))
            current[edited] = random_item(rng, edited)  # same id, new text
            index.upsert(current[edited])
        else:
            item = random_item(rng, f"n{step:03d}")
            current[item.id] = item
            index.upsert(item)
        if step % 10 == 9 or step > 110:
            assert index.links() == link_related(list(current.values()), k=3), f"step {step}"
    assert len(index) == len(current)


def _edit_steps(
    rng: random.Random, current: dict[str, RelatedItem], steps: int
) -> Iterator[str | RelatedItem]:
    """Random edits, each applied to `current` as it is yielded: an item to upsert, or an id to remove."""
    for step in range(steps):
        roll = rng.random()
        if current and roll < 0.25:
            victim = rng.choice(sorted(current))
            del current[victim]
            yield victim
        elif current and roll < 0.7:
            edited = rng.choice(sorted(current))
            current[edited] = random_item(rng, edited)
            yield current[edited]
        else:
            item = random_item(rng, f"e{step:03d}")
            current[item.id] = item
            yield item


@pytest.mark.slow  # 60 edits, each checked against a full recompute: 1-1.6 s of CPU per seed
@pytest.mark.parametrize(
    ("seed", "reserve"), [(0, related.CANDIDATES), (1, related.CANDIDATES + 1), (2, related.CANDIDATES + 3)]
)
def test_short_reserves_run_out_and_are_refilled_exactly(seed: int, reserve: int) -> None:
    """Reserves barely longer than the candidate lists shrink under edits and are re-queried; the
    links still equal a full recompute after every single step."""
    rng = random.Random(seed)
    start = [random_item(rng, f"s{i:03d}") for i in range(related._BULK_FROM + 16)]
    index = RelatedIndex(start, k=3, reserve=reserve)
    current = {item.id: item for item in start}
    for change in _edit_steps(rng, current, 60):
        if isinstance(change, str):
            index.remove(change)
        else:
            index.upsert(change)
        assert index.links() == link_related(list(current.values()), k=3)
    assert index.requeries > 0  # the refill path ran


def test_a_reserve_shorter_than_the_candidates_is_refused() -> None:
    with pytest.raises(ValueError, match="reserve"):
        RelatedIndex(k=3, reserve=related.CANDIDATES - 1)


def test_links_is_a_fresh_dict_in_id_order() -> None:
    rng = random.Random(8)
    current = {f"v{i:02d}": random_item(rng, f"v{i:02d}") for i in range(30)}
    index = RelatedIndex(reversed(list(current.values())), k=3)
    first = index.links()
    assert list(first) == sorted(first)
    first.clear()  # the caller's copy, not the index's state
    for item in (random_item(rng, "v03"), random_item(rng, "a-new-one"), random_item(rng, "v17")):
        current[item.id] = item
        index.upsert(item)
    index.remove("v09")
    del current["v09"]
    second = index.links()
    assert list(second) == sorted(second)
    assert second == link_related(list(current.values()), k=3)


def test_incremental_equals_the_bulk_matrix_path() -> None:
    """Past `_BULK_FROM` items link_related uses the sparse product; the index stays pure Python."""
    rng = random.Random(99)
    items = [random_item(rng, f"b{i:03d}") for i in range(related._BULK_FROM + 30)]
    index = RelatedIndex(items, k=4)  # loaded in bulk
    assert index.links() == link_related(items, k=4)
    one_by_one = RelatedIndex(k=4)
    for item in items:
        one_by_one.upsert(item)
    assert one_by_one.links() == index.links()
    for item in rng.sample(items, 10):
        index.remove(item.id)
    kept = [item for item in items if item.id in index]
    assert index.links() == link_related(kept, k=4)


@pytest.mark.parametrize(
    ("size", "extra"), [(40, 0), (related._BULK_FROM + 30, 0), (related._BULK_FROM + 30, 9)]
)
def test_a_kept_first_order_gives_the_same_links_and_index(size: int, extra: int) -> None:
    """A build keeps `first_order(items)`; starting from it must change nothing, for either linker,
    including when it was kept with a longer limit than the reserve."""
    rng = random.Random(size + extra)
    items = [random_item(rng, f"f{i:03d}") for i in range(size)]
    kept = related.first_order(items, limit=related.RESERVE + extra)
    assert link_related(items, k=3, known_first_order=kept) == link_related(items, k=3)
    fresh = RelatedIndex(items, k=3)
    started = RelatedIndex(items, k=3, known_first_order=kept)
    assert started.links() == fresh.links() == link_related(items, k=3)
    for step in range(15):  # and it keeps equal under edits
        edited = rng.choice(items).id
        changed = random_item(rng, edited)
        items = [changed if item.id == edited else item for item in items]
        started.upsert(changed)
        fresh.upsert(changed)
        assert started.links() == fresh.links(), f"step {step}"
    assert started.links() == link_related(items, k=3)


def test_a_first_order_asked_for_once_the_profiles_exist_gives_the_same_links() -> None:
    """A caller may hand over how to get the first order (from its disk cache, or else from the
    linker's own profiles): each linker asks once, with the profiles sorted by id."""
    rng = random.Random(11)
    items = [random_item(rng, f"g{i:03d}") for i in range(related._BULK_FROM + 10)]
    asked: list[list[str]] = []

    def known(ordered: Sequence[Profile]) -> related.FirstOrder:
        asked.append([p.id for p in ordered])
        return related.first_order_of_profiles(ordered)

    assert link_related(items, k=3, known_first_order=known) == link_related(items, k=3)
    assert RelatedIndex(items, k=3, known_first_order=known).links() == link_related(items, k=3)
    assert asked == [sorted(item.id for item in items)] * 2
    assert related.first_order_of_profiles(
        sorted((related.profile_of(item) for item in items), key=lambda p: p.id)
    ) == related.first_order(items)


@pytest.mark.parametrize(("limit", "block", "min_score"), [(7, 16, 1), (200, None, 0), (1, 7, 10**9)])
def test_bulk_candidates_equal_pure_python_candidates(limit: int, block: int | None, min_score: int) -> None:
    rng = random.Random(5)
    profiles = sorted((make_profile(f"p{i}", *_title_text(rng)) for i in range(90)), key=lambda p: p.id)
    profiles.append(make_profile("q-empty", "", ""))  # shares nothing: never a candidate, none of its own
    bulk = all_candidates(profiles, min_score=min_score, limit=limit, block=block)
    for p in profiles:
        scores = {q.id: s for q in profiles if q.id != p.id and (s := dot(p.weights, q.weights))}
        assert bulk[p.id] == top_candidates(scores, min_score=min_score, limit=limit)


def _title_text(rng: random.Random) -> tuple[str, str]:
    item = random_item(rng, "x")
    return item.title, item.text


def test_one_change_touches_few_rows() -> None:
    """An edit re-queries only the rows that held the article as a candidate, not the corpus."""
    rng = random.Random(3)
    items = [random_item(rng, f"r{i:03d}") for i in range(200)]
    index = RelatedIndex(items, k=3)
    calls = 0
    original = index._scores

    def counting(profile: Any) -> dict[str, int]:
        nonlocal calls
        calls += 1
        return original(profile)

    index._scores = counting  # type: ignore[method-assign]
    index.upsert(random_item(rng, "r007"))
    assert calls <= 1 + related.CANDIDATES * 3
    assert calls < len(items) / 2


# --- explicit references ------------------------------------------------------------------------

TITLES = {
    "putin-call": "Putin Tells Trump 'Peaceful Negotiations' on Ukraine War Possible in Leaders' First Call",
    "hegseth": "Hegseth Rejects Claims U.S. Is Abandoning Ukraine",
    "nato-budget": "NATO Allies Agree to Raise Defence Spending Target",
    "flood": "River Marden bursts its banks in Haldwick",
}


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            "Putin Tells Trump 'Peaceful Negotiations' on Ukraine War Possible in Leaders' First Call",
            "putin-call",
        ),
        (
            "putin tells trump “peaceful negotiations” on ukraine war possible in leaders’ first call",
            "putin-call",
        ),
        (
            "Putin Tells Trump 'Peaceful Negotiations' on Ukraine War Possible in Leaders'\nFirst Call",
            "putin-call",
        ),
        (
            "Putin Tells Trump Peaceful Negotiations On Ukraine War Are Possible In Leaders First Call",
            "putin-call",
        ),
        ("Hegseth rejects claims US is abandoning Ukraine.", "hegseth"),
        ("  NATO allies agree to raise defense spending target  ", "nato-budget"),
        ("River Marden Bursts Its Banks In Haldwick", "flood"),
        ("Trump Says He Will Meet Putin in Saudi Arabia", None),
        ("NATO Allies Agree", None),
        ("", None),
    ],
)
def test_match_reference(reference: str, expected: str | None) -> None:
    assert match_reference(reference, TITLES) == expected


def test_match_reference_ties_go_to_the_smaller_id() -> None:
    assert match_reference("Same Title", {"b": "Same title", "a": "same title!"}) == "a"
    assert match_reference("Anything", {}) is None


def test_title_key_folds_quotes_case_and_spacing() -> None:
    assert title_key("Leaders’ “First”  Call —\tNOW") == title_key('leaders\' "first" call now')


# --- the repository's own sample site ------------------------------------------------------------

CONTENT = Path(__file__).resolve().parent.parent / "content"
SAMPLE_STORIES = {
    "ukraine-talks": {
        "2025-02-12-putin-trump-first-call",
        "2025-02-13-Hegseth-Says-US-Is-Not-Abandoning-Ukraine",
        "2025-02-13-kyiv-reacts-trump-putin-call",
        "2025-02-13-nato-ministers-spending-pressure",
        "2025-02-14-munich-security-conference-opens",
    },
    "calderwick-rail": {
        "2025-03-04-calderwick-council-approves-high-speed-line",
        "2025-03-11-calderwick-rail-funding-dispute",
        "2025-03-20-merriton-residents-challenge-rail-route",
    },
}


def sample_items() -> list[RelatedItem]:
    from briefgen.sources import discover_sources, read_source

    items = []
    for path in discover_sources(CONTENT):
        source, _ = read_source(path, CONTENT.parent)
        title = str(source.front.get("title") or source.body.strip().splitlines()[0])
        items.append(RelatedItem(id=path.stem, title=title, text=source.body))
    return items


@pytest.mark.skipif(
    not all(
        (CONTENT / f"{stem}.md").exists() or (CONTENT / f"{stem}.txt").exists()
        for s in SAMPLE_STORIES.values()
        for stem in s
    ),
    reason="the sample site changed",
)
def test_sample_site_links_stories_and_leaves_loners_alone() -> None:
    links = link_related(sample_items(), k=5)
    in_story = {stem: story for story, stems in SAMPLE_STORIES.items() for stem in stems}
    for pid, found in links.items():
        if pid in in_story:
            mates = SAMPLE_STORIES[in_story[pid]] - {pid}
            assert {link.target for link in found} == mates, pid
        else:
            assert found == (), f"{pid} shares no story but links to {[link.target for link in found]}"


# --- the fast paths equal their plain definitions ------------------------------------------------


def test_idf_table_equals_the_zipf_formula_for_every_word() -> None:
    from briefgen.corpus import background

    table = background.word_idf_table()
    for word, zipf10 in background.zipf_table().items():
        expected = min(background.MAX_IDF, max(background.MIN_IDF, 8.0 - zipf10 / 10))
        assert background.word_idf(word) == expected, word
    assert background.word_idf("zzqxj-not-a-word") == background.MAX_IDF
    assert all(weight < background.MAX_IDF for weight in table.values())


def test_profile_weights_equal_the_plain_formula() -> None:
    import math

    from briefgen.corpus.background import term_idf
    from briefgen.corpus.similarity import PAIRS, SCALE
    from briefgen.corpus.terms import article_terms

    rng = random.Random(11)
    for i in range(40):
        item = random_item(rng, f"w{i}")
        text = item.text + " Pete Hegseth met Mira Santos. Hegseth’s aides waited."
        counts = article_terms(item.title, text, pairs=PAIRS).counts
        raw = {t: (1.0 + math.log(c)) * term_idf(t) for t, c in counts.items()}
        norm = math.sqrt(math.fsum(w * w for w in raw.values())) or 1.0
        expected = {t: q for t, w in raw.items() if (q := round(w / norm * SCALE)) > 0}
        profile = make_profile(item.id, item.title, text)
        assert dict(profile.weights) == expected
        assert list(profile.weights) == list(expected)  # first-seen order, which breaks top-term ties
        heaviest = sorted(expected, key=expected.__getitem__, reverse=True)
        assert profile.top_terms == tuple(heaviest[: len(profile.top_terms)])


def test_inverted_index_queries_equal_dot_products_through_adds_and_drops() -> None:
    from briefgen.corpus.similarity import InvertedIndex

    rng = random.Random(21)
    index = InvertedIndex()
    live: dict[str, Any] = {}
    for step in range(150):
        if live and rng.random() < 0.35:
            victim = live.pop(rng.choice(sorted(live)))
            index.drop(victim)  # its slot is reused by a later add
        else:
            profile = make_profile(f"i{step}", *_title_text(rng))
            live[profile.id] = profile
            index.add(profile)
        if step % 15 == 14:
            for p in live.values():
                scores = index.query(p)
                expected = {
                    q.id: s for q in live.values() if q.id != p.id and (s := dot(p.weights, q.weights))
                }
                got = {index.ids[slot]: int(s) for slot, s in enumerate(scores.tolist()) if s}
                assert got == expected
                assert index.top(scores, min_score=3000, limit=4) == list(
                    top_candidates(expected, min_score=3000, limit=4)
                )
                assert index.at_least(scores, 3000) == {j: s for j, s in expected.items() if s >= 3000}
