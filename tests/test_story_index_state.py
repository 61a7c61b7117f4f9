"""The build keeps its StoryIndex between runs as plain data: restored, it is the same index."""

from __future__ import annotations

import dataclasses

from briefgen.corpus.stories import StoryIndex, StoryIndexState
from briefgen.corpus.story_features import features_of_briefing
from briefgen.model import StoryFeatures
from briefgen.pipeline.analyse import analyse_text
from briefgen.pipeline.store import decode, encode
from tests.conftest import REPO


def _features() -> list[StoryFeatures]:
    """The sample site's articles, each under its own id."""
    out = []
    for path in sorted(p for p in (REPO / "content").iterdir() if p.suffix in {".md", ".txt"}):
        briefing = analyse_text(path.read_text(encoding="utf-8"), title=path.stem)
        out.append(features_of_briefing(dataclasses.replace(briefing, slug=path.stem)))
    return out


def test_an_exported_index_restores_to_the_same_stories_links_and_updates() -> None:
    features = _features()
    full = StoryIndex.build(features)
    back = StoryIndex.restore(decode(encode(full.export()), StoryIndexState))
    assert back.stories() == full.stories() and back.story_keys() == full.story_keys()
    assert back.related_all(k=3) == full.related_all(k=3)
    assert any(len(s.members) > 1 for s in full.stories())
    last = features[-1]
    assert back.remove(last.id) == full.remove(last.id)
    assert back.upsert(last) == full.upsert(last)
    assert back.stories() == full.stories() == StoryIndex.build(features).stories()


def test_a_stricter_merge_threshold_is_kept_through_export_and_restore() -> None:
    features = _features()
    strict = StoryIndex.build(features, threshold=0.999)
    assert len(strict.stories()) > len(StoryIndex.build(features).stories())
    back = StoryIndex.restore(decode(encode(strict.export()), StoryIndexState))
    last = features[-1]
    assert back.remove(last.id) == strict.remove(last.id)
    assert back.upsert(last) == strict.upsert(last)
    assert back.stories() == strict.stories() == StoryIndex.build(features, threshold=0.999).stories()
