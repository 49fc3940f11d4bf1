"""The overview of one person: who they are, their conversations, and a way to start one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from careerdesk.domain.model import Conversation
    from careerdesk.services.people import PersonSummary

CONVERSATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PersonPage(QWidget):
    """Header, actions and the list of conversations of the selected person."""

    new_conversation_requested = Signal()
    edit_requested = Signal()
    calendar_requested = Signal()
    conversation_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.subtitle)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("&New conversation"), self)
        self.new_button.setAccessibleName(self.tr("New conversation"))
        self.new_button.clicked.connect(self.new_conversation_requested)
        buttons.addWidget(self.new_button)
        self.edit_button = QPushButton(self.tr("&Edit person…"), self)
        self.edit_button.setAccessibleName(self.tr("Edit person"))
        self.edit_button.clicked.connect(self.edit_requested)
        buttons.addWidget(self.edit_button)
        self.calendar_button = QPushButton(self.tr("Add to ca&lendar…"), self)
        self.calendar_button.setAccessibleName(self.tr("Add to calendar"))
        self.calendar_button.setToolTip(self.tr(
            "Save the next conversation and the open steps' due dates as a calendar file "
            "(.ics) that any calendar can import"))
        self.calendar_button.clicked.connect(self.calendar_requested)
        buttons.addWidget(self.calendar_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.list_label = QLabel(self.tr("&Conversations"), self)
        layout.addWidget(self.list_label)
        self.conversations = QListWidget(self)
        self.conversations.setAccessibleName(self.tr("Conversations"))
        self.list_label.setBuddy(self.conversations)
        self.conversations.itemActivated.connect(self._activated)
        layout.addWidget(self.conversations, 1)
        self.empty_hint = QLabel(self)
        self.empty_hint.setWordWrap(True)
        layout.addWidget(self.empty_hint)
        self.person_id: str | None = None

    def show_person(self, summary: PersonSummary, conversations: list[Conversation],
                    *, stage_titles: dict[str, str]) -> None:
        person = summary.person
        self.person_id = person.id
        self.title.setText(person.name)
        bits = [b for b in (person.role, person.team) if b]
        due = summary.next_due.isoformat() if summary.next_due else self.tr("not planned")
        bits.append(self.tr("next conversation: {0}").format(due))
        bits.append(self.tr("%n open next steps", "", summary.open_actions) + ", "
                    + self.tr("%n overdue", "", summary.overdue_actions))
        self.subtitle.setText(" · ".join(bits))
        self.edit_button.setVisible(True)
        self.conversations.clear()
        for conversation in conversations:
            state = (self.tr("finished") if conversation.completed
                     else stage_titles.get(conversation.current_stage.value,
                                           conversation.current_stage.value))
            text = conversation.held_on.isoformat()
            if conversation.purpose:
                text += f" — {conversation.purpose}"
            text += f"  ({state})"
            item = QListWidgetItem(text, self.conversations)
            item.setData(CONVERSATION_ID_ROLE, conversation.id)
        if conversations:
            self.conversations.setCurrentRow(0)
        self.empty_hint.setText("" if conversations else self.tr(
            "No conversations yet. Start one with New conversation (Ctrl+N)."))

    def _activated(self, item: QListWidgetItem) -> None:
        self.conversation_requested.emit(str(item.data(CONVERSATION_ID_ROLE)))
