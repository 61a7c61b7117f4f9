#!/usr/bin/env bash
# The README's set-up command: install briefgen and build the sample site into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e .
briefgen build
echo "open site/index.html, or run: briefgen serve"
