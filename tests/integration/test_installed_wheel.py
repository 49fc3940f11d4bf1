"""A non-editable install finds its icons, fonts, content and migrations in site-packages.

Builds the wheel, installs it into a fresh virtual environment (no system or checkout packages on
its path) and runs a check from a folder outside the checkout. Only the dependencies the check
imports are installed (SQLAlchemy and Alembic, to run the migrations from the installed
location), at the versions already installed here so pip takes them from its cache; PySide6 and
the rest would add a 270 MB copy and prove nothing more about where files are found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

CHECK = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    import careerdesk
    from careerdesk import APP_ID, assets
    from careerdesk.storage import migrate
    from careerdesk.storage.journal import open_journal

    def files(folder):
        return sorted(
            str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        )

    resources = assets.resources_dir()
    journal = Path(sys.argv[1])
    with open_journal(journal, create=True) as opened:  # runs the Alembic scripts
        pass
    print(json.dumps({
        "package": str(Path(careerdesk.__file__).parent),
        "resources": str(resources),
        "resource_files": files(resources),
        "icon": str(assets.resource_path("icons", APP_ID + ".svg")),
        "migrations": str(migrate.MIGRATIONS_DIR),
        "migration_files": files(migrate.MIGRATIONS_DIR),
        "journal_size": journal.stat().st_size,
    }))
    """
)


def source_files(folder: Path) -> list[str]:
    """Files git tracks under ``folder`` (what the wheel is built from), relative to it."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted(name for name in listed if (folder / name).is_file())


def test_installed_wheel_finds_its_files(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(wheels)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("careerdesk-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, capture_output=True)
    needed = [f"{name}=={version(name)}" for name in ("SQLAlchemy", "alembic", "platformdirs")]
    subprocess.run([*pip, *needed], check=True, capture_output=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV"))
    }
    env["CAREERDESK_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [str(python), "-c", CHECK, str(tmp_path / "journal.careerdesk")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)

    site = str(venv)
    assert found["package"].startswith(site)
    assert found["resources"].startswith(site), "resources came from the checkout"
    assert Path(found["icon"]).is_file()
    # Everything under resources/ (icons, fonts and their licences, content) is installed.
    assert found["resource_files"] == source_files(ROOT / "resources")
    for folder in ("icons", "content"):
        assert any(name.startswith(f"{folder}/") for name in found["resource_files"]), folder
    if (ROOT / "resources" / "fonts").is_dir():
        assert any(name.startswith("fonts/") for name in found["resource_files"])

    assert found["migrations"].startswith(site)
    migration_sources = source_files(ROOT / "careerdesk" / "storage" / "migrations")
    assert found["migration_files"] == migration_sources
    assert any(name.startswith("versions/") for name in found["migration_files"])
    assert found["journal_size"] > 0
