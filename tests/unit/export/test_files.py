"""Export files appear complete or not at all, with ordinary permissions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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


def test_the_named_fallback_leaves_nothing_and_forgets_its_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where O_TMPFILE is not there: a neutral hidden name, recorded while it exists."""
    from careerdesk.export import files

    monkeypatch.setenv(files.NO_TMPFILE_ENV, "1")
    seen: list[Path] = []

    def write(temp: Path) -> None:
        seen.append(temp)
        assert temp.parent == tmp_path
        assert "out" not in temp.name  # nothing of the target's name
        assert str(temp.resolve()) in json.loads(files.state_file().read_text())["pending"]
        temp.write_bytes(b"new")

    write_atomically(tmp_path / "out.pdf", write)
    assert (tmp_path / "out.pdf").read_bytes() == b"new"
    assert _names(tmp_path) == ["out.pdf"]
    assert json.loads(files.state_file().read_text())["pending"] == []
    assert files.state_file().stat().st_mode & 0o777 == 0o600


def test_leftovers_of_dead_processes_are_removed_and_nothing_else(tmp_path: Path) -> None:
    from careerdesk.export import files

    write_atomically(tmp_path / "out.pdf", lambda temp: temp.write_bytes(b"x"))  # remembered
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    names = {
        f".careerdesk-{dead_pid}-{'a' * 16}.part": False,  # its process is gone
        f".careerdesk-{os.getpid()}-{'b' * 16}.part": True,  # ours: being written
        f".careerdesk-{os.getppid()}-{'c' * 16}.part": True,  # another live process's
        ".out.pdf.0123456789ab.part": False,  # an older version's export
        ".all.json.77.part": False,  # an older version's dump
        ".notes.part": True,  # not ours
        "careerdesk-1-aaaaaaaaaaaaaaaa.part": True,  # not hidden: not ours
    }
    for name in names:
        (tmp_path / name).write_bytes(b"private")
    assert files.remove_leftovers() == 3
    assert _names(tmp_path) == sorted(["out.pdf", *(n for n, kept in names.items() if kept)])
