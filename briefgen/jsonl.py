"""JSON-lines commands: the build's own analysis, one article per input line, streamed.

Each handler reads `{"id", "text", ...}` objects from a text stream and writes one result object per
line as soon as it is computed, so the commands work on pipes of any length. They call the very
functions the build calls (`briefgen.analysis.analyse_body`), which is what makes the quality figures
measured on them true of the briefing pages.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

from briefgen.errors import InputLineError, SourceError
from briefgen.model import Briefing, Source, StoryFeatures


def read_objects(stream: IO[str], required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; raise InputLineError naming a bad line."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputLineError(number, f"not valid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise InputLineError(number, f"expected a JSON object, got {type(obj).__name__}")
        for key in required:
            if key not in obj:
                raise InputLineError(number, f"missing key {key!r}")
        if not isinstance(obj.get("text", ""), str):
            raise InputLineError(number, "'text' must be a string")
        yield number, obj


def _emit(out: IO[str], obj: dict[str, Any]) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()


def run_summarize(stream: IO[str], out: IO[str], *, sentences: int | str) -> None:
    from briefgen.analysis import summarize_text

    for _, obj in read_objects(stream, ("id", "text")):
        summary = summarize_text(obj["text"], title=obj.get("title"), length=sentences)
        _emit(out, {"id": obj["id"], "summary": list(summary)})


def run_quotes(stream: IO[str], out: IO[str]) -> None:
    from briefgen.analysis import quotes_of_text

    for _, obj in read_objects(stream, ("id", "text")):
        quotes = quotes_of_text(obj["text"], title=obj.get("title"))
        _emit(
            out,
            {
                "id": obj["id"],
                "quotes": [{"quote": q.text, "speaker": q.speaker, "key": q.is_key} for q in quotes],
            },
        )


def brief_line(number: int, obj: dict[str, Any], *, summary_sentences: int | str | None = None) -> Briefing:
    """One input line through the build's per-article stages, as a pasted text file with front matter
    (title, date) would go: cleaning, the document, the analysis. An empty text is its title."""
    from briefgen.config import SummaryConfig
    from briefgen.pipeline.analyse import analyse_document
    from briefgen.sources.dates import parse_date
    from briefgen.sources.document import make_document

    front: dict[str, object] = {}
    title = obj.get("title")
    if title is not None and not isinstance(title, str):
        raise InputLineError(number, "'title' must be a string")
    if title and title.strip():
        front["title"] = title
    if obj.get("date"):
        date = parse_date(str(obj["date"]))
        if date is None:
            raise InputLineError(number, f"'date' is not a date: {obj['date']!r}")
        front["date"] = date
    body = obj["text"] if obj["text"].strip() else (title or "")
    if not body.strip():
        raise InputLineError(number, "the article has no text and no title")
    source = Source(
        rel_path=f"line-{number}.txt", kind="text", body=body, body_line=1, front=front, front_line=None,
        digest="", mtime=0.0,
    )  # fmt: skip
    try:
        document, _ = make_document(source)
    except SourceError as exc:
        raise InputLineError(number, str(exc).split(": ", 1)[-1]) from None
    sentences = SummaryConfig().sentences if summary_sentences is None else summary_sentences
    return dataclasses.replace(analyse_document(document, sentences), slug=str(obj["id"]))


def read_story_features(stream: IO[str]) -> list[StoryFeatures]:
    """Every input article's `StoryFeatures`, made as the build makes them; ids must be unique."""
    from briefgen.corpus.story_features import features_of_briefing

    seen: set[str] = set()
    found: list[StoryFeatures] = []
    for number, obj in read_objects(stream, ("id", "text")):
        item_id = str(obj["id"])
        if item_id in seen:
            raise InputLineError(number, f"the id {item_id!r} is used twice")
        seen.add(item_id)
        found.append(features_of_briefing(brief_line(number, obj)))
    return found


def run_related(stream: IO[str], out: IO[str], *, k: int) -> None:
    """Related links need the whole corpus, so this one reads everything before it writes."""
    from briefgen.corpus.stories import StoryIndex

    features = read_story_features(stream)
    index = StoryIndex.build(features)
    for f in features:
        _emit(out, {"id": f.id, "related": [link.target for link in index.related(f.id, k=k)]})


def run_stories(stream: IO[str], out: IO[str]) -> None:
    """Each article's story key (its first report's id), in input order."""
    from briefgen.corpus.stories import StoryIndex

    features = read_story_features(stream)
    keys = StoryIndex.build(features).story_keys()
    for f in features:
        _emit(out, {"id": f.id, "story": keys[f.id]})


def main_jsonl(handler: Callable[[], None]) -> int:
    """Run a handler, turning bad input into one line on stderr and exit code 1."""
    try:
        handler()
    except InputLineError as exc:
        print(f"<stdin>:{exc.line}: error: {exc.message}", file=sys.stderr)  # noqa: T201
        return 1
    except BrokenPipeError:
        return 0
    return 0
