"""replace_atomically, the fault mapping, and partial backups (careerdesk/storage/durable.py)."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from careerdesk.errors import StorageError, StorageFullError, StorageIOError
from careerdesk.storage.durable import (
    KILL_AT_OP_ENV,
    replace_atomically,
    storage_fault,
    temporary_for,
)


def test_replace_atomically_puts_the_new_content_in_place_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text("old")
    replace_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_a_writer_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "copy.careerdesk"
    target.write_text("old")

    def half_a_database(tmp: Path) -> None:
        connection = sqlite3.connect(tmp)
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
        connection.close()
        Path(f"{tmp}-journal").write_text("sidecar")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        replace_atomically(target, half_a_database)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.careerdesk"]


def test_a_kill_before_the_rename_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "notes.key"
    target.write_text("old")
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from careerdesk.storage.durable import replace_atomically
        replace_atomically(Path({str(target)!r}), b"new")
        """
    )
    # Operations: fsync of the temporary (1), its rename (2), the folder's fsync (3).
    for n, expected in ((1, "old"), (2, "old"), (3, "new")):
        target.write_text("old")
        env = {**os.environ, KILL_AT_OP_ENV: str(n)}
        done = subprocess.run([sys.executable, "-c", script], env=env, check=False, timeout=60)
        assert done.returncode == -9
        assert target.read_text() == expected
        temporary_for(target).unlink(missing_ok=True)  # the next open removes it (replace.py)


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), StorageFullError, "the disk is full"),
        (sqlite3.OperationalError("database or disk is full"), StorageFullError, "disk is full"),
        (OSError(errno.EIO, "Input/output error"), StorageIOError, "input/output error"),
        (sqlite3.OperationalError("disk I/O error"), StorageIOError, "input/output error"),
        (OSError(errno.EROFS, "Read-only file system"), StorageError, "read-only"),
    ],
)
def test_each_write_fault_has_its_own_message_and_none_says_damaged(
    error: BaseException, kind: type[StorageError], words: str
) -> None:
    fault = storage_fault(error, failed="The backup could not be written",
                          kept="The journal was not changed.")
    assert type(fault) is kind
    assert words in str(fault)
    assert "damaged" not in str(fault).lower()
    assert "restore" not in str(fault).lower()


def test_partial_backups_are_removed_by_the_next_backup_and_never_listed(
    tmp_path: Path,
) -> None:
    from careerdesk.storage.backup import backup_engine, list_backups
    from careerdesk.storage.journal import open_journal

    folder = tmp_path / "backups"
    folder.mkdir()
    partials = [
        ".j-20260101-000000-000000-manual.careerdesk.part",
        ".j-20260101-000000-000000-manual.careerdesk.part-journal",
        ".j-20260101-000000-000000-manual.careerdesk.123.tmp",
        "j-20260101-000000-000000-manual.careerdesk.key",  # its backup never appeared
    ]
    for name in partials:
        (folder / name).write_text("partial")
    assert list_backups(folder) == []
    with open_journal(tmp_path / "j.careerdesk") as journal:
        made = backup_engine(journal.engine, folder, stem="j")
    assert [b.path for b in list_backups(folder)] == [made]
    assert sorted(p.name for p in folder.iterdir()) == [made.name]
