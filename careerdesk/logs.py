"""Logging to a file in the user's log folder, and tracebacks without user text.

Exception messages can carry note text (SQL parameters, values typed by the user), so what is
logged of an unexpected error is its type names and stack frames only, never its message.
"""

from __future__ import annotations

import logging
import traceback
from collections import deque
from pathlib import Path

from careerdesk.paths import ensure_dir

log = logging.getLogger("careerdesk")

#: Records the log file could not take (a full disk), newest last; the file stays silent.
unwritten: deque[logging.LogRecord] = deque(maxlen=100)


class _Backlog(logging.Handler):
    """Keeps CareerDesk's records in memory until :func:`setup_logging` has somewhere to put
    them (see :func:`hold_records`); at most a few hundred, the oldest dropped."""

    LIMIT = 500

    def __init__(self) -> None:
        super().__init__()
        self.records: deque[logging.LogRecord] = deque(maxlen=self.LIMIT)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def hold_records(*, level: int = logging.INFO) -> None:
    """Keep log records until :func:`setup_logging` writes them to the file.

    The window's start-up calls this instead of :func:`setup_logging`: the rotating file
    handler imports ``logging.handlers`` (and with it ``socket``), ~10 ms the first screen does
    not need. Nothing is lost: the records are written when the file is set up.
    """
    if log.handlers:
        return
    log.addHandler(_Backlog())
    log.setLevel(level)
    log.propagate = False


def setup_logging(log_file: Path, *, level: int = logging.INFO) -> None:
    """Send CareerDesk's log to ``log_file`` (rotated, 1 MB x 3). Safe to call twice.

    Records kept by :func:`hold_records` are written first, in order.
    """
    if any(getattr(h, "careerdesk", False) for h in log.handlers):
        return
    import logging.handlers  # not at import: it pulls in socket, and start-up pays for it

    class QuietFileHandler(logging.handlers.RotatingFileHandler):
        """A log file that falls silent when it cannot be written (a full disk): Python's
        default prints "--- Logging error ---" and a traceback on stderr. The records it
        could not write are kept (:data:`unwritten`) for the window to show."""

        def handleError(self, record: logging.LogRecord) -> None:  # logging override
            unwritten.append(record)

    try:
        ensure_dir(log_file.parent)
        handler: logging.Handler = QuietFileHandler(
            log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()  # a read-only home must not stop the app
    handler.careerdesk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for backlog in [h for h in log.handlers if isinstance(h, _Backlog)]:
        log.removeHandler(backlog)
        for record in backlog.records:
            if record.levelno >= level:
                handler.handle(record)
    log.addHandler(handler)
    log.setLevel(level)
    log.propagate = False


def safe_traceback(exc: BaseException) -> str:
    """The exception chain's types and frames, with every message left out."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__} (message withheld)")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
    return "\n".join(lines)


def log_unexpected(exc: BaseException, *, where: str) -> None:
    log.error("unexpected error in %s\n%s", where, safe_traceback(exc))
