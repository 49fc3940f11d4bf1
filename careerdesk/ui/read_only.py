"""A journal open read-only (read-only media, a full disk): a banner says so, and File ▸ Save a
Copy… writes the journal to a place where it can be changed (issue 14).

The main window calls :func:`show_state` once, whenever a journal is attached.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

if TYPE_CHECKING:
    from careerdesk.ui.main_window import MainWindow

BANNER_TEXT = "Read-only: changes cannot be saved here."


class ReadOnlyBanner(QFrame):
    """A strip above the content: the journal is read-only; a button saves a copy."""

    save_copy_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReadOnlyBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(self.palette().ColorRole.ToolTipBase)
        self.setForegroundRole(self.palette().ColorRole.ToolTipText)
        layout = QHBoxLayout(self)
        self.label = QLabel(self.tr(
            "Read-only: changes cannot be saved here. Save a copy in a folder you can write "
            "to, and open that to make changes."), self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName(self.tr("Read-only journal"))
        layout.addWidget(self.label, 1)
        self.save_copy_button = QPushButton(self.tr("Save a &Copy…"), self)
        self.save_copy_button.setAccessibleName(self.tr("Save a copy of the journal"))
        self.save_copy_button.clicked.connect(self.save_copy_requested)
        layout.addWidget(self.save_copy_button)
        self.hide()


class ReadOnlyState:
    """The banner and the File ▸ Save a Copy… action of one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.banner = ReadOnlyBanner(window.right_layout.parentWidget())
        self.banner.save_copy_requested.connect(self.save_copy)
        window.right_layout.insertWidget(0, self.banner)
        self.save_copy_action = QAction(window.tr("Save a &Copy…"), window)
        self.save_copy_action.setStatusTip(window.tr(
            "Write a copy of this journal to a file you choose"))
        self.save_copy_action.triggered.connect(lambda _checked=False: self.save_copy())
        actions = window.file_menu.actions()
        # After Open…, before the Export menu.
        before = actions[2] if len(actions) > 2 else None
        window.file_menu.insertAction(before, self.save_copy_action)  # type: ignore[arg-type]

    def update(self) -> None:
        services = self.window.services
        read_only = services is not None and services.journal.read_only
        self.banner.setVisible(read_only)
        if read_only:  # the save state would say "Saved", which nothing here ever is
            self.window.save_label.setText(self.window.tr("Read-only"))
            self.window.statusBar().showMessage(self.window.tr(BANNER_TEXT))

    def save_copy(self) -> Path | None:
        """Ask where, write the copy, and offer to open it (it can be changed there)."""
        from careerdesk.errors import CareerDeskError
        from careerdesk.paths import JOURNAL_SUFFIX
        from careerdesk.storage.copy import save_copy
        from careerdesk.ui import dialogs

        window = self.window
        if window.services is None:
            return None
        journal = window.services.journal
        start = Path.home() / f"{journal.path.stem} copy{JOURNAL_SUFFIX}"
        target = dialogs.save_file(
            window, window.tr("Save a Copy"), start,
            f"CareerDesk journals (*{JOURNAL_SUFFIX});;All files (*)",
        )
        if target is None:
            return None
        try:
            written = save_copy(journal, target)
        except CareerDeskError as exc:
            dialogs.warn(window, window.tr("Save a Copy"), exc.user_message, detail=exc.hint)
            return None
        if journal.read_only and dialogs.confirm(
            window, window.tr("Save a Copy"),
            window.tr("A copy was saved as {0}.").format(written.name),
            detail=window.tr("Open the copy now, to make changes there?"),
            action=window.tr("Open the Copy"),
        ):
            window.open_journal_file(written)
        else:
            window.statusBar().showMessage(
                window.tr("A copy was saved as {0}.").format(str(written)), 10_000)
        return written


def show_state(window: MainWindow) -> ReadOnlyState:
    """Show (or hide) the read-only banner for the journal attached to ``window``."""
    state: ReadOnlyState | None = getattr(window, "read_only_state", None)
    if state is None:
        state = ReadOnlyState(window)
        window.read_only_state = state
    state.update()
    return state
