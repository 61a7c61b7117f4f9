#!/usr/bin/env bash
# The README's test command (and CI's): install what the tests need (into .venv/, plus Debian's chromium
# for the browser tests and a Java runtime for the HTML validator), lint, type-check, check the import
# layering, and run the whole suite, slow tests included (`pytest` alone skips them).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
make_venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test,dask]"
.venv/bin/python -m ruff check briefgen tests benchmarks
.venv/bin/python -m ruff format --check briefgen tests benchmarks
.venv/bin/python -m mypy
.venv/bin/python -c "from importlinter.cli import lint_imports_command; lint_imports_command()"  # lint-imports
.venv/bin/python -m pytest -q --run-slow
