"""Preferences: the organisation name and logo shown on shared plans (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from careerdesk.ui import dialogs
from careerdesk.ui.people_dialogs import PreferencesDialog

from .conftest import WindowFactory


def _png(path: Path, width: int = 120, height: int = 40) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#2f5d8a"))
    assert image.save(str(path), "PNG")
    return path


def test_organisation_name_and_logo_are_kept_in_the_journal(
        qtbot: QtBot, make_window: WindowFactory, journal_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, no_dialogs: list[tuple[str, str]]) -> None:
    window = make_window(journal_path)
    logo = _png(tmp_path / "logo.png")
    monkeypatch.setattr(dialogs, "open_image_file", lambda *_a, **_k: logo)

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, PreferencesDialog)
        assert dialog.logo_label.text() == "No logo"
        assert not dialog.remove_logo_button.isEnabled()
        dialog.organisation_edit.setText("  Northwind   Traders ")
        dialog.logo_button.click()
        assert not dialog.logo_label.pixmap().isNull()
        return True

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.preferences_action.trigger()
    assert window.services is not None
    settings = window.services.settings
    assert settings.organisation_name == "Northwind Traders"
    assert settings.organisation_logo == logo.read_bytes()
    assert no_dialogs == []

    def remove(dialog: QDialog) -> bool:
        assert isinstance(dialog, PreferencesDialog)
        assert dialog.organisation_edit.text() == "Northwind Traders"
        assert dialog.remove_logo_button.isEnabled()
        dialog.remove_logo_button.click()
        return True

    monkeypatch.setattr(dialogs, "run_dialog", remove)
    window.preferences_action.trigger()
    assert settings.organisation_logo is None


def test_a_file_that_is_not_a_logo_is_refused(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        no_dialogs: list[tuple[str, str]]) -> None:
    dialog = PreferencesDialog(mode=None, owner_name="Alex")
    qtbot.addWidget(dialog)
    kept = _png(tmp_path / "kept.png").read_bytes()
    dialog._set_logo(kept)
    chosen = tmp_path / "notes.png"
    chosen.write_text("not an image at all")
    monkeypatch.setattr(dialogs, "open_image_file", lambda *_a, **_k: chosen)
    dialog.logo_button.click()
    assert no_dialogs == [("Logo", "The logo must be a PNG or JPEG image.")]
    assert dialog.logo == kept
    huge = _png(tmp_path / "huge.png", 5000, 20)
    monkeypatch.setattr(dialogs, "open_image_file", lambda *_a, **_k: huge)
    dialog.logo_button.click()
    assert "5000 × 20 pixels" in no_dialogs[-1][1]
    assert dialog.logo == kept
