"""Send Progress: the steps of the imported plans, each with a comment to share.

The dialog only collects; :class:`careerdesk.ui.exchange_actions.ExchangeActions` stores the
comments (``ExchangeService.set_step_comment``) and writes the progress file.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from careerdesk.domain.model import Action
from careerdesk.export.data import STATUS_LABELS

MAX_COMMENT = 4000


class ProgressCommentsDialog(QDialog):
    """One line per step: what it is, its status, and a comment for the supervisor."""

    def __init__(self, steps: Sequence[tuple[Action, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Send Progress"))
        self.edits: dict[str, QLineEdit] = {}
        self._initial: dict[str, str] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "The progress file holds the status of these steps and the comments you write "
            "here, nothing else. Change a step's status in your plan."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        body = QWidget(self)
        form = QFormLayout(body)
        for action, comment in steps:
            label = QLabel(f"{action.text} ({STATUS_LABELS[action.status]})", body)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)  # user text is text
            edit = QLineEdit(comment, body)
            edit.setMaxLength(MAX_COMMENT)
            edit.setPlaceholderText(self.tr("A comment for your supervisor (optional)"))
            edit.setAccessibleName(self.tr("Comment on: {0}").format(action.text))
            form.addRow(label, edit)
            self.edits[action.id] = edit
            self._initial[action.id] = comment
        if not steps:
            form.addRow(QLabel(self.tr("No steps to report on."), body))
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def changed_comments(self) -> dict[str, str]:
        """The comments the user changed, by step id ("" for one removed)."""
        return {step_id: edit.text().strip() for step_id, edit in self.edits.items()
                if edit.text().strip() != self._initial[step_id]}
