"""Deleting leaves no trace: the text of a deleted record is in neither the file nor its WAL.

The text is written several times first (each commit appends a page image to the WAL), so a
missing checkpoint or a missing ``secure_delete`` would show up in the raw bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from careerdesk.services import Services

CANARY = "erasemecanary3141"  # one token, so the search index would show it too


def raw_bytes(path: Path) -> bytes:
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _person(svc: Services) -> Callable[[], None]:
    person = svc.people.create(f"Name {CANARY}")
    for i in range(3):
        svc.people.update(person.id, role=f"{CANARY} role {i}")
    return lambda: svc.people.delete(person.id)


def _entry(svc: Services) -> Callable[[], None]:
    person = svc.people.create("Keeper")
    entry = svc.entries.add(person.id, dt.date(2026, 1, 1), body=CANARY)
    for i in range(3):
        svc.entries.update(entry.id, body=f"{CANARY} draft {i}")
    return lambda: svc.entries.delete(entry.id)


def _note(svc: Services) -> Callable[[], None]:
    person = svc.people.create("Keeper")
    talk = svc.conversations.start(person.id, dt.date(2026, 1, 1))
    for i in range(3):
        svc.conversations.set_note(talk.id, "prepare", text=f"{CANARY} typing {i}")
    return lambda: svc.conversations.set_note(talk.id, "prepare", text="")


def _conversation(svc: Services) -> Callable[[], None]:
    person = svc.people.create("Keeper")
    talk = svc.conversations.start(person.id, dt.date(2026, 1, 1))
    svc.conversations.set_note(talk.id, "current_role", text=CANARY, private=True)
    return lambda: svc.conversations.delete(talk.id)


def _action(svc: Services) -> Callable[[], None]:
    person = svc.people.create("Keeper")
    action = svc.plan.add(person.id, f"{CANARY} step")
    for i in range(3):
        svc.plan.update(action.id, support=f"{CANARY} support {i}")
    return lambda: svc.plan.delete(action.id)


def _match_item(svc: Services) -> Callable[[], None]:
    person = svc.people.create("Keeper")
    talk = svc.conversations.start(person.id, dt.date(2026, 1, 1))
    item = svc.conversations.add_match_item(talk.id, f"{CANARY} skill", in_skills=True)
    return lambda: svc.conversations.delete_match_item(item.id)


@pytest.mark.parametrize(
    "make", [_person, _entry, _note, _conversation, _action, _match_item],
    ids=["person", "entry", "note", "conversation", "action", "match-item"],
)
def test_deleted_text_is_in_neither_file_nor_wal(
    services: Services, journal_file: Path, make: Callable[[Services], Callable[[], None]]
) -> None:
    services.people.create("Someone who stays")
    delete = make(services)
    assert CANARY.encode() in raw_bytes(journal_file)  # the scan can see it before
    delete()
    assert CANARY.encode() not in raw_bytes(journal_file)
    assert b"Someone who stays" in raw_bytes(journal_file)
