"""The window's export actions: what file name they suggest (issue 21)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from careerdesk.ui import dialogs
from careerdesk.ui.export_actions import suggested_file_name
from careerdesk.ui.main_window import MainWindow
from careerdesk.ui.people_dialogs import PreferencesDialog
from tests.gui.conftest import WindowFactory, accept_dialogs

pytestmark = pytest.mark.gui


def _suggestion(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> str:
    """Export the shared plan of the person shown and return the name the save dialog offers
    (then cancel it)."""
    suggested: list[Path] = []

    def save_file(_parent: object, _title: str, start: Path, _filter: str) -> None:
        suggested.append(start)

    monkeypatch.setattr(dialogs, "save_file", save_file)
    window.export_actions.actions["prep"].trigger()
    assert len(suggested) == 1
    return suggested[0].name


def test_preferences_make_the_suggested_export_name_neutral(
        qtbot: QtBot, make_window: WindowFactory, journal_path: Path,
        no_dialogs: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(journal_path)
    assert window.services is not None
    assert window.current_person_id is not None
    name = window.services.people.get(window.current_person_id).name
    accept_dialogs(monkeypatch)
    assert name in _suggestion(window, monkeypatch)  # by default, as before

    def tick(dialog: QDialog) -> None:
        if isinstance(dialog, PreferencesDialog):
            assert not dialog.neutral_names_box.isChecked()
            dialog.neutral_names_box.setChecked(True)

    accept_dialogs(monkeypatch, tick)
    window.preferences_action.trigger()
    assert window.services.settings.neutral_export_names  # kept in the journal

    neutral = _suggestion(window, monkeypatch)
    assert name not in neutral
    assert re.fullmatch(r"[A-Z][a-z ]+ \d{4}-\d{2}-\d{2}\.pdf", neutral), neutral
    assert no_dialogs == []


def test_suggested_names() -> None:
    day = dt.date(2026, 12, 6)
    assert suggested_file_name("Career plan", "Ольга Иванова", today=day) == \
        "Career plan - Ольга Иванова - 2026-12-06.pdf"
    assert suggested_file_name("Career plan", "Ольга Иванова", neutral=True, today=day) == \
        "Career plan 2026-12-06.pdf"
