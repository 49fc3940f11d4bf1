"""The roster as an item model, and the delegate that draws one person per row."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

if TYPE_CHECKING:  # the ORM stays off the start-up path
    from careerdesk.services.people import PersonSummary

AnyIndex = QModelIndex | QPersistentModelIndex
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
COUNTS_ROLE = Qt.ItemDataRole.UserRole + 3
IS_ME_ROLE = Qt.ItemDataRole.UserRole + 4
_SERVED_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole,
    PERSON_ID_ROLE, DETAIL_ROLE, COUNTS_ROLE, IS_ME_ROLE,
})


def _short(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


class PeopleListModel(QAbstractListModel):
    """One row per person (from ``PeopleService.summaries``); "me" first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PersonSummary] = []
        self.me_label = "Me"

    def set_summaries(self, summaries: list[PersonSummary]) -> None:
        self.beginResetModel()
        self._rows = list(summaries)
        self.endResetModel()

    def summary(self, row: int) -> PersonSummary:
        return self._rows[row]

    def row_of(self, person_id: str) -> int:
        for row, summary in enumerate(self._rows):
            if summary.person.id == person_id:
                return row
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 # Qt override
        return 0 if parent.isValid() else len(self._rows)

    def detail(self, summary: PersonSummary) -> str:
        parts = [summary.person.role] if summary.person.role else []
        parts.append(self.tr("last {0}").format(_short(summary.last_conversation)))
        parts.append(self.tr("next {0}").format(_short(summary.next_due)))
        return " · ".join(parts)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        # Painting asks for a dozen roles per row; answer the ones not served before any work.
        if role not in _SERVED_ROLES or not index.isValid() or \
                not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        person = summary.person
        name = f"{person.name} ({self.me_label})" if person.is_me else person.name
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == PERSON_ID_ROLE:
            return person.id
        if role == DETAIL_ROLE:
            return self.detail(summary)
        if role == IS_ME_ROLE:
            return person.is_me
        if role == COUNTS_ROLE:
            return (summary.open_actions, summary.overdue_actions)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{name}, {self.detail(summary)}, {self.counts_text(summary)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{name}\n{self.detail(summary)}\n{self.counts_text(summary)}"
        return None

    def counts_text(self, summary: PersonSummary) -> str:
        text = self.tr("{0} open next steps").format(summary.open_actions)
        if summary.overdue_actions:
            text += self.tr(", {0} overdue").format(summary.overdue_actions)
        return text


class PersonDelegate(QStyledItemDelegate):
    """Name on the first line, role and dates below, open/overdue counts on the right."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # Qt override
        metrics = option.fontMetrics
        line = metrics.lineSpacing()
        return QSize(metrics.horizontalAdvance("M") * 18, line * 2 + line // 2 + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,  # Qt override
              index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget: QWidget | None = opt.widget
        style = widget.style() if widget is not None else None
        opt.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        palette: QPalette = opt.palette
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = (QPalette.ColorRole.HighlightedText if selected
                     else QPalette.ColorRole.Text)
        rect: QRect = opt.rect
        metrics = opt.fontMetrics
        pad = metrics.horizontalAdvance("m") // 2 + 2
        line = metrics.lineSpacing()
        open_count, overdue = index.data(COUNTS_ROLE) or (0, 0)
        painter.save()
        # Counts on the right, as small badges.
        badge_text = str(open_count) if open_count else ""
        right = rect.right() - pad
        bold = QFont(opt.font)
        bold.setBold(True)
        if overdue:
            label = f"{overdue}!"
            width = metrics.horizontalAdvance(label) + pad * 2
            badge = QRect(right - width, rect.top() + pad // 2, width, line)
            painter.setBrush(palette.color(QPalette.ColorRole.Link))
            painter.setPen(palette.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(badge, line / 2, line / 2)
            painter.setFont(bold)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
            right = badge.left() - pad // 2
        if badge_text:
            width = metrics.horizontalAdvance(badge_text) + pad * 2
            badge = QRect(right - width, rect.top() + pad // 2, width, line)
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.setBrush(palette.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(badge, line / 2, line / 2)
            painter.setFont(opt.font)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, badge_text)
            right = badge.left() - pad // 2
        painter.setPen(palette.color(text_role))
        name_font = QFont(opt.font)
        name_font.setBold(bool(index.data(IS_ME_ROLE)))
        painter.setFont(name_font)
        name_rect = QRect(rect.left() + pad, rect.top() + pad // 2, right - rect.left() - pad,
                          line)
        name = str(index.data(Qt.ItemDataRole.DisplayRole))
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight,
                                                          name_rect.width()))
        detail_font = QFont(opt.font)
        detail_font.setPointSizeF(max(detail_font.pointSizeF() * 0.9, 6.0))
        painter.setFont(detail_font)
        color = palette.color(text_role)
        if not selected:
            color = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(color)
        detail_rect = QRect(rect.left() + pad, name_rect.bottom() + 2,
                            rect.width() - pad * 2, line)
        detail = str(index.data(DETAIL_ROLE) or "")
        painter.drawText(detail_rect, Qt.AlignmentFlag.AlignVCenter,
                         painter.fontMetrics().elidedText(detail, Qt.TextElideMode.ElideRight,
                                                          detail_rect.width()))
        painter.restore()
