"""Start-up of the window: show the frame first, then finish it and open the journal.

Start-up is a feature (issue 4). Order:

1. ``careerdesk.app`` reads the window's arguments without the full parser;
2. the QApplication and the main window's *frame* (:class:`MainWindow` built with
   ``complete=False``: Qt classes only) are shown; nothing else of CareerDesk is imported yet;
3. after the first paint, a zero-timer sets up logging and the crash handler, completes the
   window (actions, people list, person page, lock), imports the ORM and the services, opens the
   journal and fills the window;
4. once the journal's content has been painted, the views that are not on screen (journal,
   timeline, plan, search, dashboard) and the background care (integrity check, daily backup)
   are built.

``--smoke`` prints when the window was first painted and when the journal's content was on
screen, measured from process start, and exits. reportlab and Alembic are never imported on
this path (a journal that needs migrating is the one exception: Alembic runs then, after a
backup).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from careerdesk import APP_ID, APP_NAME, __version__
from careerdesk.paths import AppPaths, app_paths, ensure_dir, tighten_app_folders
from careerdesk.ui.main_window import MainWindow

if TYPE_CHECKING:
    from careerdesk.errors import CareerDeskError
    from careerdesk.launch import WindowRequest
    from careerdesk.storage.journal import Journal, PassphraseRequest

#: Seconds since the epoch when the process started, if the launcher measured it (benchmarks).
START_ENV = "CAREERDESK_T0"


def process_start(imported_at: float) -> float:
    """The process start as a ``time.perf_counter`` value.

    ``CAREERDESK_T0`` (a ``time.time()`` taken by whoever launched us) wins; otherwise
    ``imported_at``, the moment the composition root was imported (``careerdesk.app.STARTED``,
    handed down by ``app.main``), which is within a few milliseconds of interpreter start.
    """
    given = os.environ.get(START_ENV)
    if given:
        try:
            return time.perf_counter() - (time.time() - float(given))
        except ValueError:
            pass
    return imported_at


class FirstPaintWatcher(QObject):
    """Calls back once, on the first paint of a widget."""

    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self._callback = callback
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


def settings_store(paths: AppPaths) -> QSettings:
    """Window geometry and such, in our own config folder (never the real home in tests)."""
    return QSettings(str(paths.config_dir / "window.ini"), QSettings.Format.IniFormat)


def open_with_dialogs(path: Path, paths: AppPaths, parent: QWidget | None, *,
                      interactive: bool = True) -> Journal | None:
    """Open ``path``; on a problem the user can fix, say so and offer a way out.

    The file procedures are :mod:`careerdesk.services.journal_files` (the same as the command
    line's): lock, settle an interrupted replacement, then decide. What settling did is told.
    Returns None when the user chose to quit (or nothing could be opened).
    """
    from functools import partial

    from careerdesk.errors import (
        DamagedJournalError,
        JournalFileError,
        JournalLockedError,
        NotAJournalError,
        PassphraseError,
        PassphraseNeededError,
    )
    from careerdesk.services import journal_files

    while True:
        try:
            if path == paths.default_journal:
                ensure_dir(path.parent)
            # The whole-file check runs after the window is ready (ui/maintenance.py).
            try:
                journal = journal_files.open_journal_file(
                    path, backup_root=paths.backup_dir, create=True,
                    holder=f"{APP_NAME} window", verify=False)
            except PassphraseNeededError as needed:
                request = getattr(needed, "request", None)
                unlocked = unlock_with_dialog(path, paths, parent, interactive=interactive,
                                              request=request)
                if unlocked is not None:
                    return unlocked
                raise PassphraseError(
                    f"{path.name} is encrypted and was not unlocked.",
                    hint="Unlock it, open another file, or quit.",
                ) from None
            try:
                tell_settled(journal, parent, interactive=interactive)
            except BaseException:
                journal.close()  # never left open and locked behind the error dialog
                raise
            return journal
        except Exception as raised:  # every failure ends in the one dialog, never a traceback
            exc = _as_user_error(raised, path)
            if not interactive:
                print(f"careerdesk: {exc}", file=sys.stderr)
                return None
            from careerdesk.ui import dialogs  # message boxes: only when something is wrong

            choices = [("open", "Open another file…"), ("new", "Create a new journal…")]
            if isinstance(exc, PassphraseError):
                choices.insert(0, ("retry", "Unlock…"))
            try:
                found = journal_files.list_backups_of(path, backup_root=paths.backup_dir)
            except OSError:  # an unreadable backups folder: offer the other ways out
                found = []
            can_restore = bool(found) and isinstance(
                exc, DamagedJournalError | NotAJournalError | JournalFileError
            ) and not isinstance(exc, JournalLockedError)
            if can_restore:
                choices.insert(0, ("restore", "Restore a backup…"))
            if isinstance(exc, JournalLockedError):
                choices.insert(0, ("retry", "Try again"))
            choices.append(("quit", "Quit"))
            choice = dialogs.choose(parent, f"{APP_NAME}: cannot open {path.name}",
                                    exc.user_message, choices, detail=exc.hint)
            if choice in (None, "quit"):
                return None
            if choice == "open":
                other = dialogs.open_journal_file(parent, path.parent)
                if other is not None:
                    path = other
            elif choice == "new":
                other = dialogs.new_journal_file(parent, path.parent)
                if other is not None:
                    path = other
            elif choice == "restore":
                labels = [
                    f"{b.taken_at.astimezone().strftime('%Y-%m-%d %H:%M')} ({b.reason})"
                    for b in found
                ]
                picked = dialogs.pick_item(parent, "Restore a backup",
                                           "Replace the journal with the backup taken on:",
                                           labels)
                if picked is None:
                    continue
                chosen = found[picked].path
                target = path
                try:
                    from careerdesk.ui.passphrase_dialogs import backup_key_with_dialog

                    backup_key = backup_key_with_dialog(chosen, parent)
                    journal_files.restore(
                        chosen, target, backup_root=paths.backup_dir, backup_key=backup_key,
                        open_current=partial(
                            journal_files.open_journal_file, target,
                            backup_root=paths.backup_dir, create=False,
                            holder=f"{APP_NAME} window", verify=False),
                    )  # the loop opens the restored journal next
                except Exception as failed:  # one dialog for any failure, never a traceback
                    restore_error = _as_user_error(failed, chosen)
                    dialogs.warn(parent, "Restore a backup", restore_error.user_message,
                                 detail=restore_error.hint)


def _as_user_error(raised: Exception, path: Path) -> CareerDeskError:
    """``raised`` as the one error hierarchy; anything unexpected is logged first."""
    from careerdesk.errors import CareerDeskError
    from careerdesk.storage.gate import explain

    if not isinstance(raised, CareerDeskError):
        from careerdesk.logs import log_unexpected

        log_unexpected(raised, where="opening a journal")
    return explain(raised, path)


def tell_settled(journal: Journal, parent: QWidget | None, *, interactive: bool = True) -> None:
    """Say what opening ``journal`` did to finish an interrupted restore or passphrase change
    (which backup is now in place, which passphrase opens it); nothing when it did nothing."""
    settled = journal.settled
    if settled is None:
        return
    message = settled.describe(journal.path.name)
    if not interactive:
        print(f"careerdesk: {message}", file=sys.stderr)
        return
    from careerdesk.ui import dialogs

    dialogs.inform(parent, f"{APP_NAME}: {journal.path.name}", message)


def unlock_with_dialog(path: Path, paths: AppPaths, parent: QWidget | None, *,
                       interactive: bool = True,
                       request: PassphraseRequest | None = None) -> Journal | None:
    """Ask for the passphrase of the encrypted journal at ``path`` until it is right or the
    user cancels (None). Without a user (``--smoke``) ``CAREERDESK_PASSPHRASE`` is used.
    ``request`` (from the failed open) names the passphrase wanted and what settling did."""
    from careerdesk.errors import PassphraseError
    from careerdesk.services import journal_files
    from careerdesk.ui import dialogs

    def unlock(secret: str) -> Journal:
        return journal_files.unlock(path, secret, backup_root=paths.backup_dir,
                                    holder=f"{APP_NAME} window")

    settled = request.settled if request is not None else None
    if not interactive:
        secret = os.environ.get("CAREERDESK_PASSPHRASE")
        if secret is None:
            raise PassphraseError(f"{path.name} is encrypted: set CAREERDESK_PASSPHRASE.")
        if settled is not None:
            print(f"careerdesk: {settled.describe(path.name)}", file=sys.stderr)
        return unlock(secret)
    from careerdesk.ui.passphrase_dialogs import UnlockDialog

    prompt = ""
    if settled is not None and request is not None:
        prompt = f"{settled.describe(path.name)}\n\n{request.prompt}."
    dialog: UnlockDialog[Journal] = UnlockDialog(path.name, unlock, parent=parent,
                                                 prompt=prompt)
    if dialogs.run_dialog(dialog):
        return dialog.result_value
    return None


class CareerDeskApplication(QApplication):
    """The application object. macOS opens a double-clicked journal by sending the running
    application a ``QEvent.FileOpen`` (not a command-line argument): it becomes
    :attr:`file_open_requested`."""

    file_open_requested = Signal(str)

    def event(self, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.FileOpen:
            from PySide6.QtGui import QFileOpenEvent

            file = event.file() if isinstance(event, QFileOpenEvent) else ""
            if file:
                self.file_open_requested.emit(file)
                return True
        return super().event(event)


class Launcher(QObject):
    """Finishes the window and opens the journal after the first paint; measures ``--smoke``."""

    def __init__(self, window: MainWindow, path: Path, paths: AppPaths, *, smoke: bool,
                 started: float) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.paths = paths
        self.smoke = smoke
        self.started = started
        self.first_paint_ms: float | None = None
        self.ready_ms: float | None = None
        self.exit_code = 0
        self._extras_built = False
        #: Whether load() has begun (a file opened from the desktop before then replaces path).
        self.loading_started = False
        window.on_journal_open = self.switch_to

    def _ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000

    def first_painted(self) -> None:
        self.first_paint_ms = self._ms()
        QTimer.singleShot(0, self.load)
        # The collector is off during start-up (careerdesk.app); it comes back when the
        # journal is on screen, or after this long if it never gets there (a dialog, an error).
        QTimer.singleShot(GC_BACK_AFTER_MS, gc.enable)

    def finish_window(self) -> None:
        """Everything the first paint did without: the crash handler, the icon, the rest of
        the window. The log is kept in memory until the journal is on screen."""
        from careerdesk.logs import hold_records
        from careerdesk.ui import crash
        from careerdesk.ui.icons import app_icon

        hold_records()
        if not self.smoke:
            crash.install()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setWindowIcon(app_icon())  # windows, the taskbar and dialogs
        self.window.complete()
        crash.register_flush(self.window.autosave.flush)

    def load(self) -> None:
        self.loading_started = True
        from careerdesk import hardening
        from careerdesk.export.files import remove_leftovers

        # Before any journal is opened (issue 21): no memory for other processes or a core
        # dump, and no temporary export file of a killed process left behind.
        hardening.forbid_memory_access()
        remove_leftovers()
        tighten_app_folders(self.paths)
        from careerdesk.ui.dialogs import keep_dialog_state_in

        keep_dialog_state_in(self.paths.config_dir)
        self.finish_window()
        journal = open_with_dialogs(self.path, self.paths, self.window,
                                    interactive=not self.smoke)
        if journal is None:
            from careerdesk.logs import setup_logging

            setup_logging(self.paths.log_file)  # what went wrong is in the log
            self.exit_code = 1
            self.window.close()
            QApplication.quit()
            return
        from careerdesk.services import Services

        try:
            self.window.attach(Services(journal), ask_first_start=not self.smoke)
        except Exception as exc:  # a journal that opened but cannot be shown: say so, and end
            self.failed_to_start(exc, journal)
            return
        # Ready once the journal's content has been painted.
        target: QWidget | None = self.window.people_view.viewport()
        if target is None or not target.isVisible():
            target = self.window.stack.currentWidget()
        assert target is not None
        FirstPaintWatcher(target, self.ready)
        target.update()
        if not self.smoke:
            # A window that is never painted (started minimised) still gets its views.
            QTimer.singleShot(1000, self.build_extras)

    def failed_to_start(self, raised: Exception, journal: Journal) -> None:
        """The journal could not be shown: one dialog (one line), the log written, the window
        closed; never a traceback or a window stuck on "Opening your journal…"."""
        from careerdesk.logs import setup_logging

        error = _as_user_error(raised, journal.path)
        if self.window.services is not None:
            self.window.close_journal()
        else:
            journal.close()
        setup_logging(self.paths.log_file)  # what went wrong is in the log
        if self.smoke:
            print(f"careerdesk: {error}", file=sys.stderr)
        else:
            from careerdesk.ui import dialogs

            dialogs.warn(self.window, f"{APP_NAME}: cannot open {journal.path.name}",
                         error.user_message, detail=error.hint)
        self.exit_code = 1
        self.window.close()
        QApplication.quit()

    def ready(self) -> None:
        self.ready_ms = self._ms()
        heavy = [m for m in ("reportlab", "alembic") if m in sys.modules]
        self.build_extras()
        if self.smoke:
            print(f"first paint: {self.first_paint_ms:.0f} ms")
            print(f"journal ready: {self.ready_ms:.0f} ms")
            if heavy:
                print(f"imported on start-up: {', '.join(heavy)}")
            sys.stdout.flush()
            self.window.close()
            QApplication.quit()

    def build_extras(self) -> None:
        """The views not on screen yet and the background care; once, after the journal's
        content is on screen (a smoke run builds them too, so that it checks they load)."""
        if self._extras_built:
            return
        self._extras_built = True
        from careerdesk.logs import setup_logging
        from careerdesk.ui.journal_views import install_views
        from careerdesk.ui.security import JournalSecurity

        setup_logging(self.paths.log_file)  # and what was logged until now
        JournalSecurity(self.window, self.paths)  # lock (idle, Ctrl+L), the passphrase
        install_views(self.window, notify=not self.smoke)  # journal, timeline, plan, ...
        if not self.smoke:
            from careerdesk.ui.maintenance import JournalCare

            JournalCare(self.window, self.paths)  # integrity check, daily backup, restore
        from careerdesk.services import prepare_orm

        prepare_orm()  # now, not when the first conversation is opened (~35 ms)
        gc.enable()  # start-up is over (careerdesk.app turned the collector off)

    def open_from_desktop(self, file: str) -> None:
        """A journal opened from the desktop while CareerDesk runs (macOS ``FileOpen``): before
        the journal is loaded it replaces the one about to be opened; afterwards it is opened
        like File ▸ Open."""
        path = Path(file).expanduser().absolute()
        if not self.loading_started:
            self.path = path
        else:
            self.window.open_journal_file(path)

    def switch_to(self, path: Path) -> bool:
        """Open another journal in this window (File ▸ Open)."""
        journal = open_with_dialogs(path, self.paths, self.window)
        if journal is None:
            return False
        from careerdesk.services import Services

        self.window.close_journal()
        try:
            self.window.attach(Services(journal))
        except Exception as exc:  # opened, but it cannot be shown: one dialog, like at start
            from careerdesk.ui import dialogs

            error = _as_user_error(exc, path)
            if self.window.services is not None:
                self.window.close_journal()
            else:
                journal.close()
            dialogs.warn(self.window, f"{APP_NAME}: cannot open {path.name}",
                         error.user_message, detail=error.hint)
            return False
        return True


#: At the latest this long after the first paint, the cyclic garbage collector runs again.
GC_BACK_AFTER_MS = 3000


def make_application(argv: list[str] | None = None, *, icon: bool = True) -> QApplication:
    """The QApplication, named for settings and the desktop. ``icon=False`` leaves the window
    icon to the caller (the start-up path sets it after the first paint)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    # The desktop matches the window to org.careerdesk.CareerDesk.desktop (Wayland app id).
    QGuiApplication.setDesktopFileName(APP_ID)
    app = CareerDeskApplication(argv if argv is not None else [sys.argv[0]])
    if icon:
        from careerdesk.ui.icons import app_icon

        app.setWindowIcon(app_icon())  # windows, the taskbar and dialogs
    return app


def run_gui(request: WindowRequest, *, started: float | None = None) -> int:
    """Open the window on ``request.file`` (or the default journal); returns the exit status.

    ``started`` is when the process started (``perf_counter``; now when not given): the clock
    of ``--smoke``'s times.
    """
    started = process_start(time.perf_counter() if started is None else started)
    paths = app_paths()
    app = make_application(icon=False)
    smoke = request.smoke
    path = (request.file if request.file is not None else paths.default_journal)
    path = path.expanduser().absolute()
    window = MainWindow(journal_path=path, settings=settings_store(paths), complete=False)
    launcher = Launcher(window, path, paths, smoke=smoke, started=started)
    if isinstance(app, CareerDeskApplication):
        app.file_open_requested.connect(launcher.open_from_desktop)
    FirstPaintWatcher(window, launcher.first_painted)
    window.show()
    if smoke:
        # A smoke run never hangs a build: give up after a minute.
        def give_up() -> None:
            launcher.exit_code = 3
            app.quit()

        QTimer.singleShot(60_000, give_up)
    app.exec()
    gc.enable()
    if window.completed:
        from careerdesk.ui import crash

        crash.unregister_flush(window.autosave.flush)
    if window.services is not None:
        window.close_journal()
    if smoke and launcher.ready_ms is None and launcher.exit_code == 0:
        return 3
    return launcher.exit_code
