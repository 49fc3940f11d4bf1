"""The journal's schema as SQLAlchemy Core tables: the one definition of every column.

Reads that only need plain rows (the first screen: settings, the roster, a person's
conversations) use these tables and never load :mod:`careerdesk.storage.rows`, whose ORM classes
are mapped onto them: that mapping costs about 40 ms at start-up, so it waits until the first
write or record load. Changing anything here needs an Alembic migration: ``alembic check`` is a
test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime stored as ISO 8601 text ending in ``Z``."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        # isoformat pads the year to 4 digits (strftime's %Y writes year 1 as "1" on glibc,
        # which fromisoformat cannot read back).
        utc = value.astimezone(dt.UTC).replace(tzinfo=None)
        return utc.isoformat(timespec="microseconds") + "Z"

    def process_result_value(self, value: str | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        # fromisoformat is ~20x faster than strptime and reads the trailing "Z" as UTC.
        try:
            return dt.datetime.fromisoformat(value)
        except (ValueError, TypeError):
            # A hand edit or another tool: a damaged journal to the user, not a crash.
            from careerdesk.errors import DamagedJournalError

            raise DamagedJournalError(
                "The journal holds a time CareerDesk cannot read; it was left untouched.",
                hint="careerdesk check names the records; restore a backup, or correct them.",
            ) from None


def _stamp() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _text(name: str, **kw: Any) -> Column[str]:
    """Required text, empty unless given."""
    return Column(name, Text, nullable=False, default="", **kw)


def _flag(name: str, *, default: bool = False) -> Column[bool]:
    return Column(name, Boolean, nullable=False, default=default)


def _parent(name: str, target: str, *, ondelete: str, nullable: bool = False,
            index: bool = True) -> Column[str]:
    return Column(name, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


def _record(name: str, *columns: Any) -> Table:
    """A table whose rows have a UUID that never changes and created/updated stamps."""
    return Table(
        name,
        metadata,
        *columns,
        Column("id", String(36), primary_key=True),
        Column("created_at", UTCDateTime(), nullable=False, default=_stamp),
        Column("updated_at", UTCDateTime(), nullable=False, default=_stamp, onupdate=_stamp),
    )


#: Key/value settings stored in the journal (owner name, usage mode, ...).
settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", JSON(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False, default=_stamp, onupdate=_stamp),
)

people = _record(
    "people",
    Column("name", Text, nullable=False),
    _text("role"),
    _text("team"),
    _flag("is_me"),
    _flag("archived"),
    Column("cadence_days", Integer, nullable=False, default=90),
    Column("next_conversation", Date, nullable=True),
    CheckConstraint("cadence_days > 0", name="cadence_positive"),
    # At most one "me" per journal.
    Index("uq_people_one_me", "is_me", unique=True, sqlite_where=text("is_me = 1")),
)

conversations = _record(
    "conversations",
    _parent("person_id", "people.id", ondelete="CASCADE", index=False),
    Column("held_on", Date, nullable=False),
    _text("present"),
    _text("purpose"),
    Column("method_pack", String(64), nullable=False, default="default"),
    Column("current_stage", String(32), nullable=False, default="prepare"),
    _flag("completed"),
    #: Open actions from earlier conversations brought into this one's plan.
    Column("carried_action_ids", JSON(), nullable=False, default=list),
    # The roster's last conversation and count per person, from the index alone (0003).
    Index("ix_conversations_person_id_held_on", "person_id", "held_on"),
)

answers = _record(
    "answers",
    _parent("conversation_id", "conversations.id", ondelete="CASCADE"),
    Column("prompt_id", String(120), nullable=False),
    Column("stage", String(32), nullable=False),
    _text("text"),
    _flag("asked"),
    _flag("private"),
    _flag("hidden"),
    Column("position", Integer, nullable=False, default=0),
    UniqueConstraint("conversation_id", "prompt_id"),
)

notes = _record(
    "notes",
    _parent("conversation_id", "conversations.id", ondelete="CASCADE"),
    Column("stage", String(32), nullable=False),
    Column("kind", String(32), nullable=False, default="free"),
    _text("text"),
    _flag("private"),
)

match_items = _record(
    "match_items",
    _parent("conversation_id", "conversations.id", ondelete="CASCADE"),
    Column("text", Text, nullable=False),
    _flag("in_skills"),
    _flag("in_interests"),
    _flag("in_business"),
    _flag("private"),
    Column("position", Integer, nullable=False, default=0),
)

actions = _record(
    "actions",
    _parent("person_id", "people.id", ondelete="CASCADE", index=False),
    _parent("conversation_id", "conversations.id", ondelete="SET NULL", nullable=True),
    Column("kind", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("owner", String(32), nullable=False, default="employee"),
    Column("due", Date, nullable=True),
    Column("status", String(32), nullable=False, default="open"),
    _text("support"),
    Column("horizon", String(32), nullable=False, default="now"),
    _flag("private"),
    Column("position", Integer, nullable=False, default=0),
    Column("done_on", Date, nullable=True),
    # The roster's open and overdue counts per person, from the index alone (0003).
    Index("ix_actions_person_id_status_due", "person_id", "status", "due"),
)

behaviour_checks = _record(
    "behaviour_checks",
    _parent("conversation_id", "conversations.id", ondelete="CASCADE"),
    Column("item_id", String(120), nullable=False),
    _flag("checked", default=True),
    UniqueConstraint("conversation_id", "item_id"),
)

pulse_values = _record(
    "pulse_values",
    _parent("conversation_id", "conversations.id", ondelete="CASCADE"),
    Column("dimension_id", String(120), nullable=False),
    Column("value", Integer, nullable=False),
    UniqueConstraint("conversation_id", "dimension_id"),
    CheckConstraint("value BETWEEN 1 AND 5", name="value_range"),
)

journal_entries = _record(
    "journal_entries",
    _parent("person_id", "people.id", ondelete="CASCADE"),
    Column("entry_date", Date, nullable=False, index=True),
    _text("title"),
    _text("body"),
    Column("tags", JSON(), nullable=False, default=list),
    _flag("private", default=True),
    Column("prompt_id", String(120), nullable=True),
)

prompt_templates = _record(
    "prompt_templates",
    Column("name", Text, nullable=False, unique=True),
    Column("method_pack", String(64), nullable=False, default="default"),
    Column("layout", JSON(), nullable=False, default=dict),
    Column("wording", JSON(), nullable=False, default=dict),
)

custom_prompts = _record(
    "custom_prompts",
    Column("stage", String(32), nullable=False),
    Column("text", Text, nullable=False),
    _text("hint"),
    _parent("conversation_id", "conversations.id", ondelete="CASCADE", nullable=True),
    _parent("template_id", "prompt_templates.id", ondelete="CASCADE", nullable=True),
)
