"""SQLAlchemy 2.x typed ORM rows for the journal file, mapped onto :mod:`.tables`.

Every row has a UUID primary key that never changes and ``created_at``/``updated_at`` stamps.
The columns, their types, defaults and indexes are defined once, in ``tables.py``; here are the
classes, their typed attributes and their relationships. Importing this module sets up the ORM
(about 40 ms), so the first screen's reads use the tables directly and this waits for the first
write or record load. Changing the schema needs an Alembic migration: ``alembic check`` is a
test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from careerdesk.storage import tables
from careerdesk.storage.tables import NAMING, UTCDateTime

__all__ = [
    "NAMING",
    "ActionRow",
    "AnswerRow",
    "Base",
    "BehaviourCheckRow",
    "ConversationRow",
    "CustomPromptRow",
    "JournalEntryRow",
    "MatchItemRow",
    "NoteRow",
    "PersonRow",
    "PromptTemplateRow",
    "PulseValueRow",
    "SettingRow",
    "UTCDateTime",
]


class Base(DeclarativeBase):
    metadata = tables.metadata


class Stamped:
    """Id and timestamps shared by every row."""

    id: Mapped[str]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class SettingRow(Base):
    """Key/value settings stored in the journal (owner name, usage mode, ...)."""

    __table__ = tables.settings

    key: Mapped[str]
    value: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime]


class PersonRow(Stamped, Base):
    __table__ = tables.people

    name: Mapped[str]
    role: Mapped[str]
    team: Mapped[str]
    is_me: Mapped[bool]
    archived: Mapped[bool]
    cadence_days: Mapped[int]
    next_conversation: Mapped[dt.date | None]

    conversations: Mapped[list[ConversationRow]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    actions: Mapped[list[ActionRow]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    journal_entries: Mapped[list[JournalEntryRow]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )


class ConversationRow(Stamped, Base):
    __table__ = tables.conversations

    person_id: Mapped[str]
    held_on: Mapped[dt.date]
    present: Mapped[str]
    purpose: Mapped[str]
    method_pack: Mapped[str]
    current_stage: Mapped[str]
    completed: Mapped[bool]
    #: Open actions from earlier conversations brought into this one's plan.
    carried_action_ids: Mapped[list[str]]

    person: Mapped[PersonRow] = relationship(back_populates="conversations")
    answers: Mapped[list[AnswerRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    notes: Mapped[list[NoteRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    match_items: Mapped[list[MatchItemRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    behaviour_checks: Mapped[list[BehaviourCheckRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    pulse_values: Mapped[list[PulseValueRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    custom_prompts: Mapped[list[CustomPromptRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class AnswerRow(Stamped, Base):
    __table__ = tables.answers

    conversation_id: Mapped[str]
    prompt_id: Mapped[str]
    stage: Mapped[str]
    text: Mapped[str]
    asked: Mapped[bool]
    private: Mapped[bool]
    hidden: Mapped[bool]
    position: Mapped[int]


class NoteRow(Stamped, Base):
    __table__ = tables.notes

    conversation_id: Mapped[str]
    stage: Mapped[str]
    kind: Mapped[str]
    text: Mapped[str]
    private: Mapped[bool]


class MatchItemRow(Stamped, Base):
    __table__ = tables.match_items

    conversation_id: Mapped[str]
    text: Mapped[str]
    in_skills: Mapped[bool]
    in_interests: Mapped[bool]
    in_business: Mapped[bool]
    private: Mapped[bool]
    position: Mapped[int]


class ActionRow(Stamped, Base):
    __table__ = tables.actions

    person_id: Mapped[str]
    conversation_id: Mapped[str | None]
    kind: Mapped[str]
    text: Mapped[str]
    owner: Mapped[str]
    due: Mapped[dt.date | None]
    status: Mapped[str]
    support: Mapped[str]
    horizon: Mapped[str]
    private: Mapped[bool]
    position: Mapped[int]
    done_on: Mapped[dt.date | None]

    person: Mapped[PersonRow] = relationship(back_populates="actions")


class BehaviourCheckRow(Stamped, Base):
    __table__ = tables.behaviour_checks

    conversation_id: Mapped[str]
    item_id: Mapped[str]
    checked: Mapped[bool]


class PulseValueRow(Stamped, Base):
    __table__ = tables.pulse_values

    conversation_id: Mapped[str]
    dimension_id: Mapped[str]
    value: Mapped[int]


class JournalEntryRow(Stamped, Base):
    __table__ = tables.journal_entries

    person_id: Mapped[str]
    entry_date: Mapped[dt.date]
    title: Mapped[str]
    body: Mapped[str]
    tags: Mapped[list[str]]
    private: Mapped[bool]
    prompt_id: Mapped[str | None]

    person: Mapped[PersonRow] = relationship(back_populates="journal_entries")


class PromptTemplateRow(Stamped, Base):
    __table__ = tables.prompt_templates

    name: Mapped[str]
    method_pack: Mapped[str]
    layout: Mapped[dict[str, Any]]
    wording: Mapped[dict[str, Any]]

    custom_prompts: Mapped[list[CustomPromptRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class CustomPromptRow(Stamped, Base):
    __table__ = tables.custom_prompts

    stage: Mapped[str]
    text: Mapped[str]
    hint: Mapped[str]
    conversation_id: Mapped[str | None]
    template_id: Mapped[str | None]
