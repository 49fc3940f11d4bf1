"""Export files appear complete or not at all, with ordinary permissions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from careerdesk.errors import ExportError
from careerdesk.export.files import write_atomically


def _names(folder: Path) -> list[str]:
    """What is in ``folder`` besides CareerDesk's own home (tests/conftest.py puts it there)."""
    return sorted(p.name for p in folder.iterdir() if p.name != "home")


def test_replaces_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def write(temp: Path) -> None:
        # The file being written has no name in the folder (O_TMPFILE): nothing to leave behind.
        assert _names(tmp_path) == ["out.pdf"]
        assert target.read_bytes() == b"old"  # still the old file while writing
        temp.write_bytes(b"new")

    write_atomically(target, write)
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == ["out.pdf"]


def test_permissions_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "out.pdf", lambda temp: temp.write_bytes(b"x"))
    finally:
        os.umask(old)
    assert (tmp_path / "out.pdf").stat().st_mode & 0o777 == 0o644


def test_failure_removes_the_temporary_file(tmp_path: Path) -> None:
    def write(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomically(tmp_path / "out.pdf", write)
    assert _names(tmp_path) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing" / "out.pdf", "does not exist"),
        (lambda p: p / "out.pdf", "a folder of that name exists"),
    ],
)
def test_clear_messages(tmp_path: Path, make: object, message: str) -> None:
    (tmp_path / "out.pdf").mkdir()
    target = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(ExportError, match=message):
        write_atomically(target, lambda temp: temp.write_bytes(b"x"))
    assert _names(tmp_path) == ["out.pdf"]
