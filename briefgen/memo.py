"""Values derived from one briefing, kept across the builds of a preview session.

An unchanged article comes back from the session as the very same `Briefing` object, so anything
computed from it alone can be reused after an identity check: on a 10,000-article site an edit then
costs work for one briefing, not ten thousand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from briefgen.model import Briefing

T = TypeVar("T")


class PerBriefing(Generic[T]):
    """`derive(briefing)`, remembered per slug while the briefing object stays the same."""

    __slots__ = ("_derive", "_memo", "fresh")

    def __init__(self, derive: Callable[[Briefing], T]) -> None:
        self._derive = derive
        self._memo: dict[str, tuple[Briefing, T]] = {}
        self.fresh: set[str] = set()  # slugs derived anew since the last `keep_only`

    def __call__(self, briefing: Briefing) -> T:
        entry = self._memo.get(briefing.slug)
        if entry is not None and entry[0] is briefing:
            return entry[1]
        value = self._derive(briefing)
        self._memo[briefing.slug] = (briefing, value)
        self.fresh.add(briefing.slug)
        return value

    def keep_only(self, slugs: Iterable[str]) -> None:
        """Forget briefings that are gone, and start a new round of `fresh`."""
        wanted = set(slugs)
        for slug in [s for s in self._memo if s not in wanted]:
            del self._memo[slug]
        self.fresh = set()
