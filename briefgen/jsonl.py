"""JSON-lines commands: the build's own analysis, one article per input line, streamed.

Each handler reads `{"id", "text", ...}` objects from a text stream and writes one result object per
line as soon as it is computed, so the commands work on pipes of any length. They call the very
functions the build calls (`briefgen.analysis.analyse_body`), which is what makes the quality figures
measured on them true of the briefing pages.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

from briefgen.errors import InputLineError

if TYPE_CHECKING:
    from briefgen.model import Entity


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


def run_entities(stream: IO[str], out: IO[str]) -> None:
    """`{"id","title","text"}` -> `{"id","entities":[{"name","kind","count"}]}`: what the build finds in
    a .txt article with that title (front matter, cleaning, datelines, then `document_entities`)."""
    from briefgen.analysis.entities import document_entities
    from briefgen.errors import SourceError
    from briefgen.sources import TEXT_PATH, parse_source, text_file
    from briefgen.sources.document import make_document

    for number, obj in read_objects(stream, ("id", "text")):
        title = obj.get("title")
        if title is not None and not isinstance(title, str):
            raise InputLineError(number, "'title' must be a string")
        try:
            source, _ = parse_source(
                text_file(obj["text"], title or None), rel=TEXT_PATH, kind="text", mtime=0.0
            )
        except SourceError as exc:
            raise InputLineError(number, f"cannot read the article: {exc.message}") from None
        try:
            document, _ = make_document(source)
        except SourceError:  # a plain-text body fails only when nothing is left of it: nothing to name
            entities: tuple[Entity, ...] = ()
        else:
            entities = document_entities(document)
        _emit(
            out,
            {
                "id": obj["id"],
                "entities": [{"name": e.name, "kind": e.kind, "count": e.count} for e in entities],
            },
        )


def run_related(stream: IO[str], out: IO[str], *, k: int) -> None:
    """Related links need the whole corpus, so this one reads everything before it writes."""
    from briefgen.corpus.related import RelatedItem, link_related
    from briefgen.sources.dates import parse_date

    items: list[RelatedItem] = []
    for number, obj in read_objects(stream, ("id", "text")):
        date = None
        if obj.get("date"):
            date = parse_date(str(obj["date"]))
            if date is None:
                raise InputLineError(number, f"'date' is not a date: {obj['date']!r}")
        items.append(
            RelatedItem(id=str(obj["id"]), title=str(obj.get("title") or ""), text=obj["text"], date=date)
        )
    links = link_related(items, k=k, explain=False)  # the lines carry targets only
    for item in items:
        _emit(out, {"id": item.id, "related": [link.target for link in links.get(item.id, ())]})


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
