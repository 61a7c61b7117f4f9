"""Shared fixtures: a throwaway site on disk and the real `briefgen` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

# numpy's OpenBLAS starts a thread pool when it is first imported (Dask imports it), and a process with
# threads alive may not fork workers (briefgen.executor): one BLAS thread is all this suite needs
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_briefgen(*args: str, cwd: Path | None = None, stdin: str | None = None, timeout: float = 120) -> Run:
    proc = subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def briefgen_cli() -> Callable[..., Run]:
    return run_briefgen


class Site:
    """A site folder under tmp_path with helpers to write articles and read output."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "content").mkdir(parents=True, exist_ok=True)

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def write_bytes(self, rel: str, data: bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def build(self, *args: str) -> Run:
        return run_briefgen("build", "--site", str(self.root), *args)

    def out(self, rel: str) -> str:
        return (self.root / "site" / rel).read_text(encoding="utf-8")

    def snapshot(self) -> dict[str, bytes]:
        base = self.root / "site"
        return {
            p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()
        }


ARTICLE_A = """
---
title: Ministers agree harbour dredging plan
date: 2025-03-01
author: Ana Ruiz
source: The Coastal Post
tags: [harbour, transport]
---

PORTSEA — Ministers on Friday agreed a plan to dredge the old harbour channel, ending a year of delay.

"We have listened to the fishing crews and we are acting," said Tomas Halvorsen, the transport minister.
"The channel will be open by the autumn."

Critics said the plan ignored the cost to the seabed. The ministry said a survey would follow.
"""

ARTICLE_B = """
---
title: Harbour dredging plan faces seabed survey
date: 2025-03-04
tags: [harbour]
---

The harbour dredging plan agreed by ministers last week must wait for a seabed survey of the old channel.

Transport minister Tomas Halvorsen said the dredging of the harbour channel would still finish by autumn.
"We will not let the survey become another year of delay," Halvorsen said.
"""


@pytest.fixture
def site(tmp_path: Path) -> Site:
    s = Site(tmp_path / "mysite")
    s.write("content/2025-03-01-dredging-plan.md", ARTICLE_A)
    s.write("content/2025-03-04-dredging-survey.md", ARTICLE_B)
    return s


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Node]:
        out: list[Node] = [self]
        for c in self.children:
            if isinstance(c, Node):
                out.extend(c.iter())
        return out

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        def match(n: Node) -> bool:
            if tag and n.tag != tag:
                return False
            for key, value in attrs.items():
                key = key.rstrip("_")
                have = n.attrs.get(key) or ""
                if key == "class":
                    if value not in have.split():
                        return False
                elif have != value:
                    return False
            return True

        return [n for n in self.iter() if match(n)]

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> in page"
        return found[0]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    """A DOM-ish tree from the standard library's HTML parser."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Dask's tests run last: a Dask client leaves threads in this process for good (Dask-Offload and
    its event loop), and a process with threads alive may not fork, so every test that forks workers
    must have run before them."""
    items.sort(key=lambda item: item.path.name == "test_executor_dask.py")
