"""Opening a journal file: check it, lock it, migrate it, hand out transactions.

A file that is not a CareerDesk journal, or is empty, truncated or damaged, is never written to:
every check before the engine is made only reads. A new journal is built in a temporary file and
moved into place complete, so a crash during creation never leaves a half-made journal.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

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
from careerdesk.storage.durable import (
    is_disk_full,
    remove_quietly,
    replace_atomically,
    storage_fault,
)
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


@dataclass(frozen=True)
class PassphraseRequest:
    """What an encrypted journal needs, asked only after its lock is held and any interrupted
    replacement settled: ``settled`` says what that did (a restore finished, say), so the prompt
    can name the passphrase it wants."""

    journal: Path
    settled: replace.Settled | None = None

    @property
    def prompt(self) -> str:
        """The question for the user, naming which passphrase opens the journal now."""
        settled = self.settled
        if (settled is not None and settled.finished and settled.kind == "restore"
                and settled.origin):
            return (f"Passphrase of the backup {settled.origin}, now restored as "
                    f"{self.journal.name} (or its recovery key)")
        if settled is not None and settled.finished and settled.kind != "restore":
            return f"The new passphrase of {self.journal.name} (or its recovery key)"
        return f"Passphrase for {self.journal.name} (or its recovery key)"


#: Where an encrypted journal's passphrase comes from: the passphrase itself, None (the open
#: raises :class:`PassphraseNeededError` carrying the request), or a function asked once the
#: journal is locked and settled (None from it: the same error).
PassphraseSource: TypeAlias = "str | Callable[[PassphraseRequest], str | None] | None"


@dataclass
class Journal:
    """An open, locked, up-to-date journal file."""

    path: Path
    engine: Engine
    lock: JournalLock
    key: RawKey | None = None
    #: What the open did to finish an interrupted replacement (None: there was none).
    settled: replace.Settled | None = None
    #: Set by :meth:`close` when folding the WAL in failed (the changes are safe in it).
    close_problem: StorageError | None = None
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
        """Fold the WAL in, release the engine and the lock, wipe the key.

        A checkpoint that fails (a full disk, an I/O error) is not a failure of the committed
        work: every change is in the ``-wal``, which the next open folds in. It is noted in
        :attr:`close_problem` for the caller to tell the user, never raised.
        """
        try:
            try:
                self.checkpoint()
            except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
                self.close_problem = _close_problem(self.path, exc)
            except Exception as exc:  # sqlcipher3's own error classes are not sqlite3's
                if type(exc).__module__.split(".")[0] != "sqlcipher3":
                    raise
                self.close_problem = _close_problem(self.path, exc)
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


def _close_problem(path: Path, exc: BaseException) -> StorageError:
    return storage_fault(exc, folder=path.parent,
                         failed=f"{path.name} was closed without folding in its -wal",
                          kept="Every saved change is safe in its -wal file, beside it; do not "
                               "delete that file. The next open folds it in.")


def storage_error(exc: DBAPIError) -> StorageError:
    """Turn a driver error during a write into a message for the user."""
    message = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "full" in message:
        return StorageFullError(
            "The disk is full: the last change could not be saved.",
            hint="Free some space; your text is kept and saving will try again.",
        )
    if "disk i/o error" in message:
        return StorageError(
            "The disk reported an input/output error: the last change could not be saved.",
            hint="Your text is kept and saving will try again; check the disk.",
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
    passphrase: PassphraseSource = None,
    holder: str = "CareerDesk",
    backup_dir: Path | None = None,
    recovery_key: str | None = None,
    verify: bool = True,
) -> Journal:
    """Open (or create) the journal at ``path``, locked for this process and migrated.

    The order is fixed: **lock, settle, then decide.** The lock is taken first; a replacement
    of the journal and its key file that a crash interrupted (a restore, a passphrase set or
    removed) is finished or undone (:mod:`.replace`); only then is the journal looked at:
    whether it is encrypted, its key file read. Nothing decided before the lock is trusted.

    An encrypted journal (not plain SQLite, with its ``<journal>.key`` beside it) is opened with
    ``passphrase`` (or its recovery key; see :data:`PassphraseSource`): without one this raises
    :class:`PassphraseNeededError` (its ``request`` names the passphrase wanted), with a wrong
    one :class:`PassphraseError`; in both cases nothing on disk is changed (beyond settling).
    ``key`` is the raw data key instead, for callers that already unlocked it.
    Creating a journal with a ``passphrase`` makes it encrypted (``recovery_key``, if given, opens
    it too). ``backup_dir`` is where the copy taken before a migration goes (beside the file
    when not given); partial backups a crash left there are removed. ``verify`` runs SQLite's
    ``quick_check`` over the whole file (about 0.5 s for a 150 MB journal): the window opens
    without it and runs it in the background; the header and schema are always checked.
    """
    path = Path(path).expanduser().absolute()
    if not path.parent.is_dir():
        raise JournalFileError(f"The folder {path.parent} does not exist.")
    lock = JournalLock(path, holder=holder)
    lock.acquire()
    engine: Engine | None = None
    try:
        settled = replace.recover(path) if replace.pending(path) else None
        if backup_dir is not None:
            from careerdesk.storage.backup import remove_partial_backups

            remove_partial_backups(backup_dir)
        _fold_in_wal(path)
        if key is None and not isinstance(passphrase, str) and _exists_encrypted(path):
            request = PassphraseRequest(path, settled)
            given = passphrase(request) if callable(passphrase) else None
            if given is None:
                error = PassphraseNeededError(
                    f"{path.name} is encrypted: its passphrase is needed to open it.")
                error.request = request  # type: ignore[attr-defined]
                raise error
            passphrase = given
        secret = passphrase if isinstance(passphrase, str) else None
        key = _check_before_lock(
            path, create=create, key=key, passphrase=secret, recovery_key=recovery_key
        )
        engine = make_engine(path, key=key)
        problems = integrity_problems(engine) if verify else schema_problems(engine)
        if problems and _is_a_write_fault(problems[0]):
            raise storage_fault(sqlite3.OperationalError(problems[0]),
                                failed=f"{path.name} could not be opened",
                                kept="It was left untouched.", folder=path.parent)
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
        try:
            with engine.connect() as connection:
                revision = migrate.current_revision(connection)
            if revision != migrate.HEAD_REVISION:
                _upgrade_existing(path, engine, revision, backup_dir=backup_dir, key=key)
            # A dropped or damaged search index would make every write fail in its triggers.
            search_index.ensure(engine)
        except DBAPIError as exc:
            raise storage_fault(exc, failed=f"{path.name} could not be opened",
                                kept="It was left as it was.", folder=path.parent) from exc
        return Journal(path=path, engine=engine, lock=lock, key=key, settled=settled)
    except BaseException:
        if engine is not None:
            engine.dispose()
        lock.release()
        raise


def _exists_encrypted(path: Path) -> bool:
    return path.is_file() and _looks_encrypted(path)


def _is_a_write_fault(problem: str) -> bool:
    """A check that failed because the disk is full or failing proves no damage."""
    lowered = problem.lower()
    return "disk is full" in lowered or "disk i/o error" in lowered or "readonly" in lowered


def _fold_in_wal(path: Path) -> None:
    """Fold a plain journal's ``-wal`` into it before the file is judged by its size.

    A checkpoint that failed at close (a full disk) leaves a file whose header counts pages
    that are only in the ``-wal``: every committed change is safe there, and the file is not
    truncated. Folding it in (the lock is held) makes the file whole again; when that cannot
    be done yet (still no space), the open says the disk is full, never "truncated".
    """
    wal = Path(f"{path}-wal")
    try:
        if wal.stat().st_size == 0 or not read_header(path).startswith(SQLITE_MAGIC):
            return
    except OSError:
        return
    try:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        if is_disk_full(exc) or "disk i/o error" in str(exc).lower():
            raise storage_fault(
                exc, failed=f"{path.name} cannot be opened for writing yet",
                kept="Its saved changes are safe in its -wal file beside it; do not delete it.",
                folder=path.parent,
            ) from exc
        # Anything else is for the checks below (and SQLite's integrity check) to judge.


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
    first, when it is encrypted). The caller holds the lock. A failure leaves nothing behind."""

    def build(tmp: Path) -> None:
        engine = make_engine(tmp, key=key)
        try:
            run_outside_transaction(engine, f"PRAGMA application_id = {APPLICATION_ID}")
            with writer(engine).begin() as connection:
                migrate.upgrade(connection)
            run_outside_transaction(engine, "PRAGMA wal_checkpoint(TRUNCATE)")
            # Back to a single self-contained file before it is moved into place.
            run_outside_transaction(engine, "PRAGMA journal_mode = DELETE")
        finally:
            engine.dispose()

    def key_file_first() -> None:
        if header is not None:
            from careerdesk.storage.crypto import key_file_for, write_header_atomic

            write_header_atomic(key_file_for(path), header)

    try:
        replace_atomically(path, build, before_rename=key_file_first)
    except (DBAPIError, sqlite3.Error, OSError) as exc:
        if header is not None:
            from careerdesk.storage.crypto import key_file_for

            if not path.exists():
                remove_quietly(key_file_for(path))
        raise storage_fault(exc, failed=f"{path.name} could not be created",
                            kept="Nothing was left behind.", folder=path.parent) from exc


def count_rows(journal: Journal, table: str) -> int:
    with journal.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
