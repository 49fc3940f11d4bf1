"""Automatic backups: due once a day, never taken of a damaged journal, rotated."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from careerdesk.services import Services
from careerdesk.storage.backup import (
    KEEP_PER_REASON,
    auto_backup_due,
    backup_engine,
    list_backups,
    routine_care,
)
from careerdesk.storage.journal import Journal


def test_routine_care_backs_up_once_a_day(journal: Journal, tmp_path: Path) -> None:
    Services(journal).people.create("Ana")
    folder = tmp_path / "backups"
    first = routine_care(journal.engine, journal.path, folder)
    assert first.problems == []
    assert first.backup is not None
    copy = sqlite3.connect(first.backup)
    assert copy.execute("SELECT name FROM people").fetchall() == [("Ana",)]
    copy.close()
    again = routine_care(journal.engine, journal.path, folder)
    assert again.backup is None, "one automatic backup a day is enough"
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert auto_backup_due(folder, now=tomorrow)


def test_rotation_keeps_the_newest(journal: Journal, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for _ in range(KEEP_PER_REASON + 3):
        backup_engine(journal.engine, folder, stem="test", reason="manual")
    backup_engine(journal.engine, folder, stem="test", reason="auto")
    kept = list_backups(folder)
    assert sum(1 for b in kept if b.reason == "manual") == KEEP_PER_REASON
    assert sum(1 for b in kept if b.reason == "auto") == 1
    assert kept == sorted(kept, key=lambda b: b.taken_at, reverse=True)


def test_a_damaged_journal_is_reported_and_not_backed_up(tmp_path: Path) -> None:
    from careerdesk.storage.journal import open_journal

    path = tmp_path / "j.careerdesk"
    with open_journal(path) as journal:
        services = Services(journal)
        for i in range(300):
            services.people.create(f"Person {i}", role="x" * 200)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page * 3, len(data) - page, page * 2):
        data[offset + 8: offset + 30] = b"\xff" * 22
    path.write_bytes(bytes(data))
    from careerdesk.storage.engine import make_engine

    engine = make_engine(path)
    try:
        report = routine_care(engine, path, tmp_path / "backups")
    finally:
        engine.dispose()
    assert report.problems
    assert report.backup is None
    assert list_backups(tmp_path / "backups") == []


def test_a_damaged_journal_is_copied_aside_with_its_key_and_stays_in_place(
        tmp_path: Path) -> None:
    from careerdesk.storage.backup import keep_damaged_copy
    from careerdesk.storage.crypto import key_file_for

    journal = tmp_path / "notes.careerdesk"
    journal.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)  # truncated, say
    key_file_for(journal).write_bytes(b"wrapped key")
    aside = keep_damaged_copy(journal)
    assert aside == tmp_path / "notes.careerdesk.damaged"
    assert aside.read_bytes() == journal.read_bytes()  # a copy: the journal is still there
    assert key_file_for(aside).read_bytes() == b"wrapped key"
    # A later damaged plain journal: its copy has no key file beside it.
    key_file_for(journal).unlink()
    keep_damaged_copy(journal)
    assert not key_file_for(aside).exists()


def test_a_copy_that_cannot_be_written_restores_nothing_and_says_why(tmp_path: Path) -> None:
    import pytest

    from careerdesk.errors import StorageError
    from careerdesk.storage.backup import keep_damaged_copy
    from careerdesk.storage.durable import temporary_for

    journal = tmp_path / "notes.careerdesk"
    journal.write_bytes(b"damaged bytes")
    # Where the copy is written before its rename: blocked.
    temporary_for(tmp_path / "notes.careerdesk.damaged").mkdir()
    with pytest.raises(StorageError, match="Could not keep a copy"):
        keep_damaged_copy(journal)
    assert journal.read_bytes() == b"damaged bytes"
    assert not (tmp_path / "notes.careerdesk.damaged").exists()
