"""The desktop entry, AppStream metadata, file type and icons are valid and agree."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from careerdesk import APP_ID, __version__
from careerdesk.paths import JOURNAL_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.mime.xml"
ICONS = ROOT / "resources" / "icons"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: scripts/setup.sh installs desktop-file-utils, appstream")
    return found


def desktop_entry(path: Path = DESKTOP) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def parse_xml(path: Path) -> ET.Element:
    # Our own checked-in files, not untrusted input.
    return ET.parse(path).getroot()  # noqa: S314


def metainfo() -> ET.Element:
    return parse_xml(METAINFO)


def test_desktop_file_is_valid() -> None:
    result = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


def test_metainfo_is_valid() -> None:
    result = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mime_xml_is_a_shared_mime_info_package() -> None:
    root = parse_xml(MIME)
    assert root.tag == f"{MIME_NS}mime-info"
    (mime_type,) = root.findall(f"{MIME_NS}mime-type")
    globs = [g.get("pattern") for g in mime_type.findall(f"{MIME_NS}glob")]
    assert globs == [f"*{JOURNAL_SUFFIX}"]


def test_ids_agree_everywhere() -> None:
    entry = desktop_entry()
    info = metainfo()
    mime_type = parse_xml(MIME).find(f"{MIME_NS}mime-type")
    assert mime_type is not None

    assert DESKTOP.name == f"{APP_ID}.desktop"
    assert entry["Icon"] == APP_ID
    assert info.findtext("id") == APP_ID
    launchable = info.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name

    journal_type = mime_type.get("type")
    assert entry["MimeType"].rstrip(";").split(";") == [journal_type]
    assert info.findtext("provides/mediatype") == journal_type

    for size in ICON_SIZES:
        png = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(png) == (size, size), png
    assert (ICONS / f"{APP_ID}.svg").is_file()


def test_desktop_entry_starts_the_installed_command_with_the_file() -> None:
    entry = desktop_entry()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    program, *args = entry["Exec"].split()
    assert program in pyproject["project"]["scripts"]
    assert args == ["%f"]  # one journal per window; %f is empty when started from the menu
    assert entry["TryExec"] == program


def test_metainfo_agrees_with_the_package() -> None:
    info = metainfo()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert info.findtext("project_license") == pyproject["project"]["license"]
    releases = info.findall("releases/release")
    assert releases, "metainfo lists no release"
    assert releases[0].get("version") == __version__, "newest release first, matching __version__"
    content_rating = info.find("content_rating")
    assert content_rating is not None
    assert content_rating.get("type", "").startswith("oars-")
    assert info.findtext("provides/binary") == desktop_entry()["TryExec"]


def test_screenshots_point_at_the_projects_screenshot_folder() -> None:
    images = [el.text or "" for el in metainfo().findall("screenshots/screenshot/image")]
    assert images
    names = [url.rsplit("/docs/screenshots/", 1)[-1] for url in images]
    assert all("/docs/screenshots/" in url and url.endswith(".png") for url in images)
    shots = ROOT / "docs" / "screenshots"
    if shots.is_dir() and any(shots.glob("*.png")):  # once the screenshots are committed
        missing = [name for name in names if not (shots / name).is_file()]
        assert not missing, f"metainfo names screenshots that docs/screenshots lacks: {missing}"


def test_windows_and_macos_icons_are_generated() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_icons.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    ico = (ROOT / "packaging" / "windows" / "careerdesk.ico").read_bytes()
    assert ico[:4] == b"\0\0\1\0"
    icns = (ROOT / "packaging" / "macos" / "careerdesk.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_install_script_places_and_removes_everything(tmp_path: Path) -> None:
    prefix = tmp_path / "tree" / "usr" / "share"
    program = tmp_path / "Career Desk" / "careerdesk"  # a space, as in real install folders
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    env = {**os.environ, "HOME": str(tmp_path)}
    script = LINUX / "install.sh"

    subprocess.run(
        ["bash", str(script), "--prefix", str(prefix), "--exec", str(program)],
        check=True,
        env=env,
        capture_output=True,
    )
    installed = prefix / "applications" / DESKTOP.name
    entry = desktop_entry(installed)
    assert entry["Exec"] == f'"{program}" %f'
    subprocess.run([tool("desktop-file-validate"), str(installed)], check=True)
    assert (prefix / "metainfo" / METAINFO.name).is_file()
    assert (prefix / "icons/hicolor/48x48/apps" / f"{APP_ID}.png").is_file()
    assert (prefix / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    # The installed tree as a software centre sees it: metainfo, desktop entry and icon together.
    tree = subprocess.run(
        [tool("appstreamcli"), "validate-tree", "--no-net", str(tmp_path / "tree")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert tree.returncode == 0, tree.stdout + tree.stderr
    if shutil.which("update-mime-database"):
        globs = (prefix / "mime" / "globs2").read_text(encoding="utf-8")
        assert f"application/x-careerdesk-journal:*{JOURNAL_SUFFIX}" in globs

    subprocess.run(
        ["bash", str(script), "--prefix", str(prefix), "--uninstall"],
        check=True,
        env=env,
        capture_output=True,
    )
    leftovers = [p for p in prefix.rglob("*") if APP_ID in p.name]
    assert leftovers == []


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height
