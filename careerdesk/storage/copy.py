"""Save a Copy: the open journal, as it is, to a file the user chose (SQLite's backup API).

The way out of a read-only journal (read-only media, a full disk): the copy is a whole
journal, written beside its target and moved into place complete, that opens for writing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careerdesk.errors import InvalidInputError, StorageError
from careerdesk.paths import JOURNAL_SUFFIX
from careerdesk.storage.durable import fsync_dir, fsync_file
from careerdesk.storage.engine import RawKey, key_pragma

if TYPE_CHECKING:
    from careerdesk.storage.journal import Journal


def save_copy(journal: Journal, target: Path) -> Path:
    """Write a consistent, verified copy of ``journal`` to ``target`` (``.careerdesk`` added
    when it has no suffix); returns where it went. An encrypted journal's copy is encrypted
    with the same key and gets its key file beside it."""
    from careerdesk.storage.gate import one_line

    target = target.expanduser().absolute()
    if not target.suffix:
        target = target.with_suffix(JOURNAL_SUFFIX)
    if target.resolve() == journal.path.resolve():
        raise InvalidInputError(
            f"{target.name} is the journal itself: choose another name or folder for the copy."
        )
    if not target.parent.is_dir():
        raise InvalidInputError(f"The folder {target.parent} does not exist.")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    raw = journal.engine.raw_connection()
    try:
        dest = _connect(tmp, journal.key)
        try:
            raw.driver_connection.backup(dest)  # type: ignore[union-attr]
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            problems = [str(r[0]) for r in dest.execute("PRAGMA quick_check")]
        finally:
            dest.close()
        if problems != ["ok"]:
            raise StorageError("The copy failed its integrity check; it was not kept.")
        fsync_file(tmp)
        if journal.key is not None:
            from careerdesk.storage.crypto import key_file_for, read_header, write_header_atomic

            write_header_atomic(key_file_for(target), read_header(key_file_for(journal.path)))
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except (sqlite3.Error, OSError) as exc:
        reason = one_line(getattr(exc, "strerror", None) or str(exc), 80)
        raise StorageError(
            f"The copy could not be written ({reason}).",
            hint="Choose a folder you can write to, with enough free space.",
        ) from exc
    finally:
        raw.close()
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return target


def _connect(path: Path, key: RawKey | None) -> Any:
    if key is None:
        return sqlite3.connect(path)
    import sqlcipher3

    connection = sqlcipher3.dbapi2.connect(str(path))
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(key_pragma(key))
    return connection
