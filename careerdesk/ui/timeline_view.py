"""A person's timeline: conversations, journal entries, next steps and pulse, newest first.

On top, the pulse trend chart (drawn with QPainter in the palette's colours, so it reads in light
and dark themes), with a falling trend marked in words and colour, never by colour alone.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QListView, QVBoxLayout, QWidget

from careerdesk.domain.pulse import PulseTrend
from careerdesk.domain.pulse import trend as pulse_trend
from careerdesk.domain.timeline import ItemKind, Target, TimelineItem
from careerdesk.ui.icons import bundled_icon
from careerdesk.ui.labels import heading_label
from careerdesk.ui.private_style import (
    PRIVATE_ROLE,
    private_role_rule,
    private_word,
    style_private_rows,
)

if TYPE_CHECKING:
    from careerdesk.services import Services

AnyIndex = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1

#: The drawn icon of each kind of item (bundled SVGs: emoji show as boxes without a font).
_ICONS = {
    ItemKind.CONVERSATION: "conversation", ItemKind.ENTRY: "entry",
    ItemKind.ACTION_CREATED: "action-created", ItemKind.ACTION_DUE: "action-due",
    ItemKind.ACTION_DONE: "action-done", ItemKind.PULSE: "pulse",
}


class TimelineModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[TimelineItem] = []
        self._icons: dict[ItemKind, QIcon] = {}

    def set_items(self, items: list[TimelineItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> TimelineItem:
        return self._items[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 # Qt override
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            detail = f" — {item.detail}" if item.detail else ""
            private = f"  · {private_word()}" if item.private else ""
            return f"{item.date.isoformat()}  {item.title}{detail}{private}"
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._icons.get(item.kind)
            if icon is None:
                icon = self._icons[item.kind] = bundled_icon(_ICONS[item.kind])
            return icon
        if role == PRIVATE_ROLE:
            return item.private
        if role == Qt.ItemDataRole.AccessibleTextRole:
            private = f", {private_word()}" if item.private else ""
            return f"{item.date.isoformat()}, {item.title}, {item.detail}{private}"
        if role == Qt.ItemDataRole.ForegroundRole and item.overdue:
            return QColor("#c62828")
        if role == ITEM_ROLE:
            return item
        return None


class PulseChart(QWidget):
    """The mean pulse per conversation (1-5) as a line, in the palette's colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trend: PulseTrend | None = None
        self.setMinimumHeight(140)
        self.setAccessibleName(self.tr("Pulse over time"))

    def set_trend(self, trend: PulseTrend | None) -> None:
        self.trend = trend
        description = self.tr("No pulse recorded yet.")
        if trend is not None and trend.points:
            latest = trend.points[-1]
            description = self.tr("Pulse over %n conversations, latest %1 of 5", "",
                                  len(trend.points)).replace("%1", f"{latest.mean:.1f}")
            if trend.falling:
                description += self.tr(", falling")
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.update()

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(480, 160)

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlphaF(0.18)
        line = palette.color(QPalette.ColorRole.Highlight)
        falling = self.trend is not None and self.trend.falling
        warn = QColor("#e53935") if palette.color(QPalette.ColorRole.Window).lightness() > 128 \
            else QColor("#ff8a80")
        margin_left, margin_right, margin_top, margin_bottom = 28.0, 12.0, 22.0, 22.0
        plot = QRectF(margin_left, margin_top, self.width() - margin_left - margin_right,
                      self.height() - margin_top - margin_bottom)
        painter.setPen(QPen(grid, 1))
        metrics = painter.fontMetrics()
        for value in range(1, 6):
            y = plot.bottom() - (value - 1) / 4 * plot.height()
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(QPointF(4, y + metrics.ascent() / 2 - 1), str(value))
            painter.setPen(QPen(grid, 1))
        points = self.trend.points if self.trend is not None else ()
        painter.setPen(text)
        if not points:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("No pulse recorded yet"))
            painter.end()
            return
        first, last = points[0].date, points[-1].date
        span = max((last - first).days, 1)

        def position(date: dt.date, mean: float) -> QPointF:
            share = (date - first).days / span if len(points) > 1 else 0.5
            x = plot.left() + share * plot.width()
            return QPointF(x, plot.bottom() - (mean - 1) / 4 * plot.height())

        path = QPainterPath()
        for i, point in enumerate(points):
            p = position(point.date, point.mean)
            path.moveTo(p) if i == 0 else path.lineTo(p)
        painter.setPen(QPen(line, 2))
        painter.drawPath(path)
        for i, point in enumerate(points):
            recent = falling and i >= len(points) - 4
            colour = warn if recent else line
            painter.setPen(QPen(colour, 2))
            painter.setBrush(colour)
            painter.drawEllipse(position(point.date, point.mean), 3.5, 3.5)
        painter.setPen(text)
        painter.drawText(QPointF(plot.left(), self.height() - 5), first.isoformat())
        end_label = last.isoformat()
        painter.drawText(QPointF(plot.right() - metrics.horizontalAdvance(end_label),
                                 self.height() - 5), end_label)
        title = self.tr("Pulse (average of the early signs, 1–5)")
        painter.drawText(QPointF(plot.left(), 15), title)
        if falling:
            label = self.tr("▼ falling")
            painter.setPen(warn)
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(
                QPointF(plot.right() - painter.fontMetrics().horizontalAdvance(label), 15), label
            )
        painter.end()


class TimelineView(QWidget):
    """One person's history; activating an item opens it where it was written."""

    conversation_requested = Signal(str)
    entry_requested = Signal(str)
    action_requested = Signal(str, str)  # person id, action id
    person_requested = Signal(str)

    def __init__(self, services: Services | None = None, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TimelineView")
        self.services: Services | None = services
        self.person_id: str | None = None
        layout = QVBoxLayout(self)
        self.heading = heading_label(self)
        layout.addWidget(self.heading)
        self.chart = PulseChart(self)
        layout.addWidget(self.chart)
        self.model = TimelineModel(self)
        self.list_view = QListView(self)
        self.list_view.setModel(self.model)
        style_private_rows(self.list_view, private_role_rule)
        self.list_view.setAccessibleName(self.tr("Timeline"))
        self.list_view.setUniformItemSizes(True)
        self.list_view.activated.connect(self._activated)
        layout.addWidget(self.list_view, 1)

    def set_services(self, services: Services) -> None:
        self.services = services
        self.person_id = None
        self.model.set_items([])
        self.chart.set_trend(None)
        self.heading.clear()

    def show_person(self, person_id: str, *, today: dt.date | None = None) -> None:
        if self.services is None:
            return
        person = self.services.people.get(person_id)
        self.person_id = person_id
        self.heading.setText(self.tr("Timeline of %1").replace("%1", person.name))
        self.model.set_items(self.services.reminders.timeline(person_id, today))
        self.chart.set_trend(pulse_trend(self.services.conversations.pulse_history(person_id)))

    def refresh(self) -> None:
        if self.person_id is not None:
            self.show_person(self.person_id)

    def _activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        item = self.model.item(index.row())
        if item.target is Target.ENTRY:
            self.entry_requested.emit(item.target_id)
        elif item.target is Target.CONVERSATION and item.target_id:
            self.conversation_requested.emit(item.target_id)
        elif item.target is Target.PLAN and self.person_id is not None:
            self.action_requested.emit(self.person_id, item.target_id)
