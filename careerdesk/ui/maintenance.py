"""Looking after the open journal: the background integrity check and daily backup, and the
File menu's "Back up now" and "Restore a backup…".

The file work is :mod:`careerdesk.services.journal_files`, the same procedures the command line
runs (restore verifies the backup, keeps the current state, switches the pair under the lock).
"""

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
    from careerdesk.services.journal_files import CareReport
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

    def start(self, services: Services) -> None:
        from careerdesk.services.journal_files import routine_care

        journal = services.journal
        root = self.paths.backup_dir

        def run() -> None:
            try:
                report = routine_care(journal, backup_root=root)
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
        from careerdesk.services.journal_files import back_up_now

        services = self.window.services
        if services is None:
            return
        self.window.autosave.flush()
        try:
            target = back_up_now(services.journal, backup_root=self.paths.backup_dir)
        except CareerDeskError as exc:
            dialogs.warn(self.window, self.tr("Back up now"), exc.user_message, detail=exc.hint)
            return
        self.window.statusBar().showMessage(self.tr("Backup written to {0}").format(target),
                                            10_000)

    def restore(self) -> None:
        from careerdesk.services import journal_files

        services = self.window.services
        if services is None or self.window.on_journal_open is None:
            return
        journal = services.journal
        path, key, root = journal.path, journal.key, self.paths.backup_dir
        found = journal_files.list_backups_of(path, backup_root=root)
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
        chosen = found[picked].path
        try:
            backup_key = self._backup_key(chosen, key)
        except CareerDeskError as exc:
            dialogs.warn(self.window, self.tr("Restore a backup"), exc.user_message,
                         detail=exc.hint)
            return
        # Closing wipes the journal's key: the restore reopens it with a copy, to take the
        # "before-restore" backup under the lock, exactly as the command line does.
        current_key = bytearray(key) if key is not None else None
        self.window.close_journal()
        try:
            result = journal_files.restore(
                chosen, path, backup_root=root, backup_key=backup_key,
                open_current=lambda: journal_files.open_journal_file(
                    path, backup_root=root, key=current_key, create=False,
                    holder="CareerDesk window", verify=False),
            )
        except CareerDeskError as exc:
            dialogs.warn(self.window, self.tr("Restore a backup"), exc.user_message,
                         detail=exc.hint)
        else:
            self.window.statusBar().showMessage(result.describe(), 15_000)
        self.window.on_journal_open(path)

    def _backup_key(self, backup: Path, key: bytearray | bytes | None) -> bytearray | None:
        """The data key for an encrypted backup: the open journal's when it opens it (every
        backup since the passphrase was set), else asked with the backup's passphrase."""
        from careerdesk.services import journal_files

        if not journal_files.is_encrypted(backup):
            return None
        if key is not None and journal_files.key_opens_backup(backup, key):
            return bytearray(key)
        from careerdesk.ui.passphrase_dialogs import backup_key_with_dialog

        return backup_key_with_dialog(backup, self.window)
