"""Building blocks of the wizard pages: growing note fields, collapsible guidance, question
cards and lists, behaviour checklists. Every text shown comes from careerdesk.content or from the
user; the words here are only the controls' own labels."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from careerdesk.content import Behaviour, Phase
from careerdesk.ui.private_style import lock_icon, set_private_look


def muted(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour, so it works in light and dark."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText,
                     palette.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    return label


def heading(text: str, parent: QWidget, *, scale: float = 1.25) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def wrapped(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    policy.setHeightForWidth(True)
    label.setSizePolicy(policy)
    return label


#: A widget with this property set stays as it is when a page is shown for reading only.
READING_SKIP = "careerdesk_reading_skip"


class GrowingTextEdit(QPlainTextEdit):
    """A multi-line note field whose height follows its text (2 to 16 lines).

    Tab moves the focus on (Ctrl+Tab inserts a tab), so a page can be walked with the keyboard.
    """

    MIN_LINES = 2
    MAX_LINES = 16

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def _lines(self) -> int:
        layout = self.document().documentLayout()
        return max(int(layout.documentSize().height()), 1)

    def _fit(self, *_args: object) -> None:
        lines = min(max(self._lines(), self.MIN_LINES), self.MAX_LINES)
        spacing = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        frame = int(self.document().documentMargin() * 2) + margins.top() + margins.bottom()
        self.setFixedHeight(lines * spacing + frame + 2)

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(self.fontMetrics().horizontalAdvance("M") * 40, self.height())

    def set_text_quietly(self, text: str) -> None:
        """Show stored text without it counting as an edit (and with a fresh undo history)."""
        blocked = self.blockSignals(True)
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.End)  # carry on writing where the note ends
        self.blockSignals(blocked)
        self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.key() == Qt.Key.Key_Tab and control:
            self.insertPlainText("\t")
            return
        super().keyPressEvent(event)


class CollapsibleText(QWidget):
    """A titled block of guidance that folds away (its state is shared by every page)."""

    toggled = Signal(bool)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button = QToolButton(self)
        self.button.setText(title)
        self.button.setCheckable(True)
        self.button.setChecked(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setAutoRaise(True)
        self.button.setAccessibleName(title)
        self.button.setProperty(READING_SKIP, True)  # folding guidance is reading too
        self.button.toggled.connect(self._toggled)
        layout.addWidget(self.button)
        self.body = QFrame(self)
        self.body.setFrameShape(QFrame.Shape.StyledPanel)
        self.body_layout = QVBoxLayout(self.body)
        layout.addWidget(self.body)

    def add_text(self, text: str, *, bold: bool = False) -> QLabel:
        label = wrapped(text, self.body)
        if bold:
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
        self.body_layout.addWidget(label)
        return label

    def set_expanded(self, expanded: bool) -> None:
        self.button.setChecked(expanded)

    def _toggled(self, expanded: bool) -> None:
        self.body.setVisible(expanded)
        self.button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.toggled.emit(expanded)


class NoteEditor(QWidget):
    """A labelled growing note with its own private switch."""

    text_edited = Signal(str)
    private_toggled = Signal(bool)

    def __init__(self, label: str, parent: QWidget | None = None, *, private_fixed: bool = False,
                 placeholder: str = "") -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.label = QLabel(label, self)
        font = QFont(self.label.font())
        font.setBold(True)
        self.label.setFont(font)
        top.addWidget(self.label, 1)
        self.private_check = QCheckBox(self.tr("Private"), self)
        self.private_check.setAccessibleName(self.tr("Private: {0}").format(label))
        self.private_check.setToolTip(self.tr("Private notes never leave this journal in a "
                                              "shared export."))
        if private_fixed:
            self.private_check.setChecked(True)
            self.private_check.setEnabled(False)
            self.private_check.setProperty(READING_SKIP, True)  # never editable
            self.private_check.setText(self.tr("Always private"))
        self.private_check.setIcon(lock_icon())
        top.addWidget(self.private_check)
        layout.addLayout(top)
        self.edit = GrowingTextEdit(self)
        self.edit.setAccessibleName(label)
        self.edit.setPlaceholderText(placeholder)
        self.label.setBuddy(self.edit)
        layout.addWidget(self.edit)
        self.edit.textChanged.connect(lambda: self.text_edited.emit(self.edit.toPlainText()))
        self.private_check.toggled.connect(self.private_toggled)
        self.private_check.toggled.connect(lambda on: set_private_look(self.edit, on))
        set_private_look(self.edit, self.private_check.isChecked())
        self.setTabOrder(self.edit, self.private_check)

    def show_note(self, text: str, private: bool) -> None:
        self.edit.set_text_quietly(text)
        if self.private_check.isEnabled():
            blocked = self.private_check.blockSignals(True)
            self.private_check.setChecked(private)
            self.private_check.blockSignals(blocked)
        set_private_look(self.edit, self.private_check.isChecked())


@dataclass(frozen=True)
class PromptEntry:
    """One question as the list shows it: wording, hint, and its state in this conversation."""

    prompt_id: str
    text: str
    hint: str
    answer_text: str
    asked: bool
    private: bool
    hidden: bool
    custom: bool


class PromptCard(QFrame):
    """One question: asked tick, its wording and hint, the answer note, private, hide, move.

    A card is reused for whichever question the list shows next (:meth:`set_entry`): building
    the widgets is what made opening a stage slow, filling them in is cheap.
    """

    asked_toggled = Signal(str, bool)
    text_edited = Signal(str, str)
    private_toggled = Signal(str, bool)
    hide_requested = Signal(str, bool)
    move_requested = Signal(str, int)

    def __init__(self, entry: PromptEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.asked_check = QCheckBox(self)
        self.asked_check.setToolTip(self.tr("Mark this question as asked"))
        self.asked_check.toggled.connect(
            lambda on: self.asked_toggled.emit(self.entry.prompt_id, on))
        top.addWidget(self.asked_check, 0, Qt.AlignmentFlag.AlignTop)
        self.question = wrapped("", self)
        font = QFont(self.question.font())
        font.setBold(True)
        self.question.setFont(font)
        self.question.setBuddy(self.asked_check)
        top.addWidget(self.question, 1)
        self.private_button = self._tool(self.tr("Private"))
        self.private_button.setCheckable(True)
        self.private_button.setIcon(lock_icon())
        self.private_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.private_button.toggled.connect(
            lambda on: self.private_toggled.emit(self.entry.prompt_id, on))
        self.private_button.toggled.connect(lambda on: set_private_look(self, on))
        top.addWidget(self.private_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide_button = self._tool("")
        self.hide_button.clicked.connect(
            lambda: self.hide_requested.emit(self.entry.prompt_id, not self.entry.hidden))
        top.addWidget(self.hide_button, 0, Qt.AlignmentFlag.AlignTop)
        self.up_button = self._tool("↑")
        self.up_button.clicked.connect(lambda: self.move_requested.emit(self.entry.prompt_id, -1))
        top.addWidget(self.up_button, 0, Qt.AlignmentFlag.AlignTop)
        self.down_button = self._tool("↓")
        self.down_button.clicked.connect(
            lambda: self.move_requested.emit(self.entry.prompt_id, 1))
        top.addWidget(self.down_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.hint = muted(wrapped("", self))
        self.hint.setContentsMargins(self.asked_check.sizeHint().width(), 0, 0, 0)
        layout.addWidget(self.hint)
        self.note = GrowingTextEdit(self)
        self.note.setPlaceholderText(self.tr("Notes"))
        self.note.textChanged.connect(
            lambda: self.text_edited.emit(self.entry.prompt_id, self.note.toPlainText()))
        layout.addWidget(self.note)
        chain = self.focus_chain()
        for before, after in itertools.pairwise(chain):
            self.setTabOrder(before, after)
        self._shown: PromptEntry | None = None
        self.set_entry(entry)

    def focus_chain(self) -> list[QWidget]:
        """The card's controls in keyboard order: tick, notes, then the small buttons."""
        return [self.asked_check, self.note, self.private_button, self.hide_button,
                self.up_button, self.down_button]

    def _tool(self, text: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def set_entry(self, entry: PromptEntry) -> None:
        """Show ``entry`` (another question, or the same one in another conversation).

        The note always gets its text afresh, so its undo history never reaches into another
        conversation; labels are only touched when their text changes (no relayout).
        """
        shown, self.entry = self._shown, entry
        if shown is None or shown.text != entry.text:
            text = entry.text
            self.question.setText(text)
            self.asked_check.setAccessibleName(self.tr("Asked: {0}").format(text))
            self.note.setAccessibleName(self.tr("Notes: {0}").format(text))
            for button, accessible in (
                    (self.private_button, self.tr("Private: {0}")),
                    (self.up_button, self.tr("Move up: {0}")),
                    (self.down_button, self.tr("Move down: {0}"))):
                button.setAccessibleName(accessible.format(text))
                button.setToolTip(accessible.format(text))
        if shown is None or (shown.text, shown.hidden) != (entry.text, entry.hidden):
            self.hide_button.setText(self.tr("Show") if entry.hidden else self.tr("Hide"))
            accessible = (self.tr("Show: {0}") if entry.hidden
                          else self.tr("Hide: {0}")).format(entry.text)
            self.hide_button.setAccessibleName(accessible)
            self.hide_button.setToolTip(accessible)
        if shown is None or shown.hint != entry.hint:
            self.hint.setText(entry.hint)
            self.hint.setVisible(bool(entry.hint))
        for box, on in ((self.asked_check, entry.asked), (self.private_button, entry.private)):
            if box.isChecked() != on:
                blocked = box.blockSignals(True)
                box.setChecked(on)
                box.blockSignals(blocked)
        set_private_look(self, entry.private)
        self.note.set_text_quietly(entry.answer_text)
        self.note.setVisible(not entry.hidden)
        self._shown = entry

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        # Alt+Up / Alt+Down reorder the question that has the focus.
        if event.modifiers() & Qt.KeyboardModifier.AltModifier and event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(self.entry.prompt_id,
                                     -1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)


class PromptList(QWidget):
    """The question list of one stage: cards, hidden questions on request, "add my own".

    Cards are kept and refilled when the list changes (another conversation, a reload after a
    hide or reorder); cards left over wait hidden for the next list that needs them.
    """

    asked_toggled = Signal(str, bool)
    text_edited = Signal(str, str)
    private_toggled = Signal(str, bool)
    hide_requested = Signal(str, bool)
    move_requested = Signal(str, int)
    custom_added = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: dict[str, PromptCard] = {}
        self._spare: list[PromptCard] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.cards_box = QVBoxLayout()
        self._layout.addLayout(self.cards_box)
        self.show_hidden_button = QToolButton(self)
        self.show_hidden_button.setCheckable(True)
        self.show_hidden_button.setProperty(READING_SKIP, True)
        self.show_hidden_button.setAutoRaise(True)
        self.show_hidden_button.toggled.connect(lambda _on: self._apply_hidden())
        self._layout.addWidget(self.show_hidden_button, 0, Qt.AlignmentFlag.AlignLeft)
        add = QHBoxLayout()
        self.add_edit = QLineEdit(self)
        self.add_edit.setPlaceholderText(self.tr("Add my own question"))
        self.add_edit.setAccessibleName(self.tr("Add my own question"))
        self.add_edit.returnPressed.connect(self._add)
        add.addWidget(self.add_edit, 1)
        self.add_button = QPushButton(self.tr("Add &question"), self)
        self.add_button.setAccessibleName(self.tr("Add question"))
        self.add_button.clicked.connect(self._add)
        add.addWidget(self.add_button)
        self.keep_check = QCheckBox(self.tr("Also in future conversations"), self)
        self.keep_check.setAccessibleName(self.tr("Also add my question to future conversations"))
        add.addWidget(self.keep_check)
        self._layout.addLayout(add)
        self._entries: list[PromptEntry] = []

    def set_entries(self, entries: Sequence[PromptEntry]) -> None:
        focus_id = next((pid for pid, c in self.cards.items()
                         if c.isAncestorOf(self.focusWidget() or self)), None)
        old = self.cards
        wanted = {e.prompt_id for e in entries}
        # Cards of questions no longer listed become spares first, so they can be refilled.
        self._spare.extend(card for pid, card in old.items() if pid not in wanted)
        self.cards = {}
        self._entries = list(entries)
        for entry in entries:
            card = old.get(entry.prompt_id)
            if card is None:
                card = self._spare.pop() if self._spare else self._new_card(entry)
            card.set_entry(entry)
            self.cards[entry.prompt_id] = card
        for card in self._spare:
            card.hide()
            card.note.set_text_quietly("")  # no other conversation's words left in a spare
        ordered = list(self.cards.values())
        items = (self.cards_box.itemAt(i) for i in range(self.cards_box.count()))
        shown = [widget for item in items if item is not None
                 if (widget := item.widget()) is not None]
        if shown != ordered:
            for widget in shown:
                self.cards_box.removeWidget(widget)
            for card in ordered:
                self.cards_box.addWidget(card)
            chain = [widget for card in ordered for widget in card.focus_chain()]
            for before, after in itertools.pairwise(chain):
                QWidget.setTabOrder(before, after)
        self._apply_hidden()
        if focus_id in self.cards:
            self.cards[focus_id].asked_check.setFocus()

    def _new_card(self, entry: PromptEntry) -> PromptCard:
        card = PromptCard(entry, self)
        for name in ("asked_toggled", "text_edited", "private_toggled", "hide_requested",
                     "move_requested"):
            getattr(card, name).connect(getattr(self, name))
        return card

    def _apply_hidden(self) -> None:
        hidden = [e for e in self._entries if e.hidden]
        show = self.show_hidden_button.isChecked()
        for entry in self._entries:
            self.cards[entry.prompt_id].setVisible(show or not entry.hidden)
        self.show_hidden_button.setVisible(bool(hidden))
        self.show_hidden_button.setText(
            self.tr("Hide the hidden questions") if show
            else self.tr("Show hidden questions ({0})").format(len(hidden)))

    def _add(self) -> None:
        text = self.add_edit.text().strip()
        if text:
            self.add_edit.clear()
            self.custom_added.emit(text)


class _ClickLabel(QLabel):
    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        self.clicked.emit()
        super().mouseReleaseEvent(event)


class WrappedCheck(QWidget):
    """A tick with a long, word-wrapped label (QCheckBox itself does not wrap)."""

    def __init__(self, text: str, parent: QWidget | None = None, *, accessible: str = "",
                 tooltip: str = "") -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox(self)
        self.box.setAccessibleName(accessible or text)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        self.label = _ClickLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setBuddy(self.box)
        self.label.clicked.connect(self.box.toggle)
        if tooltip:
            self.label.setToolTip(tooltip)
            self.box.setToolTip(tooltip)
        layout.addWidget(self.label, 1)


class BehaviourChecklist(QWidget):
    """Behaviours with their observable items as ticks (reminder at Prepare, self-check at
    Reflect)."""

    check_toggled = Signal(str, bool)

    def __init__(self, behaviours: Sequence[Behaviour], phases: Sequence[Phase],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.checks: dict[str, QCheckBox] = {}
        for behaviour in behaviours:
            items = [i for p in phases for i in behaviour.items_in(p)]
            if not items:
                continue
            title = QLabel(behaviour.title, self)
            font = QFont(title.font())
            font.setBold(True)
            title.setFont(font)
            title.setToolTip(behaviour.meaning)
            layout.addWidget(title)
            meaning = muted(wrapped(behaviour.meaning, self))
            layout.addWidget(meaning)
            for item in items:
                row = WrappedCheck(item.text, self, accessible=f"{behaviour.title}: {item.text}")
                row.box.toggled.connect(lambda on, iid=item.id: self.check_toggled.emit(iid, on))
                layout.addWidget(row)
                self.checks[item.id] = row.box

    def show_checks(self, checks: dict[str, bool]) -> None:
        for item_id, box in self.checks.items():
            blocked = box.blockSignals(True)
            box.setChecked(bool(checks.get(item_id, False)))
            box.blockSignals(blocked)


def connect_later(widget: QWidget, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the event loop is back (after a widget finished its signal)."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, widget, callback)


class PulseChoice(QWidget):
    """One pulse dimension as a deliberate choice: "Not set" or one of its five words.

    Radio buttons, not a slider: a click chooses the word clicked (never "one step from the
    left"), the mouse wheel scrolls the page past them and changes nothing, and the keyboard
    moves between the words with the arrow keys."""

    value_chosen = Signal(str, object)  # dimension id, 1..5 or None (not set)

    def __init__(self, dimension_id: str, title: str, question: str, labels: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dimension_id = dimension_id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.title = QLabel(title, self)
        self.title.setToolTip(question)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        em = self.fontMetrics().horizontalAdvance("M")
        row.setContentsMargins(em, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[int, QRadioButton] = {}
        for value, text in enumerate([self.tr("Not set"), *labels]):
            button = QRadioButton(text, self)
            button.setAccessibleName(f"{title}: {text}")
            button.setAccessibleDescription(question)
            self.group.addButton(button, value)
            self.buttons[value] = button
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.title.setBuddy(self.buttons[0])
        self.group.idClicked.connect(
            lambda value: self.value_chosen.emit(self.dimension_id, value or None))
        self.set_value(None)

    def value(self) -> int | None:
        return self.group.checkedId() or None

    def set_value(self, value: int | None) -> None:
        """Show a stored reading (no signal)."""
        button = self.buttons.get(value or 0, self.buttons[0])
        blocked = self.group.blockSignals(True)
        button.setChecked(True)
        self.group.blockSignals(blocked)


def set_reading(root: QWidget, reading: bool) -> None:
    """Show everything under ``root`` for reading only (or editable again): text stays
    readable and selectable, nothing can be changed. Buttons of actions (exports) and
    widgets marked :data:`READING_SKIP` keep working."""
    for widget in root.findChildren(QWidget):
        if widget.property(READING_SKIP):
            continue
        if isinstance(widget, QLineEdit | QPlainTextEdit) or (
                isinstance(widget, QTextEdit) and not isinstance(widget, QTextBrowser)):
            widget.setReadOnly(reading)
        elif isinstance(widget, QToolButton) and widget.defaultAction() is not None:
            continue
        elif isinstance(widget, QAbstractButton | QComboBox | QAbstractSpinBox
                        | QAbstractItemView):
            widget.setEnabled(not reading)
