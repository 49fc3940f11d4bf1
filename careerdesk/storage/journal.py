"""Opening a journal file: check it, lock it, migrate it, hand out transactions.

A file that is not a CareerDesk journal, or is empty, truncated or damaged, is never written to:
every check before the engine is made only reads. A new journal is built in a temporary file and
moved into place complete, so a crash during creation never leaves a half-made journal.
"""

from __future__ import annotations

import contextlib
import os
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
    JournalLockedError,
    JournalTooNewError,
    NotAJournalError,
    PassphraseNeededError,
    ReadOnlyJournalError,
    StorageError,
    StorageFullError,
)
from careerdesk.storage import gate, migrate, replace, search_index
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
    """An open, locked, up-to-date journal file.

    A ``read_only`` journal (read-only media, a full disk: see :func:`open_journal`) holds no
    lock and refuses every write transaction with :class:`ReadOnlyJournalError`.
    """

    path: Path
    engine: Engine
    lock: JournalLock
    key: RawKey | None = None
    read_only: bool = False
    _writers: sessionmaker[Session] = field(init=False, repr=False)
    _readers: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._writers = sessionmaker(writer(self.engine), expire_on_commit=False)
        self._readers = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        if self.read_only:
            raise ReadOnlyJournalError(
                f"{self.path.name} is open read-only here: changes cannot be saved.",
                hint="Save a copy in a folder you can write to (File ▸ Save a Copy…), "
                     "and open that.",
            )
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
            try:
                self.checkpoint()
            except Exception as exc:
                if not (isinstance(exc, SQLAlchemyError) or gate.is_driver_error(exc)):
                    raise
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
    return StorageError(f"The journal could not be saved ({gate.one_line(message, 80)}).")


def read_header(path: Path) -> bytes:
    """The 100-byte SQLite header; never blocks (a FIFO is refused, see :mod:`.gate`)."""
    return gate.read_start(path, 100)


def check_plain_file(path: Path) -> None:
    """Read-only checks of an existing plain journal file; raises with a clear message."""
    name = path.name
    size = gate.check_regular_file(path).st_size  # a folder, FIFO, device, dangling link...
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
    """SQLite's report, line by line; empty when ``quick_check`` (``integrity_check`` when
    ``full``) finds nothing wrong. A file that cannot be opened or read right now (locked, an
    I/O error) raises: that proves no damage (:func:`gate.integrity_report`)."""
    try:
        raw = engine.raw_connection()
    except Exception as exc:
        # Connecting runs the engine's pragmas, which read the first pages: on a damaged file
        # SQLite may report the damage there already ("database disk image is malformed").
        original = getattr(exc, "orig", None) or exc
        if gate.is_driver_error(original, "DatabaseError") \
                and not gate.is_driver_error(original, "OperationalError"):
            return [str(original)]
        raise
    try:
        return gate.integrity_report(raw.driver_connection, full=full)
    finally:
        raw.close()


def schema_problems(engine: Engine) -> list[str]:
    """Every table and column of :mod:`.tables` the file lacks (see :mod:`.gate`)."""
    raw = engine.raw_connection()
    try:
        return gate.schema_report(raw.driver_connection)
    finally:
        raw.close()


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
    read_only: bool = False,
    upgrade: bool = True,
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

    Every existing file passes :mod:`careerdesk.storage.gate` first, on a read-only connection:
    a file it refuses is never written to. ``read_only`` opens the journal without writing
    anything (``careerdesk check``); a journal on read-only media, or whose lock file cannot be
    written (a full disk), is opened that way too, without a lock: see :attr:`Journal.read_only`.
    ``upgrade=False`` accepts an older schema as it is (for ``check``); a read-only journal
    that needs upgrading is otherwise refused.

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
        existed = path.exists() or path.is_symlink()
        key = _check_before_lock(
            path, create=create, key=key, passphrase=passphrase, recovery_key=recovery_key
        )
        verdict = gate.inspect(path, key=key, quick_check=verify or _small(path)) if existed \
            else None
    except BaseException:
        lock.release()
        raise
    # Read-only media, or a file SQLite could read only as immutable (a full disk): no lock.
    cannot_lock = gate.read_only_place(path) or (verdict is not None and verdict.immutable)
    read_only = read_only or cannot_lock
    if not lock.held and not cannot_lock:
        try:
            lock.acquire()
        except JournalLockedError:
            raise
        except OSError:  # the lock file cannot be written (a full disk): read, don't write
            read_only = True
    engine: Engine | None = None
    try:
        immutable = verdict is not None and verdict.immutable
        engine = make_engine(path, key=key, read_only=read_only, immutable=immutable)
        if read_only:
            return _read_only_journal(path, engine, lock, key, verdict, upgrade=upgrade)
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


def _small(path: Path) -> bool:
    """Small enough that the window's open runs the whole-file check too (see :mod:`.gate`)."""
    try:
        return path.stat().st_size <= gate.QUICK_CHECK_ALWAYS_BYTES
    except OSError:
        return True


def _read_only_journal(path: Path, engine: Engine, lock: JournalLock, key: RawKey | None,
                       verdict: gate.Verdict | None, *, upgrade: bool) -> Journal:
    """The journal as it is: no migration, no search-index work, no lock on read-only media."""
    revision = verdict.revision if verdict is not None else migrate.HEAD_REVISION
    if revision != migrate.HEAD_REVISION and upgrade:
        raise JournalFileError(
            f"{path.name} was written by an older CareerDesk and must be upgraded, which cannot "
            "be done where it is (read-only).",
            hint="Copy it to a folder you can write to, and open the copy.",
        )
    return Journal(path=path, engine=engine, lock=lock, key=key, read_only=True)


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
    """Create a missing journal, or check an existing one and unlock it (only reads).

    A symlink is never replaced: a dangling link or a loop is refused (:mod:`.gate`), not
    taken for a missing journal."""
    if not path.exists() and not path.is_symlink():
        if not create:
            raise JournalFileError(f"There is no journal at {path}.")
        if not path.parent.is_dir():
            raise JournalFileError(f"The folder {path.parent} does not exist.")
        if not os.access(path.parent, os.W_OK):
            raise JournalFileError(
                f"A new journal cannot be made in {path.parent}: the folder is read-only.",
                hint="Choose a folder you can write to.",
            )
        header: KeyHeader | None = None
        if key is None and passphrase is not None:
            from careerdesk.storage import crypto

            key = crypto.new_data_key()
            header = crypto.create_header(
                passphrase, data_key=key, recovery_key=recovery_key,
                target_seconds=crypto.target_seconds(),
            )
        _create_new(path, key=key, header=header)
        return key
    gate.check_regular_file(path)  # a FIFO, device, dangling link or loop: refused at once
    if key is None:
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
