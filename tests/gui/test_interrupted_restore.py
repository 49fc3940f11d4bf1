"""The window's open after a restore was killed half-way (issue 20): it settles first, then asks
for the passphrase that opens the journal *now* (the backup's), and says what happened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from careerdesk.paths import app_paths
from careerdesk.services import Services, journal_files
from careerdesk.ui import application, dialogs
from careerdesk.ui.passphrase_dialogs import UnlockDialog

pytestmark = pytest.mark.gui

JOURNAL_PASS, BACKUP_PASS = "journal passphrase", "backup passphrase"


def _killed_restore(tmp_path: Path, *, journal_pass: str | None,
                    backup_pass: str | None) -> tuple[Path, Path]:
    """A journal ("Olga Old") whose restore of a backup ("Bea Backup") was SIGKILLed just after
    the replacement was marked, before anything was renamed."""
    paths = app_paths()
    path = tmp_path / "team.careerdesk"
    with journal_files.open_journal_file(path, backup_root=paths.backup_dir,
                                         passphrase=backup_pass) as journal:
        Services(journal).people.create("Bea Backup")
        made = journal_files.back_up_now(journal, backup_root=paths.backup_dir)
    backup = tmp_path / made.name
    made.rename(backup)
    if Path(f"{made}.key").exists():
        Path(f"{made}.key").rename(Path(f"{backup}.key"))
    for old in (path, Path(f"{path}.key")):
        old.unlink(missing_ok=True)
    with journal_files.open_journal_file(path, backup_root=paths.backup_dir,
                                         passphrase=journal_pass) as journal:
        Services(journal).people.create("Olga Old")
    env = {**os.environ, "CAREERDESK_CRASH_AT": "pair-marked", "CAREERDESK_KDF_SECONDS": "0"}
    if journal_pass:
        env["CAREERDESK_PASSPHRASE"] = journal_pass
    if backup_pass:
        env["CAREERDESK_BACKUP_PASSPHRASE"] = backup_pass
    done = subprocess.run([sys.executable, "-m", "careerdesk", "restore", str(backup),
                           "--file", str(path)], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == -9, done.stderr
    return path, backup


def test_an_encrypted_backup_half_restored_asks_for_the_backups_passphrase(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, backup = _killed_restore(tmp_path, journal_pass=None, backup_pass=BACKUP_PASS)
    prompts: list[str] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, UnlockDialog)
        prompts.extend(label.text() for label in dialog.findChildren(QLabel))
        dialog.passphrase_edit.setText(BACKUP_PASS)  # the first try
        dialog.ok_button.click()
        return dialog.result_value is not None

    monkeypatch.setattr(dialogs, "run_dialog", run)
    monkeypatch.setattr(dialogs, "warn", lambda *a, **_k: pytest.fail(str(a)))
    journal = application.open_with_dialogs(path, app_paths(), None)
    assert journal is not None
    try:
        assert [p.name for p in Services(journal).people.list()] == ["Bea Backup"]
        assert journal.encrypted
    finally:
        journal.close()
    said = " ".join(prompts)
    assert f"backup {backup.name}" in said
    assert "was completed" in said


def test_a_plain_backup_half_restored_over_an_encrypted_journal_opens_and_says_so(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, backup = _killed_restore(tmp_path, journal_pass=JOURNAL_PASS, backup_pass=None)
    told: list[str] = []
    monkeypatch.setattr(dialogs, "inform", lambda _p, _t, text, **_k: told.append(text))
    monkeypatch.setattr(dialogs, "run_dialog", lambda _d: pytest.fail("asked a passphrase"))
    journal = application.open_with_dialogs(path, app_paths(), None)
    assert journal is not None
    try:
        assert [p.name for p in Services(journal).people.list()] == ["Bea Backup"]
        assert not journal.encrypted
    finally:
        journal.close()
    assert len(told) == 1
    assert backup.name in told[0]
    assert "no passphrase" in told[0]
    assert not Path(f"{path}.key").exists()
