"""Source -> Document: metadata from front matter and inference, paragraphs from Markdown or cleaned text."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.errors import Diagnostic, Severity, SourceError, SourceLocation
from briefgen.model import Byline, Dateline, Document, DroppedLine, Meta, Paragraph, Reference, Source
from briefgen.sources.dates import date_in_name, parse_date
from briefgen.sources.links import (
    MAX_NESTING,
    SAFE_SCHEMES,
    DepthReportingBlockParser,
    is_safe_link,
    link_scheme,
    markdown_problems,
)
from briefgen.sources.plain_markdown import PlainBlock, escape_html, plain_blocks
from briefgen.text.clean import clean_text, reference_title, split_dateline

KNOWN_KEYS = ("title", "date", "author", "source", "url", "tags", "summary", "draft", "extra")
_SLUG_WORDS = re.compile(r"[-_\s]+")


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = is_safe_link  # type: ignore[method-assign] # only http(s), mailto and relative links become links
    md.options["maxNesting"] = MAX_NESTING
    md.block = DepthReportingBlockParser(md.block)
    return md


_MD = _markdown()


def _key_line(source: Source, key: str) -> int | None:
    """The file line of a top-level front-matter key, for messages."""
    return source.front_key_lines.get(key, source.front_line)


def title_from_name(rel_path: str) -> str:
    """'2025-02-13-nato-talks.txt' -> 'Nato talks'."""
    stem = PurePosixPath(rel_path).stem
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]*", "", stem)
    words = [w for w in _SLUG_WORDS.split(stem) if w]
    if not words:
        return PurePosixPath(rel_path).stem
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes, no, on and off as true or false)"
    if isinstance(value, dt.datetime | dt.date):
        return "a date"
    return {list: "a list", dict: "a mapping", int: "a number", float: "a number", str: "text"}.get(
        type(value), type(value).__name__
    )


def _shown_value(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _front_problem(source: Source, key: str, message: str, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(severity, message, SourceLocation(source.rel_path, _key_line(source, key)))


def _text_field(source: Source, key: str, value: object, problems: list[Diagnostic]) -> str | None:
    text = _as_text(value)
    if text is None:
        hint = "; quote it" if isinstance(value, bool | dt.date) else ""
        problems.append(
            _front_problem(
                source, key, f"front matter {key!r} must be text, not {_kind(value)}{hint}; left out"
            )
        )
        return None
    scheme = link_scheme(text) if key == "url" else None
    if scheme is not None and scheme not in SAFE_SCHEMES:
        problems.append(
            _front_problem(
                source,
                key,
                f"front matter 'url' must be an http(s), mailto or relative link, not a {scheme + ':'!r} one; "
                "left out",
            )
        )
        return None
    return text


def _date_field(source: Source, value: object, problems: list[Diagnostic]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    date = parse_date(value) if isinstance(value, str) else None
    if date is None:
        problems.append(
            _front_problem(
                source,
                "date",
                f"front matter 'date' is not a date (YYYY-MM-DD): {_shown_value(value)}; left out",
            )
        )
    return date


def _tags_field(source: Source, value: object, problems: list[Diagnostic]) -> tuple[str, ...]:
    if isinstance(value, str):
        tags = [t.strip() for t in value.split(",")]
    elif isinstance(value, list) and all(isinstance(t, str | int) and not isinstance(t, bool) for t in value):
        tags = [str(t).strip() for t in value]
    else:
        bad = (
            next((t for t in value if not isinstance(t, str | int) or isinstance(t, bool)), value)
            if isinstance(value, list)
            else value
        )
        what = f"a list holding {_kind(bad)}" if isinstance(value, list) else _kind(value)
        problems.append(
            _front_problem(source, "tags", f"front matter 'tags' must be a list of words, not {what}")
        )
        return ()
    seen: dict[str, str] = {}
    for tag in tags:
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


def read_meta_fields(source: Source) -> tuple[dict[str, object], list[Diagnostic]]:
    """Typed front-matter fields. A value of the wrong type is an error naming the key, and is left out
    (the article is still built); an unknown key is a warning, with a suggestion when it looks misspelt."""
    front = source.front
    out: dict[str, object] = {}
    problems: list[Diagnostic] = []
    for key in ("title", "author", "source", "url", "summary"):
        if (
            front.get(key) is not None
            and (text := _text_field(source, key, front[key], problems)) is not None
        ):
            out[key] = text
    if front.get("date") is not None and (date := _date_field(source, front["date"], problems)) is not None:
        out["date"] = date
    if front.get("tags") is not None:
        out["tags"] = _tags_field(source, front["tags"], problems)
    if "draft" in front:
        value = front["draft"]
        if isinstance(value, bool):
            out["draft"] = value
        else:
            problems.append(
                _front_problem(
                    source, "draft", f"front matter 'draft' must be true or false, not {_shown_value(value)}"
                )
            )
    extra = front.get("extra")
    if extra is not None and not isinstance(extra, dict):
        problems.append(
            _front_problem(
                source,
                "extra",
                f"front matter 'extra' must be a mapping of keys to values, not {_kind(extra)}",
            )
        )
    for key in front:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key.lower(), KNOWN_KEYS, n=1, cutoff=0.75)
            advice = f"did you mean {close[0]!r}?" if close else "keys of your own go under 'extra:'"
            problems.append(
                _front_problem(source, key, f"unknown front-matter key {key!r} ({advice})", Severity.WARNING)
            )
    return out, problems


def make_meta(source: Source, *, inferred_title: str | None, byline: Byline) -> tuple[Meta, list[Diagnostic]]:
    fields, problems = read_meta_fields(source)
    title = str(fields.get("title") or inferred_title or title_from_name(source.rel_path))
    date_from: str
    if "date" in fields:
        date = fields["date"]
        date_from = "front matter"
    elif (named := date_in_name(PurePosixPath(source.rel_path).name)) is not None:
        date = named
        date_from = "file name"
    else:
        date = dt.datetime.fromtimestamp(source.mtime, tz=dt.UTC).date()
        date_from = "modified time"
        problems.append(
            Diagnostic(
                Severity.WARNING,
                "no date in front matter or file name; using the file's modification time "
                f"({date.isoformat()}): add 'date: YYYY-MM-DD' or put the date in the file name",
                SourceLocation(source.rel_path),
            )
        )
    assert isinstance(date, dt.date)
    extra = _extra(source.front)
    meta = Meta(
        title=title,
        date=date,
        author=_opt(fields.get("author")) or byline.author,
        source=_opt(fields.get("source")) or byline.source,
        url=_opt(fields.get("url")) or (byline.url if byline.url and is_safe_link(byline.url) else None),
        tags=tuple(fields.get("tags", ())),  # type: ignore[arg-type]
        summary=_opt(fields.get("summary")),
        draft=bool(fields.get("draft", False)),
        extra=extra,
        date_inferred_from=date_from,  # type: ignore[arg-type]
    )
    return meta, problems


def _extra(front: Mapping[str, object]) -> dict[str, object]:
    """What templates see as `b.extra`: the `extra:` mapping, then (for sites written before `extra:`
    existed, and with a warning each) any other unknown top-level key."""
    extra = {k: v for k, v in front.items() if k not in KNOWN_KEYS}
    given = front.get("extra")
    if isinstance(given, dict):
        extra.update({str(k): v for k, v in given.items()})
    return extra


def _opt(value: object) -> str | None:
    return value if isinstance(value, str) else None


def make_document(source: Source) -> tuple[Document, tuple[Diagnostic, ...]]:
    """Clean and describe one article; raise SourceError when it has no text at all."""
    if source.kind == "markdown":
        document, problems = _markdown_document(source)
    else:
        document, problems = _text_document(source)
    if not any(p.text.strip() for p in document.paragraphs):
        raise SourceError(
            "the article has no text: nothing to brief", SourceLocation(source.rel_path, source.body_line)
        )
    for dropped in document.dropped:
        problems.append(
            Diagnostic(
                Severity.INFO,
                f"dropped {dropped.reason} line: {dropped.text!r}",
                SourceLocation(source.rel_path, dropped.line),
            )
        )
    return document, tuple(problems)


def _text_document(source: Source) -> tuple[Document, list[Diagnostic]]:
    has_title = _as_text(source.front.get("title")) is not None
    cleaned = clean_text(source.body, first_line=source.body_line, infer_title=not has_title)
    meta, problems = make_meta(source, inferred_title=cleaned.title, byline=cleaned.byline)
    return (
        Document(
            rel_path=source.rel_path,
            kind="text",
            meta=meta,
            paragraphs=cleaned.paragraphs,
            dateline=cleaned.dateline,
            references=cleaned.references,
            dropped=cleaned.dropped,
        ),
        problems,
    )


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())  # runs of white space made one space, ends trimmed


def _strip_prefix_from_html(tokens: list[Token], length: int) -> None:
    """Remove a dateline (the first `length` characters) from the first paragraph's rendered text."""
    first = next((t for t in tokens if t.type == "inline"), None)
    if first is None or not first.children or first.children[0].type != "text":
        return
    child = first.children[0]
    if len(child.content) >= length:
        child.content = child.content[length:].lstrip()


def _markdown_document(source: Source) -> tuple[Document, list[Diagnostic]]:
    blocks = plain_blocks(source.body)
    if blocks is not None:
        return _plain_markdown_document(source, blocks)
    return _parsed_markdown_document(source)


def _parsed_markdown_document(source: Source) -> tuple[Document, list[Diagnostic]]:
    env: dict[str, Any] = {}
    tokens = _MD.parse(source.body, env)
    skipped = markdown_problems(source.body, env, rel_path=source.rel_path, body_line=source.body_line)
    has_title = _as_text(source.front.get("title")) is not None
    title: str | None = None
    keep: list[Token] = []
    paragraphs: list[Paragraph] = []
    references: list[Reference] = []
    dropped: list[DroppedLine] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        line = source.body_line + (token.map[0] if token.map else 0)
        if (
            token.type == "heading_open"
            and token.tag == "h1"
            and not has_title
            and title is None
            and not keep
        ):
            title = _inline_text(tokens[i + 1])
            i += 3  # heading_open, inline, heading_close
            continue
        if token.type == "paragraph_open":
            text = _inline_text(tokens[i + 1])
            found = reference_title(text)
            if found is not None:
                label, ref_title = found
                references.append(Reference(title=ref_title, line=line, label=label))
                dropped.append(DroppedLine(line=line, text=text, reason="reference"))
                i += 3
                continue
            token.attrSet("id", f"p-{len(paragraphs)}")
            paragraphs.append(Paragraph(text=text, line=line))
        keep.append(token)
        i += 1
    dateline: Dateline | None = None
    if paragraphs:
        dateline, rest = split_dateline(paragraphs[0].text)
        if dateline is not None:
            _strip_prefix_from_html(keep, len(paragraphs[0].text) - len(rest))
            paragraphs[0] = Paragraph(text=rest, line=paragraphs[0].line)
    html = _MD.renderer.render(keep, _MD.options, {})
    document, problems = _markdown_result(source, title, paragraphs, dateline, references, dropped, html)
    return document, skipped + problems


def _markdown_result(
    source: Source,
    title: str | None,
    paragraphs: list[Paragraph],
    dateline: Dateline | None,
    references: list[Reference],
    dropped: list[DroppedLine],
    body_html: str,
) -> tuple[Document, list[Diagnostic]]:
    """The Document of a Markdown body, read by either path."""
    meta, problems = make_meta(source, inferred_title=title, byline=Byline())
    return (
        Document(
            rel_path=source.rel_path,
            kind="markdown",
            meta=meta,
            paragraphs=tuple(paragraphs),
            dateline=dateline,
            references=tuple(references),
            dropped=tuple(dropped),
            body_html=body_html,
        ),
        problems,
    )


def _plain_markdown_document(source: Source, blocks: list[PlainBlock]) -> tuple[Document, list[Diagnostic]]:
    """`_markdown_document` for a body of plain paragraphs and headings: the same document, no parser."""
    has_title = _as_text(source.front.get("title")) is not None
    title: str | None = None
    keep: list[tuple[str, list[str]]] = []  # (tag, text lines) of the blocks shown
    paragraphs: list[Paragraph] = []
    references: list[Reference] = []
    dropped: list[DroppedLine] = []
    for block in blocks:
        line = source.body_line + block.line
        text = " ".join(" ".join(block.lines).split())
        if block.tag == "h1" and not has_title and title is None and not keep:
            title = text
            continue
        if block.tag == "p":
            found = reference_title(text)
            if found is not None:
                label, ref_title = found
                references.append(Reference(title=ref_title, line=line, label=label))
                dropped.append(DroppedLine(line=line, text=text, reason="reference"))
                continue
            paragraphs.append(Paragraph(text=text, line=line))
        keep.append((block.tag, list(block.lines)))
    dateline: Dateline | None = None
    if paragraphs:
        dateline, rest = split_dateline(paragraphs[0].text)
        if dateline is not None:
            length = len(paragraphs[0].text) - len(rest)
            if keep and len(keep[0][1][0]) >= length:  # as `_strip_prefix_from_html`: the first text run
                keep[0][1][0] = keep[0][1][0][length:].lstrip()
            paragraphs[0] = Paragraph(text=rest, line=paragraphs[0].line)
    html: list[str] = []
    number = 0
    for tag, lines in keep:
        inner = escape_html("\n".join(lines))
        if tag == "p":
            html.append(f'<p id="p-{number}">{inner}</p>\n')
            number += 1
        else:
            html.append(f"<{tag}>{inner}</{tag}>\n")
    return _markdown_result(source, title, paragraphs, dateline, references, dropped, "".join(html))
