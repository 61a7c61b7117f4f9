"""Briefings cross process boundaries (analysis workers) by pickle: they must come back equal."""

from __future__ import annotations

import pickle
from pathlib import Path

from conftest import REPO

from briefgen.briefings import brief_file
from briefgen.cache import AnalysisCache
from briefgen.config import load_config


def test_every_sample_briefing_survives_pickling(tmp_path: Path) -> None:
    config = load_config(REPO / "briefgen.yml")
    cache = AnalysisCache(tmp_path, enabled=False)
    paths = sorted(p for p in (REPO / "content").iterdir() if p.suffix in {".md", ".txt"})
    assert len(paths) >= 12
    for path in paths:
        result = brief_file(path, config, cache)
        back = pickle.loads(pickle.dumps(result))
        assert back == result
        assert back.briefing.analysis.sentences == result.briefing.analysis.sentences
        assert type(back.briefing.analysis.entities[0]) is type(result.briefing.analysis.entities[0])
