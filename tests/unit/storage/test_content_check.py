"""Values a hand edit can leave that SQLite's integrity check cannot see (issue 22)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from careerdesk.services import Services
from careerdesk.storage.content_check import unreadable_values
from careerdesk.storage.journal import open_journal


@pytest.fixture
def filled(journal_file: Path) -> Path:
    with open_journal(journal_file) as journal:
        svc = Services(journal)
        svc.settings.set("owner_name", "Ana")
        person = svc.people.create("Zoë", role="Engineer")
        svc.plan.add(person.id, "Learn Rust by June")
        assert unreadable_values(journal.engine) == []
    return journal_file


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ("UPDATE people SET created_at = 'garbage'", "people.created_at holds 1 value that is "
         "not a real time"),
        ("UPDATE people SET created_at = '2026-13-01T10:00:00.000000Z'", "people.created_at"),
        ("UPDATE people SET created_at = '0000-01-01T10:00:00.000000Z'", "people.created_at"),
        ("UPDATE people SET created_at = '2026-02-30T10:00:00.000000Z'", "people.created_at"),
        ("UPDATE people SET created_at = '2026-01-01T24:00:00.000000Z'", "people.created_at"),
        ("UPDATE people SET next_conversation = '2026-02-30'", "people.next_conversation"),
        ("UPDATE people SET next_conversation = '٢٠٢٦-01-01'", "people.next_conversation holds "
         "1 value that is not a real date"),
        ("UPDATE settings SET value = '{not json'", "settings.value holds 1 value that is not "
         "JSON"),
        ("UPDATE people SET is_me = 7", "people.is_me holds 1 value that is not true or false"),
        ("UPDATE people SET cadence_days = 'often'", "people.cadence_days holds 1 value that is "
         "not a whole number"),
        ("UPDATE actions SET text = x'00ff'", "actions.text holds 1 value that is not text"),
    ],
)
def test_hand_edited_values_are_found(filled: Path, edit: str, expected: str) -> None:
    raw = sqlite3.connect(filled)
    raw.execute(edit)
    raw.commit()
    raw.close()
    with open_journal(filled, repair_index=False) as journal:
        problems = unreadable_values(journal.engine)
    assert problems
    assert problems[0].startswith(expected)


def test_a_year_1_time_written_by_the_app_is_readable(filled: Path) -> None:
    raw = sqlite3.connect(filled)
    raw.execute("UPDATE people SET created_at = '0001-01-01T00:00:00.000000Z'")
    raw.commit()
    raw.close()
    with open_journal(filled, repair_index=False) as journal:
        assert unreadable_values(journal.engine) == []
