"""One path for every user change: a typed :class:`Edit` applied through one :class:`EditStack`
that feeds both the ``QUndoStack`` (Edit ▸ Undo/Redo, named after the action) and the autosave
queue (keyed by :class:`EditKey`, never by ad-hoc tuples)."""

from careerdesk.ui.edits.keys import EditKey
from careerdesk.ui.edits.stack import Edit, EditStack, record_reader, record_writer

__all__ = ["Edit", "EditKey", "EditStack", "record_reader", "record_writer"]
