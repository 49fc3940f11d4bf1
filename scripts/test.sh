#!/usr/bin/env bash
# Runs every check CI runs: ruff, mypy --strict, the import contracts, and the whole pytest suite
# offscreen.
# Extra arguments go to pytest (e.g. scripts/test.sh -m "not gui" -x).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff"
.venv/bin/ruff check careerdesk tests bench scripts
echo "== mypy"
.venv/bin/mypy
echo "== import-linter (layers, no Qt in the core, no import circles)"
.venv/bin/lint-imports --no-cache
echo "== pytest"
.venv/bin/python -m pytest "$@"
