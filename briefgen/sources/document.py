"""Source -> Document: metadata from front matter and inference, paragraphs from Markdown or cleaned text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.errors import Diagnostic, Severity, SourceError, SourceLocation
from briefgen.model import Byline, Dateline, Document, DroppedLine, Meta, Paragraph, Reference, Source
from briefgen.sources.dates import date_in_name, parse_date
from briefgen.sources.plain_markdown import PlainBlock, escape_html, plain_blocks
from briefgen.text.clean import clean_text, reference_title, split_dateline

KNOWN_KEYS = ("title", "date", "author", "source", "url", "tags", "summary", "draft")
_SLUG_WORDS = re.compile(r"[-_\s]+")


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


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


def _front_problem(source: Source, key: str, message: str) -> Diagnostic:
    return Diagnostic(Severity.WARNING, message, SourceLocation(source.rel_path, _key_line(source, key)))


def read_meta_fields(source: Source) -> tuple[dict[str, object], list[Diagnostic]]:
    """Typed front-matter fields; a value of the wrong type is dropped with a warning naming the key."""
    front = source.front
    out: dict[str, object] = {}
    problems: list[Diagnostic] = []
    for key in ("title", "author", "source", "url", "summary"):
        if key in front and front[key] is not None:
            text = _as_text(front[key])
            if text is None:
                problems.append(_front_problem(source, key, f"front matter {key!r} must be text; ignored"))
            else:
                out[key] = text
    if "date" in front and front["date"] is not None:
        value = front["date"]
        date: dt.date | None
        if isinstance(value, dt.datetime):
            date = value.date()
        elif isinstance(value, dt.date):
            date = value
        else:
            date = parse_date(str(value))
        if date is None:
            problems.append(
                _front_problem(source, "date", f"front matter 'date' is not a date (YYYY-MM-DD): {value!r}")
            )
        else:
            out["date"] = date
    if "tags" in front and front["tags"] is not None:
        value = front["tags"]
        if isinstance(value, str):
            tags = [t.strip() for t in value.split(",")]
        elif isinstance(value, list) and all(isinstance(t, str | int) for t in value):
            tags = [str(t).strip() for t in value]
        else:
            tags = []
            problems.append(_front_problem(source, "tags", "front matter 'tags' must be a list of words"))
        seen: dict[str, None] = {}
        for tag in tags:
            if tag and tag.casefold() not in {t.casefold() for t in seen}:
                seen[tag] = None
        out["tags"] = tuple(seen)
    if "draft" in front:
        value = front["draft"]
        if isinstance(value, bool):
            out["draft"] = value
        else:
            problems.append(
                _front_problem(source, "draft", f"front matter 'draft' must be true or false: {value!r}")
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
    extra = {k: v for k, v in source.front.items() if k not in KNOWN_KEYS}
    meta = Meta(
        title=title,
        date=date,
        author=_opt(fields.get("author")) or byline.author,
        source=_opt(fields.get("source")) or byline.source,
        url=_opt(fields.get("url")) or byline.url,
        tags=tuple(fields.get("tags", ())),  # type: ignore[arg-type]
        summary=_opt(fields.get("summary")),
        draft=bool(fields.get("draft", False)),
        extra=extra,
        date_inferred_from=date_from,  # type: ignore[arg-type]
    )
    return meta, problems


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
    tokens = _MD.parse(source.body)
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
    return _markdown_result(source, title, paragraphs, dateline, references, dropped, html)


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
