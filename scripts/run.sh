#!/usr/bin/env bash
# Runs CareerDesk, setting it up first if needed. Arguments go to the app.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/setup.sh"
exec "$here/.venv/bin/careerdesk" "$@"
