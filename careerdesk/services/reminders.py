"""Gathers the facts the reminder rules need (in a few queries) and applies them.

Also the supervisor's dashboard: who is due, whose pulse is falling, overdue next steps and the
ownership ratio across the team. The rules themselves live in ``domain.reminders`` and
``domain.pulse``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from careerdesk.domain import pulse as pulse_rules
from careerdesk.domain import reminders
from careerdesk.domain.model import (
    Action,
    ActionKind,
    ActionStatus,
    Horizon,
    Owner,
    Person,
    UsageMode,
)
from careerdesk.domain.plan_rules import OwnershipRatio, ownership_ratio
from careerdesk.domain.timeline import TimelineItem, build_timeline
from careerdesk.services.base import Service
from careerdesk.services.conversations import ConversationService
from careerdesk.services.entries import EntryService
from careerdesk.services.people import PeopleService
from careerdesk.services.plan import PlanService
from careerdesk.services.settings import SettingsService
from careerdesk.storage.journal import Journal
from careerdesk.storage.rows import ActionRow, ConversationRow


@dataclass(frozen=True)
class FallingPulse:
    person: Person
    trend: pulse_rules.PulseTrend


@dataclass(frozen=True)
class Dashboard:
    """The supervisor's overview of the team."""

    today: reminders.Today
    schedule: tuple[reminders.ConversationDue, ...]  # everyone, most urgent first
    falling: tuple[FallingPulse, ...]
    overdue_actions: tuple[reminders.ActionDue, ...]
    ownership: OwnershipRatio  # open next steps across the team
    ownership_by_person: dict[str, OwnershipRatio]


class ReminderService(Service):
    """Reminders, the dashboard and timelines, computed from a handful of queries."""

    def __init__(self, journal: Journal) -> None:
        super().__init__(journal)
        self._people = PeopleService(journal)
        self._settings = SettingsService(journal)

    def _people_in_scope(self) -> list[Person]:
        """Whose conversations are reminded of: in "others" mode, not the owner's own."""
        people = self._people.list()
        mode = self._settings.usage_mode
        if mode is UsageMode.OWN:
            return [p for p in people if p.is_me] or people
        if mode is UsageMode.OTHERS:
            return [p for p in people if not p.is_me]
        # Both: the owner's own conversations count once there has been one.
        last = self._last_held()
        return [p for p in people if not p.is_me or p.id in last]

    def _last_held(self) -> dict[str, dt.date]:
        with self.journal.reading() as session:
            return {
                str(person_id): held_on
                for person_id, held_on in session.execute(
                    select(ConversationRow.person_id, func.max(ConversationRow.held_on))
                    .group_by(ConversationRow.person_id)
                )
            }

    def _open_actions(self) -> list[Action]:
        """Open next steps, read as plain columns: thousands of them on a large team, and
        the ORM's row objects cost ten times more than the reminders need."""
        columns = (ActionRow.id, ActionRow.person_id, ActionRow.text, ActionRow.kind,
                   ActionRow.owner, ActionRow.conversation_id, ActionRow.due, ActionRow.status,
                   ActionRow.support, ActionRow.horizon, ActionRow.private, ActionRow.position)
        with self.journal.reading() as session:
            rows = session.execute(
                select(*columns).where(ActionRow.status.in_(("open", "in_progress")))
            ).all()
        stamp = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # not read by the reminder rules
        return [
            Action(id=r[0], person_id=r[1], text=r[2], kind=ActionKind(r[3]), owner=Owner(r[4]),
                   conversation_id=r[5], due=r[6], status=ActionStatus(r[7]), support=r[8],
                   horizon=Horizon(r[9]), private=bool(r[10]), position=r[11],
                   created_at=stamp, updated_at=stamp)
            for r in rows
        ]

    def pulse_histories(
        self, *, last: int | None = None
    ) -> dict[str, list[tuple[dt.date, dict[str, int]]]]:
        """Every person's pulse history, oldest first, in one query (only each person's
        ``last`` conversations with a pulse, when given: the trend needs no more)."""
        limit = "" if last is None else f"WHERE recent <= {int(last)}"
        sql = (
            "WITH pulsed AS (SELECT c.id, c.person_id, c.held_on, ROW_NUMBER() OVER ("
            "PARTITION BY c.person_id ORDER BY c.held_on DESC, c.created_at DESC) AS recent "
            "FROM conversations AS c WHERE EXISTS (SELECT 1 FROM pulse_values AS v "
            "WHERE v.conversation_id = c.id)) "
            "SELECT p.person_id, p.held_on, v.dimension_id, v.value FROM pulsed AS p "
            f"JOIN pulse_values AS v ON v.conversation_id = p.id {limit}"
        )
        with self.journal.reading() as session:
            rows = session.connection().exec_driver_sql(sql).all()
        by_person: dict[str, dict[dt.date, dict[str, int]]] = {}
        for person_id, held_on, dimension, value in rows:
            day = dt.date.fromisoformat(str(held_on))
            by_person.setdefault(str(person_id), {}).setdefault(day, {})[str(dimension)] = int(
                value
            )
        return {p: sorted(h.items()) for p, h in by_person.items()}

    def today(self, today: dt.date | None = None) -> reminders.Today:
        today = today or dt.date.today()
        people = self._people_in_scope()
        return reminders.today_view(
            people, self._last_held(), self._open_actions(), today=today
        )

    def dashboard(self, today: dt.date | None = None) -> Dashboard:
        today = today or dt.date.today()
        people = self._people_in_scope()
        by_id = {p.id: p for p in people}
        last = self._last_held()
        actions = [a for a in self._open_actions() if a.person_id in by_id]
        schedule = reminders.conversation_schedule(people, last, today=today)
        due_actions = reminders.actions_due(actions, by_id, today=today)
        falling = []
        for person_id, history in self.pulse_histories(last=pulse_rules.TREND_WINDOW).items():
            person = by_id.get(person_id)
            if person is None:
                continue
            trend = pulse_rules.trend(history)
            # The overall pulse, or at least two of its signs, falling: one sign dipping once
            # is noise on a large team (it still shows on the person's timeline).
            if trend.falling or len(trend.falling_dimensions) >= 2:
                falling.append(FallingPulse(person=person, trend=trend))
        falling.sort(key=lambda f: (f.trend.slope, f.person.name.casefold()))
        by_person: dict[str, list[Action]] = {}
        for action in actions:
            by_person.setdefault(action.person_id, []).append(action)
        ownership_by_person = {p.id: ownership_ratio(by_person.get(p.id, [])) for p in people}
        return Dashboard(
            today=reminders.Today(
                date=today,
                conversations=tuple(c for c in schedule if c.is_due),
                actions=tuple(due_actions),
                prep=tuple(reminders.prep_reminders(schedule, actions, today=today)),
            ),
            schedule=tuple(schedule),
            falling=tuple(falling),
            overdue_actions=tuple(
                a for a in due_actions if a.state is reminders.DueState.OVERDUE
            ),
            ownership=ownership_ratio(actions),
            ownership_by_person=ownership_by_person,
        )

    def timeline(self, person_id: str, today: dt.date | None = None) -> list[TimelineItem]:
        """One person's timeline, newest first."""
        today = today or dt.date.today()
        conversations = ConversationService(self.journal)
        return build_timeline(
            conversations=conversations.list_for(person_id),
            entries=EntryService(self.journal).list(person_id),
            actions=PlanService(self.journal).actions_for(person_id),
            pulse=conversations.pulse_history(person_id),
            today=today,
        )
