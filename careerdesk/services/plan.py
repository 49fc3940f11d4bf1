"""Next steps (actions) across a person's conversations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from careerdesk.domain.model import (
    Action,
    ActionKind,
    ActionStatus,
    Horizon,
    Owner,
    new_id,
)
from careerdesk.services.base import Service, require_text, to_domain
from careerdesk.storage.rows import ActionRow, ConversationRow, PersonRow

_FIELDS = frozenset(
    {"text", "kind", "owner", "due", "status", "support", "horizon", "private", "position",
     "done_on"}
)
_ENUMS: dict[str, Any] = {
    "kind": ActionKind, "owner": Owner, "status": ActionStatus, "horizon": Horizon,
}


class PlanService(Service):
    def actions_for(
        self, person_id: str, *, conversation_id: str | None = None, open_only: bool = False
    ) -> list[Action]:
        query = select(ActionRow).where(ActionRow.person_id == person_id)
        if conversation_id is not None:
            query = query.where(ActionRow.conversation_id == conversation_id)
        if open_only:
            query = query.where(ActionRow.status.in_(("open", "in_progress")))
        query = query.order_by(ActionRow.due.is_(None), ActionRow.due, ActionRow.position,
                               ActionRow.created_at)
        with self.journal.reading() as session:
            return [to_domain(r, Action) for r in session.scalars(query)]

    def get(self, action_id: str) -> Action:
        with self.journal.reading() as session:
            return to_domain(self._get(session, ActionRow, action_id, "next step"), Action)

    def add(
        self,
        person_id: str,
        text: str,
        *,
        kind: ActionKind = ActionKind.SKILL,
        owner: Owner = Owner.EMPLOYEE,
        conversation_id: str | None = None,
        due: dt.date | None = None,
        status: ActionStatus = ActionStatus.OPEN,
        support: str = "",
        horizon: Horizon = Horizon.NOW,
        private: bool = False,
        action_id: str | None = None,
    ) -> Action:
        """A next step; owned by the employee unless said otherwise."""
        text = require_text(text, "next step")
        with self.journal.transaction() as session:
            self._get(session, PersonRow, person_id, "person")
            if conversation_id is not None:
                self._get(session, ConversationRow, conversation_id, "conversation")
            position = session.scalar(
                select(func.count()).select_from(ActionRow).where(
                    ActionRow.person_id == person_id
                )
            ) or 0
            row = ActionRow(
                id=action_id or new_id(), person_id=person_id, conversation_id=conversation_id,
                kind=ActionKind(kind).value, text=text, owner=Owner(owner).value, due=due,
                status=ActionStatus(status).value, support=support,
                horizon=Horizon(horizon).value, private=private, position=position,
                done_on=dt.date.today() if status is ActionStatus.DONE else None,
            )
            session.add(row)
            session.flush()
            return to_domain(row, Action)

    def update(self, action_id: str, **changes: Any) -> Action:
        if "text" in changes:
            changes["text"] = require_text(changes["text"], "next step")
        for name, enum_cls in _ENUMS.items():
            if name in changes:
                changes[name] = enum_cls(changes[name])
        with self.journal.transaction() as session:
            row = self._get(session, ActionRow, action_id, "next step")
            if "status" in changes and "done_on" not in changes:
                done = changes["status"] is ActionStatus.DONE
                was_done = row.status == ActionStatus.DONE.value
                if done and not was_done:
                    changes["done_on"] = dt.date.today()
                elif not done:
                    changes["done_on"] = None
            self._apply(row, changes, _FIELDS)
            session.flush()
            return to_domain(row, Action)

    def restore(self, action: Action) -> Action:
        """Put back a removed next step from its snapshot (same id and fields): undo."""
        with self.journal.transaction() as session:
            self._get(session, PersonRow, action.person_id, "person")
            if action.conversation_id is not None:
                self._get(session, ConversationRow, action.conversation_id, "conversation")
            return to_domain(self._restore(session, ActionRow, action), Action)

    def delete(self, action_id: str) -> None:
        with self.journal.transaction() as session:
            session.delete(self._get(session, ActionRow, action_id, "next step"))
        self.journal.purge_deleted()
