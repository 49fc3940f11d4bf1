"""The full-text search index: an FTS5 table over every text, kept in step by SQL triggers.

Two objects hold the index:

* ``search_docs``, a plain table with one row per searchable record: its kind, record id, the
  person and conversation it belongs to, a date, the private flag, and its text (``title``,
  ``body``, ``tags``). Filters (person, kind, date) use its ordinary indexes.
* ``search_fts``, an external-content FTS5 table over ``search_docs``' text, tokenized with
  ``unicode61 remove_diacritics 2`` ("jose" finds "José") and with prefix indexes.

Triggers on every source table write ``search_docs``; triggers on ``search_docs`` write
``search_fts``. Both run inside the statement that changed the data, so the index is in step with
the data in every committed transaction, whoever wrote it (services, JSON load, a migration).

Migration 0002 calls :func:`install`. If the index definition changes, bump ``INDEX_VERSION``
and add a migration that calls :func:`install` again (it drops the old objects first).
Nothing here imports Qt; none of it is ORM metadata (Alembic's autogenerate ignores it, see
``migrations/env.py``).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from careerdesk.storage.engine import writer

log = logging.getLogger(__name__)

#: Bump when the definition below changes, with a migration that calls :func:`install` again.
INDEX_VERSION = 1

DOCS = "search_docs"
FTS = "search_fts"
#: Every table name Alembic must not compare (search_fts creates its own shadow tables).
PREFIX = "search_"

TOKENIZE = "unicode61 remove_diacritics 2"
PREFIXES = "2 3 4"

#: Searchable kinds, in the order the UI lists them.
KINDS: tuple[str, ...] = (
    "entry", "answer", "note", "match_item", "action", "conversation", "person", "prompt",
)

_DOCS_TABLE = f"""
CREATE TABLE {DOCS} (
    rowid INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    person_id TEXT,
    conversation_id TEXT,
    doc_date TEXT,
    private INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT ''
)"""

_DOCS_INDEXES = (
    f"CREATE UNIQUE INDEX {DOCS}_record ON {DOCS} (record_id, kind)",
    f"CREATE INDEX {DOCS}_person ON {DOCS} (person_id, doc_date)",
    f"CREATE INDEX {DOCS}_conversation ON {DOCS} (conversation_id)",
)

_FTS_TABLE = (
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, body, tags, content='{DOCS}', "
    f"content_rowid='rowid', tokenize='{TOKENIZE}', prefix='{PREFIXES}')"
)

# search_docs -> search_fts (the standard external-content triggers).
_FTS_TRIGGERS = (
    f"""CREATE TRIGGER {DOCS}_ai AFTER INSERT ON {DOCS} BEGIN
    INSERT INTO {FTS}(rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags);
END""",
    f"""CREATE TRIGGER {DOCS}_ad AFTER DELETE ON {DOCS} BEGIN
    INSERT INTO {FTS}({FTS}, rowid, title, body, tags)
        VALUES ('delete', old.rowid, old.title, old.body, old.tags);
END""",
    f"""CREATE TRIGGER {DOCS}_au AFTER UPDATE OF title, body, tags ON {DOCS}
WHEN old.title IS NOT new.title OR old.body IS NOT new.body OR old.tags IS NOT new.tags BEGIN
    INSERT INTO {FTS}({FTS}, rowid, title, body, tags)
        VALUES ('delete', old.rowid, old.title, old.body, old.tags);
    INSERT INTO {FTS}(rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags);
END""",
)


def _conversation_person(alias: str) -> str:
    return f"(SELECT person_id FROM conversations WHERE id = {alias}.conversation_id)"


def _conversation_date(alias: str) -> str:
    return f"(SELECT held_on FROM conversations WHERE id = {alias}.conversation_id)"


def _json_words(expr: str) -> str:
    return f"coalesce((SELECT group_concat(value, ' ') FROM json_each({expr})), '')"


class _Source:
    """How one source table becomes ``search_docs`` rows."""

    def __init__(
        self,
        kind: str,
        table: str,
        *,
        person: Callable[[str], str],
        conversation: Callable[[str], str],
        date: Callable[[str], str],
        private: Callable[[str], str],
        title: Callable[[str], str],
        body: Callable[[str], str],
        tags: Callable[[str], str] = lambda a: "''",
        watched: Iterable[str],
    ) -> None:
        self.kind = kind
        self.table = table
        self.person = person
        self.conversation = conversation
        self.date = date
        self.private = private
        self.title = title
        self.body = body
        self.tags = tags
        self.watched = tuple(watched)

    def values(self, alias: str) -> str:
        return ", ".join((
            f"'{self.kind}'", f"{alias}.id", self.person(alias), self.conversation(alias),
            self.date(alias), self.private(alias), self.title(alias), self.body(alias),
            self.tags(alias),
        ))

    def backfill(self) -> str:
        return (
            f"INSERT INTO {DOCS} (kind, record_id, person_id, conversation_id, doc_date, private, "
            f"title, body, tags) SELECT {self.values('src')} FROM {self.table} AS src"
        )

    def triggers(self) -> tuple[str, ...]:
        name = f"{PREFIX}{self.table}"
        columns = (
            "kind, record_id, person_id, conversation_id, doc_date, private, title, body, tags"
        )
        return (
            f"""CREATE TRIGGER {name}_ai AFTER INSERT ON {self.table} BEGIN
    INSERT INTO {DOCS} ({columns}) VALUES ({self.values('new')});
END""",
            f"""CREATE TRIGGER {name}_au AFTER UPDATE OF {", ".join(self.watched)} ON {self.table}
BEGIN
    UPDATE {DOCS} SET person_id = {self.person('new')}, conversation_id = {
                self.conversation('new')}, doc_date = {self.date('new')}, private = {
                self.private('new')}, title = {self.title('new')}, body = {self.body('new')},
        tags = {self.tags('new')}
    WHERE record_id = old.id AND kind = '{self.kind}';
END""",
            f"""CREATE TRIGGER {name}_ad AFTER DELETE ON {self.table} BEGIN
    DELETE FROM {DOCS} WHERE record_id = old.id AND kind = '{self.kind}';
END""",
        )


def _col(column: str) -> Callable[[str], str]:
    return lambda a: f"{a}.{column}"


def _const(value: str) -> Callable[[str], str]:
    return lambda a: value


_SOURCES: tuple[_Source, ...] = (
    _Source(
        "person", "people", person=_col("id"), conversation=_const("NULL"),
        date=lambda a: f"substr({a}.created_at, 1, 10)", private=_const("0"),
        title=_col("name"), body=lambda a: f"trim({a}.role || ' ' || {a}.team)",
        watched=("name", "role", "team"),
    ),
    _Source(
        "conversation", "conversations", person=_col("person_id"), conversation=_col("id"),
        date=_col("held_on"), private=_const("0"), title=_col("purpose"), body=_col("present"),
        watched=("purpose", "present", "held_on"),
    ),
    _Source(
        "answer", "answers", person=_conversation_person, conversation=_col("conversation_id"),
        date=_conversation_date, private=_col("private"), title=_const("''"),
        body=_col("text"), watched=("text", "private"),
    ),
    _Source(
        "note", "notes", person=_conversation_person, conversation=_col("conversation_id"),
        date=_conversation_date, private=_col("private"), title=_const("''"),
        body=_col("text"), watched=("text", "private"),
    ),
    _Source(
        "match_item", "match_items", person=_conversation_person,
        conversation=_col("conversation_id"), date=_conversation_date, private=_col("private"),
        title=_col("text"), body=_const("''"), watched=("text", "private"),
    ),
    _Source(
        "action", "actions", person=_col("person_id"), conversation=_col("conversation_id"),
        date=lambda a: f"coalesce({a}.due, substr({a}.created_at, 1, 10))",
        private=_col("private"), title=_col("text"), body=_col("support"),
        watched=("text", "support", "private", "due", "conversation_id"),
    ),
    _Source(
        "entry", "journal_entries", person=_col("person_id"), conversation=_const("NULL"),
        date=_col("entry_date"), private=_col("private"), title=_col("title"), body=_col("body"),
        tags=lambda a: _json_words(f"{a}.tags"),
        watched=("title", "body", "tags", "private", "entry_date", "person_id"),
    ),
    _Source(
        "prompt", "custom_prompts",
        person=_conversation_person, conversation=_col("conversation_id"),
        date=lambda a: f"substr({a}.created_at, 1, 10)",
        private=_const("0"), title=_col("text"), body=_col("hint"), watched=("text", "hint"),
    ),
)

#: A conversation's date is copied onto its answers, notes and match items: keep them in step.
_CONVERSATION_DATE_TRIGGER = f"""CREATE TRIGGER {PREFIX}conversations_date AFTER UPDATE OF held_on
ON conversations WHEN old.held_on IS NOT new.held_on BEGIN
    UPDATE {DOCS} SET doc_date = new.held_on
    WHERE conversation_id = new.id AND kind IN ('answer', 'note', 'match_item');
END"""


def trigger_names() -> list[str]:
    names = [f"{DOCS}_ai", f"{DOCS}_ad", f"{DOCS}_au", f"{PREFIX}conversations_date"]
    for source in _SOURCES:
        names += [f"{PREFIX}{source.table}_{suffix}" for suffix in ("ai", "au", "ad")]
    return sorted(names)


def create_statements() -> list[str]:
    """Create the (empty) index objects and fill them from the data, triggers last."""
    statements = [_DOCS_TABLE, *_DOCS_INDEXES, _FTS_TABLE]
    statements += [source.backfill() for source in _SOURCES]
    # One pass over search_docs is much faster than one FTS insert per backfilled row.
    statements.append(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
    statements += list(_FTS_TRIGGERS)
    for source in _SOURCES:
        statements += list(source.triggers())
    statements.append(_CONVERSATION_DATE_TRIGGER)
    return statements


def drop_statements() -> list[str]:
    """Drop every index object (triggers, FTS table with its shadow tables, docs table)."""
    statements = [f"DROP TRIGGER IF EXISTS {name}" for name in trigger_names()]
    statements += [f"DROP TABLE IF EXISTS {FTS}", f"DROP TABLE IF EXISTS {DOCS}"]
    return statements


Execute = Callable[..., Any]


def install(execute: Execute) -> None:
    """(Re)build the whole index with ``execute`` (one SQL statement, optional parameters).

    Run it inside a transaction: the index is dropped and rebuilt from the data atomically.
    """
    for statement in drop_statements():
        try:
            execute(statement)
        except (DBAPIError, sqlite3.DatabaseError):
            if FTS not in statement:
                raise
            # A damaged FTS table cannot even be dropped (its constructor reads the shadow
            # tables): give it empty, valid shadow tables first, then drop it.
            _reset_shadow_tables(execute)
            execute(statement)
    for statement in create_statements():
        execute(statement)


def _reset_shadow_tables(execute: Execute) -> None:
    """Make the FTS shadow tables those of a new, empty index (taken from a scratch copy)."""
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute(_FTS_TABLE)
        shadows = scratch.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name != ?", (FTS,)
        ).fetchall()
        for name, sql in shadows:
            execute(str(sql).replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))
            execute(f"DELETE FROM {name}")
            for row in scratch.execute(f"SELECT * FROM {name}"):
                marks = ", ".join("?" for _ in row)
                execute(f"INSERT INTO {name} VALUES ({marks})", tuple(row))
    finally:
        scratch.close()


def missing_objects(names: Iterable[tuple[str, str]]) -> list[str]:
    """Which index objects are absent, given ``(type, name)`` rows of ``sqlite_master``."""
    present = set(names)
    wanted = [("table", DOCS), ("table", FTS), ("table", f"{FTS}_data"), ("table", f"{FTS}_idx")]
    wanted += [("trigger", name) for name in trigger_names()]
    return [name for kind, name in wanted if (kind, name) not in present]


#: ``sqlite_master`` rows that :func:`missing_objects` needs.
MASTER_QUERY = (
    "SELECT type, name FROM sqlite_master WHERE name LIKE 'search\\_%' ESCAPE '\\'"
)
#: A cheap probe that reads the FTS structure record and, per segment, the index pages on the
#: way to one term: raises on damage. The term is a whole word no one writes, so the lookup
#: costs the same on any journal (a prefix such as ``a*`` walks every term under it: 15 ms on
#: a 10-year, 200-person journal against 0.5 ms).
PROBE_QUERY = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH '\"careerdeskprobe\"' LIMIT 1"


def problems(engine: Engine) -> list[str]:
    """What is wrong with the index (missing objects, or the error a probe raised); cheap."""
    try:
        with engine.connect() as connection:
            rows = [(str(t), str(n)) for t, n in connection.exec_driver_sql(MASTER_QUERY)]
            missing = missing_objects(rows)
            if missing:
                return [f"missing {name}" for name in missing]
            connection.exec_driver_sql(PROBE_QUERY).all()
    except DBAPIError as exc:
        return [type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__]
    except MemoryError:
        # A damaged record can claim a huge size: SQLite gives up with SQLITE_NOMEM, which the
        # stdlib driver raises as MemoryError (not a DBAPI error).
        return ["MemoryError"]
    return []


def ensure(engine: Engine) -> bool:
    """Rebuild the index if it is missing or damaged; True when it was rebuilt.

    Called when a journal is opened: a dropped FTS table would otherwise make every write fail
    in its triggers. The check is one ``sqlite_master`` query and one tiny FTS lookup.
    """
    if not problems(engine):
        return False
    log.warning("search index missing or damaged; rebuilding it")
    with writer(engine).begin() as connection:
        install(connection.exec_driver_sql)
    return True


def purge_deleted(engine: Engine) -> None:
    """Merge the index's segments so deleted words leave it (FTS5 keeps them in old segments
    until a merge). Runs after a delete, before the WAL checkpoint, with ``secure_delete`` on so
    the freed pages are zeroed. About 0.6 s on a 10-year, 200-person journal; FTS5's own
    ``secure-delete`` option would be cheaper but needs SQLite 3.42 (the stdlib's here is 3.40).
    """
    try:
        with writer(engine).begin() as connection:
            connection.exec_driver_sql(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
    except DBAPIError as exc:  # no index (yet): nothing to purge
        if "no such table" not in str(exc):
            raise
