#!/usr/bin/env bash
# The README's test command (and CI's): install what the tests need, lint, type-check, check the import
# layering, and run the whole suite, slow tests included (`pytest` alone skips them).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  fi
fi
python3 -m pip install -q --disable-pip-version-check -e ".[test,dask]"
python3 -m ruff check briefgen tests benchmarks
python3 -m ruff format --check briefgen tests benchmarks
python3 -m mypy
python3 -c "from importlinter.cli import lint_imports_command; lint_imports_command()"  # lint-imports
python3 -m pytest -q --run-slow
