"""Long lists (a topic's, an entity's, the stories') in pages of `page_size` cards: 'tags/x/',
'tags/x/page/2/', ... Page 1 is the list's own folder, so its address never changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def page_count(items: int, page_size: int) -> int:
    """How many pages a list of `items` cards takes (always one at least; page_size 0: one page)."""
    if page_size <= 0 or items <= page_size:
        return 1
    return -(-items // page_size)


def paged_url(folder: str, number: int) -> str:
    """The URL of page `number` of the list at `folder` ('tags/x/'): the folder itself, then page/N/."""
    return folder if number == 1 else f"{folder}page/{number}/"


def page_slice(items: Sequence[T], number: int, page_size: int) -> Sequence[T]:
    if page_size <= 0:
        return items
    return items[(number - 1) * page_size : number * page_size]


def pager(folder: str, number: int, pages: int) -> dict[str, Any] | None:
    """What a page of a list shows of the others: its number, and its neighbours' URLs (None when the
    list has one page). 'prev' is the newer page, 'next' the older, as lists run newest first."""
    if pages <= 1:
        return None
    return {
        "number": number,
        "pages": pages,
        "prev": paged_url(folder, number - 1) if number > 1 else None,
        "next": paged_url(folder, number + 1) if number < pages else None,
        "first": folder,
    }
