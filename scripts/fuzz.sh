#!/usr/bin/env bash
# Long fuzz runs (issue 22): the suite's two fuzzers with many more examples, on both cores.
#   scripts/fuzz.sh [SCALE] [SEED]     # SCALE multiplies every example count (default 20)
# The Hypothesis fuzzer of `load` (tests/unit/services/test_interchange_fuzz.py) and the
# byte-mutation corpus through the real CLI (tests/integration/test_fuzz_corpus.py) run side by
# side; the corpus runs its children two at a time. Output goes to fuzz-results/ (git-ignored)
# and the counts are printed at the end; copy them into docs/security.md ("Fuzzing").
set -uo pipefail
cd "$(dirname "$0")/.."
SCALE="${1:-20}"
SEED="${2:-$(date +%s)}"
OUT="fuzz-results/$(date +%Y%m%d-%H%M%S)-scale${SCALE}-seed${SEED}"
mkdir -p "$OUT"
export PYTHONPATH="$PWD" QT_QPA_PLATFORM=offscreen
export CAREERDESK_FUZZ_SCALE="$SCALE" CAREERDESK_FUZZ_SEED="$SEED"
export CAREERDESK_FUZZ_REPORT="$PWD/$OUT/corpus.json"
start=$(date +%s)
.venv/bin/python -m pytest -q -p no:cacheprovider --hypothesis-show-statistics \
    tests/unit/services/test_interchange_fuzz.py > "$OUT/load.txt" 2>&1 &
load_pid=$!
.venv/bin/python -m pytest -q -p no:cacheprovider -rxXf \
    tests/integration/test_fuzz_corpus.py > "$OUT/corpus.txt" 2>&1
corpus_status=$?
wait "$load_pid"
load_status=$?
echo "== fuzz run: scale $SCALE, seed $SEED, $(( $(date +%s) - start )) s"
echo "-- load (Hypothesis): exit $load_status"
grep -E "passing|failing|Falsifying" "$OUT/load.txt" || tail -5 "$OUT/load.txt"
echo "-- corpus (CLI subprocesses): exit $corpus_status"
tail -1 "$OUT/corpus.txt"
cat "$OUT/corpus.json" 2>/dev/null
echo "(details in $OUT)"
[ "$load_status" -eq 0 ] && [ "$corpus_status" -eq 0 ]
