#!/usr/bin/env bash
# Screenshots of every wizard stage in light and dark palettes into docs/screenshots/.
# Uses a real X server (xvfb-run) when installed, else Qt's offscreen platform.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
# --laptop WxH [stage ...]: those stages on a WxH X screen with a window manager (openbox),
# the window maximised as a user would have it (apt-get install xvfb openbox).
if [ "${1:-}" = "--laptop" ]; then
    size=${2:-1024x700}
    exec xvfb-run -a -s "-screen 0 ${size}x24" bash -c \
        'openbox >/dev/null 2>&1 & wm=$!; sleep 1; "$0" scripts/screenshots.py "$@"; s=$?; kill $wm; exit $s' \
        "$py" "$@"
fi
if command -v xvfb-run >/dev/null 2>&1; then
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$py" scripts/screenshots.py
fi
QT_QPA_PLATFORM=offscreen exec "$py" scripts/screenshots.py
