"""Dialogs for the passphrase: unlock at start, set, change, remove, and the recovery key.

Each dialog only collects and checks what the user typed; the work (deriving keys, converting
the file) is a callable passed in, so a wrong passphrase keeps the dialog open with a clear
message and unlimited tries. Setting a passphrase says plainly that a forgotten passphrase means
the data cannot be recovered, and needs that box ticked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from careerdesk.errors import CareerDeskError
from careerdesk.ui.clipboard import SecretClipboard, secret_clipboard

T = TypeVar("T")

FORGOTTEN_WARNING = (
    "If you forget this passphrase, the journal cannot be recovered: not by you, not by "
    "anyone, not by the makers of CareerDesk. There is no back door. Keep it somewhere safe, "
    "or also make a recovery key and store it apart from this computer."
)
REMOVE_WARNING = (
    "Without a passphrase the journal file and its new backups are readable by anyone who can "
    "copy them. Backups taken while it was encrypted stay encrypted."
)


def _secret_edit(accessible_name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible_name)
    return edit


def _warning_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class _SecretDialog(QDialog, Generic[T]):
    """A dialog whose OK runs ``action``; a CareerDeskError is shown and the dialog stays."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error_label = QLabel()
        self.error_label.setObjectName("passphrase_error")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Error"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._run)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.result_value: T | None = None

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _finish_layout(self, *above: QWidget) -> None:
        for widget in above:
            self.layout_.addWidget(widget)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(self.buttons)

    def _problem(self) -> str:
        """A message when the fields are not acceptable yet, else ''."""
        return ""

    def _act(self) -> T:
        raise NotImplementedError

    def _clear_secrets(self) -> None:
        for edit in self.findChildren(QLineEdit):
            if edit.echoMode() == QLineEdit.EchoMode.Password:
                edit.clear()

    def _run(self) -> None:
        problem = self._problem()
        if problem:
            self.error_label.setText(problem)
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result_value = self._act()
        except CareerDeskError as exc:
            self.error_label.setText(exc.user_message)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._clear_secrets()
        self.accept()

    def reject(self) -> None:  # Qt override
        self._clear_secrets()
        super().reject()


class UnlockDialog(_SecretDialog[T]):
    """At start: the passphrase (or recovery key) of an encrypted journal; unlimited tries."""

    def __init__(
        self, journal_name: str, unlock: Callable[[str], T], *, parent: QWidget | None = None,
        prompt: str = "",
    ) -> None:
        super().__init__(self.tr("Unlock {name}").format(name=journal_name), parent)
        self._unlock = unlock
        # ``prompt`` names the passphrase wanted when it is not simply the journal's (after an
        # interrupted restore, the backup's): see careerdesk.services.journal_files.
        intro = _warning_label(
            prompt or self.tr("{name} is encrypted. Enter its passphrase or its recovery "
                              "key.").format(name=journal_name)
        )
        self.passphrase_edit = _secret_edit(self.tr("Passphrase"))
        self.form.addRow(self.tr("&Passphrase:"), self.passphrase_edit)
        self.ok_button.setText(self.tr("&Unlock"))
        self._finish_layout(intro)

    def _problem(self) -> str:
        return "" if self.passphrase_edit.text() else self.tr("Type the passphrase first.")

    def _act(self) -> T:
        try:
            return self._unlock(self.passphrase_edit.text())
        finally:
            self.passphrase_edit.clear()


class SetPassphraseDialog(_SecretDialog[T]):
    """Set a passphrase: typed twice, the forgotten-passphrase warning acknowledged.

    ``apply(passphrase, with_recovery_key)`` does the work (the window closes the journal,
    converts it with :func:`careerdesk.storage.encryption.set_passphrase` and reopens it).
    """

    def __init__(
        self, apply: Callable[[str, bool], T], *, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Set a passphrase"), parent)
        self._apply = apply
        explain = _warning_label(
            self.tr(
                "The whole journal, its search index and its backups will be encrypted. "
                "You will need the passphrase each time you open it, and after it locks."
            )
        )
        warning = _warning_label(self.tr(FORGOTTEN_WARNING))
        warning.setObjectName("forgotten_warning")
        self.new_edit = _secret_edit(self.tr("New passphrase"))
        self.repeat_edit = _secret_edit(self.tr("Repeat the new passphrase"))
        self.form.addRow(self.tr("&New passphrase:"), self.new_edit)
        self.form.addRow(self.tr("&Repeat:"), self.repeat_edit)
        self.recovery_box = QCheckBox(self.tr("Also make a re&covery key (shown once)"))
        self.recovery_box.setChecked(True)
        self.understood_box = QCheckBox(
            self.tr("I understand that a forgotten passphrase means the data cannot be recovered")
        )
        self.form.addRow(self.recovery_box)
        self.form.addRow(self.understood_box)
        self.ok_button.setText(self.tr("&Encrypt"))
        self.ok_button.setEnabled(False)
        self.understood_box.toggled.connect(self.ok_button.setEnabled)
        self._finish_layout(explain, warning)

    def _problem(self) -> str:
        if not self.new_edit.text().strip():
            return self.tr("The passphrase cannot be empty.")
        if self.new_edit.text() != self.repeat_edit.text():
            return self.tr("The two passphrases are not the same.")
        if not self.understood_box.isChecked():
            return self.tr("Tick the box to confirm you understand the warning.")
        return ""

    def _act(self) -> T:
        return self._apply(self.new_edit.text(), self.recovery_box.isChecked())


class ChangePassphraseDialog(_SecretDialog[T]):
    """Change the passphrase: the current one (or the recovery key), the new one twice.

    ``apply(current, new)`` is :func:`careerdesk.storage.encryption.change_passphrase` (only the
    key file changes; the journal can stay open).
    """

    def __init__(
        self, apply: Callable[[str, str], T], *, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Change the passphrase"), parent)
        self._apply = apply
        self.current_edit = _secret_edit(self.tr("Current passphrase"))
        self.new_edit = _secret_edit(self.tr("New passphrase"))
        self.repeat_edit = _secret_edit(self.tr("Repeat the new passphrase"))
        self.form.addRow(self.tr("C&urrent passphrase or recovery key:"), self.current_edit)
        self.form.addRow(self.tr("&New passphrase:"), self.new_edit)
        self.form.addRow(self.tr("&Repeat:"), self.repeat_edit)
        warning = _warning_label(self.tr(FORGOTTEN_WARNING))
        self._finish_layout(warning)

    def _problem(self) -> str:
        if not self.current_edit.text():
            return self.tr("Type the current passphrase first.")
        if not self.new_edit.text().strip():
            return self.tr("The new passphrase cannot be empty.")
        if self.new_edit.text() != self.repeat_edit.text():
            return self.tr("The two new passphrases are not the same.")
        return ""

    def _act(self) -> T:
        return self._apply(self.current_edit.text(), self.new_edit.text())


class RemovePassphraseDialog(_SecretDialog[T]):
    """Remove the passphrase: the current one, with what that means said plainly."""

    def __init__(self, apply: Callable[[str], T], *, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Remove the passphrase"), parent)
        self._apply = apply
        self.current_edit = _secret_edit(self.tr("Current passphrase"))
        self.form.addRow(self.tr("C&urrent passphrase or recovery key:"), self.current_edit)
        self.ok_button.setText(self.tr("&Remove encryption"))
        self._finish_layout(_warning_label(self.tr(REMOVE_WARNING)))

    def _problem(self) -> str:
        return "" if self.current_edit.text() else self.tr("Type the current passphrase first.")

    def _act(self) -> T:
        return self._apply(self.current_edit.text())


class RecoveryKeyDialog(QDialog):
    """Shows a recovery key once. Closing needs the "I have stored it" box ticked."""

    def __init__(self, recovery_key: str, *, parent: QWidget | None = None,
                 clipboard: SecretClipboard | None = None) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self.setWindowTitle(self.tr("Your recovery key"))
        intro = _warning_label(
            self.tr(
                "This recovery key opens the journal like the passphrase. It is shown only this "
                "once: print it or keep it in a password manager, away from this computer."
            )
        )
        self.key_label = QLabel(recovery_key)
        self.key_label.setObjectName("recovery_key")
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        self.key_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName(self.tr("Recovery key"))
        self.copy_button = QPushButton(self.tr("&Copy"))
        self.copy_button.clicked.connect(self._copy)
        seconds = self._secret_clipboard().clear_after_ms // 1000
        self.copy_note = QLabel(
            self.tr("Copy marks it as a secret for clipboard managers and clears the clipboard "
                    "after %n second(s).", "", seconds)
        )
        self.copy_note.setWordWrap(True)
        self.stored_box = QCheckBox(self.tr("I have stored the recovery key somewhere safe"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setEnabled(False)
        self.stored_box.toggled.connect(self.close_button.setEnabled)
        self.buttons.rejected.connect(self._close)
        layout = QVBoxLayout(self)
        for widget in (intro, self.key_label, self.copy_button, self.copy_note,
                       self.stored_box, self.buttons):
            layout.addWidget(widget)

    def _secret_clipboard(self) -> SecretClipboard:
        return self._clipboard if self._clipboard is not None else secret_clipboard()

    def _copy(self) -> None:
        self._secret_clipboard().copy(self.key_label.text())
        self.copy_note.setText(self.tr("Copied. The clipboard will be cleared in %n second(s).",
                                       "", self._secret_clipboard().clear_after_ms // 1000))

    def _close(self) -> None:
        if self.stored_box.isChecked():
            self.key_label.clear()
            self.accept()

    def reject(self) -> None:  # Qt override: Escape must not lose the only copy unseen
        self._close()


def backup_key_with_dialog(backup: Path, parent: QWidget | None) -> bytearray | None:
    """The data key of an encrypted backup, asked for with its passphrase (the one in use when
    it was taken); None for a plain backup. Cancelling raises :class:`PassphraseError`."""
    from careerdesk.errors import PassphraseError
    from careerdesk.services import journal_files
    from careerdesk.ui import dialogs

    if not journal_files.is_encrypted(backup):
        return None

    def unlock(secret: str) -> bytearray:
        key = journal_files.backup_key(backup, lambda: iter([secret]))
        assert key is not None  # it is encrypted: checked above
        return key

    dialog: UnlockDialog[bytearray] = UnlockDialog(backup.name, unlock, parent=parent)
    if dialogs.run_dialog(dialog) and dialog.result_value is not None:
        return dialog.result_value
    raise PassphraseError(f"The backup {backup.name} was not unlocked; nothing was restored.")
