"""Briefings cross process boundaries (analysis workers) by pickle: they must come back equal."""

from __future__ import annotations

import pickle
from pathlib import Path

from conftest import REPO

from briefgen.briefings import brief_file, related_text
from briefgen.cache import AnalysisCache
from briefgen.config import load_config
from briefgen.corpus.similarity import term_weights


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


def test_term_weights_from_the_analysis_equal_those_linking_would_compute(tmp_path: Path) -> None:
    """The analysis shares one term count between keywords and related linking; linking a briefing
    without it (the JSON-lines command) must give the same vector."""
    config = load_config(REPO / "briefgen.yml")
    cache = AnalysisCache(tmp_path, enabled=False)
    for path in sorted(p for p in (REPO / "content").iterdir() if p.suffix in {".md", ".txt"}):
        briefing = brief_file(path, config, cache).briefing
        expected = term_weights(briefing.document.meta.title, related_text(briefing.document))
        assert briefing.terms == expected
        assert briefing.terms is not None and briefing.terms.weights
