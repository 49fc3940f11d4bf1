"""ReminderService: the facts gathered from a real journal feed the rules correctly."""

from __future__ import annotations

import datetime as dt

from careerdesk.domain.model import Owner, UsageMode
from careerdesk.services import Services
from careerdesk.services.settings import USAGE_MODE

TODAY = dt.date(2026, 3, 11)


def test_dashboard_on_a_small_team(services: Services) -> None:
    services.settings.set(USAGE_MODE, UsageMode.OTHERS.value)
    services.people.create("Me", is_me=True)
    ana = services.people.create("Ana")
    ben = services.people.create("Ben", cadence_days=30)
    for i, value in enumerate((5, 4, 2)):
        talk = services.conversations.start(ana.id, dt.date(2025, 1, 1) + dt.timedelta(days=60 * i))
        services.conversations.set_pulse(talk.id, "feeling_supported", value)
    services.conversations.start(ben.id, TODAY - dt.timedelta(days=10))
    services.plan.add(ana.id, "Late step", due=TODAY - dt.timedelta(days=1))
    services.plan.add(ana.id, "Support offered", owner=Owner.SUPERVISOR, due=TODAY)
    services.plan.add(ben.id, "Ben's step")

    board = services.reminders.dashboard(TODAY)
    assert [c.person.name for c in board.today.conversations] == ["Ana"]  # Me is not reminded
    assert [f.person.name for f in board.falling] == ["Ana"]
    assert [a.action.text for a in board.overdue_actions] == ["Late step"]
    assert (board.ownership.employee, board.ownership.supervisor) == (2, 1)
    assert board.ownership_by_person[ana.id].supervisor == 1
    assert [c.person.name for c in board.schedule] == ["Ana", "Ben"]

    today = services.reminders.today(TODAY)
    assert [a.action.text for a in today.actions] == ["Late step", "Support offered"]


def test_timeline_through_the_service(services: Services) -> None:
    ana = services.people.create("Ana")
    talk = services.conversations.start(ana.id, dt.date(2026, 1, 5), purpose="First talk")
    services.entries.add(ana.id, dt.date(2026, 2, 1), title="Observation")
    items = services.reminders.timeline(ana.id, TODAY)
    assert items[0].title == "Observation"
    assert any(i.target_id == talk.id for i in items)
