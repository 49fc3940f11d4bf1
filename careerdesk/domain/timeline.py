"""A person's timeline: conversations, journal entries, next steps and pulse, newest first.

Each item says where it was written (``target``), so the UI can open it there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from careerdesk.domain.model import Action, ActionStatus, Conversation, JournalEntry


class ItemKind(StrEnum):
    CONVERSATION = "conversation"
    ENTRY = "entry"
    ACTION_CREATED = "action_created"
    ACTION_DUE = "action_due"
    ACTION_DONE = "action_done"
    PULSE = "pulse"


class Target(StrEnum):
    """What opening an item opens."""

    CONVERSATION = "conversation"
    ENTRY = "entry"
    PLAN = "plan"  # the person's plan, at that step


#: Among items on the same day, the order they are listed in (newest first overall).
_DAY_ORDER = {
    ItemKind.CONVERSATION: 0, ItemKind.PULSE: 1, ItemKind.ACTION_CREATED: 2,
    ItemKind.ACTION_DONE: 3, ItemKind.ACTION_DUE: 4, ItemKind.ENTRY: 5,
}


@dataclass(frozen=True)
class TimelineItem:
    date: dt.date
    kind: ItemKind
    title: str
    detail: str
    target: Target
    target_id: str  # conversation id, entry id or action id
    conversation_id: str | None = None
    private: bool = False
    overdue: bool = False


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def build_timeline(
    *,
    conversations: Iterable[Conversation],
    entries: Iterable[JournalEntry],
    actions: Iterable[Action],
    pulse: Iterable[tuple[dt.date, Mapping[str, int]]] = (),
    today: dt.date,
) -> list[TimelineItem]:
    """Every dated event of one person, newest first. Due dates in the future are included
    (they sort at the top) so the timeline also shows what is ahead."""
    items: list[TimelineItem] = []
    conversation_list = list(conversations)
    for c in conversation_list:
        title = "Conversation" + (" (finished)" if c.completed else "")
        items.append(TimelineItem(
            date=c.held_on, kind=ItemKind.CONVERSATION, title=title, detail=_first_line(c.purpose),
            target=Target.CONVERSATION, target_id=c.id, conversation_id=c.id,
        ))
    for e in entries:
        items.append(TimelineItem(
            date=e.entry_date, kind=ItemKind.ENTRY, title=e.title.strip() or "Journal entry",
            detail=_first_line(e.body), target=Target.ENTRY, target_id=e.id,
            private=e.private,
        ))
    for a in actions:
        created = a.created_at.date()
        items.append(TimelineItem(
            date=created, kind=ItemKind.ACTION_CREATED, title="Next step agreed",
            detail=_first_line(a.text), target=Target.PLAN, target_id=a.id,
            conversation_id=a.conversation_id, private=a.private,
        ))
        if a.status is ActionStatus.DONE and a.done_on is not None:
            items.append(TimelineItem(
                date=a.done_on, kind=ItemKind.ACTION_DONE, title="Next step done",
                detail=_first_line(a.text), target=Target.PLAN, target_id=a.id,
                conversation_id=a.conversation_id, private=a.private,
            ))
        elif a.due is not None and a.status.is_open:
            items.append(TimelineItem(
                date=a.due, kind=ItemKind.ACTION_DUE,
                title="Next step overdue" if a.due < today else "Next step due",
                detail=_first_line(a.text), target=Target.PLAN, target_id=a.id,
                conversation_id=a.conversation_id, private=a.private, overdue=a.due < today,
            ))
    conversation_by_date: dict[dt.date, str] = {}
    for c in conversation_list:
        conversation_by_date.setdefault(c.held_on, c.id)
    for date, values in pulse:
        if not values:
            continue
        mean = sum(values.values()) / len(values)
        conversation_id = conversation_by_date.get(date)
        items.append(TimelineItem(
            date=date, kind=ItemKind.PULSE, title="Pulse", detail=f"average {mean:.1f} of 5",
            target=Target.CONVERSATION, target_id=conversation_id or "",
            conversation_id=conversation_id, private=True,
        ))
    items.sort(key=lambda i: (-i.date.toordinal(), _DAY_ORDER[i.kind], i.title, i.target_id))
    return items
