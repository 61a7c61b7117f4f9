"""JSON-lines commands: the build's own analysis, one article per input line, streamed.

Each handler reads `{"id", "text", ...}` objects from a text stream and writes one result object per
line as soon as it is computed, so the commands work on pipes of any length. They call the very
functions the build calls (`briefgen.analysis.analyse_body`), which is what makes the quality figures
measured on them true of the briefing pages.

Input is whatever a script produced, so every line is checked before it is used: a malformed line (not
UTF-8, not JSON, NaN, a number too long to read, nesting too deep, a lone surrogate, a missing or
mistyped key, an id already used) is reported as `<stdin>:N: error: ...` on stderr and skipped, and the
command goes on with the next line. stdout only ever holds valid JSON lines, in UTF-8. The exit code is
1 when any line was bad, else 0; a reader that closes stdout early ends the command quietly.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from briefgen.errors import InputLineError, SourceError, shown
from briefgen.model import Briefing, Entity, Source, StoryFeatures

EXIT_OK = 0
EXIT_BAD_LINES = 1


@dataclass
class LineReport:
    """Where a command reports its malformed lines; `bad` counts them for the exit code."""

    stream: IO[str]
    bad: int = 0

    def error(self, line: int, message: str) -> None:
        self.bad += 1
        self.stream.write(f"<stdin>:{line}: error: {shown(message)}\n")
        self.stream.flush()


class _OutputClosed(Exception):
    """The reader of stdout went away: nothing more can be said, so the command ends."""


def _refuse_constant(name: str) -> object:
    raise InputLineError(0, f"{name} is not a JSON number")


def _utf8_problem(line: str) -> str | None:
    """What is wrong with a line read with surrogateescape: bytes that are not UTF-8, named."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = line[exc.start]
        if "\udc80" <= char <= "\udcff":
            return f"not valid UTF-8: byte 0x{ord(char) - 0xDC00:02x} at column {exc.start + 1}"
        return f"a lone surrogate (U+{ord(char):04X}) at column {exc.start + 1}"
    return None


def _lone_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _parse(line: str, number: int) -> object:
    if (problem := _utf8_problem(line)) is not None:
        raise InputLineError(number, problem)
    try:
        return json.loads(line, parse_constant=_refuse_constant)
    except InputLineError as exc:
        raise InputLineError(number, exc.message) from None
    except json.JSONDecodeError as exc:
        raise InputLineError(number, f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise InputLineError(number, "not valid JSON here: nested too deeply") from None
    except ValueError as exc:  # an integer of more digits than Python converts (4,300 by default)
        if "digits" in str(exc):
            limit = sys.get_int_max_str_digits()
            raise InputLineError(number, f"a number with more than {limit:,} digits cannot be read") from None
        raise InputLineError(number, f"not valid JSON here: {str(exc).splitlines()[0]}") from None


_TEXT_KEYS = ("text", "title", "date")


def _check(obj: object, number: int, required: tuple[str, ...], seen: dict[str, int]) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise InputLineError(number, f"expected a JSON object, got {type(obj).__name__}")
    for key in required:
        if key not in obj:
            raise InputLineError(number, f"missing key {key!r}")
    for key in _TEXT_KEYS:
        value = obj.get(key)
        if value is None and key != "text":
            continue
        if not isinstance(value, str):
            raise InputLineError(number, f"{key!r} must be a string, not {_json_type(value)}")
        if _lone_surrogate(value):
            raise InputLineError(number, f"{key!r} holds a lone surrogate escape (such as \\ud800)")
    if "id" in obj:
        ident = obj["id"]
        if isinstance(ident, bool) or not isinstance(ident, str | int):
            raise InputLineError(number, f"'id' must be a string or a whole number, not {_json_type(ident)}")
        if isinstance(ident, str) and _lone_surrogate(ident):
            raise InputLineError(number, "'id' holds a lone surrogate escape (such as \\ud800)")
        key = str(ident)
        if key in seen:
            raise InputLineError(number, f"id {ident!r} was already used on line {seen[key]}")
        seen[key] = number
    return obj


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", float: "a number"}
    return "null" if value is None else names.get(type(value), "a number")


def read_objects(
    stream: IO[str], required: tuple[str, ...], report: LineReport | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each good non-blank line; report each malformed one and go on.

    Without a report, a malformed line raises InputLineError (for callers that stop at the first).
    `text`, `title` and `date` are strings when present (`title` and `date` may be null); `id` is a
    string or an integer, unique as text.
    """
    seen: dict[str, int] = {}
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = _check(_parse(line, number), number, required, seen)
        except InputLineError as exc:
            if report is None:
                raise
            report.error(exc.line, exc.message)
            continue
        yield number, obj


def _emit(out: IO[str], obj: dict[str, Any]) -> None:
    """One result line; ValueError if it cannot be valid JSON, _OutputClosed if nobody reads any more."""
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n"
    try:
        out.write(text)
        out.flush()
    except (BrokenPipeError, ConnectionResetError):
        raise _OutputClosed from None


def _answer(report: LineReport, number: int, compute: Callable[[], dict[str, Any]], out: IO[str]) -> None:
    """Compute and write one line's answer; a failure is that line's error, never the command's end."""
    try:
        result = compute()
        _emit(out, result)
    except _OutputClosed:
        raise
    except Exception as exc:  # a bug on one line must not lose the others' answers
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        report.error(number, f"internal error on this line ({detail}); please report it")


def run_summarize(stream: IO[str], out: IO[str], *, sentences: int | str, report: LineReport) -> None:
    from briefgen.analysis import summarize_text

    for number, obj in read_objects(stream, ("id", "text"), report):

        def compute(obj: dict[str, Any] = obj) -> dict[str, Any]:
            summary = summarize_text(obj["text"], title=obj.get("title"), length=sentences)
            return {"id": obj["id"], "summary": list(summary)}

        _answer(report, number, compute, out)


def run_quotes(stream: IO[str], out: IO[str], *, report: LineReport, explain: bool = False) -> None:
    """`explain`: each quote also names the rule that chose its speaker ("rule", null without one)."""
    from briefgen.analysis import quotes_of_text

    for number, obj in read_objects(stream, ("id", "text"), report):

        def compute(obj: dict[str, Any] = obj) -> dict[str, Any]:
            shown: list[dict[str, Any]] = []
            for q in quotes_of_text(obj["text"], title=obj.get("title")):
                shown.append({"quote": q.text, "speaker": q.speaker, "key": q.is_key})
                if explain:
                    shown[-1]["rule"] = q.rule
            return {"id": obj["id"], "quotes": shown}

        _answer(report, number, compute, out)


def run_entities(stream: IO[str], out: IO[str], *, report: LineReport) -> None:
    """`{"id","title","text"}` -> `{"id","entities":[{"name","kind","count"}]}`: what the build finds in
    a .txt article with that title (front matter, cleaning, datelines, then `document_entities`)."""
    from briefgen.analysis.entities import document_entities
    from briefgen.sources import TEXT_PATH, parse_source, text_file
    from briefgen.sources.document import make_document

    for number, obj in read_objects(stream, ("id", "text"), report):
        try:
            source, _ = parse_source(
                text_file(obj["text"], obj.get("title") or None), rel=TEXT_PATH, kind="text", mtime=0.0
            )
        except SourceError as exc:
            report.error(number, f"cannot read the article: {exc.message}")
            continue

        def compute(obj: dict[str, Any] = obj, source: Source = source) -> dict[str, Any]:
            try:
                document, _ = make_document(source)
            except SourceError:  # a plain-text body fails only when nothing is left of it: nothing to name
                entities: tuple[Entity, ...] = ()
            else:
                entities = document_entities(document)
            return {
                "id": obj["id"],
                "entities": [{"name": e.name, "kind": e.kind, "count": e.count} for e in entities],
            }

        _answer(report, number, compute, out)


def brief_line(number: int, obj: dict[str, Any], *, summary_sentences: int | str | None = None) -> Briefing:
    """One input line through the build's per-article stages, as a pasted text file with front matter
    (title, date) would go: cleaning, the document, the analysis. An empty text is its title.

    Raises InputLineError for a line that cannot be an article (no date, no text)."""
    from briefgen.config import SummaryConfig
    from briefgen.pipeline.analyse import analyse_document
    from briefgen.sources.dates import parse_date
    from briefgen.sources.document import make_document

    front: dict[str, object] = {}
    title = obj.get("title") or ""
    if title.strip():
        front["title"] = title
    if obj.get("date"):
        date = parse_date(obj["date"])
        if date is None:
            raise InputLineError(number, f"'date' is not a date (YYYY-MM-DD): {obj['date']!r}")
        front["date"] = date
    body = obj["text"] if obj["text"].strip() else title
    if not body.strip():
        raise InputLineError(number, "the article has no text and no title")
    source = Source(
        rel_path=f"line-{number}.txt", kind="text", body=body, body_line=1, front=front, front_line=None,
        digest="", mtime=0.0,
    )  # fmt: skip
    try:
        document, _ = make_document(source)
    except SourceError as exc:
        raise InputLineError(number, exc.message) from None
    sentences = SummaryConfig().sentences if summary_sentences is None else summary_sentences
    return dataclasses.replace(analyse_document(document, sentences), slug=str(obj["id"]))


def read_story_features(stream: IO[str], report: LineReport | None = None) -> list[tuple[int, StoryFeatures]]:
    """(line number, `StoryFeatures`) of every good input article, made as the build makes them.

    With a report, a line that cannot be an article is reported and skipped, as is one whose analysis
    fails (an internal error, reported as such); without one, the first bad line raises InputLineError.
    """
    from briefgen.corpus.story_features import features_of_briefing

    found: list[tuple[int, StoryFeatures]] = []
    for number, obj in read_objects(stream, ("id", "text"), report):
        try:
            found.append((number, features_of_briefing(brief_line(number, obj))))
        except InputLineError as exc:
            if report is None:
                raise
            report.error(exc.line, exc.message)
        except Exception as exc:  # a bug on one line must not lose the others' answers
            if report is None:
                raise
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            report.error(number, f"internal error on this line ({detail}); please report it")
    return found


def run_related(stream: IO[str], out: IO[str], *, k: int, report: LineReport) -> None:
    """Related links need the whole corpus, so this one reads everything before it writes. The links are
    the build's: story-mates only, the most probable first (`briefgen.corpus.stories`)."""
    from briefgen.corpus.stories import StoryIndex

    lines = read_story_features(stream, report)
    index = StoryIndex.build([f for _, f in lines])
    for number, features in lines:

        def compute(item_id: str = features.id) -> dict[str, Any]:
            return {"id": item_id, "related": [link.target for link in index.related(item_id, k=k)]}

        _answer(report, number, compute, out)


def run_stories(stream: IO[str], out: IO[str], *, report: LineReport) -> None:
    """Each article's story key (the id of its first report), in input order."""
    from briefgen.corpus.stories import StoryIndex

    lines = read_story_features(stream, report)
    keys = StoryIndex.build([f for _, f in lines]).story_keys()
    for number, features in lines:

        def compute(item_id: str = features.id) -> dict[str, Any]:
            return {"id": item_id, "story": keys[item_id]}

        _answer(report, number, compute, out)


Handler = Callable[[IO[str], IO[str], LineReport], None]


def _streams() -> tuple[IO[str], IO[str] | None]:
    """stdin read as UTF-8 with undecodable bytes kept (so a bad line is reported, not fatal), lines
    ending at '\\n' only; stdout written as UTF-8 whatever the locale. None when stdout is closed."""
    stdin: IO[str] = (
        io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape", newline="\n")
        if sys.stdin is not None and hasattr(sys.stdin, "buffer")
        else (sys.stdin or io.StringIO())
    )
    if sys.stdout is None:
        return stdin, None
    stdout: IO[str] = (
        io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", errors="strict", newline="\n")
        if hasattr(sys.stdout, "buffer")
        else sys.stdout
    )
    return stdin, stdout


def _silence_stdout() -> None:
    """After the reader closed the pipe, point stdout at /dev/null so exiting does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main_jsonl(handler: Handler) -> int:
    """Run a handler on stdin and stdout: 0 when every line was answered, 1 when any was malformed."""
    report = LineReport(sys.stderr)
    stdin, stdout = _streams()
    if stdout is None:  # started with stdout closed: there is nobody to answer
        return EXIT_OK
    try:
        handler(stdin, stdout, report)
        stdout.flush()
    except (_OutputClosed, BrokenPipeError, ConnectionResetError):
        _silence_stdout()
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug outside any one line (e.g. linking the whole corpus)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        print(f"<stdin>: error: internal error ({detail}); please report it", file=sys.stderr)  # noqa: T201
        return EXIT_BAD_LINES
    finally:
        if isinstance(stdout, io.TextIOWrapper):
            try:
                stdout.detach()  # leave sys.stdout's buffer open for the interpreter to close
            except (OSError, ValueError):
                pass
    return EXIT_BAD_LINES if report.bad else EXIT_OK
