"""The passphrase dialogs, driven through qtbot against real journal files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from careerdesk.errors import PassphraseError
from careerdesk.storage import crypto, encryption
from careerdesk.storage.journal import open_journal
from careerdesk.ui.passphrase_dialogs import (
    ChangePassphraseDialog,
    RecoveryKeyDialog,
    RemovePassphraseDialog,
    SetPassphraseDialog,
    UnlockDialog,
)

pytestmark = pytest.mark.gui

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def floor_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERDESK_KDF_SECONDS", "0")


@pytest.fixture
def plain_journal(tmp_path: Path) -> Path:
    path = tmp_path / "journal.careerdesk"
    open_journal(path).close()
    return path


@pytest.fixture
def encrypted_journal(tmp_path: Path) -> Path:
    path = tmp_path / "journal.careerdesk"
    open_journal(path, passphrase=PASSPHRASE).close()
    return path


def test_set_says_plainly_that_a_forgotten_passphrase_cannot_be_recovered(
    qtbot: QtBot, plain_journal: Path
) -> None:
    results: list[encryption.SetResult] = []

    def apply(passphrase: str, recovery: bool) -> encryption.SetResult:
        result = encryption.set_passphrase(plain_journal, passphrase, with_recovery_key=recovery)
        results.append(result)
        return result

    dialog = SetPassphraseDialog(apply)
    qtbot.addWidget(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.error_label)))
    assert "cannot be recovered" in texts
    assert not dialog.ok_button.isEnabled()  # the warning must be acknowledged first

    qtbot.keyClicks(dialog.new_edit, "new words")
    qtbot.keyClicks(dialog.repeat_edit, "new wordz")
    dialog.understood_box.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "not the same" in dialog.error_label.text()
    assert crypto.is_plain_sqlite(plain_journal)

    dialog.repeat_edit.setText("new words")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not crypto.is_plain_sqlite(plain_journal)
    assert results[0].recovery_key is not None
    assert dialog.new_edit.text() == ""  # secrets are cleared from the fields
    open_journal(plain_journal, passphrase="new words").close()


def test_unlock_keeps_asking_until_right(qtbot: QtBot, encrypted_journal: Path) -> None:
    def unlock(secret: str) -> bytearray:
        return crypto.unlock(crypto.read_header(crypto.key_file_for(encrypted_journal)), secret)

    dialog = UnlockDialog(encrypted_journal.name, unlock)
    qtbot.addWidget(dialog)
    for wrong in ("one", "two", "three"):
        qtbot.keyClicks(dialog.passphrase_edit, wrong)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert "not right" in dialog.error_label.text()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.passphrase_edit.text() == ""
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is not None
    assert len(dialog.result_value) == 32


def test_change_needs_the_current_passphrase(qtbot: QtBot, encrypted_journal: Path) -> None:
    dialog = ChangePassphraseDialog(
        lambda current, new: encryption.change_passphrase(encrypted_journal, current, new)
    )
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.current_edit, "wrong")
    qtbot.keyClicks(dialog.new_edit, "fresh words")
    qtbot.keyClicks(dialog.repeat_edit, "fresh words")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "not right" in dialog.error_label.text()
    dialog.current_edit.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    open_journal(encrypted_journal, passphrase="fresh words").close()
    with pytest.raises(PassphraseError):
        open_journal(encrypted_journal, passphrase=PASSPHRASE)


def test_remove_decrypts_with_the_current_passphrase(
    qtbot: QtBot, encrypted_journal: Path
) -> None:
    dialog = RemovePassphraseDialog(
        lambda current: encryption.remove_passphrase(encrypted_journal, current)
    )
    qtbot.addWidget(dialog)
    assert "readable by anyone" in " ".join(
        label.text() for label in dialog.findChildren(type(dialog.error_label))
    )
    qtbot.keyClicks(dialog.current_edit, PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert crypto.is_plain_sqlite(encrypted_journal)


def test_recovery_key_is_shown_once_and_cannot_be_dismissed_unseen(qtbot: QtBot) -> None:
    key = crypto.new_recovery_key()
    dialog = RecoveryKeyDialog(key)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.key_label.text() == key
    assert not dialog.close_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # Escape does not lose the only copy
    dialog.stored_box.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.key_label.text() == ""
