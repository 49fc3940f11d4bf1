"""GUI fixtures: real journal files, a real main window, dialogs answered by the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import UsageMode
from careerdesk.services import Services
from careerdesk.services.settings import OWNER_NAME, USAGE_MODE
from careerdesk.storage.journal import open_journal
from careerdesk.ui import dialogs
from careerdesk.ui.main_window import MainWindow

WindowFactory = Callable[[Path], MainWindow]


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    """A journal with its owner set up, one colleague, and nothing else."""
    path = tmp_path / "gui.careerdesk"
    with open_journal(path) as journal:
        services = Services(journal)
        services.settings.set(USAGE_MODE, UsageMode.BOTH.value)
        services.settings.set(OWNER_NAME, "Alex")
        services.people.create("Alex", is_me=True)
        services.people.create("Bea Stone", role="Designer", team="Web")
        services.people.create("Carl Diaz", role="Engineer")
    return path


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path) -> Iterator[WindowFactory]:
    windows: list[MainWindow] = []

    def make(path: Path) -> MainWindow:
        settings = QSettings(str(tmp_path / "config" / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(journal_path=path, settings=settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.attach(Services(open_journal(path)), ask_first_start=False)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.services is not None:
            window.close_journal()


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record message boxes instead of showing them; confirmations say yes."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "inform",
                        lambda _p, title, text, **_k: shown.append((title, text)))
    monkeypatch.setattr(dialogs, "warn", lambda _p, title, text, **_k: shown.append((title, text)))
    monkeypatch.setattr(dialogs, "file_saved",
                        lambda _p, title, text, _path: shown.append((title, text)))
    monkeypatch.setattr(dialogs, "confirm", lambda _p, title, text, **_k: shown.append(
        (title, text)) or True)
    return shown


def accept_dialogs(monkeypatch: pytest.MonkeyPatch,
                   fill: Callable[[QDialog], None] | None = None) -> list[QDialog]:
    """Make ``dialogs.run_dialog`` fill each dialog with ``fill`` and accept it."""
    seen: list[QDialog] = []

    def run(dialog: QDialog) -> bool:
        seen.append(dialog)
        if fill is not None:
            fill(dialog)
        return True

    monkeypatch.setattr(dialogs, "run_dialog", run)
    return seen


def person_id(window: MainWindow, name: str) -> str:
    assert window.services is not None
    return window.services.people.find(name).id


TODAY = dt.date.today()
