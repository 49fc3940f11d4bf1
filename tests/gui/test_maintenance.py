"""The window looks after its journal: a daily backup in the background, restore from the menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from careerdesk.paths import app_paths
from careerdesk.storage.backup import backup_folder_for, list_backups
from careerdesk.ui import dialogs
from careerdesk.ui.main_window import MainWindow
from careerdesk.ui.maintenance import JournalCare

pytestmark = pytest.mark.gui


def test_automatic_backup_then_restore_from_the_menu(
    qtbot: QtBot, journal_path: Path, monkeypatch: pytest.MonkeyPatch,
    no_dialogs: list[tuple[str, str]],
) -> None:
    from careerdesk.services import Services
    from careerdesk.storage.journal import open_journal

    window = MainWindow(journal_path=journal_path)
    qtbot.addWidget(window)
    care = JournalCare(window, app_paths())
    reopened: list[Path] = []

    def reopen(path: Path) -> bool:
        reopened.append(path)
        window.attach(Services(open_journal(path)), ask_first_start=False)
        return True

    window.on_journal_open = reopen
    window.show()
    with qtbot.waitSignal(care.finished, timeout=10_000) as blocker:
        window.attach(Services(open_journal(journal_path)), ask_first_start=False)
    report = blocker.args[0]
    assert report.problems == []
    assert report.backup is not None
    folder = backup_folder_for(journal_path, app_paths().backup_dir)
    assert [b.reason for b in list_backups(folder)] == ["auto"]

    # A person added after the backup disappears again when the backup is restored.
    assert window.services is not None
    window.services.people.create("Added Later")
    monkeypatch.setattr(dialogs, "pick_item", lambda *_a: 0)
    care.restore_action.trigger()
    assert reopened == [journal_path]
    assert window.services is not None
    names = [p.name for p in window.services.people.list()]
    assert "Added Later" not in names
    assert "Bea Stone" in names
    # The state before the restore was kept, so the restore can itself be undone.
    assert {b.reason for b in list_backups(folder)} == {"auto", "before-restore"}
    window.close_journal()
