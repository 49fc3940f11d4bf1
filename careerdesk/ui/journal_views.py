"""Puts the journal, timeline, plan, search and dashboard views into the main window.

``install_views(window)`` adds them through :meth:`MainWindow.add_view` once, rebinds them to
each journal the window opens (``journal_loaded``) and connects their "open this" signals to the
window: a search hit, a timeline item or a dashboard line opens where it was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

from careerdesk.ui.dashboard_view import DashboardView, notify_today
from careerdesk.ui.journal_view import JournalView
from careerdesk.ui.plan_view import PlanView
from careerdesk.ui.search_panel import SearchPanel
from careerdesk.ui.timeline_view import TimelineView

NOTIFY_AFTER_MS = 3000

if TYPE_CHECKING:
    from careerdesk.services import Services
    from careerdesk.ui.main_window import MainWindow


class JournalViews(QObject):
    """The five views of issue 6, owned by the main window."""

    def __init__(self, window: MainWindow, *, notify: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.notify = notify
        self._tray: object | None = None
        self._pending: dict[QObject, Services] = {}
        self.dashboard = DashboardView()
        self.journal = JournalView(edits=window.edits)
        self.timeline = TimelineView()
        self.plan = PlanView(edits=window.edits)
        self.search = SearchPanel()
        window.add_view("dashboard", window.tr("&Today and team"), self.dashboard, "Ctrl+3")
        window.add_view("journal", window.tr("&Journal"), self.journal, "Ctrl+J")
        timeline = window.add_view("timeline", window.tr("T&imeline of this person"),
                                   self.timeline, "Ctrl+T")
        plan = window.add_view("plan", window.tr("&Plan of this person"), self.plan, "Ctrl+P")
        # These two show the person the window is on when they are opened.
        timeline.triggered.connect(lambda _checked=False: self._current(self.timeline))
        plan.triggered.connect(lambda _checked=False: self._current(self.plan))
        window.add_view("search", window.tr("&Search"), self.search)  # Ctrl+F: window.find
        for view in (self.dashboard, self.search):
            view.person_requested.connect(window.open_person)
        self.search.conversation_requested.connect(window.open_conversation)
        self.search.entry_requested.connect(self.open_entry)
        self.search.action_requested.connect(self.open_action)
        self.timeline.conversation_requested.connect(window.open_conversation)
        self.timeline.entry_requested.connect(self.open_entry)
        self.timeline.action_requested.connect(self.open_action)
        self.dashboard.action_requested.connect(self.open_action)
        self.journal.entry_changed.connect(lambda _id: self.search.refresh_filters())
        for lazy_view in (self.dashboard, self.journal, self.search):
            lazy_view.installEventFilter(self)
        # Deleting a person removes every trace, from the screen too: the views read again.
        window.person_deleted.connect(lambda _id: self.reload())
        window.follow_journal(self.attach)

    def attach(self, services: Services) -> None:
        self._set_services(services)
        if self.notify:
            # Reminders are worked out once the journal is on screen, not before.
            QTimer.singleShot(NOTIFY_AFTER_MS, lambda: self._notify(services))

    def _notify(self, services: Services) -> None:
        if self.window.services is services:
            self._tray = notify_today(services.reminders.today(), parent=self.window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.Show and watched in self._pending:
            view = watched
            services = self._pending.pop(view)
            view.set_services(services)  # type: ignore[attr-defined]
        return False

    def _set_services(self, services: Services) -> None:
        # The dashboard (reminders for everyone), the journal and the search filters read a
        # lot: a hidden one reads when it is first shown, so opening a journal stays quick.
        lazy: tuple[DashboardView | JournalView | SearchPanel, ...] = (
            self.dashboard, self.journal, self.search)
        for view in lazy:
            if view.isVisible():
                self._pending.pop(view, None)
                view.set_services(services)
            else:
                self._pending[view] = services
        self.timeline.set_services(services)
        self.plan.set_services(services)

    def reload(self) -> None:
        """Read everything again (a person was deleted: nothing of them stays on screen)."""
        if self.window.services is not None:
            self._set_services(self.window.services)

    def _current(self, view: TimelineView | PlanView) -> None:
        person_id = self.window.current_person_id
        if person_id is not None and self.window.services is not None:
            view.show_person(person_id)

    def open_entry(self, entry_id: str) -> None:
        self.window.show_view("journal")
        self.journal.open_entry(entry_id)

    def open_action(self, person_id: str, action_id: str) -> None:
        self.window.show_view("plan")
        self.plan.show_person(person_id, action_id=action_id)

    def show_timeline(self, person_id: str) -> None:
        self.window.show_view("timeline")
        self.timeline.show_person(person_id)

    def show_plan(self, person_id: str) -> None:
        self.window.show_view("plan")
        self.plan.show_person(person_id)


def install_views(window: MainWindow, *, notify: bool = True) -> JournalViews:
    """Add the views to ``window`` (call once, right after the window is made)."""
    return JournalViews(window, notify=notify)
