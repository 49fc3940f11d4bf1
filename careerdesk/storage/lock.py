"""One process per journal file.

A sidecar ``<journal>.lock`` file is locked with ``flock`` (``msvcrt.locking`` on Windows) and
records who holds it. The operating system releases the lock when the holder dies, so a lock
left by a killed process is recovered by the next open without any clean-up.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import IO

from careerdesk.errors import JournalLockedError


def lock_path_for(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


class JournalLock:
    """An exclusive, process-wide lock on one journal file."""

    def __init__(self, journal: Path, *, holder: str) -> None:
        self.journal = journal
        self.path = lock_path_for(journal)
        self.holder = holder
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        try:
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open
        except OSError as exc:
            from careerdesk.storage.durable import storage_fault

            raise storage_fault(exc, failed=f"{self.journal.name} could not be locked for use",
                                kept="Nothing was changed.") from exc
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            described = _describe(handle.read())
            handle.close()
            raise JournalLockedError(
                f"{self.journal.name} is already open in {described}.",
                hint="Close it there first, or open another journal.",
            ) from None
        if not _same_file(handle, self.path):
            # The holder released and removed the lock file between our open and our lock:
            # we locked a file nobody else can see any more. Start again on the new one.
            _unlock(handle)
            handle.close()
            self.acquire()
            return
        # Who holds it is only for the message a second process shows; on a full disk it cannot
        # be written, and the lock (the flock above) holds all the same.
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
            handle.write(
                json.dumps(
                    {
                        "pid": os.getpid(),
                        "holder": self.holder,
                        "host": socket.gethostname(),
                        "since": time.strftime("%Y-%m-%d %H:%M"),
                    }
                )
            )
            handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        try:
            with contextlib.suppress(OSError):
                handle.seek(0)
                handle.truncate()
                handle.flush()
        finally:
            _unlock(handle)
            with contextlib.suppress(OSError):  # a buffered write that failed fails again here
                handle.close()
        # Another process may be opening it right now; a leftover lock file is harmless.
        with contextlib.suppress(OSError):
            self.path.unlink()

    @property
    def held(self) -> bool:
        return self._handle is not None


def _same_file(handle: IO[str], path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except OSError:
        return False


def _describe(raw: str) -> str:
    try:
        info = json.loads(raw)
        return f"{info['holder']} (process {info['pid']} on {info['host']}, since {info['since']})"
    except (ValueError, KeyError, TypeError):
        return "another CareerDesk process"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
