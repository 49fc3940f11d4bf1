"""The journal's file procedures, each written once for the command line and the window.

Open, unlock, back up now, restore, set / change / remove the passphrase, a new recovery key,
create a demo and load a dump. ``careerdesk/cli.py`` and the window (``ui/application.py``,
``ui/maintenance.py``, ``ui/security.py``) call these and nothing below them, so a restore or a
passphrase change runs the same steps whichever face started it.

Every procedure follows one rule (issue 20): **lock, settle, then decide.** The journal's lock is
taken and a replacement a crash interrupted (:mod:`careerdesk.storage.replace`) finished or
undone *before* anything looks at whether the journal is encrypted or reads its key file;
whatever a caller decided before (which passphrase to ask for) is decided again under the lock.
What settling did is returned (:class:`~careerdesk.storage.replace.Settled`) so the user is told
("an interrupted restore of … was completed: it now holds the backup …").
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from careerdesk.errors import (
    DamagedJournalError,
    InvalidInputError,
    JournalTooNewError,
    KeyFileError,
    NotAJournalError,
    PassphraseError,
)
from careerdesk.storage import replace
from careerdesk.storage.backup import backup_folder_for
from careerdesk.storage.journal import (
    Journal,
    PassphraseRequest,
    PassphraseSource,
    open_journal,
)
from careerdesk.storage.lock import JournalLock

if TYPE_CHECKING:
    from careerdesk.services.demo import DemoCounts, DemoOptions
    from careerdesk.storage.backup import BackupInfo
    from careerdesk.storage.backup import CareReport as CareReport
    from careerdesk.storage.encryption import SetResult as SetResult
    from careerdesk.storage.engine import RawKey

__all__ = [
    "CareReport",
    "PassphraseRequest",
    "RestoreResult",
    "SetResult",
    "back_up_now",
    "backup_key",
    "change_passphrase",
    "check_passphrase",
    "create_demo",
    "is_encrypted",
    "list_backups_of",
    "load_dump",
    "new_recovery_key",
    "open_journal_file",
    "remove_passphrase",
    "restore",
    "routine_care",
    "set_passphrase",
    "settle",
    "unlock",
]


def backups_of(path: Path, backup_root: Path) -> Path:
    """The folder holding ``path``'s backups."""
    return backup_folder_for(path, backup_root)


# -- open and unlock -----------------------------------------------------------------------------


def open_journal_file(
    path: Path,
    *,
    backup_root: Path,
    passphrase: PassphraseSource = None,
    key: RawKey | None = None,
    create: bool = True,
    holder: str = "CareerDesk",
    verify: bool = True,
    read_only: bool = False,
    repair_index: bool = True,
) -> Journal:
    """Open (or create) a journal: lock, settle a pending replacement, *then* decide whether it
    is encrypted and read its key file, then open it (``read_only`` and ``repair_index`` as in
    :func:`careerdesk.storage.journal.open_journal`).

    ``passphrase`` may be a function: it is asked, with a :class:`PassphraseRequest` naming the
    passphrase wanted, only once the journal is locked and settled and found to be encrypted.
    ``journal.settled`` says what settling did (tell the user with ``settled.describe``).
    Without a passphrase for an encrypted journal this raises ``PassphraseNeededError`` whose
    ``request`` carries the same information.
    """
    return open_journal(
        path, create=create, key=key, passphrase=passphrase, holder=holder,
        backup_dir=backups_of(path, backup_root), verify=verify, read_only=read_only,
        upgrade=not read_only, repair_index=repair_index,
    )


def unlock(path: Path, secret: str, *, backup_root: Path, holder: str = "CareerDesk") -> Journal:
    """Open the existing encrypted journal at ``path`` with its passphrase or recovery key (a
    wrong one raises ``PassphraseError`` and changes nothing)."""
    return open_journal_file(path, backup_root=backup_root, passphrase=secret, create=False,
                             holder=holder, verify=False)


def settle(path: Path, *, holder: str = "CareerDesk") -> replace.Settled | None:
    """Take the lock, finish or undo an interrupted replacement, let go; what it did.

    For a caller that must know the journal's state *before* it asks the user something (which
    passphrase), such as the command line's passphrase commands. The procedure itself settles
    and decides again under its own lock.
    """
    path = Path(path).expanduser().absolute()
    if not replace.pending(path):
        return None
    lock = JournalLock(path, holder=holder)
    lock.acquire()
    try:
        return replace.recover(path)
    finally:
        lock.release()


def is_encrypted(path: Path) -> bool:
    """Whether the journal at ``path`` is encrypted now (ask after :func:`settle`)."""
    from careerdesk.storage.crypto import is_encrypted_journal

    return is_encrypted_journal(path)


def passphrase_prompt(path: Path, settled: replace.Settled | None) -> str:
    """The question for the user: which passphrase opens ``path`` now."""
    return PassphraseRequest(Path(path), settled).prompt


# -- backups -------------------------------------------------------------------------------------


def back_up_now(journal: Journal, *, backup_root: Path, reason: str = "manual") -> Path:
    """A verified backup of the open journal (encrypted ones stay encrypted, with their key
    file); partial files an interrupted backup left are removed first."""
    from careerdesk.storage.backup import backup_engine

    return backup_engine(journal.engine, backups_of(journal.path, backup_root),
                         stem=journal.path.stem, reason=reason, key=journal.key)


def list_backups_of(path: Path, *, backup_root: Path) -> list[BackupInfo]:
    """The complete backups of ``path``, newest first (partial ones are never listed)."""
    from careerdesk.storage.backup import list_backups

    return list_backups(backups_of(path, backup_root))


def routine_care(journal: Journal, *, backup_root: Path) -> CareReport:
    """The whole-file integrity check, then the daily automatic backup if one is due (run by
    the window in the background after a journal is opened)."""
    from careerdesk.storage.backup import routine_care as care

    return care(journal.engine, journal.path, backups_of(journal.path, backup_root),
                key=journal.key)


def backup_key(backup: Path, secrets: Callable[[], Iterator[str]]) -> bytearray | None:
    """The data key of an encrypted backup from its own key file (None for a plain one):
    each secret ``secrets()`` yields is tried in turn; ``PassphraseError`` when none opens it."""
    from careerdesk.storage import crypto

    if not crypto.is_encrypted_journal(backup):
        return None
    header = crypto.read_header(crypto.key_file_for(backup))
    last: PassphraseError | None = None
    for secret in secrets():
        try:
            return crypto.unlock(header, secret)
        except PassphraseError as exc:
            last = exc
    raise last or PassphraseError(f"The backup {backup.name} is encrypted: its passphrase "
                                  "(the one in use when it was taken) is needed.")


def key_opens_backup(backup: Path, key: RawKey | bytes) -> bool:
    """Whether the data key ``key`` (the open journal's) also opens the encrypted ``backup``
    (true for every backup taken since its passphrase was set)."""
    import sqlcipher3

    from careerdesk.storage.engine import key_pragma

    try:
        connection = sqlcipher3.dbapi2.connect(f"{backup.absolute().as_uri()}?mode=ro", uri=True)
        try:
            connection.execute("PRAGMA cipher_log_level = NONE")
            connection.execute(key_pragma(key))
            connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            connection.close()
    except sqlcipher3.dbapi2.DatabaseError:  # a different key
        return False
    return True


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup it put in place, the backup of the journal taken just
    before (``kept``), or the copy of a journal that would not open (``damaged_copy``)."""

    backup: Path
    journal: Path
    encrypted: bool
    kept: Path | None = None
    damaged_copy: Path | None = None

    def describe(self) -> str:
        line = f"Restored {self.journal} from {self.backup}"
        if self.kept is not None:
            line += f"; the previous state was kept as {self.kept}"
        elif self.damaged_copy is not None:
            line += f"; the damaged file was kept as {self.damaged_copy}"
        if self.encrypted:
            line += (". It now opens with the passphrase of that backup (the one in use when "
                     "it was taken) or its recovery key")
        return line + "."


def restore(
    backup: Path,
    journal: Path,
    *,
    backup_root: Path,
    backup_key: RawKey | None,
    open_current: Callable[[], Journal],
    holder: str = "CareerDesk restore",
) -> RestoreResult:
    """Replace ``journal`` with ``backup``, the one version for the window and the CLI.

    1. the backup is verified before anything is touched (a bad one is refused);
    2. the current journal is opened with ``open_current`` (which locks and settles): when it
       opens, a backup of it is taken ("before-restore") so the restore can be undone; when it
       will not open (damaged, not a journal, its key file bad), a copy of it with its ``-wal``
       and key file is kept as ``<name>.damaged``;
    3. the backup's pair is switched into place under the lock (:mod:`..storage.replace`).
    """
    from careerdesk.storage.backup import (
        backup_engine,
        keep_damaged_copy,
        restore_backup,
        verify_backup,
    )

    journal = Path(journal).expanduser().absolute()
    verify_backup(backup, key=backup_key)
    settle(journal, holder=holder)
    encrypted = backup_key is not None
    if not journal.exists():
        restore_backup(backup, journal, key=backup_key)
        return RestoreResult(backup, journal, encrypted)
    try:
        current = open_current()
    except (DamagedJournalError, NotAJournalError, KeyFileError, JournalTooNewError):
        # A damaged journal is exactly when restoring matters: keep a copy of it (with its -wal
        # and key file), under its lock; it stays in place until the switch replaces it.
        with _locked(journal, holder):
            aside = keep_damaged_copy(journal)
            restore_backup(backup, journal, key=backup_key, held=True)
        return RestoreResult(backup, journal, encrypted, damaged_copy=aside)
    try:
        kept = backup_engine(current.engine, backups_of(journal, backup_root),
                             stem=journal.stem, reason="before-restore", key=current.key)
        current.engine.dispose()
        restore_backup(backup, journal, key=backup_key, held=True)
    finally:
        current.lock.release()
        if isinstance(current.key, bytearray):
            from careerdesk.storage.crypto import wipe

            wipe(current.key)
    return RestoreResult(backup, journal, encrypted, kept=kept)


@contextlib.contextmanager
def _locked(path: Path, holder: str) -> Iterator[None]:
    lock = JournalLock(path, holder=holder)
    lock.acquire()
    try:
        replace.recover(path)
        yield
    finally:
        lock.release()


# -- the passphrase ------------------------------------------------------------------------------


def set_passphrase(
    path: Path, passphrase: str, *, with_recovery_key: bool, backup_root: Path | None,
    holder: str = "CareerDesk",
) -> SetResult:
    """Encrypt the plain journal (and its plain backups); decided under the lock."""
    from careerdesk.storage import encryption

    folder = None if backup_root is None else backups_of(path, backup_root)
    return encryption.set_passphrase(path, passphrase, with_recovery_key=with_recovery_key,
                                     backup_folder=folder, holder=holder)


def change_passphrase(
    path: Path, current: str, new: str, *, holder: str = "CareerDesk", held: bool = False
) -> None:
    """A new passphrase for the encrypted journal; its key file is read under the lock."""
    from careerdesk.storage import encryption

    encryption.change_passphrase(path, current, new, holder=holder, held=held)


def new_recovery_key(
    path: Path, current: str, *, holder: str = "CareerDesk", held: bool = False
) -> str:
    """A new recovery key, shown once; the old one stops working."""
    from careerdesk.storage import encryption

    return encryption.set_recovery_key(path, current, holder=holder, held=held)


def check_passphrase(path: Path, secret: str) -> None:
    """Raise ``PassphraseError`` unless ``secret`` unlocks the open journal's key file (the
    window checks before it closes the journal for a conversion: a wrong one changes nothing).
    The caller's open journal holds the lock, so the key file is the journal's own."""
    from careerdesk.storage import crypto

    crypto.wipe(crypto.unlock(crypto.read_header(crypto.key_file_for(path)), secret))


def remove_passphrase(path: Path, current: str, *, holder: str = "CareerDesk") -> None:
    """Decrypt the journal back to plain SQLite; its key file goes in the same switch."""
    from careerdesk.storage import encryption

    encryption.remove_passphrase(path, current, holder=holder)


# -- demo and load -------------------------------------------------------------------------------


def create_demo(
    path: Path,
    options: DemoOptions,
    *,
    backup_root: Path,
    passphrase: str | None = None,
    force: bool = False,
    holder: str = "careerdesk demo",
) -> DemoCounts:
    """Write a demo journal at ``path`` (replacing one with ``force``).

    The demo is built complete in a staging journal beside ``path`` while ``path``'s lock is
    held, then the pair (database and key file, or the database alone with the old key file
    removed) is switched into place by :mod:`careerdesk.storage.replace`: a crash leaves the
    old journal or the demo, never half of each.
    """
    from careerdesk.services import Services
    from careerdesk.services.demo import write_demo
    from careerdesk.storage.crypto import is_encrypted_journal, key_file_for, read_header
    from careerdesk.storage.durable import remove_quietly, rename, sidecars
    from careerdesk.storage.gate import check_plain_file

    path = Path(path).expanduser().absolute()
    if not path.parent.is_dir():
        raise InvalidInputError(f"The folder {path.parent} does not exist.")
    with _locked(path, holder):
        if path.exists() and not force:
            raise InvalidInputError(
                f"{path} already exists; choose another --file or add --force to replace it.")
        if path.exists() and not is_encrypted_journal(path):
            check_plain_file(path)  # --force replaces a journal, never some other file
        build = replace.demo_build(path)
        leftovers = [build, *sidecars(build), key_file_for(build), Path(f"{build}.lock")]
        remove_quietly(*leftovers)
        try:
            with open_journal(build, create=True, passphrase=passphrase, holder=holder,
                              backup_dir=backups_of(path, backup_root)) as demo:
                counts = write_demo(Services(demo), options)
            header = read_header(key_file_for(build)) if passphrase is not None else None
            remove_quietly(*sidecars(build))
            rename(build, replace.staged_database(path))
            remove_quietly(key_file_for(build))
            replace.replace_pair(path, header=header, kind="demo")
        except OSError as exc:
            from careerdesk.storage.durable import storage_fault

            if not replace.marker_for(path).exists():  # never undo a marked switch
                replace.discard_staged(path)
            raise storage_fault(exc, failed="The demo could not be written",
                                kept=f"{path.name} was left as it was.",
                                folder=path.parent) from exc
        finally:
            remove_quietly(*leftovers)
    return counts


def load_dump(
    path: Path,
    source: Path,
    *,
    backup_root: Path,
    passphrase: PassphraseSource = None,
    holder: str = "careerdesk load",
) -> tuple[int, Journal]:
    """Fill a new or empty journal from the dump at ``source``, all or nothing
    (:func:`careerdesk.services.interchange.load_file`: validated before any journal is touched;
    a new journal is built beside ``path`` and moved into place only when complete); returns
    the number of records and the (closed) journal, whose ``settled`` and ``close_problem`` the
    caller reports."""
    from careerdesk.services.interchange import load_file

    opened: list[Journal] = []

    def opener(target: Path) -> Journal:
        journal = open_journal_file(target, backup_root=backup_root, passphrase=passphrase,
                                    create=True, holder=holder)
        opened.append(journal)
        return journal

    count = load_file(source, path, opener=opener)
    return count, opened[-1]
