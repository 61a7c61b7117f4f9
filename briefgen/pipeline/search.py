"""After emit: the search index of the committed site (briefgen.render.search runs Pagefind).

A CLI build indexes at once, after its pages are committed. A preview does it behind the rebuild
(`briefgen.serve.SearchRefresher`), since Pagefind takes seconds on a large site: the pages are served
first, with the last index, and the index follows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from briefgen.errors import Diagnostic
from briefgen.model.stages import WriteResult
from briefgen.render.environment import THEME_DIR
from briefgen.render.search import (
    SEARCH_DIR,
    is_bundle_file,
    needs_index,
    note_index_pending,
    pages_to_read,
    remember_index,
    run_pagefind,
)
from briefgen.render.writer import OutputFolder


def bundle_files(output: OutputFolder) -> set[str]:
    """The search bundle's files as the output folder's record lists them."""
    return {rel for rel in output.record if is_bundle_file(rel)}


def search_outdated(output: OutputFolder, cache_dir: Path, *, has_pages: bool) -> bool:
    """Whether the committed site needs its bundle made again (a site with no briefings and no
    bundle needs none): pages changed since it was made, by this build or by one killed before its
    index was committed."""
    bundle = bundle_files(output)
    if not has_pages and not bundle:
        return False
    return needs_index(output.path, cache_dir, files=output.record, bundle=bundle, intact=output.intact)


def defer_index(cache_dir: Path) -> None:
    """A preview publishes its pages first and indexes them behind (serve.SearchRefresher): until
    that index is committed, no build of the site counts as a no-change build."""
    note_index_pending(cache_dir)


def make_bundle(
    site: Path, templates_dir: Path, *, has_pages: bool, behind: bool = False
) -> tuple[dict[str, bytes] | None, tuple[Diagnostic, ...]]:
    """Pagefind's bundle for the committed site in `site` ({}: no briefings, so no index; None: the
    indexer failed). Reads the site only: safe while a preview serves it (`behind`: at low priority).
    `templates_dir`: the site's templates, which say which pages are marked for the index."""
    if not has_pages:
        return {}, ()
    return run_pagefind(site, behind=behind, glob=_pages_to_read(templates_dir))


def _pages_to_read(templates_dir: Path) -> str | None:
    return pages_to_read((templates_dir, THEME_DIR / "templates"))


def commit_bundle(
    output: OutputFolder, bundle: Mapping[str, bytes], cache_dir: Path, templates_dir: Path
) -> WriteResult:
    """Put `bundle` in the output folder in place of the last one (unchanged files are not touched),
    and note in the cache folder which pages it indexes (of those `make_bundle` gave Pagefind)."""
    try:
        for rel, data in bundle.items():
            output.stage(rel, data)
        keep = {rel for rel in output.record if not is_bundle_file(rel)}
        written = output.commit(keep | bundle.keys())
    except BaseException:  # (a full disk): the last bundle stays, and no staging tree
        output.discard()
        raise
    remove_strays(output.path, bundle.keys())
    remember_index(cache_dir, output.path, output.record, _pages_to_read(templates_dir))
    return written


def remove_strays(site: Path, bundle: Collection[str]) -> None:
    """The bundle's folder is briefgen's alone: a file in it that this bundle does not have is a
    fragment of an earlier bundle (a build killed while committing one can leave such files
    unrecorded), and it goes."""
    folder = site / SEARCH_DIR
    if not folder.is_dir():
        return
    for path in folder.rglob("*"):
        if (path.is_file() or path.is_symlink()) and path.relative_to(site).as_posix() not in bundle:
            path.unlink(missing_ok=True)


def index_site(
    output: OutputFolder, cache_dir: Path, templates_dir: Path, *, has_pages: bool
) -> tuple[WriteResult | None, tuple[Diagnostic, ...]]:
    """Index the committed site in `output` and commit the bundle (None: nothing committed, because
    the indexer failed; the last bundle stays). `has_pages`: the site has briefings (without any,
    Pagefind would index every page's whole body)."""
    bundle, problems = make_bundle(output.path, templates_dir, has_pages=has_pages)
    committed = commit_bundle(output, bundle, cache_dir, templates_dir) if bundle is not None else None
    return committed, problems


def merged(first: WriteResult, then: WriteResult, total: int) -> WriteResult:
    """The pages' commit and then the search index's as one result; `total`: the files produced."""
    written = sorted({*first.written, *then.written})
    removed = sorted({*first.removed, *then.removed} - {*written})
    return WriteResult(written=tuple(written), unchanged=total - len(written), removed=tuple(removed))
