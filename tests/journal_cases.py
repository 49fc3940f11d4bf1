"""Bad journals made for real, shared by the gate's unit, CLI and window tests (issue 22), and
a folder made read-only for real (issue 14)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerdesk.services import Services
from careerdesk.storage.engine import APPLICATION_ID
from careerdesk.storage.journal import open_journal

PERSON = "Bea Stone"


def make_journal(path: Path, *, colleagues: int = 0) -> Path:
    """A small, whole journal: one person with a journal entry (and ``colleagues`` more
    people); closed, so no -wal is left."""
    with open_journal(path) as journal:
        services = Services(journal)
        for number in range(colleagues):
            services.people.create(f"Colleague {number}")
        person = services.people.create(PERSON, role="Designer")
        services.entries.add(person.id, dt.date(2026, 11, 2), title="Rota",
                             body="Agree the new rota")
    return path


def zero_page_of(path: Path, table: str = "people") -> None:
    """Zero the root page of ``table``: SQLite's integrity check proves the damage."""
    page_size, root = _root_page(path, table)
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size: root * page_size] = bytes(page_size)
    path.write_bytes(bytes(data))


def scribble_cells(path: Path, table: str = "people") -> None:
    """Overwrite the cell pointers of ``table``'s root page: SQLite's report then runs to
    several lines (one per cell), the case that used to be pasted into the message."""
    page_size, root = _root_page(path, table)
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start + 8: start + 40] = b"\xff" * 32
    path.write_bytes(bytes(data))


def _root_page(path: Path, table: str) -> tuple[int, int]:
    connection = sqlite3.connect(path)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE type='table' AND name=?", (table,)
        ).fetchone()[0]
    finally:
        connection.close()
    return int(page_size), int(root)


def app_id_without_tables(path: Path) -> Path:
    """CareerDesk's application id, in rollback-journal mode, and no table at all."""
    connection = sqlite3.connect(path)
    try:
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute("CREATE TABLE scratch (a)")
        connection.execute("DROP TABLE scratch")
        connection.commit()
    finally:
        connection.close()
    return path


def edit(path: Path, *statements: str) -> Path:
    """Run ``statements`` on the file as a hand editor would (foreign keys off), then leave it
    as one self-contained file."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.execute("PRAGMA journal_mode = DELETE")
    finally:
        connection.close()
    return path


def newer_revision(path: Path) -> Path:
    return edit(path, "UPDATE alembic_version SET version_num = '9999'")


def dropped_table(path: Path, table: str = "journal_entries") -> Path:
    return edit(path, f"DROP TABLE {table}")


def bad_timestamp(path: Path) -> Path:
    return edit(path, "UPDATE people SET created_at = 'the day before yesterday'")


def copy_of(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


@contextlib.contextmanager
def immutable_folder(folder: Path) -> Iterator[Path]:
    """``folder`` made immutable (``chattr +i``) for the block: nothing can be created, removed
    or renamed in it, not even by root. Skips when the file system or the user cannot."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("chattr +i needs root and chattr (e2fsprogs) on Linux")
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True,
                          check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not supported here ({made.stderr.strip()}): run on ext4/xfs/"
                    "btrfs, or use a read-only bind mount")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


@contextlib.contextmanager
def full_disk(folder: Path, *, size: str = "2m") -> Iterator[Path]:
    """A small tmpfs mounted on ``folder``; the caller fills it. Skips when mounting is not
    allowed (not root, a container without CAP_SYS_ADMIN)."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder.mkdir(exist_ok=True)
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({made.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Write until the file system is full."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, bytes(4096)):
            pass
    except OSError:
        pass  # ENOSPC: full
    finally:
        os.close(fd)
