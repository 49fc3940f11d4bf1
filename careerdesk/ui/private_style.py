"""The one look of a private thing: a tint, a drawn lock and the word "Private".

Every widget that shows a private answer, note, match item, next step or journal entry takes
its cue from here, so the cue is the same everywhere and follows the palette (light, dark and
high-contrast alike). The tint is computed from the palette so that it differs from the base
by a measurable contrast while the text on it stays readable (WCAG 2 contrast ratios).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from careerdesk.ui.icons import bundled_icon

AnyIndex = QModelIndex | QPersistentModelIndex

#: The tint must differ from the base at least this much (1.0 = the same colour).
MIN_TINT_CONTRAST = 1.2
#: Text on the tint stays readable (WCAG AA for body text).
MIN_TEXT_CONTRAST = 4.5
#: The hue mixed into the base: a warm amber, unlike the selection colour of common themes.
_ACCENT = QColor(224, 160, 0)
#: A role item models answer with True for a private row (lists that own their model).
PRIVATE_ROLE = Qt.ItemDataRole.UserRole + 77


def private_word() -> str:
    return QCoreApplication.translate("private", "Private")


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of ``colour`` (0 black .. 1 white)."""
    return (0.2126 * _channel(colour.redF()) + 0.7152 * _channel(colour.greenF())
            + 0.0722 * _channel(colour.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 .. 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    keep = 1.0 - share_of_b
    return QColor.fromRgbF(a.redF() * keep + b.redF() * share_of_b,
                           a.greenF() * keep + b.greenF() * share_of_b,
                           a.blueF() * keep + b.blueF() * share_of_b)


def private_tint(palette: QPalette | None = None) -> QColor:
    """The background of private things: the base, tinted until the tint can be told apart.

    The share of the accent grows until the tint reaches :data:`MIN_TINT_CONTRAST` against the
    base, and stops before the text on it would fall below :data:`MIN_TEXT_CONTRAST`.
    """
    palette = palette or QGuiApplication.palette()
    # The active colours, whatever the state of the widget the palette came from: a disabled
    # parent's palette would otherwise give its greyed base and text.
    active = QPalette.ColorGroup.Active
    base = palette.color(active, QPalette.ColorRole.Base)
    text = palette.color(active, QPalette.ColorRole.Text)
    return QColor.fromRgba(_tint_rgba(base.rgba(), text.rgba()))


@functools.lru_cache(maxsize=32)
def _tint_rgba(base_rgba: int, text_rgba: int) -> int:
    # Cached: item views ask for it for every private cell they paint.
    base, text = QColor.fromRgba(base_rgba), QColor.fromRgba(text_rgba)
    # On a very dark base the amber alone is too dark to show: mix towards a lighter amber.
    accent = _ACCENT if luminance(base) > 0.2 else _ACCENT.lighter(115)
    chosen = base
    share = 0.1
    while share <= 0.9:
        tint = _mix(base, accent, share)
        if contrast(tint, text) < MIN_TEXT_CONTRAST:
            break
        chosen = tint
        if contrast(tint, base) >= MIN_TINT_CONTRAST:
            break
        share += 0.02
    return chosen.rgba()


def lock_icon() -> QIcon:
    """The drawn lock (a bundled SVG in the palette's text colour; never an emoji)."""
    return bundled_icon("lock")


def private_mark_html(palette: QPalette | None = None) -> str:
    """The cue for rich text (the Summary): the word on the tint, in the text colour."""
    palette = palette or QGuiApplication.palette()
    tint = private_tint(palette).name()
    text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text).name()
    return (f'<span style="background-color:{tint}; color:{text}">'
            f"&nbsp;[{private_word()}]&nbsp;</span>")


def set_private_look(widget: QWidget, private: bool) -> None:
    """Tint ``widget``'s background (its Base and Window roles) while it shows a private thing."""
    if widget.property("privateLook") == private:
        return
    widget.setProperty("privateLook", private)
    parent = widget.parentWidget()
    palette = QPalette(parent.palette() if parent is not None else QGuiApplication.palette())
    if private:
        tint = private_tint(palette)
        palette.setColor(QPalette.ColorRole.Base, tint)
        palette.setColor(QPalette.ColorRole.Window, tint)
    widget.setPalette(palette)
    widget.setAutoFillBackground(private)


class PrivateRowsDelegate(QStyledItemDelegate):
    """Draws private rows of a view in the private style, around the view's own delegate.

    Private rows get the tint and, in ``lock_column``, the drawn lock. Unticked check boxes get
    an outline in the text colour, so they show on dark palettes too (Fusion draws theirs from
    the window colour, nearly the base there). Editing goes to the wrapped delegate unchanged.
    """

    def __init__(self, view: QAbstractItemView, is_private: Callable[[AnyIndex], bool], *,
                 lock_column: int = 0, word: bool = False) -> None:
        super().__init__(view)
        inner = view.itemDelegate()
        self._inner = inner if isinstance(inner, QStyledItemDelegate) else QStyledItemDelegate(view)
        self._is_private = is_private
        self._lock_column = lock_column
        self._word = word  # also write "Private" after the lock (views without such a column)
        self._inner.commitData.connect(self.commitData)
        self._inner.closeEditor.connect(self.closeEditor)
        view.setItemDelegate(self)

    @property
    def inner(self) -> QStyledItemDelegate:
        return self._inner

    def _icon_side(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.height()

    def _mark_width(self, option: QStyleOptionViewItem) -> int:
        """The room the lock (and the word) take at the start of the lock column."""
        side = self._icon_side(option)
        width = side + 2 * max(2, side // 6)
        if self._word:
            width += option.fontMetrics.horizontalAdvance(private_word()) + max(2, side // 3)
        return width

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,  # Qt override
              index: AnyIndex) -> None:
        private = self._is_private(index)
        opt = QStyleOptionViewItem(option)
        if private:
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            if not selected:
                painter.fillRect(option.rect, private_tint(option.palette))
            if index.column() == self._lock_column:
                side = self._icon_side(option)
                margin = max(2, side // 6)
                box = QRect(option.rect.left() + margin,
                            option.rect.top() + (option.rect.height() - side) // 2, side, side)
                mode = QIcon.Mode.Selected if selected else QIcon.Mode.Normal
                lock_icon().paint(painter, box, Qt.AlignmentFlag.AlignCenter, mode)
                if self._word:
                    painter.save()
                    group = QPalette.ColorRole.HighlightedText if selected \
                        else QPalette.ColorRole.Text
                    painter.setPen(option.palette.color(group))
                    words = QRect(box.right() + margin, option.rect.top(),
                                  option.fontMetrics.horizontalAdvance(private_word()) + margin,
                                  option.rect.height())
                    painter.drawText(words, Qt.AlignmentFlag.AlignVCenter, private_word())
                    painter.restore()
                opt.rect = option.rect.adjusted(self._mark_width(option), 0, 0, 0)
        self._inner.paint(painter, opt, index)
        self._outline_unticked(painter, option, index)

    def _outline_unticked(self, painter: QPainter, option: QStyleOptionViewItem,
                          index: AnyIndex) -> None:
        state = index.data(Qt.ItemDataRole.CheckStateRole)
        if state is None or Qt.CheckState(state) != Qt.CheckState.Unchecked:
            return
        opt = QStyleOptionViewItem(option)
        self._inner.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            return
        box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt, widget)
        text = option.palette.color(QPalette.ColorRole.Text)
        text.setAlpha(170)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(text)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box.adjusted(1, 1, -1, -1), 2, 2)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # Qt override
        hint = self._inner.sizeHint(option, index)
        if index.column() == self._lock_column and self._is_private(index):
            hint.setWidth(hint.width() + self._mark_width(option))
        return hint

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # Qt override
                     index: AnyIndex) -> QWidget:
        return self._inner.createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # Qt override
        self._inner.setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # Qt override
                     index: AnyIndex) -> None:
        self._inner.setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,  # Qt override
                             index: AnyIndex) -> None:
        self._inner.updateEditorGeometry(editor, option, index)

    def editorEvent(self, event: Any, model: QAbstractItemModel,  # Qt override
                    option: QStyleOptionViewItem, index: AnyIndex) -> bool:
        return bool(self._inner.editorEvent(event, model, option, index))


def private_column_rule(column: int) -> Callable[[AnyIndex], bool]:
    """Rows are private when their ``column`` is ticked (the wizard's tables)."""
    def is_private(index: AnyIndex) -> bool:
        state = index.model().index(index.row(), column, index.parent()).data(
            Qt.ItemDataRole.CheckStateRole)
        return state is not None and Qt.CheckState(state) == Qt.CheckState.Checked
    return is_private


def private_role_rule(index: AnyIndex) -> bool:
    """Rows are private when their model says so in :data:`PRIVATE_ROLE` (lists)."""
    return bool(index.data(PRIVATE_ROLE))


def style_private_rows(view: QAbstractItemView, is_private: Callable[[AnyIndex], bool], *,
                       lock_column: int = 0, word: bool = False) -> PrivateRowsDelegate:
    """Give ``view`` the private style (wrapping whatever delegate it has now); ``word``
    writes "Private" after the lock, for views with no column or text that says it."""
    current = view.itemDelegate()
    if isinstance(current, PrivateRowsDelegate):
        return current
    return PrivateRowsDelegate(view, is_private, lock_column=lock_column, word=word)


__all__ = [
    "MIN_TEXT_CONTRAST", "MIN_TINT_CONTRAST", "PRIVATE_ROLE", "PrivateRowsDelegate",
    "contrast", "lock_icon", "private_column_rule", "private_mark_html", "private_role_rule",
    "private_tint", "private_word", "set_private_look", "style_private_rows",
]
