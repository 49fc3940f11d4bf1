"""The journal's gate (issue 22): every refusal is one line, and a refused file is never
changed; journals on read-only media open read-only (issue 14)."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from careerdesk.errors import (
    CareerDeskError,
    DamagedJournalError,
    IncompleteJournalError,
    JournalFileError,
    JournalTooNewError,
    NotAJournalError,
    ReadOnlyJournalError,
)
from careerdesk.services import Services
from careerdesk.storage import gate
from careerdesk.storage.backup import restore_backup, verify_backup
from careerdesk.storage.copy import save_copy
from careerdesk.storage.journal import open_journal
from careerdesk.storage.lock import lock_path_for
from tests.helpers import digest
from tests.journal_cases import (
    PERSON,
    app_id_without_tables,
    bad_timestamp,
    copy_of,
    dropped_table,
    fill,
    full_disk,
    immutable_folder,
    make_journal,
    newer_revision,
    zero_page_of,
)


def assert_one_line(error: CareerDeskError) -> None:
    text = str(error)
    assert "\n" not in text, text
    assert "\r" not in text, text
    assert len(text) < 400, text


def test_a_zeroed_page_is_refused_as_damaged_and_left_byte_identical(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "zeroed.careerdesk")
    zero_page_of(path)
    before = digest(path)
    for verify in (True, False):  # the window opens with verify=False: a small file is checked
        with pytest.raises(gate.DamageFoundError) as raised:
            open_journal(path, verify=verify)
        assert "is damaged" in raised.value.user_message
        assert raised.value.details  # SQLite's report: for the log and check --verbose
        assert_one_line(raised.value)
    assert digest(path) == before
    assert not lock_path_for(path).exists()


def test_careerdesk_app_id_with_no_tables_stays_byte_identical(tmp_path: Path) -> None:
    path = app_id_without_tables(tmp_path / "bare.careerdesk")
    before = path.read_bytes()
    assert before[18:20] == b"\x01\x01"  # rollback journal: the WAL switch would change it
    with pytest.raises(IncompleteJournalError, match="no CareerDesk tables") as raised:
        open_journal(path)
    assert "damaged" not in str(raised.value)  # only the integrity check may say that
    assert_one_line(raised.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bare.careerdesk"]


def test_a_dropped_table_and_a_newer_revision_are_refused_before_the_wal_switch(
        tmp_path: Path) -> None:
    dropped = dropped_table(make_journal(tmp_path / "dropped.careerdesk"))
    newer = newer_revision(make_journal(tmp_path / "newer.careerdesk"))
    for path, error, words in ((dropped, IncompleteJournalError, "table journal_entries"),
                               (newer, JournalTooNewError, "newer version")):
        before = path.read_bytes()
        with pytest.raises(error, match=words) as raised:
            open_journal(path)
        assert_one_line(raised.value)
        assert path.read_bytes() == before


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.careerdesk"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            open_journal(fifo)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "opening a FIFO blocked"
    assert isinstance(outcome[0], JournalFileError)
    assert "named pipe" in str(outcome[0])
    assert fifo.is_fifo()


@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_a_broken_link_is_refused_and_never_replaced(tmp_path: Path, kind: str) -> None:
    link = tmp_path / "link.careerdesk"
    target = "nowhere.careerdesk" if kind == "dangling" else "link.careerdesk"
    link.symlink_to(target)
    with pytest.raises(JournalFileError, match="loop" if kind == "loop" else "does not exist"):
        open_journal(link, create=True)  # the window's open creates a missing journal
    assert link.is_symlink()
    assert os.readlink(link) == target
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.careerdesk"]


def test_a_link_to_a_journal_is_followed_for_reading(tmp_path: Path) -> None:
    real = make_journal(tmp_path / "real.careerdesk")
    link = tmp_path / "link.careerdesk"
    link.symlink_to(real.name)
    with open_journal(link) as journal:
        assert [p.name for p in Services(journal).people.list()] == [PERSON]
    assert link.is_symlink()


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (newer_revision, "newer version"),
        (dropped_table, "table journal_entries is missing"),
        (bad_timestamp, "people.created_at"),
    ],
    ids=["newer-revision", "dropped-table", "bad-row"],
)
def test_restore_refuses_a_backup_that_would_not_open(tmp_path: Path, spoil: object,
                                                     words: str) -> None:
    journal = make_journal(tmp_path / "journal.careerdesk")
    backup = copy_of(journal, tmp_path / "backup.careerdesk")
    spoil(backup)  # type: ignore[operator]
    before = digest(journal)
    with pytest.raises(CareerDeskError, match=words) as raised:
        restore_backup(backup, journal)
    assert raised.value.user_message.startswith("The backup backup.careerdesk")
    assert_one_line(raised.value)
    assert digest(journal) == before


def test_restore_refuses_a_backup_with_no_tables(tmp_path: Path) -> None:
    backup = app_id_without_tables(tmp_path / "empty.careerdesk")
    with pytest.raises(IncompleteJournalError, match="no CareerDesk tables"):
        verify_backup(backup)


def test_a_good_backup_passes(tmp_path: Path) -> None:
    verify_backup(make_journal(tmp_path / "good.careerdesk"))


def test_check_regular_file_names_what_it_found(tmp_path: Path) -> None:
    with pytest.raises(JournalFileError, match="is a folder"):
        gate.check_regular_file(tmp_path)
    with pytest.raises(JournalFileError, match="There is no backup"):
        gate.check_regular_file(tmp_path / "none", what="backup")
    with pytest.raises(JournalFileError, match="device"):
        gate.check_regular_file(Path("/dev/null"))


def test_sqlite_reports_never_reach_the_message_whole() -> None:
    report = "*** in database main ***\nPage 6: btreeInitPage() returns error code 11\n" * 50
    line = gate.one_line(report)
    assert "\n" not in line
    assert len(line) <= gate.QUOTE_LIMIT


def test_an_unexpected_driver_error_is_explained_in_one_line(tmp_path: Path) -> None:
    error = gate.explain(sqlite3.OperationalError("disk I/O error\nmore"), tmp_path / "j")
    assert isinstance(error, JournalFileError)
    assert_one_line(error)
    assert isinstance(gate.explain(PermissionError(13, "Permission denied"), tmp_path / "j"),
                      JournalFileError)


def test_a_journal_in_an_immutable_folder_opens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    path = make_journal(folder / "journal.careerdesk")
    before = digest(path)
    with immutable_folder(folder):
        with open_journal(path) as journal:
            assert journal.read_only
            assert not journal.lock.held  # no lock file can be made there, and none is needed
            services = Services(journal)
            assert [p.name for p in services.people.list()] == [PERSON]
            with pytest.raises(ReadOnlyJournalError, match="read-only") as raised:
                services.people.create("Someone New")
            assert_one_line(raised.value)
            copy = save_copy(journal, tmp_path / "copy")
        assert sorted(p.name for p in folder.iterdir()) == ["journal.careerdesk"]
    assert digest(path) == before
    assert copy.name == "copy.careerdesk"
    with open_journal(copy) as writable:
        assert not writable.read_only
        Services(writable).people.create("Someone New")
        assert len(Services(writable).people.list()) == 2


def test_a_journal_on_a_full_disk_opens_read_only(tmp_path: Path) -> None:
    source = make_journal(tmp_path / "source.careerdesk")
    with full_disk(tmp_path / "full") as folder:
        path = copy_of(source, folder / "journal.careerdesk")
        fill(folder)
        before = digest(path)
        with open_journal(path) as journal:
            assert journal.read_only  # neither the lock nor SQLite's -shm could be written
            assert [p.name for p in Services(journal).people.list()] == [PERSON]
            with pytest.raises(ReadOnlyJournalError):
                Services(journal).people.create("Someone New")
        assert digest(path) == before


def test_read_only_open_writes_nothing_on_writable_media(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.careerdesk")
    before = digest(path)
    with open_journal(path, read_only=True, upgrade=False) as journal:
        assert journal.read_only
        assert journal.integrity_problems() == []
        with pytest.raises(ReadOnlyJournalError):
            Services(journal).people.create("Someone New")
    assert digest(path) == before


def test_save_copy_refuses_the_journal_itself(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.careerdesk")
    with open_journal(path) as journal, pytest.raises(CareerDeskError, match="journal itself"):
        save_copy(journal, path)


def test_damage_is_said_only_when_the_integrity_check_proves_it(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.careerdesk")
    bad_timestamp(path)  # SQLite finds nothing wrong: this is not "damage"
    with pytest.raises(IncompleteJournalError, match="cannot read") as raised:
        gate.inspect(path, rows=True)
    assert "damaged" not in str(raised.value)
    assert not isinstance(raised.value, gate.DamageFoundError)
    assert isinstance(raised.value, DamagedJournalError)  # a restore is still offered


def test_an_encrypted_journal_in_an_immutable_folder_opens_read_only_and_copies_encrypted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERDESK_KDF_SECONDS", "0")  # the KDF floor: tuning is tested elsewhere
    folder = tmp_path / "usb"
    folder.mkdir()
    path = folder / "journal.careerdesk"
    with open_journal(path, passphrase="correct horse") as journal:
        Services(journal).people.create(PERSON)
    before = digest(path)
    with immutable_folder(folder), open_journal(path, passphrase="correct horse") as journal:
        assert journal.read_only
        assert [p.name for p in Services(journal).people.list()] == [PERSON]
        copy = save_copy(journal, tmp_path / "copy.careerdesk")
    assert digest(path) == before
    assert not copy.read_bytes().startswith(b"SQLite format 3")  # still encrypted
    with open_journal(copy, passphrase="correct horse") as writable:
        assert not writable.read_only
        assert [p.name for p in Services(writable).people.list()] == [PERSON]


def test_a_key_file_of_another_journal_is_one_clear_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERDESK_KDF_SECONDS", "0")
    first, second = tmp_path / "a.careerdesk", tmp_path / "b.careerdesk"
    for path in (first, second):
        open_journal(path, passphrase="correct horse").close()
    (tmp_path / "b.careerdesk.key").write_bytes((tmp_path / "a.careerdesk.key").read_bytes())
    before = digest(second)
    with pytest.raises(DamagedJournalError, match="cannot be decrypted") as raised:
        open_journal(second, passphrase="correct horse")
    assert_one_line(raised.value)
    assert digest(second) == before


def test_damage_whose_report_quotes_an_undecodable_name_is_still_damage(tmp_path: Path) -> None:
    """A scribbled byte in a schema name makes SQLite's own refusal undecodable for Python
    (seen once in a random page-scribbling run): it is still SQLite's verdict, not a crash."""
    path = tmp_path / "named.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t(a)")
    connection.execute('CREATE INDEX "idx_\u00e9" ON t(a)')
    connection.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(2000)])
    connection.commit()
    connection.close()
    data = bytearray(path.read_bytes())
    data[data.find("idx_\u00e9".encode()) + 4] = 0x82  # no longer UTF-8
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size * 2, len(data) - page_size, page_size * 3):
        data[offset + 8 : offset + 40] = bytes(range(32))  # and a scribbled b-tree
    path.write_bytes(bytes(data))
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        report = gate.integrity_report(reader)
    finally:
        reader.close()
    assert len(report) == 1
    assert "damage" in report[0]


def test_a_foreign_wal_database_is_refused_and_its_wal_never_folded_in(tmp_path: Path) -> None:
    """A crashed other program's WAL-mode database with its -wal: the open that refuses it
    must not checkpoint it first (that would rewrite both files)."""
    import shutil

    path = tmp_path / "foreign.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE t(a)")
    writer.execute("INSERT INTO t VALUES ('kept in the wal')")
    # Copy the pair while the writer still holds them: the copy is a crashed program's state.
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for name in ("foreign.db", "foreign.db-wal"):
        shutil.copyfile(tmp_path / name, crashed / name)
    writer.close()
    target = crashed / "foreign.db"
    assert (crashed / "foreign.db-wal").stat().st_size > 0
    before = {p.name: digest(p) for p in crashed.iterdir()}
    with pytest.raises(NotAJournalError):
        open_journal(target)
    assert {p.name: digest(p) for p in crashed.iterdir()} == before


def test_a_lock_that_cannot_be_written_opens_the_journal_read_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk refuses the lock file: the journal is read, never written, without it."""
    import errno

    from careerdesk.storage.durable import storage_fault
    from careerdesk.storage.lock import JournalLock

    path = make_journal(tmp_path / "journal.careerdesk")

    def no_space(self: JournalLock) -> None:
        raise storage_fault(OSError(errno.ENOSPC, "No space left on device"),
                            failed=f"{path.name} could not be locked for use",
                            kept="Nothing was changed.")

    monkeypatch.setattr(JournalLock, "acquire", no_space)
    with open_journal(path) as journal:
        assert journal.read_only
        assert Services(journal).people.list()
        with pytest.raises(ReadOnlyJournalError):
            Services(journal).people.create("Someone New")


def test_a_file_short_of_pages_that_its_wal_holds_is_not_called_truncated(
        tmp_path: Path) -> None:
    """A checkpoint that failed at close (a full disk) can leave the header counting pages that
    are only in the -wal: that is not truncation, and no advice to restore may follow."""
    path = make_journal(tmp_path / "journal.careerdesk")
    data = bytearray(path.read_bytes())
    pages = int.from_bytes(data[28:32], "big") + 5
    data[28:32] = pages.to_bytes(4, "big")
    data[92:96] = data[24:28]  # the count is valid for this change counter
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedJournalError, match="truncated"):
        gate.check_plain_file(path)
    Path(f"{path}-wal").write_bytes(b"\0" * 4096)  # pages waiting in the -wal
    gate.check_plain_file(path)  # no verdict of its own: SQLite's check decides
