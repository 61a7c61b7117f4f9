"""The build stamp: a digest of everything a build reads, so a build with nothing changed does nothing.

It covers every content file (path, bytes and mtime, since an undated article takes its date from the
mtime), the config, the site's templates and static files, and briefgen's own code, theme and data.
The stamp also lists the output files as the build left them (size and mtime), so a site/ that was
touched since is rebuilt rather than trusted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen.cache import atomic_write

_PACKAGE = Path(__file__).resolve().parent
STAMP_NAME = "build-stamp.json"


@functools.cache
def package_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _tree_files(folder: Path) -> Iterable[Path]:
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                yield Path(dirpath, name)


def inputs_digest(
    *, settings: str, sources: Iterable[Path], folders: Iterable[Path], config_path: Path
) -> str:
    """One digest of every input of a build (raises OSError if a file vanishes mid-way: then just build)."""
    digest = hashlib.sha256()
    digest.update(package_digest().encode())
    digest.update(settings.encode())
    paths = [config_path] if config_path.is_file() else []
    paths.extend(sources)
    for folder in folders:
        paths.extend(_tree_files(folder))
    for path in paths:
        data = path.read_bytes()
        digest.update(f"\0{path}\0{len(data)}\0{path.stat().st_mtime_ns}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def output_listing(output_dir: Path) -> dict[str, list[int]]:
    """rel path -> [size, mtime_ns] of every file under output_dir (symlinks listed, not followed)."""
    listing: dict[str, list[int]] = {}
    stack = [("", str(output_dir))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((rel + "/", entry.path))
                else:
                    st = entry.stat(follow_symlinks=False)
                    listing[rel] = [st.st_size, st.st_mtime_ns]
    return listing


def read_stamp(cache_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((cache_dir / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_stamp(cache_dir: Path, stamp: dict[str, Any]) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(cache_dir / STAMP_NAME, json.dumps(stamp, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # costs only speed next time


def clear_stamp(cache_dir: Path) -> None:
    (cache_dir / STAMP_NAME).unlink(missing_ok=True)
