"""Backups through SQLite's online backup API: consistent snapshots, verified, rotated.

Automatic backups go to a folder beside the data folder (``AppPaths.backup_dir``), one sub-folder
per journal, so that copying or syncing the data folder does not carry every old version along.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from careerdesk.errors import DamagedJournalError, JournalFileError, StorageError
from careerdesk.paths import JOURNAL_SUFFIX, ensure_dir

KEEP_PER_REASON = 10


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
    engine: Engine, folder: Path, *, stem: str, reason: str = "manual", key: bytes | None = None
) -> Path:
    """Write a consistent, verified copy of the open database into ``folder``."""
    ensure_dir(folder)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{stem}-{stamp}-{reason}{JOURNAL_SUFFIX}"
    tmp = target.with_name("." + target.name + ".part")
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        dest = _connect(tmp, key=key, like=source)
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
    os.replace(tmp, target)
    rotate(folder, reason=reason)
    return target


def _connect(path: Path, *, key: bytes | None, like: object) -> sqlite3.Connection:
    if key is None:
        return sqlite3.connect(path)
    module = type(like).__module__.split(".")[0]
    import importlib

    driver = importlib.import_module(f"{module}.dbapi2")
    connection: sqlite3.Connection = driver.connect(str(path))
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def rotate(folder: Path, *, reason: str, keep: int = KEEP_PER_REASON) -> None:
    """Keep the newest ``keep`` backups taken for ``reason``; remove older ones."""
    same = [b for b in list_backups(folder) if b.reason == reason]
    for old in same[keep:]:
        old.path.unlink(missing_ok=True)


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"*{JOURNAL_SUFFIX}"):
        parts = path.stem.rsplit("-", 4)
        try:
            _, day, time, micro, reason = parts
            taken = dt.datetime.strptime(f"{day}{time}{micro}", "%Y%m%d%H%M%S%f").replace(
                tzinfo=dt.UTC
            )
        except ValueError:
            continue
        found.append(BackupInfo(path, taken, reason, path.stat().st_size))
    found.sort(key=lambda b: b.taken_at, reverse=True)
    return found


def restore_backup(backup: Path, target: Path, *, key: bytes | None = None) -> None:
    """Replace ``target`` with a verified copy of ``backup``. The caller holds the target's lock
    and has taken a backup of the current target first."""
    from careerdesk.storage.journal import check_plain_file

    if not backup.is_file():
        raise JournalFileError(f"There is no backup at {backup}.")
    if key is None:
        check_plain_file(backup)
    tmp = target.with_name(f".{target.name}.restore")
    tmp.unlink(missing_ok=True)
    try:
        source = _connect(backup, key=key, like=sqlite3.connect(":memory:"))
        try:
            dest = _connect(tmp, key=key, like=source)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
                problems = [r[0] for r in dest.execute("PRAGMA integrity_check")]
            finally:
                dest.close()
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        tmp.unlink(missing_ok=True)
        raise DamagedJournalError(f"The backup {backup.name} is damaged ({exc}).") from exc
    if problems != ["ok"]:
        tmp.unlink(missing_ok=True)
        raise DamagedJournalError(f"The backup {backup.name} fails its integrity check.")
    for sidecar in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        sidecar.unlink(missing_ok=True)
    os.replace(tmp, target)
