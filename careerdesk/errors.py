"""The one error hierarchy: everything a user can cause, with a message for them.

Slots and CLI commands catch :class:`CareerDeskError` and show ``user_message``; anything else is a
bug and goes to the crash handler, which logs it without note text.
"""

from __future__ import annotations


class CareerDeskError(Exception):
    """An error the user can understand and act on."""

    def __init__(self, user_message: str, *, hint: str = "") -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.user_message} {self.hint}".strip()


class NotFoundError(CareerDeskError):
    """A person, conversation or record named by the user does not exist."""


class InvalidInputError(CareerDeskError):
    """A value given by the user is not acceptable (a bad date, an empty name...)."""


class JournalFileError(CareerDeskError):
    """The journal file cannot be used: missing, not a journal, damaged, too new."""


class NotAJournalError(JournalFileError):
    """The file is not a CareerDesk journal (another format or another SQLite database)."""


class DamagedJournalError(JournalFileError):
    """The file is a journal but is truncated or fails its integrity check."""


class IncompleteJournalError(DamagedJournalError):
    """A journal that SQLite's integrity check passes but that is not whole as CareerDesk
    writes it: a table or column missing, a row that cannot be read. Its message never says
    "damaged" (only the integrity check may say that); restoring a backup is the way out."""


class JournalTooNewError(JournalFileError):
    """The file was written by a newer CareerDesk; we refuse to write to it."""


class JournalLockedError(JournalFileError):
    """Another CareerDesk process has the file open."""


class StorageError(CareerDeskError):
    """A write could not be completed (disk full, read-only folder, I/O error)."""


class ReadOnlyJournalError(StorageError):
    """The journal was opened read-only (read-only media, a full disk): nothing can be saved."""


class StorageFullError(StorageError):
    """The disk (or the journal's size limit) is full."""


class StorageIOError(StorageError):
    """The disk reported an input/output error while writing or syncing."""


class PassphraseError(CareerDeskError):
    """A passphrase is missing or wrong, or encryption cannot be set up."""


class PassphraseNeededError(PassphraseError):
    """The journal is encrypted and no passphrase was given: ask for one."""


class ContentError(CareerDeskError):
    """Built-in or user-supplied content (prompts, templates) is malformed."""


class InterchangeError(CareerDeskError):
    """A JSON dump cannot be loaded: malformed, schema-violating, or the target is not empty."""


class ExchangeError(CareerDeskError):
    """A file to import (plan, progress, prep sheet, roster CSV, template) is refused: unknown,
    damaged or hostile. Nothing was changed."""


class ExportError(CareerDeskError):
    """A PDF export could not be written."""


class KeyFileError(JournalFileError):
    """The key file of an encrypted journal is missing, damaged or was tampered with."""


class ExportCancelledError(ExportError):
    """The user cancelled a long export; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written.")
