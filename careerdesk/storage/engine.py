"""The one place a database engine is made, with the pragmas every connection needs.

Plain files use the stdlib ``sqlite3``; encrypted journals pass a raw ``key`` and get SQLCipher
through the same function, so nothing else in the code knows which driver is underneath.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

#: Written into the SQLite header (offset 68) of every CareerDesk journal: "CDK1".
APPLICATION_ID = 0x43444B31
BUSY_TIMEOUT_MS = 5000
WRITE_OPTION = "careerdesk_write"
#: A raw SQLCipher key; a bytearray can be wiped when the journal is closed.
RawKey = bytes | bytearray


def make_engine(
    path: Path, *, key: RawKey | None = None, read_only: bool = False, immutable: bool = False
) -> Engine:
    """An engine on ``path`` with WAL, full sync, foreign keys and secure delete.

    ``key`` is a raw 32-byte SQLCipher key; without it the file is plain SQLite.

    ``read_only`` opens the file through SQLite's ``mode=ro`` URI: nothing (not even the WAL
    switch) can write to it, and every write fails in SQLite itself. ``immutable`` adds
    ``immutable=1`` for read-only media, where SQLite could not create the ``-shm`` file a
    WAL-mode reader needs: SQLite then takes no locks and assumes nobody changes the file.
    Only a file that already passed :mod:`careerdesk.storage.gate` gets a writable engine.
    """
    connect_args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    module = _driver(key)
    # A URL object, not a string: a "?" or "#" in a file name would be parsed as a query (and
    # a different file opened). ``url.database`` stays the path (backups find the key file).
    url = URL.create("sqlite", database=str(path))
    if read_only:
        uri = read_only_uri(path, immutable=immutable)

        def connect() -> Any:
            return module.connect(uri, uri=True, **connect_args)

        engine = create_engine(
            url, module=module, creator=connect, poolclass=QueuePool, pool_size=2
        )
    elif key is None:
        engine = create_engine(url, connect_args=connect_args, poolclass=QueuePool, pool_size=2)
    else:
        # The plain SQLite dialect over the SQLCipher driver, with the key set in the connect
        # event below: the `sqlite+pysqlcipher` dialect wants the key in the URL (as password
        # `x'<hex>'`) and runs `pragma key=""` without one, which SQLCipher refuses. This way
        # the key is in no URL that could be printed, and both kinds of file behave alike.
        engine = create_engine(
            url, module=module, connect_args=connect_args, poolclass=QueuePool,
            pool_size=2,
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The stdlib driver's own transaction handling is turned off so that SQLAlchemy's BEGIN
        # is the one that counts (needed for SAVEPOINT and for DDL inside transactions).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if key is not None:
                if not any(key):
                    # The journal was closed (locked) and its key wiped; something still held
                    # the engine. Say so instead of SQLCipher's "file is not a database".
                    from careerdesk.errors import PassphraseNeededError

                    raise PassphraseNeededError("The journal is locked: unlock it to continue.")
                # SQLCipher's own log would print HMAC errors of a damaged file on stderr.
                cursor.execute("PRAGMA cipher_log_level = NONE")
                cursor.execute(key_pragma(key))
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA secure_delete = ON")
            if not read_only:
                # Last of the settings, and only on a file the gate passed: this one writes
                # the header (a refused file stays byte-identical).
                cursor.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit is on disk before we acknowledge it, also in WAL mode.
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock at once (IMMEDIATE), so a transaction never fails half-way
        # on a lock upgrade; readers (exports, search) stay deferred and never block a save.
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing and not read_only else "BEGIN")

    return engine


def key_pragma(key: RawKey) -> str:
    """The statement that gives SQLCipher a raw 256-bit key (no SQLCipher KDF on open)."""
    if len(key) != 32:
        raise ValueError("a SQLCipher raw key is 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def writer(engine: Engine) -> Engine:
    """The same engine, with transactions that take the write lock at once."""
    return engine.execution_options(**{WRITE_OPTION: True})


def run_outside_transaction(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    """Run a statement (a pragma, a checkpoint) with no transaction around it."""
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql)
            return list(cursor.fetchall())
        finally:
            cursor.close()
    finally:
        raw.close()


def _driver(key: RawKey | None) -> Any:
    """The DB-API module: the stdlib's sqlite3 for plain files, SQLCipher's for encrypted ones
    (only encrypted journals pay for that import)."""
    if key is None:
        import sqlite3

        return sqlite3
    import sqlcipher3

    return sqlcipher3.dbapi2


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """The ``file:`` URI that opens ``path`` read-only (percent-encoded, so any name works)."""
    return f"{path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def connect_read_only(path: Path, *, key: RawKey | None = None, immutable: bool = False) -> Any:
    """A bare DB-API connection that can only read ``path`` (the gate's checks run on it)."""
    connection = _driver(key).connect(
        read_only_uri(path, immutable=immutable), uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
    )
    connection.isolation_level = None
    if key is not None:
        try:
            connection.execute("PRAGMA cipher_log_level = NONE")
            connection.execute(key_pragma(key))
        except BaseException:
            connection.close()
            raise
    return connection
