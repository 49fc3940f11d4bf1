"""The one module that opens message boxes and file dialogs.

Tests monkeypatch these functions; nothing else in the UI calls ``QMessageBox`` or
``QFileDialog`` directly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from careerdesk.paths import JOURNAL_SUFFIX


def inform(parent: QWidget | None, title: str, text: str, *, detail: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    if detail:
        box.setInformativeText(detail)
    box.exec()


def warn(parent: QWidget | None, title: str, text: str, *, detail: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if detail:
        box.setInformativeText(detail)
    box.exec()


def confirm(
    parent: QWidget | None, title: str, text: str, *, detail: str = "", action: str = "",
    destructive: bool = False,
) -> bool:
    """Ask a yes/no question; ``action`` names the button that says yes."""
    box = QMessageBox(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question,
                      title, text, QMessageBox.StandardButton.NoButton, parent)
    if detail:
        box.setInformativeText(detail)
    yes = box.addButton(action or title, QMessageBox.ButtonRole.DestructiveRole
                        if destructive else QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)  # a destructive choice is never the Enter key
    box.exec()
    return box.clickedButton() is yes


def choose(
    parent: QWidget | None, title: str, text: str, choices: list[tuple[str, str]], *,
    detail: str = "", icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> str | None:
    """Offer named choices ``(key, button text)``; returns the key chosen, None if closed."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if detail:
        box.setInformativeText(detail)
    buttons = {}
    for key, label in choices:
        role = (QMessageBox.ButtonRole.RejectRole if key in ("quit", "close")
                else QMessageBox.ButtonRole.AcceptRole)
        buttons[box.addButton(label, role)] = key
    box.exec()
    clicked = box.clickedButton()
    return next((key for button, key in buttons.items() if button is clicked), None)


def open_url(url: QUrl) -> bool:
    """Hands a file or folder to the desktop (its PDF viewer, its file manager)."""
    return QDesktopServices.openUrl(url)


def file_saved(parent: QWidget | None, title: str, text: str, path: Path) -> None:
    """Say a file was written and offer to open it or show it in its folder."""
    choice = choose(parent, title, text,
                    [("open", "&Open"), ("folder", "Show in &Folder"), ("close", "Close")],
                    detail=str(path), icon=QMessageBox.Icon.Information)
    if choice == "open":
        open_url(QUrl.fromLocalFile(str(path)))
    elif choice == "folder":
        open_url(QUrl.fromLocalFile(str(path.parent)))


def _journal_filter() -> str:
    return f"CareerDesk journals (*{JOURNAL_SUFFIX});;All files (*)"


def open_journal_file(parent: QWidget | None, start: Path | None = None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Open journal", str(start or Path.home()), _journal_filter()
    )
    return Path(name) if name else None


def new_journal_file(parent: QWidget | None, start: Path | None = None) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, "New journal", str(start or Path.home()), _journal_filter()
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(JOURNAL_SUFFIX)


def choose_backup(parent: QWidget | None, folder: Path) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Restore a backup", str(folder), _journal_filter()
    )
    return Path(name) if name else None


def keep_dialog_state_in(folder: Path) -> None:
    """Qt's own file dialog remembers the folders it visited in ``QtProject.conf`` of the user
    settings folder, with the user's umask; point Qt's user-scope settings at CareerDesk's
    owner-only config folder instead (CareerDesk's own settings name their file explicitly)."""
    for settings_format in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, str(folder))


def export_file_dialog(parent: QWidget | None, title: str, start: Path,
                       file_filter: str) -> QFileDialog:
    """The save dialog for an export: Qt's own, never the desktop's native one, because the
    native (GTK) dialog adds every file saved to the desktop's recently-used list
    (``recently-used.xbel``), which would keep the names of exports about people."""
    dialog = QFileDialog(parent, title, str(start), file_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.selectFile(start.name)
    return dialog

def open_image_file(parent: QWidget | None, title: str, start: Path | None = None) -> Path | None:
    """Choose a PNG or JPEG image (the organisation logo); None when cancelled."""
    name, _ = QFileDialog.getOpenFileName(
        parent, title, str(start or Path.home()), "Images (*.png *.jpg *.jpeg);;All files (*)"
    )
    return Path(name) if name else None


def save_file(parent: QWidget | None, title: str, start: Path, file_filter: str) -> Path | None:
    """Ask where to save an export (see :func:`export_file_dialog`); None when cancelled."""
    dialog = export_file_dialog(parent, title, start, file_filter)
    try:
        if not run_dialog(dialog):
            return None
        chosen = dialog.selectedFiles()
        return Path(chosen[0]) if chosen else None
    finally:
        import shiboken6

        shiboken6.delete(dialog)  # now, not later: it writes its state (keep_dialog_state_in)


def open_file(parent: QWidget | None, title: str, start: Path, file_filter: str) -> Path | None:
    """Choose an existing file to read (File ▸ Import…, Load JSON…)."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(start), file_filter)
    return Path(name) if name else None


def pick_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> int | None:
    """Let the user pick one line of ``items``; returns its index, None when cancelled."""
    if not items:
        return None
    text, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return items.index(text) if ok and text in items else None


def run_dialog(dialog: QDialog) -> bool:
    """Show one of our own dialogs modally; True when accepted. (Tests patch this to fill the
    dialog's fields and accept it without a nested event loop.)"""
    return dialog.exec() == QDialog.DialogCode.Accepted
