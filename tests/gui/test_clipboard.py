"""The recovery key on the clipboard: marked as a secret, and cleared again (issue 21)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from careerdesk.storage import crypto
from careerdesk.ui.clipboard import SecretClipboard
from careerdesk.ui.passphrase_dialogs import RecoveryKeyDialog

pytestmark = pytest.mark.gui


def _clipboard_text() -> str:
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    return clipboard.text()


def test_the_recovery_key_is_copied_as_a_secret_and_cleared(qtbot: QtBot) -> None:
    key = crypto.new_recovery_key()
    secrets = SecretClipboard(clear_after_ms=300)
    dialog = RecoveryKeyDialog(key, clipboard=secrets)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "clears the clipboard" in dialog.copy_note.text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "cleared" in dialog.copy_note.text()

    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    data = clipboard.mimeData()
    assert data is not None
    assert data.text() == key
    assert bytes(data.data("x-kde-passwordManagerHint").data()) == b"secret"
    assert bytes(data.data("application/x-nspasteboard-concealed-type").data()) == key.encode()
    formats = data.formats()
    for name in ("ExcludeClipboardContentFromMonitorProcessing",
                 "CanIncludeInClipboardHistory", "CanUploadToCloudClipboard"):
        assert any(name in f for f in formats), formats
    assert bytes(data.data('application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"')
                 .data()) == b"\0\0\0\0"

    # The dialog closes; the key is cleared afterwards all the same.
    dialog.stored_box.setChecked(True)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _clipboard_text() == "", timeout=5_000)
    assert not secrets.holds_secret()


def test_what_the_user_copied_since_is_left_alone(qtbot: QtBot) -> None:
    secrets = SecretClipboard(clear_after_ms=60_000)
    secrets.copy("ABCDE-FGHIJ")
    assert secrets.holds_secret()
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    clipboard.setText("something the user copied")
    secrets.clear()  # what the timer does
    assert _clipboard_text() == "something the user copied"
    clipboard.clear()
