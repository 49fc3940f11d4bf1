"""The About dialog: version, licence, the fonts' licences and where the journal file lives."""

from __future__ import annotations

import platform
import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from careerdesk import APP_NAME, __version__
from careerdesk.assets import resource_path
from careerdesk.ui.icons import app_icon

LICENCE_ID = "GPL-3.0-or-later"
LICENCE_NOTICE = (
    "CareerDesk is free software: you can redistribute it and/or modify it under the terms of "
    "the GNU General Public License as published by the Free Software Foundation, either "
    "version 3 of the License, or (at your option) any later version.\n\n"
    "CareerDesk is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; "
    "without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. "
    "See the GNU General Public License for more details. The full text is in the LICENSE "
    "file that comes with CareerDesk."
)
_LICENCE_FILE = re.compile(r"(licen[cs]e|copying|ofl)", re.IGNORECASE)


def font_licence_files(fonts_dir: Path | None = None) -> list[Path]:
    """The licence files beside the bundled fonts, by name (empty if there are none)."""
    folder = fonts_dir if fonts_dir is not None else resource_path("fonts")
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and _LICENCE_FILE.search(p.name)),
        key=lambda p: p.name.lower(),
    )


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the desktop's file manager (a local file URL only). Tests patch this."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def open_containing_folder(file: Path) -> bool:
    """Open the folder holding ``file``, or its nearest parent that exists (a new journal's
    folder may not be there yet)."""
    folder = file.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return open_folder(folder)


class AboutDialog(QDialog):
    """Help > About CareerDesk."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        data_file: Path | None = None,
        fonts_dir: Path | None = None,
    ) -> None:
        """``data_file`` is the open journal (None when no journal is open)."""
        super().__init__(parent)
        self.data_file = data_file
        self.setWindowTitle(f"About {APP_NAME}")
        self.setWindowIcon(app_icon())

        icon_label = QLabel()
        icon_label.setPixmap(app_icon().pixmap(96, 96))
        icon_label.setAccessibleName(f"{APP_NAME} icon")
        title = QLabel(f"<h2>{APP_NAME}</h2>")
        title.setTextFormat(Qt.TextFormat.RichText)
        self.version_label = QLabel(f"Version {__version__}")
        self.version_label.setAccessibleName("Version")
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary = QLabel(
            "Private, offline career conversations and a career journal.\n"
            "Nothing you write leaves this computer unless you export it."
        )
        summary.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.version_label)
        heading.addWidget(summary)
        heading.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(icon_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._data_tab(), "&Data")
        self.tabs.addTab(self._licence_tab(), "&Licence")
        self.tabs.addTab(self._fonts_tab(fonts_dir), "&Fonts")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(560, 460)

    def _data_tab(self) -> QWidget:
        page = QWidget()
        intro = QLabel("Your journal is this one file. Back it up or move it like any document.")
        intro.setWordWrap(True)
        self.data_file_label = QLabel(
            str(self.data_file) if self.data_file is not None else "No journal is open."
        )
        self.data_file_label.setAccessibleName("Journal file location")
        self.data_file_label.setWordWrap(True)
        self.data_file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = QPushButton("&Open Data Folder")
        self.open_folder_button.setAccessibleName("Open the folder holding the journal file")
        self.open_folder_button.clicked.connect(self.open_data_folder)
        self.open_folder_button.setEnabled(self.data_file is not None)
        versions = QLabel(
            f"Qt {qVersion()}, Python {platform.python_version()}, {platform.system()}"
        )
        versions.setAccessibleName("Versions of Qt and Python")
        versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.data_file_label)
        row = QHBoxLayout()
        row.addWidget(self.open_folder_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        layout.addWidget(versions)
        return page

    def _licence_tab(self) -> QWidget:
        text = QPlainTextEdit(f"{LICENCE_ID}\n\n{LICENCE_NOTICE}")
        text.setReadOnly(True)
        text.setAccessibleName("CareerDesk licence")
        self.licence_text = text
        return text

    def _fonts_tab(self, fonts_dir: Path | None) -> QWidget:
        files = font_licence_files(fonts_dir)
        if files:
            parts = [
                f"== {path.name} ==\n\n{path.read_text(encoding='utf-8', errors='replace')}"
                for path in files
            ]
            body = "The fonts bundled for exports come with these licences.\n\n" + "\n\n".join(
                parts
            )
        else:
            body = "No bundled fonts: exports use the fonts installed on this computer."
        text = QPlainTextEdit(body)
        text.setReadOnly(True)
        text.setAccessibleName("Licences of the bundled fonts")
        self.fonts_text = text
        return text

    def open_data_folder(self) -> None:
        """Open the folder holding the journal file (or its nearest existing parent)."""
        if self.data_file is not None:
            open_containing_folder(self.data_file)
