"""Encrypted journals in-process: create, open, back up, restore, convert, upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from careerdesk.errors import (
    JournalLockedError,
    NotAJournalError,
    PassphraseError,
    PassphraseNeededError,
)
from careerdesk.services import Services
from careerdesk.storage import crypto, encryption, migrate
from careerdesk.storage.backup import backup_engine, restore_backup
from careerdesk.storage.journal import open_journal, unlock_journal

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def floor_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERDESK_KDF_SECONDS", "0")


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "secret.careerdesk"
    with open_journal(path, passphrase=PASSPHRASE) as journal:
        Services(journal).people.create("Ana Souza")
    return path


def names(path: Path, passphrase: str | None = PASSPHRASE) -> list[str]:
    with open_journal(path, create=False, passphrase=passphrase) as journal:
        return [p.name for p in Services(journal).people.list()]


def test_created_with_a_passphrase_it_is_encrypted(encrypted: Path) -> None:
    assert not crypto.is_plain_sqlite(encrypted)
    assert crypto.is_encrypted_journal(encrypted)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(encrypted).execute("SELECT * FROM people").fetchall()
    assert names(encrypted) == ["Ana Souza"]


def test_no_passphrase_asks_for_one_and_creates_nothing(encrypted: Path) -> None:
    before = sorted(p.name for p in encrypted.parent.iterdir())
    with pytest.raises(PassphraseNeededError):
        open_journal(encrypted)
    with pytest.raises(PassphraseError, match="not right"):
        open_journal(encrypted, passphrase="nope")
    assert sorted(p.name for p in encrypted.parent.iterdir()) == before


def test_the_key_is_wiped_when_the_journal_closes(encrypted: Path) -> None:
    journal = open_journal(encrypted, passphrase=PASSPHRASE)
    key = journal.key
    assert isinstance(key, bytearray)
    assert any(key)
    journal.close()
    assert not any(key)
    # Anything still holding the engine gets a clear message, not "file is not a database".
    with pytest.raises(PassphraseNeededError, match="locked"):
        Services(journal).people.list()


def test_a_second_process_is_still_refused(encrypted: Path) -> None:
    with open_journal(encrypted, passphrase=PASSPHRASE), pytest.raises(JournalLockedError):
        open_journal(encrypted, passphrase=PASSPHRASE)


def test_an_encrypted_backup_stays_encrypted_and_restores(
    encrypted: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    with open_journal(encrypted, passphrase=PASSPHRASE) as journal:
        copy = backup_engine(journal.engine, folder, stem="secret", key=journal.key)
        Services(journal).people.create("Added after the backup")
    assert not crypto.is_plain_sqlite(copy)
    assert crypto.key_file_for(copy).is_file()
    assert names(copy) == ["Ana Souza"]
    key = unlock_journal(copy, PASSPHRASE)
    restore_backup(copy, encrypted, key=key)
    assert names(encrypted) == ["Ana Souza"]


def test_plain_backups_are_encrypted_when_a_passphrase_is_set(tmp_path: Path) -> None:
    path = tmp_path / "plain.careerdesk"
    folder = tmp_path / "backups"
    with open_journal(path) as journal:
        Services(journal).people.create("Ana Souza")
        backup_engine(journal.engine, folder, stem="plain")
    result = encryption.set_passphrase(path, PASSPHRASE, backup_folder=folder)
    assert result.backups_encrypted == 1
    (copy,) = folder.glob("*.careerdesk")
    assert not crypto.is_plain_sqlite(copy)
    assert names(copy) == ["Ana Souza"]


def test_set_change_remove_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "j.careerdesk"
    with open_journal(path) as journal:
        Services(journal).people.create("李娜")
    result = encryption.set_passphrase(path, PASSPHRASE, with_recovery_key=True)
    assert result.recovery_key is not None
    encryption.change_passphrase(path, result.recovery_key, "another one")
    assert names(path, "another one") == ["李娜"]
    new_recovery = encryption.set_recovery_key(path, "another one")
    with pytest.raises(PassphraseError):
        names(path, result.recovery_key)
    encryption.remove_recovery_key(path, new_recovery)
    with pytest.raises(PassphraseError):
        names(path, new_recovery)
    encryption.remove_passphrase(path, "another one")
    assert crypto.is_plain_sqlite(path)
    assert names(path, None) == ["李娜"]
    with pytest.raises(PassphraseError, match="no passphrase"):
        encryption.change_passphrase(path, "x", "y")


def test_conversion_refuses_a_file_that_is_not_a_journal(tmp_path: Path) -> None:
    path = tmp_path / "notes.careerdesk"
    path.write_bytes(b"just some text, not a database")
    with pytest.raises(NotAJournalError):
        encryption.set_passphrase(path, PASSPHRASE)
    assert path.read_bytes() == b"just some text, not a database"


@pytest.mark.skipif(migrate.HEAD_REVISION == "0001", reason="needs a second schema revision")
def test_an_encrypted_old_journal_is_upgraded_with_an_encrypted_backup(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parents[2] / "data" / "journal-rev0001.careerdesk"
    path = tmp_path / "old.careerdesk"
    path.write_bytes(fixture.read_bytes())
    encryption.set_passphrase(path, PASSPHRASE)
    backups = tmp_path / "backups"
    open_journal(path, passphrase=PASSPHRASE, backup_dir=backups).close()
    (copy,) = backups.glob("*before-upgrade-from-0001*.careerdesk")
    assert not crypto.is_plain_sqlite(copy)
    assert crypto.key_file_for(copy).is_file()


def test_the_passphrase_changes_while_the_window_holds_the_journal(encrypted: Path) -> None:
    with open_journal(encrypted, passphrase=PASSPHRASE) as journal:
        with pytest.raises(JournalLockedError):
            encryption.change_passphrase(encrypted, PASSPHRASE, "new one")
        encryption.change_passphrase(encrypted, PASSPHRASE, "new one", held=True)
        recovery = encryption.set_recovery_key(encrypted, "new one", held=True)
        Services(journal).people.create("Still writable")
    assert names(encrypted, recovery) == ["Ana Souza", "Still writable"]
