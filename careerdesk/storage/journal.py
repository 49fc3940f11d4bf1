"""Opening a journal file: check it, lock it, migrate it, hand out transactions.

A file that is not a CareerDesk journal, or is empty, truncated or damaged, is never written to:
every check before the engine is made only reads. A new journal is built in a temporary file and
moved into place complete, so a crash during creation never leaves a half-made journal.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from careerdesk.errors import (
    DamagedJournalError,
    JournalFileError,
    JournalTooNewError,
    NotAJournalError,
    PassphraseNeededError,
    StorageError,
    StorageFullError,
)
from careerdesk.storage import migrate, replace, search_index
from careerdesk.storage.durable import fsync_dir, fsync_file
from careerdesk.storage.engine import (
    APPLICATION_ID,
    RawKey,
    make_engine,
    run_outside_transaction,
    writer,
)
from careerdesk.storage.lock import JournalLock

if TYPE_CHECKING:
    from careerdesk.storage.crypto import KeyHeader

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass
class Journal:
    """An open, locked, up-to-date journal file."""

    path: Path
    engine: Engine
    lock: JournalLock
    key: RawKey | None = None
    _writers: sessionmaker[Session] = field(init=False, repr=False)
    _readers: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._writers = sessionmaker(writer(self.engine), expire_on_commit=False)
        self._readers = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        with self._session(self._writers) as session:
            yield session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only snapshot that never blocks a writer."""
        with self._session(self._readers) as session:
            yield session

    @contextlib.contextmanager
    def _session(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        session = factory()
        try:
            with session.begin():
                yield session
        except IntegrityError:
            raise  # a contradiction in the data, not a storage fault: the caller explains it
        except DBAPIError as exc:
            raise storage_error(exc) from exc
        finally:
            session.close()

    def purge_deleted(self) -> None:
        """After a delete: no copy of the deleted text may stay in the search index or the WAL
        (``secure_delete`` zeroes the freed pages; see docs/security.md)."""
        search_index.purge_deleted(self.engine)
        self.checkpoint()

    def checkpoint(self) -> None:
        """Fold the WAL back into the file (after deletes, so no old text lingers in the WAL)."""
        run_outside_transaction(self.engine, "PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_problems(self) -> list[str]:
        """Empty when ``PRAGMA integrity_check`` finds nothing wrong."""
        return integrity_problems(self.engine, full=True)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def close(self) -> None:
        try:
            # A checkpoint that fails here (a statement left open by the error being raised)
            # must not replace that error; the WAL is folded in at the next open.
            with contextlib.suppress(SQLAlchemyError, sqlite3.Error):
                self.checkpoint()
            self.engine.dispose()
        finally:
            self.lock.release()
            if isinstance(self.key, bytearray):
                from careerdesk.storage.crypto import wipe

                wipe(self.key)  # the immutable copies are beyond reach: docs/security.md

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def storage_error(exc: DBAPIError) -> StorageError:
    """Turn a driver error during a write into a message for the user."""
    message = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "full" in message:
        return StorageFullError(
            "The disk is full: the last change could not be saved.",
            hint="Free some space; your text is kept and saving will try again.",
        )
    if "readonly" in message or "read-only" in message:
        return StorageError(
            "The journal file cannot be written (read-only).",
            hint="Check the file's permissions or open a copy elsewhere.",
        )
    if "locked" in message or "busy" in message:
        return StorageError("The journal file is busy; the change will be tried again.")
    return StorageError(f"The journal could not be saved ({message}).")


def read_header(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(100)


def check_plain_file(path: Path) -> None:
    """Read-only checks of an existing plain journal file; raises with a clear message."""
    name = path.name
    if path.is_dir():
        raise JournalFileError(f"{path} is a folder, not a journal file.")
    size = path.stat().st_size
    if size == 0:
        raise DamagedJournalError(
            f"{name} is empty (0 bytes): it is not a usable CareerDesk journal.",
            hint="It was left untouched. Restore a backup, or open another file.",
        )
    header = read_header(path)
    if not header.startswith(SQLITE_MAGIC):
        raise NotAJournalError(
            f"{name} is not a CareerDesk journal (or it is an encrypted one whose key file "
            f"{name}.key is missing).",
            hint="It was left untouched. Choose another file, or put the .key file beside it.",
        )
    if len(header) < 100:
        raise DamagedJournalError(
            f"{name} is truncated: only {size} bytes are left.",
            hint="It was left untouched. Restore a backup.",
        )
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise NotAJournalError(
            f"{name} is an SQLite database, but not a CareerDesk journal.",
            hint="It was left untouched. Choose another file.",
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    count_is_valid = header[92:96] == header[24:28]
    if count_is_valid and page_count and size < page_size * page_count:
        raise DamagedJournalError(
            f"{name} is truncated: {size} bytes of {page_size * page_count}.",
            hint="It was left untouched. Restore a backup.",
        )


def integrity_problems(engine: Engine, *, full: bool = False) -> list[str]:
    pragma = "integrity_check" if full else "quick_check"
    try:
        with engine.connect() as connection:
            rows = [str(r[0]) for r in connection.exec_driver_sql(f"PRAGMA {pragma}")]
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        # On a damaged file the check may raise instead of returning rows.
        return [str(getattr(exc, "orig", exc))]
    return [] if rows == ["ok"] else rows


def schema_problems(engine: Engine) -> list[str]:
    """A cheap check that the schema can be read at all (damage there stops everything)."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").all()
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        return [str(getattr(exc, "orig", exc))]
    return []


def open_journal(
    path: Path,
    *,
    create: bool = True,
    key: RawKey | None = None,
    passphrase: str | None = None,
    holder: str = "CareerDesk",
    backup_dir: Path | None = None,
    recovery_key: str | None = None,
    verify: bool = True,
    repair_index: bool = True,
) -> Journal:
    """Open (or create) the journal at ``path``, locked for this process and migrated.

    An encrypted journal (not plain SQLite, with its ``<journal>.key`` beside it) is opened with
    ``passphrase`` (or its recovery key): without one this raises :class:`PassphraseNeededError`,
    with a wrong one :class:`PassphraseError`, and in both cases nothing on disk is touched or
    created. ``key`` is the raw data key instead, for callers that already unlocked it.
    Creating a journal with a ``passphrase`` makes it encrypted (``recovery_key``, if given, opens
    it too). ``backup_dir`` is where the copy taken before a migration goes (beside the file
    when not given). ``verify`` runs SQLite's ``quick_check`` over the whole file (about 0.5 s
    for a 150 MB journal): the window opens without it and runs it in the background; the
    header and schema are always checked. ``repair_index`` rebuilds a missing or damaged
    search index, after a backup (see :func:`rebuild_search_index`); read-only commands pass
    False, so they never change the journal (``check`` reports the index, ``repair`` fixes it).

    A replacement of the journal and its key file that a crash interrupted (a restore, a
    passphrase set or removed) is finished first, holding the lock (:mod:`.replace`).
    """
    path = Path(path).expanduser().absolute()
    lock = JournalLock(path, holder=holder)
    if replace.pending(path):
        # A restore or passphrase change was interrupted: finish it (or drop its leftovers)
        # under the lock, before anything reads the journal or its key file.
        lock.acquire()
        try:
            replace.recover(path)
        except BaseException:
            lock.release()
            raise
    try:
        key = _check_before_lock(
            path, create=create, key=key, passphrase=passphrase, recovery_key=recovery_key
        )
    except BaseException:
        lock.release()
        raise
    if not lock.held:
        lock.acquire()
    engine: Engine | None = None
    try:
        engine = make_engine(path, key=key)
        problems = integrity_problems(engine) if verify else schema_problems(engine)
        if problems and key is not None and "not a database" in problems[0]:
            # SQLCipher cannot tell a wrong key from a damaged first page: say both.
            raise DamagedJournalError(
                f"{path.name} cannot be decrypted with its key file: the key file belongs to "
                "another journal, or the journal's first page is damaged.",
                hint="It was left untouched. Restore the journal and its .key file from a backup.",
            )
        if problems:
            raise DamagedJournalError(
                f"{path.name} is damaged ({problems[0]}).",
                hint="It was left untouched. Restore a backup.",
            )
        with engine.connect() as connection:
            revision = migrate.current_revision(connection)
        if revision != migrate.HEAD_REVISION:
            _upgrade_existing(path, engine, revision, backup_dir=backup_dir, key=key)
        if repair_index:
            # A dropped or damaged search index would make every write fail in its triggers.
            rebuild_search_index(path, engine, backup_dir=backup_dir, key=key)
        return Journal(path=path, engine=engine, lock=lock, key=key)
    except BaseException:
        if engine is not None:
            engine.dispose()
        lock.release()
        raise


#: The reason named in the backup taken before the search index is rebuilt.
INDEX_REBUILD_REASON = "before-index-rebuild"


def rebuild_search_index(
    path: Path, engine: Engine, *, backup_dir: Path | None, key: RawKey | None = None
) -> tuple[list[str], Path | None]:
    """Rebuild the search index if it is missing or damaged, after a backup of the journal.

    Returns what was wrong with the index (empty: nothing, and nothing was done) and the backup
    taken. The index is rebuilt from the journal's own records, in one transaction.
    """
    problems = search_index.problems(engine)
    if not problems:
        return [], None
    from careerdesk.storage.backup import backup_engine

    target_dir = backup_dir if backup_dir is not None else path.parent
    backup = backup_engine(
        engine, target_dir, stem=path.stem, reason=INDEX_REBUILD_REASON, key=key
    )
    search_index.ensure(engine)
    return problems, backup


def _check_before_lock(
    path: Path,
    *,
    create: bool,
    key: RawKey | None,
    passphrase: str | None,
    recovery_key: str | None,
) -> RawKey | None:
    """Create a missing journal, or check an existing one and unlock it (only reads)."""
    if not path.exists():
        if not create:
            raise JournalFileError(f"There is no journal at {path}.")
        if not path.parent.is_dir():
            raise JournalFileError(f"The folder {path.parent} does not exist.")
        header: KeyHeader | None = None
        if key is None and passphrase is not None:
            from careerdesk.storage import crypto

            key = crypto.new_data_key()
            header = crypto.create_header(
                passphrase, data_key=key, recovery_key=recovery_key,
                target_seconds=crypto.target_seconds(),
            )
        _create_new(path, key=key, header=header)
    elif key is None:
        if _looks_encrypted(path):
            key = unlock_journal(path, passphrase)
        else:
            check_plain_file(path)
    return key


def _looks_encrypted(path: Path) -> bool:
    """Whether ``path`` is an encrypted journal; a plain SQLite file (the usual case) is told
    from its first bytes, without importing the crypto module."""
    try:
        if read_header(path).startswith(SQLITE_MAGIC):
            return False
    except OSError:
        pass  # check_plain_file or the crypto check says what is wrong
    from careerdesk.storage import crypto

    return crypto.is_encrypted_journal(path)


def _upgrade_existing(
    path: Path,
    engine: Engine,
    revision: str | None,
    *,
    backup_dir: Path | None,
    key: RawKey | None = None,
) -> None:
    if revision is None or revision not in migrate.KNOWN_REVISIONS:
        if revision is None:
            raise DamagedJournalError(
                f"{path.name} has no CareerDesk tables; it may be an unfinished copy.",
                hint="It was left untouched. Restore a backup.",
            )
        raise JournalTooNewError(
            f"{path.name} was written by a newer version of CareerDesk (schema {revision}).",
            hint="This version will not change it. Update CareerDesk to open it.",
        )
    from careerdesk.storage.backup import backup_engine

    target_dir = backup_dir if backup_dir is not None else path.parent
    # An encrypted journal's backup is encrypted with the same key (and carries its key file).
    backup_engine(
        engine, target_dir, stem=path.stem, reason=f"before-upgrade-from-{revision}", key=key
    )
    try:
        with writer(engine).begin() as connection:
            migrate.upgrade(connection)
    except OperationalError as exc:
        raise storage_error(exc) from exc


def unlock_journal(path: Path, passphrase: str | None) -> bytearray:
    """The data key of the encrypted journal at ``path``; only reads its key file."""
    from careerdesk.storage import crypto

    if passphrase is None:
        raise PassphraseNeededError(
            f"{path.name} is encrypted: its passphrase is needed to open it."
        )
    return crypto.unlock(crypto.read_header(crypto.key_file_for(path)), passphrase)


def _create_new(path: Path, *, key: RawKey | None, header: KeyHeader | None = None) -> None:
    """Build a complete new journal beside ``path`` and move it into place (with its key file
    first, when it is encrypted)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    engine = make_engine(tmp, key=key)
    try:
        run_outside_transaction(engine, f"PRAGMA application_id = {APPLICATION_ID}")
        with writer(engine).begin() as connection:
            migrate.upgrade(connection)
        run_outside_transaction(engine, "PRAGMA wal_checkpoint(TRUNCATE)")
        # Back to a single self-contained file before it is moved into place.
        run_outside_transaction(engine, "PRAGMA journal_mode = DELETE")
    except DBAPIError as exc:
        engine.dispose()
        tmp.unlink(missing_ok=True)
        raise storage_error(exc) from exc
    engine.dispose()
    if path.exists():  # someone else created it meanwhile: theirs wins, ours goes
        tmp.unlink(missing_ok=True)
        return
    fsync_file(tmp)
    if header is not None:
        from careerdesk.storage.crypto import key_file_for, write_header_atomic

        write_header_atomic(key_file_for(path), header)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def count_rows(journal: Journal, table: str) -> int:
    with journal.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
