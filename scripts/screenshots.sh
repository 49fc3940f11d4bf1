#!/usr/bin/env bash
# Screenshots of every wizard stage in light and dark palettes into docs/screenshots/.
# Uses a real X server (xvfb-run) when installed, else Qt's offscreen platform.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
if command -v xvfb-run >/dev/null 2>&1; then
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$py" scripts/screenshots.py
fi
QT_QPA_PLATFORM=offscreen exec "$py" scripts/screenshots.py
