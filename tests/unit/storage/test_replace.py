"""Replacing a journal and its key file together: a restore killed (SIGKILL) at every step of
the switch leaves the whole old pair or the whole new one, and the next open says nothing."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from careerdesk.errors import DamagedJournalError, JournalLockedError, PassphraseError
from careerdesk.services import Services
from careerdesk.storage import crypto, replace
from careerdesk.storage.backup import backup_engine, restore_backup
from careerdesk.storage.journal import open_journal, unlock_journal
from careerdesk.storage.lock import JournalLock

OLD_PASS = "the old passphrase, long enough"
NEW_PASS = "the backup's passphrase, also long"

#: Where the restore dies, and whether the journal is then the backup's (the switch was marked,
#: so the next open finishes it) or still the old one.
POINTS = {
    "pair-staged": False,  # both new files written, no marker yet
    "pair-marked": True,  # marker written, nothing renamed
    "pair-first": True,  # first rename done (key file; for a plain backup, the database)
    "pair-second": True,  # second step done (database; for a plain backup, key file removed)
    "pair-synced": True,  # folder fsynced, marker not yet removed
}

RESTORE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from careerdesk.storage.backup import restore_backup
    from careerdesk.storage.journal import unlock_journal
    backup, target, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    key = unlock_journal(backup, passphrase) if passphrase else None
    restore_backup(backup, target, key=key)
    """
)


@pytest.fixture(autouse=True)
def floor_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERDESK_KDF_SECONDS", "0")


def make_journal(path: Path, name: str, passphrase: str | None) -> None:
    with open_journal(path, passphrase=passphrase) as journal:
        Services(journal).people.create(name)


def make_backup(tmp_path: Path, passphrase: str | None) -> Path:
    source = tmp_path / "source" / "other.careerdesk"
    source.parent.mkdir()
    make_journal(source, "From the backup", passphrase)
    with open_journal(source, passphrase=passphrase) as journal:
        return backup_engine(journal.engine, tmp_path / "backups", stem="other", key=journal.key)


def restore_killed_at(point: str, backup: Path, target: Path, passphrase: str | None) -> None:
    env = {**os.environ, crypto.CRASH_ENV: point}
    done = subprocess.run(
        [sys.executable, "-c", RESTORE, str(backup), str(target), passphrase or ""],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def opened_names(path: Path, passphrase: str | None) -> list[str]:
    with open_journal(path, create=False, passphrase=passphrase) as journal:
        assert journal.integrity_problems() == []
        return [p.name for p in Services(journal).people.list()]


def key_bytes(journal: Path) -> bytes | None:
    key_file = crypto.key_file_for(journal)
    return key_file.read_bytes() if key_file.exists() else None


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "replace" in p.name)


@pytest.mark.slow
@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize(
    ("old_pass", "new_pass"),
    [(OLD_PASS, NEW_PASS), (None, None), (OLD_PASS, None), (None, NEW_PASS)],
    ids=["encrypted-over-encrypted", "plain-over-plain", "plain-over-encrypted",
         "encrypted-over-plain"],
)
def test_a_restore_killed_at_each_step_leaves_one_whole_pair(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
    point: str, old_pass: str | None, new_pass: str | None,
) -> None:
    target = tmp_path / "data" / "journal.careerdesk"
    target.parent.mkdir()
    make_journal(target, "Before the restore", old_pass)
    backup = make_backup(tmp_path, new_pass)
    old_key, new_key = key_bytes(target), key_bytes(backup)

    restore_killed_at(point, backup, target, new_pass)

    switched = POINTS[point]
    # The kill landed mid-way: the staged copy is there, and the marker once it was written.
    assert replace.marker_for(target).exists() == switched
    unrenamed = point in ("pair-staged", "pair-marked") or (
        point == "pair-first" and new_pass is not None  # the key file went first
    )
    assert replace.staged_database(target).exists() == unrenamed
    caplog.set_level(logging.INFO)
    names = opened_names(target, new_pass if switched else old_pass)
    assert names == (["From the backup"] if switched else ["Before the restore"])
    assert key_bytes(target) == (new_key if switched else old_key)
    assert crypto.is_plain_sqlite(target) == ((new_pass if switched else old_pass) is None)
    assert leftovers(target.parent) == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    # The other passphrase does not open it: it really is one pair, not a mix.
    current, other = (new_pass, old_pass) if switched else (old_pass, new_pass)
    if current is not None and other is not None:
        with pytest.raises(PassphraseError):
            opened_names(target, other)


@pytest.mark.slow
@pytest.mark.parametrize("new_pass", [None, NEW_PASS], ids=["plain", "encrypted"])
def test_a_restore_over_a_missing_journal_is_finished_not_replaced_by_an_empty_one(
    tmp_path: Path, new_pass: str | None
) -> None:
    """The start-up dialog moves a damaged journal aside before restoring: a crash then must
    not let the next open create a new, empty journal in its place."""
    target = tmp_path / "journal.careerdesk"
    backup = make_backup(tmp_path, new_pass)
    restore_killed_at("pair-marked", backup, target, new_pass)
    assert not target.exists()
    with open_journal(target, create=True, passphrase=new_pass) as journal:
        assert [p.name for p in Services(journal).people.list()] == ["From the backup"]


def test_the_roll_forward_needs_the_lock(tmp_path: Path) -> None:
    """Another process holding the journal may be in the middle of the switch: nobody else
    touches the files."""
    target = tmp_path / "journal.careerdesk"
    make_journal(target, "Before the restore", None)
    backup = make_backup(tmp_path, None)
    restore_killed_at("pair-marked", backup, target, None)
    holder = JournalLock(target, holder="another window")
    holder.acquire()
    try:
        with pytest.raises(JournalLockedError):
            open_journal(target)
        assert replace.marker_for(target).exists()
        assert replace.staged_database(target).exists()
    finally:
        holder.release()
    assert opened_names(target, None) == ["From the backup"]


def test_a_damaged_staged_copy_before_any_rename_keeps_the_old_journal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "journal.careerdesk"
    make_journal(target, "Before the restore", OLD_PASS)
    backup = make_backup(tmp_path, NEW_PASS)
    old_key = key_bytes(target)
    restore_killed_at("pair-marked", backup, target, NEW_PASS)
    staged = replace.staged_database(target)
    staged.write_bytes(staged.read_bytes()[:4096])  # the disk lost the end of it
    assert opened_names(target, OLD_PASS) == ["Before the restore"]
    assert key_bytes(target) == old_key
    assert leftovers(tmp_path) == []
    assert "incomplete" in caplog.text


def test_a_damaged_staged_copy_after_a_rename_is_named_and_a_new_restore_fixes_it(
    tmp_path: Path,
) -> None:
    target = tmp_path / "journal.careerdesk"
    make_journal(target, "Before the restore", OLD_PASS)
    backup = make_backup(tmp_path, NEW_PASS)
    restore_killed_at("pair-first", backup, target, NEW_PASS)  # the key file is the new one
    staged = replace.staged_database(target)
    staged.write_bytes(staged.read_bytes()[:4096])
    with pytest.raises(DamagedJournalError, match="interrupted restore") as caught:
        open_journal(target, passphrase=NEW_PASS)
    assert "backup" in caught.value.hint
    assert replace.marker_for(target).exists()  # nothing was changed
    restore_backup(backup, target, key=unlock_journal(backup, NEW_PASS))
    assert opened_names(target, NEW_PASS) == ["From the backup"]
    assert leftovers(tmp_path) == []


def test_a_restore_refuses_a_journal_open_elsewhere(tmp_path: Path) -> None:
    target = tmp_path / "journal.careerdesk"
    make_journal(target, "Before the restore", None)
    backup = make_backup(tmp_path, None)
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from careerdesk.storage.journal import open_journal
        with open_journal(Path(sys.argv[1])):
            print("open", flush=True)
            sys.stdin.readline()
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(target)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "open"
        with pytest.raises(JournalLockedError):
            restore_backup(backup, target)
    finally:
        child.communicate(timeout=60)
    assert opened_names(target, None) == ["Before the restore"]
    assert leftovers(tmp_path) == []


def test_a_restore_by_the_process_holding_the_lock_goes_ahead(tmp_path: Path) -> None:
    """``careerdesk restore`` backs up the open journal, then restores under the same lock."""
    target = tmp_path / "journal.careerdesk"
    make_journal(target, "Before the restore", None)
    backup = make_backup(tmp_path, None)
    journal = open_journal(target)
    try:
        journal.engine.dispose()
        restore_backup(backup, target)
    finally:
        journal.lock.release()
    assert opened_names(target, None) == ["From the backup"]


def test_leftovers_without_a_marker_are_removed_on_open(tmp_path: Path) -> None:
    target = tmp_path / "journal.careerdesk"
    make_journal(target, "Before the restore", None)
    replace.staged_database(target).write_bytes(b"half a copy")
    replace.staged_key_file(target).write_bytes(b"{")
    assert opened_names(target, None) == ["Before the restore"]
    assert leftovers(tmp_path) == []
