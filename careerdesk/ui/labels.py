"""Names of the app's own choices (kinds of step, owners, states, horizons) as shown in lists.

These are the controls' vocabulary, not career content: questions, guidance and behaviours all
come from careerdesk.content.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from careerdesk.domain.model import ActionKind, ActionStatus, Horizon, Owner


def _tr(text: str) -> str:
    return QCoreApplication.translate("labels", text)


ENUM_LABELS: dict[Enum, str] = {
    ActionKind.SKILL: _tr("Skill to develop"),
    ActionKind.EXPERIENCE: _tr("Responsibility or experience"),
    ActionKind.OPPORTUNITY: _tr("Opportunity to pursue"),
    ActionKind.ROADBLOCK: _tr("Roadblock to remove"),
    Owner.EMPLOYEE: _tr("Employee"),
    Owner.SUPERVISOR: _tr("Supervisor (support)"),
    Owner.BOTH: _tr("Both"),
    ActionStatus.OPEN: _tr("Open"),
    ActionStatus.IN_PROGRESS: _tr("In progress"),
    ActionStatus.DONE: _tr("Done"),
    ActionStatus.DROPPED: _tr("Dropped"),
    Horizon.NOW: _tr("This quarter"),
    Horizon.NEXT: _tr("Next 12–18 months"),
    Horizon.LONG: _tr("Long term"),
}

#: The three circles of the match.
CIRCLE_TITLES = {
    "skills": _tr("Skills & abilities"),
    "interests": _tr("Interests & passion"),
    "business": _tr("Business needs"),
}

#: Short column headers for the same circles.
CIRCLE_SHORT = {
    "skills": _tr("Skills"),
    "interests": _tr("Interests"),
    "business": _tr("Business"),
}


def heading_label(parent: QWidget) -> QLabel:
    """A view's heading: plain text (it often holds a name), larger and bold."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    return label
