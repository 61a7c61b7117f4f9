"""Related briefings about the same story.

How a link is decided, in two steps that both depend only on pairs of articles and their neighbours:

1. First-order similarity: the cosine of background-IDF-weighted term vectors (`similarity.py`), in
   exact integers. Each article keeps its best `CANDIDATES` others at or above `MIN_SIMILARITY`.
2. Re-ranking by shared neighbours: two articles whose own top-`NEIGHBOURS` lists overlap are more
   likely the same story than a lone lexical match, so `final = cosine × date factor + BOOST ×
   overlap / NEIGHBOURS`. Coverage far apart in time counts less (`date_factor`).

No article gets a link below `MIN_SIMILARITY`, so one about nothing else gets none; there is never
padding. Ties are broken by id, so the links do not depend on the order of the input.

`RelatedIndex` keeps the same state for live preview: one change is one inverted-index query plus
updates of the candidate lists it can touch, and because the weights are corpus-independent and the
scores are integers, `links()` is exactly `link_related(current items)`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from bisect import insort
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Literal

from briefgen.corpus.similarity import (
    SCORE_UNIT,
    InvertedIndex,
    Profile,
    all_candidates,
    dot,
    make_profile,
    top_candidates,
)
from briefgen.model import RelatedLink, TermWeights

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MIN_SIMILARITY = 0.05  # cosine below which two articles share only everyday words
CANDIDATES = 20  # first-order candidates kept per article
NEIGHBOURS = 5  # size of the neighbour lists compared when re-ranking
BOOST = 0.15  # weight of a full neighbour overlap, against a cosine in [0, 1]
DATE_HALF_DAYS = 180.0  # a gap of this many days weighs 1/sqrt(2); a same-week gap 1
MIN_SHARED = 2  # distinct terms two linked articles must have in common
SHARED_SHOWN = 5  # shared terms listed per link
WEAK_SIMILARITY = 0.1  # below this, a link needs a shared neighbour (a third article near both)
_MIN_SCORE = math.ceil(MIN_SIMILARITY * SCORE_UNIT)
_WEAK_BELOW = math.ceil(WEAK_SIMILARITY * SCORE_UNIT)
_BULK_FROM = 64  # corpora at least this large use the sparse-matrix product
RESERVE = 2 * CANDIDATES  # ranking entries RelatedIndex keeps per article, so that edits rarely re-query
_SAME, _RESCORED, _REGROUPED = 0, 1, 2  # how much a candidate list changed (RelatedIndex)

Candidates = tuple[tuple[int, str], ...]
Direction = Literal["earlier", "later", "same day"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedItem:
    id: str
    title: str
    text: str
    date: dt.date | None = None
    names: tuple[str, ...] = ()  # people, organisations and places found in the article
    terms: TermWeights | None = field(default=None, compare=False)  # term_weights(title, text), if known


def profile_of(item: RelatedItem) -> Profile:
    return make_profile(item.id, item.title, item.text, date=item.date, names=item.names, terms=item.terms)


def date_factor(a: dt.date | None, b: dt.date | None) -> float:
    """1 within a week or when a date is unknown; then slowly less with the gap."""
    if a is None or b is None:
        return 1.0
    gap = abs((a - b).days)
    return 1.0 if gap <= 7 else 1.0 / math.sqrt(1.0 + (gap - 7) / DATE_HALF_DAYS)


def direction(ours: dt.date | None, theirs: dt.date | None) -> Direction | None:
    """Where the other article's date lies relative to ours."""
    if ours is None or theirs is None:
        return None
    if theirs < ours:
        return "earlier"
    return "later" if theirs > ours else "same day"


def shared_terms(a: Profile, b: Profile, *, limit: int = SHARED_SHOWN) -> tuple[str, ...]:
    """Why two articles are linked: their shared names first, then the heaviest shared key terms.

    A shared two-word term stands for its words ("River Marden", not also "Marden").
    """
    aw, bw = a.weights, b.weights
    names = sorted(name for name in a.names & b.names if name in aw and name in bw)
    common = {t for t in a.top_terms if t in bw} | {t for t in b.top_terms if t in aw}
    pool = sorted(common, key=lambda t: (-aw[t] * bw[t], t))
    pair_of: dict[str, str] = {}
    for term in pool:
        if " " in term:
            for word in term.split(" "):
                pair_of.setdefault(word, term)
    shown: list[str] = []
    covered: set[str] = set()
    for name in (*names, *pool):
        term = pair_of.get(name, name)
        words = term.split(" ")
        if term in covered or all(word in covered for word in words):
            continue
        shown.append(a.surface.get(term, term))
        covered.add(term)
        covered.update(words)
        if len(shown) == limit:
            break
    return tuple(shown)


def _neighbours(candidates: Candidates) -> frozenset[str]:
    return frozenset(j for _, j in candidates[:NEIGHBOURS])


def _shares_enough(a: Profile, b: Profile) -> bool:
    bw = b.weights
    if sum(t in bw for t in a.top_terms[: MIN_SHARED * 4]) >= MIN_SHARED:
        return True  # the usual case, without intersecting whole vocabularies
    return len(a.weights.keys() & bw.keys()) >= MIN_SHARED


def _backed(ours: Candidates, theirs: Candidates) -> bool:
    """Some third article is among both candidate lists."""
    mine = {m for _, m in ours}
    return any(m in mine for _, m in theirs)


def _rank(
    pid: str,
    candidates: Mapping[str, Candidates],
    profiles: Mapping[str, Profile],
    k: int,
    neighbours: Mapping[str, frozenset[str]] | None = None,
    *,
    explain: bool = True,
) -> tuple[RelatedLink, ...]:
    own = candidates.get(pid, ())
    if not own or k <= 0:
        return ()
    mine = neighbours[pid] if neighbours is not None else _neighbours(own)
    me = profiles[pid]
    scored: list[tuple[float, str]] = []
    for score, j in own:
        theirs = neighbours[j] if neighbours is not None else _neighbours(candidates.get(j, ()))
        common = len(mine & theirs)
        if score < _WEAK_BELOW and not common and not _backed(own, candidates.get(j, ())):
            continue  # a faint match that no third article backs up: two loners, not a story
        overlap = common + (pid in theirs)
        final = score / SCORE_UNIT * date_factor(me.date, profiles[j].date) + BOOST * overlap / NEIGHBOURS
        scored.append((final, j))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    ceiling = 1.0 + BOOST * (NEIGHBOURS + 1) / NEIGHBOURS
    links: list[RelatedLink] = []
    for final, j in scored:
        if len(links) == k:
            break
        other = profiles[j]
        if not _shares_enough(me, other):
            continue  # one word in common ("port") is a coincidence, not a story
        links.append(
            RelatedLink(
                target=j,
                score=round(min(1.0, final / ceiling), 4),
                shared=shared_terms(me, other) if explain else (),
                direction=direction(me.date, other.date),
            )
        )
    return tuple(links)


def _check_unique(items: Iterable[RelatedItem]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"two related items have the id {item.id!r}")
        seen.add(item.id)


def prepare_linking(n_items: int, *, incremental: bool = False) -> None:
    """Load ahead of time what linking will use: numpy and scipy (~0.5 s) for a whole corpus of
    `n_items`, numpy alone for `RelatedIndex` edits. The build calls this when it would only wait."""
    if incremental:
        import numpy  # noqa: F401
    elif n_items >= _BULK_FROM:
        import scipy.sparse  # type: ignore[import-untyped]  # noqa: F401


def _first_order(ordered: Sequence[Profile], *, limit: int = CANDIDATES) -> dict[str, Candidates]:
    """Every profile's best `limit` others (profiles sorted by id), by the sparse product when it pays."""
    if len(ordered) >= _BULK_FROM:
        return all_candidates(ordered, min_score=_MIN_SCORE, limit=limit)
    return {
        p.id: top_candidates(
            {q.id: dot(p.weights, q.weights) for q in ordered if q.id != p.id},
            min_score=_MIN_SCORE,
            limit=limit,
        )
        for p in ordered
    }


def first_order(items: Sequence[RelatedItem], *, limit: int = RESERVE) -> dict[str, Candidates]:
    """Every item's best `limit` others (score, id), the costly whole-corpus step of linking.

    A function of the items alone: a build may keep it, and a later `link_related` or `RelatedIndex`
    over the same items may start from it instead of computing it again.
    """
    _check_unique(items)
    profiles = sorted((profile_of(item) for item in items), key=lambda p: p.id)
    return _first_order(profiles, limit=limit)


FirstOrder = Mapping[str, Candidates]
# `first_order(items)`, or how to get it from the items' profiles (sorted by id) once they are made:
# a caller that keeps it (on disk, say) then lets the linker make the profiles only once
KnownFirstOrder = FirstOrder | Callable[[Sequence[Profile]], FirstOrder]


def first_order_of_profiles(ordered: Sequence[Profile], *, limit: int = RESERVE) -> dict[str, Candidates]:
    """`first_order` of the items these profiles (sorted by id) were made from."""
    return _first_order(ordered, limit=limit)


def _resolve(known: KnownFirstOrder | None, ordered: Sequence[Profile]) -> FirstOrder | None:
    return known(ordered) if callable(known) else known


def link_related(
    items: Sequence[RelatedItem],
    *,
    k: int = 3,
    explain: bool = True,
    known_first_order: KnownFirstOrder | None = None,
) -> dict[str, tuple[RelatedLink, ...]]:
    """Up to k links per item, best first; every item's id is a key (no links: an empty tuple).

    `explain=False` leaves `RelatedLink.shared` empty, for callers that only need the targets.
    `known_first_order`: `first_order(items)` with a limit of at least CANDIDATES, if already known.
    """
    _check_unique(items)
    profiles = {item.id: profile_of(item) for item in items}
    ordered = [profiles[pid] for pid in sorted(profiles)]
    known = _resolve(known_first_order, ordered)
    if known is None:
        candidates = _first_order(ordered)
    else:
        candidates = {pid: tuple(known[pid][:CANDIDATES]) for pid in profiles}
    neighbours = {pid: _neighbours(found) for pid, found in candidates.items()}
    return {p.id: _rank(p.id, candidates, profiles, k, neighbours, explain=explain) for p in ordered}


def _relink(back: dict[str, set[str]], pid: str, old: set[str], new: set[str]) -> None:
    """Keep a back-reference map (member -> the ids listing it) in step with pid's list going old -> new."""
    for j in old - new:
        back[j].discard(pid)
    for j in new - old:
        back.setdefault(j, set()).add(pid)


class RelatedIndex:
    """Related links kept up to date under edits, equal to `link_related` of the current items.

    State: each article's profile, an inverted index (`similarity.InvertedIndex`), and for each article a
    *reserve*: the head of its ranking of all others (score, then id), up to `RESERVE` long, which is
    exactly the first entries of that ranking (or the whole of it, when marked complete). Its first
    `CANDIDATES` entries are the article's candidates. An upsert or removal of article x:
    - computes x's scores against everyone through the inverted index (one query); a dot product is
      symmetric, so that is also every other article's new score for x;
    - moves x within each reserve that holds it or that it now enters. A reserve stays an exact head
      as long as x is placed only ahead of its last entry; when x falls behind, the reserve just gets
      shorter, and only a reserve shorter than `CANDIDATES` is re-queried (rarely);
    - re-ranks the articles whose candidates changed, and the holders of x and of every article whose
      candidate members or first NEIGHBOURS changed (their overlap or backing may have changed; a
      change of scores alone does not reach them). Nothing else can change, because no weight
      depends on the rest of the corpus.
    """

    def __init__(
        self,
        items: Iterable[RelatedItem] = (),
        *,
        k: int = 3,
        reserve: int = RESERVE,
        known_first_order: KnownFirstOrder | None = None,
    ) -> None:
        """`known_first_order`: `first_order(items)` with a limit of at least `reserve`, if already known."""
        if reserve < CANDIDATES:
            raise ValueError(f"reserve must be at least CANDIDATES ({CANDIDATES}), not {reserve}")
        self.k = k
        self.reserve = reserve
        self.requeries = 0  # reserves that ran short and were rebuilt from the inverted index
        self._profiles: dict[str, Profile] = {}
        self._index = InvertedIndex()
        self._reserve: dict[str, list[tuple[int, str]]] = {}  # id -> exact head of its ranking
        self._complete: set[str] = set()  # ids whose reserve holds every article at or above the minimum
        self._keepers: dict[str, set[str]] = {}  # id -> ids whose reserve includes it
        self._candidates: dict[str, Candidates] = {}
        self._holders: dict[str, set[str]] = {}  # id -> ids whose candidates include it
        self._neighbours: dict[str, frozenset[str]] = {}  # id -> its first NEIGHBOURS candidates
        self._links: dict[str, tuple[RelatedLink, ...]] = {}
        self._view: dict[str, tuple[RelatedLink, ...]] | None = None  # _links in id order, kept by links()
        self._load(list(items), known_first_order)

    def _load(self, items: Sequence[RelatedItem], given: KnownFirstOrder | None) -> None:
        """Start from a whole corpus at once: the same candidates `link_related` computes."""
        _check_unique(items)
        for item in items:
            profile = self._profiles[item.id] = profile_of(item)
            self._index.add(profile)
        ordered = [self._profiles[pid] for pid in sorted(self._profiles)]
        known = _resolve(given, ordered)
        if known is None:
            known = _first_order(ordered, limit=self.reserve)
        for pid in sorted(self._profiles):
            found = known[pid]
            self._set_reserve(pid, list(found[: self.reserve]), complete=len(found) < self.reserve)
        for pid in self._profiles:
            self._links[pid] = self._rank(pid)

    def __len__(self) -> int:
        return len(self._profiles)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._profiles

    def links(self) -> dict[str, tuple[RelatedLink, ...]]:
        """Every id's links, in id order (a new dict each call)."""
        if self._view is None:
            self._view = {pid: self._links[pid] for pid in sorted(self._links)}
        return dict(self._view)

    def links_of(self, item_id: str) -> tuple[RelatedLink, ...]:
        return self._links.get(item_id, ())

    def upsert(self, item: RelatedItem) -> None:
        old = self._profiles.get(item.id)
        if old is not None:
            self._index.drop(old)
        profile = self._profiles[item.id] = profile_of(item)
        self._index.add(profile)
        self._changed(item.id)

    def remove(self, item_id: str) -> None:
        old = self._profiles.pop(item_id, None)
        if old is None:
            return
        self._index.drop(old)
        self._changed(item_id)

    def _scores(self, profile: Profile) -> npt.NDArray[np.int64]:
        """The profile's score with every slot of the inverted index."""
        return self._index.query(profile)

    def _query(self, pid: str) -> int:
        """Rebuild one article's reserve from the inverted index."""
        self.requeries += 1
        scores = self._scores(self._profiles[pid])
        found = self._index.top(scores, min_score=_MIN_SCORE, limit=self.reserve)
        return self._set_reserve(pid, found, complete=len(found) < self.reserve)

    def _rank(self, pid: str) -> tuple[RelatedLink, ...]:
        return _rank(pid, self._candidates, self._profiles, self.k, self._neighbours)

    def _set_reserve(self, pid: str, new: list[tuple[int, str]], *, complete: bool) -> int:
        """Store a reserve; how much its head (the candidates) changed: _SAME, _RESCORED or _REGROUPED."""
        old = self._reserve.get(pid, [])
        _relink(self._keepers, pid, {j for _, j in old}, {j for _, j in new})
        self._reserve[pid] = new
        if complete:
            self._complete.add(pid)
        else:
            self._complete.discard(pid)
        head = tuple(new[:CANDIDATES])
        current = self._candidates.get(pid, ())
        if head == current:
            self._neighbours.setdefault(pid, frozenset())
            return _SAME
        self._candidates[pid] = head
        old_members = {j for _, j in current}
        members = {j for _, j in head}
        _relink(self._holders, pid, old_members, members)
        neighbours = _neighbours(head)
        if members == old_members and neighbours == self._neighbours.get(pid):
            return _RESCORED
        self._neighbours[pid] = neighbours
        return _REGROUPED

    def _move(self, j: str, x: str, score: int) -> int:
        """x's score in j's ranking is now `score` (0 when x is gone); how much j's candidates changed."""
        reserve = self._reserve[j]
        complete = j in self._complete
        held = j in self._keepers.get(x, ())
        enters = score >= _MIN_SCORE and (complete or (bool(reserve) and (-score, x) < _order(reserve[-1])))
        if not held and not enters:
            return _SAME  # x stays behind the reserve's last entry: the reserve is still an exact head
        new = [entry for entry in reserve if entry[1] != x] if held else list(reserve)
        if enters:
            insort(new, (score, x), key=_order)
            if len(new) > self.reserve:
                new.pop()
                complete = False
        if len(new) < CANDIDATES and not complete:
            return max(self._set_reserve(j, new, complete=False), self._query(j))  # x's entry gone first
        return self._set_reserve(j, new, complete=complete)

    def _changed(self, x: str) -> None:
        """Bring every reserve, candidate list and link list up to date after x changed or went."""
        rescored: set[str] = {x}  # candidates changed: re-rank these
        regrouped: set[str] = {x}  # members or neighbours changed (or the profile): their holders re-rank too
        profile = self._profiles.get(x)
        near: dict[str, int] = {}  # id -> its score with x, where at least _MIN_SCORE
        affected = set(self._keepers.get(x, ()))
        if profile is None:
            self._set_reserve(x, [], complete=True)
            for mapping in (self._reserve, self._candidates, self._neighbours, self._links):
                mapping.pop(x, None)
            self._complete.discard(x)
            self._view = None
        else:
            if x not in self._links:
                self._view = None
            scores = self._scores(profile)
            found = self._index.top(scores, min_score=_MIN_SCORE, limit=self.reserve)
            self._set_reserve(x, found, complete=len(found) < self.reserve)
            near = self._index.at_least(scores, _MIN_SCORE)
            affected.update(near)
        for j in affected:
            if j not in self._profiles:
                continue
            change = self._move(j, x, near.get(j, 0))  # a score below the minimum counts as none
            if change != _SAME:
                rescored.add(j)
                if change == _REGROUPED:
                    regrouped.add(j)
        if profile is None:
            self._holders.pop(x, None)
            self._keepers.pop(x, None)
        for j in regrouped:
            rescored.update(self._holders.get(j, ()))
        view = self._view
        for pid in rescored:
            if pid in self._profiles:
                self._links[pid] = found_links = self._rank(pid)
                if view is not None:
                    view[pid] = found_links


def _order(entry: tuple[int, str]) -> tuple[int, str]:
    """Sort key of a (score, id) entry: higher score first, then the smaller id."""
    return (-entry[0], entry[1])


# --- explicit references ("Related article: <title>") -------------------------------------------

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
_NON_WORD = re.compile(r"[^\w]+")
MATCH_AT_LEAST = 0.85  # similarity of normalised titles needed to call it the same title


def title_key(title: str) -> str:
    """A title reduced for matching: NFKC, case-folded, quotes straightened, punctuation and spacing gone."""
    text = unicodedata.normalize("NFKC", title).translate(_QUOTES).casefold()
    text = text.replace("'", "")  # "Leaders'" and "Leaders" alike
    return " ".join(_NON_WORD.sub(" ", text).split())


def match_reference(title: str, candidates: Mapping[str, str]) -> str | None:
    """The id whose title is (nearly) the referenced one, or None when nothing is close enough.

    Exact after normalisation wins; otherwise the best character-level similarity of the normalised
    titles, if at least MATCH_AT_LEAST, ties to the smaller id.
    """
    return TitleMatcher(candidates).match(title)


class TitleMatcher:
    """`match_reference` over one set of titles, normalised once for many references."""

    def __init__(self, candidates: Mapping[str, str]) -> None:
        self._keys = sorted((cid, key) for cid, title in candidates.items() if (key := title_key(title)))
        self._exact: dict[str, str] = {}
        for cid, key in self._keys:  # sorted: the smallest id wins a tie
            self._exact.setdefault(key, cid)

    def match(self, title: str, *, exclude: str | None = None) -> str | None:
        """The matching id, never `exclude` (an article does not refer to itself)."""
        wanted = title_key(title)
        if not wanted:
            return None
        exact = self._exact.get(wanted)
        if exact is not None and exact != exclude:
            return exact
        best: tuple[float, str] | None = None
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        for cid, key in self._keys:
            if cid == exclude:
                continue
            if key == wanted:
                return cid  # the exact match after the excluded one
            matcher.set_seq1(key)
            if matcher.real_quick_ratio() < MATCH_AT_LEAST or matcher.quick_ratio() < MATCH_AT_LEAST:
                continue
            ratio = matcher.ratio()
            if ratio >= MATCH_AT_LEAST and (best is None or ratio > best[0]):
                best = (ratio, cid)
        return best[1] if best else None
