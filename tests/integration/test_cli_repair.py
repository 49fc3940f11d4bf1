"""Read-only means read-only (issue 22): check, dump, search and export never change a journal
whose search index is damaged or missing; check reports it, and only ``careerdesk repair``
(after a backup) or the window's open (after a backup) rebuilds it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from careerdesk.storage.journal import INDEX_REBUILD_REASON, open_journal
from tests.helpers import folder_state, run_cli


def _drop_index(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE search_fts")
    raw.commit()
    raw.close()


def _damage_index(path: Path) -> None:
    """Overwrite the FTS structure record (what a flipped page inside the index does)."""
    raw = sqlite3.connect(path)
    raw.execute("UPDATE search_fts_data SET block = X'FFFFFFFFFFFFFFFFFFFFFFFF' WHERE id = 10")
    raw.commit()
    raw.close()


Damage = Callable[[Path], None]


@pytest.fixture(scope="module")
def good_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "demo.careerdesk"
    result = run_cli("demo", "--file", path, "--people", "2", "--years", "1")
    assert result.returncode == 0, result.stderr
    run_cli("check", "--file", path)  # settles WAL mode, as any first open does
    return path


@pytest.fixture(params=[_drop_index, _damage_index], ids=["dropped", "damaged"])
def damaged(request: pytest.FixtureRequest, good_journal: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "journal"
    folder.mkdir()
    path = folder / "demo.careerdesk"
    path.write_bytes(good_journal.read_bytes())
    request.param(path)
    return path


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert "unexpected" not in stderr
    return lines[0]


def test_read_only_commands_leave_a_damaged_index_as_it_is(
    damaged: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    before = folder_state(damaged.parent)
    env = {"CAREERDESK_HOME": str(home)}
    checked = run_cli("check", "--file", damaged, env=env)
    assert checked.returncode == 1
    line = _one_line(checked.stderr)
    assert "search index" in line
    assert "careerdesk repair" in line
    assert "no problems found" not in checked.stdout

    searched = run_cli("search", "career", "--file", damaged, env=env)
    assert searched.returncode == 1
    assert "careerdesk repair" in _one_line(searched.stderr)

    dumped = run_cli("dump", "--file", damaged, "--out", tmp_path / "out.json", env=env)
    assert dumped.returncode == 0, dumped.stderr
    exported = run_cli("export", "plan", "--person", "Ольга", "--file", damaged,
                       "--out", tmp_path / "plan.pdf", env=env)
    assert exported.returncode == 0, exported.stderr

    assert folder_state(damaged.parent) == before
    assert not list(home.rglob(f"*{INDEX_REBUILD_REASON}*"))  # nothing was backed up either


def test_repair_backs_up_then_rebuilds_and_says_so(damaged: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"CAREERDESK_HOME": str(home)}
    original = damaged.read_bytes()
    repaired = run_cli("repair", "--file", damaged, env=env)
    assert repaired.returncode == 0, repaired.stderr
    assert "Backed up" in repaired.stdout
    assert "Rebuilt the search index" in repaired.stdout
    backups = list(home.rglob(f"*{INDEX_REBUILD_REASON}.careerdesk"))
    assert len(backups) == 1
    raw = sqlite3.connect(backups[0])  # the backup holds the journal as it was, records and all
    try:
        assert raw.execute("SELECT count(*) FROM people").fetchone()[0] > 0
    finally:
        raw.close()
    assert damaged.read_bytes() != original

    checked = run_cli("check", "--file", damaged, env=env)
    assert checked.returncode == 0, checked.stderr
    assert "no problems found" in checked.stdout
    found = run_cli("search", "career", "--file", damaged, env=env)
    assert found.returncode == 0, found.stderr
    again = run_cli("repair", "--file", damaged, env=env)
    assert again.returncode == 0
    assert "nothing was changed" in again.stdout


def test_the_windows_open_rebuilds_after_a_backup(damaged: Path, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    with open_journal(damaged, create=False, backup_dir=backups, verify=False):
        pass  # the window's own call (ui/application.py), with the default repair_index
    taken = [p for p in os.listdir(backups) if INDEX_REBUILD_REASON in p]
    assert len(taken) == 1
    result = run_cli("check", "--file", damaged, env={"CAREERDESK_HOME": str(tmp_path / "h")})
    assert result.returncode == 0, result.stderr
