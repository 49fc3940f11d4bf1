"""The one gate every existing journal (and every backup) passes before anything writes to it.

Issue 22: a refused file must stay byte-identical, and a refusal is one line. So, in order, and
only ever reading:

1. :func:`check_regular_file`: a regular file, reached by following any symlink (a FIFO, device
   or socket is refused at once, without opening it; a dangling link or a loop is refused and
   never replaced by a new journal);
2. the header (``journal.check_plain_file``, for plain files);
3. :func:`inspect` on a read-only connection (SQLite's ``mode=ro`` URI, ``immutable=1`` on
   read-only media): ``quick_check``, the application id, the schema revision, and every table
   and column of :mod:`careerdesk.storage.tables`.

Only a journal that passes is opened for writing (the WAL switch in ``engine.make_engine``,
migrations, the search index). "Damaged" is said only when SQLite's own integrity check reports
a problem; its report (possibly a hundred lines) never goes into the message, but to the log
and to ``careerdesk check --verbose`` (:attr:`DamageFoundError.details`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careerdesk.errors import (
    CareerDeskError,
    DamagedJournalError,
    IncompleteJournalError,
    JournalFileError,
    JournalTooNewError,
    NotAJournalError,
)
from careerdesk.storage.engine import APPLICATION_ID, RawKey, connect_read_only

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Above this size the window leaves the whole-file ``quick_check`` to its background care
#: (ui/maintenance.py): about 60 ms here; the CLI, restore and ``verify=True`` always run it.
QUICK_CHECK_ALWAYS_BYTES = 16 * 1024 * 1024
#: How much of SQLite's own text a message may quote.
QUOTE_LIMIT = 120


class DamageFoundError(DamagedJournalError):
    """SQLite's integrity check proved damage; ``details`` is its report, line by line."""

    def __init__(self, user_message: str, *, hint: str = "",
                 details: Sequence[str] = ()) -> None:
        super().__init__(user_message, hint=hint)
        self.details = tuple(details)


@dataclass(frozen=True)
class Verdict:
    """What the gate found in a journal it let through."""

    revision: str
    #: Opened with ``immutable=1`` (read-only media where SQLite cannot create its ``-shm``).
    immutable: bool


#: What a value read from a hand-edited file can raise while the application decodes it.
_VALUE_ERRORS = (ValueError, TypeError, OverflowError, UnicodeError, RecursionError)
#: The DB-API drivers: the stdlib's and SQLCipher's, whose exceptions share no classes.
_DRIVERS = ("sqlite3", "sqlcipher3")


def is_driver_error(exc: BaseException, kind: str = "Error") -> bool:
    """Whether ``exc`` is a ``kind`` (``Error``, ``DatabaseError``, ``OperationalError``) of
    either driver: ``sqlcipher3.dbapi2.OperationalError`` is no ``sqlite3.OperationalError``."""
    return any(
        cls.__name__ == kind and cls.__module__.split(".")[0] in _DRIVERS
        for cls in type(exc).__mro__
    )


def one_line(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` as one short line: SQLite's and the system's messages may hold line breaks."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# -- 1. what kind of file -----------------------------------------------------------------------
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def check_regular_file(path: Path, *, what: str = "journal") -> os.stat_result:
    """The ``stat`` of the regular file ``path`` leads to; raises a one-line refusal otherwise.

    Never opens the file, so a FIFO cannot block; symlinks are followed (for reading).
    """
    name = path.name
    untouched = "Nothing was created or changed in its place."
    try:
        found = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise JournalFileError(
                f"{name} is a link that leads round in a loop, not to a {what} file.",
                hint=f"{untouched} Fix the link, or open another file.",
            ) from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR) and path.is_symlink():
            raise JournalFileError(
                f"{name} is a link to {_link_target(path)}, which does not exist.",
                hint=f"{untouched} Fix the link, or open another file.",
            ) from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise JournalFileError(f"There is no {what} at {path}.") from None
        raise JournalFileError(
            f"{name} cannot be read ({one_line(exc.strerror or str(exc))}).",
            hint="Check the file's permissions, or open another file.",
        ) from None
    if stat.S_ISDIR(found.st_mode):
        raise JournalFileError(f"{path} is a folder, not a {what} file.")
    if not stat.S_ISREG(found.st_mode):
        kind = next((label for test, label in _KINDS if test(found.st_mode)), "not a file")
        raise JournalFileError(
            f"{name} is {kind}, not a {what} file.",
            hint="It was left untouched. Choose a regular file.",
        )
    return found


def _link_target(path: Path) -> str:
    try:
        return one_line(os.readlink(path), 80)
    except OSError:
        return "a file"


def read_start(path: Path, size: int = 100) -> bytes:
    """The first ``size`` bytes of ``path``, refusing anything but a regular file.

    Opened with ``O_NONBLOCK`` and checked with ``fstat``: a FIFO swapped in after
    :func:`check_regular_file` still cannot block.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise JournalFileError(
                f"{path.name} is not a regular file.",
                hint="It was left untouched. Choose a regular file.",
            )
        chunks: list[bytes] = []
        left = size
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


# -- where the file lives -----------------------------------------------------------------------
def read_only_place(path: Path) -> bool:
    """Whether the journal (or the folder its lock, ``-wal`` and ``-shm`` go in) cannot be
    written: a read-only mount, an immutable file or folder (``chattr +i``), no permission."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: not a place at all, the gate refuses it
        return False
    file_writable = os.access(target, os.W_OK) or not os.path.lexists(target)  # a new journal
    return not (file_writable and os.access(target.parent, os.W_OK))


def _needs_immutable(path: Path) -> bool:
    """On read-only media a WAL-mode reader cannot create its ``-shm`` file; ``immutable=1``
    reads without one. Only when no ``-wal`` holds newer pages than the file itself."""
    return read_only_place(path) and _wal_is_empty(path)


# -- 3. the journal on a read-only connection ---------------------------------------------------
def inspect(
    path: Path, *, key: RawKey | None = None, quick_check: bool = True, rows: bool = False,
    what: str = "",
) -> Verdict:
    """Check the journal at ``path`` on a read-only connection; raise a one-line refusal.

    ``quick_check`` runs SQLite's whole-file structural check; ``rows`` also reads every row of
    every table through the column types the application uses (restore and ``check`` do this:
    a hand-edited row fails here, not later in the window). ``what`` names the file in messages
    ("The backup x"); by default its name.
    """
    had_sidecars = any(p.exists() for p in sidecars_of(path))
    try:
        return _inspect(path, what or path.name, key=key, quick_check=quick_check, rows=rows)
    finally:
        # A WAL-mode file read with mode=ro makes SQLite create an empty -wal and -shm; those
        # the inspection made are removed again, so a refused file leaves nothing beside it.
        # (An -wal that did not exist means no process had the journal open in WAL mode.)
        if not had_sidecars:
            remove_empty_sidecars(path)


def sidecars_of(path: Path) -> list[Path]:
    """The ``-wal`` and ``-shm`` of ``path``: beside the file a link points to, as SQLite puts
    them (none for a link loop)."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return []
    return [real.with_name(real.name + suffix) for suffix in ("-wal", "-shm")]


def remove_empty_sidecars(path: Path) -> None:
    """Remove the ``-wal`` and ``-shm`` a read-only connection made, if the ``-wal`` is empty
    (nothing in it that the file lacks). Only for sidecars that did not exist before."""
    if not _wal_is_empty(path):
        return
    for sidecar in sidecars_of(path):
        with contextlib.suppress(OSError):
            sidecar.unlink()


def _inspect(path: Path, name: str, *, key: RawKey | None, quick_check: bool,
             rows: bool) -> Verdict:
    immutable = _needs_immutable(path)
    try:
        return _inspect_once(path, name, key=key, quick_check=quick_check, rows=rows,
                             immutable=immutable)
    except Exception as exc:
        if not is_driver_error(exc):
            raise
        # A WAL-mode reader must create or map the -shm file; where it cannot (a full disk, a
        # folder it may not write), and no -wal holds newer pages, the file alone is the whole
        # journal: read it with immutable=1. Never after "locked" or "busy": someone is
        # writing, and an immutable read could see half a write.
        if immutable or not _cannot_make_shm(exc) or not _wal_is_empty(path):
            raise _unreadable(name, exc) from None
    try:
        return _inspect_once(path, name, key=key, quick_check=quick_check, rows=rows,
                             immutable=True)
    except Exception as exc:
        if not is_driver_error(exc):
            raise
        raise _unreadable(name, exc) from None


def _inspect_once(path: Path, name: str, *, key: RawKey | None, quick_check: bool, rows: bool,
                  immutable: bool) -> Verdict:
    """One try; an OperationalError (the file cannot be opened like this) is the caller's."""
    connection = connect_read_only(path, key=key, immutable=immutable)
    try:
        with contextlib.closing(connection):
            return _inspect_connection(connection, name, key=key, quick_check=quick_check,
                                       rows=rows, immutable=immutable)
    except CareerDeskError:
        raise
    except Exception as exc:
        if is_driver_error(exc, "OperationalError"):
            raise
        if is_driver_error(exc) or isinstance(exc, _VALUE_ERRORS):
            raise _unreadable(name, exc) from None
        raise


def _cannot_make_shm(exc: BaseException) -> bool:
    text = str(exc).lower()
    return is_driver_error(exc, "OperationalError") and any(
        words in text for words in ("unable to open", "disk i/o", "readonly", "read-only", "full")
    )


def _wal_is_empty(path: Path) -> bool:
    wal = path.resolve().with_name(path.resolve().name + "-wal")
    try:
        return wal.stat().st_size == 0
    except OSError:
        return True


def _inspect_connection(connection: Any, name: str, *, key: RawKey | None, quick_check: bool,
                        rows: bool, immutable: bool) -> Verdict:
    if quick_check:
        problems = integrity_report(connection, full=False)
        if problems:
            raise _damage(name, problems, key=key)
    try:
        application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
        revision = _revision(connection)
    except Exception as exc:
        if not is_driver_error(exc, "DatabaseError") or is_driver_error(exc, "OperationalError"):
            raise  # cannot be opened this way (inspect() decides), which is not damage
        # The schema itself cannot be read: only the integrity check may call that damage.
        problems = [] if quick_check else integrity_report(connection, full=False)
        if problems:
            raise _damage(name, problems, key=key) from None
        raise _unreadable(name, exc) from None
    if application_id != APPLICATION_ID:
        raise NotAJournalError(
            f"{name} is an SQLite database, but not a CareerDesk journal.",
            hint="It was left untouched. Choose another file.",
        )
    from careerdesk.storage import migrate

    if revision is None:
        raise IncompleteJournalError(
            f"{name} has no CareerDesk tables; it may be an unfinished copy.",
            hint="It was left untouched. Restore a backup.",
        )
    if revision not in migrate.KNOWN_REVISIONS:
        raise JournalTooNewError(
            f"{name} was written by a newer version of CareerDesk "
            f"(schema {one_line(revision, 40)}).",
            hint="This version will not change it. Update CareerDesk to open it.",
        )
    missing = schema_report(connection)
    if missing:
        raise IncompleteJournalError(
            f"{name} is not a whole CareerDesk journal: {missing[0]}.",
            hint="It was left untouched. Restore a backup.",
        )
    if rows:
        bad = rows_report(connection)
        if bad:
            raise IncompleteJournalError(
                f"{name} holds a record CareerDesk cannot read ({bad[0]}).",
                hint="It was left untouched. Restore a backup.",
            )
    return Verdict(revision=revision, immutable=immutable)


def _revision(connection: Any) -> str | None:
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def integrity_report(connection: Any, *, full: bool = False) -> list[str]:
    """SQLite's own check (``integrity_check`` when ``full``): empty when it finds nothing.

    On a damaged file the check may raise instead of returning rows: that is its report too.
    An OperationalError (the file cannot be opened, read or locked) proves nothing and is
    raised.
    """
    pragma = "integrity_check" if full else "quick_check"
    # The report quotes table and index names read from the damaged file itself, which may no
    # longer be UTF-8: read it as bytes, so a scribbled name cannot hide the verdict.
    text_factory = connection.text_factory
    connection.text_factory = bytes
    found: list[str] = []
    try:
        # Row by row: the check may report some problems and then give up on a page it
        # cannot read ("database disk image is malformed"); both are its report.
        for row in connection.execute(f"PRAGMA {pragma}"):
            found.append(_report_text(row[0]))
    except UnicodeDecodeError as exc:
        # SQLite refused with a message quoting a name from the damaged schema, which Python
        # could not even decode: still SQLite's verdict on the file.
        found.append(f"SQLite reported damage it could not spell ({exc.reason})")
    except Exception as exc:
        if not is_driver_error(exc, "DatabaseError") or is_driver_error(exc, "OperationalError"):
            raise
        found.append(str(exc))
    finally:
        connection.text_factory = text_factory
    # One row may itself hold many lines ("*** in database main ***\nOn tree page 2 ...").
    return [] if found == ["ok"] else [line for row in found for line in row.splitlines() if line]


def _report_text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def schema_report(connection: Any) -> list[str]:
    """Every table and column of :mod:`careerdesk.storage.tables` that the file lacks.

    Every known revision has the same tables and columns (0002 and 0003 add the search index
    and indexes), so one list serves them all."""
    from careerdesk.storage.tables import metadata

    missing: list[str] = []
    for table in metadata.sorted_tables:
        columns = {str(r[1]) for r in connection.execute(f'PRAGMA table_info("{table.name}")')}
        if not columns:
            missing.append(f"the table {table.name} is missing")
            continue
        missing.extend(
            f"the column {table.name}.{column.name} is missing"
            for column in table.columns
            if column.name not in columns
        )
    return missing


def rows_report(connection: Any, *, limit: int = 20) -> list[str]:
    """Columns holding values the application cannot read (dates, times, JSON, numbers), at
    most ``limit`` lines; each names the table and column and how many, never a value (it may
    be a note). The check is :mod:`.content_check`'s read-only SQL, one pass per table."""
    from careerdesk.storage.content_check import unreadable_values

    try:
        return unreadable_values(connection)[:limit]
    except Exception as exc:
        if not (is_driver_error(exc) or isinstance(exc, _VALUE_ERRORS)):
            raise
        return [one_line(str(exc), 120)]


# -- messages -----------------------------------------------------------------------------------
def _damage(name: str, problems: list[str], *, key: RawKey | None) -> CareerDeskError:
    from careerdesk.logs import log

    if key is not None and "not a database" in problems[0]:
        # SQLCipher cannot tell a wrong key from a damaged first page: say both.
        return DamageFoundError(
            f"{name} cannot be decrypted with its key file: the key file belongs to another "
            "journal, or the journal's first page is damaged.",
            hint="It was left untouched. Restore the journal and its .key file from a backup.",
            details=problems,
        )
    # SQLite's report names pages and tables, never a row's text: it may go to the log.
    log.info("integrity check of a journal failed (%d lines):\n%s", len(problems),
             "\n".join(one_line(p, 300) for p in problems[:200]))
    return DamageFoundError(
        f"{name} is damaged: SQLite's integrity check failed.",
        hint="It was left untouched. Restore a backup "
             "(careerdesk check --verbose lists what was found).",
        details=problems,
    )


def _unreadable(name: str, exc: BaseException) -> CareerDeskError:
    text = str(exc)
    if "not a database" in text:
        return NotAJournalError(
            f"{name} is not a CareerDesk journal (or it is an encrypted one whose key file "
            "is missing).",
            hint="It was left untouched. Choose another file, or put the .key file beside it.",
        )
    if "unable to open" in text:
        return JournalFileError(
            f"{name} cannot be opened for reading ({one_line(text, 60)}).",
            hint="Check the file and its folder, or copy it to another folder.",
        )
    return JournalFileError(
        f"{name} cannot be read ({one_line(text, 60)}).",
        hint="It was left untouched. Restore a backup, or open another file.",
    )


def explain(exc: BaseException, path: Path) -> CareerDeskError:
    """Any exception an open raised, as the one error hierarchy (the window's open path ends
    every failure in its one dialog with this)."""
    if isinstance(exc, CareerDeskError):
        return exc
    if isinstance(exc, OSError):
        reason = one_line(exc.strerror or type(exc).__name__, 60)
        return JournalFileError(
            f"{path.name} cannot be opened ({reason}).",
            hint="Check the file and its folder, or open another file.",
        )
    original = getattr(exc, "orig", None) or exc
    if is_driver_error(original):
        return _unreadable(path.name, original)
    return JournalFileError(
        f"{path.name} could not be opened ({type(exc).__name__}).",
        hint="It was left untouched. The details are in the log; open another file.",
    )


# -- checks of an open engine and of a plain file's header (journal.py and backup.py use them) --
#: The first 16 bytes of every plain SQLite file.
SQLITE_MAGIC = b"SQLite format 3\x00"


def read_header(path: Path) -> bytes:
    """The 100-byte SQLite header; never blocks (a FIFO is refused, see :mod:`.gate`)."""
    return read_start(path, 100)


def check_plain_file(path: Path) -> None:
    """Read-only checks of an existing plain journal file; raises with a clear message."""
    name = path.name
    size = check_regular_file(path).st_size  # a folder, FIFO, device, dangling link...
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
    # Pages a checkpoint could not fold in (a full disk at close) are in the -wal: the file is
    # short, not truncated, and SQLite's own check judges it with the -wal read in.
    in_wal = not _wal_is_empty(path)
    if count_is_valid and page_count and size < page_size * page_count and not in_wal:
        raise DamagedJournalError(
            f"{name} is truncated: {size} bytes of {page_size * page_count}.",
            hint="It was left untouched. Restore a backup.",
        )


def integrity_problems(engine: Engine, *, full: bool = False) -> list[str]:
    """SQLite's report, line by line; empty when ``quick_check`` (``integrity_check`` when
    ``full``) finds nothing wrong. A file that cannot be opened or read right now (locked, an
    I/O error) raises: that proves no damage (:func:`integrity_report`)."""
    try:
        raw = engine.raw_connection()
    except Exception as exc:
        # Connecting runs the engine's pragmas, which read the first pages: on a damaged file
        # SQLite may report the damage there already ("database disk image is malformed").
        original = getattr(exc, "orig", None) or exc
        if is_driver_error(original, "DatabaseError") \
                and not is_driver_error(original, "OperationalError"):
            return [str(original)]
        raise
    try:
        return integrity_report(raw.driver_connection, full=full)
    finally:
        raw.close()


def schema_problems(engine: Engine) -> list[str]:
    """Every table and column of :mod:`.tables` the file lacks."""
    raw = engine.raw_connection()
    try:
        return schema_report(raw.driver_connection)
    finally:
        raw.close()
