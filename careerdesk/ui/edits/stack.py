"""The edit stack: every user change goes through :meth:`EditStack.push` (undoable, written at
once) or :meth:`EditStack.later` (typing, debounced, left to the editor's own undo).

An :class:`Edit` is a value: what changed (a label such as "Remove step" and an
:class:`~careerdesk.ui.edits.keys.EditKey`), the old and the new value, and the function that
stores a value. Undo is the same edit with old and new swapped, so every inverse is exact by
construction. Adding or removing a record is an edit of the record's *snapshot* (the domain
object, or ``None`` when it is absent): see :func:`record_writer`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from careerdesk.ui.autosave import AutosaveQueue, SaveFunction
from careerdesk.ui.edits.keys import EditKey

T = TypeVar("T")
R = TypeVar("R")
Refresh = Callable[[], None]


@dataclasses.dataclass(frozen=True)
class Edit(Generic[T]):
    """One user change of one stored value."""

    label: str
    key: EditKey
    old: T
    new: T
    write: Callable[[T], object]
    #: Reads the value as stored now. Records have one: text typed into a step after adding it
    #: is part of what undo removes and redo brings back.
    read: Callable[[], T] | None = None

    def apply(self) -> None:
        """Store the new value."""
        self.write(self.new)

    def inverse(self) -> Edit[T]:
        """The edit that takes this one back."""
        return dataclasses.replace(self, old=self.new, new=self.old)

    def as_stored(self, *, done: bool) -> Edit[T]:
        """This edit with the value it replaces read again (``done``: the new value is stored
        now, so later changes of it are kept)."""
        if self.read is None:
            return self
        value = self.read()
        return dataclasses.replace(self, new=value) if done else dataclasses.replace(
            self, old=value)


def record_reader(get: Callable[[], R]) -> Callable[[], R | None]:
    """How to read a record's presence: its snapshot as stored, or None when it is gone."""
    from careerdesk.errors import NotFoundError

    def read() -> R | None:
        try:
            return get()
        except NotFoundError:
            return None

    return read


def record_writer(record_id: str, restore: Callable[[R], object],
                  remove: Callable[[str], object]) -> Callable[[R | None], object]:
    """How to store a record's presence: its snapshot restores it (same id, same fields),
    ``None`` removes it."""

    def write(snapshot: R | None) -> object:
        return remove(record_id) if snapshot is None else restore(snapshot)

    return write


class _EditCommand(QUndoCommand):
    def __init__(self, stack: EditStack, edit: Edit[Any], refresh: Refresh, *,
                 written: bool) -> None:
        super().__init__(edit.label)
        self.edit = edit
        self._stack, self._refresh = stack, refresh
        self._first, self._written = True, written

    def redo(self) -> None:  # Qt override
        first, self._first = self._first, False
        if first and self._written:
            return  # the caller stored it already (an added record got its id that way)
        if not first:
            self._stack.autosave.flush()  # what was typed since is part of it
            self.edit = self.edit.as_stored(done=False)
        self._stack.write(self.edit)
        if not first:  # the first time, the widget already shows the new value
            self._refresh()

    def undo(self) -> None:  # Qt override
        self._stack.autosave.flush()  # what was typed since is part of it
        self.edit = self.edit.as_stored(done=True)
        self._stack.write(self.edit.inverse())
        self._refresh()


class EditStack(QObject):
    """One stack for every edit: the undo stack and the autosave queue behind one door."""

    announced = Signal(str)  # an undoable removal happened: a short message ("Removed step")

    def __init__(self, autosave: AutosaveQueue, undo_stack: QUndoStack,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.autosave = autosave
        self.undo_stack = undo_stack

    def write(self, edit: Edit[Any]) -> bool:
        """Store ``edit``'s new value now, through the autosave queue (so a full disk keeps it
        queued and retried); True when it reached the journal."""
        return self.autosave.run_now(edit.key, edit.apply)

    def push(self, edit: Edit[T], *, refresh: Refresh = lambda: None, written: bool = False,
             announce: str = "") -> None:
        """Apply ``edit`` (unless ``written``: the caller stored it already) and make it
        undoable. ``refresh`` re-shows the values after an undo or redo. ``announce``: a short
        message with an Undo button (for removals, instead of asking first)."""
        if edit.old == edit.new:
            return
        self.undo_stack.push(_EditCommand(self, edit, refresh, written=written))
        if announce:
            self.announced.emit(announce)

    def change(self, label: str, key: EditKey, write: Callable[[T], object], old: T, new: T,
               *, refresh: Refresh = lambda: None) -> None:
        """A discrete change of one value (a tick, a choice, a date): written at once."""
        self.push(Edit(label, key, old, new, write), refresh=refresh)

    def later(self, key: EditKey, save: SaveFunction, *, quiet: bool = False) -> None:
        """Typing: written when typing stops (the editor keeps its own undo)."""
        self.autosave.schedule(key, save, quiet=quiet)

    def forget(self, record_id: str) -> None:
        """Drop queued writes of a record that is gone for good (a person deleted)."""
        self.autosave.discard(lambda key: isinstance(key, EditKey) and key.concerns(record_id))

    def undo(self) -> None:
        self.undo_stack.undo()

    def redo(self) -> None:
        self.undo_stack.redo()

    def clear(self) -> None:
        self.undo_stack.clear()
