"""SQLAlchemy 2.x typed ORM rows for the journal file.

Every row has a UUID primary key that never changes and ``created_at``/``updated_at`` stamps.
Changing anything here needs an Alembic migration: ``alembic check`` is a test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime stored as ISO 8601 text ending in ``Z``."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def process_result_value(self, value: str | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        # fromisoformat is ~20x faster than strptime and reads the trailing "Z" as UTC.
        return dt.datetime.fromisoformat(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime(), dict[str, Any]: JSON(), list[str]: JSON(),
    }


def _stamp() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Stamped:
    """Id and timestamps shared by every row."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=_stamp)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_stamp, onupdate=_stamp)


class SettingRow(Base):
    """Key/value settings stored in the journal (owner name, usage mode, ...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=_stamp, onupdate=_stamp)


class PersonRow(Stamped, Base):
    __tablename__ = "people"

    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text, default="")
    team: Mapped[str] = mapped_column(Text, default="")
    is_me: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    cadence_days: Mapped[int] = mapped_column(Integer, default=90)
    next_conversation: Mapped[dt.date | None] = mapped_column(Date)

    conversations: Mapped[list[ConversationRow]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    actions: Mapped[list[ActionRow]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    journal_entries: Mapped[list[JournalEntryRow]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("cadence_days > 0", name="cadence_positive"),
        # At most one "me" per journal.
        Index("uq_people_one_me", "is_me", unique=True, sqlite_where=text("is_me = 1")),
    )


class ConversationRow(Stamped, Base):
    __tablename__ = "conversations"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    held_on: Mapped[dt.date] = mapped_column(Date)
    present: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    method_pack: Mapped[str] = mapped_column(String(64), default="default")
    current_stage: Mapped[str] = mapped_column(String(32), default="prepare")
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Open actions from earlier conversations brought into this one's plan.
    carried_action_ids: Mapped[list[str]] = mapped_column(default=list)

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

    # The roster's last conversation and count per person, from the index alone (0003).
    __table_args__ = (Index("ix_conversations_person_id_held_on", "person_id", "held_on"),)


class AnswerRow(Stamped, Base):
    __tablename__ = "answers"

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    prompt_id: Mapped[str] = mapped_column(String(120))
    stage: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    asked: Mapped[bool] = mapped_column(Boolean, default=False)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("conversation_id", "prompt_id"),)


class NoteRow(Stamped, Base):
    __tablename__ = "notes"

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32), default="free")
    text: Mapped[str] = mapped_column(Text, default="")
    private: Mapped[bool] = mapped_column(Boolean, default=False)


class MatchItemRow(Stamped, Base):
    __tablename__ = "match_items"

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    in_skills: Mapped[bool] = mapped_column(Boolean, default=False)
    in_interests: Mapped[bool] = mapped_column(Boolean, default=False)
    in_business: Mapped[bool] = mapped_column(Boolean, default=False)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ActionRow(Stamped, Base):
    __tablename__ = "actions"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    conversation_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(32), default="employee")
    due: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32), default="open")
    support: Mapped[str] = mapped_column(Text, default="")
    horizon: Mapped[str] = mapped_column(String(32), default="now")
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    done_on: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[PersonRow] = relationship(back_populates="actions")

    # The roster's open and overdue counts per person, from the index alone (0003).
    __table_args__ = (Index("ix_actions_person_id_status_due", "person_id", "status", "due"),)


class BehaviourCheckRow(Stamped, Base):
    __tablename__ = "behaviour_checks"

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(120))
    checked: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("conversation_id", "item_id"),)


class PulseValueRow(Stamped, Base):
    __tablename__ = "pulse_values"

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    dimension_id: Mapped[str] = mapped_column(String(120))
    value: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("conversation_id", "dimension_id"),
        CheckConstraint("value BETWEEN 1 AND 5", name="value_range"),
    )


class JournalEntryRow(Stamped, Base):
    __tablename__ = "journal_entries"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    entry_date: Mapped[dt.date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(default=list)
    private: Mapped[bool] = mapped_column(Boolean, default=True)
    prompt_id: Mapped[str | None] = mapped_column(String(120))

    person: Mapped[PersonRow] = relationship(back_populates="journal_entries")


class PromptTemplateRow(Stamped, Base):
    __tablename__ = "prompt_templates"

    name: Mapped[str] = mapped_column(Text, unique=True)
    method_pack: Mapped[str] = mapped_column(String(64), default="default")
    layout: Mapped[dict[str, Any]] = mapped_column(default=dict)
    wording: Mapped[dict[str, Any]] = mapped_column(default=dict)

    custom_prompts: Mapped[list[CustomPromptRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class CustomPromptRow(Stamped, Base):
    __tablename__ = "custom_prompts"

    stage: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    hint: Mapped[str] = mapped_column(Text, default="")
    conversation_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    template_id: Mapped[str | None] = mapped_column(
        ForeignKey("prompt_templates.id", ondelete="CASCADE"), index=True
    )
