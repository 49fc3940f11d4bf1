"""A journal on read-only media opens in the window read-only (issue 14): a banner says so,
File ▸ Save a Copy… writes a journal that can be changed, and the file stays byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from careerdesk.paths import app_paths
from careerdesk.services import Services
from careerdesk.storage.journal import open_journal
from careerdesk.ui import application, dialogs
from careerdesk.ui.main_window import MainWindow
from careerdesk.ui.read_only import BANNER_TEXT
from tests.helpers import digest
from tests.journal_cases import PERSON, immutable_folder, make_journal

pytestmark = pytest.mark.gui


def _window(qtbot: QtBot, tmp_path: Path, path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "config" / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(journal_path=path, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_journal_in_an_immutable_folder_opens_with_the_banner_and_saves_a_copy(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    path = make_journal(folder / "journal.careerdesk")  # no usage mode yet: first start
    before = digest(path)
    copy = tmp_path / "copy.careerdesk"
    monkeypatch.setattr(dialogs, "choose", lambda *a, **_k: pytest.fail(f"refused: {a[2]}"))
    monkeypatch.setattr(dialogs, "run_dialog", lambda d: pytest.fail(f"asked: {d}"))
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: copy)
    offered: list[str] = []
    monkeypatch.setattr(dialogs, "confirm",
                        lambda _p, _t, text, **_k: offered.append(text) or False)
    with immutable_folder(folder):
        journal = application.open_with_dialogs(path, app_paths(), None)
        assert journal is not None
        assert journal.read_only
        window = _window(qtbot, tmp_path, path)
        window.attach(Services(journal))  # the first-start dialog would write: not asked
        try:
            state = window.read_only_state
            assert state is not None
            qtbot.waitUntil(state.banner.isVisible)
            assert BANNER_TEXT in state.banner.label.text()
            assert state.save_copy_action in window.file_menu.actions()
            assert window.save_label.text() == "Read-only"
            names = [window.people_proxy.index(r, 0).data()
                     for r in range(window.people_proxy.rowCount())]
            assert PERSON in names
            state.save_copy_action.trigger()
            assert offered == ["A copy was saved as copy.careerdesk."]
        finally:
            window.close_journal()
        assert sorted(p.name for p in folder.iterdir()) == ["journal.careerdesk"]
    assert digest(path) == before
    with open_journal(copy) as writable:
        assert not writable.read_only
        assert [p.name for p in Services(writable).people.list()] == [PERSON]


def test_a_writable_journal_shows_no_banner(qtbot: QtBot, tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.careerdesk")
    window = _window(qtbot, tmp_path, path)
    window.attach(Services(open_journal(path)), ask_first_start=False)
    try:
        state = window.read_only_state
        assert state is not None
        assert not state.banner.isVisible()
        assert not state.banner.isVisibleTo(window)
    finally:
        window.close_journal()
