"""File ▸ Send Plan…, Send Pre-read…, Send Progress…, Export Calendar…, Import…, Export
Journal as JSON…, Load JSON…, Export Template…: the files that pass between two CareerDesks.

The work is done by the core (``services/exchange.py``, ``services/importing.py``,
``services/pre_read.py``, ``services/interchange.py``); this module only asks where, shows what
will change, and reports. Import always previews first (a dry run), and applies only when the
user says so. Every dialog goes through :mod:`careerdesk.ui.dialogs`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from careerdesk.errors import CareerDeskError

if TYPE_CHECKING:
    from careerdesk.services import Services
    from careerdesk.ui.main_window import MainWindow

PLAN_FILTER = "CareerDesk plan files (*.careerplan)"
IMPORT_FILTER = ("Files CareerDesk imports (*.careerplan *.pdf *.csv *.json *.toml);;"
                 "All files (*)")


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip() or "person"


class ExchangeActions(QObject):
    """The exchange actions of one main window, added to its File menu."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        menu = window.file_menu
        self.actions: dict[str, QAction] = {}
        entries: list[tuple[str, str, Callable[[], None]] | None] = [
            ("send_plan", self.tr("Send &Plan…"), self.send_plan),
            ("send_pre_read", self.tr("Send Pre-&read (fillable PDF)…"), self.send_pre_read),
            ("send_progress", self.tr("Send Pro&gress…"), self.send_progress),
            ("export_calendar", self.tr("Export &Calendar…"), self.export_calendar),
            ("import", self.tr("&Import…"), self.import_file),
            None,
            ("export_json", self.tr("Export Journal as &JSON…"), self.export_json),
            ("load_json", self.tr("&Load JSON…"), self.load_json),
            ("export_template", self.tr("Export &Template…"), self.export_template),
        ]
        for entry in entries:
            if entry is None:
                menu.addSeparator()
                continue
            key, label, slot = entry
            action = QAction(label, window)
            action.setObjectName(f"exchange_{key}")
            action.triggered.connect(lambda _checked=False, run=slot: run())
            menu.addAction(action)
            self.actions[key] = action
        self.actions["import"].setShortcut("Ctrl+I")

    # -- helpers ------------------------------------------------------------------------------

    def _services(self) -> Services | None:
        services = self.window.services
        if services is not None:
            self.window.autosave.flush()  # what is on screen, typing included
        return services

    def _person(self, title: str) -> str | None:
        person_id = self.window.current_person_id
        if person_id is None:
            from careerdesk.ui import dialogs

            dialogs.inform(self.window, title, self.tr("Select a person first."))
        return person_id

    def _fail(self, title: str, exc: CareerDeskError) -> None:
        from careerdesk.ui import dialogs

        dialogs.warn(self.window, title, exc.user_message)

    def _saved(self, title: str, path: Path) -> None:
        from careerdesk.ui import dialogs

        dialogs.inform(self.window, title, self.tr("The file was saved."), detail=str(path))

    def _ask_target(self, title: str, name: str, file_filter: str, *suffixes: str) -> (
            Path | None):
        """Where to save; the first of ``suffixes`` is added when the name has none of them."""
        from careerdesk.ui import dialogs

        target = dialogs.save_file(self.window, title, Path.home() / name, file_filter)
        if target is not None and target.suffix.lower() not in suffixes:
            target = target.with_name(target.name + suffixes[0])
        return target

    def _save(self, title: str, name: str, file_filter: str, *suffixes: str,
              write: Callable[[Path], object]) -> None:
        """Ask where to save (see :meth:`_ask_target`), ``write(target)``, then say it was
        saved; a refusal is shown in the one dialog."""
        target = self._ask_target(title, name, file_filter, *suffixes)
        if target is None:
            return
        try:
            write(target)
        except CareerDeskError as exc:
            self._fail(title, exc)
            return
        self._saved(title, target)

    # -- sending ------------------------------------------------------------------------------

    def send_plan(self) -> None:
        from careerdesk.services.exchange import ExchangeService, write_document
        from careerdesk.ui import dialogs

        title = self.tr("Send Plan")
        services = self._services()
        person_id = self._person(title) if services is not None else None
        if services is None or person_id is None:
            return
        try:
            person = services.people.get(person_id)
            document, left_out = ExchangeService(services).plan_document(person_id)
        except CareerDeskError as exc:
            self._fail(title, exc)
            return
        steps = len(document["steps"])
        detail = "\n".join([self.tr("{0} next steps and {1} match items are shared.").format(
            steps, len(document["match"]))] + [self.tr("Left out: {0}").format(line)
                                                for line in left_out])
        if not dialogs.confirm(self.window, title, self.tr(
                "Save the agreed plan of {0} as a plan file for their CareerDesk?").format(
                person.name), detail=detail, action=self.tr("Save…")):
            return
        self._save(title, f"Plan - {_safe(person.name)}.careerplan", PLAN_FILTER, ".careerplan",
                   write=lambda target: write_document(document, target))

    def send_pre_read(self) -> None:
        from careerdesk.content import Audience
        from careerdesk.services.pre_read import build_pre_read
        from careerdesk.ui import dialogs

        title = self.tr("Send Pre-read")
        services = self._services()
        person_id = self._person(title) if services is not None else None
        if services is None or person_id is None:
            return
        choice = dialogs.choose(
            self.window, title, self.tr("Who is the pre-read for?"),
            [("employee", self.tr("The employee, to fill in")),
             ("supervisor", self.tr("Me, to prepare"))],
            icon=QMessageBox.Icon.Question)
        if choice is None:
            return
        try:
            person = services.people.get(person_id)
            doc = build_pre_read(services, person_id, audience=Audience(choice))
        except CareerDeskError as exc:
            self._fail(title, exc)
            return
        from careerdesk.export.prep_form import render_pre_read

        self._save(title, f"Prep sheet - {_safe(person.name)}.pdf", self.tr("PDF files (*.pdf)"),
                   ".pdf", write=lambda target: render_pre_read(doc, target))

    def send_progress(self) -> None:
        from careerdesk.services.exchange import ExchangeService, write_document

        title = self.tr("Send Progress")
        services = self._services()
        if services is None:
            return
        from careerdesk.ui import dialogs
        from careerdesk.ui.progress_dialog import ProgressCommentsDialog

        exchange = ExchangeService(services)
        try:
            steps = exchange.progress_steps()
            exchange.progress_document()  # says so when no plan was imported yet
        except CareerDeskError as exc:
            self._fail(title, exc)
            return
        dialog = ProgressCommentsDialog(steps, self.window)
        if not dialogs.run_dialog(dialog):
            return
        try:
            for step_id, comment in dialog.changed_comments().items():
                exchange.set_step_comment(step_id, comment)
            document = exchange.progress_document()
        except CareerDeskError as exc:
            self._fail(title, exc)
            return
        self._save(title, f"Progress - {dt.date.today().isoformat()}.careerplan", PLAN_FILTER,
                   ".careerplan", write=lambda target: write_document(document, target))

    def export_calendar(self) -> None:
        from careerdesk.export.calendar import CalendarPerson, build_calendar
        from careerdesk.services.exchange import write_file

        title = self.tr("Export Calendar")
        services = self._services()
        if services is None:
            return
        person_id = self.window.current_person_id
        try:
            people = ([services.people.get(person_id)] if person_id
                      else services.people.list())
            due = {s.person.id: s.person.next_conversation or s.next_due
                   for s in services.people.summaries()}
            data = build_calendar([CalendarPerson(p, services.plan.actions_for(
                p.id, open_only=True), due.get(p.id)) for p in people])
        except CareerDeskError as exc:
            self._fail(title, exc)
            return
        name = (f"CareerDesk - {_safe(people[0].name)}.ics" if person_id and people
                else "CareerDesk.ics")
        self._save(title, name, self.tr("Calendar files (*.ics)"), ".ics",
                   write=lambda target: write_file(target, data))

    # -- importing ----------------------------------------------------------------------------

    def import_file(self, path: Path | None = None) -> None:
        """Preview what ``path`` (asked for when None) would change, then apply it if the user
        agrees."""
        from careerdesk.services.importing import apply, read_incoming
        from careerdesk.ui import dialogs

        title = self.tr("Import")
        services = self._services()
        if services is None:
            return
        if path is None:
            path = dialogs.open_file(self.window, title, Path.home(), IMPORT_FILTER)
            if path is None:
                return
        try:
            incoming = read_incoming(path)
            person = self._plan_person(services) if incoming.kind == "plan" else None
            preview = apply(services, incoming, person=person, dry_run=True)
        except CareerDeskError as exc:
            self._fail(title, exc)
            return
        if not preview.changed_anything:
            dialogs.inform(self.window, title, preview.lines()[0],
                           detail="\n".join(preview.lines()[1:]))
            return
        if not dialogs.confirm(self.window, title, preview.lines()[0],
                               detail="\n".join(preview.lines()[1:]),
                               action=self.tr("Import")):
            return
        try:
            report = apply(services, incoming, person=person)
        except CareerDeskError as exc:
            self._fail(title, exc)
            return
        self._refresh()
        dialogs.inform(self.window, title, report.lines()[0],
                       detail="\n".join(report.lines()[1:]))

    def _plan_person(self, services: Services) -> str | None:
        """A plan goes to "me"; in a journal without one, to the person selected."""
        if services.people.me() is not None or not services.people.list(include_archived=True):
            return None
        return self.window.current_person_id

    def _refresh(self) -> None:
        self.window.refresh_people()
        if self.window.current_person_id is not None:
            self.window.open_person(self.window.current_person_id)

    # -- open formats -------------------------------------------------------------------------

    def export_json(self) -> None:
        from careerdesk.services.interchange import dump_journal, save_json

        title = self.tr("Export Journal as JSON")
        services = self._services()
        if services is None:
            return
        self._save(title, f"CareerDesk journal - {dt.date.today().isoformat()}.json",
                   self.tr("JSON files (*.json)"), ".json",
                   write=lambda target: save_json(dump_journal(services), target))

    def load_json(self) -> None:
        from careerdesk.services.interchange import load_into, read_json_file
        from careerdesk.ui import dialogs

        title = self.tr("Load JSON")
        services = self._services()
        if services is None:
            return
        path = dialogs.open_file(self.window, title, Path.home(),
                                 self.tr("JSON files (*.json);;All files (*)"))
        if path is None:
            return
        try:
            document = read_json_file(path)
            count = load_into(services, document)
        except CareerDeskError as exc:
            self._fail(title, exc)
            return
        self._refresh()
        dialogs.inform(self.window, title,
                       self.tr("{0} records were loaded into this journal.").format(count))

    def export_template(self) -> None:
        from careerdesk.services.exchange import export_template_file
        from careerdesk.ui import dialogs

        title = self.tr("Export Template")
        services = self._services()
        if services is None:
            return
        templates = services.prompts.templates()
        choices = [self.tr("My default question list"), *(t.name for t in templates)]
        index = 0 if not templates else dialogs.pick_item(
            self.window, title, self.tr("Which question list?"), choices)
        if index is None:
            return
        chosen = templates[index - 1] if index else None
        name = chosen.name if chosen else "Question list"
        template_id = chosen.id if chosen else None
        self._save(title, f"{_safe(name)}.json", self.tr("Template files (*.json *.toml)"),
                   ".json", ".toml",
                   write=lambda target: export_template_file(services, template_id, target))
