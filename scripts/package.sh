#!/usr/bin/env bash
# Builds the one-folder CareerDesk bundle with PyInstaller: dist/CareerDesk/careerdesk.
#   scripts/package.sh            build (installs the `package` extra into .venv if needed)
# The bundle runs without Python; copy or archive the whole dist/CareerDesk folder.
# dist/CareerDesk/linux/install.sh adds it to the desktop menu (see packaging/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! .venv/bin/python -c "import PyInstaller" 2>/dev/null; then
    echo "package: installing the package extra (PyInstaller) into .venv"
    .venv/bin/python -m pip install -q -e ".[test,package]"
fi
# The committed icons must exist (scripts/make_icons.py regenerates them from the SVG).
.venv/bin/python scripts/make_icons.py --check

start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/careerdesk.spec
elapsed=$(($(date +%s) - start))

bundle=dist/CareerDesk
size=$(du -sh "$bundle" | cut -f1)
files=$(find "$bundle" -type f | wc -l)
echo "package: built $bundle in ${elapsed}s: $size in $files files"
echo "package: run $bundle/careerdesk; add it to the desktop menu with $bundle/linux/install.sh"
