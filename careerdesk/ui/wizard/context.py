"""What every wizard page shares: the services, the autosave queue, undo, content, the record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from careerdesk.content import Audience, Content
from careerdesk.domain.model import StageId
from careerdesk.ui.autosave import AutosaveQueue
from careerdesk.ui.edits import Edit, EditKey, EditStack

if TYPE_CHECKING:
    from careerdesk.services import Services
    from careerdesk.services.conversations import ConversationRecord
    from careerdesk.services.prompts import EffectivePrompt

T = TypeVar("T")


@dataclass
class WizardContext:
    """One open conversation, as the pages see it."""

    services: Services
    edits: EditStack
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

    @property
    def autosave(self) -> AutosaveQueue:
        return self.edits.autosave

    def key(self, kind: str, record_id: str, field: str = "") -> EditKey:
        """The key of one value of this conversation (tied to this person and conversation,
        never to the "current" one)."""
        return EditKey(kind, record_id, field, person_id=self.person_id,
                       conversation_id=self.conversation_id)

    def conversation_key(self, field: str) -> EditKey:
        """The key of one field of the conversation itself."""
        return self.key("conversation", self.conversation_id, field)

    def save_later(self, key: EditKey, save: Callable[[], object], *,
                   quiet: bool = False) -> None:
        """Typing: written when typing stops (debounced). ``quiet``: see
        :meth:`AutosaveQueue.schedule`."""
        self.edits.later(key, save, quiet=quiet)

    def change(self, label: str, key: EditKey, write: Callable[[T], object],
               old: T, new: T) -> None:
        """A discrete, undoable change (a tick, a choice): written at once."""
        self.edits.change(label, key, write, old, new, refresh=self.refresh)

    def push(self, edit: Edit[T], *, written: bool = False, announce: str = "") -> None:
        """An undoable edit of this conversation (adding or removing a record)."""
        self.edits.push(edit, refresh=self.refresh, written=written, announce=announce)
