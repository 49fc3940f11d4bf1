"""People: the roster, "me", and deleting every trace of someone."""

from __future__ import annotations

import builtins
import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select

from careerdesk.domain.model import Person, new_id
from careerdesk.domain.reminders import next_conversation_due
from careerdesk.errors import InvalidInputError, NotFoundError
from careerdesk.services.base import Service, orm, require_text, to_domain
from careerdesk.storage import tables

_OPEN_STATES = ("open", "in_progress")
_EDITABLE = frozenset({"name", "role", "team", "archived", "cadence_days", "next_conversation"})


@dataclass(frozen=True)
class PersonSummary:
    """One line of the roster."""

    person: Person
    last_conversation: dt.date | None
    next_due: dt.date | None
    open_actions: int
    overdue_actions: int
    conversations: int

    @property
    def conversation_overdue(self) -> bool:
        return self.next_due is not None and self.next_due < dt.date.today()


def fold(text: str) -> str:
    """``text`` for comparing names: case and accents ignored ("jose" matches "José")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_PEOPLE = tables.people
_CONVERSATIONS = tables.conversations
_ACTIONS = tables.actions


def _people(*, include_archived: bool) -> Select[Any]:
    query = select(_PEOPLE)
    return query if include_archived else query.where(_PEOPLE.c.archived.is_(False))


def _roster_order(person: Person) -> tuple[bool, str, str]:
    """"Me" first, then everyone else by name."""
    return (not person.is_me, person.name.casefold(), person.id)


def _check_cadence(value: Any) -> int:
    if not isinstance(value, int) or value < 1 or value > 3650:
        raise InvalidInputError("The conversation cadence must be between 1 and 3650 days.")
    return value


class PeopleService(Service):
    def list(self, *, include_archived: bool = False) -> list[Person]:
        """"Me" first, then everyone else by name."""
        with self.journal.reading() as session:
            rows = session.execute(_people(include_archived=include_archived))
            people = [to_domain(r, Person) for r in rows]
        return sorted(people, key=_roster_order)

    def get(self, person_id: str) -> Person:
        with self.journal.reading() as session:
            row = session.execute(select(_PEOPLE).where(_PEOPLE.c.id == person_id)).first()
        if row is None:
            raise NotFoundError("That person no longer exists.")
        return to_domain(row, Person)

    def me(self) -> Person | None:
        with self.journal.reading() as session:
            row = session.execute(select(_PEOPLE).where(_PEOPLE.c.is_me.is_(True))).first()
        return None if row is None else to_domain(row, Person)

    def find(self, name: str) -> Person:
        """The person called ``name`` (case-insensitive; a unique prefix or id also works)."""
        wanted = fold(name.strip())
        people = self.list(include_archived=True)
        for match in (
            [p for p in people if p.id == name.strip()],
            [p for p in people if p.name.casefold() == name.strip().casefold()],
            [p for p in people if fold(p.name) == wanted],
            [p for p in people if wanted == "me" and p.is_me],
            [p for p in people if fold(p.name).startswith(wanted)] if wanted else [],
        ):
            if len(match) == 1:
                return match[0]
            if len(match) > 1:
                names = ", ".join(p.name for p in match[:5])
                raise InvalidInputError(f"{name!r} matches several people: {names}.")
        raise NotFoundError(f"No person called {name!r} in this journal.")

    def create(
        self,
        name: str,
        *,
        role: str = "",
        team: str = "",
        is_me: bool = False,
        cadence_days: int = 90,
        next_conversation: dt.date | None = None,
        person_id: str | None = None,
    ) -> Person:
        name = require_text(name, "name")
        with self.journal.transaction() as session:
            if is_me and session.scalars(select(orm.PersonRow).where(orm.PersonRow.is_me)).first():
                raise InvalidInputError("This journal already has its owner (\"me\").")
            row = orm.PersonRow(
                id=person_id or new_id(),
                name=name,
                role=role.strip(),
                team=team.strip(),
                is_me=is_me,
                archived=False,
                cadence_days=_check_cadence(cadence_days),
                next_conversation=next_conversation,
            )
            session.add(row)
            session.flush()
            return to_domain(row, Person)

    def update(self, person_id: str, **changes: Any) -> Person:
        if "name" in changes:
            changes["name"] = require_text(changes["name"], "name")
        with self.journal.transaction() as session:
            row = self._get(session, orm.PersonRow, person_id, "person")
            self._apply(row, changes, _EDITABLE, checks={"cadence_days": _check_cadence})
            session.flush()
            return to_domain(row, Person)

    def archive(self, person_id: str, *, archived: bool = True) -> Person:
        return self.update(person_id, archived=archived)

    def restore(self, person: Person) -> Person:
        """Put a person's own record back from its snapshot (same id and fields): undoing an
        edit or an archive, redoing an add. Their conversations and notes are not part of it."""
        with self.journal.transaction() as session:
            if person.is_me:
                other = session.scalars(select(orm.PersonRow).where(
                    orm.PersonRow.is_me, orm.PersonRow.id != person.id)).first()
                if other is not None:
                    raise InvalidInputError("This journal already has its owner (\"me\").")
            return to_domain(self._restore(session, orm.PersonRow, person), Person)

    def delete(self, person_id: str) -> None:
        """Remove the person and every record about them, then purge the WAL."""
        with self.journal.transaction() as session:
            row = self._get(session, orm.PersonRow, person_id, "person")
            session.delete(row)
        # secure_delete zeroes the freed pages; the checkpoint removes old copies from the WAL.
        self.journal.purge_deleted()

    def next_conversation(self, person_id: str) -> dt.date | None:
        """The next conversation with a person: the date set, else the one due by their
        cadence. What the shared plan, the plan file and the calendar all say."""
        for summary in self.summaries():
            if summary.person.id == person_id:
                return summary.person.next_conversation or summary.next_due
        return None

    def summaries(self, today: dt.date | None = None) -> builtins.list[PersonSummary]:
        """The roster with last and next conversation and open/overdue actions: one read, with
        one grouped query per table (answered from the indexes of migration 0003)."""
        today = today or dt.date.today()
        conversations = select(
            _CONVERSATIONS.c.person_id, func.max(_CONVERSATIONS.c.held_on), func.count()
        ).group_by(_CONVERSATIONS.c.person_id)
        actions = (
            select(
                _ACTIONS.c.person_id,
                func.count(),
                func.count(case((_ACTIONS.c.due < today, 1))),
            )
            .where(_ACTIONS.c.status.in_(_OPEN_STATES))
            .group_by(_ACTIONS.c.person_id)
        )
        with self.journal.reading() as session:
            active = session.execute(_people(include_archived=False))
            people = [to_domain(r, Person) for r in active]
            held = {pid: (last, count) for pid, last, count in session.execute(conversations)}
            steps = {pid: (open_, overdue) for pid, open_, overdue in session.execute(actions)}
        result = []
        for person in sorted(people, key=_roster_order):
            last_held, count = held.get(person.id, (None, 0))
            open_actions, overdue_actions = steps.get(person.id, (0, 0))
            next_due: dt.date | None
            next_due, _booked = next_conversation_due(person, last_held, today=today)
            if last_held is None and person.next_conversation is None:
                next_due = None  # never talked with and nothing booked: no date to show
            result.append(
                PersonSummary(
                    person=person,
                    last_conversation=last_held,
                    next_due=next_due,
                    open_actions=int(open_actions),
                    overdue_actions=int(overdue_actions),
                    conversations=int(count),
                )
            )
        return result
