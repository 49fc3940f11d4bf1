"""The .ics file: parsed back with icalendar, the event and to-dos a calendar would show."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from careerdesk.domain.model import Action, ActionStatus, Person
from careerdesk.export.calendar import CalendarPerson, build_calendar


def test_next_conversation_is_an_event_and_open_due_steps_are_todos() -> None:
    olga = Person(id="p1", name="Ольга Иванова", next_conversation=dt.date(2027, 1, 15))
    steps = [
        Action(id="a1", person_id="p1", text="Lead the Q1 review", due=dt.date(2027, 2, 1),
               support="an hour, with care"),
        Action(id="a2", person_id="p1", text="PRIVATE-CANARY", due=dt.date(2027, 2, 2),
               private=True),
        Action(id="a3", person_id="p1", text="Done already", due=dt.date(2026, 1, 1),
               status=ActionStatus.DONE),
        Action(id="a4", person_id="p1", text="No date yet"),
        Action(id="a5", person_id="p1", text="Started", due=dt.date(2027, 3, 1),
               status=ActionStatus.IN_PROGRESS),
    ]
    data = build_calendar([CalendarPerson(olga, steps)],
                          now=dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC))
    assert b"PRIVATE-CANARY" not in data
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    todos = list(calendar.walk("VTODO"))
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == "Career conversation with Ольга Иванова"
    assert events[0].decoded("DTSTART") == dt.date(2027, 1, 15)
    assert [(str(t["SUMMARY"]), t.decoded("DUE"), str(t["STATUS"])) for t in todos] == [
        ("Ольга Иванова: Lead the Q1 review", dt.date(2027, 2, 1), "NEEDS-ACTION"),
        ("Ольга Иванова: Started", dt.date(2027, 3, 1), "IN-PROCESS"),
    ]
    assert str(todos[0]["DESCRIPTION"]) == "Support: an hour, with care"
    assert all(str(c["UID"]).endswith("@careerdesk.invalid") for c in [*events, *todos])


def test_uids_are_stable_so_a_calendar_updates_instead_of_duplicating() -> None:
    me = Person(id="me", name="Me", is_me=True)
    entry = CalendarPerson(me, [Action(id="a1", person_id="me", text="x",
                                       due=dt.date(2027, 1, 1))], dt.date(2027, 1, 5))
    first = Calendar.from_ical(build_calendar([entry]))
    second = Calendar.from_ical(build_calendar([entry]))
    uids = [str(c["UID"]) for c in first.walk() if "UID" in c]
    assert uids == [str(c["UID"]) for c in second.walk() if "UID" in c]
    assert str(next(iter(first.walk("VEVENT")))["SUMMARY"]) == "Career conversation"
