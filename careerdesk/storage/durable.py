"""Writing files so that they survive a crash: fsync of a file, of its folder, a whole write.

Every file CareerDesk writes for itself by rename goes through :func:`replace_atomically`
(temporary file in the same folder, fsync, rename, fsync of the folder), and every fsync,
unlink and rename of the journal's file procedures goes through the small functions here, so
that the fault tests can stop the process before any one of them: with
``CAREERDESK_KILL_AT_OP=n`` the process kills itself with SIGKILL just before its n-th such
operation (counted over the whole process; see tests/integration/test_kill_sweep.py).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

from careerdesk.errors import StorageError, StorageFullError, StorageIOError

#: Tests only: SIGKILL this process just before its n-th fsync, unlink or rename.
KILL_AT_OP_ENV = "CAREERDESK_KILL_AT_OP"
#: Tests only: a file to which the number of operations done so far is written at exit.
COUNT_OPS_ENV = "CAREERDESK_COUNT_OPS"

_ops_done = 0


def file_operation() -> None:
    """Count one fsync/unlink/rename; the kill-point sweep stops the process before the n-th."""
    global _ops_done
    _ops_done += 1
    if _ops_done == 1 and os.environ.get(COUNT_OPS_ENV):
        import atexit

        atexit.register(_write_count, Path(os.environ[COUNT_OPS_ENV]))
    target = os.environ.get(KILL_AT_OP_ENV)
    if target is not None and target.isdigit() and int(target) == _ops_done:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def _write_count(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.write_text(str(_ops_done), encoding="utf-8")


def operations_done() -> int:
    """How many counted file operations this process has done (the sweep's upper bound)."""
    return _ops_done


def fsync_file(path: Path) -> None:
    """Flush ``path``'s content to the disk."""
    file_operation()
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (renames, new and removed files) to the disk."""
    file_operation()
    with contextlib.suppress(OSError):  # not supported everywhere (Windows)
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def rename(source: Path, target: Path) -> None:
    """``os.replace``, counted for the kill-point sweep."""
    file_operation()
    os.replace(source, target)


def unlink(path: Path) -> None:
    """Remove ``path`` if it is there (counted for the kill-point sweep only when it is)."""
    if os.path.lexists(path):
        file_operation()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def write_durably(path: Path, data: bytes) -> None:
    """Create (or truncate) ``path`` readable by its owner only, write ``data``, fsync it.

    A failure removes the half-written file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        file_operation()
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)


def temporary_for(target: Path) -> Path:
    """The temporary name :func:`replace_atomically` writes ``target``'s new content under."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def sidecars(path: Path) -> list[Path]:
    """SQLite's files beside a database: its rollback journal, WAL and shared memory."""
    return [Path(f"{path}{suffix}") for suffix in ("-journal", "-wal", "-shm")]


def replace_atomically(
    target: Path,
    content: bytes | Callable[[Path], None],
    *,
    before_rename: Callable[[], None] | None = None,
    after_rename: Callable[[], None] | None = None,
) -> None:
    """Put new content at ``target`` so that a crash leaves the old file or the new one whole.

    ``content`` is the bytes to write, or a function that writes the complete new file at the
    temporary path it is given (a database copy through SQLite, say). The temporary file lives
    in the same folder, is fsynced, renamed over ``target``, and the folder is fsynced.
    ``before_rename`` runs after the fsync and before the rename (a key file that must exist
    before its database appears), ``after_rename`` before the folder's fsync (crash points).
    On any failure the temporary file (and any SQLite sidecar of it) is removed and the error
    raised: nothing is left behind, ``target`` is untouched.
    """
    tmp = temporary_for(target)
    try:
        remove_quietly(tmp, *sidecars(tmp))
        if callable(content):
            content(tmp)
            remove_quietly(*sidecars(tmp))
            fsync_file(tmp)
        else:
            write_durably(tmp, content)
        if before_rename is not None:
            before_rename()
        rename(tmp, target)
    except BaseException:
        remove_quietly(tmp, *sidecars(tmp))
        raise
    if after_rename is not None:
        after_rename()
    fsync_dir(target.parent)


def remove_quietly(*paths: Path) -> None:
    """Remove files if they are there; a failure to remove is not worth a second error."""
    for path in paths:
        with contextlib.suppress(OSError):
            unlink(path)


#: errno values that mean "no space left": the disk, or the user's quota.
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (an OSError or a driver error) says the disk is full."""
    if isinstance(exc, OSError) and exc.errno in _FULL:
        return True
    message = str(exc).lower()
    return "database or disk is full" in message or "no space left" in message


def is_read_only(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in _READ_ONLY:
        return True
    message = str(exc).lower()
    return "readonly" in message or "read-only" in message


def storage_fault(
    exc: BaseException, *, failed: str, kept: str, folder: Path | None = None
) -> StorageError:
    """One error for a write that failed: disk full, read-only, I/O error, or other.

    ``failed`` says what could not be done ("The backup could not be written"), ``kept`` what
    is still as it was ("The journal was left as it was."). A failed write is never called
    damage: only SQLite's integrity check on a read-only open says that. ``folder`` is where
    the write went: SQLite reports a shared-memory file it cannot grow on a full disk as an
    I/O error, so an I/O error there with no space left is called a full disk.
    """
    reason = getattr(exc, "strerror", None) or str(getattr(exc, "orig", None) or exc)
    if (is_disk_full(exc) or is_disk_full(getattr(exc, "orig", exc) or exc)
            or (folder is not None and _is_io_error(exc) and _nearly_full(folder))):
        return StorageFullError(
            f"{failed}: the disk is full.",
            hint=f"{kept} Free some space on the disk, then try again.".strip(),
        )
    if is_read_only(exc) or is_read_only(getattr(exc, "orig", exc) or exc):
        return StorageError(
            f"{failed}: the folder or file cannot be written (read-only).",
            hint=f"{kept} Check its permissions, or use another folder.".strip(),
        )
    if _is_io_error(exc):
        return StorageIOError(
            f"{failed}: the disk reported an input/output error.",
            hint=f"{kept} Check the disk (or its connection) and try again.".strip(),
        )
    return StorageError(f"{failed} ({reason}).", hint=kept)


def _nearly_full(folder: Path) -> bool:
    """Less than 64 KiB free where ``folder`` is (no room for a -shm or a journal page)."""
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False
    return stats.f_bavail * stats.f_frsize < 64 * 1024


def _is_io_error(exc: BaseException) -> bool:
    inner = getattr(exc, "orig", None) or exc
    if isinstance(inner, OSError) and inner.errno == errno.EIO:
        return True
    return "disk i/o error" in str(inner).lower()
