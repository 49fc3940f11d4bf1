"""A person's timeline: every dated event, newest first, each pointing where it was written."""

from __future__ import annotations

import datetime as dt

from careerdesk.domain.model import Action, ActionStatus, Conversation, JournalEntry
from careerdesk.domain.timeline import ItemKind, Target, build_timeline

TODAY = dt.date(2026, 3, 11)


def test_timeline_orders_and_targets() -> None:
    talk = Conversation(id="c1", person_id="p", held_on=dt.date(2026, 1, 10), purpose="Growth\nx")
    entry = JournalEntry(id="e1", person_id="p", entry_date=dt.date(2026, 2, 1), title="",
                         body="Thinking about the move")
    done = Action(id="a1", person_id="p", text="Read the book", conversation_id="c1",
                  status=ActionStatus.DONE, done_on=dt.date(2026, 2, 20),
                  created_at=dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    late = Action(id="a2", person_id="p", text="Book the course", due=dt.date(2026, 3, 1),
                  created_at=dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    items = build_timeline(
        conversations=[talk], entries=[entry], actions=[done, late],
        pulse=[(dt.date(2026, 1, 10), {"a": 4, "b": 3})], today=TODAY,
    )
    assert [(i.date, i.kind) for i in items] == [
        (dt.date(2026, 3, 1), ItemKind.ACTION_DUE),
        (dt.date(2026, 2, 20), ItemKind.ACTION_DONE),
        (dt.date(2026, 2, 1), ItemKind.ENTRY),
        (dt.date(2026, 1, 10), ItemKind.CONVERSATION),
        (dt.date(2026, 1, 10), ItemKind.PULSE),
        (dt.date(2026, 1, 10), ItemKind.ACTION_CREATED),
        (dt.date(2026, 1, 10), ItemKind.ACTION_CREATED),
    ]
    assert items[0].overdue
    assert items[0].title == "Next step overdue"
    assert (items[2].target, items[2].target_id, items[2].title) == (Target.ENTRY, "e1",
                                                                     "Journal entry")
    assert (items[3].target, items[3].target_id, items[3].detail) == (Target.CONVERSATION, "c1",
                                                                      "Growth")
    assert items[4].target_id == "c1"
    assert items[4].detail == "average 3.5 of 5"
    assert items[1].target is Target.PLAN
