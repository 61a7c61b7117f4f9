"""The leading `---` YAML block of an article, with YAML errors mapped to the file's own lines.

Front matter comes from whoever wrote the article, so it is read defensively:
- at most 64 KB, and at most 10,000 values once aliases are expanded, nested at most 64 deep: a
  600-byte "billion laughs" block otherwise makes every later walk of it (templates, the cache) run for
  minutes. Both are checked on the parser's events, before anything is built;
- only YAML's plain types (safe loading); a value YAML cannot build (an impossible date such as
  `2025-02-30`, `!!int abc`, an unknown tag) is an error at its own line and left out, and the article
  is built without it; a repeated key is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from briefgen.errors import Diagnostic, Severity, SourceError, SourceLocation
from briefgen.safeyaml import LOADER, check_budget

MAX_FRONT_MATTER_BYTES = 64 * 1024
_TOP_KEY = re.compile(r"^([^\s#'\"\[\]{}&*!|>%@`,?:-][^:#]*?)\s*:(?:\s|$)")
_TAG = "tag:yaml.org,2002:"


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontMatter:
    """An article split into its front matter and body; lines are 1-based lines of the file."""

    data: Mapping[str, object]  # empty without front matter (or when it could not be used)
    line: int | None  # the opening '---', None without front matter
    body: str
    body_line: int
    key_lines: Mapping[str, int]  # top-level key -> its line
    diagnostics: tuple[Diagnostic, ...]  # problems that left the article usable


class _Problems:
    """What a loader found while building values: (0-based line in the block, column, severity, message)."""

    def __init__(self) -> None:
        self.found: list[tuple[int, int, Severity, str]] = []


_DROPPED = object()  # a value that could not be built: removed from its container after loading

_TYPE_NAMES = {
    "timestamp": "a date",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
}


def _guarded(kind: str, build: Callable[[Any, Any], object]) -> Callable[[Any, Any], object]:
    """A constructor that reports a value it cannot build (instead of raising ValueError and the like)."""

    def construct(loader: Any, node: Any) -> object:
        try:
            return build(loader, node)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            value = _short(str(node.value))
            if "digits" in str(exc):
                message = f"a number of {len(str(node.value)):,} digits is too long to read"
            elif kind == "timestamp" and isinstance(exc, ValueError):
                reason = str(exc).replace("day is out of range for month", "no such day in that month")
                message = f"{value!r} is not a real date ({reason})"
            elif kind == "timestamp":
                message = f"{value!r} is not a date (YYYY-MM-DD)"
            else:
                message = f"{value!r} is not {_TYPE_NAMES[kind]}"
            _report(loader, node, Severity.ERROR, message + "; the value is left out")
            return _DROPPED

    return construct


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _report(loader: Any, node: Any, severity: Severity, message: str) -> None:
    mark = node.start_mark
    loader.problems.found.append((mark.line, mark.column + 1, severity, message))


def _unsupported(loader: Any, node: Any) -> object:
    _report(
        loader, node, Severity.ERROR, f"unsupported YAML tag {_tag_name(node.tag)}; the value is left out"
    )
    return _DROPPED


def _make_loader(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    class Loader(base):  # type: ignore[valid-type,misc]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.problems = _Problems()

    for kind in _TYPE_NAMES:
        Loader.add_constructor(_TAG + kind, _guarded(kind, base.yaml_constructors[_TAG + kind]))
    for kind in ("binary", "set", "omap", "pairs"):  # not plain data a template or the cache expects
        Loader.add_constructor(_TAG + kind, _unsupported)
    Loader.add_constructor(None, _unsupported)
    Loader.add_constructor(_TAG + "map", _mapping_generator)
    return Loader


def _mapping_generator(loader: Any, node: Any) -> Any:
    data: dict[Any, Any] = {}
    yield data
    seen: set[object] = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(":str"):
            if key_node.value in seen:
                _report(
                    loader,
                    key_node,
                    Severity.WARNING,
                    f"key {key_node.value!r} is given twice; the last value is used",
                )
            seen.add(key_node.value)
    data.update(loader.construct_mapping(node))


_FAST = _make_loader(LOADER)
_PURE = _make_loader(yaml.SafeLoader)  # its error marks point at the offending line


def _without_dropped(value: object) -> object:
    """The loaded data with the values that could not be built removed (bounded by the budget)."""
    if isinstance(value, dict):
        return {k: _without_dropped(v) for k, v in value.items() if v is not _DROPPED}
    if isinstance(value, list):
        return [_without_dropped(v) for v in value if v is not _DROPPED]
    return value


def _load(block: str, first_line: int, location: SourceLocation) -> tuple[object, list[Diagnostic]]:
    """The block's data and the problems found building it; SourceError when it is not usable YAML."""
    loader_class = _FAST
    for attempt in (0, 1):
        loader: Any = loader_class(block)
        try:
            data = loader.get_single_data()
        except yaml.MarkedYAMLError as exc:
            if attempt == 0 and loader_class is not _PURE:
                loader_class = _PURE  # again, for marks that point at the offending line
                continue
            raise _yaml_error(exc, first_line, location) from None
        except yaml.YAMLError as exc:
            raise SourceError(
                f"front matter is not valid YAML: {exc}", SourceLocation(location.path, first_line)
            ) from None
        except RecursionError:
            raise SourceError(
                "front matter is nested too deeply", SourceLocation(location.path, first_line)
            ) from None
        finally:
            loader.dispose()
        problems = [
            Diagnostic(
                severity, f"front matter: {message}", SourceLocation(location.path, first_line + line, col)
            )
            for line, col, severity, message in loader.problems.found
        ]
        return _without_dropped(data), problems
    raise AssertionError("unreachable")


def _yaml_error(exc: yaml.MarkedYAMLError, first_line: int, location: SourceLocation) -> SourceError:
    mark = exc.problem_mark
    line = first_line + mark.line if mark else first_line
    column = mark.column + 1 if mark else None
    problem = exc.problem or "syntax error"
    if "unhashable" in problem:
        problem = "a key must be text, not a list or a mapping"
    return SourceError(
        f"front matter is not valid YAML: {problem}", SourceLocation(location.path, line, column)
    )


def _closing_line(lines: list[str], start: int) -> int | None:
    size = 0
    for end in range(start + 1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            return end
        size += len(lines[end]) + 1
        if size > MAX_FRONT_MATTER_BYTES:
            return None
    return None


def split_front_matter(text: str, location: SourceLocation) -> FrontMatter:
    """The front matter and body of an article.

    Front matter is a `---` line at the very top (leading blank lines allowed) and a closing `---` or
    `...` within 64 KB. Raises SourceError when the article cannot be used (front matter never closed,
    or not valid YAML); a block over budget is an error too, but the article is built from its body.
    """
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        return FrontMatter(data={}, line=None, body=text, body_line=1, key_lines={}, diagnostics=())
    end = _closing_line(lines, start)
    if end is None:
        size = sum(len(line) + 1 for line in lines[start + 1 :])
        problem = (
            f"front matter opened with '---' is not closed within {MAX_FRONT_MATTER_BYTES // 1024} KB"
            if size > MAX_FRONT_MATTER_BYTES
            else "front matter opened with '---' is never closed"
        )
        raise SourceError(f"{problem}: add a '---' line after it", SourceLocation(location.path, start + 1))
    block = "\n".join(lines[start + 1 : end])
    first_block_line = start + 2
    body = "\n".join(lines[end + 1 :])
    over = check_budget(block) if block.strip() else None
    if len(block.encode("utf-8", "surrogatepass")) > MAX_FRONT_MATTER_BYTES:
        over = (0, f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KB")
    if over is not None:
        error = Diagnostic(
            Severity.ERROR,
            f"{over[1].replace('the YAML', 'front matter')}; it is ignored and the article is built from its body",
            SourceLocation(location.path, first_block_line + over[0]),
        )
        return FrontMatter(
            data={}, line=start + 1, body=body, body_line=end + 2, key_lines={}, diagnostics=(error,)
        )
    data, problems = _load(block, first_block_line, location) if block.strip() else ({}, [])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(
            f"front matter must be a mapping of keys to values, got {_kind(data)}",
            SourceLocation(location.path, first_block_line),
        )
    key_lines: dict[str, int] = {}
    for offset, block_line in enumerate(lines[start + 1 : end]):
        m = _TOP_KEY.match(block_line)
        if m and m[1] not in key_lines:
            key_lines[m[1]] = first_block_line + offset
    return FrontMatter(
        data={str(k): v for k, v in data.items()},
        line=start + 1,
        body=body,
        body_line=end + 2,
        key_lines=key_lines,
        diagnostics=tuple(problems),
    )


def _kind(value: object) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
