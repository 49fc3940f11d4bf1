"""The passphrase in the real main window: lock on Ctrl+L and on idle time, unlock, set and
remove the passphrase from the menu (dialogs answered by the test)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from careerdesk.services import Services
from careerdesk.storage import crypto
from careerdesk.storage.journal import open_journal
from careerdesk.ui import dialogs
from careerdesk.ui.main_window import MainWindow
from careerdesk.ui.passphrase_dialogs import (
    RecoveryKeyDialog,
    RemovePassphraseDialog,
    SetPassphraseDialog,
)
from careerdesk.ui.security import JournalSecurity

pytestmark = pytest.mark.gui

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def floor_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERDESK_KDF_SECONDS", "0")


@pytest.fixture
def secured(
    qtbot: QtBot, tmp_path: Path
) -> Iterator[Callable[[str | None], tuple[MainWindow, JournalSecurity]]]:
    windows: list[MainWindow] = []

    def make(passphrase: str | None) -> tuple[MainWindow, JournalSecurity]:
        path = tmp_path / "j.careerdesk"
        with open_journal(path, passphrase=passphrase) as journal:
            Services(journal).people.create("Bea Stone")
        settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(journal_path=path, settings=settings)
        security = JournalSecurity(window)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.attach(Services(open_journal(path, passphrase=passphrase)), ask_first_start=False)
        windows.append(window)
        return window, security

    yield make
    for window in windows:
        if window.services is not None:
            window.close_journal()


def answer_dialogs(monkeypatch: pytest.MonkeyPatch,
                   fill: Callable[[QDialog], None]) -> list[QDialog]:
    """``dialogs.run_dialog`` fills each dialog, presses its OK (running its real checks and
    work) and reports whether it was accepted."""
    seen: list[QDialog] = []

    def run(dialog: QDialog) -> bool:
        seen.append(dialog)
        fill(dialog)
        if isinstance(dialog, RecoveryKeyDialog):
            dialog.stored_box.setChecked(True)
            dialog._close()
        else:
            dialog._run()  # type: ignore[attr-defined]
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", run)
    return seen


def test_ctrl_l_locks_the_window_and_the_passphrase_unlocks_it(
    qtbot: QtBot, secured: Callable[[str | None], tuple[MainWindow, JournalSecurity]]
) -> None:
    window, security = secured(PASSPHRASE)
    assert security.lock_action.isEnabled()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    with qtbot.waitSignal(security.autolock.locked, timeout=5_000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.services is None  # the journal is closed, its key wiped
    assert not security.area.content.isVisible()
    assert not window.menuBar().isEnabled()
    assert "Bea" not in window.windowTitle()
    screen = security.area.lock_screen
    qtbot.keyClicks(screen.passphrase_edit, "wrong")
    qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    assert "not right" in screen.error_label.text()
    with qtbot.waitSignal(security.autolock.unlocked, timeout=10_000):
        qtbot.keyClicks(screen.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    assert window.services is not None
    assert [p.name for p in window.services.people.list()] == ["Bea Stone"]
    assert window.menuBar().isEnabled()


def test_idle_time_locks_after_saving_a_pending_edit(
    qtbot: QtBot, secured: Callable[[str | None], tuple[MainWindow, JournalSecurity]]
) -> None:
    window, security = secured(PASSPHRASE)
    assert security.autolock.watcher.interval_ms == 10 * 60_000  # the default
    services = window.services
    assert services is not None
    bea = services.people.find("Bea Stone")
    window.autosave.schedule(
        ("role", bea.id), lambda: services.people.update(bea.id, role="Typed before the lock")
    )
    assert window.autosave.has_pending
    security.autolock.watcher.set_interval_ms(300)
    with qtbot.waitSignal(security.autolock.locked, timeout=10_000):
        pass
    assert window.services is None
    assert not security.area.content.isVisible()
    with open_journal(window.journal_path or Path(), passphrase=PASSPHRASE) as journal:
        assert Services(journal).people.find("Bea Stone").role == "Typed before the lock"


def test_a_plain_journal_has_no_lock(
    secured: Callable[[str | None], tuple[MainWindow, JournalSecurity]]
) -> None:
    _window, security = secured(None)
    assert not security.lock_action.isEnabled()
    assert security.set_action.isEnabled()
    assert not security.autolock.watcher.active


def test_set_then_remove_the_passphrase_from_the_menu(
    monkeypatch: pytest.MonkeyPatch,
    secured: Callable[[str | None], tuple[MainWindow, JournalSecurity]],
) -> None:
    window, security = secured(None)
    path = window.journal_path
    assert path is not None

    def fill(dialog: QDialog) -> None:
        if isinstance(dialog, SetPassphraseDialog):
            dialog.new_edit.setText(PASSPHRASE)
            dialog.repeat_edit.setText(PASSPHRASE)
            dialog.understood_box.setChecked(True)
        elif isinstance(dialog, RemovePassphraseDialog):
            dialog.current_edit.setText(PASSPHRASE)

    seen = answer_dialogs(monkeypatch, fill)
    security.set_action.trigger()
    assert not crypto.is_plain_sqlite(path)
    assert window.services is not None
    assert window.services.journal.encrypted
    assert [type(d) for d in seen] == [SetPassphraseDialog, RecoveryKeyDialog]
    assert security.lock_action.isEnabled()
    assert security.autolock.watcher.active

    security.remove_action.trigger()
    assert crypto.is_plain_sqlite(path)
    assert window.services is not None
    assert not window.services.journal.encrypted
    assert [p.name for p in window.services.people.list()] == ["Bea Stone"]


def test_remove_with_a_wrong_passphrase_keeps_everything(
    monkeypatch: pytest.MonkeyPatch,
    secured: Callable[[str | None], tuple[MainWindow, JournalSecurity]],
) -> None:
    window, security = secured(PASSPHRASE)

    def fill(dialog: QDialog) -> None:
        if isinstance(dialog, RemovePassphraseDialog):
            dialog.current_edit.setText("wrong")

    seen = answer_dialogs(monkeypatch, fill)
    security.remove_action.trigger()
    dialog = seen[0]
    assert isinstance(dialog, RemovePassphraseDialog)
    assert "not right" in dialog.error_label.text()
    assert window.services is not None  # still open, still encrypted
    assert window.services.journal.encrypted


def test_at_start_an_encrypted_journal_asks_for_its_passphrase(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from careerdesk.paths import app_paths
    from careerdesk.ui.application import open_with_dialogs
    from careerdesk.ui.passphrase_dialogs import UnlockDialog

    path = tmp_path / "start.careerdesk"
    open_journal(path, passphrase=PASSPHRASE).close()
    tries = iter(["first wrong try", PASSPHRASE])
    errors: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, UnlockDialog)
        while dialog.result() != QDialog.DialogCode.Accepted:
            dialog.passphrase_edit.setText(next(tries))
            dialog._run()
            if dialog.error_label.text():
                errors.append(dialog.error_label.text())

    def run(dialog: QDialog) -> bool:
        fill(dialog)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", run)
    journal = open_with_dialogs(path, app_paths(), None)
    assert journal is not None
    try:
        assert journal.encrypted
        assert any("not right" in e for e in errors)
    finally:
        journal.close()


def test_an_encrypted_journal_is_backed_up_and_restored_from_the_menu(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daily backup is encrypted with its key file; restoring it from the menu works
    although closing the journal wipes its key."""
    from careerdesk.paths import app_paths
    from careerdesk.storage.backup import backup_folder_for, list_backups
    from careerdesk.ui.maintenance import JournalCare

    path = tmp_path / "care.careerdesk"
    with open_journal(path, passphrase=PASSPHRASE) as journal:
        Services(journal).people.create("Bea Stone")
    window = MainWindow(journal_path=path)
    qtbot.addWidget(window)
    care = JournalCare(window, app_paths())
    window.on_journal_open = lambda p: window.attach(
        Services(open_journal(p, passphrase=PASSPHRASE)), ask_first_start=False
    ) is None
    window.show()
    with qtbot.waitSignal(care.finished, timeout=10_000) as blocker:
        window.attach(Services(open_journal(path, passphrase=PASSPHRASE)), ask_first_start=False)
    backup = blocker.args[0].backup
    assert backup is not None
    assert not crypto.is_plain_sqlite(backup)
    assert crypto.key_file_for(backup).is_file()
    assert window.services is not None
    window.services.people.create("Added Later")
    monkeypatch.setattr(dialogs, "pick_item", lambda *_a: 0)
    monkeypatch.setattr(dialogs, "warn", lambda *_a, **_k: pytest.fail(str(_a)))
    care.restore_action.trigger()
    assert window.services is not None
    assert [p.name for p in window.services.people.list()] == ["Bea Stone"]
    folder = backup_folder_for(path, app_paths().backup_dir)
    assert all(not crypto.is_plain_sqlite(b.path) for b in list_backups(folder))
    window.close_journal()


def _lock_and_unlock(qtbot: QtBot, security: JournalSecurity) -> None:
    with qtbot.waitSignal(security.autolock.locked, timeout=5_000):
        security.lock_action.trigger()
    screen = security.area.lock_screen
    with qtbot.waitSignal(security.autolock.unlocked, timeout=10_000):
        qtbot.keyClicks(screen.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)


def test_conversations_open_after_lock_and_unlock(
    qtbot: QtBot, secured: Callable[[str | None], tuple[MainWindow, JournalSecurity]]
) -> None:
    import datetime as dt

    window, security = secured(PASSPHRASE)
    assert window.services is not None
    bea = window.services.people.find("Bea Stone")
    conversation = window.services.conversations.start(bea.id, dt.date(2026, 3, 2))
    window.open_conversation(conversation.id)
    _lock_and_unlock(qtbot, security)
    window.open_conversation(conversation.id)
    wizard = window.wizard
    assert wizard is not None
    assert wizard.conversation_id == conversation.id
    assert window.services is not None
    second = window.services.conversations.start(bea.id, dt.date(2026, 6, 2))
    window.open_conversation(second.id)
    assert wizard.conversation_id == second.id


def test_an_edit_that_failed_before_the_lock_is_saved_after_unlock(
    qtbot: QtBot, secured: Callable[[str | None], tuple[MainWindow, JournalSecurity]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from careerdesk.errors import StorageFullError
    from careerdesk.ui.autosave import SaveState

    window, security = secured(PASSPHRASE)
    monkeypatch.setattr(dialogs, "warn", lambda *_a, **_k: None)
    services = window.services
    assert services is not None
    bea = services.people.find("Bea Stone")
    attempts: list[int] = []

    def save() -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise StorageFullError("The disk is full.")
        services.people.update(bea.id, role="Typed while the disk was full")

    window.autosave.run_now(("role", bea.id), save)
    assert window.autosave.state is SaveState.FAILED
    _lock_and_unlock(qtbot, security)
    assert window.autosave.flush()
    assert window.services is not None
    assert window.services.people.find("Bea Stone").role == "Typed while the disk was full"


def test_preferences_offer_the_passphrase(
    secured: Callable[[str | None], tuple[MainWindow, JournalSecurity]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from careerdesk.ui.people_dialogs import PreferencesDialog

    window, security = secured(None)
    triggered: list[str] = []
    security.set_action.triggered.disconnect()
    security.set_action.triggered.connect(lambda: triggered.append("set"))
    seen: list[list[tuple[str, bool]]] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, PreferencesDialog)
        seen.append([(b.text(), not b.isHidden() and b.isEnabled())
                     for b in dialog.security_buttons])
        dialog.security_buttons[0].click()
        return False

    monkeypatch.setattr(dialogs, "run_dialog", run)
    window.preferences_action.trigger()
    labels = dict(seen[0])
    assert labels["Set a passphrase…"] is True  # a plain journal can get one
    assert labels["Remove the passphrase…"] is False  # nothing to remove yet
    assert triggered == ["set"]
