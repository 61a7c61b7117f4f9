"""Shared by the atheris targets: a seed corpus from the repository's own hostile cases and articles."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def write_seeds(folder: Path, *, jsonl: bool = False) -> None:
    """Fill `folder` (once) with the hostile case inputs and the sample articles, as seeds."""
    if folder.is_dir() and any(folder.iterdir()):
        return
    folder.mkdir(parents=True, exist_ok=True)
    from tests.test_hostile import ALL_CASES

    seeds: list[bytes] = []
    for case in ALL_CASES:
        if case.config.get("setup") in (None, "chmod", "chmod_folder", "folder", "symlink_inside"):
            data = case.data()
            if len(data) <= 20_000:
                seeds.append(data)
    for article in sorted((REPO / "content").glob("*")):
        seeds.append(article.read_bytes())
    if jsonl:
        from tests.test_jsonl_hostile import malformed_lines

        seeds = [line for line, _ in malformed_lines() if len(line) <= 20_000]
        seeds.append(b'{"id": 1, "title": "Bridge", "text": "\\u201cYes,\\u201d said Ana Lopes. It rained."}\n')
    for n, data in enumerate(seeds):
        (folder / f"seed-{n:04d}").write_bytes(data)
