"""Source -> Document: metadata from front matter and inference, paragraphs from Markdown or cleaned text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.errors import Diagnostic, Severity, SourceError, SourceLocation
from briefgen.model import (
    Byline,
    Dateline,
    Document,
    DroppedLine,
    Meta,
    PageDate,
    Paragraph,
    Reference,
    Source,
)
from briefgen.sources.dates import date_in_name, parse_date
from briefgen.sources.links import (
    MAX_NESTING,
    SAFE_SCHEMES,
    DepthReportingBlockParser,
    is_safe_link,
    link_scheme,
    local_files,
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


def make_meta(
    source: Source,
    *,
    inferred_title: str | None,
    byline: Byline,
    page_dates: Sequence[PageDate] = (),
) -> tuple[Meta, list[Diagnostic]]:
    fields, problems = read_meta_fields(source)
    title = str(fields.get("title") or inferred_title or title_from_name(source.rel_path))
    given = fields.get("date")
    date, date_from, date_problems = choose_date(
        source, given if isinstance(given, dt.date) else None, page_dates
    )
    problems += date_problems
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
        date_inferred_from=date_from,
    )
    return meta, problems


DateOrigin = Literal["front matter", "file name", "page", "modified time"]


def page_date(page_dates: Sequence[PageDate]) -> PageDate | None:
    """The date a page gives its article: the published one, else one it does not label, else the
    date it was updated."""
    for label in ("published", "", "updated"):
        for found in page_dates:
            if found.label == label:
                return found
    return None


def choose_date(
    source: Source, front_date: dt.date | None, page_dates: Sequence[PageDate]
) -> tuple[dt.date, DateOrigin, list[Diagnostic]]:
    """The article's date: front matter, else the file name, else the page's own (its published date),
    else the file's modification time (with a warning). When the page says otherwise than the front
    matter or file name, a warning at the page's line says which date was taken."""
    page = page_date(page_dates)
    named = date_in_name(PurePosixPath(source.rel_path).name)
    if front_date is not None or named is not None:
        origin: DateOrigin = "front matter" if front_date is not None else "file name"
        date = front_date or named
        assert date is not None
        if page is None or page.date == date:
            return date, origin, []
        said = {"published": "published on ", "updated": "updated on "}.get(page.label, "dated ")
        return (
            date,
            origin,
            [
                Diagnostic(
                    Severity.WARNING,
                    f"the page says it was {said}{page.date.isoformat()}, but the {origin} says "
                    f"{date.isoformat()}: the article is dated {date.isoformat()}, as the {origin} says",
                    SourceLocation(source.rel_path, page.line),
                )
            ],
        )
    if page is not None:
        return page.date, "page", []
    date = dt.datetime.fromtimestamp(source.mtime, tz=dt.UTC).date()
    warning = Diagnostic(
        Severity.WARNING,
        "no date in front matter, file name or the text; using the file's modification time "
        f"({date.isoformat()}): add 'date: YYYY-MM-DD' or put the date in the file name",
        SourceLocation(source.rel_path),
    )
    return date, "modified time", [warning]


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
    meta, problems = make_meta(
        source, inferred_title=cleaned.title, byline=cleaned.byline, page_dates=cleaned.page_dates
    )
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


@dataclass(frozen=True, slots=True)
class _Block:
    """A heading ("h1".."h6") or paragraph ("p") of a Markdown body, as either reader finds it."""

    tag: str
    text: str  # the inline text, runs of white space made one space
    line: int  # 0-based line of the body
    first: bool  # nothing of the body comes before it


@dataclass(slots=True)
class _Reading:
    """What a Markdown body is, decided once for both readers: which block is the title, which are
    references, which are the paragraphs, and how long the dateline opening the first paragraph is."""

    title: str | None = None
    title_block: int | None = None
    references: list[Reference] = field(default_factory=list)
    dropped: list[DroppedLine] = field(default_factory=list)
    dropped_blocks: set[int] = field(default_factory=set)
    paragraphs: list[Paragraph] = field(default_factory=list)
    paragraph_blocks: list[int] = field(default_factory=list)
    dateline: Dateline | None = None
    dateline_length: int = 0  # characters of the first paragraph's first text run to drop


def _read_blocks(source: Source, blocks: Sequence[_Block]) -> _Reading:
    has_title = _as_text(source.front.get("title")) is not None
    reading = _Reading()
    for index, block in enumerate(blocks):
        line = source.body_line + block.line
        if block.tag == "h1" and block.first and not has_title:
            reading.title, reading.title_block = block.text, index
        elif block.tag == "p":
            found = reference_title(block.text)
            if found is not None:
                label, ref_title = found
                reading.references.append(Reference(title=ref_title, line=line, label=label))
                reading.dropped.append(DroppedLine(line=line, text=block.text, reason="reference"))
                reading.dropped_blocks.add(index)
                continue
            reading.paragraphs.append(Paragraph(text=block.text, line=line))
            reading.paragraph_blocks.append(index)
    if reading.paragraphs:
        first = reading.paragraphs[0]
        reading.dateline, rest = split_dateline(first.text)
        if reading.dateline is not None:
            reading.dateline_length = len(first.text) - len(rest)
            reading.paragraphs[0] = Paragraph(text=rest, line=first.line)
    return reading


def _markdown_document(source: Source) -> tuple[Document, list[Diagnostic]]:
    """Plain bodies (paragraphs and headings only) skip the parser; both readings decide alike."""
    plain = plain_blocks(source.body)
    if plain is not None:
        return _plain_markdown_document(source, plain)
    return _parsed_markdown_document(source)


def _plain_markdown_document(
    source: Source, plain: Sequence[PlainBlock]
) -> tuple[Document, list[Diagnostic]]:
    blocks = [_Block(b.tag, " ".join(" ".join(b.lines).split()), b.line, i == 0) for i, b in enumerate(plain)]
    reading = _read_blocks(source, blocks)
    return _markdown_result(source, reading, _plain_html(plain, reading))


def _parsed_markdown_document(source: Source) -> tuple[Document, list[Diagnostic]]:
    env: dict[str, Any] = {}
    tokens = _MD.parse(source.body, env)
    skipped = markdown_problems(source.body, env, rel_path=source.rel_path, body_line=source.body_line)
    at: list[int] = []  # token index of each block
    blocks = []
    for i, token in enumerate(tokens):
        if token.type in ("heading_open", "paragraph_open"):
            tag = "p" if token.type == "paragraph_open" else token.tag
            blocks.append(_Block(tag, _inline_text(tokens[i + 1]), token.map[0] if token.map else 0, i == 0))
            at.append(i)
    reading = _read_blocks(source, blocks)
    assets = local_files(tokens, source.body, body_line=source.body_line)
    document, problems = _markdown_result(source, reading, _parsed_html(tokens, at, reading))
    return dataclasses.replace(document, assets=assets), skipped + problems


def _parsed_html(tokens: list[Token], at: Sequence[int], reading: _Reading) -> str:
    skipped = set(reading.dropped_blocks)
    if reading.title_block is not None:
        skipped.add(reading.title_block)
    for number, block in enumerate(reading.paragraph_blocks):
        tokens[at[block]].attrSet("id", f"p-{number}")
    if reading.dateline_length and reading.paragraph_blocks:
        inline = tokens[at[reading.paragraph_blocks[0]] + 1]
        child = inline.children[0] if inline.children else None
        if child is not None and child.type == "text" and len(child.content) >= reading.dateline_length:
            child.content = child.content[reading.dateline_length :].lstrip()
    hidden = {at[b] + k for b in skipped for k in range(3)}  # open, inline, close
    keep = [t for i, t in enumerate(tokens) if i not in hidden]
    html: str = _MD.renderer.render(keep, _MD.options, {})
    return html


def _plain_html(blocks: Sequence[PlainBlock], reading: _Reading) -> str:
    """The HTML markdown-it renders for plain blocks, without running it."""
    skipped = {reading.title_block, *reading.dropped_blocks}
    numbers = {block: number for number, block in enumerate(reading.paragraph_blocks)}
    html: list[str] = []
    for index, block in enumerate(blocks):
        if index in skipped:
            continue
        lines = list(block.lines)
        opens_body = bool(reading.paragraph_blocks) and index == reading.paragraph_blocks[0]
        if opens_body and reading.dateline_length and len(lines[0]) >= reading.dateline_length:
            lines[0] = lines[0][reading.dateline_length :].lstrip()  # as markdown-it: the first text run only
        inner = escape_html("\n".join(lines))
        if block.tag == "p":
            html.append(f'<p id="p-{numbers[index]}">{inner}</p>\n')
        else:
            html.append(f"<{block.tag}>{inner}</{block.tag}>\n")
    return "".join(html)


def _markdown_result(source: Source, reading: _Reading, body_html: str) -> tuple[Document, list[Diagnostic]]:
    """The Document of a Markdown body, read by either path."""
    meta, problems = make_meta(source, inferred_title=reading.title, byline=Byline())
    return (
        Document(
            rel_path=source.rel_path,
            kind="markdown",
            meta=meta,
            paragraphs=tuple(reading.paragraphs),
            dateline=reading.dateline,
            references=tuple(reading.references),
            dropped=tuple(reading.dropped),
            body_html=body_html,
        ),
        problems,
    )
