"""Auto-lock under qtbot, on a real encrypted journal: idle time, Ctrl+L, unlock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from careerdesk.services import Services
from careerdesk.storage.journal import Journal, open_journal
from careerdesk.ui.lock import AutoLock, LockableArea

pytestmark = pytest.mark.gui

PASSPHRASE = "correct horse battery staple"


class EntryEditor(QWidget):
    """A stand-in for a wizard page: saves its text 5 s after the last key (debounced)."""

    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.edit.setAccessibleName("Entry text")
        QVBoxLayout(self).addWidget(self.edit)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(5000)  # far longer than the test: only a flush saves in time
        self.edit.textEdited.connect(lambda _text: self.debounce.start())
        self.saved: list[str] = []
        self.debounce.timeout.connect(self.flush)
        self.save_to: Services | None = None
        self.entry_id = ""

    def flush(self) -> None:
        self.debounce.stop()
        if self.save_to is not None:
            self.save_to.entries.update(self.entry_id, body=self.edit.text())
            self.saved.append(self.edit.text())


class Harness:
    """The window a main window would be: content in a LockableArea, journal reopened on
    unlock."""

    def __init__(self, qtbot: QtBot, path: Path) -> None:
        self.path = path
        self.journal: Journal | None = open_journal(path, passphrase=PASSPHRASE)
        services = Services(self.journal)
        person = services.people.create("Robin")
        self.entry_id = services.entries.add(person.id, dt.date(2026, 1, 5), body="start").id
        self.editor = EntryEditor()
        self.editor.save_to, self.editor.entry_id = services, self.entry_id
        self.area = LockableArea(self.editor)
        self.window = QMainWindow()
        self.window.setCentralWidget(self.area)
        self.keys_dropped: list[bytes] = []
        self.autolock = AutoLock(
            self.area,
            save_pending=self.editor.flush,
            drop_key=self.drop,
            unlock=self.reopen,
            shortcut_parent=self.window,
            journal_name=path.name,
        )
        qtbot.addWidget(self.window)
        self.window.show()
        qtbot.waitExposed(self.window)

    def drop(self) -> None:
        assert self.journal is not None
        key = self.journal.key
        self.journal.close()
        self.keys_dropped.append(bytes(key or b""))
        self.journal = None
        self.editor.save_to = None

    def reopen(self, passphrase: str) -> None:
        self.journal = open_journal(self.path, create=False, passphrase=passphrase)
        self.editor.save_to = Services(self.journal)

    def stored_body(self) -> str:
        """Read the entry from disk with a separate open (only while locked)."""
        with open_journal(self.path, create=False, passphrase=PASSPHRASE) as journal:
            return Services(journal).entries.get(self.entry_id).body

    def close(self) -> None:
        self.editor.debounce.stop()  # a pending save must not outlive the test
        self.autolock.shutdown()
        if self.journal is not None:
            self.journal.close()


@pytest.fixture
def harness(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Harness]:
    monkeypatch.setenv("CAREERDESK_KDF_SECONDS", "0")  # the floor: 64 MiB, 3 passes
    made = Harness(qtbot, tmp_path / "journal.careerdesk")
    yield made
    made.close()


def test_idle_time_saves_pending_edits_hides_content_and_drops_the_key(
    qtbot: QtBot, harness: Harness
) -> None:
    harness.autolock.watcher.set_interval_ms(300)
    qtbot.keyClicks(harness.editor.edit, "typed before the lock")
    assert harness.editor.debounce.isActive()  # not saved yet: the autosave is waiting
    with qtbot.waitSignal(harness.autolock.locked, timeout=10_000):
        pass
    assert harness.autolock.is_locked
    assert not harness.editor.isVisible()
    assert harness.area.lock_screen.isVisible()
    assert harness.journal is None
    assert harness.keys_dropped  # the journal's key bytearray was wiped on close
    assert not (harness.path.parent / "journal.careerdesk.lock").exists()
    assert harness.stored_body() == "typed before the lock"


def test_ctrl_l_locks_at_once(qtbot: QtBot, harness: Harness) -> None:
    qtbot.keyClicks(harness.editor.edit, "a few words")
    with qtbot.waitSignal(harness.autolock.locked, timeout=5_000):
        qtbot.keyClick(harness.editor.edit, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not harness.editor.isVisible()
    assert harness.stored_body() == "a few words"


def test_wrong_passphrase_stays_locked_then_the_right_one_unlocks(
    qtbot: QtBot, harness: Harness
) -> None:
    harness.autolock.lock()
    screen = harness.area.lock_screen
    qtbot.keyClicks(screen.passphrase_edit, "not the passphrase")
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    assert harness.autolock.is_locked
    assert "not right" in screen.error_label.text()
    assert screen.passphrase_edit.text() == ""  # the typed secret does not linger
    with qtbot.waitSignal(harness.autolock.unlocked, timeout=10_000):
        qtbot.keyClicks(screen.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    assert harness.editor.isVisible()
    assert harness.journal is not None
    # Editing goes on into the reopened journal.
    qtbot.keyClicks(harness.editor.edit, "!")
    harness.editor.flush()
    assert harness.editor.saved[-1].endswith("!")


def test_typing_and_the_mouse_restart_the_countdown(qtbot: QtBot, harness: Harness) -> None:
    watcher = harness.autolock.watcher
    before = watcher.activity_seen
    qtbot.keyClicks(harness.editor.edit, "abc")
    qtbot.mouseClick(harness.editor.edit, Qt.MouseButton.LeftButton)
    assert watcher.activity_seen >= before + 4
    assert watcher.active
    assert watcher.interval_ms == 600_000  # the default: 10 minutes


def test_idle_time_zero_turns_auto_lock_off(harness: Harness) -> None:
    harness.autolock.set_idle_minutes(0)
    assert not harness.autolock.watcher.active
    harness.autolock.set_idle_minutes(10)
    assert harness.autolock.watcher.interval_ms == 600_000
    assert harness.autolock.watcher.active
