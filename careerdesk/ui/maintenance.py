"""Looking after the open journal: the background integrity check and daily backup, and the
File menu's "Back up now" and "Restore a backup…"."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from careerdesk.errors import CareerDeskError
from careerdesk.paths import AppPaths
from careerdesk.ui import dialogs

if TYPE_CHECKING:
    from careerdesk.services import Services
    from careerdesk.storage.backup import CareReport
    from careerdesk.ui.main_window import MainWindow


class JournalCare(QObject):
    """Runs ``routine_care`` off the UI thread after a journal is opened."""

    finished = Signal(object)  # CareReport

    def __init__(self, window: MainWindow, paths: AppPaths) -> None:
        super().__init__(window)
        self.window = window
        self.paths = paths
        self._thread: threading.Thread | None = None
        self.finished.connect(self._report)
        window.before_close_journal.append(self.wait)
        self.back_up_action = QAction(self.tr("&Back up now"), window)
        self.back_up_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction(self.tr("&Restore a backup…"), window)
        self.restore_action.triggered.connect(self.restore)
        menu = window.file_menu
        menu.insertAction(window.quit_action, self.back_up_action)
        menu.insertAction(window.quit_action, self.restore_action)
        menu.insertSeparator(window.quit_action)
        window.follow_journal(self.start)

    def _folder(self, path: Path) -> Path:
        from careerdesk.storage.backup import backup_folder_for

        return backup_folder_for(path, self.paths.backup_dir)

    def start(self, services: Services) -> None:
        from careerdesk.storage.backup import routine_care

        journal = services.journal
        folder = self._folder(journal.path)

        def run() -> None:
            try:
                report = routine_care(journal.engine, journal.path, folder, key=journal.key)
            except Exception as exc:  # logged without its message, never a thread's death
                from careerdesk.logs import log_unexpected

                log_unexpected(exc, where="routine journal care")
                return
            self.finished.emit(report)

        self._thread = threading.Thread(target=run, name="journal-care", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Let a running check finish before the journal's engine is closed."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _report(self, report: CareReport) -> None:
        if report.problems:
            dialogs.warn(
                self.window, self.tr("The journal may be damaged"),
                self.tr("SQLite's integrity check found a problem in this journal: {0}").format(
                    report.problems[0]),
                detail=self.tr("Your backups were left as they are. Use File ▸ Restore a "
                               "backup… to go back to one, or keep working and export what "
                               "you need."),
            )
        elif report.backup_error:
            self.window.statusBar().showMessage(
                self.tr("Automatic backup failed: {0}").format(report.backup_error), 10_000)
        elif report.backup is not None:
            self.window.statusBar().showMessage(self.tr("Automatic backup taken"), 5_000)

    def back_up_now(self) -> None:
        from careerdesk.storage.backup import backup_engine

        services = self.window.services
        if services is None:
            return
        self.window.autosave.flush()
        journal = services.journal
        try:
            target = backup_engine(journal.engine, self._folder(journal.path),
                                   stem=journal.path.stem, reason="manual", key=journal.key)
        except CareerDeskError as exc:
            dialogs.warn(self.window, self.tr("Back up now"), exc.user_message, detail=exc.hint)
            return
        self.window.statusBar().showMessage(self.tr("Backup written to {0}").format(target),
                                            10_000)

    def restore(self) -> None:
        from careerdesk.storage.backup import backup_engine, list_backups, restore_backup

        services = self.window.services
        if services is None or self.window.on_journal_open is None:
            return
        journal = services.journal
        path, key = journal.path, journal.key
        found = list_backups(self._folder(path))
        if not found:
            dialogs.inform(self.window, self.tr("Restore a backup"),
                           self.tr("There are no backups of this journal yet."))
            return
        labels = [f"{b.taken_at.astimezone().strftime('%Y-%m-%d %H:%M')} ({b.reason})"
                  for b in found]
        picked = dialogs.pick_item(self.window, self.tr("Restore a backup"),
                                   self.tr("Replace the journal with the backup taken on:"),
                                   labels)
        if picked is None:
            return
        if not self.window.autosave.flush():
            dialogs.warn(self.window, self.tr("Restore a backup"), self.tr(
                "The last changes could not be saved yet, so nothing was restored."))
            return
        from careerdesk.storage.crypto import is_encrypted_journal

        chosen = found[picked].path
        # Closing wipes the journal's key: keep a copy for an encrypted backup (one taken since
        # the passphrase was set has the same data key; an older one fails its check, safely).
        backup_key = bytearray(key) if key is not None and is_encrypted_journal(chosen) else None
        try:
            backup_engine(journal.engine, self._folder(path), stem=path.stem,
                          reason="before-restore", key=key)
            self.window.close_journal()
            restore_backup(chosen, path, key=backup_key)
        except CareerDeskError as exc:
            dialogs.warn(self.window, self.tr("Restore a backup"), exc.user_message,
                         detail=exc.hint)
        self.window.on_journal_open(path)
