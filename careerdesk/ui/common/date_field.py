"""The one date field: every date the user enters goes through :class:`DateField`.

It shows the whole date as it is stored (``2027-02-15``), accepts a typed ISO date
(``2027-02-15``, also ``20270215``) and the locale's short format (``2/15/27``, ``15.02.27``),
has a calendar popup (the button at its end, or Alt+Down / F4), and only stores a date when the
user finishes typing (Enter, Tab, leaving the field, a click in the calendar), then shows it
again the way it is stored: it never keeps a value the user did not see. Text that is no date
is refused visibly (the field turns red, its tooltip and accessible description say why, the
window's status bar too, and ``refused`` lets a dialog show it) and the old date is kept.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCalendarWidget,
    QLineEdit,
    QMainWindow,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

AnyIndex = QModelIndex | QPersistentModelIndex
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_typed_date(text: str, locale: QLocale | None = None, *,
                     today: dt.date | None = None) -> dt.date | None:
    """The date ``text`` means, or None when it is no date (an empty text is no date either).

    ISO (``2027-02-15``, ``2027-2-5``), compact ISO (``20270215``) and the locale's short format
    with a two- or four-digit year; a two-digit year is read within 50 years of ``today``.
    """
    text = text.strip()
    found = _ISO.match(text) or _COMPACT.match(text)
    if found:
        try:
            return dt.date(*(int(part) for part in found.groups()))
        except ValueError:
            return None
    locale = locale or QLocale()
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    year = (today or dt.date.today()).year
    formats = [short]
    if "yyyy" not in short:
        formats.insert(0, short.replace("yy", "yyyy"))
    for fmt in formats:
        parsed = locale.toDate(text, fmt, year - 50)
        if parsed.isValid():
            return dt.date(parsed.year(), parsed.month(), parsed.day())
    return None


def calendar_icon(size: int = 16) -> QIcon:
    """A small calendar drawn in the palette's text colour (no emoji, no image file)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    colour = QPalette().color(QPalette.ColorRole.Text)
    painter.setPen(colour)
    painter.drawRect(QRect(1, 3, size - 3, size - 5))
    painter.fillRect(QRect(1, 3, size - 3, 3), colour)
    step = max((size - 6) // 3, 2)
    for row in range(2):
        for column in range(3):
            painter.fillRect(QRect(3 + column * step, 8 + row * step, 2, 2), colour)
    painter.end()
    return QIcon(pixmap)


class DateField(QLineEdit):
    """A date typed or picked; ``date_changed`` when the user changed the stored date."""

    date_changed = Signal(object)  # the new date (dt.date), or None when cleared (optional)
    refused = Signal(str)  # typed text that is no date: the message shown

    def __init__(self, parent: QWidget | None = None, *, optional: bool = False,
                 accessible_name: str = "") -> None:
        super().__init__(parent)
        self._date: dt.date | None = None
        self._optional = optional
        self._error = ""
        if accessible_name:
            self.setAccessibleName(accessible_name)
        self.setPlaceholderText(self.tr("YYYY-MM-DD"))
        example = QLocale().toString(QDate(2027, 2, 15), QLocale.FormatType.ShortFormat)
        self._hint = self.tr("Type a date as 2027-02-15, 20270215 or {0}; Alt+Down opens a "
                             "calendar.").format(example)
        self.setToolTip(self._hint)
        self.setAccessibleDescription(self._hint)
        self.calendar_action = self.addAction(calendar_icon(),
                                              QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setToolTip(self.tr("Choose from a calendar"))
        self.calendar_action.triggered.connect(self.show_calendar)
        self.calendar: QCalendarWidget | None = None
        self.editingFinished.connect(self.commit)
        self.textEdited.connect(lambda _text: self._set_error(""))
        metrics = self.fontMetrics()
        self.setMinimumWidth(metrics.horizontalAdvance("0000-00-00M") + metrics.height() * 3)

    # -- value ---------------------------------------------------------------------------------
    def date(self) -> dt.date | None:
        """The date stored (as shown once typing is finished)."""
        return self._date

    def set_date(self, value: dt.date | None) -> None:
        """Show ``value`` (from the journal): no signal."""
        self._date = value
        self._set_error("")
        self._show()

    @property
    def error(self) -> str:
        """The message of the last refused text; empty while the field holds a date."""
        return self._error

    def commit(self) -> bool:
        """Take what was typed: True when the field holds a date (or is empty where that is
        allowed); otherwise the text is refused, the old date shown again, and False."""
        text = self.text().strip()
        if not text and self._optional:
            value: dt.date | None = None
        else:
            value = parse_typed_date(text, self.locale()) if text else None
            if value is None:
                self._refuse(text)
                return False
        self._set_error("")
        changed = value != self._date
        self._date = value
        self._show()
        if changed:
            self.date_changed.emit(value)
        return True

    def _show(self) -> None:
        self.setText(self._date.isoformat() if self._date is not None else "")

    def _refuse(self, text: str) -> None:
        if text:
            message = self.tr("“{0}” is not a date; type it as 2027-02-15. The date stays "
                              "as it was.").format(text)
        else:
            message = self.tr("A date is needed here; type it as 2027-02-15.")
        self._show()  # the old value, as stored
        self._set_error(message)
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 10_000)
        self.refused.emit(message)

    def _set_error(self, message: str) -> None:
        if message == self._error:
            return
        self._error = message
        palette = self.palette()
        if message:
            palette.setColor(QPalette.ColorRole.Base, _error_tint(palette))
        else:
            palette = QPalette()
        self.setPalette(palette)
        self.setAccessibleDescription(message or self._hint)
        self.setToolTip(message or self._hint)

    def setReadOnly(self, read_only: bool) -> None:  # Qt override (called from Python)
        super().setReadOnly(read_only)
        self.calendar_action.setEnabled(not read_only)

    # -- calendar ------------------------------------------------------------------------------
    def show_calendar(self) -> None:
        if self.isReadOnly():
            return
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setAccessibleName(self.tr("Calendar"))
            self.calendar.activated.connect(self._picked)
            self.calendar.clicked.connect(self._picked)
        typed = parse_typed_date(self.text(), self.locale())
        shown = typed or self._date or dt.date.today()
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self.calendar.adjustSize()
        self.calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar.show()
        self.calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        if self.calendar is not None:
            self.calendar.hide()
        self.setText(dt.date(day.year(), day.month(), day.day()).isoformat())
        self.setFocus()
        self.commit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() == Qt.Key.Key_F4 or (
                event.key() == Qt.Key.Key_Down
                and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.show_calendar()
            return
        super().keyPressEvent(event)


def _error_tint(palette: QPalette) -> QColor:
    """A red tint of the field's background that keeps its text readable (light or dark)."""
    base = palette.color(QPalette.ColorRole.Base)
    dark = base.lightness() < 128
    return QColor(110, 30, 30) if dark else QColor(255, 220, 220)


def editor_date(value: object) -> dt.date | None:
    """A model's edit value for a date cell (``dt.date``, ``QDate``, ISO text or None)."""
    if isinstance(value, QDate):
        return dt.date(value.year(), value.month(), value.day()) if value.isValid() else None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        return parse_typed_date(value.split(" ")[0])
    return None


def fit_editor(editor: QWidget, option: QStyleOptionViewItem) -> None:
    """Place a cell editor over its cell, at least as wide as it needs to show its value."""
    rect = QRect(option.rect)
    rect.setWidth(max(rect.width(), editor.minimumWidth(), editor.sizeHint().width()))
    rect.setHeight(max(rect.height(), editor.sizeHint().height()))
    editor.setGeometry(rect)


class DateDelegate(QStyledItemDelegate):
    """Table cells holding a date, edited in a :class:`DateField` as wide as the whole date.
    The model takes a ``dt.date`` (or None: cleared); text that is no date never reaches it."""

    def __init__(self, parent: QWidget | None = None, *, optional: bool = True) -> None:
        super().__init__(parent)
        self._optional = optional

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # Qt override
                     index: AnyIndex) -> QWidget:
        name = index.model().headerData(index.column(), Qt.Orientation.Horizontal)
        return DateField(parent, optional=self._optional, accessible_name=str(name or ""))

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # Qt override
        if isinstance(editor, DateField):
            editor.set_date(editor_date(index.data(Qt.ItemDataRole.EditRole)))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # Qt override
                     index: AnyIndex) -> None:
        if isinstance(editor, DateField):
            if editor.commit():
                model.setData(index, editor.date(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,  # Qt override
                             index: AnyIndex) -> None:
        fit_editor(editor, option)
