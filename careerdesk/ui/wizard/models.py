"""Item models of the wizard: the match items and the plan's next steps.

The models hold domain objects and report edits through a callback (``on_edit(record_id,
field, value)``); the page turns that into an undoable, autosaved change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from careerdesk.domain.model import Action, ActionKind, ActionStatus, Horizon, MatchItem, Owner
from careerdesk.ui.common.date_field import DateField, editor_date, fit_editor
from careerdesk.ui.labels import ENUM_LABELS

AnyIndex = QModelIndex | QPersistentModelIndex
EditCallback = Callable[[str, str, Any, Any], None]  # record id, field, new, old
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ISSUES_ROLE = Qt.ItemDataRole.UserRole + 2

_EDITABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
#: The roles the models answer. A view asks each cell for a dozen roles on every paint (font,
#: colours, alignment, decoration...): those return at once, before any lookup.
_MATCH_ROLES = frozenset({
    RECORD_ID_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
    Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.AccessibleTextRole,
})
_PLAN_ROLES = _MATCH_ROLES | {ISSUES_ROLE, Qt.ItemDataRole.ToolTipRole}


class MatchItemModel(QAbstractTableModel):
    """Match items: text, then one tick column per circle, then private."""

    COLUMNS = ("text", "in_skills", "in_interests", "in_business", "private")

    def __init__(self, on_edit: EditCallback, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[MatchItem] = []
        self._on_edit = on_edit
        self.headers = [self.tr("Item"), "", "", "", self.tr("Private")]

    def set_circle_titles(self, skills: str, interests: str, business: str) -> None:
        self.headers[1:4] = [skills, interests, business]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 1, 3)

    def set_items(self, items: Sequence[MatchItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[MatchItem]:
        return list(self._items)

    def item(self, row: int) -> MatchItem:
        return self._items[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 # Qt override
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 # Qt override
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:  # Qt override
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() == 0:
            return _EDITABLE | Qt.ItemFlag.ItemIsEditable
        return _EDITABLE | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        if role not in _MATCH_ROLES or not index.isValid() or not (
                0 <= index.row() < len(self._items)):
            return None
        item = self._items[index.row()]
        name = self.COLUMNS[index.column()]
        value = getattr(item, name)
        if role == RECORD_ID_ROLE:
            return item.id
        if index.column() == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return value
            return None
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.headers[index.column()]}: {'yes' if value else 'no'}"
        return None

    def setData(self, index: AnyIndex, value: Any,  # Qt override
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        item = self._items[index.row()]
        name = self.COLUMNS[index.column()]
        if index.column() == 0 and role == Qt.ItemDataRole.EditRole:
            text = str(value).strip()
            if not text or text == item.text:
                return False
            new_value: Any = text
        elif index.column() > 0 and role == Qt.ItemDataRole.CheckStateRole:
            new_value = Qt.CheckState(value) == Qt.CheckState.Checked
        else:
            return False
        old = getattr(item, name)
        self.update_item(item.id, name, new_value)
        self._on_edit(item.id, name, new_value, old)
        return True

    def update_item(self, item_id: str, name: str, value: Any) -> None:
        """Show a changed value (from an edit here, or from undo)."""
        for row, item in enumerate(self._items):
            if item.id == item_id:
                self._items[row] = dataclasses.replace(item, **{name: value})
                column = self.COLUMNS.index(name)
                self.dataChanged.emit(self.index(row, column), self.index(row, column))
                return


class PlanTableModel(QAbstractTableModel):
    """The next steps: kind, description, owner, due, status, support, horizon, private."""

    COLUMNS = ("kind", "text", "owner", "due", "status", "support", "horizon", "private")
    ENUMS: ClassVar[dict[str, type[Enum]]] = {
        "kind": ActionKind, "owner": Owner, "status": ActionStatus, "horizon": Horizon,
    }

    def __init__(self, on_edit: EditCallback, parent: Any = None) -> None:
        super().__init__(parent)
        self._actions: list[Action] = []
        self._issues: dict[str, list[str]] = {}
        self._on_edit = on_edit
        self.headers = [self.tr("Kind"), self.tr("Next step"), self.tr("Owner"), self.tr("Due"),
                        self.tr("Status"), self.tr("Support needed"), self.tr("Horizon"),
                        self.tr("Private")]

    def set_actions(self, actions: Sequence[Action], issues: dict[str, list[str]]) -> None:
        self.beginResetModel()
        self._actions = list(actions)
        self._issues = dict(issues)
        self.endResetModel()

    def set_issues(self, issues: dict[str, list[str]]) -> None:
        self._issues = dict(issues)
        if self._actions:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._actions) - 1, len(self.COLUMNS) - 1))

    def actions(self) -> list[Action]:
        return list(self._actions)

    def action(self, row: int) -> Action:
        return self._actions[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 # Qt override
        return 0 if parent.isValid() else len(self._actions)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 # Qt override
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:  # Qt override
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.COLUMNS[index.column()] == "private":
            return _EDITABLE | Qt.ItemFlag.ItemIsUserCheckable
        return _EDITABLE | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        if role not in _PLAN_ROLES or not index.isValid() or not (
                0 <= index.row() < len(self._actions)):
            return None
        action = self._actions[index.row()]
        name = self.COLUMNS[index.column()]
        value = getattr(action, name)
        if role == RECORD_ID_ROLE:
            return action.id
        if role == ISSUES_ROLE:
            return list(self._issues.get(action.id, []))
        if name == "private":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self.headers[index.column()] + (": yes" if value else ": no")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if name in self.ENUMS:
                return ENUM_LABELS.get(value, str(value))
            if name == "due":
                return value.isoformat() if value else "—"
            return value
        if role == Qt.ItemDataRole.EditRole:
            if name == "due":
                return QDate(value.year, value.month, value.day) if value else None
            return value.value if name in self.ENUMS else value
        if role == Qt.ItemDataRole.ToolTipRole and name in ("text", "due"):
            issues = self._issues.get(action.id, [])
            wanted = ["no_date"] if name == "due" else [i for i in issues if i != "no_date"]
            shown = [i for i in issues if i in wanted]
            return "\n".join(shown) if shown else None
        return None

    def setData(self, index: AnyIndex, value: Any,  # Qt override
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        action = self._actions[index.row()]
        name = self.COLUMNS[index.column()]
        new_value: Any
        if name == "private":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            new_value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif name in self.ENUMS:
            new_value = self.ENUMS[name](value)
        elif name == "due":
            new_value = _to_date(value)
        elif name == "text":
            new_value = str(value).strip()
            if not new_value:
                return False
        else:
            new_value = str(value)
        old = getattr(action, name)
        if old == new_value:
            return False
        self.update_action(action.id, name, new_value)
        self._on_edit(action.id, name, new_value, old)
        return True

    def update_action(self, action_id: str, name: str, value: Any) -> None:
        for row, action in enumerate(self._actions):
            if action.id == action_id:
                self._actions[row] = dataclasses.replace(action, **{name: value})
                column = self.COLUMNS.index(name)
                self.dataChanged.emit(self.index(row, column), self.index(row, column))
                return


def _to_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, QDate):
        return value.toPython() if value.isValid() else None  # type: ignore[return-value]
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class PlanDelegate(QStyledItemDelegate):
    """Combo boxes for the kinds and states, a calendar for the due date."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # Qt override
                     index: AnyIndex) -> QWidget:
        name = PlanTableModel.COLUMNS[index.column()]
        enum_cls = PlanTableModel.ENUMS.get(name)
        if enum_cls is not None:
            combo = QComboBox(parent)
            members: list[Enum] = list(enum_cls.__members__.values())
            for member in members:
                combo.addItem(ENUM_LABELS.get(member, str(member)), member.value)
            combo.setAccessibleName(str(index.model().headerData(
                index.column(), Qt.Orientation.Horizontal)))
            return combo
        if name == "due":
            return DateField(parent, optional=True, accessible_name=str(
                index.model().headerData(index.column(), Qt.Orientation.Horizontal)))
        widget = super().createEditor(parent, option, index)
        widget.setAccessibleName(str(index.model().headerData(
            index.column(), Qt.Orientation.Horizontal)))
        return widget

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # Qt override
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))
            return
        if isinstance(editor, DateField):  # the date as stored; empty when there is none
            editor.set_date(editor_date(index.data(Qt.ItemDataRole.EditRole)))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:  # Qt override
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, DateField):
            if editor.commit():  # text that is no date is refused and never stored
                model.setData(index, editor.date(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,  # Qt override
                             index: AnyIndex) -> None:
        fit_editor(editor, option)  # the whole date shows, however narrow the column
