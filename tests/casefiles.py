"""The one reader (and writer) of the golden case files in `tests/cases/<stage>/*.txt`.

A case file is a few `#` comment lines saying what the case shows, then sections, each opened by a line
`--- NAME`, in this order:

    # a wire dateline is not part of the first sentence
    --- config
    {"title": "optional: a JSON object of options for the stage"}
    --- input
    the text given to the stage, exactly as written (no section marker line inside it)
    --- expected
    {"the": "stage's output, usually one JSON object a line"}

`--- config` may be left out. `pytest --update-golden` rewrites only the text after `--- expected` of
the cases whose output changed, so the change shows up as a diff of the case files for review.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).resolve().parent / "cases"
SECTIONS = ("config", "input", "expected")  # the order they must come in; `config` is optional
_HEADER = re.compile(r"^--- (\w+)$", re.MULTILINE)


class CaseFileError(ValueError):
    """A case file that does not follow the format; the message starts with `path:line:`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    path: Path
    comment: str  # the `#` lines, without the marks
    config: Mapping[str, Any]
    input: str
    expected: str  # without the newline(s) that end the file
    expected_at: int  # offset in the file where the expected text starts (what --update-golden replaces)


def case_paths(stage: str) -> list[Path]:
    return sorted((CASES / stage).glob("*.txt"))


def each_case(stage: str) -> pytest.MarkDecorator:
    """Parametrize a test over a stage's case files by path (each read inside its own test, by `read_case`)."""
    return pytest.mark.parametrize("case_path", case_paths(stage), ids=lambda path: path.stem)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def read_case(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    headers = list(_HEADER.finditer(text))
    if not headers:
        raise CaseFileError(f"{path}:1: no '--- input' / '--- expected' sections")
    names = [m.group(1) for m in headers]
    for match in headers:
        if match.group(1) not in SECTIONS:
            raise CaseFileError(
                f"{path}:{_line_of(text, match.start())}: unknown section {match.group(1)!r} "
                f"(sections: {', '.join(SECTIONS)})"
            )
    if names not in (list(SECTIONS), list(SECTIONS[1:])):
        raise CaseFileError(
            f"{path}:1: sections must be {' '.join(SECTIONS)} in this order (config optional)"
        )
    head = text[: headers[0].start()]
    comment_lines = head.splitlines()
    for number, line in enumerate(comment_lines, start=1):
        if not line.startswith("#"):
            raise CaseFileError(f"{path}:{number}: only '#' comment lines may come before the first section")
    bodies: dict[str, str] = {}
    for match, following in zip(headers, [*headers[1:], None], strict=True):
        start = match.end() + 1  # after the header's newline
        end = following.start() - 1 if following is not None else len(text)  # the newline before the next
        bodies[match.group(1)] = text[start:end] if start <= end else ""
    config: Any = {}
    if "config" in bodies:
        try:
            config = json.loads(bodies["config"])
        except json.JSONDecodeError as exc:
            line = _line_of(text, headers[0].end() + 1) + exc.lineno - 1
            raise CaseFileError(f"{path}:{line}: config is not valid JSON: {exc.msg}") from None
        if not isinstance(config, dict):
            raise CaseFileError(f"{path}:{_line_of(text, headers[0].end())}: config must be a JSON object")
    return Case(
        path=path,
        comment="\n".join(line.removeprefix("#").strip() for line in comment_lines),
        config=config,
        input=bodies["input"],
        expected=bodies["expected"].rstrip("\n"),
        expected_at=min(headers[-1].end() + 1, len(text)),
    )


def rewrite_expected(case: Case, actual: str) -> None:
    """Replace the expected section of `case`'s file with `actual`, leaving every other byte as it is."""
    text = case.path.read_text(encoding="utf-8")
    head = text[: case.expected_at]
    if not head.endswith("\n"):
        head += "\n"
    case.path.write_text(head + actual.rstrip("\n") + "\n", encoding="utf-8")


def as_jsonl(objects: list[Any]) -> str:
    """Objects as the case files write them: one compact JSON value a line, non-ASCII as written."""
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in objects)


@dataclass
class Golden:
    """Compares a stage's output with a case's expected section, or rewrites it under --update-golden."""

    update: bool
    rewritten: list[Path] = field(default_factory=list)

    def check(self, case: Case, actual: str) -> None:
        got = actual.rstrip("\n")
        if got == case.expected:
            return
        if self.update:
            rewrite_expected(case, got)
            self.rewritten.append(case.path)
            return
        assert got == case.expected, f"{case.path}: output differs (pytest --update-golden rewrites it)"
