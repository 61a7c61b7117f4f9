"""The site's search index: Pagefind run over the built site.

Pagefind (a Rust indexer, installed as the `pagefind_bin` wheel by `pagefind[bin]`) reads built HTML,
stems words, splits its index into chunks that a query loads on demand, and ships the browser side
(`pagefind/pagefind.js` and its WebAssembly). It indexes the pages whose templates mark a body with
`data-pagefind-body` (the briefings), as they are in the output folder once a build has committed
them; its bundle is written to a scratch folder and comes back as bytes, for the writer to commit
under `pagefind/` like any other output (recorded, unchanged bytes left alone, stale files removed).

Pagefind's fragments and index chunks are the same for the same pages, but its filter and metadata
files are not (their names and bytes vary from run to run: Pagefind/pagefind#638). So the bundle is
made again only when a page it indexes changed (the cache folder keeps the sha256 of each), or the
bundle is not as it was left: a build that changed no briefing page rewrites none of it. Which pages
changed is read from the output folder's record against the one the bundle was made from, not from
what this build wrote: a build killed after committing its pages and before their index leaves the
index to the next one. Pagefind dies with the process that started it (started through util-linux's
`setpriv --pdeathsig KILL`, not a `preexec_fn`: that would make subprocess fork this process, running
its fork hooks, where it otherwise spawns without forking), and the scratch folder of a killed run is
removed by the next.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

from pagefind.service import get_executable

from briefgen.atomicfile import atomic_write
from briefgen.errors import Diagnostic, Severity
from briefgen.render.writer import pid_alive

SEARCH_DIR = "pagefind"  # the bundle's folder in the output folder, which the theme's search.js loads
INDEXED_MARKER = b"data-pagefind-body"  # the attribute that makes a page part of the index
RECORD_NAME = "search-index.json"  # in the cache folder: the pages (and their sha256) the bundle indexes
# in the cache folder while a preview's pages are published and their index is still to come: a preview
# stopped before it came leaves the index to the next build, which is then not a no-change build
PENDING_NAME = "search-pending"
INDEX_TIMEOUT_S = 1800.0
NO_PAGES = "not able to build an index"  # what Pagefind says when no page is marked for the index


def varies_between_runs(rel: str) -> bool:
    """A file of the bundle that Pagefind writes differently from run to run for the same pages: its
    filter and metadata files, and the entry file naming them (the order of a hash map's entries)."""
    return rel.startswith(f"{SEARCH_DIR}/") and (
        rel.startswith(f"{SEARCH_DIR}/filter/") or rel.endswith((".pf_meta", "/pagefind-entry.json"))
    )


BRIEFING_PAGES = "briefings/**/*.html"  # what Pagefind reads when only briefing pages are marked


def pages_to_read(template_folders: Iterable[Path]) -> str | None:
    """Pagefind's --glob: the briefing pages alone, when no template but briefing.html marks a body for
    the index (the theme's case; Pagefind then leaves the other two thirds of the site unread, which
    gives the same index for about 40% less of its CPU); None (every page) when another template does."""
    for folder in template_folders:
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.name != "briefing.html" and path.is_file() and INDEXED_MARKER in path.read_bytes():
                return None
    return BRIEFING_PAGES


def is_bundle_file(rel: str) -> bool:
    return rel.startswith(f"{SEARCH_DIR}/")


def indexed_pages(site: Path, glob: str | None = None) -> dict[str, str]:
    """Page -> sha256 of every HTML page of the site that is marked for the index (`glob`: of the pages
    Pagefind was given, `pages_to_read`)."""
    found: dict[str, str] = {}
    top = site / glob.split("/", 1)[0] if glob == BRIEFING_PAGES else site
    for path in sorted(top.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if is_bundle_file(rel):
            continue
        with contextlib.suppress(OSError):
            data = path.read_bytes()
            if INDEXED_MARKER in data:
                found[rel] = hashlib.sha256(data).hexdigest()
    return found


def _is_page(rel: str) -> bool:
    return rel.endswith(".html") and not is_bundle_file(rel)


def remember_index(
    cache_dir: Path, site: Path, files: Mapping[str, tuple[int, int]], glob: str | None = None
) -> None:
    """Note which pages (and which bytes of them) the bundle now in `site` was made from, and each
    page's (size, mtime) in the output folder's record `files` then: later builds read only the pages
    that changed since. `glob`: the pages Pagefind was given (`pages_to_read`)."""
    entry = _sha_of(site / SEARCH_DIR / "pagefind-entry.json")
    seen = {rel: list(stat) for rel, stat in files.items() if _is_page(rel)}
    record = {"entry": entry, "pages": indexed_pages(site, glob), "seen": seen}
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(cache_dir / RECORD_NAME, json.dumps(record, sort_keys=True).encode())
        (cache_dir / PENDING_NAME).unlink(missing_ok=True)


def note_index_pending(cache_dir: Path) -> None:
    """The committed pages are newer than their index, which comes later (`remember_index` clears it)."""
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(cache_dir / PENDING_NAME, b"")


def index_pending(cache_dir: Path) -> bool:
    return (cache_dir / PENDING_NAME).exists()


def _sha_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def needs_index(
    site: Path,
    cache_dir: Path,
    *,
    files: Mapping[str, tuple[int, int]],
    bundle: Collection[str],
    intact: Callable[[str], bool],
) -> bool:
    """Whether the bundle must be made again: it is missing or was touched, or an indexed page was
    removed, or a page marked for the index has other bytes than it was indexed with.

    `files`: the output folder's record now. Only the pages whose (size, mtime) changed since the
    bundle was made are read. A page rewritten with its old bytes (after a hand edit, say), or a page
    outside the index (a day or tag page), does not ask for the seconds Pagefind takes on a large site.
    """
    if not bundle or not all(intact(rel) for rel in bundle):
        return True
    try:
        record = json.loads((cache_dir / RECORD_NAME).read_text(encoding="utf-8"))
        pages: dict[str, str] = record["pages"]
        seen: dict[str, list[int]] = record["seen"]
        if record["entry"] != _sha_of(site / SEARCH_DIR / "pagefind-entry.json"):
            return True
    except (OSError, ValueError, KeyError, TypeError):
        return True
    if any(rel in seen and rel not in files for rel in pages):
        return True
    for rel, stat in files.items():
        if not _is_page(rel) or seen.get(rel) == list(stat):
            continue
        try:
            data = (site / rel).read_bytes()
        except OSError:
            return True
        if (INDEXED_MARKER in data or rel in pages) and pages.get(rel) != hashlib.sha256(data).hexdigest():
            return True
    return False


def _clean_environment() -> dict[str, str]:
    """Pagefind reads settings from PAGEFIND_* variables: none may change what a build writes."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}


def _read_tree(root: Path) -> dict[str, bytes]:
    return {
        f"{SEARCH_DIR}/{path.relative_to(root).as_posix()}": path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def run_pagefind(
    site: Path, *, behind: bool = False, glob: str | None = None
) -> tuple[dict[str, bytes] | None, tuple[Diagnostic, ...]]:
    """Pagefind's bundle for the built site in `site`: site-relative path -> bytes, all under pagefind/.

    `behind`: run at the lowest CPU priority (a preview indexes while it rebuilds and serves).
    `glob`: the pages to read (`pages_to_read`; None: every HTML file).

    An empty dict when no page is marked for the index. None (with an error) when the indexer is
    missing or fails: the caller keeps the site, and the last bundle if there is one.
    """
    binary = get_executable()
    if binary is None or not binary.is_file():
        message = "search index not built: Pagefind's binary is missing (pip install 'pagefind[bin]')"
        return None, (Diagnostic(Severity.ERROR, message),)
    _remove_orphaned_scratch()
    with tempfile.TemporaryDirectory(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-") as scratch:
        bundle = Path(scratch, "bundle")
        command = [str(binary), "--site", str(site.resolve()), "--output-path", str(bundle), "--silent"]
        if glob is not None:
            command += ["--glob", glob]
        nice = shutil.which("nice")
        if behind and nice is not None:
            command = [nice, "-n", "19", *command]
        setpriv = shutil.which("setpriv") if sys.platform == "linux" else None
        if setpriv is not None:  # Pagefind dies with the thread that started it (its build killed)
            command = [setpriv, "--pdeathsig", "KILL", "--", *command]
        try:
            done = subprocess.run(
                command,
                cwd=scratch,  # no pagefind.yml of the user's is read from here
                env=_clean_environment(),
                capture_output=True,
                text=True,
                timeout=INDEX_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, (Diagnostic(Severity.ERROR, f"search index not built: Pagefind failed: {exc}"),)
        if done.returncode != 0 and NO_PAGES in (done.stderr + done.stdout):
            return {}, ()  # no page is marked for the index (a site without briefings)
        if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
            detail = " ".join((done.stderr or done.stdout).split())[:500] or f"exit code {done.returncode}"
            return None, (Diagnostic(Severity.ERROR, f"search index not built: Pagefind failed: {detail}"),)
        return _read_tree(bundle), ()


_SCRATCH_PREFIX = "briefgen-search-"  # then the process id: a folder of a dead process is left over


def _remove_orphaned_scratch() -> None:
    """Scratch folders of runs whose process is gone (killed before it could remove its own)."""
    with contextlib.suppress(OSError), os.scandir(tempfile.gettempdir()) as entries:
        for entry in entries:
            pid = entry.name.removeprefix(_SCRATCH_PREFIX).split("-", 1)[0]
            if entry.name.startswith(_SCRATCH_PREFIX) and pid.isdigit() and not pid_alive(int(pid)):
                shutil.rmtree(entry.path, ignore_errors=True)
