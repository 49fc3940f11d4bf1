"""The short message after an undoable removal ("Removed step — Undo"), instead of asking
first: a label and an Undo button that live in the status bar for a few seconds."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from careerdesk.ui.edits.stack import EditStack

SHOWN_MS = 10_000


class UndoNotice(QWidget):
    """Shows what was just removed, with one button to take it back."""

    def __init__(self, edits: EditStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edits = edits
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.undo_button = QPushButton(self.tr("&Undo"), self)
        self.undo_button.setAccessibleName(self.tr("Undo the removal"))
        self.undo_button.setFlat(True)
        self.undo_button.clicked.connect(self._undo)
        layout.addWidget(self.label)
        layout.addWidget(self.undo_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOWN_MS)
        self._timer.timeout.connect(self.hide)
        edits.announced.connect(self.show_message)
        # Anything else undone or done meanwhile: the message would name the wrong thing.
        edits.undo_stack.indexChanged.connect(self._stack_moved)
        self._index = -1
        self.hide()

    def show_message(self, message: str) -> None:
        self.label.setText(self.tr("{0} —").format(message))
        self.undo_button.setAccessibleDescription(message)
        self._index = self._edits.undo_stack.index()
        self.show()
        self._timer.start()

    def _stack_moved(self, index: int) -> None:
        if index != self._index:
            self.hide()

    def _undo(self) -> None:
        self.hide()
        if self._edits.undo_stack.index() == self._index:
            self._edits.undo()
