"""Plain Markdown bodies read without markdown-it give exactly the document the parser gives."""

from __future__ import annotations

import random
import re

import pytest
from markdown_it.common import utils as md_utils

from briefgen.model import Source
from briefgen.sources import document
from briefgen.sources.plain_markdown import PlainBlock, plain_blocks

# Line pieces: plain words and punctuation, and every kind of syntax the fast path must refuse or get right.
_PIECES = [
    "word",
    "Word",
    "Kyiv",
    "O'Neil",
    "“Yes,”",
    "(aside)",
    "3.5%",
    "1999",
    "AT&T",
    "&amp;",
    "&#38;",
    "&T;",
    "[1]",
    "[note](x)",
    "![img]",
    "]",
    "*",
    "_x_",
    "`c`",
    "<b>",
    "\\",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "\u2003",
    "#",
    "## ",
    "# ",
    "-",
    "- ",
    "+ ",
    "1. ",
    "2) ",
    "> ",
    "=",
    "---",
    "===",
    "~~~",
    "```",
    ":",
    "!",
    "BRUSSELS —",
    "Related article: Other news",
    '"q"',
    ">",
    "x\u0085",
    "\x1c",
]


def _body(rng: random.Random) -> str:
    lines: list[str] = []
    for _ in range(rng.randint(0, 8)):
        kind = rng.random()
        if kind < 0.25:
            lines.append(rng.choice(["", "", " ", "\t"]))
        else:
            plain = rng.random() < 0.6  # mostly plain lines, so the fast path is taken often
            pieces = [rng.choice(_PIECES[:8] if plain else _PIECES) for _ in range(rng.randint(1, 5))]
            line = " ".join(pieces)
            if rng.random() < 0.2:
                line = rng.choice(["# ", "## ", "###### ", "####### ", "#"]) + line
            lines.append(line)
    return "\n".join(lines)


def _source(body: str, front: dict[str, object]) -> Source:
    return Source(
        rel_path="content/2025-01-02-x.md",
        kind="markdown",
        body=body,
        body_line=4,
        front=front,
        front_line=1,
        digest="0",
        mtime=0.0,
    )


@pytest.mark.parametrize("seed", range(4))
def test_plain_bodies_give_the_parsed_document(seed: int) -> None:
    rng = random.Random(seed)
    fast = 0
    for _ in range(3000):
        body = _body(rng)
        blocks = plain_blocks(body)
        if blocks is None:
            continue
        fast += 1
        for front in ({}, {"title": "Given"}):
            source = _source(body, front)
            assert document._plain_markdown_document(source, blocks) == document._parsed_markdown_document(
                source
            ), repr(body)
    assert fast > 500  # the generator reaches the fast path often enough to mean something


@pytest.mark.parametrize(
    "body",
    [
        "Intro *emphasis*",
        "See [the report](https://example.org)",
        "Fish &amp; chips",
        "Line one\n- a list",
        "Para\n===",
        "    code",
        "Text  \nhard break",
        "#Hashtag",
        "## Closing ##",
        "1. First",
        "[ref]: https://example.org",
    ],
)
def test_syntax_goes_to_the_parser(body: str) -> None:
    assert plain_blocks(body) is None


def test_plain_blocks_of_a_typical_body() -> None:
    body = "# Headline\n\nBRUSSELS — First line\nwrapped on.\n\n## Part two\nAT&T [sic] said 3.5% more.\n"
    assert plain_blocks(body) == [
        PlainBlock("h1", ("Headline",), 0),
        PlainBlock("p", ("BRUSSELS — First line", "wrapped on."), 2),
        PlainBlock("h2", ("Part two",), 5),
        PlainBlock("p", ("AT&T [sic] said 3.5% more.",), 6),
    ]


def test_markdown_it_trims_no_more_than_str_strip() -> None:
    trimmed = getattr(md_utils, "MD_TRIM_CHARS", "")  # markdown-it-py 4 (older versions use str.strip)
    assert all(c.isspace() for c in trimmed)


def test_joining_split_words_collapses_space_like_the_regex() -> None:
    rng = random.Random(7)
    for _ in range(4000):
        text = "".join(rng.choice("ab \t\n\u00a0\u2003\x1c\x85\u200b") for _ in range(rng.randint(0, 10)))
        assert " ".join(text.split()) == re.sub(r"\s+", " ", text).strip(), repr(text)
