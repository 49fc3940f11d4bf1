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

from careerdesk.errors import DamagedJournalError, StorageError
from careerdesk.paths import JOURNAL_SUFFIX, ensure_dir
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
    """
    ensure_dir(folder)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{stem}-{stamp}-{reason}{JOURNAL_SUFFIX}"
    tmp = target.with_name("." + target.name + ".part")
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        dest = _connect(tmp, key=key)
        try:
            source.backup(dest)  # type: ignore[union-attr]
            dest.execute("PRAGMA journal_mode = DELETE")
            problems = [r[0] for r in dest.execute("PRAGMA integrity_check")]
        finally:
            dest.close()
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"The backup could not be written ({exc}).") from exc
    finally:
        raw.close()
    if problems != ["ok"]:
        tmp.unlink(missing_ok=True)
        raise StorageError("The backup copy failed its integrity check; nothing was kept.")
    if key is not None:
        _copy_key_file(Path(str(engine.url.database)), target)
    os.replace(tmp, target)
    rotate(folder, reason=reason)
    return target


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
        old.path.unlink(missing_ok=True)
        Path(f"{old.path}.key").unlink(missing_ok=True)


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"*{JOURNAL_SUFFIX}"):
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
    from careerdesk.storage.journal import check_plain_file

    gate.check_regular_file(backup, what="backup")
    if key is None:
        if is_encrypted_journal(backup):
            from careerdesk.errors import PassphraseNeededError

            raise PassphraseNeededError(f"The backup {backup.name} is encrypted.")
        check_plain_file(backup)
    gate.inspect(backup.absolute(), key=key, quick_check=True, rows=True,
                 what=f"The backup {backup.name}")


def keep_damaged_copy(journal: Path) -> Path:
    """Copy a journal that will not open (and its key file) to ``<name>.damaged`` beside it,
    before a restore replaces it; returns the copy's path.

    A copy, not a move: the journal stays where it is until the restore's switch replaces it
    (:mod:`careerdesk.storage.replace`), so a crash in between never leaves no journal at all
    (the next start would create an empty one there). An older ``.damaged`` copy is replaced.
    """
    import shutil

    from careerdesk.storage.crypto import key_file_for
    from careerdesk.storage.durable import fsync_dir, fsync_file

    aside = journal.with_name(journal.name + ".damaged")
    pairs = [(journal, aside), (key_file_for(journal), key_file_for(aside))]
    try:
        for source, copy in pairs:
            if source.exists():
                partial = copy.with_name(copy.name + ".partial")
                shutil.copyfile(source, partial)
                fsync_file(partial)
                os.replace(partial, copy)
            else:
                copy.unlink(missing_ok=True)  # no key beside the journal: none beside the copy
        fsync_dir(journal.parent)
    except OSError as exc:
        for _source, copy in pairs:
            with contextlib.suppress(OSError):
                copy.with_name(copy.name + ".partial").unlink(missing_ok=True)
        raise StorageError(
            f"Could not keep a copy of the damaged {journal.name} ({exc.strerror or exc}); "
            "nothing was restored.",
            hint="Free some space in its folder, or copy the file elsewhere first.",
        ) from exc
    return aside


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
        except sqlite3.DatabaseError as exc:
            replace.discard_staged(target)
            raise DamagedJournalError(f"The backup {backup.name} is damaged ({exc}).") from exc
        except OSError as exc:
            replace.discard_staged(target)
            raise StorageError(f"The backup could not be copied ({exc.strerror or exc}).",
                               hint=f"{target.name} was left as it was.") from exc
        if problems != ["ok"]:
            replace.discard_staged(target)
            raise DamagedJournalError(f"The backup {backup.name} fails its integrity check.")
        replace.replace_pair(target, header=header)


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
    from careerdesk.storage.journal import integrity_problems

    problems = integrity_problems(engine)
    if problems or not auto_backup_due(folder):
        return CareReport(problems=problems, backup=None)
    try:
        path = backup_engine(engine, folder, stem=journal.stem, reason=AUTO_REASON, key=key)
    except StorageError as exc:
        return CareReport(problems=[], backup=None, backup_error=exc.user_message)
    return CareReport(problems=[], backup=path)
