"""Restoring a removed record from its snapshot (what undo calls): same id, same fields, and
the record is found again by everything that looks for it."""

from __future__ import annotations

import datetime as dt

import pytest

from careerdesk.domain.model import ActionKind, ActionStatus, Owner, StageId
from careerdesk.errors import NotFoundError
from careerdesk.services import Services


def _conversation(services: Services) -> tuple[str, str]:
    person = services.people.create("Ada", role="Engineer")
    conversation = services.conversations.start(person.id, dt.date(2026, 3, 2))
    return person.id, conversation.id


def test_a_removed_step_comes_back_exactly(services: Services) -> None:
    person_id, cid = _conversation(services)
    services.plan.add(person_id, "first", conversation_id=cid)
    step = services.plan.add(
        person_id, "Shadow the data team", kind=ActionKind.EXPERIENCE, owner=Owner.BOTH,
        conversation_id=cid, due=dt.date(2027, 2, 15), status=ActionStatus.IN_PROGRESS,
        support="an intro", private=True)
    services.plan.delete(step.id)
    assert step.id not in [a.id for a in services.plan.actions_for(person_id)]

    restored = services.plan.restore(step)

    assert restored == services.plan.get(step.id)
    assert _same(restored, step)
    assert [a.id for a in services.conversations.record(cid).actions][-1] == step.id
    services.plan.restore(step)  # twice is harmless
    assert len(services.plan.actions_for(person_id)) == 2


def test_a_removed_match_item_comes_back_exactly(services: Services) -> None:
    _person_id, cid = _conversation(services)
    item = services.conversations.add_match_item(cid, "SQL", in_skills=True, in_business=True,
                                                 private=True)
    services.conversations.delete_match_item(item.id)
    restored = services.conversations.restore_match_item(item)
    assert _same(restored, item)
    assert services.conversations.match_items(cid) == [restored]


def test_a_removed_own_question_comes_back_with_its_answer(services: Services) -> None:
    _person_id, cid = _conversation(services)
    custom = services.prompts.add_custom(StageId.CURRENT_ROLE, "What surprised you?",
                                         conversation_id=cid)
    services.conversations.set_answer(cid, custom.prompt_id, StageId.CURRENT_ROLE, text="A lot")
    services.prompts.delete_custom(custom.prompt_id)
    restored = services.prompts.restore_custom(custom)
    assert _same(restored, custom)
    ids = [p.prompt_id for p in services.prompts.effective_prompts(
        StageId.CURRENT_ROLE, conversation_id=cid)]
    assert ids.count(custom.prompt_id) == 1
    answers = {a.prompt_id: a.text for a in services.conversations.answers(cid)}
    assert answers[custom.prompt_id] == "A lot"


def test_a_removed_journal_entry_comes_back_exactly(services: Services) -> None:
    person_id, _cid = _conversation(services)
    entry = services.entries.add(person_id, dt.date(2026, 1, 5), title="Week", body="text",
                                 tags=("growth", "sql"), private=False)
    services.entries.delete(entry.id)
    restored = services.entries.restore(entry)
    assert _same(restored, entry)
    assert services.entries.list(person_id) == [restored]
    assert services.entries.tags() == ["growth", "sql"]


def test_a_person_comes_back_as_they_were(services: Services) -> None:
    person = services.people.create("Bo", role="Analyst", team="Data", cadence_days=30,
                                    next_conversation=dt.date(2027, 1, 4))
    services.people.update(person.id, name="Bob", role="Lead")
    services.people.archive(person.id)
    restored = services.people.restore(person)
    assert _same(restored, person)
    assert [p.name for p in services.people.list()] == ["Bo"]
    services.people.delete(person.id)
    services.people.restore(person)  # redoing an add
    assert services.people.get(person.id).name == "Bo"


def test_a_step_of_a_deleted_person_cannot_come_back(services: Services) -> None:
    person_id, cid = _conversation(services)
    step = services.plan.add(person_id, "Learn SQL", conversation_id=cid)
    services.people.delete(person_id)
    with pytest.raises(NotFoundError):
        services.plan.restore(step)


def _same(a: object, b: object) -> bool:
    """Equal in every field the user can see or the app keys by (timestamps of the write
    itself aside)."""
    fields = {k: v for k, v in vars(a).items() if k != "updated_at"}
    return fields == {k: v for k, v in vars(b).items() if k != "updated_at"}
