"""The main window: people on the side, a content area, menus, toolbar, save state.

The window is built in two steps so that it is on screen as early as possible (issue 4). The
*frame* is what the first paint shows: the window at its remembered size, the menu bar, the
toolbar, the people list (empty) and the status bar saying the journal is being opened; it uses
only Qt classes that cost nothing to import. :meth:`MainWindow.complete` then adds everything
else (the people model, the person page, actions and shortcuts, icons, the save banner); the
application calls it right after the first paint, tests get it at once (``complete=True``).
:meth:`attach` hands the window the open journal's services. Views written elsewhere (timeline,
journal, plan, search, dashboard) join the content area through :meth:`MainWindow.add_view`.

This module is on the start-up path: the rest of CareerDesk is imported inside the methods that
need it, and ``Qt`` (PySide creates that namespace's many enums when first touched, ~20 ms) is
not touched before :meth:`complete`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from careerdesk import APP_NAME

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QModelIndex, QSortFilterProxyModel
    from PySide6.QtGui import QCloseEvent, QResizeEvent, QUndoStack

    from careerdesk.domain.model import UsageMode
    from careerdesk.services import Services
    from careerdesk.ui.autosave import AutosaveQueue, SaveState
    from careerdesk.ui.edits import EditStack
    from careerdesk.ui.edits.notice import UndoNotice
    from careerdesk.ui.exchange_actions import ExchangeActions
    from careerdesk.ui.export_actions import ExportActions
    from careerdesk.ui.people_model import PeopleListModel
    from careerdesk.ui.person_page import PersonPage
    from careerdesk.ui.read_only import ReadOnlyState
    from careerdesk.ui.save_banner import SaveBanner
    from careerdesk.ui.wizard import ConversationWizard

WELCOME_KEY = "welcome"
PERSON_KEY = "person"
CONVERSATION_KEY = "conversation"
TOOLBAR_HEIGHT_KEY = "window/toolbar_height"
#: The first window's share of the screen's available area (its size is remembered after).
FIRST_WINDOW_SHARE = 0.8


class MainWindow(QMainWindow):
    """The CareerDesk main window."""

    person_opened = Signal(str)
    conversation_opened = Signal(str)
    journal_loaded = Signal(object)  # Services: views written elsewhere build themselves here
    person_deleted = Signal(str)  # every view showing them must forget them

    # Made by complete(): the frame shown at the first paint does without them.
    autosave: AutosaveQueue
    undo_stack: QUndoStack
    edits: EditStack
    undo_notice: UndoNotice
    usage_mode: UsageMode
    people_model: PeopleListModel
    people_proxy: QSortFilterProxyModel
    person_page: PersonPage
    banner: SaveBanner
    welcome: QLabel
    export_actions: ExportActions
    exchange_actions: ExchangeActions
    #: The read-only banner and File ▸ Save a Copy… (ui/read_only.py), made at the first attach.
    read_only_state: ReadOnlyState | None = None
    #: Whether complete() has run (Qt calls changeEvent() before __init__ is through).
    _completed = False
    _journal_language = "en"

    def __init__(self, *, journal_path: Path | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None, complete: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.setObjectName("MainWindow")
        self.journal_path = journal_path
        self.qsettings = settings
        self.services: Services | None = None
        self.current_person_id: str | None = None
        self._wizard: ConversationWizard | None = None
        self._views: dict[str, tuple[str, QWidget, QAction]] = {}
        self.on_journal_open: Callable[[Path], bool] | None = None  # set by the application
        #: Called before the journal is closed (e.g. to let a background check finish).
        self.before_close_journal: list[Callable[[], None]] = []
        #: Passphrase actions shown in Preferences too (filled by ui/security.py).
        self.security_actions: list[QAction] = []
        #: The services of the journal closed last (see attach).
        self._closed_services: Services | None = None

        self._build_frame()
        self._restore_geometry()
        if complete:
            self.complete()

    @property
    def completed(self) -> bool:
        """Whether :meth:`complete` has run (the window is more than its frame)."""
        return self._completed

    # -- building ----------------------------------------------------------------------------
    def _build_frame(self) -> None:
        """What the first paint shows: the window's layout, with nothing in it yet."""
        # Horizontal by default. The keyword matters: QSplitter(self) makes PySide try the
        # (Qt.Orientation, parent) overload first, which creates the whole Qt namespace (~20 ms).
        self.splitter = QSplitter(parent=self)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.setChildrenCollapsible(False)

        side = QWidget(self.splitter)
        self.side_layout = QVBoxLayout(side)
        self.side_layout.setContentsMargins(0, 0, 0, 0)
        self.filter_edit = QLineEdit(side)
        self.filter_edit.setPlaceholderText(self.tr("Find a person"))
        self.filter_edit.setAccessibleName(self.tr("Find a person"))
        self.filter_edit.setClearButtonEnabled(True)
        self.side_layout.addWidget(self.filter_edit)
        self.people_view = QListView(side)
        self.people_view.setAccessibleName(self.tr("People"))
        self.people_view.setUniformItemSizes(True)
        self.side_layout.addWidget(self.people_view, 1)
        self.side_panel = side

        right = QWidget(self.splitter)
        self.right_layout = QVBoxLayout(right)
        self.right_layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(right)
        self.stack.setObjectName("ContentStack")
        self.right_layout.addWidget(self.stack, 1)
        self.splitter.addWidget(side)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        width = self.fontMetrics().horizontalAdvance("M")
        self.splitter.setSizes([width * 22, width * 60])
        self.setCentralWidget(self.splitter)

        self.save_label = QLabel(self.tr("Opening your journal…"), self)
        self.save_label.setAccessibleName(self.tr("Save state"))
        self.statusBar().addPermanentWidget(self.save_label)

        bar = self.menuBar()
        self.file_menu = bar.addMenu(self.tr("&File"))
        self.edit_menu = bar.addMenu(self.tr("&Edit"))
        self.people_menu = bar.addMenu(self.tr("&People"))
        self.view_menu = bar.addMenu(self.tr("&View"))
        self.help_menu = bar.addMenu(self.tr("&Help"))
        # There from the start, so that restoreState() finds it where the user left it.
        self.toolbar = QToolBar(self.tr("Main toolbar"), self)
        self.toolbar.setObjectName("MainToolbar")
        self.addToolBar(self.toolbar)
        # Empty, it would be a thin strip that jumps to its full height when its buttons come:
        # keep the height it had last time until then.
        height = self.qsettings.value(TOOLBAR_HEIGHT_KEY) if self.qsettings is not None else None
        if isinstance(height, (int, str)) and str(height).isdigit():
            self.toolbar.setMinimumHeight(int(height))

    def complete(self) -> None:
        """Build everything the frame does without; once (the application calls it after the
        first paint, before the journal is attached)."""
        if self._completed:
            return
        from PySide6.QtCore import QSortFilterProxyModel, Qt
        from PySide6.QtGui import QUndoStack

        from careerdesk.domain.model import UsageMode
        from careerdesk.ui import plurals
        from careerdesk.ui.autosave import AutosaveQueue
        from careerdesk.ui.edits import EditStack
        from careerdesk.ui.edits.notice import UndoNotice
        from careerdesk.ui.people_model import PeopleListModel, PersonDelegate
        from careerdesk.ui.person_page import PersonPage
        from careerdesk.ui.save_banner import SaveBanner

        plurals.install()  # "1 entry", "2 entries": English numerus forms for tr(..., n)
        self.usage_mode = UsageMode.BOTH
        self.autosave = AutosaveQueue(self)
        self.undo_stack = QUndoStack(self)
        self.edits = EditStack(self.autosave, self.undo_stack, self)
        self.undo_notice = UndoNotice(self.edits, self)
        self.statusBar().addWidget(self.undo_notice)

        self.people_model = PeopleListModel(self)
        self.people_proxy = QSortFilterProxyModel(self)
        self.people_proxy.setSourceModel(self.people_model)
        self.people_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit.textChanged.connect(self.people_proxy.setFilterFixedString)
        self.filter_edit.returnPressed.connect(self._focus_people)
        self.people_view.setModel(self.people_proxy)
        self.people_view.setItemDelegate(PersonDelegate(self.people_view))
        self.people_view.selectionModel().currentChanged.connect(self._person_selected)

        self.banner = SaveBanner(self.right_layout.parentWidget())
        self.banner.retry_requested.connect(self.autosave.flush)
        self.right_layout.insertWidget(0, self.banner)
        self.welcome = QLabel(self.stack)
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setWordWrap(True)
        self.stack.addWidget(self.welcome)
        self.person_page = PersonPage(self.stack)
        self.person_page.new_conversation_requested.connect(self.new_conversation)
        self.person_page.edit_requested.connect(self.edit_person)
        self.person_page.conversation_requested.connect(self.open_conversation)
        self.stack.addWidget(self.person_page)

        self._build_actions()
        self._build_menus()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setMinimumHeight(0)
        self.people_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._roster_folded = False  # folded away by the layout, not by the user
        self.people_list_action.toggled.connect(self._roster_toggled)
        self.stack.currentChanged.connect(lambda _index: self.adapt_layout())
        self.autosave.state_changed.connect(self._save_state_changed)
        self.autosave.rejected.connect(
            lambda message: self.statusBar().showMessage(
                self.tr("Not saved: {0}").format(message), 10_000))
        self._completed = True
        self.adapt_layout()
        self._update_actions()  # the status bar says "Opening your journal…" until attach()

    def _action(self, text: str, slot: Callable[[], object], *,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            sequence = QKeySequence(shortcut)
            action.setShortcut(sequence)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even when menus are hidden
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.new_conversation_action = a(
            self.tr("&New conversation…"), self.new_conversation,
            shortcut=QKeySequence.StandardKey.New,
            tip=self.tr("Start a conversation with the selected person"))
        self.open_action = a(self.tr("&Open journal…"), self.open_other_journal,
                             shortcut=QKeySequence.StandardKey.Open)
        self.quit_action = a(self.tr("&Quit"), self.close,
                             shortcut=_standard(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.find_action = a(self.tr("&Find…"), self.find_anything,
                             shortcut=QKeySequence.StandardKey.Find)
        self.preferences_action = a(
            self.tr("&Preferences…"), self.edit_preferences,
            shortcut=_standard(QKeySequence.StandardKey.Preferences, "Ctrl+,"))
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.new_person_action = a(self.tr("&Add person…"), self.add_person,
                                   shortcut="Ctrl+Shift+N")
        self.edit_person_action = a(self.tr("&Edit person…"), self.edit_person, shortcut="F2")
        self.archive_person_action = a(self.tr("Ar&chive person"), self.archive_person)
        self.delete_person_action = a(self.tr("&Delete person…"), self.delete_person,
                                      shortcut="Ctrl+Shift+Delete")
        self.show_archived_action = QAction(self.tr("Show &archived people"), self)
        self.show_archived_action.setCheckable(True)
        self.show_archived_action.toggled.connect(lambda _on: self.refresh_people())
        self.people_list_action = QAction(self.tr("&People list"), self)
        self.people_list_action.setCheckable(True)
        self.people_list_action.setChecked(True)
        self.people_list_action.setShortcut("Ctrl+Shift+L")
        self.people_list_action.toggled.connect(self.side_panel.setVisible)
        self.addAction(self.people_list_action)
        self.person_overview_action = a(self.tr("Person &overview"), self.show_person_page,
                                        shortcut="Ctrl+1")
        self.conversation_view_action = a(self.tr("&Conversation"), self.show_conversation_page,
                                          shortcut="Ctrl+2")
        self.next_stage_action = a(self.tr("Ne&xt stage"), self._next_stage,
                                   shortcut="Ctrl+PgDown")
        self.previous_stage_action = a(self.tr("Pre&vious stage"), self._previous_stage,
                                       shortcut="Ctrl+PgUp")
        # F6 moves between panes in most desktop apps; Ctrl+L is the lock (docs/security.md).
        self.people_focus_action = a(self.tr("Go to &people"), self._focus_people,
                                     shortcut="F6")

    def _build_menus(self) -> None:
        file_menu = self.file_menu
        file_menu.addAction(self.new_conversation_action)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        self.export_menu = file_menu.addMenu(self.tr("&Export"))
        self.export_menu.menuAction().setVisible(False)  # filled by the export feature
        from careerdesk.ui.export_actions import ExportActions

        self.export_actions = ExportActions(self)
        self.before_close_journal.append(self.export_actions.cancel_all)
        file_menu.addSeparator()
        from careerdesk.ui.exchange_actions import ExchangeActions  # adds its File items

        self.exchange_actions = ExchangeActions(self)
        self.person_page.calendar_requested.connect(self.exchange_actions.export_calendar)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.edit_menu
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
        people_menu = self.people_menu
        for action in (self.new_person_action, self.edit_person_action,
                       self.archive_person_action, self.delete_person_action):
            people_menu.addAction(action)
        people_menu.addSeparator()
        people_menu.addAction(self.show_archived_action)
        self.view_menu.addAction(self.people_list_action)
        self.view_menu.addAction(self.people_focus_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.person_overview_action)
        self.view_menu.addAction(self.conversation_view_action)
        self.view_menu.addAction(self.previous_stage_action)
        self.view_menu.addAction(self.next_stage_action)
        self._views_separator = self.view_menu.addSeparator()
        self.open_data_folder_action = self._action(
            self.tr("Open &Data Folder"), self.open_data_folder,
            tip=self.tr("Show the folder holding this journal file"))
        self.help_menu.addAction(self.open_data_folder_action)
        self.help_menu.addSeparator()
        self.about_action = self._action(self.tr("&About CareerDesk"), self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addAction(self.about_action)
        self._set_action_icons()

        self.toolbar.addAction(self.new_conversation_action)
        self.toolbar.addAction(self.new_person_action)
        self.toolbar.addAction(self.find_action)

    # -- views hosted in the content area --------------------------------------------------
    def add_view(self, key: str, title: str, widget: QWidget,
                 shortcut: QKeySequence | str | None = None) -> QAction:
        """Host ``widget`` in the content area; returns the View-menu action that shows it."""
        if key in self._views:
            raise ValueError(f"a view called {key!r} is already there")
        self.stack.addWidget(widget)
        action = QAction(title, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False, k=key: self.show_view(k))
        self.addAction(action)
        self.view_menu.addAction(action)
        self._views[key] = (title, widget, action)
        if key == "search":  # Find opens the search panel once it exists
            self.find_action.setToolTip(title)
        return action

    def show_view(self, key: str) -> QWidget:
        self.autosave.flush()
        if key == PERSON_KEY:
            self.stack.setCurrentWidget(self.person_page)
            return self.person_page
        if key == CONVERSATION_KEY and self._wizard is not None:
            self.stack.setCurrentWidget(self._wizard)
            return self._wizard
        _title, widget, _action = self._views[key]
        self.stack.setCurrentWidget(widget)
        return widget

    def view(self, key: str) -> QWidget | None:
        entry = self._views.get(key)
        return None if entry is None else entry[1]

    # -- the journal -----------------------------------------------------------------------
    def attach(self, services: Services, *, ask_first_start: bool = True) -> None:
        """Show the journal ``services`` works on (called once the journal is open)."""
        from careerdesk.domain.model import UsageMode
        from careerdesk.services.settings import LANGUAGE, USAGE_MODE

        self.complete()
        closed, self._closed_services = self._closed_services, None
        if closed is not None and closed.journal.path == services.journal.path:
            # The same file again (unlocked, restored): keep the services everything already
            # holds, edits queued for autosave included, and point them at the open journal.
            closed.rebind(services.journal)
            services = closed
        elif self._wizard is not None:
            # Another journal: the wizard belongs to the old one.
            self.stack.removeWidget(self._wizard)
            self._wizard.deleteLater()
            self._wizard = None
        self.services = services
        self.journal_path = services.journal.path
        self._save_state_changed(self.autosave.state, self.autosave.message)  # not "Opening…"
        self.setWindowTitle(f"{services.journal.path.name} — {APP_NAME}")
        stored = services.settings.all()  # one read for the three below
        self._journal_language = str(stored.get(LANGUAGE) or "en")
        if stored.get(USAGE_MODE) is None and ask_first_start \
                and not services.journal.read_only:
            self._first_start()  # sets usage_mode
        else:
            mode = stored.get(USAGE_MODE)
            self.usage_mode = UsageMode(mode) if mode else UsageMode.BOTH
        self.people_model.me_label = self.tr("me")
        self.welcome.setText(self.tr(
            "Choose a person on the left, or add one with People ▸ Add person (Ctrl+Shift+N)."))
        self.apply_layout()
        from careerdesk.ui import read_only

        read_only.show_state(self)  # the banner and Save a Copy… of a read-only journal
        self.refresh_people()
        self._select_initial_person()
        self.journal_loaded.emit(services)

    def follow_journal(self, callback: Callable[[Services], object]) -> None:
        """Call ``callback(services)`` for every journal attached from now on, and at once for
        the one already open: parts of the window built after the journal (at start-up they
        come once it is on screen) catch up with it."""
        self.journal_loaded.connect(callback)
        if self.services is not None:
            callback(self.services)

    def _first_start(self) -> None:
        from careerdesk.domain.model import UsageMode
        from careerdesk.ui import dialogs
        from careerdesk.ui.people_dialogs import FirstStartDialog

        assert self.services is not None
        dialog = FirstStartDialog(self)
        if not dialogs.run_dialog(dialog):
            mode, name = UsageMode.BOTH, ""
        else:
            mode, name = dialog.form.mode, dialog.form.owner_name
        self._apply_usage(mode, name)

    def _apply_usage(self, mode: UsageMode, name: str) -> None:
        from careerdesk.domain.model import UsageMode
        from careerdesk.services.settings import OWNER_NAME, USAGE_MODE

        assert self.services is not None
        svc = self.services
        svc.settings.set(USAGE_MODE, mode.value)
        svc.settings.set(OWNER_NAME, name)
        me = svc.people.me()
        if mode in (UsageMode.OWN, UsageMode.BOTH):
            if me is None:
                svc.people.create(name or self.tr("Me"), is_me=True)
            elif name and me.name != name:
                svc.people.update(me.id, name=name)
        self.usage_mode = mode

    def apply_layout(self) -> None:
        """The layout follows the usage: one's own journal needs no roster."""
        from careerdesk.domain.model import UsageMode

        own = self.usage_mode is UsageMode.OWN
        self.side_panel.setVisible(not own)
        self.people_list_action.setChecked(not own)
        for action in (self.new_person_action, self.archive_person_action,
                       self.delete_person_action, self.show_archived_action):
            action.setVisible(not own)

    def refresh_people(self) -> None:
        from datetime import date

        from careerdesk.domain.model import UsageMode

        if self.services is None:
            return
        summaries = self.services.people.summaries(date.today())
        if self.show_archived_action.isChecked():
            active = {s.person.id for s in summaries}
            archived = [p for p in self.services.people.list(include_archived=True)
                        if p.id not in active]
            from careerdesk.services.people import PersonSummary

            summaries += [PersonSummary(p, None, None, 0, 0, 0) for p in archived]
        if self.usage_mode is UsageMode.OTHERS:
            summaries = [s for s in summaries if not s.person.is_me]
        current = self.current_person_id
        blocker = self.people_view.selectionModel().blockSignals(True)
        self.people_model.set_summaries(summaries)
        if current is not None:
            self._select_row_of(current)
        self.people_view.selectionModel().blockSignals(blocker)
        self._update_actions()

    def _select_row_of(self, person_id: str) -> bool:
        """Make ``person_id`` the roster's current row without reacting to it (no
        :meth:`open_person`); False when they are not listed."""
        row = self.people_model.row_of(person_id)
        if row < 0:
            return False
        index = self.people_proxy.mapFromSource(self.people_model.index(row, 0))
        selection = self.people_view.selectionModel()
        blocked = selection.blockSignals(True)
        self.people_view.setCurrentIndex(index)
        selection.blockSignals(blocked)
        return True

    def _select_initial_person(self) -> None:
        if self.people_model.rowCount() == 0:
            self.stack.setCurrentWidget(self.welcome)
            return
        target = self.people_model.summary(0).person.id
        if self.qsettings is not None:
            remembered = self.qsettings.value("last_person")
            if isinstance(remembered, str) and self.people_model.row_of(remembered) >= 0:
                target = remembered
        self.open_person(target)

    # -- people ----------------------------------------------------------------------------
    def _person_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        from careerdesk.ui.people_model import PERSON_ID_ROLE

        if current.isValid():
            self.open_person(str(current.data(PERSON_ID_ROLE)))

    @Slot(str)
    def open_person(self, person_id: str) -> None:
        """Show the overview of one person (flushes any pending edit first)."""
        if self.services is None:
            return
        self.autosave.flush()
        self.current_person_id = person_id
        row = self.people_model.row_of(person_id)
        if row < 0:
            self.refresh_people()
            row = self.people_model.row_of(person_id)
            if row < 0:
                return
        self._select_row_of(person_id)
        summary = self.people_model.summary(row)
        conversations = self.services.conversations.list_for(person_id)
        self.person_page.show_person(summary, conversations, stage_titles=self._stage_titles())
        self.stack.setCurrentWidget(self.person_page)
        if self.qsettings is not None:
            self.qsettings.setValue("last_person", person_id)
        self._update_actions()
        self.person_opened.emit(person_id)

    def _stage_titles(self) -> dict[str, str]:
        from careerdesk.errors import CareerDeskError

        try:
            from careerdesk.content.files import stage_titles

            return stage_titles(self._language())  # stages.toml only, not all the content
        except (ImportError, CareerDeskError):
            return {}

    def _language(self) -> str:
        """The journal's content language (read once per attach: nothing in the window
        changes it)."""
        return self._journal_language if self.services is not None else "en"

    def _person_dialog_values(self, person_id: str | None) -> dict[str, object] | None:
        from careerdesk.ui import dialogs
        from careerdesk.ui.people_dialogs import PersonDialog

        assert self.services is not None
        person = self.services.people.get(person_id) if person_id else None
        dialog = PersonDialog(person, self)
        if not dialogs.run_dialog(dialog):
            return None
        return dialog.values()

    def add_person(self) -> None:
        from careerdesk.errors import CareerDeskError
        from careerdesk.ui import dialogs
        from careerdesk.ui.edits import Edit, EditKey, record_reader, record_writer

        if self.services is None:
            return
        values = self._person_dialog_values(None)
        if values is None:
            return
        people = self.services.people
        try:
            person = people.create(**values)  # type: ignore[arg-type]
        except CareerDeskError as exc:
            dialogs.warn(self, self.tr("Add a person"), exc.user_message, detail=exc.hint)
            return
        self.edits.push(Edit(self.tr("Add person"), EditKey("person", person.id,
                                                            person_id=person.id),
                             None, person, record_writer(person.id, people.restore,
                                                         self._remove_new_person),
                             read=record_reader(lambda: people.get(person.id))),
                        refresh=self._people_undone, written=True)
        self.refresh_people()
        self.open_person(person.id)

    def edit_person(self) -> None:
        from careerdesk.errors import CareerDeskError
        from careerdesk.ui import dialogs
        from careerdesk.ui.edits import Edit, EditKey

        if self.services is None or self.current_person_id is None:
            return
        values = self._person_dialog_values(self.current_person_id)
        if values is None:
            return
        people, person_id = self.services.people, self.current_person_id
        before = people.get(person_id)
        try:
            after = people.update(person_id, **values)
        except CareerDeskError as exc:
            dialogs.warn(self, self.tr("Edit person"), exc.user_message, detail=exc.hint)
            return
        self.edits.push(Edit(self.tr("Edit person"), EditKey("person", person_id, "details",
                                                             person_id=person_id),
                             before, after, people.restore),
                        refresh=self._people_undone, written=True)
        self.refresh_people()
        self.open_person(person_id)

    def _remove_new_person(self, person_id: str) -> None:
        """Undoing "Add person": only while nothing has been written about them since (undo
        never deletes a conversation or a note)."""
        from careerdesk.errors import InvalidInputError

        assert self.services is not None
        services = self.services
        if (services.conversations.list_for(person_id) or services.entries.list(person_id)
                or services.plan.actions_for(person_id)):
            raise InvalidInputError(self.tr(
                "They have conversations or notes now; archive or delete them instead."))
        services.people.delete(person_id)

    def archive_person(self) -> None:
        from careerdesk.ui.edits import EditKey

        if self.services is None or self.current_person_id is None:
            return
        people = self.services.people
        person = people.get(self.current_person_id)
        self.autosave.flush()
        label = self.tr("Restore person") if person.archived else self.tr("Archive person")
        self.edits.change(label, EditKey("person", person.id, "archived", person_id=person.id),
                          lambda archived: people.archive(person.id, archived=archived),
                          person.archived, not person.archived, refresh=self._people_undone)
        if not person.archived:
            self.undo_notice.show_message(self.tr("Archived {0}").format(person.name))
        self.current_person_id = None
        self.refresh_people()
        self._select_initial_person()

    def _people_undone(self) -> None:
        """After undoing or redoing a people edit: the roster and the page as stored."""
        if self.services is None:
            return
        shown = self.current_person_id
        self.refresh_people()
        if shown is not None and any(p.id == shown for p in self.services.people.list()):
            self.open_person(shown)
        else:
            self.current_person_id = None
            self._select_initial_person()

    def delete_person(self) -> None:
        from careerdesk.ui import dialogs

        if self.services is None or self.current_person_id is None:
            return
        person = self.services.people.get(self.current_person_id)
        if not dialogs.confirm(
            self, self.tr("Delete {0}?").format(person.name),
            self.tr("Delete {0} and everything about them?").format(person.name),
            detail=self.tr("Their conversations, notes, next steps and journal entries are "
                           "removed from this journal for good. Backups taken before now still "
                           "hold them."),
            action=self.tr("Delete"), destructive=True,
        ):
            return
        person_id = person.id
        self.edits.forget(person_id)
        self.autosave.flush()
        if self._wizard is not None and self._wizard.person_id == person_id:
            self._wizard.unload()
        self.undo_stack.clear()
        self.services.people.delete(person_id)
        self.current_person_id = None
        self.refresh_people()
        self._select_initial_person()
        self.person_deleted.emit(person_id)

    # -- conversations ---------------------------------------------------------------------
    def _ensure_wizard(self) -> ConversationWizard:
        from careerdesk.domain.model import StageId

        if self._wizard is None:
            from careerdesk.ui.wizard import ConversationWizard
            from careerdesk.ui.wizard.pages import SummaryPage

            assert self.services is not None
            self._wizard = ConversationWizard(
                self.services, self.edits, language=self._language(),
                parent=self.stack,
            )
            self._wizard.conversation_changed.connect(self._conversation_changed)
            self._wizard.stage_changed.connect(lambda _stage: self._update_stage_actions())
            self.stack.addWidget(self._wizard)
            summary = self._wizard.page(StageId.SUMMARY)
            if isinstance(summary, SummaryPage):
                self.export_actions.attach_summary(summary)
        return self._wizard

    @property
    def wizard(self) -> ConversationWizard | None:
        return self._wizard

    @Slot(str)
    def open_conversation(self, conversation_id: str) -> None:
        if self.services is None:
            return
        self.autosave.flush()
        conversation = self.services.conversations.get(conversation_id)
        if conversation.person_id != self.current_person_id:
            self.current_person_id = conversation.person_id
            # Select them: the roster's figures have not changed (~25 ms to read again), unless
            # they are not listed (archived, filtered out).
            if not self._select_row_of(conversation.person_id):
                self.refresh_people()
        wizard = self._ensure_wizard()
        wizard.load(conversation_id)
        self.stack.setCurrentWidget(wizard)
        wizard.focus_stage_list()
        self._update_actions()
        self.conversation_opened.emit(conversation_id)

    def new_conversation(self) -> None:
        from datetime import date

        from careerdesk.ui import dialogs

        if self.services is None:
            return
        if self.current_person_id is None:
            dialogs.inform(self, self.tr("New conversation"),
                           self.tr("Choose or add a person first."))
            return
        from careerdesk.ui.wizard.carry_over import CarryOverDialog

        self.autosave.flush()
        person_id = self.current_person_id
        carry = self.services.conversations.carry_over(person_id)
        prompt_ids: list[str] = []
        action_ids: list[str] = []
        if carry.unasked or carry.open_actions:
            dialog = CarryOverDialog(carry, language=self._language(), parent=self)
            if not dialogs.run_dialog(dialog):
                return
            prompt_ids, action_ids = dialog.chosen_prompt_ids(), dialog.chosen_action_ids()
        method_pack = carry.previous.method_pack if carry.previous else "default"
        conversation = self.services.conversations.start(
            person_id, date.today(), method_pack=method_pack,
            carry_prompt_ids=prompt_ids, carry_action_ids=action_ids,
        )
        self.refresh_people()
        self.open_conversation(conversation.id)

    def _conversation_changed(self) -> None:
        # The roster's counts follow the plan; refresh them without losing the selection.
        self.refresh_people()

    def show_person_page(self) -> None:
        if self.current_person_id is not None:
            self.open_person(self.current_person_id)

    def show_conversation_page(self) -> None:
        if self._wizard is not None and self._wizard.conversation_id is not None:
            self.autosave.flush()
            self.stack.setCurrentWidget(self._wizard)

    def _next_stage(self) -> None:
        if self._wizard is not None and self.stack.currentWidget() is self._wizard:
            self._wizard.go_next()

    def _previous_stage(self) -> None:
        if self._wizard is not None and self.stack.currentWidget() is self._wizard:
            self._wizard.go_back()

    # -- other actions ---------------------------------------------------------------------
    def find_anything(self) -> None:
        if "search" in self._views:
            widget = self.show_view("search")
            focus = getattr(widget, "focus_query", None)
            if callable(focus):
                focus()
            else:
                widget.setFocus()
            return
        self.side_panel.setVisible(True)
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _focus_people(self) -> None:
        self.side_panel.setVisible(True)
        self.people_view.setFocus()
        if not self.people_view.currentIndex().isValid() and self.people_proxy.rowCount():
            self.people_view.setCurrentIndex(self.people_proxy.index(0, 0))

    def edit_preferences(self) -> None:
        from careerdesk.errors import CareerDeskError
        from careerdesk.ui import dialogs

        if self.services is None:
            return
        from careerdesk.ui.people_dialogs import PreferencesDialog

        settings = self.services.settings
        dialog = PreferencesDialog(mode=settings.usage_mode,
                                   owner_name=settings.owner_name, parent=self,
                                   security_actions=self.security_actions,
                                   neutral_export_names=settings.neutral_export_names,
                                   organisation_name=settings.organisation_name,
                                   organisation_logo=settings.organisation_logo)
        if not dialogs.run_dialog(dialog):
            return
        neutral = dialog.neutral_names_box.isChecked()
        try:
            if neutral != settings.neutral_export_names:
                from careerdesk.services.settings import NEUTRAL_EXPORT_NAMES

                settings.set(NEUTRAL_EXPORT_NAMES, neutral)
            settings.set_organisation_name(dialog.organisation_name)
            settings.set_organisation_logo(dialog.logo)
        except CareerDeskError as exc:
            dialogs.warn(self, self.tr("Preferences"), exc.user_message)
        self._apply_usage(dialog.form.mode, dialog.form.owner_name)
        self.apply_layout()
        self.refresh_people()
        if self.current_person_id is None or self.people_model.row_of(
                self.current_person_id) < 0:
            self.current_person_id = None
            self._select_initial_person()

    def open_other_journal(self) -> None:
        """File ▸ Open: choose a journal file and open it in this window."""
        from careerdesk.ui import dialogs

        path = dialogs.open_journal_file(self, self.journal_path.parent
                                         if self.journal_path else None)
        if path is not None:
            self.open_journal_file(path)

    def open_journal_file(self, path: Path) -> bool:
        """Open ``path`` in this window instead of the journal shown (File ▸ Open, a file
        opened from the desktop); False when it stays as it is."""
        from careerdesk.ui import dialogs

        if self.on_journal_open is None:
            return False
        if self.journal_path is not None and path.absolute() == self.journal_path.absolute() \
                and self.services is not None:
            self.raise_()
            self.activateWindow()
            return True  # already open here
        if not self.autosave.flush():
            dialogs.warn(self, self.tr("Open journal"), self.tr(
                "The last changes could not be saved yet, so this journal stays open."))
            return False
        return self.on_journal_open(path)

    def show_about(self) -> None:
        from careerdesk.ui import dialogs
        from careerdesk.ui.about import AboutDialog

        dialogs.run_dialog(AboutDialog(self, data_file=self.journal_path))

    def open_data_folder(self) -> None:
        """Help ▸ Open Data Folder: the folder of the open journal, else the default one."""
        from careerdesk.paths import app_paths
        from careerdesk.ui.about import open_containing_folder

        open_containing_folder(self.journal_path or app_paths().default_journal)

    def _set_action_icons(self) -> None:
        """Theme icons where the desktop has them, else the bundled ones in its palette."""
        from careerdesk.ui.icons import theme_icon

        for action, name in ((self.new_conversation_action, "new-conversation"),
                             (self.new_person_action, "person-add"),
                             (self.find_action, "find"),
                             (self.preferences_action, "preferences")):
            action.setIcon(theme_icon(name))

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        if self._completed:
            from PySide6.QtCore import QEvent

            if event.type() == QEvent.Type.PaletteChange:
                self._set_action_icons()  # bundled icons are drawn in the palette's text colour
        super().changeEvent(event)

    def _update_actions(self) -> None:
        if not self._completed:
            return
        has_person = self.services is not None and self.current_person_id is not None
        for action in (self.new_conversation_action, self.edit_person_action,
                       self.archive_person_action, self.delete_person_action,
                       self.person_overview_action):
            action.setEnabled(has_person)
        in_wizard = self._wizard is not None and self._wizard.conversation_id is not None
        self.conversation_view_action.setEnabled(in_wizard)
        self._update_stage_actions()
        self.new_person_action.setEnabled(self.services is not None)
        self.preferences_action.setEnabled(self.services is not None)
        self.export_actions.update_enabled()

    def _update_stage_actions(self) -> None:
        """Next and previous stage follow the wizard's own buttons (no Next on the last)."""
        wizard = self._wizard
        in_wizard = wizard is not None and wizard.conversation_id is not None
        self.next_stage_action.setEnabled(in_wizard and wizard is not None
                                          and wizard.next_button.isEnabled())
        self.previous_stage_action.setEnabled(in_wizard and wizard is not None
                                              and wizard.back_button.isEnabled())

    # -- save state ------------------------------------------------------------------------
    def _save_state_changed(self, state: SaveState, message: str) -> None:
        from careerdesk.ui.autosave import SaveState

        texts = {
            SaveState.SAVED: self.tr("Saved"),
            SaveState.PENDING: self.tr("Saving…"),
            SaveState.SAVING: self.tr("Saving…"),
            SaveState.FAILED: self.tr("Not saved: {0}").format(message),
        }
        self.save_label.setText(texts[state])
        if state is SaveState.FAILED:
            self.banner.show_problem(message)
        elif state is SaveState.SAVED:
            self.banner.hide()

    # -- geometry and closing ----------------------------------------------------------------
    def _restore_geometry(self) -> None:
        # The first time: about 80 % of the screen's available area (a fixed size was a small
        # window on a large screen and too wide for a small one); after that, as it was left.
        area = self.screen().availableGeometry()
        self.resize(int(area.width() * FIRST_WINDOW_SHARE),
                    int(area.height() * FIRST_WINDOW_SHARE))
        if self.qsettings is None:
            return
        geometry = self.qsettings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.qsettings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = self.qsettings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def adapt_layout(self) -> None:
        """Fold the people list away while a conversation is open in a narrow window, narrow
        it otherwise (breakpoints: ui/layout.py); unfold it when there is room again."""
        if not self._completed:
            return  # the frame (first paint) imports nothing more
        from careerdesk.ui import layout

        em = layout.em(self)
        low, high = layout.ROSTER_EM
        self.side_panel.setMinimumWidth(low * em)
        self.side_panel.setMaximumWidth(high * em)
        conversation = self._wizard is not None and self.stack.currentWidget() is self._wizard
        fold = conversation and layout.narrower_than(self, self.width(), layout.ROSTER_FOLDS_EM)
        if fold and self.people_list_action.isChecked():
            self.people_list_action.setChecked(False)
            self._roster_folded = True
        elif not fold and self._roster_folded:
            self.people_list_action.setChecked(True)  # clears the flag through _roster_toggled

    def _roster_toggled(self, shown: bool) -> None:
        self._roster_folded = False  # the user (or the layout, which sets it after) decided

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self.adapt_layout()

    def save_geometry(self) -> None:
        if self.qsettings is None:
            return
        self.qsettings.setValue("window/geometry", self.saveGeometry())
        self.qsettings.setValue("window/state", self.saveState())
        self.qsettings.setValue("window/splitter", self.splitter.saveState())
        if self._completed and self.toolbar.isVisible():
            self.qsettings.setValue(TOOLBAR_HEIGHT_KEY, self.toolbar.height())
        if self._wizard is not None:
            self._wizard.save_layout(self.qsettings)
        self.qsettings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        from careerdesk.ui import dialogs

        if self._completed and not self.autosave.flush() and not dialogs.confirm(
            self, self.tr("Quit without saving?"),
            self.tr("The last changes could not be saved: {0}").format(self.autosave.message),
            detail=self.tr("If you quit now, they are lost. Cancel keeps CareerDesk open and "
                           "keeps trying."),
            action=self.tr("Quit anyway"), destructive=True,
        ):
            event.ignore()
            return
        self.save_geometry()
        self.close_journal()
        event.accept()

    def close_journal(self) -> None:
        if self.services is None:
            return
        for hook in self.before_close_journal:
            hook()
        services, self.services = self.services, None
        self._closed_services = services
        if self._wizard is not None:
            self._wizard.unload()
        self.undo_stack.clear()
        services.journal.close()
        problem = services.journal.close_problem  # a full disk at the last checkpoint
        if problem is not None:
            import sys

            print(f"careerdesk: {problem}", file=sys.stderr)
            if self.isVisible():
                from careerdesk.ui import dialogs

                dialogs.warn(self, APP_NAME, problem.user_message, detail=problem.hint)


def _standard(key: QKeySequence.StandardKey, fallback: str) -> QKeySequence:
    """The platform's standard shortcut, or ``fallback`` where the platform has none (some
    desktops define no Quit or Preferences key)."""
    sequence = QKeySequence(key)
    return sequence if not sequence.isEmpty() else QKeySequence(fallback)
