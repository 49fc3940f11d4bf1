"""The export actions of the window: File ▸ Export and the buttons on the Summary stage.

Each action builds the document data through the services (on the UI thread), shows the
preview of what will be shared and what is left out, asks where to save, then renders in a
worker thread behind a progress dialog with Cancel. The export modules (and reportlab) are
imported only when the user exports.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from careerdesk.errors import CareerDeskError

if TYPE_CHECKING:
    from careerdesk.export.data import AnyDoc
    from careerdesk.ui.export_dialog import ExportJob
    from careerdesk.ui.main_window import MainWindow
    from careerdesk.ui.wizard.pages import SummaryPage

Kind = Literal["plan", "prep", "record", "book"]


class ExportActions(QObject):
    """Owns the four export actions of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._jobs: list[ExportJob] = []
        self.actions: dict[Kind, QAction] = {}
        labels: dict[Kind, str] = {
            "plan": self.tr("Shared &plan (PDF)…"),
            "prep": self.tr("P&rep sheet for the next conversation (PDF)…"),
            "record": self.tr("Conversation &record (PDF)…"),
            "book": self.tr("&Book of this person (PDF)…"),
        }
        for kind, label in labels.items():
            action = QAction(label, window)
            action.triggered.connect(lambda _checked=False, k=kind: self.export(k))
            window.export_menu.addAction(action)
            self.actions[kind] = action
        window.export_menu.menuAction().setVisible(True)
        self.update_enabled()

    def attach_summary(self, page: SummaryPage) -> None:
        """The Summary stage offers the shared plan and the record of its conversation."""
        for kind in ("plan", "record"):
            page.add_export_action(self.actions[kind])

    def update_enabled(self) -> None:
        has_person = self.window.services is not None and self.window.current_person_id
        for action in self.actions.values():
            action.setEnabled(bool(has_person))
        me = self._person_is_me()
        self.actions["book"].setText(self.tr("My career &journal (PDF)…") if me
                                     else self.tr("&Book of this person (PDF)…"))

    def _person_is_me(self) -> bool:
        services, person_id = self.window.services, self.window.current_person_id
        if services is None or person_id is None:
            return False
        try:
            return services.people.get(person_id).is_me
        except CareerDeskError:
            return False

    def _conversation_shown(self) -> str | None:
        """The conversation open in the wizard, if it belongs to the selected person."""
        wizard = self.window.wizard
        if wizard is None or wizard.conversation_id is None:
            return None
        if wizard.person_id != self.window.current_person_id:
            return None
        return wizard.conversation_id

    @Slot()
    def export(self, kind: Kind) -> None:
        from careerdesk.ui.export_dialog import ExportPreviewDialog, run_export_with_progress

        window, services, person_id = self.window, self.window.services, \
            self.window.current_person_id
        if services is None or person_id is None:
            return
        from careerdesk.ui import dialogs  # message boxes: only when exporting

        window.autosave.flush()  # export what is on screen, typing included
        conversation = self._conversation_shown() if kind in ("plan", "record") else None
        title = self.tr("Export")

        def build(include_private: bool = False, date_from: dt.date | None = None,
                  date_to: dt.date | None = None) -> AnyDoc:
            return services.exports.build(kind, person_id, conversation=conversation,
                                          include_private=include_private,
                                          date_from=date_from, date_to=date_to)

        try:
            doc = build()
            person = services.people.get(person_id)
        except CareerDeskError as exc:
            dialogs.warn(window, title, exc.user_message)
            return
        preview = ExportPreviewDialog(doc, window, rebuild=build if kind in ("record", "book")
                                      else None, date_range=kind == "book")
        if not dialogs.run_dialog(preview):
            return
        start = Path.home() / suggested_file_name(
            doc.meta.kind, person.name, neutral=services.settings.neutral_export_names)
        target = dialogs.save_file(window, self.tr("Save the PDF as"), start,
                                   self.tr("PDF files (*.pdf)"))
        if target is None:
            return
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        job = run_export_with_progress(preview.doc, target, window, paper=preview.paper)
        self._jobs.append(job)

        def done(path: str) -> None:
            self._forget(job)
            dialogs.file_saved(window, title, self.tr("The PDF was saved."), Path(path))

        def failed(message: str) -> None:
            self._forget(job)
            dialogs.warn(window, title, message)

        job.export_finished.connect(done)
        job.export_failed.connect(failed)
        job.export_cancelled.connect(lambda: self._forget(job))

    def _forget(self, job: ExportJob) -> None:
        if job in self._jobs:
            self._jobs.remove(job)

    def cancel_all(self) -> None:
        """Stops running exports (when the window closes); they leave no file."""
        for job in list(self._jobs):
            job.cancel()
            job.wait()


def suggested_file_name(kind: str, person: str, *, neutral: bool = False,
                        today: dt.date | None = None) -> str:
    """A file name suggestion: "Career plan - Ольга Иванова - 2026-11-25.pdf", or with
    ``neutral`` (a Preferences setting) "Career plan 2026-11-25.pdf", which tells someone who
    sees the file name nothing about whom it is."""
    when = (today or dt.date.today()).isoformat()
    if neutral:
        return f"{kind} {when}.pdf"
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", person).strip() or "person"
    return f"{kind} - {safe} - {when}.pdf"
