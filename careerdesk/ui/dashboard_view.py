"""The supervisor's dashboard and the "Today" reminders.

Who is due a conversation, whose pulse is falling, overdue next steps and the ownership ratio
across the team; every line opens the person. The optional desktop notification goes through
Qt's tray icon, on this machine only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QScrollArea,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from careerdesk.domain.pulse import PulseTrend
from careerdesk.domain.reminders import ActionDue, ConversationDue, DueState, PrepReminder, Today
from careerdesk.ui import layout
from careerdesk.ui.labels import heading_label

if TYPE_CHECKING:
    from careerdesk.services import Services
    from careerdesk.services.reminders import Dashboard

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 2


def _days(days: int) -> str:
    if days == 0:
        return "today"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} overdue"
    return f"in {days} day{'s' if days != 1 else ''}"


def conversation_line(item: ConversationDue) -> str:
    last = f"last {item.last.isoformat()}" if item.last else "no conversation yet"
    booked = ", booked" if item.scheduled else ""
    return f"{item.person.name} — due {item.due.isoformat()} ({_days(item.days)}{booked}; {last})"


def action_line(item: ActionDue) -> str:
    due = item.action.due.isoformat() if item.action.due else ""
    return f"{item.person.name} — {item.action.text} (due {due}, {_days(item.days)})"


def prep_line(item: PrepReminder) -> str:
    return (f"{item.person.name} — conversation {item.on.isoformat()} ({_days(item.days)}): "
            f"{item.open_actions} open next steps, {item.overdue_actions} overdue")


class _Section(QGroupBox):
    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(title, parent)
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setAccessibleName(title)
        # Long lines wrap instead of scrolling sideways; the panel grows with the window.
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)

    def fill(self, lines: list[tuple[str, str, str | None, bool]], empty_text: str) -> None:
        """``(text, person id, action id, urgent)`` per line."""
        self.list.clear()
        for text, person_id, action_id, urgent in lines:
            item = QListWidgetItem(text)
            item.setData(PERSON_ID_ROLE, person_id)
            item.setData(ACTION_ID_ROLE, action_id)
            if urgent:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        self.list.setVisible(bool(lines))
        self.empty.setText(empty_text if not lines else "")
        self.empty.setVisible(not lines)
        # At least a few lines without scrolling; more room when the window has it.
        rows = min(max(len(lines), 1), 4)
        self.list.setMinimumHeight(self.list.sizeHintForRow(0) * rows + 6 if lines else 0)


class DashboardView(QWidget):
    """Today's reminders, then the team overview; each line opens the person."""

    person_requested = Signal(str)
    action_requested = Signal(str, str)  # person id, action id

    def __init__(self, services: Services | None = None, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DashboardView")
        self.services: Services | None = None
        self.board: Dashboard | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        self.heading = heading_label(body)
        layout.addWidget(self.heading)
        self.summary = QLabel(body)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)
        self.today_conversations = _Section(self.tr("Today: conversations due"), body)
        self.today_actions = _Section(self.tr("Today: next steps due this week or overdue"), body)
        self.prep = _Section(self.tr("Today: prepare for"), body)
        self.falling = _Section(self.tr("Pulse falling"), body)
        self.overdue = _Section(self.tr("Overdue next steps"), body)
        grid = self.grid = QGridLayout()
        ownership = QGroupBox(self.tr("Who owns the open next steps"), body)
        own_layout = QVBoxLayout(ownership)
        self.ownership_bar = QProgressBar(ownership)
        self.ownership_bar.setAccessibleName(self.tr("Share owned by the employees"))
        self.ownership_bar.setRange(0, 100)
        self.ownership_label = QLabel(ownership)
        self.ownership_label.setWordWrap(True)
        self.ownership_label.setTextFormat(Qt.TextFormat.PlainText)
        own_layout.addWidget(self.ownership_bar)
        own_layout.addWidget(self.ownership_label)
        self.ownership_list = QListWidget(ownership)
        self.ownership_list.setAccessibleName(self.tr("Plans carried mostly by the supervisor"))
        self.ownership_list.setWordWrap(True)
        self.ownership_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        own_layout.addWidget(self.ownership_list)
        self.ownership = ownership
        self.summary.setWordWrap(True)
        layout.addLayout(grid, 1)  # the panels take the window's height
        self._columns = 0
        self._place_panels(2)
        for section in (self.today_conversations, self.today_actions, self.prep, self.falling,
                        self.overdue):
            section.list.itemActivated.connect(self._activated)
        self.ownership_list.itemActivated.connect(self._activated)
        if services is not None:
            self.set_services(services)

    def _place_panels(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        panels = [self.today_conversations, self.today_actions, self.prep, self.falling,
                  self.overdue, self.ownership]
        for panel in panels:
            self.grid.removeWidget(panel)
        for place, panel in enumerate(panels):
            self.grid.addWidget(panel, place // columns, place % columns)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 1 if row < (len(panels) + columns - 1) // columns else 0)
        for column in range(2):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        # One column when narrow (breakpoint: ui/layout.py), two side by side otherwise.
        narrow = layout.narrower_than(self, self.width(), layout.TODAY_TWO_COLUMNS_EM)
        self._place_panels(1 if narrow else 2)

    def set_services(self, services: Services) -> None:
        self.services = services
        self.refresh()

    def refresh(self, today: dt.date | None = None) -> None:
        if self.services is None:
            return
        board = self.services.reminders.dashboard(today)
        self.board = board
        self.heading.setText(self.tr("Today, %1").replace("%1", board.today.date.isoformat()))
        self.summary.setText(board.today.summary())
        self.today_conversations.fill(
            [(conversation_line(c), c.person.id, None, c.state is DueState.OVERDUE)
             for c in board.today.conversations],
            self.tr("Nobody is due a conversation this week."),
        )
        self.today_actions.fill(
            [(action_line(a), a.person.id, a.action.id, a.state is DueState.OVERDUE)
             for a in board.today.actions],
            self.tr("No next steps due this week."),
        )
        self.prep.fill(
            [(prep_line(p), p.person.id, None, p.days <= 1) for p in board.today.prep],
            self.tr("No booked conversation in the next seven days."),
        )
        self.falling.fill(
            [(self._falling_line(f.person.name, f.trend), f.person.id, None, f.trend.falling)
             for f in board.falling],
            self.tr("No falling pulse."),
        )
        self.overdue.fill(
            [(action_line(a), a.person.id, a.action.id, True) for a in board.overdue_actions],
            self.tr("Nothing overdue."),
        )
        ratio = board.ownership
        share = round(100 * (ratio.employee + ratio.both) / ratio.total) if ratio.total else 0
        self.ownership_bar.setValue(share)
        self.ownership_bar.setFormat(self.tr("%p% owned by the employees (alone or shared)"))
        self.ownership_label.setText(self.tr(
            "%1 open next steps: %2 owned by the employee, %3 shared, %4 by the supervisor "
            "alone. The employee owns their career; the supervisor supports."
        ).replace("%1", str(ratio.total)).replace("%2", str(ratio.employee))
         .replace("%3", str(ratio.both)).replace("%4", str(ratio.supervisor)))
        self.ownership_list.clear()
        names = {c.person.id: c.person.name for c in board.schedule}
        for person_id, own in board.ownership_by_person.items():
            if own.supervisor_owns_most and person_id in names:
                item = QListWidgetItem(self.tr("%1 — the supervisor owns %2 of %3 steps")
                                       .replace("%1", names[person_id])
                                       .replace("%2", str(own.supervisor))
                                       .replace("%3", str(own.total)))
                item.setData(PERSON_ID_ROLE, person_id)
                self.ownership_list.addItem(item)
        self.ownership_list.setVisible(self.ownership_list.count() > 0)

    def _falling_line(self, name: str, trend: PulseTrend) -> str:
        latest = trend.latest
        dims = ", ".join(d.replace("_", " ") for d in trend.falling_dimensions)
        mean = f"latest {latest.mean:.1f} of 5" if latest else ""
        return f"{name} — {mean}" + (f"; falling: {dims}" if dims else "")

    def _activated(self, item: QListWidgetItem) -> None:
        person_id = item.data(PERSON_ID_ROLE)
        action_id = item.data(ACTION_ID_ROLE)
        if person_id and action_id:
            self.action_requested.emit(str(person_id), str(action_id))
        elif person_id:
            self.person_requested.emit(str(person_id))


def notify_today(today: Today, *, icon: QIcon | None = None,
                 parent: QWidget | None = None) -> QSystemTrayIcon | None:
    """Show the day's reminders as a desktop notification when the desktop has a tray.

    Only counts go into the message (no names or note text: notifications can be shown on a
    locked screen). Returns the tray icon (keep a reference), or None when nothing was shown.
    """
    if today.empty or not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(icon or QIcon(), parent)
    tray.show()
    if not QSystemTrayIcon.supportsMessages():
        tray.hide()
        return None
    tray.showMessage("CareerDesk", today.summary(), QSystemTrayIcon.MessageIcon.Information,
                     10_000)
    return tray
