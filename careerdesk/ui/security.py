"""The passphrase in the window: lock (idle time and Ctrl+L), set, change, remove, recovery key.

:class:`JournalSecurity` is composed onto the main window by the application (like
``maintenance.JournalCare``). It puts the window's content in a :class:`LockableArea`, adds the
actions to Edit ▸ Passphrase, and arms auto-lock whenever an encrypted journal is attached.
Locking saves pending edits, hides everything, closes the journal (its key is wiped) and
disables the menus; unlocking reopens the same file with the passphrase or the recovery key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit

from careerdesk import APP_NAME
from careerdesk.errors import CareerDeskError, StorageError
from careerdesk.ui import dialogs
from careerdesk.ui.lock import DEFAULT_IDLE_MINUTES, LOCK_SHORTCUT, AutoLock, LockableArea
from careerdesk.ui.passphrase_dialogs import (
    ChangePassphraseDialog,
    RecoveryKeyDialog,
    RemovePassphraseDialog,
    SetPassphraseDialog,
)

if TYPE_CHECKING:
    from careerdesk.paths import AppPaths
    from careerdesk.services import Services
    from careerdesk.services.journal_files import SetResult
    from careerdesk.storage.journal import Journal
    from careerdesk.ui.main_window import MainWindow

#: Journal setting: minutes of idle time before the window locks (0: never).
AUTO_LOCK_SETTING = "auto_lock_minutes"


class JournalSecurity(QObject):
    """Lock and passphrase actions for one main window."""

    def __init__(self, window: MainWindow, paths: AppPaths | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.paths = paths
        self._locked_path: Path | None = None
        content = window.takeCentralWidget()
        if content is None:
            raise RuntimeError("JournalSecurity needs the window's central widget")
        self.area = LockableArea(content)
        window.setCentralWidget(self.area)
        self.autolock = AutoLock(
            self.area,
            save_pending=self._save_pending,
            drop_key=self._drop_key,
            unlock=self._reopen,
            idle_minutes=0,  # armed when an encrypted journal is attached
            shortcut_parent=window,
        )
        # The shortcut lives on the Lock action (shown in the menu); the bare one goes.
        self.autolock.shortcut.setKey(QKeySequence())
        self.autolock.shortcut.setEnabled(False)
        self.lock_action = self._action(self.tr("&Lock now"), self.autolock.lock, LOCK_SHORTCUT)
        self.set_action = self._action(self.tr("&Set a passphrase…"), self.set_passphrase)
        self.change_action = self._action(self.tr("&Change the passphrase…"),
                                          self.change_passphrase)
        self.recovery_action = self._action(self.tr("New &recovery key…"), self.new_recovery_key)
        self.remove_action = self._action(self.tr("&Remove the passphrase…"),
                                          self.remove_passphrase)
        self.idle_action = self._action(self.tr("&Auto-lock after…"), self.choose_idle_time)
        window.security_actions.extend([self.set_action, self.change_action,
                                        self.recovery_action, self.remove_action,
                                        self.idle_action])
        menu = window.file_menu.addMenu(self.tr("Pass&phrase"))
        window.file_menu.insertMenu(window.quit_action, menu)
        window.file_menu.insertSeparator(window.quit_action)
        for action in (self.lock_action, self.idle_action):
            menu.addAction(action)
        menu.addSeparator()
        for action in (self.set_action, self.change_action, self.recovery_action,
                       self.remove_action):
            menu.addAction(action)
        self._update_actions()
        window.follow_journal(self._journal_loaded)

    def _action(self, text: str, slot: Callable[[], object], shortcut: str = "") -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)  # the shortcut works even with the menu bar disabled
        return action

    # -- state --------------------------------------------------------------------------------
    @property
    def journal(self) -> Journal | None:
        services = self.window.services
        return None if services is None else services.journal

    @property
    def encrypted(self) -> bool:
        journal = self.journal
        return journal is not None and journal.encrypted

    def _journal_loaded(self, services: Services) -> None:
        minutes = services.settings.get(AUTO_LOCK_SETTING, DEFAULT_IDLE_MINUTES)
        self.autolock.set_idle_minutes(float(minutes) if self.encrypted else 0)
        self.autolock.area.lock_screen.set_journal_name(services.journal.path.name)
        self._update_actions()

    def _update_actions(self) -> None:
        have = self.journal is not None
        self.lock_action.setEnabled(self.encrypted and not self.autolock.is_locked)
        self.set_action.setEnabled(have and not self.encrypted)
        for action in (self.change_action, self.recovery_action, self.remove_action,
                       self.idle_action):
            action.setEnabled(self.encrypted)

    # -- locking ------------------------------------------------------------------------------
    def _save_pending(self) -> None:
        if not self.window.autosave.flush():
            # The text stays in the widgets, hidden, and is saved after unlocking.
            dialogs.warn(self.window, APP_NAME, self.tr(
                "The last changes could not be saved before locking; they are kept and will "
                "be saved after you unlock."))

    def _drop_key(self) -> None:
        journal = self.journal
        self._locked_path = None if journal is None else journal.path
        self.window.close_journal()  # waits for background work, closes, wipes the key
        self.window.menuBar().setEnabled(False)
        self.window.toolbar.setEnabled(False)
        self.window.setWindowTitle(self.tr("Locked — {app}").format(app=APP_NAME))
        self._update_actions()

    def _reopen(self, secret: str) -> None:
        if self._locked_path is None:
            raise StorageError("There is no journal to unlock.")
        journal = self._open(self._locked_path, secret)
        from careerdesk.services import Services

        self.window.menuBar().setEnabled(True)
        self.window.toolbar.setEnabled(True)
        self.window.attach(Services(journal), ask_first_start=False)
        self._update_actions()

    def _backup_root(self) -> Path:
        # Without app paths (some tests), backups taken on open go beside the journal's folder.
        from careerdesk.paths import app_paths

        return (self.paths or app_paths()).backup_dir

    def _open(self, path: Path, secret: str | None) -> Journal:
        from careerdesk.services import journal_files

        return journal_files.open_journal_file(
            path, backup_root=self._backup_root(), passphrase=secret, create=False,
            holder=f"{APP_NAME} window", verify=False)

    def choose_idle_time(self) -> None:
        services = self.window.services
        if services is None:
            return
        current = int(services.settings.get(AUTO_LOCK_SETTING, DEFAULT_IDLE_MINUTES))
        minutes, ok = QInputDialog.getInt(
            self.window, self.tr("Auto-lock"),
            self.tr("Lock after this many minutes without use (0: never):"),
            current, 0, 24 * 60,
        )
        if ok:
            services.settings.set(AUTO_LOCK_SETTING, minutes)
            self.autolock.set_idle_minutes(minutes)

    # -- passphrase changes -------------------------------------------------------------------
    def _closed_for(
        self, work: Callable[[Path], str | None], *, secret_before: str | None
    ) -> None:
        """Save, close the journal, run ``work(path)`` (a conversion), reopen with the secret it
        returns (None: plain). On failure it is reopened as it was, with ``secret_before``."""
        journal = self.journal
        if journal is None:
            return
        if not self.window.autosave.flush():
            raise StorageError("The last changes could not be saved; try again in a moment.")
        path = journal.path
        self.window.close_journal()
        from careerdesk.services import Services

        try:
            secret = work(path)
        except BaseException:
            self.window.attach(Services(self._open(path, secret_before)),
                               ask_first_start=False)
            raise
        self.window.attach(Services(self._open(path, secret)), ask_first_start=False)

    def set_passphrase(self) -> None:
        if self.journal is None or self.encrypted:
            return
        from careerdesk.services import journal_files

        results: list[SetResult] = []

        def apply(passphrase: str, with_recovery: bool) -> None:
            def work(path: Path) -> str:
                results.append(journal_files.set_passphrase(
                    path, passphrase, with_recovery_key=with_recovery,
                    backup_root=None if self.paths is None else self.paths.backup_dir,
                    holder=f"{APP_NAME} window"))
                return passphrase

            self._closed_for(work, secret_before=None)

        if dialogs.run_dialog(SetPassphraseDialog(apply, parent=self.window)) and results:
            recovery = results[0].recovery_key
            if recovery:
                dialogs.run_dialog(RecoveryKeyDialog(recovery, parent=self.window))

    def change_passphrase(self) -> None:
        journal = self.journal
        if journal is None or not self.encrypted:
            return
        from careerdesk.services import journal_files

        path = journal.path
        dialogs.run_dialog(ChangePassphraseDialog(
            lambda current, new: journal_files.change_passphrase(path, current, new, held=True),
            parent=self.window,
        ))

    def new_recovery_key(self) -> None:
        journal = self.journal
        if journal is None or not self.encrypted:
            return
        from careerdesk.services import journal_files

        path = journal.path
        keys: list[str] = []
        text, ok = QInputDialog.getText(
            self.window, self.tr("New recovery key"),
            self.tr("The passphrase (the old recovery key stops working):"),
            echo=QLineEdit.EchoMode.Password,
        )
        if not ok or not text:
            return
        try:
            keys.append(journal_files.new_recovery_key(path, text, held=True))
        except CareerDeskError as exc:
            dialogs.warn(self.window, self.tr("New recovery key"), exc.user_message)
            return
        dialogs.run_dialog(RecoveryKeyDialog(keys[0], parent=self.window))

    def remove_passphrase(self) -> None:
        journal = self.journal
        if journal is None or not self.encrypted:
            return
        from careerdesk.services import journal_files

        def apply(current: str) -> None:
            path = self.journal.path if self.journal is not None else None
            if path is None:
                return
            # Check the passphrase before the journal is closed: a wrong one changes nothing.
            journal_files.check_passphrase(path, current)

            def work(path: Path) -> None:
                journal_files.remove_passphrase(path, current, holder=f"{APP_NAME} window")

            self._closed_for(work, secret_before=current)

        dialogs.run_dialog(RemovePassphraseDialog(apply, parent=self.window))

