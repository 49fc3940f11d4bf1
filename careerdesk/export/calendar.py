"""The next conversations and open steps' due dates as an iCalendar file (``.ics``).

Built with the ``icalendar`` library (imported only here, only when a calendar is written).
Each person's next conversation is an all-day event; each open, shared next step with a due
date is a to-do. Steps go through the shared-plan rule
(:func:`careerdesk.export.data.shareable_plan_records`), so a private step never reaches a
calendar. UIDs are derived from the records' ids, so importing a newer file into a calendar
updates the entries instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from careerdesk.domain.model import Action, ActionStatus, Person
from careerdesk.export.data import shareable_plan_records

UID_DOMAIN = "careerdesk.invalid"  # .invalid: a name that can never resolve to a host


@dataclass(frozen=True)
class CalendarPerson:
    """One person's part of the calendar: them, the date of their next conversation (set, or
    due by their cadence), and their next steps (any; filtered here)."""

    person: Person
    actions: Sequence[Action]
    next_conversation: dt.date | None = None


def build_calendar(people: Sequence[CalendarPerson], *, now: dt.datetime | None = None) -> bytes:
    """The ``.ics`` bytes (RFC 5545) for ``people``."""
    from icalendar import Calendar, Event, Todo

    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//CareerDesk//CareerDesk//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for entry in people:
        person = entry.person
        who = "" if person.is_me else f" with {person.name}"
        when = entry.next_conversation or person.next_conversation
        if when is not None:
            event = Event()
            event.add("uid", f"next-conversation-{person.id}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("summary", f"Career conversation{who}")
            event.add("dtstart", when)
            event.add("dtend", when + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
        _items, steps, _left_out = shareable_plan_records((), entry.actions)
        for action in steps:
            if not action.status.is_open or action.due is None:
                continue
            todo = Todo()
            todo.add("uid", f"step-{action.id}@{UID_DOMAIN}")
            todo.add("dtstamp", stamp)
            todo.add("summary", action.text if person.is_me else f"{person.name}: {action.text}")
            todo.add("due", action.due)
            todo.add("status", "IN-PROCESS" if action.status is ActionStatus.IN_PROGRESS
                     else "NEEDS-ACTION")
            if action.support:
                todo.add("description", f"Support: {action.support}")
            calendar.add_component(todo)
    data: bytes = calendar.to_ical()
    return data
