#!/usr/bin/env bash
# Sets up everything CareerDesk needs in this checkout; quick when already done.
#   scripts/setup.sh          the app and its test tools
# System packages come from apt-get (only those missing), Python packages go into .venv/.
set -euo pipefail
cd "$(dirname "$0")/.."

need_python() {
    for py in python3.13 python3.12 python3.11 python3; do
        if command -v "$py" >/dev/null 2>&1 &&
            "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$py"
            return 0
        fi
    done
    echo "setup: CareerDesk needs Python 3.11 or newer (apt-get install python3 python3-venv)" >&2
    exit 1
}

# Qt's offscreen and xcb platforms with a font for the widgets (a bare Debian has none, and
# Qt's "cannot find font" warnings fail the GUI tests), the PDF tools the tests read exports
# with, and the desktop-metadata validators the packaging tests run.
APT_PACKAGES=(
    libglib2.0-0 libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
    libxkbcommon-x11-0 libxcb-shape0 libxcb-xkb1
    poppler-utils desktop-file-utils appstream
)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for pkg in "${APT_PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        [[ $status == *"install ok installed"* ]] || missing+=("$pkg")
    done
fi
if ((${#missing[@]})); then
    echo "setup: installing system packages: ${missing[*]}"
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
            echo "setup: please install as root: apt-get install ${missing[*]}" >&2
            exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=$(need_python)
if [[ ! -x .venv/bin/python ]]; then
    echo "setup: creating .venv"
    if ! "$PY" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        echo "setup: python venv is missing; installing python3-venv"
        apt-get install -y -qq python3-venv >/dev/null
        "$PY" -m venv .venv
    fi
    .venv/bin/python -m pip install -q --upgrade pip
fi

# Reinstall only when the project's dependencies changed.
stamp=.venv/.careerdesk-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    echo "setup: installing CareerDesk and its test tools into .venv"
    .venv/bin/python -m pip install -q -e ".[test]"
    echo "$want" >"$stamp"
fi
