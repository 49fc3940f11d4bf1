"""The crash handler: an unexpected exception is logged (without note text), the user's typing
is flushed to the journal, and a short dialog says what happened. The app keeps running."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

from careerdesk.errors import CareerDeskError
from careerdesk.logs import log_unexpected

_flushers: list[Callable[[], object]] = []
_showing = False


def register_flush(flush: Callable[[], object]) -> None:
    """Something to call before the crash dialog so the user's typing is kept (autosave)."""
    _flushers.append(flush)


def unregister_flush(flush: Callable[[], object]) -> None:
    if flush in _flushers:
        _flushers.remove(flush)


def handle_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """sys.excepthook for the GUI."""
    global _showing
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    from careerdesk.ui import dialogs

    if isinstance(exc, CareerDeskError):  # a user error a slot forgot to catch: still say it
        dialogs.warn(None, "CareerDesk", exc.user_message, detail=exc.hint)
        return
    log_unexpected(exc, where="the window")
    for flush in list(_flushers):
        try:
            flush()
        except Exception as flush_error:
            log_unexpected(flush_error, where="saving after an unexpected error")
    if _showing:  # an error inside the dialog itself: logged, never a cascade of dialogs
        return
    _showing = True
    try:
        from careerdesk.paths import app_paths

        dialogs.warn(
            None, "CareerDesk: unexpected error",
            f"Something went wrong inside CareerDesk ({exc_type.__name__}). Your notes were "
            "saved. You can carry on; if it happens again, please restart CareerDesk.",
            detail=f"Details (without your notes) are in {app_paths().log_file}",
        )
    finally:
        _showing = False


def install() -> None:
    sys.excepthook = handle_exception
