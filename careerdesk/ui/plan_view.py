"""A person's plan: every next step across conversations, grouped by horizon, editable in place.

``PlanTreeModel`` is a two-level model: horizons (now, next 12-18 months, long term) and, under
each, its steps ordered by status (open and in progress first) then due date. Edits go straight
to the plan service (one transaction each); a step whose horizon changes moves to its group.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from careerdesk.domain.model import Action, ActionKind, ActionStatus, Horizon, Owner
from careerdesk.errors import CareerDeskError, InvalidInputError
from careerdesk.ui.common.date_field import DateDelegate
from careerdesk.ui.edits import EditKey, EditStack
from careerdesk.ui.private_style import PRIVATE_ROLE, private_role_rule, style_private_rows

if TYPE_CHECKING:
    from careerdesk.services import Services

AnyIndex = QModelIndex | QPersistentModelIndex
ACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 2

HORIZON_TITLES = {
    Horizon.NOW: "Now", Horizon.NEXT: "Next 12–18 months", Horizon.LONG: "Long term",
}
STATUS_TITLES = {
    ActionStatus.OPEN: "Open", ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done", ActionStatus.DROPPED: "Dropped",
}
OWNER_TITLES = {Owner.EMPLOYEE: "Employee", Owner.SUPERVISOR: "Supervisor (support)",
                Owner.BOTH: "Both"}
KIND_TITLES = {ActionKind.SKILL: "Skill to develop", ActionKind.EXPERIENCE: "Experience",
               ActionKind.OPPORTUNITY: "Opportunity", ActionKind.ROADBLOCK: "Roadblock"}
_STATUS_ORDER = {s: i for i, s in enumerate(STATUS_TITLES)}

COLUMNS = ("Next step", "Status", "Owner", "Due", "Kind", "Horizon", "Support needed")
TEXT, STATUS, OWNER, DUE, KIND, HORIZON, SUPPORT = range(len(COLUMNS))
_ENUM_COLUMNS: dict[int, tuple[str, dict[Any, str]]] = {
    STATUS: ("status", STATUS_TITLES), OWNER: ("owner", OWNER_TITLES),
    KIND: ("kind", KIND_TITLES), HORIZON: ("horizon", HORIZON_TITLES),
}
_GROUP = 0xFFFF_FFFF  # internalId of horizon rows; step rows carry their horizon's index


def _sort_key(action: Action) -> tuple[int, dt.date, int]:
    return (_STATUS_ORDER[action.status], action.due or dt.date.max, action.position)


class PlanTreeModel(QAbstractItemModel):
    """Horizons, then their steps; columns are the step's fields."""

    edit_failed = Signal(str)

    def __init__(self, services: Services | None = None, parent: Any = None, *,
                 edits: EditStack | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.edits = edits
        self.person_id: str | None = None
        self._groups: list[tuple[Horizon, list[Action]]] = [(h, []) for h in Horizon]
        self.today = dt.date.today()

    # -- data --------------------------------------------------------------------------------
    def load(self, person_id: str | None) -> None:
        self.beginResetModel()
        self.person_id = person_id
        actions = (
            self.services.plan.actions_for(person_id)
            if self.services is not None and person_id is not None else []
        )
        self._groups = [
            (h, sorted((a for a in actions if a.horizon is h), key=_sort_key)) for h in Horizon
        ]
        self.endResetModel()

    def reload(self) -> None:
        self.load(self.person_id)

    def _undone(self) -> None:
        if self.person_id is not None and self.services is not None:
            self.reload()

    def action(self, index: AnyIndex) -> Action | None:
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        return self._groups[index.internalId()][1][index.row()]

    def index_of(self, action_id: str) -> QModelIndex:
        for group_row, (_h, actions) in enumerate(self._groups):
            for row, action in enumerate(actions):
                if action.id == action_id:
                    return self.createIndex(row, 0, group_row)
        return QModelIndex()

    # -- structure (Qt overrides) ------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP)
        return self.createIndex(row, column, parent.row())

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(int(index.internalId()), 0, _GROUP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _GROUP and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() == _GROUP:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP:
            horizon, actions = self._groups[index.row()]
            if index.column() != 0:
                return None
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                open_count = sum(1 for a in actions if a.status.is_open)
                return f"{HORIZON_TITLES[horizon]} ({open_count} open of {len(actions)})"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        action = self._groups[int(index.internalId())][1][index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            return self._display(action, column, edit=role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.ToolTipRole and column in (TEXT, SUPPORT):
            return action.text if column == TEXT else action.support
        if role == Qt.ItemDataRole.ForegroundRole and column == DUE and self._overdue(action):
            return QColor("#c62828")
        if role == Qt.ItemDataRole.FontRole and not action.status.is_open:
            font = QFont()
            font.setStrikeOut(action.status is ActionStatus.DROPPED)
            font.setItalic(True)
            return font
        if role == ACTION_ID_ROLE:
            return action.id
        if role == PRIVATE_ROLE:  # the private style (ui/private_style.py)
            return action.private
        if role == CHOICES_ROLE and column in _ENUM_COLUMNS:
            return list(_ENUM_COLUMNS[column][1].items())
        return None

    def _overdue(self, action: Action) -> bool:
        return action.status.is_open and action.due is not None and action.due < self.today

    def _display(self, action: Action, column: int, *, edit: bool) -> Any:
        if column == TEXT:
            return action.text
        if column == SUPPORT:
            return action.support
        if column == DUE:
            text = action.due.isoformat() if action.due else ""
            return text + (" (overdue)" if self._overdue(action) and not edit else "")
        field, titles = _ENUM_COLUMNS[column]
        value = getattr(action, field)
        return value.value if edit else titles[value]

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        action = self.action(index)
        if action is None or role != Qt.ItemDataRole.EditRole or self.services is None:
            return False
        column = index.column()
        try:
            changes = self._changes(column, value)
            if not changes:
                return False
            if "text" in changes and not str(changes["text"]).strip():
                raise InvalidInputError("The next step cannot be empty.")
        except CareerDeskError as exc:
            self.edit_failed.emit(exc.user_message)
            return False
        old = {name: getattr(action, name) for name in changes}
        if old == changes:
            return False
        plan, action_id = self.services.plan, action.id
        ((name, _value),) = changes.items()
        if self.edits is None:  # a plan shown on its own (no window): written, not undoable
            try:
                plan.update(action_id, **changes)
            except CareerDeskError as exc:
                self.edit_failed.emit(exc.user_message)
                return False
        else:
            self.edits.change(
                self.tr("Change next step"),
                EditKey("action", action_id, name, person_id=action.person_id,
                        conversation_id=action.conversation_id),
                lambda values: plan.update(action_id, **values), old, changes,
                refresh=self._undone)
        updated = plan.get(action_id)
        group = int(index.internalId())
        self._groups[group][1][index.row()] = updated
        self.dataChanged.emit(self.index(index.row(), 0, index.parent()),
                              self.index(index.row(), len(COLUMNS) - 1, index.parent()))
        if updated.horizon is not action.horizon or column in (STATUS, DUE):
            # Its place changed (another group, or another position by status or due date):
            # regroup once the editor has closed.
            QTimer.singleShot(0, self.reload)
        return True

    @staticmethod
    def _changes(column: int, value: Any) -> dict[str, Any]:
        text = "" if value is None else str(value)
        if column == TEXT:
            return {"text": text}
        if column == SUPPORT:
            return {"support": text}
        if column == DUE:
            if not text.strip():
                return {"due": None}
            from careerdesk.services.base import parse_date

            return {"due": parse_date(text.replace("(overdue)", ""))}
        field, titles = _ENUM_COLUMNS[column]
        for member in titles:
            if text in (member.value, titles[member]):
                return {field: member}
        return {}


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for the enum columns (status, owner, kind, horizon)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: AnyIndex) -> QWidget:  # Qt override
        choices = index.data(CHOICES_ROLE)
        if not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for member, title in choices:
            combo.addItem(title, member.value)
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # Qt override
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: AnyIndex) -> None:  # Qt override
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class PlanView(QWidget):
    """One person's plan across conversations, by horizon and status."""

    conversation_requested = Signal(str)

    def __init__(self, services: Services | None = None, *, edits: EditStack | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PlanView")
        self.services: Services | None = None
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.heading)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.model = PlanTreeModel(None, self, edits=edits)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(ChoiceDelegate(self.tree))
        self.tree.setItemDelegateForColumn(DUE, DateDelegate(self.tree))
        style_private_rows(self.tree, private_role_rule, word=True)
        self.tree.setAccessibleName(self.tr("Plan"))
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QTreeView.EditTrigger.DoubleClicked
                                  | QTreeView.EditTrigger.EditKeyPressed
                                  | QTreeView.EditTrigger.SelectedClicked)
        layout.addWidget(self.tree, 1)
        self.model.modelReset.connect(self._lay_out)
        self.model.edit_failed.connect(self.message.setText)
        if services is not None:
            self.set_services(services)

    def _lay_out(self) -> None:
        """Horizon rows span the whole width; the short columns fit their contents."""
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        self.tree.expandAll()
        for column in (STATUS, OWNER, DUE, KIND, HORIZON):
            self.tree.resizeColumnToContents(column)

    def set_services(self, services: Services) -> None:
        self.services = services
        self.model.services = services
        self.model.load(None)
        self.heading.clear()

    def show_person(self, person_id: str, *, action_id: str | None = None) -> None:
        if self.services is None:
            return
        person = self.services.people.get(person_id)
        self.heading.setText(self.tr("Plan of %1").replace("%1", person.name))
        self.message.clear()
        self.model.load(person_id)
        self.tree.expandAll()
        self.tree.setColumnWidth(TEXT, max(self.tree.columnWidth(TEXT), 320))
        if action_id:
            index = self.model.index_of(action_id)
            if index.isValid():
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
