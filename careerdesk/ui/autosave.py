"""Autosave: every edit is written without a Save button.

Edits are queued under a key naming the record and field they belong to (for example
``("answer", conversation_id, prompt_id, "text")``) together with a function that already holds the
record id and the value: switching person or conversation can never send text into the wrong
record. The queue is written when typing has stopped for ``delay_ms`` (at most a second), and at
once on :meth:`flush` (stage change, person change, window close, quit).

A failed write (:class:`~careerdesk.errors.StorageError`, e.g. a full disk) keeps the edit queued,
reports ``failed`` with the user's message, and is retried on a timer; the text stays in its
editor all along because nothing here touches the editors.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable

from PySide6.QtCore import QObject, QTimer, Signal

from careerdesk.errors import InvalidInputError, NotFoundError, PassphraseError, StorageError
from careerdesk.logs import log

SaveFunction = Callable[[], object]

DEFAULT_DELAY_MS = 600
RETRY_MS = 3000


class SaveState(enum.Enum):
    SAVED = "saved"
    PENDING = "pending"  # edits waiting for the debounce timer
    SAVING = "saving"
    FAILED = "failed"


class AutosaveQueue(QObject):
    """Debounced, keyed writes with retry on failure."""

    state_changed = Signal(object, str)  # SaveState, message for the user
    saved = Signal(list)  # every queued edit has reached the journal; the keys written
    rejected = Signal(str)  # an edit the journal refused (an emptied item); the message

    def __init__(self, parent: QObject | None = None, *, delay_ms: int = DEFAULT_DELAY_MS,
                 retry_ms: int = RETRY_MS) -> None:
        super().__init__(parent)
        self._pending: dict[Hashable, SaveFunction] = {}
        self._state = SaveState.SAVED
        self._message = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self.flush)
        self._flushing = False

    # -- state -------------------------------------------------------------------------------
    @property
    def state(self) -> SaveState:
        return self._state

    @property
    def message(self) -> str:
        return self._message

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def pending_keys(self) -> list[Hashable]:
        return list(self._pending)

    def _set_state(self, state: SaveState, message: str = "") -> None:
        if (state, message) != (self._state, self._message):
            self._state, self._message = state, message
            self.state_changed.emit(state, message)

    # -- queueing ----------------------------------------------------------------------------
    def schedule(self, key: Hashable, save: SaveFunction, *, quiet: bool = False) -> None:
        """Queue ``save`` under ``key`` (a newer edit of the same key replaces the older one).

        ``quiet``: bookkeeping the user did not type (which stage they are on) is written with
        the rest but does not turn the status to "Saving…" on its own.
        """
        self._pending.pop(key, None)
        self._pending[key] = save  # re-inserted last: writes keep the order of the edits
        if self._state is not SaveState.FAILED and not quiet:
            self._set_state(SaveState.PENDING)
        if not self._retry.isActive():
            self._timer.start()

    def run_now(self, key: Hashable, save: SaveFunction) -> bool:
        """Queue ``save`` and write everything at once (checkboxes, list edits)."""
        self._pending.pop(key, None)
        self._pending[key] = save
        return self.flush()

    def discard(self, predicate: Callable[[Hashable], bool]) -> None:
        """Forget queued edits whose key matches (their record was deleted)."""
        for key in [k for k in self._pending if predicate(k)]:
            del self._pending[key]

    def flush(self) -> bool:
        """Write every queued edit now; True when nothing is left queued."""
        self._timer.stop()
        if self._flushing:
            return not self._pending
        if not self._pending:
            if self._state is not SaveState.FAILED:
                self._set_state(SaveState.SAVED)
            return True
        self._flushing = True
        self._set_state(SaveState.SAVING)
        written: list[Hashable] = []
        rejected = ""
        try:
            while self._pending:
                key = next(iter(self._pending))
                save = self._pending[key]
                try:
                    save()
                except (StorageError, PassphraseError) as exc:
                    # A full disk, a busy file, a locked journal: keep the edit and try again.
                    self._set_state(SaveState.FAILED, exc.user_message)
                    self._retry.start()
                    return False
                except InvalidInputError as exc:
                    # The value cannot be stored (an emptied item): say so, keep the old value.
                    rejected = exc.user_message
                except NotFoundError as exc:
                    # The record is gone (deleted meanwhile): nothing left to save it into.
                    log.info("dropped an edit that could not be saved: %s", type(exc).__name__)
                # Only drop it if no newer edit of the same key arrived while it was written.
                if self._pending.get(key) is save:
                    del self._pending[key]
                written.append(key)
        finally:
            self._flushing = False
        self._retry.stop()
        self._set_state(SaveState.SAVED)
        if rejected:
            self.rejected.emit(rejected)
        self.saved.emit(written)
        return True
