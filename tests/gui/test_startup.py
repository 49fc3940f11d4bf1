"""Start-up is a feature: the window's frame is painted first, the rest is built after it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import UsageMode
from careerdesk.services import Services
from careerdesk.services.settings import USAGE_MODE
from careerdesk.storage.journal import open_journal
from careerdesk.ui.main_window import MainWindow
from tests.helpers import REPO

pytestmark = pytest.mark.gui


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "config" / "window.ini"), QSettings.Format.IniFormat)


def test_the_frame_comes_back_at_the_size_the_user_left(qtbot: QtBot, tmp_path: Path,
                                                        journal_path: Path) -> None:
    first = MainWindow(journal_path=journal_path, settings=_settings(tmp_path))
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(700, 500)  # the offscreen screen is 800 x 800
    first.splitter.setSizes([250, 450])
    first.save_geometry()

    frame = MainWindow(journal_path=journal_path, settings=_settings(tmp_path), complete=False)
    qtbot.addWidget(frame)
    assert frame.size() == QSize(700, 500)
    # The toolbar keeps its height while its buttons are still to come: nothing jumps.
    assert frame.toolbar.minimumHeight() == first.toolbar.height() > 0
    frame.show()
    qtbot.waitExposed(frame)
    assert frame.splitter.sizes()[0] == 250
    assert [m.title() for m in (frame.file_menu, frame.edit_menu, frame.people_menu,
                                frame.view_menu, frame.help_menu)] == [
        "&File", "&Edit", "&People", "&View", "&Help"]
    assert frame.save_label.text() == "Opening your journal…"
    assert not frame.completed


def test_completing_the_frame_gives_the_whole_window(qtbot: QtBot, tmp_path: Path,
                                                     journal_path: Path) -> None:
    window = MainWindow(journal_path=journal_path, settings=_settings(tmp_path), complete=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.file_menu.isEmpty()
    window.complete()
    window.complete()  # once only
    assert window.completed
    assert window.new_conversation_action in window.file_menu.actions()
    assert window.toolbar.actions()[:3] == [window.new_conversation_action,
                                           window.new_person_action, window.find_action]
    assert window.file_menu.actions().count(window.quit_action) == 1
    window.attach(Services(open_journal(journal_path)), ask_first_start=False)
    try:
        names = [window.people_proxy.index(r, 0).data() for r in
                 range(window.people_proxy.rowCount())]
        assert "Bea Stone" in names
        assert window.save_label.text() == "Saved"
    finally:
        window.close_journal()


def test_attach_completes_a_frame_on_its_own(qtbot: QtBot, tmp_path: Path,
                                            journal_path: Path) -> None:
    window = MainWindow(journal_path=journal_path, settings=_settings(tmp_path), complete=False)
    qtbot.addWidget(window)
    window.attach(Services(open_journal(journal_path)), ask_first_start=False)
    try:
        assert window.completed
        assert window.people_model.rowCount() == 3
    finally:
        window.close_journal()


def test_a_frame_closed_before_it_is_complete_closes_quietly(qtbot: QtBot,
                                                             tmp_path: Path) -> None:
    window = MainWindow(journal_path=tmp_path / "j.careerdesk", settings=_settings(tmp_path),
                        complete=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.close()
    assert _settings(tmp_path).value("window/geometry") is not None


PROBE = r"""
import gc, json, sys
from careerdesk.ui import application

seen = {}
painted = application.Launcher.first_painted

def first_painted(self):
    seen["modules"] = sorted(sys.modules)
    seen["completed"] = self.window.completed
    seen["gc_at_paint"] = gc.isenabled()
    painted(self)

application.Launcher.first_painted = first_painted
ready = application.Launcher.ready

def on_ready(self):
    seen["views"] = self.window.view("journal") is not None
    ready(self)
    seen["views_after"] = self.window.view("journal") is not None
    seen["gc_after"] = gc.isenabled()

application.Launcher.ready = on_ready
from careerdesk.app import main
code = main(["--smoke", "--file", sys.argv[1]])
print("PROBE " + json.dumps(seen))
sys.exit(code)
"""


def test_the_window_is_painted_before_the_journal_machinery_is_imported(
        journal_path: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(journal_path)], cwd=REPO, capture_output=True,
        text=True, timeout=90, check=False,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen",
             "CAREERDESK_HOME": str(tmp_path / "home")},
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("PROBE "))
    seen = json.loads(line.removeprefix("PROBE "))
    ours = {m for m in seen["modules"] if m.startswith("careerdesk")}
    assert ours == {"careerdesk", "careerdesk.app", "careerdesk.hardening", "careerdesk.launch",
                    "careerdesk.paths",
                    "careerdesk.ui", "careerdesk.ui.application", "careerdesk.ui.main_window"}
    for heavy in ("sqlalchemy", "alembic", "reportlab", "logging.handlers", "dataclasses"):
        assert heavy not in seen["modules"]
    assert seen["completed"] is False  # the first paint shows the frame
    # The journal's content is on screen before the views that are not shown are built,
    # and a smoke run still builds them before it exits.
    assert seen["views"] is False
    assert seen["views_after"] is True
    # The cyclic garbage collector sleeps through start-up and is back once it is over.
    assert seen["gc_at_paint"] is False
    assert seen["gc_after"] is True


def test_the_garbage_collector_comes_back_even_if_the_journal_never_shows(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from careerdesk.paths import app_paths
    from careerdesk.ui import application

    window = MainWindow(journal_path=tmp_path / "j.careerdesk", settings=_settings(tmp_path),
                        complete=False)
    qtbot.addWidget(window)
    launcher = application.Launcher(window, tmp_path / "j.careerdesk", app_paths(),
                                    smoke=False, started=0.0)
    monkeypatch.setattr(application, "GC_BACK_AFTER_MS", 10)
    monkeypatch.setattr(launcher, "load", lambda: None)  # stuck: a dialog, an error
    gc.disable()
    try:
        launcher.first_painted()
        qtbot.waitUntil(gc.isenabled, timeout=2000)
    finally:
        gc.enable()


def test_a_journal_opened_from_the_desktop_reaches_the_application(qtbot: QtBot,
                                                                  tmp_path: Path) -> None:
    from PySide6.QtGui import QFileOpenEvent
    from PySide6.QtWidgets import QApplication

    from careerdesk.ui.application import CareerDeskApplication

    app = QApplication.instance()
    assert isinstance(app, CareerDeskApplication)
    target = str(tmp_path / "Team notes.careerdesk")
    with qtbot.waitSignal(app.file_open_requested) as opened:
        QApplication.sendEvent(app, QFileOpenEvent(target))
    assert opened.args == [target]


def test_a_journal_opened_from_the_desktop_at_start_up_replaces_the_default(
        qtbot: QtBot, tmp_path: Path) -> None:
    from careerdesk.paths import app_paths
    from careerdesk.ui import application

    window = MainWindow(journal_path=tmp_path / "default.careerdesk",
                        settings=_settings(tmp_path), complete=False)
    launcher = application.Launcher(window, tmp_path / "default.careerdesk", app_paths(),
                                    smoke=False, started=0.0)
    qtbot.addWidget(window)
    launcher.open_from_desktop(str(tmp_path / "double-clicked.careerdesk"))
    assert launcher.path == tmp_path / "double-clicked.careerdesk"


def test_a_journal_opened_from_the_desktop_later_opens_in_the_window(
        qtbot: QtBot, tmp_path: Path, journal_path: Path) -> None:
    from careerdesk.paths import app_paths
    from careerdesk.ui import application

    other = tmp_path / "other.careerdesk"
    with open_journal(other) as journal:
        other_services = Services(journal)
        other_services.settings.set(USAGE_MODE, UsageMode.OTHERS.value)  # no first-start
        other_services.people.create("Dana Field", role="Analyst")
    window = MainWindow(journal_path=journal_path, settings=_settings(tmp_path))
    qtbot.addWidget(window)
    launcher = application.Launcher(window, journal_path, app_paths(), smoke=False,
                                    started=0.0)
    launcher.loading_started = True
    window.attach(Services(open_journal(journal_path)), ask_first_start=False)
    try:
        launcher.open_from_desktop(str(other))
        assert window.journal_path == other
        names = {window.people_model.summary(r).person.name
                 for r in range(window.people_model.rowCount())}
        assert "Dana Field" in names
        assert "Bea Stone" not in names
        launcher.open_from_desktop(str(other))  # already open: stays as it is
        assert window.journal_path == other
    finally:
        window.close_journal()


def test_a_damaged_journal_is_restored_from_a_backup_at_start_up(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from careerdesk.paths import app_paths
    from careerdesk.storage.backup import backup_engine, backup_folder_for
    from careerdesk.ui import application, dialogs

    paths = app_paths()
    path = tmp_path / "team.careerdesk"
    with open_journal(path) as journal:
        Services(journal).people.create("Bea Stone")
        backup_engine(journal.engine, backup_folder_for(path, paths.backup_dir),
                      stem=path.stem, reason="manual")
    damaged = path.read_bytes()[:4096]
    path.write_bytes(damaged)
    asked: list[str] = []

    def choose(_parent: object, title: str, _text: str, choices: list[tuple[str, str]],
               **_kw: object) -> str:
        asked.append(title)
        assert "restore" in dict(choices)  # offered because a backup exists
        return "restore"

    monkeypatch.setattr(dialogs, "choose", choose)
    monkeypatch.setattr(dialogs, "pick_item", lambda *_a: 0)
    monkeypatch.setattr(dialogs, "warn", lambda *_a, **_k: pytest.fail(str(_a)))
    journal = application.open_with_dialogs(path, paths, None)
    assert journal is not None
    try:
        assert [p.name for p in Services(journal).people.list()] == ["Bea Stone"]
    finally:
        journal.close()
    assert asked == ["CareerDesk: cannot open team.careerdesk"]
    assert (tmp_path / "team.careerdesk.damaged").read_bytes() == damaged
