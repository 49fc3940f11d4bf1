#!/usr/bin/env bash
# Puts CareerDesk on this user's desktop: menu entry, icon, AppStream metadata and the
# *.careerdesk file type (so a double-click on a journal opens it). Nothing outside the data
# folder is touched and no root is needed.
#
#   install.sh                      install for the current user (~/.local/share)
#   install.sh --exec /path/to/careerdesk
#                                   the program the menu entry starts (default: see below)
#   install.sh --uninstall          remove what install.sh placed
#   install.sh --prefix DIR         use DIR instead of ${XDG_DATA_HOME:-~/.local/share}
#
# The program defaults to, in order: the bundle's own `careerdesk` when this script sits in a
# PyInstaller bundle (CareerDesk/linux/install.sh), `careerdesk` on PATH, the checkout's
# .venv/bin/careerdesk.
set -euo pipefail

APP_ID=org.careerdesk.CareerDesk
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
exec_path=""
uninstall=0

usage() { sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

while (($#)); do
    case "$1" in
    --exec) exec_path="${2:?--exec needs a path}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

apps="$prefix/applications"
metainfo="$prefix/metainfo"
mime="$prefix/mime"
icons="$prefix/icons/hicolor"

refresh_caches() {
    # Each tool is optional: desktops rescan on their own, the caches only make it immediate.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$apps" 2>/dev/null || true
    fi
    if command -v update-mime-database >/dev/null 2>&1 && [[ -d $mime/packages ]]; then
        update-mime-database "$mime" >/dev/null 2>&1 || true
    fi
    # Only refresh an icon cache that already exists: a new per-user cache that other
    # installers never update would hide their icons later.
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [[ -f $icons/icon-theme.cache ]]; then
        gtk-update-icon-cache -q -f -t "$icons" 2>/dev/null || true
    fi
}

if ((uninstall)); then
    rm -f "$apps/$APP_ID.desktop" "$metainfo/$APP_ID.metainfo.xml" "$mime/packages/$APP_ID.xml"
    rm -f "$icons"/*/apps/"$APP_ID".png "$icons/scalable/apps/$APP_ID.svg"
    refresh_caches
    echo "CareerDesk removed from the desktop (your journal files are untouched)."
    exit 0
fi

# Find the icons: a source checkout, or a PyInstaller bundle's data folder.
icon_src=""
for candidate in "$here/../../resources/icons" "$here/../_internal/careerdesk/resources/icons"; do
    if [[ -f $candidate/$APP_ID.svg ]]; then icon_src="$(cd "$candidate" && pwd)"; break; fi
done
if [[ -z $icon_src ]]; then
    echo "install.sh: cannot find CareerDesk's icons beside $here" >&2
    exit 1
fi

if [[ -z $exec_path ]]; then
    if [[ -x $here/../careerdesk && -d $here/../_internal ]]; then
        exec_path="$(cd "$here/.." && pwd)/careerdesk"
    elif command -v careerdesk >/dev/null 2>&1; then
        exec_path="$(command -v careerdesk)"
    elif [[ -x $here/../../.venv/bin/careerdesk ]]; then
        exec_path="$(cd "$here/../../.venv/bin" && pwd)/careerdesk"
    else
        echo "install.sh: no careerdesk program found; pass --exec /path/to/careerdesk" >&2
        exit 1
    fi
fi
if [[ $exec_path == *[\"\`\$\\]* ]]; then
    echo "install.sh: the program path may not contain \", \`, \$ or \\: $exec_path" >&2
    exit 1
fi

mkdir -p "$apps" "$metainfo" "$mime/packages"
# The shipped entry says `careerdesk`; point it at the program this install uses.
sed -e "s|^Exec=careerdesk |Exec=\"$exec_path\" |" -e "s|^TryExec=careerdesk$|TryExec=$exec_path|" \
    "$here/$APP_ID.desktop" >"$apps/$APP_ID.desktop"
cp "$here/$APP_ID.metainfo.xml" "$metainfo/$APP_ID.metainfo.xml"
cp "$here/$APP_ID.mime.xml" "$mime/packages/$APP_ID.xml"
for png in "$icon_src"/hicolor/*/apps/"$APP_ID".png; do
    size="$(basename "$(dirname "$(dirname "$png")")")"
    mkdir -p "$icons/$size/apps"
    cp "$png" "$icons/$size/apps/"
done
mkdir -p "$icons/scalable/apps"
cp "$icon_src/$APP_ID.svg" "$icons/scalable/apps/"
refresh_caches
echo "CareerDesk added to the desktop menu; it starts $exec_path"
