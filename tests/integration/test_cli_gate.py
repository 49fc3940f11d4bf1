"""The gate from the command line (issue 22) and read-only media (issue 14): the real CLI in a
subprocess; every refusal is one line and leaves the file as it was."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.helpers import digest, run_cli
from tests.integration.test_cli import assert_one_line_error
from tests.journal_cases import (
    PERSON,
    app_id_without_tables,
    copy_of,
    dropped_table,
    immutable_folder,
    make_journal,
    newer_revision,
    scribble_cells,
    zero_page_of,
)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    return make_journal(tmp_path / "journal.careerdesk")


def test_a_zeroed_page_gets_one_line_and_check_verbose_lists_sqlites_report(
        journal: Path) -> None:
    zero_page_of(journal)
    before = digest(journal)
    for command in (["check"], ["dump", "--out", "-"], ["search", "rota"],
                    ["export", "plan", "--person", "Bea", "--out", str(journal) + ".pdf"]):
        assert_one_line_error(run_cli(*command, "--file", journal), "is damaged")
    verbose = run_cli("check", "--verbose", "--file", journal)
    assert_one_line_error(verbose, "integrity check failed")
    assert "malformed" in verbose.stdout
    assert digest(journal) == before


def test_a_report_of_many_lines_stays_out_of_the_message(tmp_path: Path) -> None:
    journal = make_journal(tmp_path / "journal.careerdesk", colleagues=3)
    scribble_cells(journal)
    before = digest(journal)
    assert_one_line_error(run_cli("check", "--file", journal), "is damaged")
    assert_one_line_error(run_cli("search", "rota", "--file", journal), "is damaged")
    verbose = run_cli("check", "--verbose", "--file", journal)
    assert_one_line_error(verbose, "is damaged")
    # SQLite reports scribbled cells one line each ("On tree page 4 cell 3: ..."), or, for some
    # page layouts (the record ids are random), gives up at once with "malformed": either way
    # the report is on stdout and none of it in the one-line message.
    report = verbose.stdout.splitlines()
    assert report
    assert all("tree page" in line or "malformed" in line
               or line.startswith(("***", "NULL value")) for line in report)
    assert not any(line in verbose.stderr for line in report if "tree page" in line)
    assert digest(journal) == before


def test_check_finds_a_row_the_application_cannot_read(journal: Path) -> None:
    from tests.journal_cases import bad_timestamp

    bad_timestamp(journal)
    before = digest(journal)
    checked = run_cli("check", "--verbose", "--file", journal)
    assert_one_line_error(checked, "cannot read")
    assert "people.created_at" in checked.stdout
    assert "the day before" not in checked.stdout + checked.stderr  # never the value itself
    assert digest(journal) == before


def test_check_never_changes_a_good_journal(journal: Path) -> None:
    from tests.helpers import folder_state

    def beside(folder: Path) -> dict[str, str]:  # the journal's own files (the home is here too)
        return {k: v for k, v in folder_state(folder).items() if not k.startswith("home/")}

    before = beside(journal.parent)
    checked = run_cli("check", "--file", journal)
    assert checked.returncode == 0, checked.stderr
    assert "no problems found" in checked.stdout
    # Not even the -wal and -shm a read-only connection makes are left behind.
    assert beside(journal.parent) == before


def test_check_reports_a_missing_search_index_without_rebuilding_it(journal: Path) -> None:
    from tests.journal_cases import edit

    edit(journal, "DROP TABLE search_fts")
    before = digest(journal)
    assert_one_line_error(run_cli("check", "--file", journal),
                          "search index of journal.careerdesk is damaged or missing")
    assert digest(journal) == before


def test_app_id_with_no_tables_is_refused_byte_identical(tmp_path: Path) -> None:
    path = app_id_without_tables(tmp_path / "bare.careerdesk")
    before = digest(path)
    for command in (["check"], ["search", "x"], ["dump", "--out", "-"]):
        assert_one_line_error(run_cli(*command, "--file", path), "no CareerDesk tables")
    assert digest(path) == before


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.careerdesk"
    os.mkfifo(fifo)
    started = time.monotonic()
    assert_one_line_error(run_cli("check", "--file", fifo, timeout=60), "named pipe")
    assert_one_line_error(run_cli("restore", "--file", tmp_path / "j.careerdesk", fifo,
                                  timeout=60), "named pipe")
    assert time.monotonic() - started < 30


def test_broken_links_are_refused_and_not_replaced(tmp_path: Path) -> None:
    dangling = tmp_path / "dangling.careerdesk"
    dangling.symlink_to("nowhere.careerdesk")
    loop = tmp_path / "loop.careerdesk"
    loop.symlink_to("loop.careerdesk")
    assert_one_line_error(run_cli("check", "--file", dangling), "does not exist")
    assert_one_line_error(run_cli("load", "--file", loop, tmp_path / "none.json"), "no file")
    assert_one_line_error(run_cli("search", "x", "--file", loop), "loop")
    assert dangling.is_symlink()
    assert loop.is_symlink()
    assert not (tmp_path / "nowhere.careerdesk").exists()


@pytest.mark.parametrize(
    ("spoil", "words"),
    [(newer_revision, "newer version"), (dropped_table, "table journal_entries is missing")],
    ids=["newer-revision", "dropped-table"],
)
def test_restore_refuses_backups_that_would_not_open(journal: Path, tmp_path: Path,
                                                     spoil: object, words: str) -> None:
    backup = copy_of(journal, tmp_path / "backup.careerdesk")
    spoil(backup)  # type: ignore[operator]
    before = digest(journal)
    assert_one_line_error(run_cli("restore", "--file", journal, backup), words)
    assert digest(journal) == before


def test_restore_refuses_a_backup_with_no_tables(journal: Path, tmp_path: Path) -> None:
    backup = app_id_without_tables(tmp_path / "empty.careerdesk")
    before = digest(journal)
    assert_one_line_error(run_cli("restore", "--file", journal, backup), "no CareerDesk tables")
    assert digest(journal) == before


def test_read_commands_work_on_a_journal_in_an_immutable_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mounted"
    folder.mkdir()
    path = make_journal(folder / "journal.careerdesk")
    before = digest(path)
    out = tmp_path / "out"
    out.mkdir()
    with immutable_folder(folder):
        checked = run_cli("check", "--file", path)
        assert checked.returncode == 0, checked.stderr
        found = run_cli("search", "rota", "--file", path)
        assert found.returncode == 0, found.stderr
        assert "1 match." in found.stdout
        dumped = run_cli("dump", "--out", "-", "--file", path)
        assert dumped.returncode == 0, dumped.stderr
        assert PERSON in json.dumps(json.loads(dumped.stdout), ensure_ascii=False)
        exported = run_cli("export", "plan", "--person", "Bea", "--out", out / "plan.pdf",
                           "--file", path)
        assert exported.returncode == 0, exported.stderr
        assert (out / "plan.pdf").stat().st_size > 0
        assert_one_line_error(run_cli("load", "--file", folder / "new.careerdesk",
                                      out / "none.json"), "no file")
        # repair would write: refused in one line, nothing changed
        assert_one_line_error(run_cli("repair", "--file", path), "read-only")
        assert sorted(p.name for p in folder.iterdir()) == ["journal.careerdesk"]
    assert digest(path) == before
