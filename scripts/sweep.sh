#!/bin/sh
# The full kill-point sweep (issue 20): every fsync/unlink/rename of restore (four plain/encrypted
# pairs), passphrase set/change/remove, recovery key, backup, demo --force and load, killed with
# SIGKILL one at a time; and the full-disk sweep at every free-space step. Slow (tens of
# minutes on two shared cores); CI runs a subset of the same tests. Counts: docs/security.md.
# Usage: scripts/sweep.sh [extra pytest arguments]
set -eu
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" QT_QPA_PLATFORM=offscreen CAREERDESK_FULL_SWEEP=1
exec .venv/bin/python -m pytest -p no:cacheprovider -s -q \
    tests/integration/test_kill_sweep.py tests/integration/test_full_disk.py "$@"
