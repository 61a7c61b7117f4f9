"""YAML from users (front matter, briefgen.yml), checked before it is built into values.

PyYAML shares the object an alias names, so a 600-byte "billion laughs" block parses in milliseconds;
it is every later walk of the result (a template, the cache, a repr in a message) that never ends. The
budget is therefore counted on the parser's events, aliases counting as what they repeat, before any
value is built.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
MAX_VALUES = 10_000  # scalars and collections, aliases counted as what they repeat
MAX_DEPTH = 64


def _line(event: Any) -> int:
    mark = event.start_mark
    return int(mark.line) if mark is not None else 0


def _plainly_within_budget(block: str) -> bool:
    """A cheap sufficient test (most front matter passes it): without anchors there is nothing to
    expand; a value takes at least two characters; and a level of nesting needs a bracket, a brace, a
    new line or a '- ' / '? ' on the same line."""
    if "&" in block or "*" in block or len(block) >= 2 * MAX_VALUES:
        return False
    openers = block.count("[") + block.count("{") + block.count("\n") + block.count("- ") + block.count("? ")
    return openers + 1 < MAX_DEPTH


def check_budget(block: str) -> tuple[int, str] | None:
    """(0-based line, problem) when the YAML in `block` would expand past MAX_VALUES or nest past
    MAX_DEPTH; None when it is within budget (or is not valid YAML: loading it then says why)."""
    if _plainly_within_budget(block):
        return None
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (values, depth) of what it names
    open_: list[list[Any]] = []  # [values so far, deepest child, anchor] per open collection
    total = 0
    try:
        for event in yaml.parse(block, Loader=LOADER):
            if isinstance(event, CollectionStartEvent):
                if len(open_) >= MAX_DEPTH:
                    return _line(event), f"the YAML is nested more than {MAX_DEPTH} levels deep"
                open_.append([1, 0, event.anchor])
                continue
            if isinstance(event, CollectionEndEvent):
                values, depth, anchor = open_.pop()
                size = (values, depth + 1)
            elif isinstance(event, ScalarEvent):
                anchor = event.anchor
                size = (1, 0)
            elif isinstance(event, AliasEvent):
                anchor = None
                if event.anchor not in sizes:
                    return (
                        _line(event),
                        f"alias *{event.anchor} refers to a collection that contains it",
                    )
                size = sizes[event.anchor]
            else:
                continue
            if anchor:
                sizes[anchor] = size
            if len(open_) + size[1] > MAX_DEPTH:
                return _line(event), f"the YAML is nested more than {MAX_DEPTH} levels deep"
            if open_:
                open_[-1][0] += size[0]
                open_[-1][1] = max(open_[-1][1], size[1])
                grown = open_[-1][0]
            else:
                total += size[0]
                grown = total
            if grown > MAX_VALUES:
                return _line(event), (
                    f"the YAML expands to more than {MAX_VALUES:,} values through its aliases "
                    "(a YAML 'billion laughs' bomb?)"
                )
    except yaml.YAMLError:
        return None
    return None
