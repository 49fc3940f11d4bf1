"""Plan and progress files between a supervisor's and an employee's journal, as real files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerdesk.domain.model import ActionStatus, NoteKind, Owner, StageId
from careerdesk.errors import ExchangeError, InvalidInputError
from careerdesk.services import Services
from careerdesk.services.exchange import (
    ExchangeService,
    parse_careerplan,
    read_careerplan,
    write_document,
)
from careerdesk.storage.journal import open_journal

CANARIES = {
    "answer": "CANARY-ANSWER-7f3",
    "note": "CANARY-NOTE-7f3",
    "reflection": "CANARY-REFLECTION-7f3",
    "match": "CANARY-MATCH-7f3",
    "step": "CANARY-STEP-7f3",
    "support": "CANARY-SUPPORT-7f3",
    "entry": "CANARY-ENTRY-7f3",
    "preparation": "CANARY-PREPARATION-7f3",
}


def _supervisor(services: Services) -> tuple[str, str, str]:
    """A supervisor's journal with shared content and a private canary in every private field."""
    services.settings.set("owner_name", "Alex Morgan")
    person = services.people.create("Ольга Иванова", role="Analyst",
                                    next_conversation=dt.date(2027, 1, 15))
    conv = services.conversations.start(person.id, dt.date(2026, 11, 20))
    c = services.conversations
    c.add_match_item(conv.id, "data storytelling", in_skills=True, in_interests=True)
    c.add_match_item(conv.id, CANARIES["match"], in_skills=True, private=True)
    c.set_answer(conv.id, "current_role.learning", StageId.CURRENT_ROLE,
                 text=CANARIES["answer"], private=True, asked=True)
    c.set_note(conv.id, StageId.CURRENT_ROLE, NoteKind.FREE, text=CANARIES["note"],
               private=True)
    c.set_note(conv.id, StageId.REFLECT, NoteKind.REFLECTION, text=CANARIES["reflection"])
    c.set_note(conv.id, StageId.PREPARE, NoteKind.PREPARATION, text=CANARIES["preparation"])
    c.set_pulse(conv.id, "energy", 2)
    shared = services.plan.add(person.id, "Lead the Q1 data review", conversation_id=conv.id,
                               due=dt.date(2027, 2, 1), support="an hour with the lead")
    services.plan.add(person.id, CANARIES["step"], conversation_id=conv.id, private=True,
                      support=CANARIES["support"])
    services.plan.add(person.id, "Introduce Olga to the analytics guild",
                      owner=Owner.SUPERVISOR, conversation_id=conv.id,
                      due=dt.date(2026, 12, 15))
    services.entries.add(person.id, dt.date(2026, 11, 21), title="t", body=CANARIES["entry"])
    return person.id, conv.id, shared.id


@pytest.fixture
def employee(tmp_path: Path) -> Iterator[Services]:
    journal = open_journal(tmp_path / "employee.careerdesk", create=True)
    try:
        yield Services(journal)
    finally:
        journal.close()


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_plan_file_holds_the_shared_plan_and_no_private_byte(
        services: Services, tmp_path: Path) -> None:
    person_id, conv_id, step_id = _supervisor(services)
    document, left_out = ExchangeService(services).plan_document(person_id)
    out = tmp_path / "olga.careerplan"
    write_document(document, out)

    raw = _bytes(out)
    for canary in CANARIES.values():
        assert canary.encode() not in raw
    back = read_careerplan(out)  # it validates against its own schema
    assert back["person"]["name"] == "Ольга Иванова"
    assert back["supervisor"]["name"] == "Alex Morgan"
    assert back["conversation"] == {"id": conv_id, "date": "2026-11-20"}
    assert [m["text"] for m in back["match"]] == ["data storytelling"]
    step = next(s for s in back["steps"] if s["id"] == step_id)
    assert (step["due"], step["owner"], step["status"], step["support"]) == (
        "2027-02-01", "employee", "open", "an hour with the lead")
    assert back["next_conversation"] == "2027-01-15"
    assert "1 private next steps" in left_out
    assert "1 private match items" in left_out
    assert raw.decode("utf-8")  # documented UTF-8, non-Latin text as itself
    assert "Ольга".encode() in raw


def test_the_plan_file_and_the_shared_plan_pdf_name_the_same_next_conversation(
        services: Services) -> None:
    """With no date set, both say the one due by the person's cadence (one function)."""
    person_id, _conv, _step = _supervisor(services)
    services.people.update(person_id, next_conversation=None)
    document, _left_out = ExchangeService(services).plan_document(person_id)
    pdf = services.exports.shared_plan(person_id)
    due = services.people.next_conversation(person_id)
    assert due is not None
    assert document["next_conversation"] == due.isoformat()
    assert pdf.next_conversation == due


def test_round_trip_supervisor_to_employee_and_back(
        services: Services, employee: Services, tmp_path: Path) -> None:
    person_id, _conv, step_id = _supervisor(services)
    plan_file = tmp_path / "plan.careerplan"
    write_document(ExchangeService(services).plan_document(person_id)[0], plan_file)

    first = ExchangeService(employee).import_plan(read_careerplan(plan_file))
    assert first.applied
    assert any("new step: Lead the Q1 data review" in c for c in first.changes)
    me = employee.people.me()
    assert me is not None
    assert me.name == "Ольга Иванова"
    assert me.next_conversation == dt.date(2027, 1, 15)
    assert {a.id for a in employee.plan.actions_for(me.id)} >= {step_id}

    again = ExchangeService(employee).import_plan(read_careerplan(plan_file))
    assert not again.changes
    assert not again.applied
    assert len(employee.plan.actions_for(me.id)) == 2  # no duplicates

    employee.plan.update(step_id, status=ActionStatus.DONE)
    ExchangeService(employee).set_step_comment(step_id, "Presented it on 30 January")
    employee.entries.add(me.id, dt.date(2026, 12, 1), body=CANARIES["entry"])
    progress_file = tmp_path / "progress.careerplan"
    write_document(ExchangeService(employee).progress_document(), progress_file)
    assert CANARIES["entry"].encode() not in _bytes(progress_file)

    preview = ExchangeService(services).import_progress(read_careerplan(progress_file),
                                                        dry_run=True)
    assert not preview.applied
    assert services.plan.get(step_id).status is ActionStatus.OPEN
    report = ExchangeService(services).import_progress(read_careerplan(progress_file))
    assert report.applied
    step = services.plan.get(step_id)
    assert step.status is ActionStatus.DONE
    assert step.done_on is not None
    upcoming = services.conversations.list_for(person_id)[0]
    assert upcoming.held_on == dt.date(2027, 1, 15)  # the next conversation, to prepare
    notes = [n.text for n in services.conversations.notes(upcoming.id)
             if n.kind is NoteKind.PREPARATION and n.stage is StageId.PREPARE]
    assert notes == ["From Ольга Иванова's progress file (written by them):\n"
                     "- Lead the Q1 data review: Presented it on 30 January"]
    assert not ExchangeService(services).import_progress(
        read_careerplan(progress_file)).changes  # idempotent


def test_newer_plan_updates_by_id_and_shows_a_conflict(
        services: Services, employee: Services, tmp_path: Path) -> None:
    person_id, _conv, step_id = _supervisor(services)
    clock = iter([dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC),
                  dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)])
    sender = ExchangeService(services, now=lambda: next(clock))
    ExchangeService(employee).import_plan(sender.plan_document(person_id)[0])
    me = employee.people.me()
    assert me is not None
    other = next(a for a in employee.plan.actions_for(me.id) if a.id != step_id)

    services.plan.update(step_id, due=dt.date(2027, 3, 1))
    services.plan.update(other.id, text="Introduce Olga to the data guild")
    employee.plan.update(other.id, text="Meet the analytics guild organisers")
    report = ExchangeService(employee).import_plan(sender.plan_document(person_id)[0])

    assert any("due 2027-02-01 → 2027-03-01" in c for c in report.changes)
    assert employee.plan.get(step_id).due == dt.date(2027, 3, 1)
    assert len(report.conflicts) == 1
    assert "Meet the analytics" in report.conflicts[0]
    assert employee.plan.get(other.id).text == "Meet the analytics guild organisers"  # kept


def test_progress_conflict_is_shown_not_resolved(
        services: Services, employee: Services) -> None:
    person_id, _conv, step_id = _supervisor(services)
    ExchangeService(employee).import_plan(ExchangeService(services).plan_document(person_id)[0])
    employee.plan.update(step_id, status=ActionStatus.DONE)
    services.plan.update(step_id, status=ActionStatus.DROPPED)
    report = ExchangeService(services).import_progress(
        ExchangeService(employee).progress_document())
    assert report.conflicts
    assert "dropped here, done for" in report.conflicts[0]
    assert services.plan.get(step_id).status is ActionStatus.DROPPED


def test_a_step_made_private_is_not_sent_back(services: Services, employee: Services) -> None:
    person_id, _conv, step_id = _supervisor(services)
    ExchangeService(employee).import_plan(ExchangeService(services).plan_document(person_id)[0])
    employee.plan.update(step_id, private=True)
    steps = ExchangeService(employee).progress_document()["plans"][0]["steps"]
    assert step_id not in {s["id"] for s in steps}


def test_a_journal_with_people_but_no_me_needs_a_person(
        services: Services, employee: Services) -> None:
    person_id, _conv, _step = _supervisor(services)
    employee.people.create("Someone")
    with pytest.raises(InvalidInputError, match="--person"):
        ExchangeService(employee).import_plan(
            ExchangeService(services).plan_document(person_id)[0])


def _valid_plan() -> dict[str, object]:
    return {
        "format": "careerdesk-plan", "format_version": 1,
        "exported_at": "2026-12-01T09:00:00Z",
        "person": {"id": "p1", "name": "Olga"}, "supervisor": {"name": "Alex"},
        "conversation": None, "match": [],
        "steps": [{"id": "s1", "text": "Do it", "kind": "skill", "owner": "employee",
                   "due": None, "status": "open", "done_on": None, "support": "",
                   "horizon": "now"}],
        "next_conversation": None,
    }


def _hostile(change: str) -> bytes:
    plan = _valid_plan()
    steps = plan["steps"]
    assert isinstance(steps, list)
    if change == "wrong type":
        steps[0]["due"] = 20270101
    elif change == "huge string":
        steps[0]["text"] = "x" * 200_000
    elif change == "unknown version":
        plan["format_version"] = 2
    elif change == "duplicate ids":
        steps.append(dict(steps[0]))
    elif change == "extra field":
        steps[0]["private_note"] = "?"
    elif change == "impossible date":
        steps[0]["due"] = "2027-02-30"
    elif change == "deep nesting":
        return b'{"format": "careerdesk-plan", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    elif change == "bool version":
        plan["format_version"] = True
    return json.dumps(plan).encode()


@pytest.mark.parametrize("change", ["wrong type", "huge string", "unknown version",
                                    "duplicate ids", "extra field", "impossible date",
                                    "deep nesting", "bool version"])
def test_hostile_plan_is_refused_in_one_line(change: str) -> None:
    with pytest.raises(ExchangeError) as caught:
        parse_careerplan(_hostile(change), name="bad.careerplan")
    message = str(caught.value)
    assert "\n" not in message
    assert len(message) < 300
    assert message.startswith("bad.careerplan: ")
    if change == "unknown version":
        assert "newer CareerDesk" in message


def test_the_valid_plan_of_the_hostile_tests_is_accepted() -> None:
    assert parse_careerplan(json.dumps(_valid_plan()).encode(), name="ok")["steps"]


def test_an_older_plan_file_changes_nothing(services: Services, employee: Services) -> None:
    person_id, _conv, step_id = _supervisor(services)
    clock = iter([dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC),
                  dt.datetime(2026, 12, 2, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))])
    sender = ExchangeService(services, now=lambda: next(clock))
    older = sender.plan_document(person_id)[0]
    services.plan.update(step_id, text="Lead the Q2 data review")
    newer = sender.plan_document(person_id)[0]
    ExchangeService(employee).import_plan(newer)
    report = ExchangeService(employee).import_plan(older)
    assert not report.changes
    assert "older" in report.lines()[0]
    assert employee.plan.get(step_id).text == "Lead the Q2 data review"


def test_progress_steps_are_the_imported_shared_ones_with_comments(
        services: Services, employee: Services) -> None:
    person_id, _conv, step_id = _supervisor(services)
    ExchangeService(employee).import_plan(ExchangeService(services).plan_document(person_id)[0])
    me = employee.people.me()
    assert me is not None
    employee.plan.add(me.id, "My own private idea")
    exchange = ExchangeService(employee)
    exchange.set_step_comment(step_id, "  Booked the room  ")
    steps = {action.id: comment for action, comment in exchange.progress_steps()}
    assert len(steps) == 2
    assert steps[step_id] == "Booked the room"
    exchange.set_step_comment(step_id, "")
    assert dict((a.id, c) for a, c in exchange.progress_steps())[step_id] == ""


def test_a_deleted_step_leaves_no_words_in_the_settings(services: Services,
                                                        employee: Services) -> None:
    person_id, _conv, step_id = _supervisor(services)
    exchange = ExchangeService(employee)
    exchange.import_plan(ExchangeService(services).plan_document(person_id)[0])
    me = employee.people.me()
    assert me is not None
    other = next(a for a in employee.plan.actions_for(me.id) if a.id != step_id)
    exchange.set_step_comment(step_id, "WORDS-OF-A-COMMENT")
    employee.plan.delete(step_id)
    exchange.set_step_comment(other.id, "still here")
    stored = json.dumps(employee.settings.all(), ensure_ascii=False)
    assert "Lead the Q1 data review" not in stored
    assert "an hour with the lead" not in stored
    assert "WORDS-OF-A-COMMENT" not in stored
