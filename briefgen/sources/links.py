"""What an article may turn into a link, what the Markdown parser must not drop silently, and which
files beside the article its images and links point to (published with it).

Only `http:`, `https:`, `mailto:` and relative URLs become links, wherever they come from (front matter
or Markdown): autoescaping stops `"><script>` but not `href="javascript:..."`. Browsers ignore tabs, line
ends and leading control characters in a URL, so those are removed before the scheme is read.

markdown-it stops reading blocks nested deeper than its `maxNesting` and drops the rest of the article
without a word; `DepthReportingBlockParser` notes where that happens so the article can say so.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from briefgen.errors import Diagnostic, Severity, SourceLocation
from briefgen.model import AssetRef

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_NESTING = 50  # markdown-it's commonmark preset stops at 20: a list ten deep
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# a scheme where Markdown expects a link: "](scheme:", "<scheme:" (autolink), "[label]: scheme:"
_MARKDOWN_LINK = re.compile(
    r"(?:\]\(\s*<?|<|^ {0,3}\[[^\]\n]+\]:[ \t]*<?)([A-Za-z][A-Za-z0-9+.\-]*):", re.MULTILINE
)
_TOO_DEEP = "briefgen_too_deep"  # key in markdown-it's env: (first, end) body lines it skipped


def link_scheme(url: str) -> str | None:
    """The scheme a browser would read in `url`, lower-case; None for a relative URL."""
    m = _SCHEME.match(_IGNORED_IN_URL.sub("", url))
    return m.group(1).lower() if m else None


def is_safe_link(url: str) -> bool:
    """May `url` become an href? http(s), mailto and relative URLs only."""
    scheme = link_scheme(url)
    return scheme is None or scheme in SAFE_SCHEMES


class DepthReportingBlockParser(ParserBlock):
    """markdown-it's block parser, noting in `env` each run of lines it skips for nesting too deep."""

    def __init__(self, original: ParserBlock) -> None:
        super().__init__()
        self.ruler = original.ruler  # the preset's rules, as configured

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        if state.level >= state.md.options.maxNesting:
            line = state.skipEmptyLines(startLine)
            if line < endLine and state.sCount[line] >= state.blkIndent:
                state.env.setdefault(_TOO_DEEP, []).append((line, endLine))
        super().tokenize(state, startLine, endLine)


def markdown_problems(body: str, env: dict[str, Any], *, rel_path: str, body_line: int) -> list[Diagnostic]:
    """Warnings for what the Markdown parser left out: links with other schemes, blocks nested too deep."""
    problems: list[Diagnostic] = []
    for first, end in env.get(_TOO_DEEP, ()):
        problems.append(
            Diagnostic(
                Severity.WARNING,
                f"Markdown nested more than {MAX_NESTING} levels deep: {end - first} line(s) from here are "
                "left out of the page",
                SourceLocation(rel_path, body_line + first),
            )
        )
    unescaped = html.unescape(body) if "&" in body else body
    for m in _MARKDOWN_LINK.finditer(unescaped):
        scheme = m.group(1).lower()
        if scheme not in SAFE_SCHEMES:
            line = body_line + unescaped.count("\n", 0, m.start(1))
            problems.append(
                Diagnostic(
                    Severity.WARNING,
                    f"a {scheme + ':'!r} link is shown as text: only http:, https:, mailto: and relative "
                    "links become links",
                    SourceLocation(rel_path, line),
                )
            )
    return problems


ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")  # another article: a page of its own, not a file to copy


def local_files(tokens: Sequence[Token], body: str, *, body_line: int) -> tuple[AssetRef, ...]:
    """The files an article's images and links name by a relative path, each once, with its line.

    Paths stay as the article wrote them (percent-decoded, './' dropped); whether they exist, and stay
    inside the article's folder, is the build's to check each time, since files come and go on their own.
    """
    lines = body.split("\n")
    found: dict[str, AssetRef] = {}
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        first, end = token.map if token.map else (0, len(lines))
        for child in token.children:
            attr = "src" if child.type == "image" else "href" if child.type == "link_open" else None
            url = str(child.attrGet(attr) or "") if attr else ""
            target = _local_path(url)
            if target is None or target in found:
                continue
            raw = next((n for n in range(first, min(end, len(lines))) if target in unquote(lines[n])), first)
            found[target] = AssetRef(target=target, line=body_line + raw, image=child.type == "image")
    return tuple(found.values())


def _local_path(url: str) -> str | None:
    """The file path of a relative URL ('harbour.jpg', 'img/a%20b.png#x' -> 'img/a b.png'), or None for
    an address elsewhere, a page anchor, a folder or another article."""
    if not url or url.startswith(("#", "/", "?", "\\")) or link_scheme(url) is not None:
        return None
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not path or path.endswith("/") or path.lower().endswith(ARTICLE_SUFFIXES):
        return None
    return posixpath.normpath(path)
