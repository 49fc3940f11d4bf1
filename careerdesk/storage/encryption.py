"""Turning a journal's passphrase on, changing it, and turning it off.

Each operation holds the journal's lock (no other CareerDesk process has the file open) and is
crash-safe: the journal is rewritten into a temporary file in the same folder, verified and
fsynced, then switched into place together with its key file (written or removed) by the
roll-forward protocol of :mod:`careerdesk.storage.replace`; a passphrase change rewrites only the
key file (see :mod:`careerdesk.storage.crypto`). Callers close their own :class:`Journal` first.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from careerdesk.errors import JournalFileError, PassphraseError, StorageError
from careerdesk.storage import crypto, replace
from careerdesk.storage.durable import (
    remove_quietly,
    replace_atomically,
    sidecars,
    storage_fault,
)
from careerdesk.storage.engine import APPLICATION_ID, RawKey, key_pragma
from careerdesk.storage.lock import JournalLock


@dataclass(frozen=True)
class SetResult:
    """What setting a passphrase produced: the recovery key to show once, if one was asked for;
    how many older plain backups were encrypted, and how many could not be (a full disk, say:
    they stay plain and readable, and the journal is encrypted all the same)."""

    recovery_key: str | None
    backups_encrypted: int
    backups_left_plain: int = 0
    settled: replace.Settled | None = None


def set_passphrase(
    path: Path,
    passphrase: str,
    *,
    with_recovery_key: bool = False,
    backup_folder: Path | None = None,
    holder: str = "CareerDesk",
) -> SetResult:
    """Encrypt the plain journal at ``path``; its plain backups in ``backup_folder`` too.

    A crash at any point leaves the plain journal or, once the switch is marked, the encrypted
    journal with its key file (:mod:`careerdesk.storage.replace`).
    """
    crypto.check_new_passphrase(passphrase)
    data_key = crypto.new_data_key()
    recovery = crypto.new_recovery_key() if with_recovery_key else None
    try:
        with _locked(path, holder) as settled:
            # Decided only now, under the lock and after settling: an interrupted restore
            # may just have made the journal encrypted.
            _require_plain(path)
            header = crypto.create_header(
                passphrase, data_key=data_key, recovery_key=recovery,
                target_seconds=crypto.target_seconds(),
            )
            _convert(path, source_key=None, target_key=data_key, header=header,
                     kind="passphrase set")
        encrypted = left = 0
        if backup_folder is not None:
            # The journal is encrypted now whatever happens here: a backup that cannot be
            # converted stays as it was and is counted, never an error that would hide the
            # recovery key.
            encrypted, left = encrypt_plain_backups(backup_folder, data_key, header)
    finally:
        crypto.wipe(data_key)
    return SetResult(recovery, encrypted, left, settled)


def change_passphrase(
    path: Path, current: str, new: str, *, holder: str = "CareerDesk", held: bool = False
) -> None:
    """Give the encrypted journal at ``path`` a new passphrase (``current`` may be the recovery
    key). Only the key file changes; after a crash exactly one of the two passphrases works.

    ``held=True`` when the caller has the journal open (and so holds its lock): the window
    changes the passphrase without closing the journal.
    """
    crypto.check_new_passphrase(new)
    with _locked(path, holder, held=held):
        # Read only under the lock, after settling: the key file may just have been replaced.
        key_file = _require_encrypted(path)
        header = crypto.read_header(key_file)
        data_key = crypto.unlock(header, current)
        try:
            changed = crypto.change_passphrase(header, data_key, new)
            _write_key_file(key_file, changed)
        finally:
            crypto.wipe(data_key)


def set_recovery_key(
    path: Path, current: str, *, holder: str = "CareerDesk", held: bool = False
) -> str:
    """A new recovery key for the encrypted journal, shown once; the old one stops working."""
    recovery = crypto.new_recovery_key()
    _rewrite_recovery_slot(path, current, recovery, holder=holder, held=held)
    return recovery


def remove_recovery_key(
    path: Path, current: str, *, holder: str = "CareerDesk", held: bool = False
) -> None:
    """Only the passphrase opens the journal from now on."""
    _rewrite_recovery_slot(path, current, None, holder=holder, held=held)


def _rewrite_recovery_slot(
    path: Path, current: str, recovery: str | None, *, holder: str, held: bool
) -> None:
    with _locked(path, holder, held=held):
        key_file = _require_encrypted(path)
        header = crypto.read_header(key_file)
        data_key = crypto.unlock(header, current)
        try:
            _write_key_file(key_file, crypto.with_recovery_key(header, data_key, recovery))
        finally:
            crypto.wipe(data_key)


def _write_key_file(key_file: Path, header: crypto.KeyHeader) -> None:
    try:
        crypto.write_header_atomic(key_file, header)
    except OSError as exc:
        raise storage_fault(exc, failed="The key file could not be rewritten",
                            kept="The passphrase was not changed: the old one still works.",
                            ) from exc


def remove_passphrase(path: Path, current: str, *, holder: str = "CareerDesk") -> None:
    """Decrypt the journal at ``path`` back to a plain SQLite file; its key file goes with the
    same switch (a crash leaves the encrypted pair or the plain journal alone).

    Its encrypted backups stay encrypted, each with its own key file.
    """
    with _locked(path, holder):
        key_file = _require_encrypted(path)
        data_key = crypto.unlock(crypto.read_header(key_file), current)
        try:
            _convert(path, source_key=data_key, target_key=None, header=None,
                     kind="passphrase removal")
        finally:
            crypto.wipe(data_key)


def encrypt_plain_backups(
    folder: Path, data_key: RawKey, header: crypto.KeyHeader
) -> tuple[int, int]:
    """Encrypt every plain backup in ``folder`` in place (same data key, a copy of the key file):
    once a journal has a passphrase, no readable copy of it should stay behind. Returns how
    many were encrypted and how many could not be (each stays whole and plain)."""
    from careerdesk.storage.backup import list_backups

    count = failed = 0
    for info in list_backups(folder):
        if crypto.is_plain_sqlite(info.path):
            try:
                _convert(info.path, source_key=None, target_key=data_key, header=header,
                         journal=False)
            except StorageError:
                failed += 1
                continue
            count += 1
    return count, failed


# -- the conversion ------------------------------------------------------------------------------


def _convert(
    path: Path,
    *,
    source_key: RawKey | None,
    target_key: RawKey | None,
    header: crypto.KeyHeader | None,
    journal: bool = True,
    kind: str = "conversion",
) -> None:
    """Rewrite ``path`` with ``sqlcipher_export`` into a temporary file keyed with
    ``target_key`` (plain when None), verify it, then move it into place with its key file
    ``header`` (None: no key file).

    The journal itself (``journal=True``, its lock held) is switched with the roll-forward
    protocol of :mod:`careerdesk.storage.replace`, so a crash leaves the whole old pair or the
    whole new one. A backup has no open that would roll it forward: its key file is written
    first and the database renamed over the old one, so a crash leaves the old plain backup with
    an ignored key file beside it, or the new encrypted one. A failure leaves no file behind.
    """

    def export(tmp: Path) -> None:
        _export(path, tmp, source_key=source_key, target_key=target_key)

    try:
        if journal:
            tmp = replace.staged_database(path)
            replace.discard_staged(path)
            try:
                export(tmp)
            except BaseException:
                remove_quietly(tmp, *sidecars(tmp))
                raise
            crypto._crash_point("convert-exported")
            replace.replace_pair(path, header=header, kind=kind)
            return

        def key_file_first() -> None:
            crypto._crash_point("convert-exported")
            if header is not None:
                crypto.write_header_atomic(crypto.key_file_for(path), header)
            crypto._crash_point("convert-key-written")
            remove_quietly(Path(f"{path}-wal"), Path(f"{path}-shm"))

        replace_atomically(path, export, before_rename=key_file_first)
        crypto._crash_point("convert-replaced")
    except StorageError:
        raise
    except Exception as exc:
        if not (isinstance(exc, sqlite3.Error | OSError)
                or type(exc).__module__.split(".")[0] == "sqlcipher3"):
            raise
        raise storage_fault(exc, failed="The journal could not be converted",
                            kept="It was left as it was.", folder=path.parent) from exc


def _export(
    path: Path, tmp: Path, *, source_key: RawKey | None, target_key: RawKey | None
) -> None:
    import sqlcipher3

    target_pragma = key_pragma(target_key) if target_key is not None else None
    source = sqlcipher3.dbapi2.connect(str(path), isolation_level=None)
    try:
        source.execute("PRAGMA cipher_log_level = NONE")
        if source_key is not None:
            source.execute(key_pragma(source_key))
        # Fold the WAL in, so the export sees every commit and no -wal is left behind.
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        quoted = str(tmp).replace("'", "''")
        attach_key = target_pragma.split("= ", 1)[1] if target_pragma else "''"
        source.execute(f"ATTACH DATABASE '{quoted}' AS converted KEY {attach_key}")
        source.execute("SELECT sqlcipher_export('converted')")
        # sqlcipher_export copies schema and rows, not these header fields.
        for pragma in ("user_version", "application_id"):
            value = int(source.execute(f"PRAGMA main.{pragma}").fetchone()[0])
            source.execute(f"PRAGMA converted.{pragma} = {value}")
        source.execute("DETACH DATABASE converted")
    finally:
        source.close()
    _verify(tmp, target_key)


def _verify(path: Path, key: RawKey | None) -> None:
    import sqlcipher3

    connection = sqlcipher3.dbapi2.connect(str(path))
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            connection.execute(key_pragma(key))
        problems = [str(r[0]) for r in connection.execute("PRAGMA integrity_check")]
        if key is not None:
            problems += [str(r[0]) for r in connection.execute("PRAGMA cipher_integrity_check")]
        app_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    finally:
        connection.close()
    if problems != ["ok"] or app_id != APPLICATION_ID:
        raise StorageError(
            "The converted copy failed its check; the journal was left as it was."
        )


def _require_plain(path: Path) -> None:
    if not path.is_file():
        raise JournalFileError(f"There is no journal at {path}.")
    if not crypto.is_plain_sqlite(path):
        if crypto.is_encrypted_journal(path):
            raise PassphraseError(
                f"{path.name} already has a passphrase.",
                hint="Use 'careerdesk passphrase change' to change it.",
            )
        from careerdesk.storage.gate import check_plain_file

        check_plain_file(path)  # raises the precise "not a journal" message


def _require_encrypted(path: Path) -> Path:
    if not path.is_file():
        raise JournalFileError(f"There is no journal at {path}.")
    if crypto.is_plain_sqlite(path):
        raise PassphraseError(f"{path.name} has no passphrase.")
    key_file = crypto.key_file_for(path)
    crypto.read_header(key_file)  # a missing or damaged key file is named
    return key_file


@contextlib.contextmanager
def _locked(path: Path, holder: str, *, held: bool = False) -> Iterator[replace.Settled | None]:
    """Hold the journal's lock and settle an interrupted replacement first; yields what that
    did. Everything about the journal (encrypted or not, its key file) is read inside."""
    if held:  # the caller's open journal holds the lock already (and settled it on open)
        yield None
        return
    if not path.is_file() and not replace.pending(path):
        raise JournalFileError(f"There is no journal at {path}.")
    lock = JournalLock(path, holder=holder)
    lock.acquire()
    try:
        yield replace.recover(path)  # an interrupted restore or conversion is finished first
    finally:
        lock.release()

