"""Hostile and broken articles (tests/cases/hostile/*.txt): each one's exact diagnostics and whether it
got a page, then all of them built together as one site within a fixed budget, with no traceback, no
internal error, no script link and not one byte from outside content/ in the site.

A case file has `--- config` (JSON), `--- input` and `--- expected` sections. Config keys:
- `file`: the name under content/ (`file_bytes`: the same with `\\xNN` escapes, for names that are not UTF-8);
- `encoding` (default utf-8), `bom` (prefix that encoding's byte-order mark), `prefix_bom`, `escapes`
  (the input holds `\\xNN` escapes for raw bytes), `expand` ({"@@X@@": [text, times]}, for big inputs);
- `setup`: `symlink` (to `target`), `symlink_inside`, `fifo`, `socket`, `folder`, `chmod`, `chmod_folder`.
`expected` lists the case's warnings and errors as the build prints them, then `page: built` or
`page: none`. `pytest --update-golden` (or UPDATE_GOLDEN=1) rewrites the expected sections.
"""

from __future__ import annotations

import codecs
import json
import os
import socket
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from briefgen.config import load_config
from briefgen.errors import Severity
from briefgen.pipeline import BuildOptions, build
from briefgen.slugs import slug_for
from tests.conftest import run_briefgen

CASES = Path(__file__).parent / "cases" / "hostile"
CANARY = "briefgen-canary-7f3a9c"  # planted outside content/ (a file beside it, the environment)
BOMS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
COMBINED_BUDGET_S = 300.0  # a generous bound for building every case as one site, not a speed bar


def _permissions_bind() -> bool:
    """Can a mode-000 file be kept from this process? Not as root with CAP_DAC_OVERRIDE."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder, "probe")
        probe.write_text("x")
        probe.chmod(0)
        try:
            probe.read_text()
        except PermissionError:
            return True
        return False


PERMISSIONS_BIND = _permissions_bind()


@dataclass(frozen=True)
class HostileCase:
    path: Path
    description: str
    config: dict[str, Any]
    input: str
    expected: str

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def file(self) -> str:
        if "file_bytes" in self.config:
            return os.fsdecode(codecs.escape_decode(self.config["file_bytes"].encode())[0])
        return str(self.config["file"])

    @property
    def needs_non_root(self) -> bool:
        return self.config.get("setup") in ("chmod", "chmod_folder")

    def data(self) -> bytes:
        text = self.input
        for placeholder, (piece, times) in self.config.get("expand", {}).items():
            text = text.replace(placeholder, piece * times)
        encoding = self.config.get("encoding", "utf-8")
        data = (
            codecs.escape_decode(text.encode("utf-8"))[0]
            if self.config.get("escapes")
            else text.encode(encoding)
        )
        if self.config.get("bom"):
            data = BOMS[encoding] + data
        if "prefix_bom" in self.config:
            data = BOMS[self.config["prefix_bom"]] + data
        return data

    def place(self, root: Path) -> None:
        """Put the case into root/content/ as the config says."""
        content = root / "content"
        target = content / self.file
        target.parent.mkdir(parents=True, exist_ok=True)
        setup = self.config.get("setup")
        if setup == "symlink":
            target.symlink_to(self.config["target"])
        elif setup == "symlink_inside":
            original = target.with_name(target.stem + "-original.md")
            original.write_bytes(self.data())
            target.symlink_to(original.name)
        elif setup == "fifo":
            os.mkfifo(target)
        elif setup == "socket":
            with socket.socket(socket.AF_UNIX) as sock:
                sock.bind(str(target))
        else:
            target.write_bytes(self.data())
            if setup == "chmod":
                target.chmod(0)
            elif setup == "chmod_folder":
                target.parent.chmod(0)

    def owns(self, path: str) -> bool:
        """Is a diagnostic at `path` about this case?"""
        mine = f"content/{self.file}"
        first = f"content/{self.file.split('/', 1)[0]}"
        return path in (mine, first) or path.startswith(mine + "/")

    def page(self, root: Path) -> Path:
        return root / "site/briefings" / slug_for(f"content/{self.file}") / "index.html"

    def outcome(self, root: Path, lines: list[str]) -> str:
        built = self.page(root).is_file()
        return "\n".join([*lines, f"page: {'built' if built else 'none'}"])


def read_case(path: Path) -> HostileCase:
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("\n--- input\n", 1)
    given, expected = rest.split("\n--- expected\n", 1)
    description, _, config = head.partition("\n--- config\n")
    return HostileCase(
        path=path,
        description=description.removeprefix("# ").strip(),
        config=json.loads(config) if config else {},
        input=given,
        expected=expected.strip("\n"),
    )


def write_expected(case: HostileCase, expected: str) -> None:
    text = case.path.read_text(encoding="utf-8")
    head = text.split("\n--- expected\n", 1)[0]
    case.path.write_text(f"{head}\n--- expected\n{expected}\n", encoding="utf-8")


ALL_CASES = [read_case(p) for p in sorted(CASES.glob("*.txt"))]


def _updating(request: pytest.FixtureRequest) -> bool:
    return (
        bool(request.config.getoption("--update-golden", default=False))
        or os.environ.get("UPDATE_GOLDEN") == "1"
    )


def _site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "secret.txt").write_text(f"outside content: {CANARY}\n")
    # an address, so that feeds, the sitemap and JSON-LD are made from hostile input too (and checked for leaks)
    (root / "briefgen.yml").write_text("title: Hostile desk\nbase_url: https://hostile.example.org/desk/\n")
    return root


class _Links(HTMLParser):
    """Every URL-bearing attribute of a page, as the browser would read it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset") and value:
                self.urls.append(value)
            if name.startswith("on"):
                self.urls.append(f"javascript:{name}")  # an event handler attribute is script too


def _script_links(site: Path) -> list[str]:
    bad: list[str] = []
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            plain = "".join(c for c in url if c > " " and c != "\x7f").lower()
            if plain.startswith(("javascript:", "vbscript:", "data:text", "file:")):
                bad.append(f"{page}: {url}")
    return bad


def _leaks(site: Path) -> list[str]:
    return [str(p) for p in site.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]


def test_there_are_at_least_100_cases_each_with_a_description() -> None:
    assert len(ALL_CASES) >= 100
    assert all(case.description and case.config for case in ALL_CASES)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.name)
def test_hostile_case(
    case: HostileCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    if case.needs_non_root and not PERMISSIONS_BIND:
        pytest.skip("this process reads files whatever their permissions (root)")
    monkeypatch.setenv("BRIEFGEN_CANARY", CANARY)  # what /proc/self/environ would leak
    root = _site(tmp_path / "site-root")
    case.place(root)
    config = load_config(root / "briefgen.yml", require_content=True)
    result = build(config, options=BuildOptions(use_cache=False, jobs=1, parallel=False))
    shown = [str(d) for d in result.diagnostics]
    assert not [line for line in shown if "internal error" in line], shown
    shown_here = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    lines = [str(d) for d in shown_here if d.location and case.owns(d.location.path)]
    others = [str(d) for d in shown_here if not (d.location and case.owns(d.location.path))]
    assert not others, f"diagnostics about something else: {others}"
    got = case.outcome(root, lines)
    if _updating(request):
        write_expected(case, got)
    else:
        assert got == case.expected
    assert result.committed
    assert not _leaks(root / "site")
    assert not _script_links(root / "site")


@pytest.mark.slow
def test_all_hostile_cases_as_one_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CANARY", CANARY)
    root = _site(tmp_path / "site-root")
    cases = [c for c in ALL_CASES if not (c.needs_non_root and not PERMISSIONS_BIND)]
    for case in cases:
        case.place(root)
    started = time.monotonic()
    run = run_briefgen("build", "--site", str(root), "--no-cache")  # in-process: the budget is checked after
    elapsed = time.monotonic() - started
    assert elapsed < COMBINED_BUDGET_S
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr[-3000:]
    assert run.returncode == 1  # some cases are errors; the site is built all the same
    printed = set(run.stderr.splitlines())
    for case in cases:
        *lines, page = case.expected.splitlines()
        missing = [line for line in lines if line not in printed]
        assert not missing, (case.name, missing)
        assert case.outcome(root, []).endswith(page), case.name
    assert not _leaks(root / "site")
    assert not _script_links(root / "site")
    assert (root / "site/index.html").is_file()
