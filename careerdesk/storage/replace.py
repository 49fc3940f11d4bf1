"""Replacing a journal and its key file together, so that a crash never leaves a mix.

An encrypted journal is two files, ``J`` and ``J.key`` (see :mod:`careerdesk.storage.crypto`);
restoring a backup or turning a passphrase on or off replaces both (or replaces ``J`` and removes
``J.key``). Two renames cannot be one atomic step, so the pair is replaced by a small
roll-forward protocol, always with the journal's lock held:

1. *stage*: the new database is written complete beside the journal as ``.J.replace`` and the
   new key file (if the new journal is encrypted) as ``.J.key.replace``; both are fsynced;
2. *mark*: a marker ``.J.replace-pending`` naming them with their sizes and SHA-256 is written
   atomically (temporary file, fsync, rename, fsync of the folder);
3. *switch*: ``J``'s ``-wal``/``-shm``/``-journal`` are removed, ``.J.key.replace`` is renamed
   to ``J.key`` (or ``J.key`` is removed for a plain journal) and ``.J.replace`` to ``J``;
   the folder is fsynced;
4. *unmark*: the marker is removed.

:func:`recover` runs when a journal is opened (``open_journal``, holding the lock): with a
marker it finishes step 3 and 4 (roll forward: the new pair); without one it removes any staged
leftovers (the old pair, untouched). The marker is written only once both staged files are
complete, so after a crash at any point the journal is either the complete old pair or the
complete new pair. See docs/security.md, "Replacing the journal and its key file".
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careerdesk.errors import DamagedJournalError
from careerdesk.storage.durable import (
    fsync_dir,
    fsync_file,
    remove_quietly,
    rename,
    replace_atomically,
    sidecars,
    storage_fault,
    unlink,
    write_durably,
)

if TYPE_CHECKING:
    from careerdesk.storage.crypto import KeyHeader

# ``careerdesk.storage.crypto`` is imported inside the functions: opening a plain journal asks
# :func:`pending` on every start and must not pay for the crypto module.

log = logging.getLogger(__name__)

MARKER_FORMAT = "careerdesk-replace"
MARKER_VERSION = 1


def staged_database(journal: Path) -> Path:
    """Where the new database is written before it replaces ``journal``."""
    return journal.with_name(f".{journal.name}.replace")


def staged_key_file(journal: Path) -> Path:
    """Where the new key file is written before it replaces ``<journal>.key``."""
    return journal.with_name(f".{journal.name}.key.replace")


def demo_build(journal: Path) -> Path:
    """Where ``careerdesk demo`` builds a demo before it is staged to replace ``journal``
    (under ``journal``'s lock; a crash's leftovers are removed by the next open)."""
    return journal.with_name(f".{journal.name}.demo")


def marker_for(journal: Path) -> Path:
    """The "replacement pending" marker: present only between staging and the switch's end."""
    return journal.with_name(f".{journal.name}.replace-pending")


def _leftovers(journal: Path) -> list[Path]:
    staged = staged_database(journal)
    marker = marker_for(journal)
    demo = demo_build(journal)
    return [
        staged,
        *sidecars(staged),
        demo,
        *sidecars(demo),
        Path(f"{demo}.key"),
        Path(f"{demo}.lock"),
        staged_key_file(journal),
        marker.with_name(marker.name + ".tmp"),  # the name older versions wrote it under
        *sorted(journal.parent.glob(f".{marker.name}.*.tmp")),  # see temporary_for
        # replace_atomically's temporaries of the journal (creation), its key file and its
        # damaged copy, and their SQLite sidecars: only ever written under the lock.
        *sorted(journal.parent.glob(f".{journal.name}.*.tmp")),
        *sorted(journal.parent.glob(f".{journal.name}.*.tmp-*")),
        *sorted(journal.parent.glob(f".{demo.name}.*.tmp*")),  # the demo build's own
    ]


@dataclass(frozen=True)
class Settled:
    """What settling an interrupted replacement did, for the user to be told.

    ``finished``: the new pair is in place (the replacement was completed); otherwise the old
    journal was kept and the staged copy dropped. ``kind`` is what was being done ("restore",
    "passphrase set", "passphrase removed", "demo"), ``origin`` the backup's file name for a
    restore, ``encrypted`` whether the journal is now encrypted.
    """

    finished: bool
    kind: str
    origin: str | None
    encrypted: bool

    def describe(self, journal_name: str) -> str:
        """One line for the user: what happened to their journal, and which passphrase opens
        it now."""
        if not self.finished:
            return (f"An interrupted {self.kind} of {journal_name} could not be completed; "
                    "the journal was kept as it was before it.")
        what = f"An interrupted {self.kind} of {journal_name} was completed"
        if self.kind == "restore" and self.origin:
            what += f": it now holds the backup {self.origin}"
            tail = (" and opens with that backup's passphrase (or its recovery key)."
                    if self.encrypted else " and has no passphrase.")
        elif self.encrypted:
            tail = ": it is encrypted and opens with the new passphrase."
        else:
            tail = ": it has no passphrase now."
        return what + tail


def pending(journal: Path) -> bool:
    """Whether a replacement was interrupted (a marker or a staged file is there): a few stats,
    cheap enough for every open."""
    return marker_for(journal).exists() or any(p.exists() for p in _leftovers(journal))


@dataclass(frozen=True)
class _Staged:
    name: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "sha256": self.sha256}

    @classmethod
    def of(cls, path: Path) -> _Staged:
        digest = hashlib.sha256()
        size = 0
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        return cls(path.name, size, digest.hexdigest())

    def matches(self, path: Path) -> bool:
        try:
            if path.stat().st_size != self.size:
                return False
            return _Staged.of(path).sha256 == self.sha256
        except OSError:
            return False


@dataclass(frozen=True)
class _Plan:
    database: _Staged
    key_file: _Staged | None  # None: the new journal is plain, its key file goes
    kind: str = "restore"
    origin: str | None = None  # the backup's file name, for a restore

    def to_bytes(self) -> bytes:
        body = {
            "format": MARKER_FORMAT,
            "version": MARKER_VERSION,
            "database": self.database.to_json(),
            "key_file": self.key_file.to_json() if self.key_file else None,
            "kind": self.kind,
            "origin": self.origin,
        }
        return json.dumps(body, sort_keys=True).encode()

    def settled(self, *, finished: bool) -> Settled:
        return Settled(finished, self.kind, self.origin, self.key_file is not None)

    @classmethod
    def from_bytes(cls, data: bytes) -> _Plan:
        raw = json.loads(data)
        if raw.get("format") != MARKER_FORMAT or raw.get("version") != MARKER_VERSION:
            raise ValueError("unknown marker")

        def staged(value: Any) -> _Staged:
            return _Staged(str(value["name"]), int(value["size"]), str(value["sha256"]))

        key = raw.get("key_file")
        origin = raw.get("origin")
        return cls(
            staged(raw["database"]), staged(key) if key is not None else None,
            str(raw.get("kind") or "restore"), str(origin) if origin is not None else None,
        )


def replace_pair(
    journal: Path, *, header: KeyHeader | None, kind: str = "restore", origin: str | None = None
) -> None:
    """Replace ``journal`` (and its key file) with the database already written, complete and
    verified, at :func:`staged_database` and the key file ``header`` (None: the new journal is
    plain and its old key file is removed). The caller holds the journal's lock.

    ``kind`` and ``origin`` (a restored backup's file name) go into the marker, so that an open
    that finishes the replacement after a crash can tell the user what happened."""
    from careerdesk.storage.crypto import _crash_point

    staged = staged_database(journal)
    try:
        remove_quietly(*sidecars(staged))
        fsync_file(staged)
        key_plan = None
        if header is not None:
            write_durably(staged_key_file(journal), header.to_bytes())
            key_plan = _Staged.of(staged_key_file(journal))
        plan = _Plan(_Staged.of(staged), key_plan, kind, origin)
        fsync_dir(journal.parent)
        _crash_point("pair-staged")
        replace_atomically(marker_for(journal), plan.to_bytes())
    except OSError as exc:
        discard_staged(journal)
        raise storage_fault(exc, failed=f"{journal.name} could not be replaced",
                            kept="It was left as it was.") from exc
    _crash_point("pair-marked")
    _switch(journal, plan)


def recover(journal: Path) -> Settled | None:
    """Finish or undo a replacement that a crash interrupted; the caller holds the lock.

    With the marker, the new pair is put in place (roll forward); without it, staged files are
    leftovers of a replacement that never started its switch and are removed. Returns what was
    done when a marked replacement was settled (None: there was none), for the user to be told.
    """
    marker = marker_for(journal)
    if not marker.exists():
        discard_staged(journal)
        return None
    try:
        plan = _Plan.from_bytes(marker.read_bytes())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        plan = None
    staged_db, staged_key = staged_database(journal), staged_key_file(journal)
    db_left = staged_db.exists()
    key_left = staged_key.exists()
    complete = plan is not None and (not db_left or plan.database.matches(staged_db)) and (
        plan.key_file is None or not key_left or plan.key_file.matches(staged_key)
    )
    if complete and plan is not None:
        log.info("Finishing an interrupted replacement of a journal")
        _switch(journal, plan)
        return plan.settled(finished=True)
    untouched = db_left and (key_left or (plan is not None and plan.key_file is None))
    if untouched and plan is not None:
        # Nothing was switched yet: the old pair is whole, the staged copy is not. Keep the old.
        log.warning("Discarding an incomplete staged replacement of a journal")
        unlink(marker)
        discard_staged(journal)
        fsync_dir(journal.parent)
        return plan.settled(finished=False)
    raise DamagedJournalError(
        f"An interrupted restore of {journal.name} cannot be completed: its staged copy "
        f"{staged_db.name} or the note {marker.name} is damaged.",
        hint="Nothing was changed. Restore the journal and its .key file from a backup.",
    )


def abandon(journal: Path) -> None:
    """Drop an interrupted replacement that cannot be finished (its marker and staged files),
    for a caller about to put a complete new pair in place."""
    unlink(marker_for(journal))
    discard_staged(journal)


def discard_staged(journal: Path) -> None:
    """Remove staged files left without a marker (never the marker itself)."""
    for leftover in _leftovers(journal):
        unlink(leftover)


def _switch(journal: Path, plan: _Plan) -> None:
    """Steps 3 and 4; idempotent, so a crash inside it is finished by :func:`recover`."""
    from careerdesk.storage.crypto import _crash_point, key_file_for

    staged_db, staged_key = staged_database(journal), staged_key_file(journal)
    key_file = key_file_for(journal)
    try:
        # While the marker exists the new database has never been opened, so any sidecar
        # here belongs to the old one and would corrupt the new one.
        for sidecar in sidecars(journal):
            unlink(sidecar)
        if plan.key_file is not None:
            if staged_key.exists():
                rename(staged_key, key_file)
                _crash_point("pair-first")
            if staged_db.exists():
                rename(staged_db, journal)
                _crash_point("pair-second")
        else:
            if staged_db.exists():
                rename(staged_db, journal)
                _crash_point("pair-first")
            unlink(key_file)  # plain now: the old key file is stale
            _crash_point("pair-second")
        fsync_dir(journal.parent)
        _crash_point("pair-synced")
        unlink(marker_for(journal))
        fsync_dir(journal.parent)
    except OSError as exc:
        # The marker stays: the next open finishes the switch.
        raise storage_fault(exc, failed=f"{journal.name} could not be replaced",
                            kept="It will be finished the next time the journal is opened.",
                            ) from exc
