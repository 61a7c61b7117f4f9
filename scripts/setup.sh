#!/usr/bin/env bash
# The README's set-up command: install briefgen into .venv/ and build the sample site into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
make_venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
.venv/bin/briefgen build
echo "open site/index.html, or run: .venv/bin/briefgen serve   (or: . .venv/bin/activate, then briefgen serve)"
