"""Backups through SQLite's online backup API: consistent snapshots, verified, rotated.

Automatic backups go to a folder beside the data folder (``AppPaths.backup_dir``), one sub-folder
per journal, so that copying or syncing the data folder does not carry every old version along.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from careerdesk.errors import DamagedJournalError, StorageError
from careerdesk.paths import JOURNAL_SUFFIX, ensure_dir
from careerdesk.storage.durable import (
    is_disk_full,
    remove_quietly,
    replace_atomically,
    sidecars,
    storage_fault,
)
from careerdesk.storage.engine import RawKey

KEEP_PER_REASON = 10
#: ``<journal stem>-<YYYYmmdd>-<HHMMSS>-<microseconds>-<reason>``; reasons may contain dashes.
_BACKUP_NAME = re.compile(
    r"^(?P<stem>.*)-(?P<day>\d{8})-(?P<time>\d{6})-(?P<micro>\d{6})-(?P<reason>[a-z0-9-]+)$"
)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    reason: str
    size: int


def backup_folder_for(journal: Path, backup_root: Path) -> Path:
    """Backups of one journal: its name plus a short hash of its full path (two files called
    journal.careerdesk in different folders keep separate backups)."""
    digest = hashlib.sha256(str(journal.absolute()).encode()).hexdigest()[:8]
    return backup_root / f"{journal.stem}-{digest}"


def backup_engine(
    engine: Engine, folder: Path, *, stem: str, reason: str = "manual", key: RawKey | None = None
) -> Path:
    """Write a consistent, verified copy of the open database into ``folder``.

    With ``key`` (an encrypted journal) the copy is written through SQLCipher with the same key,
    page by page, so no plaintext copy exists even briefly, and the journal's key file is copied
    beside it (``<backup>.key``): the backup opens with the passphrase of the day it was taken.
    The copy is written under a temporary name and renamed into place complete
    (:func:`~careerdesk.storage.durable.replace_atomically`); partial files an earlier crash
    left are removed first, and a failure leaves none.
    """
    try:
        ensure_dir(folder)
        remove_partial_backups(folder)
    except OSError as exc:
        raise storage_fault(exc, failed="The backup could not be written",
                            kept="The journal was not changed.", folder=folder) from exc
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{stem}-{stamp}-{reason}{JOURNAL_SUFFIX}"

    def copy(tmp: Path) -> None:
        raw = engine.raw_connection()
        try:
            dest = _connect(tmp, key=key)
            try:
                raw.driver_connection.backup(dest)  # type: ignore[union-attr]
                dest.execute("PRAGMA journal_mode = DELETE")
                problems = [r[0] for r in dest.execute("PRAGMA integrity_check")]
            finally:
                dest.close()
        finally:
            raw.close()
        if problems != ["ok"]:
            raise _CopyFailedCheckError

    def key_file_first() -> None:
        if key is not None:
            _copy_key_file(Path(str(engine.url.database)), target)

    try:
        replace_atomically(target, copy, before_rename=key_file_first)
    except _CopyFailedCheckError:
        raise StorageError("The backup copy failed its integrity check; nothing was kept.",
                           hint="The journal was not changed.") from None
    except Exception as exc:
        if not _is_driver_or_os_error(exc):
            raise
        if not target.exists():
            remove_quietly(Path(f"{target}.key"))
        raise storage_fault(exc, failed="The backup could not be written",
                            kept="The journal was not changed; no partial backup was kept.",
                            folder=folder) from exc
    rotate(folder, reason=reason)
    return target


class _CopyFailedCheckError(Exception):
    """The fresh copy failed its integrity check (internal: becomes a StorageError)."""


def _is_driver_or_os_error(exc: BaseException) -> bool:
    """sqlite3's and sqlcipher3's errors (distinct class trees) and OSError."""
    return isinstance(exc, sqlite3.Error | OSError | DBAPIError) or (
        type(exc).__module__.split(".")[0] == "sqlcipher3"
    )


def remove_partial_backups(folder: Path) -> None:
    """Remove what an interrupted backup left in ``folder``: temporary copies (hidden names,
    with their SQLite sidecars) and key files whose backup never appeared. They are never
    listed as backups (:func:`list_backups` wants a complete name)."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        name = entry.name
        partial = name.startswith(".") and (".part" in name or name.split("-")[-1] in (
            "journal", "wal", "shm") or ".tmp" in name)
        orphan_key = name.endswith(f"{JOURNAL_SUFFIX}.key") and not Path(
            str(entry)[: -len(".key")]).exists()
        if partial or orphan_key:
            remove_quietly(entry)


def _copy_key_file(journal: Path, copy: Path) -> None:
    """The key file of ``journal`` beside ``copy``, written before ``copy`` itself appears."""
    from careerdesk.storage.crypto import key_file_for, read_header, write_header_atomic

    write_header_atomic(key_file_for(copy), read_header(key_file_for(journal)))


def _connect(path: Path, *, key: RawKey | None) -> sqlite3.Connection:
    """A driver connection: stdlib sqlite3 for plain files, SQLCipher with ``key``."""
    if key is None:
        return sqlite3.connect(path)
    import sqlcipher3

    from careerdesk.storage.engine import key_pragma

    connection: sqlite3.Connection = sqlcipher3.dbapi2.connect(str(path))
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(key_pragma(key))
    return connection


def rotate(folder: Path, *, reason: str, keep: int = KEEP_PER_REASON) -> None:
    """Keep the newest ``keep`` backups taken for ``reason``; remove older ones."""
    same = [b for b in list_backups(folder) if b.reason == reason]
    for old in same[keep:]:
        remove_quietly(old.path, Path(f"{old.path}.key"))


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"*{JOURNAL_SUFFIX}"):
        if path.name.startswith("."):
            continue  # a partial copy, never a backup
        match = _BACKUP_NAME.match(path.stem)
        if match is None:
            continue
        day, time, micro, reason = match.group("day", "time", "micro", "reason")
        try:
            taken = dt.datetime.strptime(f"{day}{time}{micro}", "%Y%m%d%H%M%S%f").replace(
                tzinfo=dt.UTC
            )
        except ValueError:
            continue
        found.append(BackupInfo(path, taken, reason, path.stat().st_size))
    found.sort(key=lambda b: b.taken_at, reverse=True)
    return found


def verify_backup(backup: Path, *, key: RawKey | None = None) -> None:
    """Raise a clear one-line error unless ``backup`` is a journal that would open: a regular
    file, an intact SQLite file (``quick_check``), CareerDesk's application id, a schema
    revision this version knows (not newer), every table and column, and every row readable
    through the application's column types. Only reads (:mod:`careerdesk.storage.gate`).

    ``key`` is the data key of an encrypted backup; it is checked with it."""
    from careerdesk.storage import gate
    from careerdesk.storage.crypto import is_encrypted_journal
    from careerdesk.storage.gate import check_plain_file

    gate.check_regular_file(backup, what="backup")
    if key is None:
        if is_encrypted_journal(backup):
            from careerdesk.errors import PassphraseNeededError

            raise PassphraseNeededError(f"The backup {backup.name} is encrypted.")
        check_plain_file(backup)
    gate.inspect(backup.absolute(), key=key, quick_check=True, rows=True,
                 what=f"The backup {backup.name}")


def keep_damaged_copy(journal: Path) -> Path:
    """Copy a journal that will not open (with its ``-wal`` and its key file) to
    ``<name>.damaged`` beside it, before a restore replaces it; returns the copy's path.

    A copy, not a move: the journal stays where it is until the restore's switch replaces it
    (:mod:`careerdesk.storage.replace`), so a crash in between never leaves no journal at all
    (the next start would create an empty one there). The ``-wal`` travels with it: committed
    changes may live only there, and a copy without it can be malformed. An older
    ``.damaged`` copy (and its sidecars) is replaced.
    """
    from functools import partial

    from careerdesk.storage.crypto import key_file_for

    aside = journal.with_name(journal.name + ".damaged")
    pairs = [
        (Path(f"{journal}-wal"), Path(f"{aside}-wal")),
        (key_file_for(journal), key_file_for(aside)),
        (journal, aside),  # last: a copy whose database is there has its sidecars too
    ]
    try:
        remove_quietly(aside, *sidecars(aside))
        for source, copy in pairs:
            if source.exists():
                replace_atomically(copy, partial(_copy_file, source))
            else:
                remove_quietly(copy)  # no key beside the journal: none beside the copy
    except OSError as exc:
        raise storage_fault(
            exc, failed=f"Could not keep a copy of {journal.name}",
            kept="Nothing was restored; the journal is as it was.",
        ) from exc
    return aside


def _copy_file(source: Path, target: Path) -> None:
    import shutil

    shutil.copyfile(source, target)
    os.chmod(target, 0o600)


def restore_backup(
    backup: Path, target: Path, *, key: RawKey | None = None, held: bool = False
) -> None:
    """Replace ``target`` with a verified copy of ``backup``; the caller has taken a backup of
    the current target first.

    ``key`` is the data key of an encrypted backup (from its own key file, see
    :func:`careerdesk.storage.journal.unlock_journal`); the copy stays encrypted and the backup's
    key file replaces the target's. A plain backup makes the target plain again (its key file
    goes). The journal and its key file are replaced together (:mod:`careerdesk.storage.replace`):
    after a crash at any point the next open finds the complete old pair or the complete new one.

    The target's lock is taken for the restore; ``held=True`` when the caller holds it already
    (a lock held by this same process is also recognised, see :func:`_locked_for_restore`).
    """
    from careerdesk.storage import replace
    from careerdesk.storage.crypto import key_file_for, read_header

    verify_backup(backup, key=key)
    header = read_header(key_file_for(backup)) if key is not None else None
    with _locked_for_restore(target, held=held):
        try:
            replace.recover(target)  # an earlier interrupted replacement is finished first
        except DamagedJournalError:
            replace.abandon(target)  # it cannot be: this restore puts a whole pair in place
        staged = replace.staged_database(target)
        replace.discard_staged(target)
        try:
            source = _connect(backup, key=key)
            try:
                dest = _connect(staged, key=key)
                try:
                    source.backup(dest)
                    dest.execute("PRAGMA journal_mode = DELETE")
                    problems = [r[0] for r in dest.execute("PRAGMA integrity_check")]
                finally:
                    dest.close()
            finally:
                source.close()
        except Exception as exc:
            replace.discard_staged(target)
            if not _is_driver_or_os_error(exc):
                raise
            if isinstance(exc, OSError) or is_disk_full(exc) or _is_write_fault(exc):
                raise storage_fault(exc, failed="The backup could not be copied",
                                    kept=f"{target.name} was left as it was.",
                                    folder=target.parent) from exc
            raise DamagedJournalError(f"The backup {backup.name} is damaged ({exc}).") from exc
        if problems != ["ok"]:
            replace.discard_staged(target)
            raise DamagedJournalError(f"The backup {backup.name} fails its integrity check.")
        replace.replace_pair(target, header=header, kind="restore", origin=backup.name)


def _is_write_fault(exc: BaseException) -> bool:
    message = str(exc).lower()
    return any(word in message for word in ("disk i/o error", "readonly", "unable to open"))


@contextlib.contextmanager
def _locked_for_restore(target: Path, *, held: bool) -> Iterator[None]:
    """Hold ``target``'s lock for a restore, unless the caller holds it.

    The window closes its journal (releasing the lock) before restoring and the start-up dialog
    restores a journal it could not open, so the restore takes the lock itself: no other process
    may open the journal half-way. ``careerdesk restore`` over a readable journal keeps the lock
    of the journal it just backed up; a lock whose recorded holder is this process is that one.
    """
    from careerdesk.errors import JournalLockedError
    from careerdesk.storage.lock import JournalLock, lock_path_for

    if held:
        yield
        return
    lock = JournalLock(target, holder="CareerDesk restore")
    try:
        lock.acquire()
    except JournalLockedError:
        if _lock_holder_pid(lock_path_for(target)) != os.getpid():
            raise
        yield  # this process holds it already
        return
    try:
        yield
    finally:
        lock.release()


def _lock_holder_pid(path: Path) -> int | None:
    import json

    try:
        pid = json.loads(path.read_text(encoding="utf-8")).get("pid")
    except (OSError, ValueError, AttributeError):
        return None
    return pid if isinstance(pid, int) else None


AUTO_REASON = "auto"
AUTO_EVERY = dt.timedelta(hours=20)


@dataclass(frozen=True)
class CareReport:
    """What the routine check of an open journal found and did."""

    problems: list[str]
    backup: Path | None
    backup_error: str = ""


def auto_backup_due(folder: Path, *, now: dt.datetime | None = None) -> bool:
    """True when the newest automatic backup is older than ``AUTO_EVERY`` (or there is none)."""
    now = now or dt.datetime.now(dt.UTC)
    autos = [b for b in list_backups(folder) if b.reason == AUTO_REASON]
    return not autos or now - autos[0].taken_at >= AUTO_EVERY


def routine_care(engine: Engine, journal: Path, folder: Path, *,
                 key: RawKey | None = None) -> CareReport:
    """The whole-file integrity check, then the daily automatic backup if one is due.

    A journal that fails its check is not backed up: a damaged copy must never push a good
    backup out of the rotation.
    """
    from careerdesk.storage.gate import integrity_problems

    problems = integrity_problems(engine)
    if problems or not auto_backup_due(folder):
        return CareReport(problems=problems, backup=None)
    try:
        path = backup_engine(engine, folder, stem=journal.stem, reason=AUTO_REASON, key=key)
    except StorageError as exc:
        return CareReport(problems=[], backup=None, backup_error=exc.user_message)
    return CareReport(problems=[], backup=path)
