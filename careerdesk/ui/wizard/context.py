"""What every wizard page shares: the services, the autosave queue, undo, content, the record."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from careerdesk.content import Audience, Content
from careerdesk.domain.model import StageId
from careerdesk.ui.autosave import AutosaveQueue

if TYPE_CHECKING:
    from careerdesk.services import Services
    from careerdesk.services.conversations import ConversationRecord
    from careerdesk.services.prompts import EffectivePrompt


class ChangeCommand(QUndoCommand):
    """An undoable change of one stored value. The first redo only writes (the widget already
    shows the new value); later undo/redo write and then refresh the page."""

    def __init__(self, text: str, write: Callable[[Any], None], old: Any, new: Any,
                 refresh: Callable[[], None]) -> None:
        super().__init__(text)
        self._write, self._old, self._new, self._refresh = write, old, new, refresh
        self._first = True

    def redo(self) -> None:  # Qt override
        self._write(self._new)
        if not self._first:
            self._refresh()
        self._first = False

    def undo(self) -> None:  # Qt override
        self._write(self._old)
        self._refresh()


@dataclass
class WizardContext:
    """One open conversation, as the pages see it."""

    services: Services
    autosave: AutosaveQueue
    undo_stack: QUndoStack
    content: Content
    record: ConversationRecord
    audience: Audience
    refresh: Callable[[], None] = field(default=lambda: None)
    _prompts: dict[StageId, list[EffectivePrompt]] = field(default_factory=dict)

    def effective_prompts(self, stage: StageId) -> list[EffectivePrompt]:
        """The stage's question list (cached until :meth:`forget_prompts`)."""
        if stage is StageId.SUMMARY:
            return []
        if stage not in self._prompts:
            self._prompts[stage] = self.services.prompts.effective_prompts(
                stage, conversation_id=self.conversation_id)
        return self._prompts[stage]

    def forget_prompts(self) -> None:
        self._prompts.clear()

    @property
    def conversation_id(self) -> str:
        return self.record.conversation.id

    @property
    def person_id(self) -> str:
        return self.record.person.id

    def key(self, *parts: Hashable) -> tuple[Hashable, ...]:
        """An autosave key tied to this person and conversation (never the "current" one)."""
        return ("conversation", self.person_id, self.conversation_id, *parts)

    def save_later(self, key: tuple[Hashable, ...], save: Callable[[], object], *,
                   quiet: bool = False) -> None:
        """Typing: written when typing stops (debounced). ``quiet``: see
        :meth:`AutosaveQueue.schedule`."""
        self.autosave.schedule(key, save, quiet=quiet)

    def change(self, label: str, key: tuple[Hashable, ...], write: Callable[[Any], object],
               old: Any, new: Any) -> None:
        """A discrete, undoable change (a tick, a choice): written at once."""
        if old == new:
            return

        def apply(value: Any) -> None:
            self.autosave.run_now(key, lambda: write(value))

        self.undo_stack.push(ChangeCommand(label, apply, old, new, self.refresh))
