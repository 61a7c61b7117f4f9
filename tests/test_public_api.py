"""The public API is what __all__ says, and each name works; anything else may change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import briefgen


def test_the_public_names_are_exactly_these() -> None:
    assert sorted(briefgen.__all__) == [
        "BriefgenError",
        "BuildOptions",
        "BuildResult",
        "__version__",
        "analyse_text",
        "build",
        "load_config",
    ]
    for name in briefgen.__all__:
        assert getattr(briefgen, name) is not None


def test_importing_briefgen_loads_no_build_machinery() -> None:
    """A real process: this one imported the build machinery long ago."""
    code = "import sys, briefgen; print(sorted(m for m in sys.modules if m.startswith(('jinja2', 'briefgen.pipeline'))))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_analyse_text_gives_the_builds_analysis() -> None:
    text = (
        "BRUSSELS — Ministers agreed on Tuesday to fund the harbour dredging plan.\n\n"
        '"This is the start of a new port," said Anna Halvorsen, the transport minister.\n'
    )
    briefing = briefgen.analyse_text(text, title="Ministers agree harbour plan")
    assert briefing.document.meta.title == "Ministers agree harbour plan"
    assert briefing.document.dateline is not None and briefing.document.dateline.place == "Brussels"
    assert [q.speaker for q in briefing.analysis.quotes] == ["Anna Halvorsen"]


def test_build_and_load_config_build_a_site(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "2025-03-01-a.md").write_text("---\ntitle: A\n---\nOne sentence here.\n")
    result = briefgen.build(briefgen.load_config(tmp_path / "briefgen.yml", root=tmp_path))
    assert isinstance(result, briefgen.BuildResult) and result.ok and result.committed
    assert (tmp_path / "site" / "briefings" / "2025-03-01-a" / "index.html").is_file()
