"""The records CareerDesk keeps, as plain frozen dataclasses.

Services return these; the UI and the exporters read them. They carry stable UUIDs (``id``)
that survive dump, load and import. Prompts are referenced by their string id, never by text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum


def new_id() -> str:
    """A fresh record id (UUID4, canonical text form)."""
    return str(uuid.uuid4())


def utc_now() -> dt.datetime:
    """Now, in UTC, to the microsecond (timezone-aware)."""
    return dt.datetime.now(dt.UTC)


class UsageMode(StrEnum):
    """How the journal is used; chosen at first start, changeable in preferences."""

    OWN = "own"  # my own career journal
    OTHERS = "others"  # conversations with the people I support
    BOTH = "both"


class StageId(StrEnum):
    """The stages of a conversation, in order (DESIGN.md §3)."""

    PREPARE = "prepare"
    CURRENT_ROLE = "current_role"
    FUTURE_ROLES = "future_roles"
    MATCH = "match"
    PLAN = "plan"
    REFLECT = "reflect"
    SUMMARY = "summary"


STAGE_ORDER: tuple[StageId, ...] = tuple(StageId)


class ActionKind(StrEnum):
    """The four kinds of next step."""

    SKILL = "skill"  # a skill to develop
    EXPERIENCE = "experience"  # a new responsibility or experience
    OPPORTUNITY = "opportunity"  # an opportunity to pursue
    ROADBLOCK = "roadblock"  # a roadblock to remove


class Owner(StrEnum):
    """Who owns a next step. The employee by default: they own their career."""

    EMPLOYEE = "employee"
    SUPERVISOR = "supervisor"
    BOTH = "both"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Horizon(StrEnum):
    NOW = "now"  # this quarter
    NEXT = "next"  # the next 12-18 months
    LONG = "long"  # long term


class NoteKind(StrEnum):
    FREE = "free"  # free notes on a stage
    REFLECTION = "reflection"  # the supervisor's private reflection
    PREPARATION = "preparation"  # the employee's own preparation


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str = ""
    team: str = ""
    is_me: bool = False
    archived: bool = False
    cadence_days: int = 90
    next_conversation: dt.date | None = None
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class Conversation:
    id: str
    person_id: str
    held_on: dt.date
    present: str = ""
    purpose: str = ""
    method_pack: str = "default"
    current_stage: StageId = StageId.PREPARE
    completed: bool = False
    carried_action_ids: tuple[str, ...] = ()
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class Answer:
    """The state of one prompt within one conversation: asked, its note, private, hidden, order."""

    id: str
    conversation_id: str
    prompt_id: str
    stage: StageId
    text: str = ""
    asked: bool = False
    private: bool = False
    hidden: bool = False
    position: int = 0
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class Note:
    id: str
    conversation_id: str
    stage: StageId
    kind: NoteKind = NoteKind.FREE
    text: str = ""
    private: bool = False
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class MatchItem:
    """One item of the match, placed in one, two or three circles."""

    id: str
    conversation_id: str
    text: str
    in_skills: bool = False
    in_interests: bool = False
    in_business: bool = False
    private: bool = False
    position: int = 0
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class Action:
    """A next step. Belongs to a person; ``conversation_id`` is where it was agreed."""

    id: str
    person_id: str
    text: str
    kind: ActionKind = ActionKind.SKILL
    owner: Owner = Owner.EMPLOYEE
    conversation_id: str | None = None
    due: dt.date | None = None
    status: ActionStatus = ActionStatus.OPEN
    support: str = ""
    horizon: Horizon = Horizon.NOW
    private: bool = False
    position: int = 0
    done_on: dt.date | None = None
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class BehaviourCheck:
    """One ticked item of the behaviour checklist or of the Reflect guardrails."""

    id: str
    conversation_id: str
    item_id: str
    checked: bool = True
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class PulseValue:
    """One early-sign reading (1 to 5) of one pulse dimension in one conversation. Private."""

    id: str
    conversation_id: str
    dimension_id: str
    value: int
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class JournalEntry:
    id: str
    person_id: str
    entry_date: dt.date
    title: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    private: bool = True
    prompt_id: str | None = None
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class CustomPrompt:
    """A prompt the user wrote. Its prompt id is ``custom:<id>``.

    ``conversation_id`` set: it belongs to that conversation only; ``template_id`` set: to that
    template; neither: it is part of the user's default question list.
    """

    id: str
    stage: StageId
    text: str
    hint: str = ""
    conversation_id: str | None = None
    template_id: str | None = None
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)

    @property
    def prompt_id(self) -> str:
        return CUSTOM_PREFIX + self.id


CUSTOM_PREFIX = "custom:"


@dataclass(frozen=True)
class PromptTemplate:
    """A named question list: per stage, the ordered prompt ids, and which are hidden.

    ``layout`` maps a stage id to a list of ``{"prompt_id": ..., "hidden": bool}``; wording edits
    of built-in prompts are kept in ``wording`` (prompt id -> text).
    """

    id: str
    name: str
    method_pack: str = "default"
    layout: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    wording: dict[str, str] = field(default_factory=dict)
    created_at: dt.datetime = field(default_factory=utc_now)
    updated_at: dt.datetime = field(default_factory=utc_now)
