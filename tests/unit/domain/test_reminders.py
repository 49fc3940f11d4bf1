"""Reminder rules around the cadence and due dates, with fixed dates."""

from __future__ import annotations

import datetime as dt

import pytest

from careerdesk.domain.model import Action, ActionStatus, Person
from careerdesk.domain.reminders import (
    DueState,
    actions_due,
    conversation_schedule,
    conversations_due,
    next_conversation_due,
    prep_reminders,
    today_view,
    week_end,
)

TODAY = dt.date(2026, 3, 11)  # a Wednesday
ADDED = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def person(pid: str, *, cadence: int = 90, scheduled: dt.date | None = None,
           archived: bool = False) -> Person:
    return Person(id=pid, name=pid.title(), cadence_days=cadence, next_conversation=scheduled,
                  archived=archived, created_at=ADDED)


def action(aid: str, pid: str, due: dt.date | None, *,
           status: ActionStatus = ActionStatus.OPEN) -> Action:
    return Action(id=aid, person_id=pid, text=f"step {aid}", due=due, status=status)


def test_week_end_is_sunday() -> None:
    assert week_end(TODAY) == dt.date(2026, 3, 15)
    assert week_end(dt.date(2026, 3, 15)) == dt.date(2026, 3, 15)
    assert week_end(dt.date(2026, 3, 16)) == dt.date(2026, 3, 22)


@pytest.mark.parametrize(
    ("days_since_last", "state", "days"),
    [
        (91, DueState.OVERDUE, -1),  # one day past the 90-day cadence
        (90, DueState.TODAY, 0),  # exactly on the cadence
        (89, DueState.SOON, 1),
        (83, DueState.SOON, 7),  # the edge of "soon"
        (82, DueState.LATER, 8),
    ],
)
def test_default_cadence_is_90_days(days_since_last: int, state: DueState, days: int) -> None:
    last = TODAY - dt.timedelta(days=days_since_last)
    [due] = conversation_schedule([person("ana")], {"ana": last}, today=TODAY)
    assert due.state is state
    assert due.days == days
    assert due.due == last + dt.timedelta(days=90)
    assert not due.scheduled
    assert due.is_due is (state is not DueState.LATER)


def test_own_cadence_and_explicit_date_win() -> None:
    last = TODAY - dt.timedelta(days=20)
    monthly = person("ben", cadence=14)
    due, scheduled = next_conversation_due(monthly, last, today=TODAY)
    assert (due, scheduled) == (last + dt.timedelta(days=14), False)
    booked = person("cleo", cadence=14, scheduled=TODAY + dt.timedelta(days=30))
    assert next_conversation_due(booked, last, today=TODAY) == (TODAY + dt.timedelta(days=30),
                                                                True)


def test_never_talked_with_is_due_from_when_added() -> None:
    [due] = conversations_due([person("dee")], {}, today=TODAY)
    assert due.due == ADDED.date()
    assert due.state is DueState.OVERDUE
    assert due.last is None


def test_conversations_due_skips_later_and_archived_and_sorts() -> None:
    people = [person("a"), person("b"), person("c"), person("d", archived=True)]
    last = {
        "a": TODAY - dt.timedelta(days=95), "b": TODAY - dt.timedelta(days=120),
        "c": TODAY - dt.timedelta(days=10), "d": TODAY - dt.timedelta(days=400),
    }
    assert [c.person.id for c in conversations_due(people, last, today=TODAY)] == ["b", "a"]


def test_actions_due_this_week_or_overdue() -> None:
    people = {"p": person("p"), "gone": person("gone", archived=True)}
    actions = [
        action("late", "p", TODAY - dt.timedelta(days=3)),
        action("today", "p", TODAY),
        action("sunday", "p", dt.date(2026, 3, 15)),
        action("monday", "p", dt.date(2026, 3, 16)),  # next week: not yet
        action("undated", "p", None),
        action("done", "p", TODAY - dt.timedelta(days=5), status=ActionStatus.DONE),
        action("dropped", "p", TODAY - dt.timedelta(days=5), status=ActionStatus.DROPPED),
        action("going", "p", TODAY - dt.timedelta(days=1), status=ActionStatus.IN_PROGRESS),
        action("archived", "gone", TODAY - dt.timedelta(days=1)),
    ]
    found = actions_due(actions, people, today=TODAY)
    assert [a.action.id for a in found] == ["late", "going", "today", "sunday"]
    assert [a.state for a in found] == [
        DueState.OVERDUE, DueState.OVERDUE, DueState.TODAY, DueState.SOON
    ]
    assert found[0].days == -3


def test_prep_for_the_next_scheduled_conversation() -> None:
    people = [
        person("soon", scheduled=TODAY + dt.timedelta(days=2)),
        person("far", scheduled=TODAY + dt.timedelta(days=8)),
        person("cadence"),  # due by cadence only: no prep reminder
        person("today", scheduled=TODAY),
    ]
    last = {"cadence": TODAY - dt.timedelta(days=88)}
    actions = [action("1", "soon", TODAY - dt.timedelta(days=1)), action("2", "soon", None)]
    schedule = conversation_schedule(people, last, today=TODAY)
    prep = prep_reminders(schedule, actions, today=TODAY)
    assert [(p.person.id, p.days) for p in prep] == [("today", 0), ("soon", 2)]
    assert (prep[1].open_actions, prep[1].overdue_actions) == (2, 1)


def test_today_view_summary() -> None:
    people = [person("a"), person("b", scheduled=TODAY + dt.timedelta(days=1))]
    last = {"a": TODAY - dt.timedelta(days=100)}
    actions = [action("x", "a", TODAY - dt.timedelta(days=2)), action("y", "a", TODAY)]
    today = today_view(people, last, actions, today=TODAY)
    assert not today.empty
    assert today.summary() == (
        "1 conversation overdue, 1 conversation due soon, 1 next step overdue, "
        "1 next step due this week, 1 conversation to prepare"
    )
    quiet = today_view([person("a")], {"a": TODAY}, [], today=TODAY)
    assert quiet.empty
    assert quiet.summary() == "Nothing due."


def test_a_booking_is_used_up_once_that_conversation_is_held() -> None:
    import datetime as dt

    from careerdesk.domain.model import Person
    from careerdesk.domain.reminders import next_conversation_due

    booked = dt.date(2026, 3, 2)
    person = Person(id="p", name="Ana", cadence_days=90, next_conversation=booked)
    # Before it is held, the booking is the due date.
    assert next_conversation_due(person, dt.date(2025, 12, 1), today=dt.date(2026, 2, 1)) == (
        booked, True)
    # Held on the booked day: the next one is due a cadence later, not "overdue since March".
    assert next_conversation_due(person, booked, today=dt.date(2026, 3, 3)) == (
        booked + dt.timedelta(days=90), False)
