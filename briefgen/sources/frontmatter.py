"""The leading `---` YAML block of an article, with YAML errors mapped to the file's own lines."""

from __future__ import annotations

import re
from collections.abc import Mapping

import yaml

from briefgen.errors import SourceError, SourceLocation

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: several times faster
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def _load_yaml(block: str) -> object:
    """libyaml for speed; on an error, the pure-Python parser, whose marks point at the offending line."""
    try:
        return yaml.load(block, Loader=_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(block)


def split_front_matter(
    text: str, location: SourceLocation
) -> tuple[Mapping[str, object], int | None, str, int, Mapping[str, int]]:
    """Return (front matter, its first line, body, body's first line, key -> line); lines are 1-based.

    Front matter is a `---` line at the very top (leading blank lines allowed) and a closing `---` or `...`.
    """
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        return {}, None, text, 1, {}
    for end in range(start + 1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise SourceError(
            "front matter opened with '---' is never closed: add a '---' line after it",
            SourceLocation(location.path, start + 1),
        )
    block = "\n".join(lines[start + 1 : end])
    first_block_line = start + 2
    try:
        data = _load_yaml(block) if block.strip() else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = first_block_line + mark.line if mark else first_block_line
        column = mark.column + 1 if mark else None
        problem = exc.problem or "syntax error"
        raise SourceError(
            f"front matter is not valid YAML: {problem}", SourceLocation(location.path, line, column)
        ) from None
    except yaml.YAMLError as exc:
        raise SourceError(
            f"front matter is not valid YAML: {exc}", SourceLocation(location.path, first_block_line)
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(
            f"front matter must be a mapping of keys to values, got {type(data).__name__}",
            SourceLocation(location.path, first_block_line),
        )
    body = "\n".join(lines[end + 1 :])
    key_lines: dict[str, int] = {}
    for offset, block_line in enumerate(lines[start + 1 : end]):
        m = _TOP_KEY.match(block_line)
        if m and m[1] not in key_lines:
            key_lines[m[1]] = first_block_line + offset
    return {str(k): v for k, v in data.items()}, start + 1, body, end + 2, key_lines
