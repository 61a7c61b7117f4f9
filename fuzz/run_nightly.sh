#!/usr/bin/env bash
# Nightly fuzzing (not run by .ci/run): each atheris target for FUZZ_SECONDS (default 600), seeded with
# the hostile case files and the sample articles. A crash writes crash-* here and fails the run; turn
# each into a string literal in a regression test before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q -e ".[fuzz]"
seconds="${FUZZ_SECONDS:-600}"
for target in front_matter plain_text markdown jsonl; do
  echo "== $target ($seconds s)"
  python3 "fuzz/$target.py" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="fuzz/crash-$target-" "fuzz/corpus/$target"
done
