"""The About dialog shows what a user asks it for: version, licence, fonts, the journal's place."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from careerdesk import __version__
from careerdesk.ui import about
from careerdesk.ui.about import AboutDialog
from tests.gui.conftest import WindowFactory, accept_dialogs

pytestmark = pytest.mark.gui


def test_shows_version_and_data_file(qtbot: QtBot, tmp_path: Path) -> None:
    journal = tmp_path / "data" / "journal.careerdesk"
    dialog = AboutDialog(data_file=journal)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    assert __version__ in dialog.version_label.text()
    assert dialog.data_file_label.text() == str(journal)
    assert "GPL-3.0-or-later" in dialog.licence_text.toPlainText()
    assert not dialog.windowIcon().isNull()


def test_open_data_folder_opens_the_nearest_existing_folder(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(about, "open_folder", lambda folder: opened.append(folder) or True)
    (tmp_path / "data").mkdir()
    dialog = AboutDialog(data_file=tmp_path / "data" / "journal.careerdesk")
    qtbot.addWidget(dialog)

    dialog.open_folder_button.click()
    assert opened == [tmp_path / "data"]

    missing = AboutDialog(data_file=tmp_path / "not-yet" / "deeper" / "journal.careerdesk")
    qtbot.addWidget(missing)
    missing.open_folder_button.click()
    assert opened[-1] == tmp_path


def test_without_a_journal_says_so(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.data_file_label.text() == "No journal is open."
    assert not dialog.open_folder_button.isEnabled()


def test_lists_every_font_licence_file(qtbot: QtBot, tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "LICENSE-Example-OFL.txt").write_text("SIL Open Font License sentinel-1")
    (fonts / "COPYING.Other").write_text("Other licence sentinel-2")
    (fonts / "Example.ttf").write_bytes(b"\0not a licence sentinel-3")
    dialog = AboutDialog(data_file=tmp_path / "j.careerdesk", fonts_dir=fonts)
    qtbot.addWidget(dialog)

    shown = dialog.fonts_text.toPlainText()
    assert "sentinel-1" in shown
    assert "sentinel-2" in shown
    assert "sentinel-3" not in shown


def test_without_bundled_fonts_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = AboutDialog(data_file=tmp_path / "j.careerdesk", fonts_dir=tmp_path / "none")
    qtbot.addWidget(dialog)
    assert "No bundled fonts" in dialog.fonts_text.toPlainText()


def test_help_menu_shows_about_with_the_open_journal(
    make_window: WindowFactory, journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = accept_dialogs(monkeypatch)
    window = make_window(journal_path)
    assert window.about_action in window.help_menu.actions()

    window.about_action.trigger()
    (dialog,) = shown
    assert isinstance(dialog, AboutDialog)
    assert dialog.data_file_label.text() == str(journal_path)


def test_help_menu_opens_the_data_folder(
    make_window: WindowFactory, journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(about, "open_folder", lambda folder: opened.append(folder) or True)
    window = make_window(journal_path)
    assert window.open_data_folder_action in window.help_menu.actions()

    window.open_data_folder_action.trigger()
    assert opened == [journal_path.parent]


def test_toolbar_actions_have_icons(make_window: WindowFactory, journal_path: Path) -> None:
    window = make_window(journal_path)
    for action in window.toolbar.actions():
        assert not action.icon().isNull(), action.text()
