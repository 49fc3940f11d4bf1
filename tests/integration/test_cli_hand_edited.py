"""A hand-edited journal (issue 22): rows SQLite's integrity check cannot fault, but CareerDesk
cannot read. ``check`` says so instead of "no problems found", and ``dump`` and ``export``
refuse in one line instead of "unexpected error"; none changes the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers import folder_state, run_cli


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("edited") / "demo.careerdesk"
    assert run_cli("demo", "--file", path, "--people", "2", "--years", "1").returncode == 0
    assert run_cli("check", "--file", path).returncode == 0
    raw = sqlite3.connect(path)
    raw.execute("UPDATE people SET created_at = '2026-13-01T10:00:00.000000Z' WHERE is_me = 1")
    raw.commit()
    raw.close()
    return path


def test_check_and_dump_refuse_hand_edited_rows_in_one_line(edited: Path, tmp_path: Path) -> None:
    before = folder_state(edited.parent)
    checked = run_cli("check", "--file", edited)
    assert checked.returncode == 1
    assert "no problems found" not in checked.stdout
    assert checked.stderr.count("\n") == 1
    assert "people.created_at holds 1 value that is not a real time" in checked.stderr
    dumped = run_cli("dump", "--file", edited, "--out", tmp_path / "out.json")
    assert dumped.returncode == 1
    assert dumped.stderr.count("\n") == 1
    assert "cannot read" in dumped.stderr
    assert "unexpected" not in dumped.stderr
    assert not (tmp_path / "out.json").exists()
    exported = run_cli("export", "plan", "--person", "Alex", "--file", edited,
                       "--out", tmp_path / "plan.pdf")
    assert exported.returncode == 1
    assert exported.stderr.count("\n") == 1
    assert "cannot read" in exported.stderr
    assert not (tmp_path / "plan.pdf").exists()
    assert folder_state(edited.parent) == before
