"""What a write is about: one field of one record, and whose record it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EditKey:
    """The autosave and undo key of one stored value.

    ``kind`` names the record type (``"answer"``, ``"note"``, ``"match"``, ``"action"``,
    ``"entry"``, ``"person"``, ``"conversation"``...), ``record_id`` the record (for an
    answer, the prompt id within the conversation), ``field`` the value (empty: the whole
    record, as for adding or removing it). ``person_id`` and ``conversation_id`` say whose it
    is, so edits of a deleted person or conversation can be dropped without taking keys apart.
    """

    kind: str
    record_id: str
    field: str = ""
    person_id: str | None = None
    conversation_id: str | None = None

    def concerns(self, record_id: str) -> bool:
        """True when this value belongs to ``record_id`` (the record, its person or its
        conversation)."""
        return record_id in (self.record_id, self.person_id, self.conversation_id)

    @property
    def is_bookkeeping(self) -> bool:
        """Where the user is (the current stage): written with the rest, changes nothing
        the pages show."""
        return self.field == "current_stage"
