#!/usr/bin/env bash
# The README's test command: install what the tests need (into .venv/, plus Debian's chromium for the
# browser tests and a Java runtime for the HTML validator), then lint, type-check and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
make_venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
.venv/bin/python -m ruff check briefgen tests benchmarks
.venv/bin/python -m ruff format --check briefgen tests benchmarks
.venv/bin/python -m mypy
.venv/bin/python -m pytest -q
