"""The strip above the content that says a save failed, and that saving is retried."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class SaveBanner(QFrame):
    """A non-modal strip above the content that says a save failed and retries."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(self.palette().ColorRole.ToolTipBase)
        self.setForegroundRole(self.palette().ColorRole.ToolTipText)
        layout = QHBoxLayout(self)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName(self.tr("Save problem"))
        layout.addWidget(self.label, 1)
        self.retry_button = QPushButton(self.tr("&Try again now"), self)
        self.retry_button.setAccessibleName(self.tr("Try saving again now"))
        self.retry_button.clicked.connect(self.retry_requested)
        layout.addWidget(self.retry_button)
        self.hide()

    def show_problem(self, message: str) -> None:
        self.label.setText(self.tr(
            "Not saved: {0} Your text is kept here and saving is retried every few seconds."
        ).format(message))
        self.show()
