"""Stories: groups of same-story articles, deterministic, order-independent and stable as the site grows.

Articles are grouped a date at a time, in date order (undated articles first, as one batch). Within a
date, the articles of that date and the stories of earlier dates are merged by average linkage over
the same-story probabilities (`same_story`): the most probable pairs first, two groups joining when
the mean probability over their comparable pairs (those whose dates allow a comparison) reaches
`same_story.THRESHOLD`. Earlier stories are fixed while a date is grouped: an article may join one,
never merge two, and a later date never splits one. So:

- the result depends only on the articles, never on the order they were given in;
- a story's key (its first report's id, by (date, id), and so its URL) never changes when reports of a
  later date join it;
- `StoryIndex` regroups only the date of a changed article, and later dates only where an article
  pairs with a story that changed, so adding one article costs one query against the corpus, and the
  result always equals grouping from scratch (measured: average linkage groups ECB+ stories better
  than a single chronological pass, which lets the first report of a story join a look-alike).

Related links follow the stories: a briefing links only to reports of its own story, the most
probable pairs first, so "More on this story" agrees with the story page.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefgen.corpus.related import direction
from briefgen.corpus.same_story import THRESHOLD, WINDOW_DAYS, dates_allow
from briefgen.corpus.story_join import JoinChunk, MapFunction, join_all, join_chunk, order_key
from briefgen.model import RelatedLink, Story, StoryFeatures

OrderKey = tuple[dt.date, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryIndexState:
    """A `StoryIndex` as the build keeps it between runs: evidence, pair probabilities, stories."""

    features: dict[str, StoryFeatures]
    pairs: dict[str, dict[str, float]]  # id -> other id -> probability (both directions)
    story: dict[str, str]  # id -> its story's key
    threshold: float = THRESHOLD  # the average pair probability at which groups merge


SHARED_SHOWN = 5  # keywords shown as the reason for a link
_UNDATED = dt.date.min


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryChange:
    """What one update did: the keys of stories whose reports changed, and of stories now gone."""

    changed: frozenset[str]  # stories that exist after the update and differ from before (or are new)
    removed: frozenset[str]  # keys that no longer name a story


class StoryIndex:
    """Same-story pairs and the stories they make, kept up to date one article at a time.

    Picklable (plain dicts of strings, floats and `StoryFeatures`), so a build can keep it between runs.
    """

    def __init__(self, *, threshold: float = THRESHOLD) -> None:
        self._threshold = threshold  # groups merge when their average pair probability reaches it
        self._features: dict[str, StoryFeatures] = {}
        self._order: list[OrderKey] = []  # every article's order_key, sorted
        self._pairs: dict[str, dict[str, float]] = {}  # id -> other id -> probability (both directions)
        self._batches: dict[dt.date, set[str]] = {}  # date (_UNDATED for none) -> ids
        self._keys: dict[str, OrderKey] = {}  # id -> its order_key
        self._story: dict[str, str] = {}  # id -> its story's key
        self._members: dict[str, list[OrderKey]] = {}  # key -> its reports' order keys, sorted
        self._journal: dict[str, tuple[OrderKey, ...]] = {}  # key -> its reports before this update

    @classmethod
    def build(
        cls, features: Iterable[StoryFeatures], *, map: MapFunction = map, threshold: float = THRESHOLD
    ) -> StoryIndex:
        """The index of a whole corpus at once; `map` runs the join's chunks (an executor's ordered map).
        `threshold`: the merge threshold (the build's is `same_story.THRESHOLD`; others are for measuring)."""
        index = cls(threshold=threshold)
        ordered = sorted(features, key=order_key)
        for f in ordered:
            if f.id in index._features:
                raise ValueError(f"two articles have the id {f.id!r}")
            index._features[f.id] = f
            index._keys[f.id] = order_key(f)
            index._pairs[f.id] = {}
            index._batches.setdefault(f.date or _UNDATED, set()).add(f.id)
        index._order = [order_key(f) for f in ordered]
        for later, earlier, p in join_all(ordered, map=map):
            index._pairs[later][earlier] = p
            index._pairs[earlier][later] = p
        for day in sorted(index._batches):
            index._group(day)
        index._journal = {}
        return index

    def export(self) -> StoryIndexState:
        """What the index must keep between builds (the rest follows from it)."""
        return StoryIndexState(
            features=dict(self._features),
            pairs=self._pairs,
            story=dict(self._story),
            threshold=self._threshold,
        )

    @classmethod
    def restore(cls, state: StoryIndexState) -> StoryIndex:
        """The index `export` described, without computing any pair or grouping again."""
        index = cls(threshold=state.threshold)
        index._features = dict(state.features)
        index._pairs = {item_id: dict(state.pairs.get(item_id, {})) for item_id in index._features}
        index._keys = {item_id: order_key(f) for item_id, f in index._features.items()}
        index._order = sorted(index._keys.values())
        for item_id, f in index._features.items():
            index._batches.setdefault(f.date or _UNDATED, set()).add(item_id)
        index._story = dict(state.story)
        for entry in index._order:
            index._members.setdefault(index._story[entry[1]], []).append(entry)
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

    def candidates(self, item_id: str) -> tuple[tuple[str, float], ...]:
        """Every article the join paired with this one and its same-story probability, most probable
        first (then by id): for measuring other link policies than `related`."""
        return tuple(sorted(self._pairs[item_id].items(), key=lambda pair: (-pair[1], pair[0])))

    def story_of(self, item_id: str) -> str:
        """The key of the article's story: its first report's id."""
        return self._story[item_id]

    def members(self, key: str) -> tuple[str, ...]:
        """The reports of the story with this key, in canonical order."""
        return tuple(i for _, i in self._members[key])

    def stories(self) -> tuple[Story, ...]:
        """Every story, ordered by its first report."""
        keys = sorted(self._members, key=lambda k: order_key(self._features[k]))
        return tuple(Story(key=key, members=self.members(key)) for key in keys)

    def story_keys(self) -> dict[str, str]:
        """id -> its story's key, for every article."""
        return dict(self._story)

    # --- grouping -----------------------------------------------------------------------------------

    def _group(self, day: dt.date) -> set[str]:
        """Group one date's articles against the stories of earlier dates; the ids whose story changed."""
        keys = self._keys
        batch = sorted(self._batches.get(day, ()), key=keys.__getitem__)
        start = (day, "")
        owner: dict[str, int] = {}  # id -> group number, for this date's articles
        groups: dict[int, list[str]] = {}  # group number -> this date's articles in it
        fixed: dict[int, str] = {}  # group number -> the earlier story it joined
        for n, item_id in enumerate(batch):
            owner[item_id] = n
            groups[n] = [item_id]
        edges = sorted(
            (-p, a, b)
            for a in batch
            for b, p in self._pairs[a].items()
            if p >= self._threshold and (b in owner or keys[b] < start) and (b not in owner or a < b)
        )
        merged = True
        while merged:  # until no pair of groups has an average reaching the threshold
            merged = False
            for _, a, b in edges:
                if self._merge(owner, groups, fixed, (a, b), start):
                    merged = True
        changed: set[str] = set()
        for n, ids in groups.items():
            key = fixed.get(n) or ids[0]
            for item_id in ids:
                if self._story.get(item_id) != key:
                    changed.add(item_id)
                self._assign(item_id, key)
        return changed

    def _merge(
        self,
        owner: dict[str, int],
        groups: dict[int, list[str]],
        fixed: dict[int, str],
        pair: tuple[str, str],
        start: OrderKey,
    ) -> bool:
        """Merge a's group with b's group (b of this date) or with b's story (b earlier) when their
        average linkage reaches the threshold; never two earlier stories. Whether they merged."""
        a, b = pair
        ga = owner[a]
        story_a = fixed.get(ga)
        if b not in owner:  # b is earlier: a's group may join b's story
            earlier_story = self._story[b]
            if story_a is not None:
                return False  # already in b's story, or in another one
            if not self._linked(groups[ga], (), (), self._earlier(earlier_story, start)):
                return False
            fixed[ga] = earlier_story
            return True
        gb = owner[b]
        story_b = fixed.get(gb)
        if ga == gb or (story_a is not None and story_b is not None and story_a != story_b):
            return False
        if story_a is None or story_a != story_b:
            earlier_a = self._earlier(story_a, start) if story_a else []
            earlier_b = self._earlier(story_b, start) if story_b else []
            if not self._linked(groups[ga], earlier_a, groups[gb], earlier_b):
                return False
        keep, gone = (ga, gb) if ga < gb else (gb, ga)
        groups[keep] = sorted(groups[keep] + groups.pop(gone), key=self._keys.__getitem__)
        story = story_a or story_b
        fixed.pop(gone, None)
        if story is not None:
            fixed[keep] = story
        for item_id in groups[keep]:
            owner[item_id] = keep
        return True

    def _linked(
        self,
        ours: Sequence[str],
        our_earlier: Sequence[str],
        theirs: Sequence[str],
        their_earlier: Sequence[str],
    ) -> bool:
        """The mean probability over the comparable pairs between two sides (each: this date's articles and
        the earlier reports of the story they joined) reaches the threshold. Earlier reports are never
        compared with each other: at most one side has any."""
        total = 0.0
        comparable = 0
        for left, right in ((ours, (*theirs, *their_earlier)), (our_earlier, theirs)):
            for a in left:
                fa = self._features[a]
                pairs = self._pairs[a]
                for b in right:
                    if dates_allow(fa, self._features[b]):
                        comparable += 1
                        total += pairs.get(b, 0.0)
        return comparable > 0 and total >= self._threshold * comparable

    def _earlier(self, key: str, start: OrderKey) -> list[str]:
        """The story's reports before `start` (a date being grouped)."""
        members = self._members[key]
        return [i for _, i in members[: bisect.bisect_left(members, start)]]

    def _assign(self, item_id: str, key: str) -> None:
        old = self._story.get(item_id)
        if old == key:
            return
        entry = self._keys[item_id]
        if old is not None:
            self._leave(old, entry)
        self._story[item_id] = key
        self._note(key)
        bisect.insort(self._members.setdefault(key, []), entry)

    def _note(self, key: str) -> None:
        """Remember a story's reports before the current update first changes them."""
        if key not in self._journal:
            self._journal[key] = tuple(self._members.get(key, ()))

    def _leave(self, key: str, entry: OrderKey) -> None:
        self._note(key)
        members = self._members[key]
        del members[bisect.bisect_left(members, entry)]
        if not members:
            del self._members[key]

    # --- updating -----------------------------------------------------------------------------------

    def upsert(self, features: StoryFeatures) -> StoryChange:
        """Add an article, or replace one with the same id; which stories changed (the article's own
        story always counts as changed: its report is new or different)."""
        item_id = features.id
        days: set[dt.date] = {features.date or _UNDATED}
        touched: set[str] = {item_id}
        if item_id in self._features:
            old = self._features[item_id]
            days.add(old.date or _UNDATED)
            touched |= self._drop(item_id)
        window = JoinChunk(queries=(features,), index=tuple(self._window(features)), earlier_only=False)
        mine = {(earlier if later == item_id else later): p for later, earlier, p in join_chunk(window)}
        self._features[item_id] = features
        self._keys[item_id] = order_key(features)
        bisect.insort(self._order, order_key(features))
        self._pairs[item_id] = mine
        for other, p in mine.items():
            self._pairs[other][item_id] = p
        self._batches.setdefault(features.date or _UNDATED, set()).add(item_id)
        touched |= set(mine)
        change = self._regroup(min(days), touched)
        return StoryChange(changed=change.changed | {self._story[item_id]}, removed=change.removed)

    def remove(self, item_id: str) -> StoryChange:
        """Remove an article (nothing happens for an unknown id); which stories that changed."""
        if item_id not in self._features:
            return StoryChange(changed=frozenset(), removed=frozenset())
        day = self._features[item_id].date or _UNDATED
        return self._regroup(day, self._drop(item_id))

    def _drop(self, item_id: str) -> set[str]:
        """Forget an article and its pairs; the ids that paired with it (and its story's key, if it was one)."""
        features = self._features.pop(item_id)
        entry = self._keys.pop(item_id)
        del self._order[bisect.bisect_left(self._order, entry)]
        neighbours = set(self._pairs.pop(item_id))
        for other in neighbours:
            del self._pairs[other][item_id]
        day = features.date or _UNDATED
        self._batches[day].discard(item_id)
        if not self._batches[day]:
            del self._batches[day]
        key = self._story.pop(item_id)
        self._leave(key, entry)
        return neighbours | {i for _, i in self._members.get(key, ())}

    def _regroup(self, first_day: dt.date, touched: set[str]) -> StoryChange:
        """Regroup `first_day`, then every later date with an article that pairs with a changed one."""
        dirty = set(touched)
        days = sorted(d for d in self._batches if d >= first_day)
        for day in days:
            batch = self._batches[day]
            if day != first_day and not any(o in dirty for i in batch for o in (i, *self._pairs[i])):
                continue
            dirty.update(self._group(day))
            for key, old in self._journal.items():  # a changed story changes every member's linkage
                dirty.update(i for _, i in old)
                dirty.update(i for _, i in self._members.get(key, ()))
        journal, self._journal = self._journal, {}
        now = self._members
        changed = {key for key, old in journal.items() if key in now and _ids(now[key]) != _ids(old)}
        removed = {key for key, old in journal.items() if key not in now and old}
        return StoryChange(changed=frozenset(changed), removed=frozenset(removed))

    def _window(self, features: StoryFeatures) -> list[StoryFeatures]:
        """The articles an article may pair with: all undated ones, and dated ones within the window."""
        undated = bisect.bisect_left(self._order, (_UNDATED, "\uffff"))
        if features.date is None:
            chosen = self._order
        else:
            low = features.date - dt.timedelta(days=WINDOW_DAYS)
            high = features.date + dt.timedelta(days=WINDOW_DAYS)
            lo = bisect.bisect_left(self._order, (low, ""), lo=undated)
            hi = bisect.bisect_right(self._order, (high, "\uffff"), lo=lo)
            chosen = self._order[:undated] + self._order[lo:hi]
        return [self._features[i] for _, i in chosen if i != features.id]

    # --- related links ------------------------------------------------------------------------------

    def related(self, item_id: str, *, k: int) -> tuple[RelatedLink, ...]:
        """Up to k other reports of the article's story: the most probable pairs first, then the other
        reports nearest in time. An article alone in its story gets none."""
        if k <= 0:
            return ()
        me = self._features[item_id]
        mine = order_key(me)
        pairs = self._pairs[item_id]
        mates = [i for _, i in self._members[self._story[item_id]] if i != item_id]

        def rank(other: str) -> tuple[float, int, OrderKey]:
            theirs = order_key(self._features[other])
            gap = abs(theirs[0].toordinal() - mine[0].toordinal())
            return (-pairs.get(other, 0.0), gap, theirs)

        chosen = sorted(mates, key=rank)[:k]
        return tuple(_link(me, self._features[other], pairs.get(other, 0.0)) for other in chosen)

    def related_all(self, *, k: int) -> dict[str, tuple[RelatedLink, ...]]:
        """Every article's related links, in id order."""
        return {item_id: self.related(item_id, k=k) for item_id in sorted(self._features)}


def _ids(entries: Sequence[OrderKey]) -> tuple[str, ...]:
    return tuple(i for _, i in entries)


def _link(me: StoryFeatures, other: StoryFeatures, p: float) -> RelatedLink:
    """A link to a story-mate, explained by the keywords both articles have."""
    theirs = {k.casefold() for k in other.keywords}
    shared = tuple(k for k in me.keywords if k.casefold() in theirs)[:SHARED_SHOWN]
    return RelatedLink(
        target=other.id, score=round(p, 4), shared=shared, direction=direction(me.date, other.date)
    )


def group_stories(features: Iterable[StoryFeatures], *, map: MapFunction = map) -> tuple[Story, ...]:
    """Every story of a corpus, ordered by first report."""
    return StoryIndex.build(features, map=map).stories()
