"""Reminders: who is due a conversation, which next steps are due or overdue, what to prepare.

Pure rules over domain objects and dates (no Qt, no database): the services gather the facts,
these functions decide. "Today" is always passed in, so every rule is tested with fixed dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from careerdesk.domain.model import Action, Person

DEFAULT_CADENCE_DAYS = 90
#: A conversation due within this many days is shown as "coming up".
SOON_DAYS = 7
#: A scheduled conversation within this many days asks for preparation.
PREP_DAYS = 7


class DueState(StrEnum):
    OVERDUE = "overdue"  # the due date has passed
    TODAY = "today"
    SOON = "soon"  # within SOON_DAYS
    LATER = "later"


@dataclass(frozen=True)
class ConversationDue:
    """When a person's next conversation is due, and why."""

    person: Person
    due: dt.date
    last: dt.date | None
    scheduled: bool  # an explicit date (Person.next_conversation) rather than the cadence
    state: DueState
    days: int  # days until due; negative when overdue

    @property
    def is_due(self) -> bool:
        return self.state is not DueState.LATER


@dataclass(frozen=True)
class ActionDue:
    action: Action
    person: Person
    state: DueState
    days: int


@dataclass(frozen=True)
class PrepReminder:
    """A scheduled conversation coming up: what to look at before it."""

    person: Person
    on: dt.date
    days: int
    open_actions: int
    overdue_actions: int


@dataclass(frozen=True)
class Today:
    """Everything the "Today" view and the start-up notification show."""

    date: dt.date
    conversations: tuple[ConversationDue, ...]
    actions: tuple[ActionDue, ...]
    prep: tuple[PrepReminder, ...]

    @property
    def empty(self) -> bool:
        return not (self.conversations or self.actions or self.prep)

    def summary(self) -> str:
        """One line for a notification (names only, never note text)."""
        parts = []
        overdue = sum(1 for c in self.conversations if c.state is DueState.OVERDUE)
        due = len(self.conversations) - overdue
        if overdue:
            parts.append(f"{overdue} conversation{'s' if overdue != 1 else ''} overdue")
        if due:
            parts.append(f"{due} conversation{'s' if due != 1 else ''} due soon")
        late = sum(1 for a in self.actions if a.state is DueState.OVERDUE)
        if late:
            parts.append(f"{late} next step{'s' if late != 1 else ''} overdue")
        this_week = len(self.actions) - late
        if this_week:
            parts.append(f"{this_week} next step{'s' if this_week != 1 else ''} due this week")
        if self.prep:
            parts.append(f"{len(self.prep)} conversation{'s' if len(self.prep) != 1 else ''} "
                         "to prepare")
        return ", ".join(parts) if parts else "Nothing due."


def week_end(today: dt.date) -> dt.date:
    """The Sunday that ends ``today``'s (ISO) week."""
    return today + dt.timedelta(days=6 - today.weekday())


def _state(due: dt.date, today: dt.date, *, soon_until: dt.date) -> DueState:
    if due < today:
        return DueState.OVERDUE
    if due == today:
        return DueState.TODAY
    if due <= soon_until:
        return DueState.SOON
    return DueState.LATER


def next_conversation_due(
    person: Person, last: dt.date | None, *, today: dt.date
) -> tuple[dt.date, bool]:
    """The date the next conversation is due and whether it was scheduled explicitly.

    A booked ``next_conversation`` wins while it is still ahead of the last conversation held
    (once that conversation has taken place, the booking is used up); otherwise the last
    conversation plus the cadence; someone never talked with is due from the day they were added.
    """
    booked = person.next_conversation
    if booked is not None and (last is None or booked > last):
        return booked, True
    cadence = person.cadence_days if person.cadence_days > 0 else DEFAULT_CADENCE_DAYS
    if last is not None:
        return last + dt.timedelta(days=cadence), False
    added = person.created_at.date() if person.created_at else today
    return min(added, today), False


def conversation_schedule(
    people: Iterable[Person],
    last_held: Mapping[str, dt.date],
    *,
    today: dt.date,
    soon_days: int = SOON_DAYS,
) -> list[ConversationDue]:
    """Every active person's next conversation, most urgent first (archived people skipped)."""
    result = []
    soon_until = today + dt.timedelta(days=soon_days)
    for person in people:
        if person.archived:
            continue
        last = last_held.get(person.id)
        due, scheduled = next_conversation_due(person, last, today=today)
        result.append(
            ConversationDue(
                person=person, due=due, last=last, scheduled=scheduled,
                state=_state(due, today, soon_until=soon_until), days=(due - today).days,
            )
        )
    result.sort(key=lambda c: (c.due, c.person.name.casefold()))
    return result


def conversations_due(
    people: Iterable[Person],
    last_held: Mapping[str, dt.date],
    *,
    today: dt.date,
    soon_days: int = SOON_DAYS,
) -> list[ConversationDue]:
    """Conversations overdue, due today or within ``soon_days``, most overdue first."""
    return [
        c for c in conversation_schedule(people, last_held, today=today, soon_days=soon_days)
        if c.is_due
    ]


def actions_due(
    actions: Iterable[Action], people: Mapping[str, Person], *, today: dt.date
) -> list[ActionDue]:
    """Open next steps that are overdue or due by the end of this week, most overdue first."""
    until = week_end(today)
    result = []
    for action in actions:
        if not action.status.is_open or action.due is None or action.due > until:
            continue
        person = people.get(action.person_id)
        if person is None or person.archived:
            continue
        result.append(
            ActionDue(
                action=action, person=person,
                state=_state(action.due, today, soon_until=until),
                days=(action.due - today).days,
            )
        )
    result.sort(key=lambda a: (a.action.due or today, a.person.name.casefold(), a.action.text))
    return result


def prep_reminders(
    schedule: Sequence[ConversationDue],
    actions: Iterable[Action],
    *,
    today: dt.date,
    prep_days: int = PREP_DAYS,
) -> list[PrepReminder]:
    """Scheduled conversations from today to ``prep_days`` ahead, with what is open for them."""
    open_by_person: dict[str, list[Action]] = {}
    for action in actions:
        if action.status.is_open:
            open_by_person.setdefault(action.person_id, []).append(action)
    result = []
    for item in schedule:
        if not item.scheduled or not 0 <= item.days <= prep_days:
            continue
        open_actions = open_by_person.get(item.person.id, [])
        result.append(
            PrepReminder(
                person=item.person, on=item.due, days=item.days, open_actions=len(open_actions),
                overdue_actions=sum(1 for a in open_actions if a.due and a.due < today),
            )
        )
    return result


def today_view(
    people: Sequence[Person],
    last_held: Mapping[str, dt.date],
    actions: Sequence[Action],
    *,
    today: dt.date,
) -> Today:
    """The reminders for ``today``."""
    schedule = conversation_schedule(people, last_held, today=today)
    return Today(
        date=today,
        conversations=tuple(c for c in schedule if c.is_due),
        actions=tuple(actions_due(actions, {p.id: p for p in people}, today=today)),
        prep=tuple(prep_reminders(schedule, actions, today=today)),
    )
