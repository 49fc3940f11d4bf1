"""The engine: a read-only engine writes nothing, not even the WAL switch (issue 22)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from careerdesk.storage.engine import make_engine, read_only_uri
from tests.helpers import digest
from tests.journal_cases import edit, make_journal


def test_a_read_only_engine_reads_and_never_writes(tmp_path: Path) -> None:
    path = edit(make_journal(tmp_path / "journal.careerdesk"))  # rollback-journal mode
    before = digest(path)
    engine = make_engine(path, read_only=True)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM people").scalar_one() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "delete"
            with pytest.raises(OperationalError, match="readonly"):
                connection.exec_driver_sql("DELETE FROM people")
    finally:
        engine.dispose()
    assert digest(path) == before


def test_a_writable_engine_switches_to_wal(tmp_path: Path) -> None:
    path = edit(make_journal(tmp_path / "journal.careerdesk"))
    engine = make_engine(path)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        engine.dispose()


def test_the_read_only_uri_survives_any_file_name(tmp_path: Path) -> None:
    odd = tmp_path / "a ?#%& name.careerdesk"
    make_journal(odd)
    uri = read_only_uri(odd, immutable=True)
    assert uri.endswith("?mode=ro&immutable=1")
    connection = sqlite3.connect(uri, uri=True)
    try:
        assert connection.execute("SELECT count(*) FROM people").fetchone() == (1,)
    finally:
        connection.close()
