"""Opening a journal file: check it, lock it, migrate it, hand out transactions.

A file that is not a CareerDesk journal, or is empty, truncated or damaged, is never written to:
every check before the engine is made only reads. A new journal is built in a temporary file and
moved into place complete, so a crash during creation never leaves a half-made journal.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from careerdesk.errors import (
    CareerDeskError,
    DamagedJournalError,
    JournalFileError,
    JournalLockedError,
    JournalTooNewError,
    PassphraseNeededError,
    ReadOnlyJournalError,
    StorageError,
    StorageFullError,
)
from careerdesk.storage import gate, migrate, replace, search_index
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
from careerdesk.storage.gate import (  # the read-only checks live in the gate; named here too
    SQLITE_MAGIC,
    check_plain_file,
    integrity_problems,
    read_header,
)
from careerdesk.storage.lock import JournalLock

if TYPE_CHECKING:
    from careerdesk.storage.crypto import KeyHeader



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
    """An open, locked, up-to-date journal file.

    A ``read_only`` journal (read-only media, a full disk: see :func:`open_journal`) holds no
    lock and refuses every write transaction with :class:`ReadOnlyJournalError`.
    """

    path: Path
    engine: Engine
    lock: JournalLock
    key: RawKey | None = None
    read_only: bool = False
    #: What the open did to finish an interrupted replacement (None: there was none).
    settled: replace.Settled | None = None
    #: Set by :meth:`close` when folding the WAL in failed (the changes are safe in it).
    close_problem: StorageError | None = None
    #: A read-only journal whose -wal and -shm did not exist when it was opened: the ones its
    #: read-only connection makes are removed at close (a read-only open changes nothing).
    tidy_sidecars: bool = False
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
        """Fold the WAL in, release the engine and the lock, wipe the key.

        A checkpoint that fails (a full disk, an I/O error) is not a failure of the committed
        work: every change is in the ``-wal``, which the next open folds in. It is noted in
        :attr:`close_problem` for the caller to tell the user, never raised.
        """
        try:
            # A checkpoint that fails here (a full disk, or a statement left open by an error
            # being raised) is not a failure of the committed work: the WAL is folded in at
            # the next open. It never replaces the error that is on its way out.
            try:
                if not self.read_only:
                    self.checkpoint()
            except Exception as exc:
                if not (isinstance(exc, SQLAlchemyError | OSError) or gate.is_driver_error(exc)):
                    raise
                if not _is_busy(exc):  # busy: a statement left open by an error on its way out
                    self.close_problem = _close_problem(self.path, exc)
            self.engine.dispose()
            if self.tidy_sidecars:
                gate.remove_empty_sidecars(self.path)
        finally:
            self.lock.release()
            if isinstance(self.key, bytearray):
                from careerdesk.storage.crypto import wipe

                wipe(self.key)  # the immutable copies are beyond reach: docs/security.md

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_busy(exc: BaseException) -> bool:
    """"database table is locked" / "is busy": the checkpoint met an open statement or another
    reader, not a fault of the disk; the WAL is folded in at the next open."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "locked" in text or "busy" in text


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
    return StorageError(f"The journal could not be saved ({gate.one_line(message, 80)}).")


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
    read_only: bool = False,
    upgrade: bool = True,
    repair_index: bool = True,
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
    without it for large files and runs it in the background; the header and schema are always
    checked. ``repair_index`` rebuilds a missing or damaged search index, after a backup (see
    :func:`rebuild_search_index`); read-only commands pass False, so they never change the
    journal (``check`` reports the index, ``repair`` fixes it).

    Every existing file passes :mod:`careerdesk.storage.gate` (after settling), on a read-only
    connection: a file it refuses is never written to. ``read_only`` opens the journal without
    writing anything (``careerdesk check``); a journal on read-only media, or whose lock file
    cannot be written (a full disk), is opened that way too, without a lock: see
    :attr:`Journal.read_only`. ``upgrade=False`` accepts an older schema as it is (for
    ``check``); a read-only journal that needs upgrading is otherwise refused.
    """
    path = Path(path).expanduser().absolute()
    if not path.parent.is_dir():
        raise JournalFileError(f"The folder {path.parent} does not exist.")
    lock = JournalLock(path, holder=holder)
    # Read-only media: nobody can change the file there, and no lock file can be made.
    read_only_place = gate.read_only_place(path)
    if not read_only_place:
        try:
            lock.acquire()
        except JournalLockedError:
            raise
        except StorageError:
            # The lock file cannot be written (a full disk): read, never write, without it.
            if not path.exists():
                raise  # nothing to read, and a new journal needs the lock
            read_only = True
    engine: Engine | None = None
    try:
        settled: replace.Settled | None = None
        if lock.held:
            settled = replace.recover(path) if replace.pending(path) else None
            if backup_dir is not None:
                from careerdesk.storage.backup import remove_partial_backups

                remove_partial_backups(backup_dir)
            if not read_only:
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
        existed = path.exists() or path.is_symlink()
        key = _check_before_lock(
            path, create=create, key=key, passphrase=secret, recovery_key=recovery_key
        )
        verdict = gate.inspect(path, key=key, quick_check=verify or _small(path)) if existed \
            else None
        immutable = verdict is not None and verdict.immutable
        # A file SQLite could read only as immutable (no -shm could be made: a full disk).
        read_only = read_only or read_only_place or immutable or not lock.held
        engine = make_engine(path, key=key, read_only=read_only, immutable=immutable)
        if read_only:
            return _read_only_journal(path, engine, lock, key, verdict, upgrade=upgrade)
        try:
            with engine.connect() as connection:
                revision = migrate.current_revision(connection)
            if revision != migrate.HEAD_REVISION:
                _upgrade_existing(path, engine, revision, backup_dir=backup_dir, key=key)
            if repair_index:
                # A dropped or damaged search index would make every write fail in its
                # triggers.
                rebuild_search_index(path, engine, backup_dir=backup_dir, key=key)
        except DBAPIError as exc:
            raise storage_fault(exc, failed=f"{path.name} could not be opened",
                                kept="It was left as it was.", folder=path.parent) from exc
        return Journal(path=path, engine=engine, lock=lock, key=key, settled=settled)
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
    tidy = not any(p.exists() for p in gate.sidecars_of(path))
    return Journal(path=path, engine=engine, lock=lock, key=key, read_only=True,
                   tidy_sidecars=tidy)


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


def _exists_encrypted(path: Path) -> bool:
    return path.is_file() and _looks_encrypted(path)


def _fold_in_wal(path: Path) -> None:
    """Fold a plain journal's ``-wal`` into it before the file is judged by its size.

    A checkpoint that failed at close (a full disk) leaves a file whose header counts pages
    that are only in the ``-wal``: every committed change is safe there, and the file is not
    truncated. Folding it in (the lock is held) makes the file whole again; when that cannot
    be done yet (still no space), the open says the disk is full, never "truncated".
    """
    wal = Path(f"{path}-wal")
    try:
        if wal.stat().st_size == 0:
            return
        gate.check_regular_file(path)
        header = read_header(path)
    except (OSError, CareerDeskError):
        return  # not a regular file: the gate refuses it next, untouched
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100 \
            or int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        return  # not a CareerDesk journal: never written to (the gate says what it is)
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
