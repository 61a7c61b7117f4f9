"""Stories: groups of same-story articles, deterministic, order-independent and stable as the site grows.

Grouping is a chronological single pass (topic detection and tracking style) in canonical order,
(date, id): each article joins the story of the earlier article it most probably reports the same
event as, when that probability reaches `same_story.THRESHOLD`, and otherwise starts a story of its
own. Because an article's choice depends only on its pairs with earlier articles, never on other
choices, a story is a tree whose root is its first report, and:

- the result does not depend on the order the articles were given in;
- a story's key (its first report's id, and so its URL) never changes when a later report joins it,
  and a later report never splits or merges existing stories;
- one upsert or removal changes only the choices of the article itself and of its neighbours, so
  `StoryIndex` updates stories in the time of one query against the corpus, and its state always
  equals a recomputation from scratch.

Related links follow the stories: a briefing links only to reports of its own story, the most
probable pairs first, so "More on this story" agrees with the story page.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefgen.corpus.related import direction
from briefgen.corpus.same_story import THRESHOLD, WINDOW_DAYS
from briefgen.corpus.story_join import JoinChunk, MapFunction, join_all, join_chunk, order_key
from briefgen.model import RelatedLink, Story, StoryFeatures

OrderKey = tuple[dt.date, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryChange:
    """What one update did: the keys of stories whose reports changed, and of stories now gone."""

    changed: frozenset[str]  # stories that exist after the update and differ from before (or are new)
    removed: frozenset[str]  # keys that no longer name a story


class StoryIndex:
    """Same-story pairs and the stories they make, kept up to date one article at a time.

    Picklable (plain dicts of strings, floats and `StoryFeatures`), so a build can keep it between runs.
    """

    def __init__(self) -> None:
        self._features: dict[str, StoryFeatures] = {}
        self._order: list[OrderKey] = []  # every article's order_key, sorted
        self._pairs: dict[str, dict[str, float]] = {}  # id -> other id -> probability (both directions)
        self._parent: dict[
            str, str | None
        ] = {}  # id -> the earlier report it joined, None for a first report
        self._children: dict[str, set[str]] = {}

    @classmethod
    def build(cls, features: Iterable[StoryFeatures], *, map: MapFunction = map) -> StoryIndex:
        """The index of a whole corpus at once; `map` runs the join's chunks (an executor's ordered map)."""
        index = cls()
        ordered = sorted(features, key=order_key)
        for f in ordered:
            if f.id in index._features:
                raise ValueError(f"two articles have the id {f.id!r}")
            index._features[f.id] = f
            index._pairs[f.id] = {}
            index._children[f.id] = set()
        index._order = [order_key(f) for f in ordered]
        for later, earlier, p in join_all(ordered, map=map):
            index._pairs[later][earlier] = p
            index._pairs[earlier][later] = p
        for f in ordered:
            index._set_parent(f.id, index._best_earlier(f.id))
        return index

    def __len__(self) -> int:
        return len(self._features)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._features

    # --- reading ------------------------------------------------------------------------------------

    def features(self, item_id: str) -> StoryFeatures:
        return self._features[item_id]

    def probability(self, a: str, b: str) -> float:
        """The same-story probability of a pair (0 when they were never candidates)."""
        return self._pairs.get(a, {}).get(b, 0.0)

    def story_of(self, item_id: str) -> str:
        """The key of the article's story: its first report's id."""
        parent = self._parent[item_id]
        while parent is not None:
            item_id, parent = parent, self._parent[parent]
        return item_id

    def members(self, key: str) -> tuple[str, ...]:
        """The reports of the story with this key, in canonical order."""
        found: list[str] = []
        pending = [key]
        while pending:
            node = pending.pop()
            found.append(node)
            pending.extend(self._children[node])
        found.sort(key=lambda i: order_key(self._features[i]))
        return tuple(found)

    def stories(self) -> tuple[Story, ...]:
        """Every story, ordered by its first report."""
        root: dict[str, str] = {}
        groups: dict[str, list[str]] = {}
        for _, item_id in self._order:  # parents come first in this order
            parent = self._parent[item_id]
            key = item_id if parent is None else root[parent]
            root[item_id] = key
            groups.setdefault(key, []).append(item_id)
        return tuple(Story(key=key, members=tuple(members)) for key, members in groups.items())

    def story_keys(self) -> dict[str, str]:
        """id -> its story's key, for every article."""
        return {item_id: story.key for story in self.stories() for item_id in story.members}

    # --- updating -----------------------------------------------------------------------------------

    def upsert(self, features: StoryFeatures) -> StoryChange:
        """Add an article, or replace one with the same id; which stories that changed."""
        touched: set[str] = set()
        before: dict[str, frozenset[str]] = {}
        if features.id in self._features:
            touched |= self._detach(features.id, before)
        touched |= self._attach(features, before)
        return self._change(before, touched)

    def remove(self, item_id: str) -> StoryChange:
        """Remove an article (nothing happens for an unknown id); which stories that changed."""
        if item_id not in self._features:
            return StoryChange(changed=frozenset(), removed=frozenset())
        before: dict[str, frozenset[str]] = {}
        touched = self._detach(item_id, before)
        return self._change(before, touched)

    def _remember(self, item_id: str, before: dict[str, frozenset[str]]) -> None:
        key = self.story_of(item_id)
        if key not in before:
            before[key] = frozenset(self.members(key))

    def _change(self, before: Mapping[str, frozenset[str]], touched: set[str]) -> StoryChange:
        after: dict[str, frozenset[str]] = {}
        for item_id in touched:
            if item_id in self._features:
                key = self.story_of(item_id)
                if key not in after:
                    after[key] = frozenset(self.members(key))
        changed = {key for key, members in after.items() if before.get(key) != members}
        removed = {key for key in before if key not in self._features or self._parent[key] is not None}
        return StoryChange(changed=frozenset(changed), removed=frozenset(removed))

    def _window(self, features: StoryFeatures) -> list[StoryFeatures]:
        """The articles an article may pair with: all undated ones, and dated ones within the window."""
        undated = bisect.bisect_left(self._order, (dt.date.min, "\uffff"))
        if features.date is None:
            chosen = self._order
        else:
            low = features.date - dt.timedelta(days=WINDOW_DAYS)
            high = features.date + dt.timedelta(days=WINDOW_DAYS)
            lo = bisect.bisect_left(self._order, (low, ""), lo=undated)
            hi = bisect.bisect_right(self._order, (high, "\uffff"), lo=lo)
            chosen = self._order[:undated] + self._order[lo:hi]
        return [self._features[i] for _, i in chosen if i != features.id]

    def _attach(self, features: StoryFeatures, before: dict[str, frozenset[str]]) -> set[str]:
        item_id = features.id
        key = order_key(features)
        window = JoinChunk(queries=(features,), index=tuple(self._window(features)), earlier_only=False)
        mine = {(earlier if later == item_id else later): p for later, earlier, p in join_chunk(window)}
        # the stories this can change, remembered before anything moves: the one it joins, and those of
        # the later articles for which it is now the most probable earlier report
        adopted = [other for other, p in mine.items() if self._prefers(other, item_id, key, p)]
        for other in adopted:
            self._remember(other, before)
        self._features[item_id] = features
        bisect.insort(self._order, key)
        self._pairs[item_id] = mine
        self._children[item_id] = set()
        self._parent[item_id] = None
        for other, p in mine.items():
            self._pairs[other][item_id] = p
        parent = self._best_earlier(item_id)
        if parent is not None:
            self._remember(parent, before)
        self._set_parent(item_id, parent)
        for other in adopted:
            self._set_parent(other, item_id)
        return {item_id, *adopted}

    def _prefers(self, other: str, item_id: str, key: OrderKey, p: float) -> bool:
        """Whether `other` (already indexed) would take the new article `item_id` as its earlier report."""
        other_key = order_key(self._features[other])
        if p < THRESHOLD or other_key < key:
            return False
        parent = self._parent[other]
        if parent is None:
            return True
        return (-p, key) < (-self._pairs[other][parent], order_key(self._features[parent]))

    def _detach(self, item_id: str, before: dict[str, frozenset[str]]) -> set[str]:
        self._remember(item_id, before)
        for child in self._children[item_id]:
            self._remember(child, before)
        touched: set[str] = set()
        parent = self._parent[item_id]
        if parent is not None:
            touched.add(parent)
        self._set_parent(item_id, None)
        orphans = set(self._children[item_id])
        for other in self._pairs.pop(item_id):
            del self._pairs[other][item_id]
        for child in orphans:
            self._set_parent(child, None)
        features = self._features.pop(item_id)
        del self._order[bisect.bisect_left(self._order, order_key(features))]
        del self._children[item_id]
        del self._parent[item_id]
        for child in sorted(orphans, key=lambda i: order_key(self._features[i])):
            self._set_parent(child, self._best_earlier(child))
            touched.add(child)
        return touched

    def _best_earlier(self, item_id: str) -> str | None:
        """The earlier article this one most probably reports the same story as, if probable enough."""
        key = order_key(self._features[item_id])
        best: tuple[float, OrderKey] | None = None
        for other, p in self._pairs[item_id].items():
            if p < THRESHOLD:
                continue
            other_key = order_key(self._features[other])
            if other_key < key and (best is None or (-p, other_key) < (-best[0], best[1])):
                best = (p, other_key)
        return None if best is None else best[1][1]

    def _set_parent(self, item_id: str, parent: str | None) -> None:
        old = self._parent.get(item_id)
        if old is not None:
            self._children[old].discard(item_id)
        self._parent[item_id] = parent
        if parent is not None:
            self._children[parent].add(item_id)

    # --- related links ------------------------------------------------------------------------------

    def related(self, item_id: str, *, k: int) -> tuple[RelatedLink, ...]:
        """Up to k other reports of the article's story: the most probable pairs first, then the reports
        nearest in the story's tree. An article alone in its story gets none."""
        if k <= 0:
            return ()
        key = self.story_of(item_id)
        me = self._features[item_id]
        direct = [
            (p, order_key(self._features[other]), other)
            for other, p in self._pairs[item_id].items()
            if self.story_of(other) == key
        ]
        direct.sort(key=lambda entry: (-entry[0], entry[1]))
        chosen = [(other, p) for p, _, other in direct[:k]]
        if len(chosen) < k:
            chosen += self._nearest_in_tree(item_id, k - len(chosen), {o for o, _ in chosen})
        return tuple(_link(me, self._features[other], p) for other, p in chosen)

    def _nearest_in_tree(self, item_id: str, wanted: int, skip: set[str]) -> list[tuple[str, float]]:
        """Reports of the story nearest to this one in its tree (breadth first), each once."""
        found: list[tuple[str, float]] = []
        seen = {item_id}
        frontier = [item_id]
        while frontier and len(found) < wanted:
            following: list[str] = []
            for node in frontier:
                parent = self._parent[node]
                around = ([parent] if parent is not None else []) + sorted(
                    self._children[node], key=lambda i: order_key(self._features[i])
                )
                for other in around:
                    if other not in seen:
                        seen.add(other)
                        following.append(other)
            for other in following:
                if other not in skip and len(found) < wanted:
                    found.append((other, self.probability(item_id, other)))
            frontier = following
        return found

    def related_all(self, *, k: int) -> dict[str, tuple[RelatedLink, ...]]:
        """Every article's related links, in id order."""
        return {item_id: self.related(item_id, k=k) for item_id in sorted(self._features)}


def _link(me: StoryFeatures, other: StoryFeatures, p: float) -> RelatedLink:
    names = [n for n in me.names if n in other.names]
    theirs = {k.casefold() for k in other.keywords}
    keywords = [k for k in me.keywords if k.casefold() in theirs and k.casefold() not in names]
    shown = tuple(dict.fromkeys(_title_case(n, me) for n in names[:3])) + tuple(keywords[:2])
    return RelatedLink(
        target=other.id, score=round(p, 4), shared=shown[:5], direction=direction(me.date, other.date)
    )


def _title_case(name: str, me: StoryFeatures) -> str:
    """A shared name as the article's keywords write it, else with capitals."""
    for keyword in me.keywords:
        if keyword.casefold() == name:
            return keyword
    return " ".join(word[:1].upper() + word[1:] for word in name.split())


def group_stories(features: Iterable[StoryFeatures], *, map: MapFunction = map) -> tuple[Story, ...]:
    """Every story of a corpus, ordered by first report."""
    return StoryIndex.build(features, map=map).stories()
