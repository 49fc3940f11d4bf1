"""The search index schema: made by migration 0002, backfilled, in step inside transactions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from careerdesk.services import Services
from careerdesk.storage import search_index
from careerdesk.storage.journal import open_journal


def _docs(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        return sorted(connection.execute("SELECT kind, body FROM search_docs").fetchall())


def test_upgrade_from_0001_backfills_existing_rows(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parents[2] / "data" / "journal-rev0001.careerdesk"
    path = tmp_path / "old.careerdesk"
    path.write_bytes(fixture.read_bytes())
    with sqlite3.connect(path) as connection:
        texts = connection.execute("SELECT count(*) FROM answers").fetchone()[0]
    with open_journal(path, backup_dir=tmp_path / "backups") as journal:
        services = Services(journal)
        assert services.search.index_problems() == []
        [ana] = [p for p in services.people.list() if p.name == "Ana Souza"]
        assert any(h.record_id == ana.id for h in services.search.search("souza"))
    kinds = [kind for kind, _ in _docs(path)]
    assert kinds.count("answer") == texts
    assert "person" in kinds


def test_index_is_written_in_the_same_transaction(journal_file: Path) -> None:
    """A write that rolls back leaves no trace in the index; one that commits is indexed."""
    with open_journal(journal_file) as journal:
        services = Services(journal)
        me = services.people.create("Me", is_me=True)
        try:
            with journal.transaction() as session:
                connection = session.connection()
                connection.exec_driver_sql(
                    "INSERT INTO journal_entries (id, person_id, entry_date, title, body, tags, "
                    "private, created_at, updated_at) VALUES ('e1', ?, '2026-01-01', '', "
                    "'rolled back words', '[]', 1, '', '')", (me.id,),
                )
                assert connection.exec_driver_sql(
                    "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'rolled'"
                ).scalar_one() == 1
                raise RuntimeError("abort")
        except RuntimeError:
            pass
        assert services.search.search("rolled") == []
        services.entries.add(me.id, dt.date(2026, 1, 1), body="committed words")
    assert ("entry", "committed words") in _docs(journal_file)


def test_fts_integrity_check_passes_after_edits(services: Services, journal_file: Path) -> None:
    me = services.people.create("Me", is_me=True)
    entry = services.entries.add(me.id, dt.date(2026, 1, 1), title="t", body="one two")
    for n in range(5):
        services.entries.update(entry.id, body=f"edit {n}", tags=[f"t{n}"])
    services.entries.delete(entry.id)
    services.entries.add(me.id, dt.date(2026, 1, 2), body="kept")
    with sqlite3.connect(journal_file) as connection:
        connection.execute(
            "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"
        )


def test_tokenizer_and_prefixes_are_as_documented(journal_file: Path) -> None:
    open_journal(journal_file).close()
    with sqlite3.connect(journal_file) as connection:
        [sql] = connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'search_fts'"
        ).fetchone()
    assert "remove_diacritics 2" in sql
    assert "prefix=" in sql
    assert search_index.missing_objects([]) != []


def test_probe_running_out_of_memory_counts_as_damage(journal_file: Path) -> None:
    """SQLite answers some damaged FTS records with SQLITE_NOMEM (MemoryError in Python)."""
    with open_journal(journal_file) as journal:
        engine = journal.engine

        class Exhausted:
            def connect(self) -> object:
                raise MemoryError

        assert search_index.problems(engine) == []
        assert search_index.problems(Exhausted()) == ["MemoryError"]  # type: ignore[arg-type]
