"""The services as a caller sees them: one transaction per call, domain objects out."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from careerdesk.domain.model import (
    ActionKind,
    ActionStatus,
    NoteKind,
    Owner,
    StageId,
)
from careerdesk.errors import InvalidInputError, NotFoundError
from careerdesk.services import Services

DAY = dt.date(2026, 3, 2)


def test_roster_lists_me_first_then_by_name(services: Services) -> None:
    services.people.create("Zoë", role="Designer")
    services.people.create("ana", role="Engineer")
    services.people.create("Me Myself", is_me=True)
    assert [p.name for p in services.people.list()] == ["Me Myself", "ana", "Zoë"]
    assert services.people.me() is not None


def test_only_one_me(services: Services) -> None:
    services.people.create("One", is_me=True)
    with pytest.raises(InvalidInputError, match="owner"):
        services.people.create("Two", is_me=True)


def test_find_by_name_prefix_or_me(services: Services) -> None:
    jose = services.people.create("José Núñez")
    services.people.create("Joanna Berg")
    me = services.people.create("Alex", is_me=True)
    assert services.people.find("josé núñez").id == jose.id
    assert services.people.find("JOSÉ").id == jose.id
    assert services.people.find("me").id == me.id
    with pytest.raises(InvalidInputError, match="several people"):
        services.people.find("Jo")
    with pytest.raises(NotFoundError, match="No person called"):
        services.people.find("Nobody")


def test_get_of_a_deleted_person_says_so(services: Services) -> None:
    person = services.people.create("Ana")
    assert services.people.get(person.id) == person
    services.people.delete(person.id)
    with pytest.raises(NotFoundError, match="no longer exists"):
        services.people.get(person.id)
    assert services.people.me() is None


def test_empty_names_and_bad_cadence_are_refused(services: Services) -> None:
    with pytest.raises(InvalidInputError, match="name cannot be empty"):
        services.people.create("   ")
    person = services.people.create("Ana")
    with pytest.raises(InvalidInputError, match="cadence"):
        services.people.update(person.id, cadence_days=0)
    assert services.people.get(person.id).cadence_days == 90


def test_archive_hides_from_roster(services: Services) -> None:
    person = services.people.create("Ana")
    services.people.archive(person.id)
    assert services.people.list() == []
    assert [p.name for p in services.people.list(include_archived=True)] == ["Ana"]


def _full_conversation(services: Services) -> tuple[str, str]:
    person = services.people.create("Wei", role="Data engineer")
    conversation = services.conversations.start(person.id, DAY, purpose="Career talk")
    cid = conversation.id
    services.conversations.set_answer(cid, "current_role.energises", StageId.CURRENT_ROLE,
                                      text="SHARED-SENTINEL pipelines", asked=True)
    services.conversations.set_answer(cid, "current_role.drains", StageId.CURRENT_ROLE,
                                      text="PRIVATE-SENTINEL family", private=True)
    services.conversations.set_note(cid, StageId.REFLECT, NoteKind.REFLECTION, text="I rushed")
    services.conversations.add_match_item(cid, "SQL", in_skills=True, in_business=True)
    services.conversations.set_check(cid, "trust.during.asked_first", True)
    services.conversations.set_pulse(cid, "energy", 4)
    services.plan.add(person.id, "Lead the retro", kind=ActionKind.EXPERIENCE,
                      conversation_id=cid, due=DAY + dt.timedelta(days=30))
    return person.id, cid


def test_a_conversation_record_holds_everything(services: Services) -> None:
    person_id, cid = _full_conversation(services)
    record = services.conversations.record(cid)
    assert record.person.id == person_id
    assert {a.prompt_id: a.private for a in record.answers} == {
        "current_role.energises": False, "current_role.drains": True,
    }
    assert record.notes[0].private, "reflection notes are always private"
    assert record.match_items[0].in_skills
    assert record.match_items[0].in_business
    assert record.checks == {"trust.during.asked_first": True}
    assert record.pulse == {"energy": 4}
    assert [a.text for a in record.actions] == ["Lead the retro"]
    assert record.actions[0].owner is Owner.EMPLOYEE, "the employee owns steps by default"


def test_set_answer_changes_only_given_fields(services: Services) -> None:
    _, cid = _full_conversation(services)
    services.conversations.set_answer(cid, "current_role.energises", StageId.CURRENT_ROLE,
                                      asked=False)
    answer = next(a for a in services.conversations.answers(cid)
                  if a.prompt_id == "current_role.energises")
    assert answer.text == "SHARED-SENTINEL pipelines"
    assert not answer.asked


def test_pulse_values_are_one_to_five(services: Services) -> None:
    _, cid = _full_conversation(services)
    with pytest.raises(InvalidInputError, match="1 to 5"):
        services.conversations.set_pulse(cid, "energy", 6)
    services.conversations.set_pulse(cid, "energy", None)
    assert services.conversations.pulse(cid) == {}


def test_carry_over_brings_unasked_prompts_and_open_actions(services: Services) -> None:
    person_id, cid = _full_conversation(services)
    services.conversations.set_answer(cid, "future.where", StageId.FUTURE_ROLES,
                                      text="ran out of time")
    custom = services.conversations.add_custom_prompt(cid, StageId.PLAN, "Who could mentor you?")
    carry = services.conversations.carry_over(person_id)
    assert carry.previous is not None
    assert carry.previous.id == cid
    assert {a.prompt_id for a in carry.unasked} == {
        "current_role.drains", "future.where", custom.prompt_id,
    }
    assert [a.text for a in carry.open_actions] == ["Lead the retro"]

    second = services.conversations.start(
        person_id, DAY + dt.timedelta(days=90),
        carry_prompt_ids=["future.where", custom.prompt_id],
        carry_action_ids=[carry.open_actions[0].id],
    )
    record = services.conversations.record(second.id)
    texts = {a.prompt_id: a.text for a in record.answers}
    assert texts["future.where"] == "ran out of time"
    assert [c.text for c in record.custom_prompts] == ["Who could mentor you?"]
    assert record.custom_prompts[0].prompt_id in texts
    assert [a.text for a in record.actions] == ["Lead the retro"]
    # The first conversation still shows the step where it was agreed.
    assert [a.text for a in services.conversations.record(cid).actions] == ["Lead the retro"]


def test_action_status_done_sets_done_on(services: Services) -> None:
    person_id, _ = _full_conversation(services)
    action = services.plan.actions_for(person_id)[0]
    done = services.plan.update(action.id, status=ActionStatus.DONE)
    assert done.done_on == dt.date.today()
    reopened = services.plan.update(action.id, status="open")
    assert reopened.done_on is None
    assert reopened.status is ActionStatus.OPEN
    assert services.plan.actions_for(person_id, open_only=True) == [reopened]


def test_summaries_count_open_and_overdue(services: Services) -> None:
    person_id, _ = _full_conversation(services)
    services.plan.add(person_id, "Old step", due=DAY - dt.timedelta(days=10))
    summary = next(s for s in services.people.summaries(DAY + dt.timedelta(days=5))
                   if s.person.id == person_id)
    assert (summary.open_actions, summary.overdue_actions) == (2, 1)
    assert summary.last_conversation == DAY
    assert summary.next_due == DAY + dt.timedelta(days=90)


def test_summaries_count_per_person_and_leave_out_the_archived(services: Services) -> None:
    today = dt.date(2026, 6, 1)
    ana = services.people.create("Ana")
    bo = services.people.create("Bo")
    gone = services.people.create("Gone")
    me = services.people.create("Me", is_me=True)
    for held in (dt.date(2026, 1, 5), dt.date(2026, 4, 2), dt.date(2025, 12, 1)):
        services.conversations.start(ana.id, held)
    services.conversations.start(gone.id, dt.date(2026, 5, 1))
    steps = [
        (ActionStatus.OPEN, today - dt.timedelta(days=1)),  # overdue
        (ActionStatus.IN_PROGRESS, today - dt.timedelta(days=30)),  # overdue
        (ActionStatus.OPEN, today),  # due today: not overdue
        (ActionStatus.OPEN, None),  # no date: never overdue
        (ActionStatus.DONE, today - dt.timedelta(days=3)),
        (ActionStatus.DROPPED, today - dt.timedelta(days=3)),
    ]
    for status, due in steps:
        services.plan.add(ana.id, "step", due=due, status=status)
    services.plan.add(bo.id, "step", due=today - dt.timedelta(days=2))
    services.people.archive(gone.id)
    summaries = services.people.summaries(today)
    assert [s.person.name for s in summaries] == ["Me", "Ana", "Bo"]
    by_id = {s.person.id: s for s in summaries}
    assert (by_id[ana.id].open_actions, by_id[ana.id].overdue_actions) == (4, 2)
    assert (by_id[ana.id].last_conversation, by_id[ana.id].conversations) == (
        dt.date(2026, 4, 2), 3)
    assert (by_id[bo.id].open_actions, by_id[bo.id].overdue_actions) == (1, 1)
    assert (by_id[me.id].open_actions, by_id[me.id].conversations) == (0, 0)
    assert by_id[me.id].last_conversation is None
    assert by_id[me.id].next_due is None


def test_journal_entries_filter_by_tag_and_date(services: Services) -> None:
    me = services.people.create("Me", is_me=True)
    services.entries.add(me.id, dt.date(2026, 1, 5), title="A", tags=["#Learning", "energy"])
    services.entries.add(me.id, dt.date(2026, 2, 5), title="B", tags=["learning", "learning"])
    services.entries.add(me.id, dt.date(2026, 3, 5), title="C")
    assert [e.title for e in services.entries.list(me.id)] == ["C", "B", "A"]
    assert [e.title for e in services.entries.list(tag="LEARNING")] == ["B", "A"]
    assert [e.title for e in services.entries.list(since=dt.date(2026, 2, 1),
                                                   until=dt.date(2026, 2, 28))] == ["B"]
    assert services.entries.tags() == ["energy", "Learning"]
    assert all(e.private for e in services.entries.list()), "journal entries are private"


def test_deleting_a_person_removes_every_trace(services: Services) -> None:
    person_id, _ = _full_conversation(services)
    services.entries.add(person_id, DAY, body="ENTRY-SENTINEL")
    services.people.delete(person_id)
    path = services.journal.path
    raw = sqlite3.connect(path)
    for table in ("people", "conversations", "answers", "notes", "match_items", "actions",
                  "behaviour_checks", "pulse_values", "journal_entries", "custom_prompts"):
        assert raw.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    raw.close()
    on_disk = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                                   if path.with_name(path.name + "-wal").exists() else b"")
    for sentinel in (b"SHARED-SENTINEL", b"PRIVATE-SENTINEL", b"ENTRY-SENTINEL", b"Wei"):
        assert sentinel not in on_disk
