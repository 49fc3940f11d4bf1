"""The real command line in a subprocess: good input works, bad input gets one line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from careerdesk import __version__
from tests.helpers import digest, run_cli


def assert_one_line_error(result: object, pattern: str) -> None:
    import re

    assert result.returncode != 0  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("careerdesk: ")
    assert re.search(pattern, err), err


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.careerdesk"
    result = run_cli("demo", "--file", path, "--people", "6")
    assert result.returncode == 0, result.stderr
    assert "7 people" in result.stdout
    return path


def test_version_and_help() -> None:
    assert run_cli("--version").stdout.strip() == f"CareerDesk {__version__}"
    helped = run_cli("--help")
    assert helped.returncode == 0
    for command in ("demo", "dump", "load", "backup", "restore", "check"):
        assert command in helped.stdout


def test_unknown_command_and_bad_option_are_one_line() -> None:
    assert_one_line_error(run_cli("frobnicate"), "invalid choice")
    assert_one_line_error(run_cli("demo", "--people", "many"), "invalid int value")


def test_demo_has_people_in_several_scripts(demo_file: Path) -> None:
    raw = sqlite3.connect(demo_file)
    names = [row[0] for row in raw.execute("SELECT name FROM people")]
    private = raw.execute("SELECT count(*) FROM answers WHERE private").fetchone()[0]
    raw.close()
    assert {"张伟", "Ольга Иванова", "ليلى حداد", "José Núñez"} <= set(names)
    assert private > 0


def test_demo_refuses_to_overwrite(demo_file: Path, tmp_path: Path) -> None:
    before = digest(demo_file)
    assert_one_line_error(run_cli("demo", "--file", demo_file), "already exists")
    assert digest(demo_file) == before
    other = tmp_path / "notes.txt"
    other.write_text("not a journal")
    assert_one_line_error(run_cli("demo", "--file", other, "--force"), "not a CareerDesk")
    assert other.read_text() == "not a journal"
    assert_one_line_error(run_cli("demo", "--file", tmp_path / "x.careerdesk", "--people", "0"),
                          "at least 1")


def test_dump_load_round_trip_through_the_cli(demo_file: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert run_cli("dump", "--file", demo_file, "--out", first).returncode == 0
    copy = tmp_path / "copy.careerdesk"
    loaded = run_cli("load", "--file", copy, first)
    assert loaded.returncode == 0, loaded.stderr
    assert run_cli("dump", "--file", copy, "--out", second).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    # Loading again into the now full journal is refused and changes nothing.
    before = digest(copy)
    assert_one_line_error(run_cli("load", "--file", copy, first), "not empty")
    assert digest(copy) == before


def test_dump_one_person_to_stdout(demo_file: Path) -> None:
    result = run_cli("dump", "--file", demo_file, "--person", "josé", "--out", "-")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [p["name"] for p in document["people"]] == ["José Núñez"]


def test_dump_and_load_bad_input(demo_file: Path, tmp_path: Path) -> None:
    assert_one_line_error(
        run_cli("dump", "--file", demo_file, "--person", "Nobody", "--out", tmp_path / "x.json"),
        "No person called 'Nobody'")
    assert_one_line_error(run_cli("dump", "--file", tmp_path / "missing.careerdesk",
                                  "--out", tmp_path / "x.json"), "no journal at")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1}')
    target = tmp_path / "new.careerdesk"
    assert_one_line_error(run_cli("load", "--file", target, bad), "does not follow")
    assert not target.exists(), "a refused load creates no journal"
    assert_one_line_error(run_cli("load", "--file", target, tmp_path / "none.json"), "no file")


def test_backup_list_restore_and_check(demo_file: Path, tmp_path: Path) -> None:
    work = tmp_path / "work.careerdesk"
    work.write_bytes(demo_file.read_bytes())
    taken = run_cli("backup", "--file", work)
    assert taken.returncode == 0, taken.stderr
    backup = Path(taken.stdout.strip().removeprefix("Backup written to "))
    assert backup.is_file()
    assert backup.parent != work.parent
    listed = run_cli("backup", "--file", work, "--list")
    assert str(backup) in listed.stdout
    # Damage the journal, then restore it from the backup.
    data = bytearray(work.read_bytes())
    damaged = bytes(data[: len(data) // 3])
    work.write_bytes(damaged)
    assert_one_line_error(run_cli("check", "--file", work), "truncated")
    restored = run_cli("restore", "--file", work, backup)
    assert restored.returncode == 0, restored.stderr
    assert (tmp_path / "work.careerdesk.damaged").read_bytes() == damaged  # kept as it was
    checked = run_cli("check", "--file", work)
    assert checked.returncode == 0
    assert "no problems" in checked.stdout


def test_restore_bad_backup_is_refused(demo_file: Path, tmp_path: Path) -> None:
    work = tmp_path / "work.careerdesk"
    work.write_bytes(demo_file.read_bytes())
    before = digest(work)
    fake = tmp_path / "fake.careerdesk"
    fake.write_bytes(b"hello")
    assert_one_line_error(run_cli("restore", "--file", work, fake), "not a CareerDesk journal")
    assert digest(work) == before
    assert_one_line_error(run_cli("restore", "--file", work, tmp_path / "none"), "no backup")


def test_default_journal_lives_in_the_data_folder(isolated_home: Path) -> None:
    result = run_cli("demo", "--people", "1", "--years", "1")
    assert result.returncode == 0, result.stderr
    assert (isolated_home / "data" / "journal.careerdesk").is_file()
    assert run_cli("check").returncode == 0


def test_refusals_are_logged_without_what_the_user_typed(tmp_path: Path,
                                                        isolated_home: Path) -> None:
    result = run_cli("dump", "--file", tmp_path / "none.careerdesk", "--person",
                     "SECRET-NAME", "--out", tmp_path / "x.json")
    assert result.returncode == 1
    log_text = (isolated_home / "logs" / "careerdesk.log").read_text(encoding="utf-8")
    assert "command dump refused" in log_text
    assert "JournalFileError" in log_text
    assert "SECRET-NAME" not in log_text
    assert str(tmp_path) not in log_text


def test_unexpected_errors_are_logged_without_note_text(demo_file: Path,
                                                        isolated_home: Path) -> None:
    from careerdesk.logs import safe_traceback

    try:
        raise ValueError("SECRET-NOTE-TEXT")
    except ValueError as exc:
        text = safe_traceback(exc)
    assert "ValueError" in text
    assert "SECRET-NOTE-TEXT" not in text


def test_demo_force_refuses_a_journal_open_elsewhere(demo_file: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    held = tmp_path / "held.careerdesk"
    held.write_bytes(demo_file.read_bytes())
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom pathlib import Path\n"
         "from careerdesk.storage.journal import open_journal\n"
         "j = open_journal(Path(sys.argv[1]))\nprint('ready', flush=True)\ntime.sleep(60)",
         str(held)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        before = digest(held)
        assert_one_line_error(run_cli("demo", "--file", held, "--force"), "already open")
        assert digest(held) == before
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    replaced = run_cli("demo", "--file", held, "--force", "--people", "2")
    assert replaced.returncode == 0, replaced.stderr
    raw = sqlite3.connect(held)
    assert raw.execute("SELECT count(*) FROM people").fetchone() == (3,)
    raw.close()
