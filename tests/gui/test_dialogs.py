"""ui/dialogs.py: the file dialog for exports (issue 21)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from careerdesk.ui import dialogs

pytestmark = pytest.mark.gui


@pytest.fixture
def qt_state(qapp: QApplication, tmp_path: Path) -> Iterator[Path]:
    """Qt's user-scope settings in tmp_path (never the real home), as the window sets them."""
    config = tmp_path / "config"
    default = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.GenericConfigLocation)
    dialogs.keep_dialog_state_in(config)
    try:
        yield config
    finally:
        dialogs.keep_dialog_state_in(Path(default))


def test_exports_are_saved_through_qts_own_dialog(tmp_path: Path, qt_state: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Not the native (GTK) dialog, which adds each file saved to the desktop's recently-used
    list; and the name offered is the suggestion."""
    seen: list[QFileDialog] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, QFileDialog)
        seen.append(dialog)
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
        assert Path(dialog.selectedFiles()[0]) == tmp_path / "Career plan 2026-12-06.pdf"
        return True

    monkeypatch.setattr(dialogs, "run_dialog", run)
    chosen = dialogs.save_file(None, "Save the PDF as", tmp_path / "Career plan 2026-12-06.pdf",
                               "PDF files (*.pdf)")
    assert chosen == tmp_path / "Career plan 2026-12-06.pdf"
    assert seen

    monkeypatch.setattr(dialogs, "run_dialog", lambda _dialog: False)
    assert dialogs.save_file(None, "Save", tmp_path / "x.pdf", "PDF files (*.pdf)") is None


def test_the_file_dialog_remembers_folders_in_careerdesks_own_config(
        tmp_path: Path, qt_state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt's dialog writes the folders visited to QtProject.conf: in CareerDesk's own (owner-
    only) config folder, not the user's shared one."""
    def run(dialog: QDialog) -> bool:
        QTimer.singleShot(0, dialog.accept)
        return dialog.exec() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", run)
    exports = tmp_path / "ExportsAboutBea"
    exports.mkdir()
    assert dialogs.save_file(None, "Save", exports / "x.pdf", "PDF files (*.pdf)") \
        == exports / "x.pdf"
    assert "ExportsAboutBea" in (qt_state / "QtProject.conf").read_text("utf-8")
