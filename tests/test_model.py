"""Briefings and records cross processes and the analysis store as MessagePack: they must come back equal."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO

from briefgen.corpus.similarity import term_weights
from briefgen.model import Briefing
from briefgen.model.stages import Analysed, AnalysisJob
from briefgen.pipeline.analyse import analyse_job
from briefgen.pipeline.store import StoredRecord, decode, encode
from briefgen.sources import KINDS


def _analysed(path: Path) -> Analysed:
    job = AnalysisJob(
        rel_path=f"content/{path.name}",
        kind=KINDS[path.suffix],
        data=path.read_bytes(),
        mtime=path.stat().st_mtime,
        key="k",
        summary_sentences=3,
    )
    result = analyse_job(job)
    assert isinstance(result, Analysed), result
    return result


def _sample() -> list[Path]:
    paths = sorted(p for p in (REPO / "content").iterdir() if p.suffix in {".md", ".txt"})
    assert len(paths) >= 12
    return paths


def test_every_sample_briefing_survives_the_store() -> None:
    for path in _sample():
        result = _analysed(path)
        briefing = decode(result.briefing_blob, Briefing)
        assert decode(encode(briefing), Briefing) == briefing
        record, features, diagnostics = decode(result.record_blob, StoredRecord)
        assert features == result.features
        assert record == result.record and diagnostics == result.diagnostics
        assert record.slug == briefing.slug and record.title == briefing.document.meta.title
        assert type(briefing.analysis.entities[0]) is type(record.entities[0])


def test_term_weights_from_the_analysis_equal_those_linking_would_compute() -> None:
    """The analysis shares one term count between keywords and related linking; linking a briefing
    without it (the JSON-lines command) must give the same vector."""
    for path in _sample():
        briefing = decode(_analysed(path).briefing_blob, Briefing)
        text = "\n\n".join(p.text for p in briefing.document.paragraphs)
        expected = term_weights(briefing.document.meta.title, text)
        assert briefing.terms == expected
        assert briefing.terms is not None and briefing.terms.weights
