"""JSON-lines commands under malformed input: every bad line is one `<stdin>:N: error:` line, the good
lines are all answered with valid JSON, nothing traces back, and a closed stdout ends them quietly.

The probe set is generated: each family of mistakes crossed with the values that trip it. The real
command runs in a subprocess (stdin and stdout are real pipes, as a script would use them).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from briefgen.jsonl import LineReport, read_objects
from tests.conftest import REPO

GOOD_TEXT = "The mayor opened the bridge on Monday. \u201cIt is a fine day,\u201d said Mayor Ana Lopes. Traffic resumed."


def _bad_values() -> Iterator[object]:
    """Values of the wrong JSON type for a string field."""
    yield from (None, 1, 1.5, True, False, [], ["a"], {}, {"a": 1}, [[["deep"]]])


def malformed_lines() -> list[tuple[bytes, str]]:
    """(line bytes, what the error must say) for every probe; at least 100 of them."""
    probes: list[tuple[bytes, str]] = []

    def add(line: str | bytes, expect: str) -> None:
        probes.append((line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass"), expect))

    # not JSON at all
    for text in ("{not json", "{", "}", '{"id": 1,', '{"id": 1 "text": "x"}', "{'id': 1}", "nul", "tru",
                 '{"id": 1, "text": "x"}}', '{"id": 1, "text": "unterminated}', "\"just a string", ",",
                 '{"id": 01, "text": "x"}', '{"id": 1, "text": "x",}', '[1, 2', "{\"id\": 1, \"text\": \"\t\"}",
                 '{"id": 1, "text": "\\x41"}', '{"id": 1, "text": "\\u12"}'):  # fmt: skip
        add(text, "not valid JSON")
    # JSON, but not an object
    for text in ("[]", "[1, 2]", '"text"', "42", "3.5", "true", "null", '[{"id": 1, "text": "x"}]'):
        add(text, "expected a JSON object")
    # NaN and infinities are not JSON
    for const in ("NaN", "Infinity", "-Infinity"):
        add(f'{{"id": 1, "text": "x", "score": {const}}}', "is not a JSON number")
        add(f'{{"id": {const}, "text": "x"}}', "is not a JSON number")
    # missing keys
    for obj in ({}, {"id": 1}, {"text": "x"}, {"ID": 1, "text": "x"}, {"id": 1, "Text": "x"}):
        add(json.dumps(obj), "missing key")
    # wrong types for text, title, date
    for key in ("text", "title", "date"):
        for value in _bad_values():
            if value is None and key != "text":
                continue  # a null title or date means "none"
            add(json.dumps({"id": f"{key}-{value!r}", "text": "x", key: value} | ({"text": value} if key == "text" else {})), f"'{key}' must be a string")  # fmt: skip
    # wrong types for id
    for value in (None, True, 1.5, [], ["a"], {}, {"a": 1}):
        add(json.dumps({"id": value, "text": "x"}), "'id' must be a string or a whole number")
    # lone surrogate escapes, in each string field
    for key in ("id", "text", "title", "date"):
        for escape in ("\\ud800", "\\udfff", "\\udc80", "a\\ud83d"):
            fields = {"id": f'"s-{key}-{escape}"', "text": '"x"'}
            fields[key] = f'"{escape}"'
            add("{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}", "lone surrogate")
    # bytes that are not UTF-8
    for raw in (b"\xff", b"\xfe\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80"):
        add(b'{"id": "u", "text": "' + raw + b'"}', "not valid UTF-8")
    add(b"\xff\xfe{}", "not valid UTF-8")
    # numbers too long to read, nesting too deep
    for digits in (4301, 5000, 20000):
        add('{"id": ' + "7" * digits + ', "text": "x"}', "digits cannot be read")
    for depth in (100_000, 400_000):
        add("[" * depth + "]" * depth, "nested too deeply")
        add('{"id": "deep", "text": "x", "extra": ' + "[" * depth + "]" * depth + "}", "nested too deeply")
    return probes


def _run(command: list[str], stdin: bytes, timeout_s: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *command],
        input=stdin,
        capture_output=True,
        timeout=timeout_s,
        cwd=REPO,
        env={
            **os.environ,
            "PYTHONWARNINGS": "ignore",
            "LC_ALL": "C",
        },  # an ASCII locale: output is UTF-8 anyway
    )


def test_the_probe_set_is_large_and_varied() -> None:
    probes = malformed_lines()
    assert len(probes) >= 100
    assert len({line for line, _ in probes}) == len(probes)


@pytest.mark.parametrize(
    "command",
    [["summarize", "--jsonl"], ["quotes", "--jsonl"], ["entities", "--jsonl"], ["related", "--jsonl"]],
    ids=lambda c: c[0],
)
def test_every_malformed_line_is_reported_and_every_good_line_answered(command: list[str]) -> None:
    probes = malformed_lines()
    lines: list[bytes] = []
    expected: dict[int, str] = {}
    good_ids: list[str] = []
    for n, (line, expect) in enumerate(probes):
        ident = f"good-{n}"
        good_ids.append(ident)
        lines.append(
            json.dumps({"id": ident, "title": "Bridge", "text": GOOD_TEXT, "date": "2025-03-01"}).encode()
        )
        lines.append(line)
        expected[len(lines)] = expect
    lines.append(json.dumps({"id": "good-0", "text": GOOD_TEXT}).encode())  # an id used before
    expected[len(lines)] = "was already used on line 1"
    run = _run(command, b"\n".join(lines) + b"\n")
    stderr = run.stderr.decode("utf-8")
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-2000:]
    assert run.returncode == 1
    reported = {}
    for line in stderr.splitlines():
        assert line.startswith("<stdin>:"), line
        number = int(line.split(":", 2)[1])
        assert number not in reported, f"line {number} reported twice"
        reported[number] = line
    assert set(reported) == set(expected)
    for number, expect in expected.items():
        assert expect in reported[number], (number, reported[number])
    answered = []
    for out_line in run.stdout.decode("utf-8").splitlines():
        obj = json.loads(out_line, parse_constant=lambda name: pytest.fail(f"{name} in the output"))
        answered.append(obj["id"])
    assert answered == good_ids


def test_a_reader_that_closes_stdout_ends_the_command_quietly() -> None:
    line = json.dumps({"id": 0, "text": GOOD_TEXT}) + "\n"
    lines = "".join(line.replace('"id": 0', f'"id": {n}') for n in range(3000)).encode()
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "summarize", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    stdin = proc.stdin

    def feed() -> None:
        try:
            stdin.write(lines)
        except BrokenPipeError:
            pass
        finally:
            with contextlib.suppress(BrokenPipeError):
                stdin.close()

    writer = threading.Thread(target=feed)
    writer.start()
    first = proc.stdout.readline()
    assert json.loads(first)["id"] == 0
    proc.stdout.close()  # like `| head -1`
    assert proc.wait(timeout=120) == 0
    writer.join(timeout=10)
    assert proc.stderr.read() == b""
    proc.stderr.close()


def test_a_stdout_closed_from_the_start_is_quiet() -> None:
    line = json.dumps({"id": 1, "text": GOOD_TEXT}) + "\n"
    run = subprocess.run(
        f"{sys.executable} -m briefgen quotes --jsonl >&-",
        shell=True,
        input=line.encode(),
        capture_output=False,
        stderr=subprocess.PIPE,
        timeout=60,
        cwd=REPO,
    )
    assert run.returncode == 0
    assert run.stderr == b""


def test_read_objects_without_a_report_raises_on_the_first_bad_line() -> None:
    import io

    from briefgen.errors import InputLineError

    stream = io.StringIO('{"id": 1, "text": "a"}\n[]\n')
    got = []
    with pytest.raises(InputLineError) as caught:
        for number, obj in read_objects(stream, ("id", "text")):
            got.append((number, obj["id"]))
    assert got == [(1, 1)] and caught.value.line == 2
    report = LineReport(io.StringIO())
    stream = io.StringIO('{"id": 1, "text": "a"}\n[]\n\n{"id": 2, "text": "b"}\n')
    assert [n for n, _ in read_objects(stream, ("id", "text"), report)] == [1, 4]
    assert report.bad == 1
