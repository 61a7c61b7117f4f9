"""The README's set-up command on a fresh clone, with Debian's own python3 (which refuses `pip install`
outside a virtual environment: PEP 668) first on PATH, as on a fresh Debian or Ubuntu machine."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

DEBIAN_PYTHON = Path("/usr/bin/python3")


def _is_externally_managed(python: Path) -> bool:
    if not python.exists():
        return False
    done = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0 and (Path(done.stdout.strip()) / "EXTERNALLY-MANAGED").is_file()


@pytest.mark.slow
@pytest.mark.skipif(
    not _is_externally_managed(DEBIAN_PYTHON), reason="needs a PEP 668 python3 at /usr/bin (Debian, Ubuntu)"
)
def test_setup_sh_works_on_a_fresh_clone_with_debians_python(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    python_first = tmp_path / "bin"
    python_first.mkdir()
    (python_first / "python3").symlink_to(DEBIAN_PYTHON)
    env = {
        "HOME": str(tmp_path / "home"),
        "PATH": f"{python_first}:/usr/local/bin:/usr/bin:/bin",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
    }
    done = subprocess.run(
        ["bash", "scripts/setup.sh"], cwd=clone, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "externally-managed-environment" not in done.stderr
    assert "home = " + str(python_first) in (clone / ".venv/pyvenv.cfg").read_text()  # Debian's, in .venv
    assert (clone / "site/index.html").is_file() and (clone / "site/pagefind/pagefind.js").is_file()
    assert ".venv/bin/briefgen serve" in done.stdout  # the README's way to run briefgen afterwards
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True)
    assert status.stdout == ""  # .venv/, site/ and the cache are ignored
    again = subprocess.run(["bash", "scripts/setup.sh"], cwd=clone, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr  # the second run reuses .venv
