"""Conversations and everything recorded in one: answers, notes, match, checks, pulse."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from careerdesk.domain.model import (
    CUSTOM_PREFIX,
    Action,
    Answer,
    BehaviourCheck,
    Conversation,
    CustomPrompt,
    MatchItem,
    Note,
    NoteKind,
    Person,
    StageId,
    new_id,
)
from careerdesk.errors import InvalidInputError, NotFoundError
from careerdesk.services.base import Service, orm, require_text, to_domain
from careerdesk.storage import tables

_CONVERSATIONS = tables.conversations


@cache
def _record_loads() -> tuple[LoaderOption, ...]:
    # Made on first use: building loader options sets up every ORM mapper (16 ms).
    return (
        selectinload(orm.ConversationRow.person),
        selectinload(orm.ConversationRow.answers),
        selectinload(orm.ConversationRow.notes),
        selectinload(orm.ConversationRow.match_items),
        selectinload(orm.ConversationRow.behaviour_checks),
        selectinload(orm.ConversationRow.pulse_values),
        selectinload(orm.ConversationRow.custom_prompts),
    )


_CONVERSATION_FIELDS = frozenset(
    {"held_on", "present", "purpose", "method_pack", "current_stage", "completed"}
)
_MATCH_FIELDS = frozenset(
    {"text", "in_skills", "in_interests", "in_business", "private", "position"}
)


@dataclass(frozen=True)
class CarryOver:
    """What the previous conversation left open, offered when a new one starts."""

    previous: Conversation | None
    unasked: list[Answer]
    custom_prompts: list[CustomPrompt]
    open_actions: list[Action]


@dataclass(frozen=True)
class ConversationRecord:
    """Everything of one conversation, for the wizard pages and the exports."""

    person: Person
    conversation: Conversation
    answers: list[Answer]
    notes: list[Note]
    match_items: list[MatchItem]
    actions: list[Action]  # agreed in it, then those carried into it
    checks: dict[str, bool]
    pulse: dict[str, int]
    custom_prompts: list[CustomPrompt]


def _check_pulse(value: int) -> int:
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInputError("A pulse value is a whole number from 1 to 5.")
    return value


class ConversationService(Service):
    # -- conversations ---------------------------------------------------------------------
    def list_for(self, person_id: str) -> list[Conversation]:
        """Newest first."""
        with self.journal.reading() as session:
            rows = session.execute(
                select(_CONVERSATIONS)
                .where(_CONVERSATIONS.c.person_id == person_id)
                .order_by(_CONVERSATIONS.c.held_on.desc(), _CONVERSATIONS.c.created_at.desc())
            )
            return [to_domain(r, Conversation) for r in rows]

    def get(self, conversation_id: str) -> Conversation:
        with self.journal.reading() as session:
            row = self._get(session, orm.ConversationRow, conversation_id, "conversation")
            return to_domain(row, Conversation)

    def start(
        self,
        person_id: str,
        held_on: dt.date,
        *,
        method_pack: str = "default",
        purpose: str = "",
        present: str = "",
        carry_prompt_ids: tuple[str, ...] | list[str] = (),
        carry_action_ids: tuple[str, ...] | list[str] = (),
        conversation_id: str | None = None,
    ) -> Conversation:
        """A new conversation; prompts and open actions named in ``carry_*`` come along."""
        carry = self.carry_over(person_id) if (carry_prompt_ids or carry_action_ids) else None
        with self.journal.transaction() as session:
            self._get(session, orm.PersonRow, person_id, "person")
            row = orm.ConversationRow(
                id=conversation_id or new_id(),
                person_id=person_id,
                held_on=held_on,
                present=present,
                purpose=purpose,
                method_pack=method_pack,
                current_stage=StageId.PREPARE.value,
                completed=False,
                carried_action_ids=[],
            )
            session.add(row)
            if carry is not None:
                self._carry(session, row, carry, set(carry_prompt_ids), list(carry_action_ids))
            session.flush()
            return to_domain(row, Conversation)

    @staticmethod
    def _carry(
        session: Any,
        row: orm.ConversationRow,
        carry: CarryOver,
        prompt_ids: set[str],
        action_ids: list[str],
    ) -> None:
        renamed: dict[str, str] = {}
        for prompt in carry.custom_prompts:
            if prompt.prompt_id in prompt_ids:
                copy = orm.CustomPromptRow(
                    id=new_id(), stage=prompt.stage.value, text=prompt.text, hint=prompt.hint,
                    conversation_id=row.id,
                )
                session.add(copy)
                renamed[prompt.prompt_id] = CUSTOM_PREFIX + copy.id
        for answer in carry.unasked:
            if answer.prompt_id in prompt_ids:
                session.add(
                    orm.AnswerRow(
                        id=new_id(), conversation_id=row.id,
                        prompt_id=renamed.get(answer.prompt_id, answer.prompt_id),
                        stage=answer.stage.value, text=answer.text, asked=False,
                        private=answer.private, hidden=False, position=answer.position,
                    )
                )
        open_ids = {a.id for a in carry.open_actions}
        row.carried_action_ids = [a for a in action_ids if a in open_ids]

    def update(self, conversation_id: str, **changes: Any) -> Conversation:
        with self.journal.transaction() as session:
            row = self._get(session, orm.ConversationRow, conversation_id, "conversation")
            self._apply(row, changes, _CONVERSATION_FIELDS)
            session.flush()
            return to_domain(row, Conversation)

    def delete(self, conversation_id: str) -> None:
        with self.journal.transaction() as session:
            session.delete(self._get(session, orm.ConversationRow, conversation_id, "conversation"))
        self.journal.purge_deleted()

    # -- answers to prompts ----------------------------------------------------------------
    def answers(self, conversation_id: str) -> list[Answer]:
        with self.journal.reading() as session:
            rows = session.scalars(
                select(orm.AnswerRow)
                .where(orm.AnswerRow.conversation_id == conversation_id)
                .order_by(orm.AnswerRow.stage, orm.AnswerRow.position, orm.AnswerRow.prompt_id)
            ).all()
            return [to_domain(r, Answer) for r in rows]

    def set_answer(
        self,
        conversation_id: str,
        prompt_id: str,
        stage: StageId,
        *,
        text: str | None = None,
        asked: bool | None = None,
        private: bool | None = None,
        hidden: bool | None = None,
        position: int | None = None,
    ) -> Answer:
        """Create or change the answer to one prompt; only the given fields change."""
        with self.journal.transaction() as session:
            self._get(session, orm.ConversationRow, conversation_id, "conversation")
            row = session.scalars(
                select(orm.AnswerRow).where(
                    orm.AnswerRow.conversation_id == conversation_id,
                    orm.AnswerRow.prompt_id == prompt_id,
                )
            ).first()
            if row is None:
                row = orm.AnswerRow(
                    id=new_id(), conversation_id=conversation_id, prompt_id=prompt_id,
                    stage=StageId(stage).value, text="", asked=False, private=False,
                    hidden=False, position=0,
                )
                session.add(row)
            for name, value in (
                ("text", text), ("asked", asked), ("private", private), ("hidden", hidden),
                ("position", position),
            ):
                if value is not None:
                    setattr(row, name, value)
            session.flush()
            return to_domain(row, Answer)

    # -- free notes ------------------------------------------------------------------------
    def notes(self, conversation_id: str) -> list[Note]:
        with self.journal.reading() as session:
            rows = session.scalars(
                select(orm.NoteRow)
                .where(orm.NoteRow.conversation_id == conversation_id)
                .order_by(orm.NoteRow.stage, orm.NoteRow.kind, orm.NoteRow.created_at)
            ).all()
            return [to_domain(r, Note) for r in rows]

    def set_note(
        self,
        conversation_id: str,
        stage: StageId,
        kind: NoteKind = NoteKind.FREE,
        *,
        text: str | None = None,
        private: bool | None = None,
    ) -> Note:
        """The one note of ``kind`` on ``stage``: created on first write. Reflection notes are
        always private."""
        with self.journal.transaction() as session:
            self._get(session, orm.ConversationRow, conversation_id, "conversation")
            row = session.scalars(
                select(orm.NoteRow).where(
                    orm.NoteRow.conversation_id == conversation_id,
                    orm.NoteRow.stage == StageId(stage).value,
                    orm.NoteRow.kind == NoteKind(kind).value,
                )
            ).first()
            if row is None:
                row = orm.NoteRow(
                    id=new_id(), conversation_id=conversation_id, stage=StageId(stage).value,
                    kind=NoteKind(kind).value, text="",
                    private=NoteKind(kind) is not NoteKind.FREE,
                )
                session.add(row)
            cleared = text == "" and bool(row.text)
            if text is not None:
                row.text = text
            if private is not None:
                row.private = private or NoteKind(kind) is NoteKind.REFLECTION
            session.flush()
            note = to_domain(row, Note)
        if cleared:  # a note emptied is a note deleted: older page images leave the WAL
            self.journal.purge_deleted()
        return note

    # -- the match -------------------------------------------------------------------------
    def match_items(self, conversation_id: str) -> list[MatchItem]:
        with self.journal.reading() as session:
            rows = session.scalars(
                select(orm.MatchItemRow)
                .where(orm.MatchItemRow.conversation_id == conversation_id)
                .order_by(orm.MatchItemRow.position, orm.MatchItemRow.created_at)
            ).all()
            return [to_domain(r, MatchItem) for r in rows]

    def add_match_item(
        self,
        conversation_id: str,
        text: str,
        *,
        in_skills: bool = False,
        in_interests: bool = False,
        in_business: bool = False,
        private: bool = False,
        item_id: str | None = None,
    ) -> MatchItem:
        text = require_text(text, "item")
        with self.journal.transaction() as session:
            self._get(session, orm.ConversationRow, conversation_id, "conversation")
            count = len(
                session.scalars(
                    select(orm.MatchItemRow.id).where(
                        orm.MatchItemRow.conversation_id == conversation_id
                    )
                ).all()
            )
            row = orm.MatchItemRow(
                id=item_id or new_id(), conversation_id=conversation_id, text=text,
                in_skills=in_skills, in_interests=in_interests, in_business=in_business,
                private=private, position=count,
            )
            session.add(row)
            session.flush()
            return to_domain(row, MatchItem)

    def update_match_item(self, item_id: str, **changes: Any) -> MatchItem:
        if "text" in changes:
            changes["text"] = require_text(changes["text"], "item")
        with self.journal.transaction() as session:
            row = self._get(session, orm.MatchItemRow, item_id, "match item")
            self._apply(row, changes, _MATCH_FIELDS)
            session.flush()
            return to_domain(row, MatchItem)

    def restore_match_item(self, item: MatchItem) -> MatchItem:
        """Put back a removed match item from its snapshot (same id and fields): undo."""
        with self.journal.transaction() as session:
            self._get(session, orm.ConversationRow, item.conversation_id, "conversation")
            return to_domain(self._restore(session, orm.MatchItemRow, item), MatchItem)

    def delete_match_item(self, item_id: str) -> None:
        with self.journal.transaction() as session:
            session.delete(self._get(session, orm.MatchItemRow, item_id, "match item"))
        self.journal.purge_deleted()

    # -- behaviour and guardrail checks ----------------------------------------------------
    def checks(self, conversation_id: str) -> dict[str, bool]:
        with self.journal.reading() as session:
            rows = session.scalars(
                select(orm.BehaviourCheckRow).where(
                    orm.BehaviourCheckRow.conversation_id == conversation_id
                )
            ).all()
            return {r.item_id: r.checked for r in rows}

    def set_check(self, conversation_id: str, item_id: str, checked: bool) -> BehaviourCheck:
        with self.journal.transaction() as session:
            self._get(session, orm.ConversationRow, conversation_id, "conversation")
            row = session.scalars(
                select(orm.BehaviourCheckRow).where(
                    orm.BehaviourCheckRow.conversation_id == conversation_id,
                    orm.BehaviourCheckRow.item_id == item_id,
                )
            ).first()
            if row is None:
                row = orm.BehaviourCheckRow(
                    id=new_id(), conversation_id=conversation_id, item_id=item_id
                )
                session.add(row)
            row.checked = checked
            session.flush()
            return to_domain(row, BehaviourCheck)

    # -- pulse -----------------------------------------------------------------------------
    def pulse(self, conversation_id: str) -> dict[str, int]:
        with self.journal.reading() as session:
            rows = session.scalars(
                select(orm.PulseValueRow).where(
                    orm.PulseValueRow.conversation_id == conversation_id
                )
            ).all()
            return {r.dimension_id: r.value for r in rows}

    def set_pulse(self, conversation_id: str, dimension_id: str, value: int | None) -> None:
        """Set one reading; ``None`` clears it."""
        if value is not None:
            _check_pulse(value)
        with self.journal.transaction() as session:
            self._get(session, orm.ConversationRow, conversation_id, "conversation")
            row = session.scalars(
                select(orm.PulseValueRow).where(
                    orm.PulseValueRow.conversation_id == conversation_id,
                    orm.PulseValueRow.dimension_id == dimension_id,
                )
            ).first()
            if value is None:
                if row is not None:
                    session.delete(row)
                return
            if row is None:
                session.add(
                    orm.PulseValueRow(
                        id=new_id(), conversation_id=conversation_id,
                        dimension_id=dimension_id, value=value,
                    )
                )
            else:
                row.value = value

    def pulse_history(self, person_id: str) -> list[tuple[dt.date, dict[str, int]]]:
        """Every conversation's pulse for a person, oldest first (for the trend)."""
        with self.journal.reading() as session:
            rows = session.execute(
                select(
                    orm.ConversationRow.held_on,
                    orm.PulseValueRow.dimension_id,
                    orm.PulseValueRow.value,
                )
                .join(
                    orm.PulseValueRow, orm.PulseValueRow.conversation_id == orm.ConversationRow.id
                )
                .where(orm.ConversationRow.person_id == person_id)
                .order_by(orm.ConversationRow.held_on, orm.ConversationRow.created_at)
            ).all()
        history: dict[dt.date, dict[str, int]] = {}
        for held_on, dimension, value in rows:
            history.setdefault(held_on, {})[dimension] = value
        return sorted(history.items())

    # -- carry-over and the full record ----------------------------------------------------
    def carry_over(self, person_id: str) -> CarryOver:
        """The newest conversation's unasked prompts and the person's open actions."""
        with self.journal.reading() as session:
            previous = session.scalars(
                select(orm.ConversationRow)
                .where(orm.ConversationRow.person_id == person_id)
                .order_by(orm.ConversationRow.held_on.desc(), orm.ConversationRow.created_at.desc())
            ).first()
            unasked: list[Answer] = []
            customs: list[CustomPrompt] = []
            if previous is not None:
                customs = [
                    to_domain(r, CustomPrompt)
                    for r in session.scalars(
                        select(orm.CustomPromptRow).where(
                            orm.CustomPromptRow.conversation_id == previous.id
                        )
                    )
                ]
                answered = {
                    r.prompt_id: r
                    for r in session.scalars(
                        select(orm.AnswerRow).where(orm.AnswerRow.conversation_id == previous.id)
                    )
                }
                unasked = [
                    to_domain(r, Answer)
                    for r in answered.values()
                    if not r.asked and not r.hidden and (r.text.strip() or
                                                         r.prompt_id.startswith(CUSTOM_PREFIX))
                ]
                # A custom prompt never touched has no answer row but is still unasked.
                for prompt in customs:
                    if prompt.prompt_id not in answered:
                        unasked.append(
                            Answer(id=new_id(), conversation_id=previous.id,
                                   prompt_id=prompt.prompt_id, stage=prompt.stage)
                        )
                unasked.sort(key=lambda a: (a.stage.value, a.position, a.prompt_id))
            actions = [
                to_domain(r, Action)
                for r in session.scalars(
                    select(orm.ActionRow)
                    .where(
                        orm.ActionRow.person_id == person_id,
                        orm.ActionRow.status.in_(("open", "in_progress")),
                    )
                    .order_by(
                        orm.ActionRow.due.is_(None), orm.ActionRow.due, orm.ActionRow.created_at
                    )
                )
            ]
            return CarryOver(
                previous=None if previous is None else to_domain(previous, Conversation),
                unasked=unasked,
                custom_prompts=customs,
                open_actions=actions,
            )

    def record(self, conversation_id: str) -> ConversationRecord:
        with self.journal.reading() as session:
            row = session.scalars(
                select(orm.ConversationRow)
                .where(orm.ConversationRow.id == conversation_id)
                .options(*_record_loads())
            ).first()
            if row is None:
                raise NotFoundError("That conversation no longer exists.")
            return self._record(session, row)

    def records_for(self, person_id: str) -> list[ConversationRecord]:
        """Every conversation of a person in full, newest first, in a handful of queries."""
        with self.journal.reading() as session:
            rows = session.scalars(
                select(orm.ConversationRow)
                .where(orm.ConversationRow.person_id == person_id)
                .order_by(orm.ConversationRow.held_on.desc(), orm.ConversationRow.created_at.desc())
                .options(*_record_loads())
            ).all()
            return [self._record(session, row) for row in rows]

    @staticmethod
    def _record(session: Session, row: orm.ConversationRow) -> ConversationRecord:
        conversation_id = row.id
        person = to_domain(row.person, Person)
        conversation = to_domain(row, Conversation)
        own = session.scalars(
            select(orm.ActionRow)
            .where(orm.ActionRow.conversation_id == conversation_id)
            .order_by(orm.ActionRow.position, orm.ActionRow.created_at)
        ).all()
        carried_ids = [i for i in row.carried_action_ids if i not in {a.id for a in own}]
        carried = (
            session.scalars(select(orm.ActionRow).where(orm.ActionRow.id.in_(carried_ids))).all()
            if carried_ids
            else []
        )
        carried_sorted = sorted(carried, key=lambda a: carried_ids.index(a.id))
        return ConversationRecord(
            person=person,
            conversation=conversation,
            answers=[to_domain(r, Answer) for r in sorted(
                row.answers, key=lambda a: (a.stage, a.position, a.prompt_id))],
            notes=[to_domain(r, Note) for r in sorted(
                row.notes, key=lambda n: (n.stage, n.kind))],
            match_items=[to_domain(r, MatchItem) for r in sorted(
                row.match_items, key=lambda m: (m.position, m.created_at))],
            actions=[to_domain(r, Action) for r in [*own, *carried_sorted]],
            checks={r.item_id: r.checked for r in row.behaviour_checks},
            pulse={r.dimension_id: r.value for r in row.pulse_values},
            custom_prompts=[to_domain(r, CustomPrompt) for r in sorted(
                row.custom_prompts, key=lambda c: c.created_at)],
        )

    def add_custom_prompt(
        self, conversation_id: str, stage: StageId, text: str, *, hint: str = ""
    ) -> CustomPrompt:
        """A question the user adds to this conversation only."""
        text = require_text(text, "question")
        with self.journal.transaction() as session:
            self._get(session, orm.ConversationRow, conversation_id, "conversation")
            row = orm.CustomPromptRow(
                id=new_id(), stage=StageId(stage).value, text=text, hint=hint,
                conversation_id=conversation_id,
            )
            session.add(row)
            session.flush()
            return to_domain(row, CustomPrompt)
