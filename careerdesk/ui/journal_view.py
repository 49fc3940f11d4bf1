"""The private career journal: dated entries with title, body, tags and a private switch.

A list on the left (filtered by person, tag and dates), an editor on the right. Every edit is
queued in the shared :class:`~careerdesk.ui.autosave.AutosaveQueue` under a key that names the
entry and the field, so switching entries never writes text into the wrong one. New entries are
private by default and can start from a prompt ("reflect on this week", or any question of the
question bank, in the employee's wording).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from careerdesk.errors import CareerDeskError
from careerdesk.ui import dialogs
from careerdesk.ui.autosave import AutosaveQueue
from careerdesk.ui.common.date_field import DateField
from careerdesk.ui.edits import Edit, EditKey, EditStack, record_reader, record_writer
from careerdesk.ui.private_style import (
    PRIVATE_ROLE,
    lock_icon,
    private_role_rule,
    private_word,
    set_private_look,
    style_private_rows,
)

if TYPE_CHECKING:
    from careerdesk.domain.model import JournalEntry
    from careerdesk.services import Services

AnyIndex = QModelIndex | QPersistentModelIndex
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
EVERYONE = "*"
WEEKLY_PROMPT_ID = "journal.reflect_week"
WEEKLY_TITLE = "Reflection on the week"
WEEKLY_BODY = (
    "What went well this week, and what did I learn?\n\n"
    "What drained me, and what energised me?\n\n"
    "What is one small step for my career next week?\n"
)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def parse_tags(text: str) -> list[str]:
    """Tags typed as "growth, career path" (commas separate; '#' is optional)."""
    return [t.strip().lstrip("#").strip() for t in text.split(",") if t.strip().lstrip("#")]


class EntryListModel(QAbstractListModel):
    """One row per journal entry, newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[JournalEntry] = []

    def set_entries(self, entries: list[JournalEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> JournalEntry:
        return self._entries[row]

    def row_of(self, entry_id: str) -> int:
        for row, entry in enumerate(self._entries):
            if entry.id == entry_id:
                return row
        return -1

    def replace(self, entry: JournalEntry) -> None:
        """Show the saved state of one entry (its title may have changed)."""
        row = self.row_of(entry.id)
        if row >= 0:
            self._entries[row] = entry
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 # Qt override
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            title = entry.title.strip() or _first_line(entry.body) or "(untitled)"
            private = f"  · {private_word()}" if entry.private else ""  # the private style
            return f"{entry.entry_date.isoformat()}  {title}{private}"
        if role == PRIVATE_ROLE:
            return entry.private
        if role == Qt.ItemDataRole.ToolTipRole:
            tags = ", ".join(entry.tags)
            return f"{entry.title or 'Untitled'}\n{tags}" if tags else entry.title or "Untitled"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            private = ", private" if entry.private else ""
            return f"{entry.entry_date.isoformat()}, {entry.title or 'untitled'}{private}"
        if role == ENTRY_ID_ROLE:
            return entry.id
        return None


def _first_line(text: str, limit: int = 60) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


class JournalView(QWidget):
    """The journal: entries of "me" (or of any person, as notes about them)."""

    person_requested = Signal(str)
    entry_changed = Signal(str)  # an entry was created, edited or deleted (search, timeline)

    def __init__(self, services: Services | None = None, *, autosave: AutosaveQueue | None = None,
                 edits: EditStack | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("JournalView")
        self.services: Services | None = None
        if edits is None:
            from PySide6.QtGui import QUndoStack

            queue = autosave if autosave is not None else AutosaveQueue(self)
            edits = EditStack(queue, QUndoStack(self), self)
        self.edits = edits
        self.autosave = edits.autosave
        self.current_id: str | None = None
        self.current_person_id: str | None = None
        self._build()
        if services is not None:
            self.set_services(services)

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.person_combo = QComboBox(self)
        self.person_combo.setAccessibleName(self.tr("Whose journal"))
        self.tag_combo = QComboBox(self)
        self.tag_combo.setAccessibleName(self.tr("Filter by tag"))
        self.from_check = QCheckBox(self.tr("From"), self)
        self.from_edit = DateField(self, accessible_name=self.tr("From date"))
        self.to_check = QCheckBox(self.tr("To"), self)
        self.to_edit = DateField(self, accessible_name=self.tr("To date"))
        today = dt.date.today()
        self.from_edit.set_date(today - dt.timedelta(days=365))
        self.to_edit.set_date(today)
        for widget in (QLabel(self.tr("Journal of"), self), self.person_combo,
                       QLabel(self.tr("Tag"), self), self.tag_combo, self.from_check,
                       self.from_edit, self.to_check, self.to_edit):
            filters.addWidget(widget)
        filters.addStretch(1)
        layout.addLayout(filters)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("&New entry"), left)
        self.prompt_button = QToolButton(left)
        self.prompt_button.setText(self.tr("From a &prompt"))
        self.prompt_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.prompt_menu = QMenu(self.prompt_button)
        self.prompt_button.setMenu(self.prompt_menu)
        self.delete_button = QPushButton(self.tr("Delete"), left)
        for button in (self.new_button, self.prompt_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        self.model = EntryListModel(self)
        self.list_view = QListView(left)
        self.list_view.setModel(self.model)
        style_private_rows(self.list_view, private_role_rule)
        # Long titles are elided, never scrolled sideways (the layout checks, issue 14).
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setAccessibleName(self.tr("Journal entries"))
        self.list_view.setUniformItemSizes(True)
        left_layout.addWidget(self.list_view)
        self.count_label = QLabel(left)
        left_layout.addWidget(self.count_label)

        editor = QWidget(splitter)
        form = QFormLayout(editor)
        self.date_edit = DateField(editor, accessible_name=self.tr("Entry date"))
        self.title_edit = QLineEdit(editor)
        self.title_edit.setAccessibleName(self.tr("Entry title"))
        self.body_edit = QPlainTextEdit(editor)
        self.body_edit.setAccessibleName(self.tr("Entry text"))
        self.tags_edit = QLineEdit(editor)
        self.tags_edit.setAccessibleName(self.tr("Tags"))
        self.tags_edit.setPlaceholderText(self.tr("growth, feedback, …"))
        self.private_check = QCheckBox(self.tr("Private (never exported unless you ask)"), editor)
        self.private_check.setAccessibleName(self.tr("Private"))
        self.private_check.setIcon(lock_icon())
        self.private_check.toggled.connect(lambda on: set_private_look(self.body_edit, on))
        self.prompt_label = QLabel(editor)
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(self.tr("&Date"), self.date_edit)
        form.addRow(self.tr("&Title"), self.title_edit)
        form.addRow(self.prompt_label)
        form.addRow(self.tr("Te&xt"), self.body_edit)
        form.addRow(self.tr("T&ags"), self.tags_edit)
        form.addRow(self.private_check)
        self.editor = editor
        splitter.addWidget(left)
        splitter.addWidget(editor)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        self.person_combo.currentIndexChanged.connect(self._filters_changed)
        self.tag_combo.currentIndexChanged.connect(self._filters_changed)
        for widget in (self.from_check, self.to_check):
            widget.toggled.connect(self._filters_changed)
        for edit in (self.from_edit, self.to_edit):
            edit.date_changed.connect(lambda _day: self._filters_changed())
        self.list_view.selectionModel().currentChanged.connect(self._current_changed)
        self.new_button.clicked.connect(lambda: self.new_entry())
        self.delete_button.clicked.connect(self.delete_current)
        self.title_edit.textEdited.connect(lambda text: self._queue("title", text))
        self.body_edit.textChanged.connect(
            lambda: self._queue("body", self.body_edit.toPlainText())
        )
        self.tags_edit.textEdited.connect(lambda text: self._queue("tags", parse_tags(text)))
        self.private_check.toggled.connect(self._private_toggled)
        self.date_edit.date_changed.connect(
            lambda day: self._change(self.tr("Change date"), "entry_date", day)
        )
        self._set_editor_enabled(False)

    # -- data --------------------------------------------------------------------------------
    def set_services(self, services: Services) -> None:
        self.autosave.flush()
        self.services = services
        self.current_id = None
        with QSignalBlocker(self.person_combo):
            self.person_combo.clear()
            me = services.people.me()
            if me is not None:
                self.person_combo.addItem(self.tr("Me"), me.id)
            for person in services.people.list():
                if not person.is_me:
                    self.person_combo.addItem(person.name, person.id)
            self.person_combo.addItem(self.tr("Everyone"), EVERYONE)
        self._fill_prompt_menu()
        self.refresh()

    def _fill_prompt_menu(self) -> None:
        self.prompt_menu.clear()
        weekly = self.prompt_menu.addAction(self.tr("Reflect on this week"))
        weekly.triggered.connect(lambda: self.new_entry(prompt_id=WEEKLY_PROMPT_ID))
        try:
            from careerdesk.content import load_content
            from careerdesk.content.model import Audience

            content = load_content()
        except CareerDeskError:
            return
        pack = content.pack("default")
        for stage in content.stages:
            prompts = pack.for_stage(stage.id)
            if not prompts:
                continue
            submenu = self.prompt_menu.addMenu(stage.title)
            for prompt in prompts:
                text = prompt.wording(Audience.EMPLOYEE)
                action = submenu.addAction(text)
                action.triggered.connect(
                    lambda _checked=False, p=prompt.id, t=text: self.new_entry(
                        prompt_id=p, title=t
                    )
                )

    def person_filter(self) -> str | None:
        value = self.person_combo.currentData()
        return None if value in (None, EVERYONE) else str(value)

    def refresh(self, *, select_id: str | None = None) -> None:
        """Reload the list with the current filters (keeps the selection when it can)."""
        if self.services is None:
            return
        self.autosave.flush()
        keep = select_id or self.current_id
        tag = self.tag_combo.currentData()
        with QSignalBlocker(self.tag_combo):
            self.tag_combo.clear()
            self.tag_combo.addItem(self.tr("All tags"), None)
            for name in self.services.entries.tags():
                self.tag_combo.addItem(name, name)
            position = self.tag_combo.findData(tag)
            self.tag_combo.setCurrentIndex(max(position, 0))
        entries = self.services.entries.list(
            self.person_filter(),
            tag=self.tag_combo.currentData(),
            since=self.from_edit.date() if self.from_check.isChecked() else None,
            until=self.to_edit.date() if self.to_check.isChecked() else None,
        )
        self.model.set_entries(entries)
        self.count_label.setText(self.tr("%n entries", "", len(entries)))
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.list_view.setCurrentIndex(self.model.index(row, 0))
        else:
            self._show(None)

    def _filters_changed(self) -> None:
        self.refresh()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.autosave.flush()
        self._show(self.model.entry(current.row()) if current.isValid() else None)

    def _set_editor_enabled(self, enabled: bool) -> None:
        self.editor.setEnabled(enabled)
        self.delete_button.setEnabled(enabled)

    def _show(self, entry: JournalEntry | None) -> None:
        self.current_id = None if entry is None else entry.id
        self.current_person_id = None if entry is None else entry.person_id
        blockers = [QSignalBlocker(w) for w in (self.title_edit, self.body_edit, self.tags_edit,
                                                self.private_check, self.date_edit)]
        try:
            if entry is None:
                self.title_edit.clear()
                self.body_edit.clear()
                self.tags_edit.clear()
                self.private_check.setChecked(True)
                self.prompt_label.clear()
            else:
                self.date_edit.set_date(entry.entry_date)
                self.title_edit.setText(entry.title)
                self.body_edit.setPlainText(entry.body)
                self.tags_edit.setText(", ".join(entry.tags))
                self.private_check.setChecked(entry.private)
                self.prompt_label.setText(self._prompt_text(entry.prompt_id))
        finally:
            del blockers
        set_private_look(self.body_edit, self.private_check.isChecked())  # the private style
        self.prompt_label.setVisible(bool(self.prompt_label.text()))
        self._set_editor_enabled(entry is not None)

    def _prompt_text(self, prompt_id: str | None) -> str:
        if not prompt_id:
            return ""
        if prompt_id == WEEKLY_PROMPT_ID:
            return self.tr("Prompt: reflect on this week")
        try:
            from careerdesk.content import load_content
            from careerdesk.content.model import Audience

            prompt = load_content().find_prompt(prompt_id)
        except CareerDeskError:
            return ""
        return "" if prompt is None else self.tr("Prompt: ") + prompt.wording(Audience.EMPLOYEE)

    # -- editing -----------------------------------------------------------------------------
    def new_entry(self, *, prompt_id: str | None = None, title: str = "",
                  entry_date: dt.date | None = None) -> str | None:
        """Create an entry (private) for the person shown, or "me"; returns its id."""
        if self.services is None:
            return None
        person_id = self.person_filter()
        if person_id is None:
            me = self.services.people.me()
            if me is None:
                dialogs.warn(self, self.tr("Journal"), self.tr(
                    "Choose whose journal this entry belongs to first."))
                return None
            person_id = me.id
        body = ""
        if prompt_id == WEEKLY_PROMPT_ID:
            title, body = self.tr(WEEKLY_TITLE), self.tr(WEEKLY_BODY)
        try:
            entry = self.services.entries.add(
                person_id, entry_date or dt.date.today(), title=title, body=body, private=True,
                prompt_id=prompt_id,
            )
        except CareerDeskError as exc:
            dialogs.warn(self, self.tr("Journal"), exc.user_message, detail=exc.hint)
            return None
        entries = self.services.entries
        self.edits.push(Edit(self.tr("New entry"), self._key(entry.id, "", entry.person_id),
                             None, entry, record_writer(entry.id, entries.restore,
                                                        entries.delete),
                             read=record_reader(lambda: entries.get(entry.id))),
                        refresh=lambda: self._undone(entry.id), written=True)
        # A new entry must be visible whatever the date and tag filters say.
        with QSignalBlocker(self.tag_combo), QSignalBlocker(self.from_check), \
                QSignalBlocker(self.to_check):
            self.tag_combo.setCurrentIndex(0)
            self.from_check.setChecked(False)
            self.to_check.setChecked(False)
        self.refresh(select_id=entry.id)
        self.entry_changed.emit(entry.id)
        if title:
            self.body_edit.setFocus()
        else:
            self.title_edit.setFocus()
        return entry.id

    def _key(self, entry_id: str, field: str, person_id: str | None) -> EditKey:
        return EditKey("entry", entry_id, field, person_id=person_id)

    def _queue(self, field: str, value: object) -> None:
        """Typing: written when typing stops."""
        if self.services is None or self.current_id is None:
            return
        services, entry_id = self.services, self.current_id

        def save() -> None:
            entry = services.entries.update(entry_id, **{field: value})
            self.model.replace(entry)
            self.entry_changed.emit(entry_id)

        self.edits.later(self._key(entry_id, field, self.current_person_id), save)

    def _change(self, label: str, field: str, value: object) -> None:
        """A discrete change (private, date): written at once, undoable."""
        if self.services is None or self.current_id is None:
            return
        services, entry_id = self.services, self.current_id
        old = getattr(services.entries.get(entry_id), field)

        def write(new: object) -> None:
            entry = services.entries.update(entry_id, **{field: new})
            self.model.replace(entry)
            self.entry_changed.emit(entry_id)

        self.edits.change(label, self._key(entry_id, field, self.current_person_id), write,
                          old, value, refresh=lambda: self._undone(entry_id))

    def _private_toggled(self, checked: bool) -> None:
        self._change(self.tr("Make private") if checked else self.tr("Make shareable"),
                     "private", checked)

    def _undone(self, entry_id: str) -> None:
        """After undo or redo: show the list as stored, the entry selected if it exists."""
        self.refresh(select_id=entry_id)
        self.entry_changed.emit(entry_id)

    def delete_current(self) -> None:
        """Remove the entry shown: at once, with "Removed entry — Undo" (no question first)."""
        if self.services is None or self.current_id is None:
            return
        entry_id, entries = self.current_id, self.services.entries
        self.autosave.flush()  # the snapshot holds what was typed last
        snapshot = entries.get(entry_id)
        self.edits.push(Edit(self.tr("Delete entry"),
                             self._key(entry_id, "", snapshot.person_id), snapshot, None,
                             record_writer(entry_id, entries.restore, entries.delete),
                             read=record_reader(lambda: entries.get(entry_id))),
                        refresh=lambda: self._undone(entry_id),
                        announce=self.tr("Removed entry"))
        self.current_id = None
        self.refresh()
        self.entry_changed.emit(entry_id)

    def open_entry(self, entry_id: str) -> None:
        """Show one entry (from search or the timeline), whatever the filters were."""
        if self.services is None:
            return
        entry = self.services.entries.get(entry_id)
        position = self.person_combo.findData(entry.person_id)
        with QSignalBlocker(self.person_combo), QSignalBlocker(self.tag_combo), \
                QSignalBlocker(self.from_check), QSignalBlocker(self.to_check):
            self.person_combo.setCurrentIndex(
                position if position >= 0 else self.person_combo.findData(EVERYONE)
            )
            self.tag_combo.setCurrentIndex(0)
            self.from_check.setChecked(False)
            self.to_check.setChecked(False)
        self.refresh(select_id=entry_id)
