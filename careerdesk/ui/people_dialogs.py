"""Small forms: the first-start questions, preferences, and adding or editing a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from careerdesk.domain.model import Person, UsageMode
from careerdesk.ui.common.date_field import DateField

USAGE_LABELS: dict[UsageMode, tuple[str, str]] = {
    UsageMode.OWN: ("My own career", "A private journal about my career and my conversations "
                    "with my manager."),
    UsageMode.OTHERS: ("Conversations with others", "I hold career conversations with the "
                       "people I support."),
    UsageMode.BOTH: ("Both", "My own journal, and conversations with the people I support."),
}


class UsageForm(QWidget):
    """How the journal is used, and the owner's name (first start and preferences)."""

    def __init__(self, *, mode: UsageMode | None, owner_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        box = QGroupBox(self.tr("How will you use CareerDesk?"), self)
        box_layout = QVBoxLayout(box)
        self.group = QButtonGroup(self)
        self.buttons: dict[UsageMode, QRadioButton] = {}
        for usage, (title, text) in USAGE_LABELS.items():
            button = QRadioButton(title, box)
            button.setAccessibleName(title)
            button.setAccessibleDescription(text)
            button.setToolTip(text)
            self.group.addButton(button)
            self.buttons[usage] = button
            box_layout.addWidget(button)
            note = QLabel(text, box)
            note.setWordWrap(True)
            note.setContentsMargins(button.fontMetrics().horizontalAdvance("M") * 2, 0, 0, 0)
            box_layout.addWidget(note)
        self.buttons[mode or UsageMode.BOTH].setChecked(True)
        layout.addWidget(box)
        form = QFormLayout()
        self.name_edit = QLineEdit(owner_name, self)
        self.name_edit.setAccessibleName(self.tr("Your name"))
        self.name_edit.setPlaceholderText(self.tr("How CareerDesk should call you"))
        form.addRow(self.tr("Your &name:"), self.name_edit)
        layout.addLayout(form)

    @property
    def mode(self) -> UsageMode:
        for usage, button in self.buttons.items():
            if button.isChecked():
                return usage
        return UsageMode.BOTH

    @property
    def owner_name(self) -> str:
        return self.name_edit.text().strip()


class FirstStartDialog(QDialog):
    """Asked once, when a journal has no usage mode yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to CareerDesk"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Everything you write stays in one file on this computer. Nothing is sent anywhere."
        ), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = UsageForm(mode=None, owner_name="", parent=self)
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.form.name_edit.setFocus()


class PreferencesDialog(QDialog):
    """Usage and name (the layout of the window follows the usage), the organisation shown on
    shared plans (name and logo), and the passphrase."""

    def __init__(self, *, mode: UsageMode | None, owner_name: str,
                 parent: QWidget | None = None,
                 security_actions: Sequence[QAction] = (),
                 neutral_export_names: bool = False,
                 organisation_name: str = "",
                 organisation_logo: bytes | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        layout = QVBoxLayout(self)
        self.form = UsageForm(mode=mode, owner_name=owner_name, parent=self)
        layout.addWidget(self.form)
        self.neutral_names_box = QCheckBox(
            self.tr("Suggest &neutral file names for exports (\"Career plan 2026-12-06.pdf\")"),
            self)
        self.neutral_names_box.setToolTip(self.tr(
            "A file name can be read by anyone with the disk, even when the journal is "
            "encrypted. With this ticked, the suggested name of an export leaves out the "
            "person's name."))
        self.neutral_names_box.setAccessibleName(self.tr("Neutral file names for exports"))
        self.neutral_names_box.setChecked(neutral_export_names)
        layout.addWidget(self.neutral_names_box)
        #: The logo as chosen in this dialog (None: no logo); saved only when accepted.
        self.logo = organisation_logo
        shared = QGroupBox(self.tr("On shared plans"), self)
        shared_form = QFormLayout(shared)
        self.organisation_edit = QLineEdit(organisation_name, shared)
        self.organisation_edit.setAccessibleName(self.tr("Organisation name"))
        self.organisation_edit.setPlaceholderText(self.tr("Shown in the header of a shared plan"))
        shared_form.addRow(self.tr("&Organisation:"), self.organisation_edit)
        logo_row = QHBoxLayout()
        self.logo_label = QLabel(shared)
        self.logo_label.setAccessibleName(self.tr("Organisation logo"))
        self.logo_button = QPushButton(self.tr("Choose &logo…"), shared)
        self.logo_button.setAccessibleName(self.tr("Choose the organisation logo"))
        self.logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button = QPushButton(self.tr("Remove logo"), shared)
        self.remove_logo_button.setAccessibleName(self.tr("Remove the organisation logo"))
        self.remove_logo_button.clicked.connect(lambda: self._set_logo(None))
        logo_row.addWidget(self.logo_label, 1)
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.remove_logo_button)
        shared_form.addRow(self.tr("Logo:"), logo_row)
        layout.addWidget(shared)
        self._set_logo(organisation_logo)
        self.security_buttons: list[QPushButton] = []
        if security_actions:
            # The passphrase lives in File ▸ Passphrase too; here it is beside the other settings.
            group = QGroupBox(self.tr("Passphrase and lock"), self)
            row = QHBoxLayout(group)
            for action in security_actions:
                button = QPushButton(action.text().replace("&", "").replace("…", "") + "…", group)
                button.setAccessibleName(action.text().replace("&", "").replace("…", ""))
                button.clicked.connect(action.trigger)

                def follow(button: QPushButton = button, action: QAction = action) -> None:
                    button.setVisible(action.isVisible())
                    button.setEnabled(action.isEnabled())

                action.changed.connect(follow)
                follow()
                row.addWidget(button)
                self.security_buttons.append(button)
            layout.addWidget(group)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


    @property
    def organisation_name(self) -> str:
        return " ".join(self.organisation_edit.text().split())

    def _set_logo(self, data: bytes | None) -> None:
        self.logo = data
        pixmap = QPixmap()
        if data is not None and pixmap.loadFromData(data):
            self.logo_label.setPixmap(pixmap.scaled(
                160, 40, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_label.setPixmap(QPixmap())
            self.logo_label.setText(self.tr("No logo"))
        self.remove_logo_button.setEnabled(data is not None)

    def choose_logo(self) -> None:
        """A PNG or JPEG file, checked (size, kind, dimensions) before it is taken."""
        from careerdesk.domain.logo import MAX_BYTES, logo_size
        from careerdesk.errors import CareerDeskError
        from careerdesk.ui import dialogs

        path = dialogs.open_image_file(self, self.tr("Choose the organisation logo"))
        if path is None:
            return
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CareerDeskError(self.tr(
                    "The logo file is too large (at most {} KB).").format(MAX_BYTES // 1024))
            data = path.read_bytes()
            logo_size(data)
        except OSError:
            dialogs.warn(self, self.tr("Logo"), self.tr("The file could not be read."))
            return
        except CareerDeskError as exc:
            dialogs.warn(self, self.tr("Logo"), exc.user_message)
            return
        self._set_logo(data)


class PersonDialog(QDialog):
    """Add or edit a person of the roster."""

    def __init__(self, person: Person | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit person") if person else self.tr("Add a person"))
        form = QFormLayout(self)
        self.name_edit = QLineEdit(person.name if person else "", self)
        self.name_edit.setAccessibleName(self.tr("Name"))
        form.addRow(self.tr("&Name:"), self.name_edit)
        self.role_edit = QLineEdit(person.role if person else "", self)
        self.role_edit.setAccessibleName(self.tr("Role"))
        form.addRow(self.tr("&Role:"), self.role_edit)
        self.team_edit = QLineEdit(person.team if person else "", self)
        self.team_edit.setAccessibleName(self.tr("Team"))
        form.addRow(self.tr("&Team:"), self.team_edit)
        self.cadence_spin = QSpinBox(self)
        self.cadence_spin.setRange(1, 3650)
        self.cadence_spin.setSuffix(self.tr(" days"))
        self.cadence_spin.setValue(person.cadence_days if person else 90)
        self.cadence_spin.setAccessibleName(self.tr("Talk every (days)"))
        form.addRow(self.tr("Talk &every:"), self.cadence_spin)
        self.next_check = QCheckBox(self.tr("Next conversation &planned on:"), self)
        self.next_check.setAccessibleName(self.tr("Next conversation planned"))
        self.next_date = DateField(self, accessible_name=self.tr("Next conversation date"))
        planned = person.next_conversation if person else None
        self.next_check.setChecked(planned is not None)
        self.next_date.set_date(planned or dt.date.today() + dt.timedelta(days=14))
        self.next_date.setEnabled(planned is not None)
        self.next_check.toggled.connect(self.next_date.setEnabled)
        form.addRow(self.next_check, self.next_date)
        self.date_error = QLabel(self)  # why a typed date was refused
        self.date_error.setWordWrap(True)
        self.date_error.setTextFormat(Qt.TextFormat.PlainText)
        self.date_error.hide()
        self.next_date.refused.connect(self._date_refused)
        self.next_date.date_changed.connect(lambda _day: self.date_error.hide())
        form.addRow(self.date_error)  # the whole width: the message is a sentence
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept_if_named)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _date_refused(self, message: str) -> None:
        self.date_error.setText(message)
        self.date_error.show()
        self.adjustSize()  # room for the message, nothing cut off

    def _accept_if_named(self) -> None:
        if not self.name_edit.text().strip():
            self.name_edit.setFocus()
        elif self.next_check.isChecked() and not self.next_date.commit():
            self.next_date.setFocus()  # refused, with its message: the old date is kept
        else:
            self.accept()

    def values(self) -> dict[str, object]:
        planned: dt.date | None = None
        if self.next_check.isChecked():
            planned = self.next_date.date()
        return {
            "name": self.name_edit.text().strip(),
            "role": self.role_edit.text().strip(),
            "team": self.team_edit.text().strip(),
            "cadence_days": self.cadence_spin.value(),
            "next_conversation": planned,
        }
