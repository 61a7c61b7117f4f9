"""Shared fixtures: a throwaway site on disk, the `briefgen` command run in this process, golden case
files, the `slow` switch, and a check that no test leaves process-wide state behind.

Tests run the command line in-process through `briefgen.cli.main(argv)`: a build then costs its own
time, not a new interpreter's start and imports (about 0.3 s against 2 s). A few tests need a real
process and say why (`run_briefgen_process`, `conftest_serve.ServeProcess`).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

# numpy's OpenBLAS starts a thread pool when it is first imported (Dask imports it), and a process with
# threads alive may not fork workers (briefgen.executor): one BLAS thread is all this suite needs
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from briefgen.cli import main as briefgen_main

pytest.register_assert_rewrite("tests.casefiles")  # a golden mismatch shows as a diff, not just False
from tests.casefiles import Golden  # noqa: E402  (after the line above, or it has no effect)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED_ARTICLE = REPO / "content" / "2025-02-13-Hegseth-Says-US-Is-Not-Abandoning-Ukraine.txt"
SHARED_SEED = SHARED / "seed" / "000_e1ac3629cfe7b588.txt"  # the original; SEED_ARTICLE is its copy


# --- options: slow tests, golden files -------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("briefgen")
    group.addoption(
        "--run-slow",
        action="store_true",
        help="also run tests marked slow (scripts/test.sh, and so CI, does)",
    )
    group.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected section of each case file in tests/cases whose output changed",
    )


_GOLDEN = pytest.StashKey[Golden]()


# Imported once before any test, so that what they do on import (OPENBLAS_NUM_THREADS set before numpy
# loads, language data read) happens outside the tests that the state check below watches.
PRELOADED = (
    "briefgen.pipeline",
    "briefgen.corpus.similarity",
    "briefgen.corpus.related",
    "briefgen.jsonl",
    "briefgen.serve",
)


def pytest_configure(config: pytest.Config) -> None:
    for name in PRELOADED:
        importlib.import_module(name)
    config.stash[_GOLDEN] = Golden(update=bool(config.getoption("--update-golden")))
    # A shell starts background jobs with SIGINT ignored, and an ignored SIGINT is inherited by every
    # process started from here: `briefgen serve` under test would then never see its Ctrl-C.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow tests are skipped unless --run-slow."""
    if config.getoption("--run-slow") or "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (scripts/test.sh does)")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    golden: Golden = request.config.stash[_GOLDEN]
    return golden


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    rewritten = config.stash[_GOLDEN].rewritten if _GOLDEN in config.stash else []
    if rewritten:
        terminalreporter.section("golden case files rewritten")
        for path in rewritten:
            terminalreporter.write_line(str(path.relative_to(REPO)))


# --- the command line, in this process ------------------------------------------------------------


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def exit_code(exc: SystemExit) -> int:
    """The status a process ending with `exc` would have."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def run_briefgen(*args: str, cwd: Path | None = None, stdin: str | None = None) -> Run:
    """`briefgen ARGS` through `briefgen.cli.main`, with its own stdin, stdout and stderr.

    An exception that escapes `main` is not turned into an exit code: it fails the test with its
    traceback, where a process would have printed it and exited 1.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(_stdin_from(io.StringIO(stdin or "")))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        try:
            code = briefgen_main(list(args))
        except SystemExit as exc:
            code = exit_code(exc)
    return Run(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _stdin_from(stream: io.StringIO) -> Iterator[None]:
    before = sys.stdin
    sys.stdin = stream
    try:
        yield
    finally:
        sys.stdin = before


def run_briefgen_process(
    *args: str, stdin: str | None = None, cwd: Path | None = None, timeout: float = 120
) -> Run:
    """`python -m briefgen ARGS` as a real process: only for tests of the process itself."""
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


# --- process-wide state: what one test leaves behind must not reach the next ------------------------

_WATCHED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD, signal.SIGPIPE)
THREAD_GRACE_S = 5.0


@dataclass(frozen=True)
class _ProcessState:
    cwd: str
    environ: dict[str, str]
    handlers: dict[int, object]
    gc_threshold: tuple[int, ...]
    gc_enabled: bool
    gc_frozen: int
    log_handlers: tuple[logging.Handler, ...]
    log_level: int
    threads: frozenset[threading.Thread]

    @classmethod
    def now(cls) -> _ProcessState:
        root = logging.getLogger()
        return cls(
            cwd=str(Path.cwd()),
            environ=_environ(),
            handlers={s: signal.getsignal(s) for s in _WATCHED_SIGNALS},
            gc_threshold=gc.get_threshold(),
            gc_enabled=gc.isenabled(),
            gc_frozen=gc.get_freeze_count(),
            log_handlers=tuple(root.handlers),
            log_level=root.level,
            threads=frozenset(threading.enumerate()),
        )


def _environ() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}  # pytest's own


def _threads_left(before: frozenset[threading.Thread]) -> list[threading.Thread]:
    deadline = time.monotonic() + THREAD_GRACE_S
    left = [t for t in threading.enumerate() if t not in before]
    for thread in left:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    return [t for t in left if t.is_alive()]


def _restore(before: _ProcessState) -> list[str]:
    """Put back what changed and say what it was."""
    problems = []
    if str(Path.cwd()) != before.cwd:
        problems.append(f"the working directory changed to {Path.cwd()}")
        os.chdir(before.cwd)
    if _environ() != before.environ:
        changed = set(_environ().items()) ^ set(before.environ.items())
        problems.append(f"environment variables changed: {sorted({k for k, _ in changed})}")
        for name in set(_environ()) - set(before.environ):
            del os.environ[name]
        os.environ.update(before.environ)
    for number, handler in before.handlers.items():
        if signal.getsignal(number) != handler:
            problems.append(f"the {signal.Signals(number).name} handler changed")
            signal.signal(number, handler)  # type: ignore[arg-type]
    if gc.get_threshold() != before.gc_threshold:
        problems.append(f"the gc threshold changed to {gc.get_threshold()}")
        gc.set_threshold(*before.gc_threshold)
    if gc.isenabled() != before.gc_enabled:
        problems.append("the garbage collector was switched " + ("on" if gc.isenabled() else "off"))
        (gc.enable if before.gc_enabled else gc.disable)()
    root = logging.getLogger()
    if tuple(root.handlers) != before.log_handlers or root.level != before.log_level:
        problems.append("the root logger's handlers or level changed")
        root.handlers[:] = before.log_handlers
        root.setLevel(before.log_level)
    return problems


@pytest.fixture(autouse=True)
def process_state_is_left_as_found() -> Iterator[None]:
    """Fail a test that leaves threads, worker processes, a changed cwd, environment, signal handler,
    gc setting or logging handler behind (and put it back), since the command runs in this process.

    Threads matter most: the build forks worker processes, and forking while another thread holds a
    lock can deadlock the child. A preview session freezes the heap it built (gc.freeze), which is
    its documented behaviour, so that is undone here without complaint. (A Dask client would leave
    threads for good: briefgen's, and the tests' clusters, run in processes of their own.)
    """
    before = _ProcessState.now()
    yield
    problems = _restore(before)
    if gc.get_freeze_count() > before.gc_frozen and before.gc_frozen == 0:
        gc.unfreeze()
    threads = _threads_left(before.threads)
    if threads:
        problems.append(
            f"threads still running {THREAD_GRACE_S:.0f} s after the test: {[t.name for t in threads]}"
        )
    children = multiprocessing.active_children()
    if children:
        problems.append(f"worker processes still running: {children}")
    if problems:
        pytest.fail("the test left process-wide state behind: " + "; ".join(problems), pytrace=False)


# --- sites on disk ---------------------------------------------------------------------------------


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
