"""The golden case-file reader: every case in tests/cases reads, and --update-golden touches only the
expected section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.casefiles import CASES, Case, CaseFileError, Golden, case_paths, read_case, rewrite_expected

STAGES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("stage", STAGES)
def test_every_case_file_reads_and_rewrites_to_itself(stage: str, tmp_path: Path) -> None:
    paths = case_paths(stage)
    assert paths, stage
    for path in paths:
        case = read_case(path)
        assert case.expected.strip(), path
        # an empty input only where the config says what to make instead (an empty file, a FIFO, a link)
        assert case.input.strip() or case.config, f"{path}: an empty input needs a config"
        assert case.comment, f"{path}: say in a '#' line what the case shows"
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        rewrite_expected(read_case(copy), case.expected)
        assert copy.read_bytes() == path.read_bytes(), path


def test_sections_config_input_expected(tmp_path: Path) -> None:
    text = '# two lines\n# of comment\n--- config\n{"title": "A title"}\n--- input\n  kept  \n\nas is\n--- expected\n{"a": 1}\n\n'
    case = read_case(_write(tmp_path, text))
    assert case.comment == "two lines\nof comment"
    assert case.config == {"title": "A title"}
    assert case.input == "  kept  \n\nas is"
    assert case.expected == '{"a": 1}'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no sections at all\n", ":1: no '--- input'"),
        ("# c\n--- input\nx\n--- output\ny\n", ":4: unknown section 'output'"),
        ("# c\n--- expected\ny\n--- input\nx\n", ":1: sections must be config input expected"),
        ("a stray line\n--- input\nx\n--- expected\ny\n", ":1: only '#' comment lines"),
        ("# c\n--- config\n{oops}\n--- input\nx\n--- expected\ny\n", ":3: config is not valid JSON"),
        ("# c\n--- config\n[1]\n--- input\nx\n--- expected\ny\n", ":2: config must be a JSON object"),
    ],
    ids=["no-sections", "unknown-section", "order", "stray-line", "bad-json", "not-an-object"],
)
def test_a_malformed_case_file_is_named_with_its_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(CaseFileError, match=re.escape(f"{path}{message}")):
        read_case(path)


def test_update_rewrites_only_the_expected_section(tmp_path: Path) -> None:
    text = '# what it shows\n--- config\n{"k": 2}\n--- input\nline one\n--- expected\nold\nlines\n'
    path = _write(tmp_path, text)
    golden = Golden(update=True)
    golden.check(read_case(path), "new\n")
    assert path.read_text(encoding="utf-8") == text.replace("old\nlines\n", "new\n")
    assert golden.rewritten == [path]
    golden.check(read_case(path), "new")  # now equal: nothing written
    assert golden.rewritten == [path]


def test_without_update_a_difference_fails_and_leaves_the_file(tmp_path: Path) -> None:
    text = "# c\n--- input\nx\n--- expected\nold\n"
    path = _write(tmp_path, text)
    case: Case = read_case(path)
    with pytest.raises(AssertionError, match="--update-golden"):
        Golden(update=False).check(case, "new")
    assert path.read_text(encoding="utf-8") == text
