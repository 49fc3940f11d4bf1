"""Schema revisions: the roster indexes of 0003 on an upgraded file and on a new one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from careerdesk.services import Services
from careerdesk.storage import migrate
from careerdesk.storage.journal import open_journal

FIXTURE = Path(__file__).resolve().parents[2] / "data" / "journal-rev0001.careerdesk"
ROSTER_INDEXES = {
    "ix_conversations_person_id_held_on": ("conversations", ["person_id", "held_on"]),
    "ix_actions_person_id_status_due": ("actions", ["person_id", "status", "due"]),
}
REPLACED = {"ix_conversations_person_id", "ix_actions_person_id"}


def _indexes(path: Path) -> dict[str, tuple[str, list[str]]]:
    with sqlite3.connect(path) as connection:
        names = connection.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
        return {
            name: (table, [r[2] for r in connection.execute(f"PRAGMA index_info({name})")])
            for name, table in names
        }


def _plan(path: Path, sql: str) -> str:
    with sqlite3.connect(path) as connection:
        return " ".join(str(row[3]) for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}"))


def test_upgrade_from_0001_adds_the_roster_indexes(tmp_path: Path) -> None:
    path = tmp_path / "old.careerdesk"
    path.write_bytes(FIXTURE.read_bytes())
    assert not set(ROSTER_INDEXES) & set(_indexes(path))
    with open_journal(path, backup_dir=tmp_path / "backups") as journal:
        summaries = Services(journal).people.summaries()
        with journal.engine.connect() as connection:
            assert migrate.current_revision(connection) == "0003"
    assert summaries
    indexes = _indexes(path)
    for name, definition in ROSTER_INDEXES.items():
        assert indexes[name] == definition
    assert not REPLACED & set(indexes)


def test_new_journal_has_them_and_the_roster_reads_only_the_indexes(journal_file: Path) -> None:
    open_journal(journal_file).close()
    indexes = _indexes(journal_file)
    for name, definition in ROSTER_INDEXES.items():
        assert indexes[name] == definition
    conversations = _plan(
        journal_file,
        "SELECT person_id, max(held_on), count(*) FROM conversations GROUP BY person_id",
    )
    actions = _plan(
        journal_file,
        "SELECT person_id, count(*), count(CASE WHEN due < '2026-01-01' THEN 1 END) "
        "FROM actions WHERE status IN ('open', 'in_progress') GROUP BY person_id",
    )
    assert "COVERING INDEX ix_conversations_person_id_held_on" in conversations
    assert "COVERING INDEX ix_actions_person_id_status_due" in actions


def test_downgrade_to_0002_restores_the_one_column_indexes(journal_file: Path) -> None:
    from careerdesk.storage.engine import make_engine, writer

    open_journal(journal_file).close()
    engine = make_engine(journal_file)
    try:
        with writer(engine).begin() as connection:
            from alembic import command

            command.downgrade(migrate.alembic_config(connection), "0002")
    finally:
        engine.dispose()
    indexes = _indexes(journal_file)
    assert set(indexes) >= REPLACED
    assert not set(ROSTER_INDEXES) & set(indexes)
