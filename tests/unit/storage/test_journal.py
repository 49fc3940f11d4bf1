"""Opening journal files: new, existing, foreign, damaged, too new, full."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from careerdesk.errors import (
    DamagedJournalError,
    JournalFileError,
    JournalTooNewError,
    NotAJournalError,
    StorageFullError,
)
from careerdesk.services import Services
from careerdesk.storage import migrate
from careerdesk.storage.engine import APPLICATION_ID
from careerdesk.storage.journal import open_journal
from tests.helpers import digest, folder_state, modules_loaded_by


def make_journal(path: Path, people: int = 3) -> None:
    with open_journal(path) as journal:
        services = Services(journal)
        for i in range(people):
            services.people.create(f"Person {i}", role="Engineer")


def test_new_journal_has_our_header_and_pragmas(journal_file: Path) -> None:
    with open_journal(journal_file) as journal, journal.engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "secure_delete",
                         "application_id")
        }
    assert pragmas == {
        "journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "secure_delete": 1,
        "application_id": APPLICATION_ID,
    }
    header = journal_file.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID


def test_reopening_keeps_data_and_leaves_no_side_files(journal_file: Path) -> None:
    make_journal(journal_file)
    with open_journal(journal_file) as journal:
        names = [p.name for p in Services(journal).people.list()]
    assert names == ["Person 0", "Person 1", "Person 2"]
    assert sorted(p.name for p in journal_file.parent.iterdir()) == [journal_file.name]


def test_missing_file_without_create_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(JournalFileError, match="no journal at"):
        open_journal(tmp_path / "nope.careerdesk", create=False)
    assert not (tmp_path / "nope.careerdesk").exists()


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(JournalFileError, match="does not exist"):
        open_journal(tmp_path / "no" / "such" / "j.careerdesk")


def _other_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE music(title TEXT)")
    connection.execute("INSERT INTO music VALUES ('Blue in Green')")
    connection.commit()
    connection.close()


def _truncated(path: Path) -> None:
    make_journal(path, people=200)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("maker", "error", "message"),
    [
        (lambda p: p.write_bytes(b""), DamagedJournalError, "empty"),
        (lambda p: p.write_bytes(os.urandom(8192)), NotAJournalError, "not a CareerDesk journal"),
        (lambda p: p.write_text("name,role\nAna,engineer\n"), NotAJournalError, "not a CareerDesk"),
        (_other_sqlite, NotAJournalError, "SQLite database, but not a CareerDesk journal"),
        (_truncated, DamagedJournalError, "truncated"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x10"), DamagedJournalError,
         "truncated"),
    ],
    ids=["empty", "random-bytes", "text", "other-sqlite", "truncated", "header-only"],
)
def test_bad_files_are_refused_and_left_untouched(
    tmp_path: Path, maker: object, error: type[Exception], message: str
) -> None:
    path = tmp_path / "bad.careerdesk"
    maker(path)  # type: ignore[operator]
    before = folder_state(tmp_path)
    with pytest.raises(error, match=message) as caught:
        open_journal(path)
    assert "untouched" in caught.value.hint
    assert folder_state(tmp_path) == before


def test_damaged_pages_are_detected_and_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "damaged.careerdesk"
    make_journal(path, people=300)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size * 2, len(data) - page_size, page_size * 3):
        data[offset + 8 : offset + 40] = os.urandom(32)  # scribble over b-tree pages
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(DamagedJournalError, match="damaged"):
        open_journal(path)
    assert digest(path) == before


def test_newer_schema_is_refused_for_writing(journal_file: Path) -> None:
    make_journal(journal_file)
    connection = sqlite3.connect(journal_file)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = digest(journal_file)
    with pytest.raises(JournalTooNewError, match="newer version of CareerDesk"):
        open_journal(journal_file)
    assert digest(journal_file) == before


def test_full_disk_gives_a_clear_error_and_keeps_the_file_consistent(
    journal_file: Path,
) -> None:
    make_journal(journal_file)
    with open_journal(journal_file) as journal:
        services = Services(journal)
        with journal.engine.connect() as connection:
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        limit = {"pages": int(pages or 0) + 2}

        @event.listens_for(journal.engine, "connect")
        def _limit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count = {limit['pages']}")

        journal.engine.dispose()
        person = services.people.list()[0]
        with pytest.raises(StorageFullError, match="disk is full") as caught:
            services.entries.add(person.id, entry_date=__import__("datetime").date(2026, 1, 1),
                                 body="x" * 200_000)
        assert "text is kept" in caught.value.hint
        assert journal.integrity_problems() == []
        assert [p.name for p in services.people.list()] == ["Person 0", "Person 1", "Person 2"]
        # Space comes back: the same write now succeeds.
        limit["pages"] = 1_000_000
        journal.engine.dispose()
        services.entries.add(person.id, entry_date=__import__("datetime").date(2026, 1, 1),
                             body="x" * 200_000)
        assert len(services.entries.list()) == 1


def test_head_revision_matches_alembic() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert scripts.get_current_head() == migrate.HEAD_REVISION
    assert [r.revision for r in reversed(list(scripts.walk_revisions()))] == list(
        migrate.KNOWN_REVISIONS
    )


def test_models_and_migrations_agree(journal: object) -> None:
    """``alembic check``: autogenerate finds nothing to add, drop or change."""
    from alembic import command
    from alembic.util.exc import AutogenerateDiffsDetected

    assert hasattr(journal, "engine")
    with journal.engine.begin() as connection:  # type: ignore[attr-defined]
        try:
            command.check(migrate.alembic_config(connection))
        except AutogenerateDiffsDetected as exc:  # pragma: no cover - the failure message
            pytest.fail(f"models and migrations disagree: {exc}")


def test_stored_fixture_database_is_upgraded_with_a_backup_first(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parents[2] / "data" / "journal-rev0001.careerdesk"
    path = tmp_path / "old.careerdesk"
    path.write_bytes(fixture.read_bytes())
    backups = tmp_path / "backups"
    with open_journal(path, backup_dir=backups) as journal:
        services = Services(journal)
        people = services.people.list()
        with journal.engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.HEAD_REVISION
    assert {p.name for p in people} >= {"Ana Souza", "李娜"}
    if migrate.HEAD_REVISION != "0001":
        copies = list(backups.glob("*before-upgrade-from-0001*"))
        assert len(copies) == 1
        assert sqlite3.connect(copies[0]).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_every_migration_runs_from_an_empty_database(tmp_path: Path) -> None:
    from sqlalchemy import inspect

    from careerdesk.storage.engine import make_engine
    from careerdesk.storage.rows import Base

    engine = make_engine(tmp_path / "empty.db")
    with engine.begin() as connection:
        migrate.upgrade(connection, migrate.KNOWN_REVISIONS[0])
        migrate.upgrade(connection)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert set(Base.metadata.tables) <= tables


def test_plain_journal_opens_without_the_crypto_module(journal_file: Path) -> None:
    open_journal(journal_file).close()
    code = (
        "from pathlib import Path\n"
        "from careerdesk.storage.journal import open_journal\n"
        f"open_journal(Path({str(journal_file)!r}), verify=False).close()\n"
    )
    assert "careerdesk.storage.crypto" not in modules_loaded_by(code, prefix="careerdesk.")
