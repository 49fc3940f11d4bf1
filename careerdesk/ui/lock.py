"""Auto-lock: after idle time (default 10 minutes) or on Ctrl+L, save, hide, drop the key.

Three pieces the main window composes:

* :class:`IdleWatcher`, an application-wide event filter that restarts a timer on every key,
  mouse, wheel or touch event and emits ``idle`` when the time runs out;
* :class:`LockScreen`, the page shown instead of the content: a passphrase field and a button;
* :class:`AutoLock`, which puts the content and the lock screen in a :class:`LockableArea` (a
  stacked widget) and, when locking, first calls ``save_pending`` (flush debounced edits), then
  hides the content, then calls ``drop_key`` (close the journal: the engine is disposed and the
  key's bytearray wiped). Unlocking calls ``unlock(passphrase)``, which reopens the journal and
  raises :class:`PassphraseError` on a wrong passphrase (the KDF is the brake; tries are
  unlimited).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from careerdesk.errors import CareerDeskError

DEFAULT_IDLE_MINUTES = 10
LOCK_SHORTCUT = "Ctrl+L"

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without user input anywhere in the application."""

    idle = Signal()

    def __init__(self, *, minutes: float = DEFAULT_IDLE_MINUTES, parent: QObject | None = None):
        super().__init__(parent)
        self.activity_seen = 0  # user input events that restarted the countdown
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_minutes(self, minutes: float) -> None:
        """Change the idle time; 0 turns auto-lock off."""
        self._timer.stop()
        self._timer.setInterval(max(0, round(minutes * 60_000)))
        if minutes > 0:
            self._timer.start()

    def set_interval_ms(self, milliseconds: int) -> None:
        """The idle time in milliseconds (for tests and fine settings)."""
        self.set_minutes(milliseconds / 60_000)

    def pause(self) -> None:
        """Stop counting (while locked: there is nothing to lock again)."""
        self._timer.stop()

    def restart(self) -> None:
        if self._timer.interval() > 0:
            self._timer.start()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()  # restart the countdown
            self.activity_seen += 1
        return False

    def stop_watching(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()


class LockScreen(QWidget):
    """What is shown while the journal is locked: nothing of its content."""

    unlock_requested = Signal(str)

    def __init__(self, *, journal_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock_screen")
        self.title = QLabel(self.tr("CareerDesk is locked"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.detail = QLabel()
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(self.tr("Passphrase"))
        self.passphrase_edit.setPlaceholderText(self.tr("Passphrase or recovery key"))
        self.error_label = QLabel()
        self.error_label.setObjectName("lock_error")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Unlock error"))
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setDefault(True)

        column = QVBoxLayout()
        column.addStretch(1)
        for widget in (
            self.title, self.detail, self.passphrase_edit, self.error_label, self.unlock_button
        ):
            column.addWidget(widget)
        column.addStretch(2)
        outer = QVBoxLayout(self)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(420)
        outer.addWidget(holder, 0, Qt.AlignmentFlag.AlignHCenter)

        self.unlock_button.clicked.connect(self._request)
        self.passphrase_edit.returnPressed.connect(self._request)
        self.set_journal_name(journal_name)

    def set_journal_name(self, name: str) -> None:
        self.detail.setText(
            self.tr("Enter the passphrase of {name} to continue.").format(name=name)
            if name
            else self.tr("Enter the passphrase to continue.")
        )

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.passphrase_edit.setFocus()

    def reset(self) -> None:
        self.passphrase_edit.clear()
        self.error_label.clear()
        self.passphrase_edit.setFocus()

    def _request(self) -> None:
        secret = self.passphrase_edit.text()
        # Do not keep the typed passphrase in the widget longer than needed.
        self.passphrase_edit.clear()
        if secret:
            self.unlock_requested.emit(secret)


class LockableArea(QStackedWidget):
    """The window's content and the lock screen, one of them visible at a time."""

    def __init__(self, content: QWidget, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self.lock_screen = LockScreen()
        self.addWidget(content)
        self.addWidget(self.lock_screen)
        self.setCurrentWidget(content)

    @property
    def showing_content(self) -> bool:
        return self.currentWidget() is self.content and self.content.isVisibleTo(self)


class AutoLock(QObject):
    """Locks after idle time or on Ctrl+L; unlocks with the passphrase.

    ``save_pending`` flushes edits not yet written (the autosave's debounce), ``drop_key``
    closes the journal (disposing the engine and wiping the key), and ``unlock(passphrase)``
    reopens it or raises :class:`careerdesk.errors.PassphraseError`.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        area: LockableArea,
        *,
        save_pending: Callable[[], None],
        drop_key: Callable[[], None],
        unlock: Callable[[str], None],
        idle_minutes: float = DEFAULT_IDLE_MINUTES,
        shortcut_parent: QWidget | None = None,
        journal_name: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.area = area
        self._save_pending = save_pending
        self._drop_key = drop_key
        self._unlock = unlock
        self._locked = False
        self.watcher = IdleWatcher(minutes=idle_minutes, parent=self)
        self.watcher.idle.connect(self.lock)
        self.shortcut = QShortcut(QKeySequence(LOCK_SHORTCUT), shortcut_parent or area)
        self.shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.shortcut.activated.connect(self.lock)
        area.lock_screen.set_journal_name(journal_name)
        area.lock_screen.unlock_requested.connect(self.try_unlock)

    @property
    def is_locked(self) -> bool:
        return self._locked

    def set_idle_minutes(self, minutes: float) -> None:
        self.watcher.set_minutes(minutes)
        if self._locked:
            self.watcher.pause()

    def lock(self) -> None:
        """Save pending edits, hide everything, then drop the key. Safe to call twice."""
        if self._locked:
            return
        # Focus leaves the editor first, so widgets that save on focus-out do so now.
        focused = QApplication.focusWidget()
        if focused is not None:
            focused.clearFocus()
        self._save_pending()
        self._locked = True
        self.watcher.pause()
        self.area.content.hide()
        self.area.setCurrentWidget(self.area.lock_screen)
        self.area.lock_screen.reset()
        self._drop_key()
        self.locked.emit()

    def try_unlock(self, passphrase: str) -> bool:
        """Reopen with ``passphrase``; on a wrong one, say so and stay locked."""
        if not self._locked:
            return True
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._unlock(passphrase)
        except CareerDeskError as exc:
            self.area.lock_screen.show_error(exc.user_message)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._locked = False
        self.area.content.show()
        self.area.setCurrentWidget(self.area.content)
        self.watcher.restart()
        self.unlocked.emit()
        return True

    def shutdown(self) -> None:
        self.watcher.stop_watching()
