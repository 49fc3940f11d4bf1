"""The journal's file procedures (careerdesk/services/journal_files.py), run as the CLI and the
window run them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from careerdesk.errors import PassphraseError
from careerdesk.paths import app_paths
from careerdesk.services import Services, journal_files
from careerdesk.storage import replace
from careerdesk.storage.journal import Journal, PassphraseRequest


def _open(path: Path, passphrase: str | None = None) -> Journal:
    return journal_files.open_journal_file(path, backup_root=app_paths().backup_dir,
                                           passphrase=passphrase)


def test_a_restore_over_a_journal_that_will_not_open_keeps_it_with_its_wal(
    tmp_path: Path,
) -> None:
    path = tmp_path / "team.careerdesk"
    with _open(path) as journal:
        Services(journal).people.create("Bea Stone")
        backup = journal_files.back_up_now(journal, backup_root=app_paths().backup_dir)
        Services(journal).people.create("Only In The Wal")
        # A crash now: the last commit lives only in the -wal.
        shutil.copyfile(path, tmp_path / "crashed")
        shutil.copyfile(f"{path}-wal", tmp_path / "crashed-wal")
    shutil.copyfile(tmp_path / "crashed", path)
    shutil.copyfile(tmp_path / "crashed-wal", f"{path}-wal")
    with open(path, "r+b") as handle:  # the first page's header is destroyed
        handle.write(b"garbage" * 4)
    result = journal_files.restore(
        backup, path, backup_root=app_paths().backup_dir, backup_key=None,
        open_current=lambda: _open(path),
    )
    assert result.damaged_copy == tmp_path / "team.careerdesk.damaged"
    kept_wal = Path(f"{result.damaged_copy}-wal").read_bytes()
    assert kept_wal == (tmp_path / "crashed-wal").read_bytes()
    with _open(path) as journal:
        assert [p.name for p in Services(journal).people.list()] == ["Bea Stone"]


def test_the_passphrase_is_asked_only_after_settling_and_names_the_backup(
    tmp_path: Path,
) -> None:
    """An encrypted backup staged and marked over a plain journal (a restore killed just after
    the marker): the open finishes it first, then asks, naming the backup's passphrase."""
    from careerdesk.storage.crypto import key_file_for, read_header

    path = tmp_path / "team.careerdesk"
    with _open(path, "backup passphrase") as journal:
        Services(journal).people.create("Bea Backup")
    staged = replace.staged_database(path)
    path.rename(staged)
    header = read_header(key_file_for(path))
    key_file_for(path).unlink()
    with _open(tmp_path / "plain.careerdesk") as plain:
        Services(plain).people.create("Olga Old")
    (tmp_path / "plain.careerdesk").rename(path)
    # Stage and mark as replace_pair does, but stop before the switch.
    from careerdesk.storage.durable import replace_atomically, write_durably

    write_durably(replace.staged_key_file(path), header.to_bytes())
    plan = replace._Plan(replace._Staged.of(staged),
                         replace._Staged.of(replace.staged_key_file(path)), "restore",
                         "team-20260101-000000-000000-manual.careerdesk")
    replace_atomically(replace.marker_for(path), plan.to_bytes())

    asked: list[PassphraseRequest] = []

    def ask(request: PassphraseRequest) -> str:
        asked.append(request)
        return "backup passphrase"

    with _open(path, ask) as journal:  # type: ignore[arg-type]
        assert [p.name for p in Services(journal).people.list()] == ["Bea Backup"]
        assert journal.settled is not None
    assert len(asked) == 1
    assert "Passphrase of the backup team-20260101" in asked[0].prompt
    assert asked[0].settled is not None
    assert "it now holds the backup" in asked[0].settled.describe(path.name)
    with pytest.raises(PassphraseError):
        journal_files.change_passphrase(path, "the old one", "a brand new passphrase")
