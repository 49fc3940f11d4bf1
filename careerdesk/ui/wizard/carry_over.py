"""Bringing the previous conversation's unasked questions and open steps into a new one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from careerdesk.content import load_content
from careerdesk.domain.model import CUSTOM_PREFIX
from careerdesk.services.conversations import CarryOver
from careerdesk.ui.labels import ENUM_LABELS

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CarryOverDialog(QDialog):
    """Two checklists: unasked questions and open next steps, all ticked to start with."""

    def __init__(self, carry: CarryOver, *, language: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Bring along from last time"))
        content = load_content(language)
        customs = {c.prompt_id: c.text for c in carry.custom_prompts}
        layout = QVBoxLayout(self)
        when = carry.previous.held_on.isoformat() if carry.previous else ""
        intro = QLabel(self.tr(
            "The conversation of {0} left these open. Untick what should not come along."
        ).format(when), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.prompt_list = self._list(self.tr("&Questions not asked yet"), layout)
        for answer in carry.unasked:
            if answer.prompt_id.startswith(CUSTOM_PREFIX):
                text = customs.get(answer.prompt_id, answer.prompt_id)
            else:
                prompt = content.find_prompt(answer.prompt_id)
                text = prompt.supervisor if prompt else answer.prompt_id
            if answer.text.strip():
                text += f" — {answer.text.strip().splitlines()[0]}"
            self._add(self.prompt_list, text, answer.prompt_id)
        self.action_list = self._list(self.tr("Open &next steps"), layout)
        for action in carry.open_actions:
            due = action.due.isoformat() if action.due else self.tr("no date")
            self._add(self.action_list, f"{action.text} ({ENUM_LABELS[action.owner]}, {due})",
                      action.id)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Start conversation"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 50, self.fontMetrics().lineSpacing() * 24)

    def _list(self, title: str, layout: QVBoxLayout) -> QListWidget:
        label = QLabel(title, self)
        widget = QListWidget(self)
        widget.setAccessibleName(title.replace("&", ""))
        label.setBuddy(widget)
        layout.addWidget(label)
        layout.addWidget(widget)
        return widget

    @staticmethod
    def _add(widget: QListWidget, text: str, record_id: str) -> None:
        item = QListWidgetItem(text, widget)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        item.setData(ID_ROLE, record_id)

    @staticmethod
    def _chosen(widget: QListWidget) -> list[str]:
        return [
            str(widget.item(i).data(ID_ROLE)) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        ]

    def chosen_prompt_ids(self) -> list[str]:
        return self._chosen(self.prompt_list)

    def chosen_action_ids(self) -> list[str]:
        return self._chosen(self.action_list)
