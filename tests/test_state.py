"""The build state on disk: a summary read without the body, records kept once, the link index only
with the state it was saved with, and a preview's deferred writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from briefgen.config import SiteConfig, load_config
from briefgen.model import Record
from briefgen.pipeline import BuildOptions, BuildSession, build
from briefgen.pipeline.state import LINKER_NAME, STATE_NAME, load_state, read_summary
from briefgen.pipeline.store import code_fingerprint
from briefgen.render.views import search_entry


def _sample(root: Path) -> SiteConfig:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "briefgen.yml", root / "briefgen.yml")
    return load_config(root / "briefgen.yml", root=root)


def _load(config: SiteConfig, render_fingerprint: str = "x") -> object:
    return load_state(
        config.cache_dir,
        analysis_fingerprint=config.analysis_fingerprint() + code_fingerprint(),
        render_fingerprint=render_fingerprint,
    )


def test_the_summary_is_read_without_the_body(tmp_path: Path) -> None:
    config = _sample(tmp_path)
    assert build(config).committed
    path = config.cache_dir / STATE_NAME
    whole = path.read_bytes()
    summary = read_summary(config.cache_dir)
    assert summary is not None and summary.briefings >= 12 and summary.related
    path.write_bytes(whole[: len(whole) // 2])  # the body cut short: the summary still reads
    assert read_summary(config.cache_dir) == summary
    state = _load(config)
    assert not state.sources and state.corpus is None  # an unreadable body: a full build, never an error
    path.write_bytes(b"\x93garbage" * 10)
    assert read_summary(config.cache_dir) is None


def test_records_are_kept_once_and_without_terms(tmp_path: Path) -> None:
    config = _sample(tmp_path)
    assert build(config).committed
    state = _load(config)
    assert state.corpus is not None and state.linker is not None
    by_slug = {s.record.slug: s.record for s in state.sources.values() if s.record is not None}
    assert state.corpus.records and all(r is by_slug[slug] for slug, r in state.corpus.records.items())
    assert state.corpus.speaker_quotes  # made again from the records, as the link stage makes them
    assert "terms" not in Record.__dataclass_fields__


def test_a_link_index_of_another_state_is_not_used(tmp_path: Path) -> None:
    config = _sample(tmp_path)
    assert build(config).committed
    linker = (config.cache_dir / LINKER_NAME).read_bytes()
    article = next((config.root / "content").glob("*.md"))
    article.write_text(
        article.read_text(encoding="utf-8") + "\n\nA new closing paragraph.\n", encoding="utf-8"
    )
    assert build(config).committed
    assert _load(config).linker is not None
    (config.cache_dir / LINKER_NAME).write_bytes(linker)  # the index as it was before the edit
    state = _load(config)
    assert state.linker is None and state.corpus is not None  # linking starts afresh; the rest is kept


def test_a_preview_writes_its_state_after_each_rebuild_and_its_index_when_it_stops(tmp_path: Path) -> None:
    config = _sample(tmp_path)
    session = BuildSession(BuildOptions(parallel=False), persistent=True)
    assert build(config, session=session).committed
    assert not (config.cache_dir / STATE_NAME).exists()  # written once the pages are shown
    session.flush()
    first = read_summary(config.cache_dir)
    assert first is not None and not (config.cache_dir / LINKER_NAME).exists()
    assert _load(config).linker is None  # not written between rebuilds
    session.close()
    state = _load(config)
    assert state.linker is not None and state.corpus is not None


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        'quote " back\\slash /',
        "\x00\x1f\x7f\b\f\n\r\t",
        "é 中文 😀 \u2028\u2029 \ufeff",
        "</script>",
    ],
)
def test_search_entries_are_the_json_that_json_dumps_writes(text: str) -> None:
    record = Record(
        slug="s",
        rel_path="content/s.md",
        key="k",
        digest="d",
        title=text,
        date=__import__("datetime").date(2025, 2, 13),
        date_inferred_from="front matter",
        author=None,
        source=text,
        url=None,
        tags=(text, "b"),
        draft=False,
        summary=text * 3,
        entities=(),
        speakers=(),
        key_quotes=(),
        keywords=(text,),
        references=(),
    )
    entry = {
        "url": "briefings/s/",
        "title": text,
        "date": "2025-02-13",
        "source": text,
        "summary": text * 3,
        "entities": [],
        "keywords": [text],
        "tags": [text, "b"],
    }
    assert search_entry(record) == json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
