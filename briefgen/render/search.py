"""The site's search index: Pagefind run over the rendered briefing pages.

Pagefind (a Rust indexer, installed as the `pagefind_bin` wheel by `pagefind[bin]`) reads built HTML,
stems words, splits its index into chunks that a query loads on demand, and ships the browser side
(`pagefind/pagefind.js` and its WebAssembly). It indexes exactly the pages the build rendered: those
marked `data-pagefind-body` (the briefings) are copied to a scratch folder, Pagefind writes its bundle
to another, and the bundle comes back as files under `pagefind/` that the writer commits with the rest
of the site. So the swap of site/ stays atomic, stale index files are pruned like any other output, and
Pagefind's fragments and index chunks are the same for the same pages, but its filter and metadata files
are not (their names and bytes vary from run to run: Pagefind/pagefind#638). So the bundle is remembered
by a digest of the pages it was made from (`search-index.json` in the cache folder lists its files and
their hashes), and a build whose indexed pages did not change takes the bundle back from site/ as it is:
an unchanged site rewrites none of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pagefind.service import get_executable

from briefgen.errors import Diagnostic, Severity

SEARCH_DIR = "pagefind"  # the bundle's folder in site/, which the theme's search.js loads from
INDEXED_MARKER = b"data-pagefind-body"  # the attribute that makes a page part of the index
INDEX_TIMEOUT_S = 600.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchIndex:
    """Pagefind's bundle for one set of indexed pages."""

    key: str  # digest of the indexed pages, the language and the indexer binary
    files: Mapping[str, bytes] = field(default_factory=dict)  # site-relative path -> bytes, under pagefind/


def varies_between_runs(rel: str) -> bool:
    """A file of the bundle that Pagefind writes differently from run to run for the same pages: its
    filter and metadata files, and the entry file naming them (the order of a hash map's entries)."""
    return rel.startswith(f"{SEARCH_DIR}/") and (
        rel.startswith(f"{SEARCH_DIR}/filter/") or rel.endswith((".pf_meta", "/pagefind-entry.json"))
    )


def indexed_pages(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The HTML files Pagefind should read: the ones whose templates marked a body to index."""
    return {rel: data for rel, data in files.items() if rel.endswith(".html") and INDEXED_MARKER in data}


def _index_key(pages: Mapping[str, bytes], language: str, binary: Path) -> str:
    digest = hashlib.sha256()
    digest.update(f"{language}\0{binary}\0{binary.stat().st_size}\0".encode())
    for rel in sorted(pages):
        digest.update(f"{rel}\0{len(pages[rel])}\0".encode())
        digest.update(pages[rel])
    return digest.hexdigest()


def _clean_environment() -> dict[str, str]:
    """Pagefind reads settings from PAGEFIND_* variables: none may change what a build writes."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}


def _read_tree(root: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out[f"{SEARCH_DIR}/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return out


RECORD_NAME = "search-index.json"  # in the cache folder: the key and file hashes of the bundle in site/


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bundle_in_site(key: str, output_dir: Path, cache_dir: Path) -> SearchIndex | None:
    """The bundle site/ holds, if the cache folder says it was made from these pages and it is intact."""
    try:
        record = json.loads((cache_dir / RECORD_NAME).read_text(encoding="utf-8"))
        if record.get("key") != key:
            return None
        files = {rel: (output_dir / rel).read_bytes() for rel in record["files"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not files or any(_sha256(data) != record["files"][rel] for rel, data in files.items()):
        return None
    return SearchIndex(key=key, files=files)


def _remember(bundle: SearchIndex, cache_dir: Path) -> None:
    record = {"key": bundle.key, "files": {rel: _sha256(data) for rel, data in bundle.files.items()}}
    target = cache_dir / RECORD_NAME
    temporary = target.with_name(f".{RECORD_NAME}.{os.getpid()}.tmp")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        temporary.replace(target)
    except OSError:
        temporary.unlink(missing_ok=True)  # costs only a re-index next time


def _binary() -> Path | None:
    binary = get_executable()
    return binary if binary is not None and binary.is_file() else None


def bundle_key(files: Mapping[str, bytes], language: str) -> str | None:
    """What the bundle for `files` would be remembered by (None: no indexed page, or no indexer)."""
    pages = indexed_pages(files)
    binary = _binary()
    return _index_key(pages, language, binary) if pages and binary is not None else None


def kept_bundle(
    files: Mapping[str, bytes], *, language: str, output_dir: Path, cache_dir: Path
) -> SearchIndex | None:
    """The bundle in `output_dir`, if the cache folder says it was made from these very pages."""
    key = bundle_key(files, language)
    return _bundle_in_site(key, output_dir, cache_dir) if key is not None else None


def index_pages(
    files: Mapping[str, bytes],
    *,
    language: str,
    output_dir: Path,
    cache_dir: Path | None,
    previous: SearchIndex | None = None,
) -> tuple[SearchIndex | None, tuple[Diagnostic, ...]]:
    """Pagefind's bundle for the indexed pages among `files` (site-relative path -> rendered bytes).

    The same bundle comes back when the indexed pages are the same: `previous` (a preview rebuild that
    changed no briefing), or the one in `output_dir` that `cache_dir` remembers (None: always index).
    No indexed page means no index (Pagefind refuses to write an empty one). A missing or failing
    indexer is an error diagnostic: the site is still written, without a search index.
    """
    pages = indexed_pages(files)
    if not pages:
        return None, ()
    binary = _binary()
    if binary is None:
        message = "search index not built: Pagefind's binary is missing (pip install 'pagefind[bin]')"
        return None, (Diagnostic(Severity.ERROR, message),)
    key = _index_key(pages, language, binary)
    if previous is not None and previous.key == key:
        return previous, ()
    if cache_dir is not None and (kept := _bundle_in_site(key, output_dir, cache_dir)) is not None:
        return kept, ()
    bundle, problems = _run_pagefind(binary, pages, key)
    if bundle is not None and cache_dir is not None:
        _remember(bundle, cache_dir)
    return bundle, problems


def _run_pagefind(
    binary: Path, pages: Mapping[str, bytes], key: str
) -> tuple[SearchIndex | None, tuple[Diagnostic, ...]]:
    with tempfile.TemporaryDirectory(prefix="briefgen-search-") as scratch:
        source, bundle = Path(scratch, "site"), Path(scratch, "bundle")
        for rel, data in pages.items():
            target = source / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        command = [str(binary), "--site", "site", "--output-path", "bundle", "--silent"]
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
        if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
            detail = " ".join((done.stderr or done.stdout).split())[:500] or f"exit code {done.returncode}"
            return None, (Diagnostic(Severity.ERROR, f"search index not built: Pagefind failed: {detail}"),)
        return SearchIndex(key=key, files=_read_tree(bundle)), ()
