"""The window's open path (issue 22): every failure ends in the one error dialog with one line,
never a traceback or a window stuck on "Opening your journal…"; the file is left as it was."""

from __future__ import annotations

import logging
import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from careerdesk.logs import log
from careerdesk.paths import app_paths
from careerdesk.ui import application, dialogs
from careerdesk.ui.main_window import MainWindow
from tests.helpers import digest
from tests.journal_cases import app_id_without_tables, make_journal, zero_page_of

pytestmark = pytest.mark.gui


def _refusals(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The dialog's message and hint, each time it is shown; the user then quits."""
    shown: list[tuple[str, str]] = []

    def choose(_parent: object, _title: str, text: str, _choices: object, *,
               detail: str = "", **_kw: object) -> str:
        shown.append((text, detail))
        return "quit"

    monkeypatch.setattr(dialogs, "choose", choose)
    return shown


def _one_line(text: str) -> bool:
    return "\n" not in text and len(text) < 300


def test_a_zeroed_page_ends_in_the_one_dialog(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_journal(tmp_path / "zeroed.careerdesk")
    zero_page_of(path)
    before = digest(path)
    shown = _refusals(monkeypatch)
    assert application.open_with_dialogs(path, app_paths(), None) is None
    [(text, hint)] = shown
    assert "is damaged" in text
    assert _one_line(text)
    assert _one_line(hint)
    assert digest(path) == before


def test_app_id_with_no_tables_is_refused_and_left_byte_identical(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = app_id_without_tables(tmp_path / "bare.careerdesk")
    before = digest(path)
    shown = _refusals(monkeypatch)
    assert application.open_with_dialogs(path, app_paths(), None) is None
    assert "no CareerDesk tables" in shown[0][0]
    assert digest(path) == before


@pytest.mark.parametrize("target", ["nowhere.careerdesk", "link.careerdesk"],
                         ids=["dangling", "loop"])
def test_the_window_never_replaces_a_broken_link_with_a_journal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    link = tmp_path / "link.careerdesk"
    link.symlink_to(target)
    shown = _refusals(monkeypatch)
    assert application.open_with_dialogs(link, app_paths(), None) is None
    assert "Nothing was created" in shown[0][1]
    assert link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["link.careerdesk"]


def test_an_unexpected_error_while_opening_ends_in_the_dialog_and_the_log(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_journal(tmp_path / "journal.careerdesk")

    def broken(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("careerdesk.services.journal_files.open_journal", broken)
    records = _record_log(monkeypatch)
    shown = _refusals(monkeypatch)
    assert application.open_with_dialogs(path, app_paths(), None) is None
    assert shown[0][0] == "journal.careerdesk cannot be opened (Permission denied)."
    assert any("opening a journal" in r.getMessage() for r in records)


def test_a_journal_that_cannot_be_shown_ends_the_start_up_cleanly(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_journal(tmp_path / "journal.careerdesk")
    settings = QSettings(str(tmp_path / "config" / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(journal_path=path, settings=settings, complete=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    launcher = application.Launcher(window, path, app_paths(), smoke=False, started=0.0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the crash handler is installed
    records = _record_log(monkeypatch)
    warned: list[str] = []
    monkeypatch.setattr(dialogs, "warn", lambda _p, _t, text, **_k: warned.append(text))

    def attach(*_a: object, **_k: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(window, "attach", attach)
    launcher.load()
    assert launcher.exit_code == 1
    assert len(warned) == 1
    assert _one_line(warned[0])
    assert "journal.careerdesk" in warned[0]
    qtbot.waitUntil(lambda: not window.isVisible())
    assert any("opening a journal" in r.getMessage() for r in records)
    assert window.services is None


def _record_log(monkeypatch: pytest.MonkeyPatch) -> list[logging.LogRecord]:
    records: list[logging.LogRecord] = []

    class Recorder(logging.Handler):
        careerdesk = True  # counts as the log file: setup_logging leaves it be

        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    monkeypatch.setattr(log, "handlers", [Recorder()])
    monkeypatch.setattr(log, "level", logging.INFO)
    return records


def test_file_open_of_a_journal_that_cannot_be_shown_says_so_once(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from careerdesk.services import Services
    from careerdesk.storage.journal import open_journal

    first = make_journal(tmp_path / "first.careerdesk")
    other = make_journal(tmp_path / "other.careerdesk")
    settings = QSettings(str(tmp_path / "config" / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(journal_path=first, settings=settings)
    qtbot.addWidget(window)
    launcher = application.Launcher(window, first, app_paths(), smoke=False, started=0.0)
    window.attach(Services(open_journal(first)), ask_first_start=False)
    warned: list[str] = []
    monkeypatch.setattr(dialogs, "warn", lambda _p, _t, text, **_k: warned.append(text))
    _record_log(monkeypatch)

    def attach(*_a: object, **_k: object) -> None:
        raise ValueError("Invalid isoformat string")

    monkeypatch.setattr(window, "attach", attach)
    assert launcher.switch_to(other) is False
    assert len(warned) == 1
    assert _one_line(warned[0])
    assert window.services is None
    with open_journal(other):  # closed again: its lock was released
        pass
