"""The wizard's stage pages. Each page displays one stage of the conversation and collects
edits; rules (progress, plan checks, overlaps, flagged words) come from the domain and content."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDataWidgetMapper,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from careerdesk.content import Phase
from careerdesk.domain.model import (
    ActionKind,
    Horizon,
    MatchItem,
    NoteKind,
    StageId,
)
from careerdesk.domain.plan_rules import kind_mix, ownership_ratio, step_issues
from careerdesk.errors import CareerDeskError
from careerdesk.ui import dialogs, layout
from careerdesk.ui.common.date_field import DateField
from careerdesk.ui.edits import Edit, EditKey, record_reader, record_writer
from careerdesk.ui.labels import CIRCLE_SHORT, CIRCLE_TITLES, ENUM_LABELS
from careerdesk.ui.layout import QWIDGETSIZE_MAX
from careerdesk.ui.private_style import private_column_rule, private_mark_html, style_private_rows
from careerdesk.ui.wizard.models import MatchItemModel, PlanDelegate, PlanTableModel
from careerdesk.ui.wizard.venn import VennWidget
from careerdesk.ui.wizard.widgets import (
    BehaviourChecklist,
    CollapsibleText,
    NoteEditor,
    PromptEntry,
    PromptList,
    PulseChoice,
    WrappedCheck,
    heading,
    muted,
    wrapped,
)

if TYPE_CHECKING:
    from careerdesk.ui.wizard.context import WizardContext


def prompt_entries(ctx: WizardContext, stage: StageId) -> list[PromptEntry]:
    """The question list of one stage (``PromptService.effective_prompts``: the method pack,
    the user's default list, this conversation's own and carried-over questions, its order and
    hiding), with this conversation's answers."""
    answers = {a.prompt_id: a for a in ctx.record.answers}
    entries = []
    for prompt in ctx.effective_prompts(stage):
        found = answers.get(prompt.prompt_id)
        entries.append(PromptEntry(
            prompt_id=prompt.prompt_id, text=prompt.text(ctx.audience), hint=prompt.hint,
            answer_text=found.text if found else "",
            asked=found.asked if found else False,
            private=found.private if found else False,
            hidden=prompt.hidden,
            custom=prompt.is_custom,
        ))
    return entries


class StagePage(QScrollArea):
    """A stage: title, purpose, folding guidance, the stage's own part, questions, notes."""

    reload_requested = Signal()  # the page changed something that needs the record re-read
    marks_changed = Signal()  # only the done marks may have changed
    guidance_toggled = Signal(bool)

    has_prompts = True
    free_note_label = "Notes"

    def __init__(self, stage: StageId, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.ctx: WizardContext | None = None
        self.setWidgetResizable(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.inner = QWidget(self)
        self.inner.setObjectName(f"stage-{stage.value}")
        self.layout_ = QVBoxLayout(self.inner)
        em = self.fontMetrics().horizontalAdvance("M")
        self.layout_.setContentsMargins(em, em // 2, em, em)
        self.title = heading("", self.inner, scale=1.4)
        self.layout_.addWidget(self.title)
        self.purpose = wrapped("", self.inner)
        self.layout_.addWidget(self.purpose)
        self.guidance = CollapsibleText(self.tr("Guidance"), self.inner)
        self.guidance.toggled.connect(self.guidance_toggled)
        self.guidance_text = self.guidance.add_text("")
        self.is_not_labels: list[QLabel] = []
        self.layout_.addWidget(self.guidance)
        self.top = QVBoxLayout()
        self.layout_.addLayout(self.top)
        self.prompts: PromptList | None = None
        if self.has_prompts:
            self.layout_.addWidget(heading(self.tr("Questions"), self.inner, scale=1.1))
            self.prompts = PromptList(self.inner)
            self.prompts.asked_toggled.connect(self._asked)
            self.prompts.text_edited.connect(self._answer_text)
            self.prompts.private_toggled.connect(self._answer_private)
            self.prompts.hide_requested.connect(self._hide)
            self.prompts.move_requested.connect(self._move)
            self.prompts.custom_added.connect(self._add_custom)
            self.layout_.addWidget(self.prompts)
        self.bottom = QVBoxLayout()
        self.layout_.addLayout(self.bottom)
        self.free_note: NoteEditor | None = None
        if self.free_note_label:
            self.free_note = NoteEditor(self.tr(self.free_note_label), self.inner)
            self.free_note.text_edited.connect(
                lambda text: self._note_text(NoteKind.FREE, text))
            self.free_note.private_toggled.connect(
                lambda on: self._note_private(NoteKind.FREE, on))
            self.layout_.addWidget(self.free_note)
        self.terms_hint = QLabel(self.inner)
        self.terms_hint.setWordWrap(True)
        self.terms_hint.setFrameShape(QFrame.Shape.StyledPanel)
        self.terms_hint.setAutoFillBackground(True)
        self.terms_hint.setBackgroundRole(self.terms_hint.palette().ColorRole.ToolTipBase)
        self.terms_hint.setForegroundRole(self.terms_hint.palette().ColorRole.ToolTipText)
        self.terms_hint.setAccessibleName(self.tr("Hint"))
        self.terms_hint.hide()
        self.layout_.addWidget(self.terms_hint)
        self.layout_.addStretch(1)
        self.layout_.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setWidget(self.inner)
        self.inner.installEventFilter(self)
        self._guidance_loaded: object = None

    # -- wrapped text needs the height for the actual width ----------------------------------
    def _fit_inner(self) -> None:
        width = self.viewport().width()
        height = self.inner.heightForWidth(width) if self.inner.hasHeightForWidth() else -1
        if height < 0:
            height = self.inner.sizeHint().height()
        height = max(height, self.viewport().height())
        if self.inner.size() != QSize(width, height):
            self.inner.resize(width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self.adapt_layout(self.viewport().width())
        self._fit_inner()

    def adapt_layout(self, width: int) -> None:
        """Arrange the stage's own part for a page ``width`` wide (overridden; the
        breakpoints are in ui/layout.py)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if watched is self.inner and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self, self._fit_inner)
        # QScrollArea watches its widget too (a resize updates the scroll bars): without this,
        # a page that grew (a question added) could not be scrolled to its bottom.
        return super().eventFilter(watched, event)

    # -- loading ------------------------------------------------------------------------------
    def load(self, ctx: WizardContext) -> None:
        """Show this stage of ``ctx``'s conversation."""
        self.ctx = ctx
        stage = ctx.content.stage(self.stage)
        if self._guidance_loaded != ctx.audience:
            self.title.setText(stage.title)
            self.purpose.setText(stage.purpose)
            self.guidance_text.setText(stage.guidance(ctx.audience))
            for label in self.is_not_labels:
                label.deleteLater()
            self.is_not_labels = [self.guidance.add_text("• " + line) for line in stage.is_not]
            for label in self.is_not_labels:
                muted(label)
            self._guidance_loaded = ctx.audience
        if self.prompts is not None:
            self.prompts.set_entries(prompt_entries(ctx, self.stage))
        if self.free_note is not None:
            note = self._note(NoteKind.FREE)
            self.free_note.show_note(note[0], note[1])
        self.terms_hint.hide()
        self.load_stage(ctx)

    def load_stage(self, ctx: WizardContext) -> None:
        """The stage's own part (overridden)."""

    def shown_again(self, ctx: WizardContext) -> None:
        """The page is shown again on the same conversation: what it shows of its own is
        current; pages that sum up the others refresh that part (overridden)."""
        self.ctx = ctx

    def visible_prompt_ids(self, ctx: WizardContext) -> list[str]:
        return [e.prompt_id for e in prompt_entries(ctx, self.stage) if not e.hidden]

    def _note(self, kind: NoteKind) -> tuple[str, bool]:
        assert self.ctx is not None
        for note in self.ctx.record.notes:
            if note.stage is self.stage and note.kind is kind:
                return note.text, note.private
        # As the service creates them: only free notes start shared.
        return "", kind is not NoteKind.FREE

    def first_focus(self) -> QWidget | None:
        """The widget that gets the focus when the stage is entered."""
        if self.prompts is not None and self.prompts.cards:
            first = next(iter(self.prompts.cards.values()))
            return first.asked_check
        return self.free_note.edit if self.free_note is not None else None

    # -- edits --------------------------------------------------------------------------------
    def _key(self, kind: str, record_id: str, field: str = "") -> EditKey:
        assert self.ctx is not None
        if kind == "conversation":  # a field of the conversation itself
            return self.ctx.conversation_key(record_id)
        return self.ctx.key(kind, record_id, field)

    def _asked(self, prompt_id: str, asked: bool) -> None:
        ctx = self.ctx
        assert ctx is not None
        svc, cid, stage = ctx.services.conversations, ctx.conversation_id, self.stage
        ctx.change(self.tr("Mark asked"), self._key("answer", prompt_id, "asked"),
                   lambda v: svc.set_answer(cid, prompt_id, stage, asked=v), not asked, asked)

    def _answer_text(self, prompt_id: str, text: str) -> None:
        ctx = self.ctx
        assert ctx is not None
        svc, cid, stage = ctx.services.conversations, ctx.conversation_id, self.stage
        ctx.save_later(self._key("answer", prompt_id, "text"),
                       lambda: svc.set_answer(cid, prompt_id, stage, text=text))
        self.check_terms(text)

    def _answer_private(self, prompt_id: str, private: bool) -> None:
        ctx = self.ctx
        assert ctx is not None
        svc, cid, stage = ctx.services.conversations, ctx.conversation_id, self.stage
        ctx.change(self.tr("Make private"), self._key("answer", prompt_id, "private"),
                   lambda v: svc.set_answer(cid, prompt_id, stage, private=v),
                   not private, private)

    def _hide(self, prompt_id: str, hidden: bool) -> None:
        ctx = self.ctx
        assert ctx is not None
        svc, cid, stage = ctx.services.conversations, ctx.conversation_id, self.stage
        ctx.change(self.tr("Hide question") if hidden else self.tr("Show question"),
                   self._key("answer", prompt_id, "hidden"),
                   lambda v: svc.set_answer(cid, prompt_id, stage, hidden=v),
                   not hidden, hidden)
        self.reload_requested.emit()

    def _move(self, prompt_id: str, delta: int) -> None:
        ctx = self.ctx
        assert ctx is not None
        order = [e.prompt_id for e in prompt_entries(ctx, self.stage)]
        index = order.index(prompt_id)
        target = index + delta
        if not 0 <= target < len(order):
            return
        new = list(order)
        new[index], new[target] = new[target], new[index]
        svc, cid, stage = ctx.services.conversations, ctx.conversation_id, self.stage
        # Undo puts back the stored positions themselves (0: none chosen), not just the order.
        stored = {a.prompt_id: a.position for a in svc.answers(cid) if a.stage is stage}
        old_positions = {pid: stored.get(pid, 0) for pid in order}
        new_positions = {pid: position for position, pid in enumerate(new, start=1)}

        def write(positions: dict[str, int]) -> None:
            for pid, position in positions.items():
                svc.set_answer(cid, pid, stage, position=position)

        ctx.change(self.tr("Reorder questions"), self._key("order", stage.value, "position"),
                   write, old_positions, new_positions)
        self.reload_requested.emit()
        if self.prompts is not None and prompt_id in self.prompts.cards:
            card = self.prompts.cards[prompt_id]
            (card.up_button if delta < 0 else card.down_button).setFocus()

    def _add_custom(self, text: str) -> None:
        ctx = self.ctx
        assert ctx is not None
        prompts = ctx.services.prompts
        # "Also in future conversations" puts it in the default list, which this conversation
        # shows too: once, not a second copy of its own.
        keep = self.prompts is not None and self.prompts.keep_check.isChecked()
        try:
            custom = prompts.add_custom(
                self.stage, text, conversation_id=None if keep else ctx.conversation_id)
        except CareerDeskError as exc:
            dialogs.warn(self, self.tr("Add my own question"), exc.user_message)
            return
        ctx.push(Edit(self.tr("Add my own question"), self._key("prompt", custom.id),
                      None, custom,
                      record_writer(custom.prompt_id, prompts.restore_custom,
                                    prompts.delete_custom)), written=True)
        self.reload_requested.emit()

    def _note_text(self, kind: NoteKind, text: str) -> None:
        ctx = self.ctx
        assert ctx is not None
        svc, cid, stage = ctx.services.conversations, ctx.conversation_id, self.stage
        ctx.save_later(self._key("note", f"{stage.value}/{kind.value}", "text"),
                       lambda: svc.set_note(cid, stage, kind, text=text))
        self.check_terms(text)

    def _note_private(self, kind: NoteKind, private: bool) -> None:
        ctx = self.ctx
        assert ctx is not None
        svc, cid, stage = ctx.services.conversations, ctx.conversation_id, self.stage
        ctx.change(self.tr("Make private"), self._key("note", f"{stage.value}/{kind.value}",
                                                       "private"),
                   lambda v: svc.set_note(cid, stage, kind, private=v), not private, private)

    def _check(self, item_id: str, checked: bool) -> None:
        """Tick or untick a behaviour or guardrail item (undoable)."""
        ctx = self.ctx
        assert ctx is not None
        svc, cid = ctx.services.conversations, ctx.conversation_id
        ctx.change(self.tr("Tick"), self._key("check", item_id, "checked"),
                   lambda v: svc.set_check(cid, item_id, v), not checked, checked)

    def check_terms(self, text: str) -> None:
        """A gentle hint when a note reads like a performance or disciplinary talk."""
        ctx = self.ctx
        if ctx is None:
            return
        guardrails = ctx.content.guardrails
        found = guardrails.find_terms(text)
        if not found:
            self.terms_hint.hide()
            return
        words = ", ".join(dict.fromkeys(f"“{t.text}”" for t in found))
        self.terms_hint.setText(
            f"{guardrails.hint_title} ({words}). {guardrails.hint_message}")
        self.terms_hint.show()


class PreparePage(StagePage):
    """Date, who is present, purpose, method pack, behaviour reminder, own preparation."""

    pack_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(StageId.PREPARE, parent)
        form = QFormLayout()
        self.date_edit = DateField(self.inner,
                                   accessible_name=self.tr("Date of the conversation"))
        self.date_edit.date_changed.connect(self._date)
        form.addRow(self.tr("&Date:"), self.date_edit)
        self.present_edit = QLineEdit(self.inner)
        self.present_edit.setAccessibleName(self.tr("Who is present"))
        self.present_edit.textEdited.connect(lambda t: self._field("present", t))
        form.addRow(self.tr("&Present:"), self.present_edit)
        self.purpose_edit = QLineEdit(self.inner)
        self.purpose_edit.setAccessibleName(self.tr("Purpose"))
        self.purpose_edit.textEdited.connect(lambda t: self._field("purpose", t))
        form.addRow(self.tr("P&urpose:"), self.purpose_edit)
        self.pack_combo = QComboBox(self.inner)
        self.pack_combo.setAccessibleName(self.tr("Method"))
        self.pack_combo.activated.connect(self._pack)
        form.addRow(self.tr("&Method:"), self.pack_combo)
        self.pack_summary = muted(wrapped("", self.inner))
        form.addRow("", self.pack_summary)
        self.top.addLayout(form)
        self.behaviours_title = heading(self.tr("Before you start"), self.inner, scale=1.1)
        self.top.addWidget(self.behaviours_title)
        self.checklist: BehaviourChecklist | None = None
        self.checklist_box = QVBoxLayout()
        self.top.addLayout(self.checklist_box)
        self.preparation = NoteEditor(self.tr("Own preparation"), self.inner)
        self.preparation.text_edited.connect(
            lambda text: self._note_text(NoteKind.PREPARATION, text))
        self.preparation.private_toggled.connect(
            lambda on: self._note_private(NoteKind.PREPARATION, on))
        self.bottom.addWidget(self.preparation)

    def load_stage(self, ctx: WizardContext) -> None:
        conversation = ctx.record.conversation
        self.date_edit.set_date(conversation.held_on)
        self.present_edit.setText(conversation.present)
        self.purpose_edit.setText(conversation.purpose)
        self.pack_combo.clear()
        for pack in ctx.content.packs.values():
            self.pack_combo.addItem(pack.title, pack.id)
        index = self.pack_combo.findData(conversation.method_pack)
        self.pack_combo.setCurrentIndex(max(index, 0))
        chosen = ctx.content.packs.get(conversation.method_pack)
        self.pack_summary.setText(chosen.summary if chosen else "")
        if self.checklist is None:
            self.checklist = BehaviourChecklist(ctx.content.behaviours, [Phase.BEFORE],
                                                self.inner)
            self.checklist.check_toggled.connect(self._check)
            self.checklist_box.addWidget(self.checklist)
        self.checklist.show_checks(ctx.record.checks)
        text, private = self._note(NoteKind.PREPARATION)
        self.preparation.show_note(text, private)

    def first_focus(self) -> QWidget | None:
        return self.date_edit

    def _date(self, new: dt.date) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        svc, cid = ctx.services.conversations, ctx.conversation_id
        old = ctx.record.conversation.held_on
        ctx.change(self.tr("Change date"), self._key("conversation", "held_on"),
                   lambda v: svc.update(cid, held_on=v), old, new)

    def _field(self, name: str, text: str) -> None:
        ctx = self.ctx
        assert ctx is not None
        svc, cid = ctx.services.conversations, ctx.conversation_id
        ctx.save_later(self._key("conversation", name),
                       lambda: svc.update(cid, **{name: text}))

    def _pack(self, index: int) -> None:
        ctx = self.ctx
        assert ctx is not None
        pack_id = str(self.pack_combo.itemData(index))
        old = ctx.record.conversation.method_pack
        if pack_id == old:
            return
        svc, cid = ctx.services.conversations, ctx.conversation_id
        ctx.change(self.tr("Choose method"), self._key("conversation", "method_pack"),
                   lambda v: svc.update(cid, method_pack=v), old, pack_id)
        self.pack_changed.emit(pack_id)



class QuestionsPage(StagePage):
    """Current role and future roles: questions and notes."""


class MatchPage(StagePage):
    """Three lists and the live three-circle picture."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(StageId.MATCH, parent)
        row = self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        left = QVBoxLayout()
        grid = QGridLayout()
        self.add_edits: dict[str, QLineEdit] = {}
        for line, (circle, title) in enumerate(CIRCLE_TITLES.items()):
            label = QLabel(title.replace("&", "&&"), self.inner)
            edit = QLineEdit(self.inner)
            edit.setAccessibleName(self.tr("Add to {0}").format(title))
            edit.setPlaceholderText(self.tr("Add to {0}").format(title))
            label.setBuddy(edit)
            edit.setMinimumWidth(edit.sizeHint().width())  # never squeezed to a few letters
            edit.returnPressed.connect(lambda c=circle: self._add(c))
            button = QPushButton(self.tr("Add"), self.inner)
            button.setAccessibleName(self.tr("Add to {0}").format(title))
            button.clicked.connect(lambda _checked=False, c=circle: self._add(c))
            grid.addWidget(label, line, 0)
            grid.addWidget(edit, line, 1)
            grid.addWidget(button, line, 2)
            self.add_edits[circle] = edit
        grid.setColumnStretch(1, 1)
        left.addLayout(grid)
        self.model = MatchItemModel(self._edited, self)
        self.model.set_circle_titles(*CIRCLE_SHORT.values())
        self.table = QTableView(self.inner)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Match items"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        style_private_rows(self.table, private_column_rule(self.model.COLUMNS.index("private")),
                           lock_column=self.model.COLUMNS.index("text"))
        em = self.fontMetrics().lineSpacing()
        self.table.setMinimumHeight(em * 10)
        left.addWidget(self.table, 1)
        hint = muted(wrapped(self.tr(
            "Tick the circles an item belongs to (Space ticks the selected cell). Where all "
            "three meet is the heart of the match."), self.inner))
        left.addWidget(hint)
        self.delete_button = QPushButton(self.tr("&Remove item"), self.inner)
        self.delete_button.setAccessibleName(self.tr("Remove item"))
        self.delete_button.clicked.connect(self._delete)
        left.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignLeft)
        row.addLayout(left, 3)
        self.venn = VennWidget(self.inner)
        self.venn.set_titles(dict(CIRCLE_TITLES))
        self.venn.setMinimumSize(self.venn.minimumSizeHint())
        row.addWidget(self.venn, 4)
        self.top.addLayout(row)
        # The item column keeps room for a few words, the tick columns their headers.
        self._item_column_em = 14

    def adapt_layout(self, width: int) -> None:
        # Narrow: the picture goes under the lists, which then have the page's whole width.
        beside = not layout.narrower_than(self, width, layout.CIRCLES_BESIDE_EM)
        self.row.setDirection(QBoxLayout.Direction.LeftToRight if beside
                              else QBoxLayout.Direction.TopToBottom)
        em = layout.em(self)
        self.venn.setMaximumHeight(QWIDGETSIZE_MAX if beside else em * 34)
        header = self.table.horizontalHeader()
        ticks = sum(header.sectionSizeHint(c) for c in range(1, self.model.columnCount()))
        self.table.setMinimumWidth(ticks + em * self._item_column_em
                                   + 2 * self.table.frameWidth())

    def load_stage(self, ctx: WizardContext) -> None:
        self.model.set_items(ctx.record.match_items)
        self.venn.set_items(ctx.record.match_items)

    def first_focus(self) -> QWidget | None:
        return self.add_edits["skills"]

    def _add(self, circle: str) -> None:
        ctx = self.ctx
        assert ctx is not None
        edit = self.add_edits[circle]
        text = edit.text().strip()
        if not text:
            return
        svc = ctx.services.conversations
        try:
            item = svc.add_match_item(
                ctx.conversation_id, text, in_skills=circle == "skills",
                in_interests=circle == "interests", in_business=circle == "business")
        except CareerDeskError as exc:
            dialogs.warn(self, self.tr("Add item"), exc.user_message)
            return
        ctx.push(Edit(self.tr("Add item"), self._key("match", item.id), None, item,
                      record_writer(item.id, svc.restore_match_item, svc.delete_match_item),
                      read=self._item_reader(item.id)),
                 written=True)
        edit.clear()
        self.model.set_items([*self.model.items(), item])
        self.venn.set_items(self.model.items())
        self.marks_changed.emit()  # re-read the record: Summary and the marks count it now

    def _item_reader(self, item_id: str) -> Callable[[], MatchItem | None]:
        """The item as stored now (None when removed)."""
        ctx = self.ctx
        assert ctx is not None
        svc, cid = ctx.services.conversations, ctx.conversation_id
        return lambda: next((i for i in svc.match_items(cid) if i.id == item_id), None)

    def _edited(self, item_id: str, name: str, value: Any, old: Any) -> None:
        ctx = self.ctx
        assert ctx is not None
        svc = ctx.services.conversations
        self.venn.set_items(self.model.items())
        if name == "text":
            ctx.save_later(self._key("match", item_id, name),
                           lambda: svc.update_match_item(item_id, text=value))
            return
        label = (self.tr("Place item") if name != "private"
                 else self.tr("Make private") if value else self.tr("Make shareable"))
        ctx.change(label, self._key("match", item_id, name),
                   lambda v: svc.update_match_item(item_id, **{name: v}), old, value)
        self.marks_changed.emit()  # the table keeps its current cell: no reload

    def _delete(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        index = self.table.currentIndex()
        if not index.isValid():
            return
        item_id = self.model.item(index.row()).id
        svc = ctx.services.conversations
        ctx.autosave.flush()  # the snapshot holds what was typed last
        item = next((i for i in svc.match_items(ctx.conversation_id) if i.id == item_id), None)
        if item is None:
            return
        ctx.push(Edit(self.tr("Remove item"), self._key("match", item.id), item, None,
                      record_writer(item.id, svc.restore_match_item, svc.delete_match_item),
                      read=self._item_reader(item.id)),
                 announce=self.tr("Removed item"))
        self.reload_requested.emit()


class PlanPage(StagePage):
    """The next steps, with hints, the learning mix and who owns what."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(StageId.PLAN, parent)
        add = QHBoxLayout()
        self.kind_combo = QComboBox(self.inner)
        self.kind_combo.setAccessibleName(self.tr("Kind of the new next step"))
        for kind in ActionKind:
            self.kind_combo.addItem(ENUM_LABELS[kind], kind.value)
        add.addWidget(self.kind_combo)
        self.step_edit = QLineEdit(self.inner)
        self.step_edit.setPlaceholderText(self.tr("A next step: what will be done, by when"))
        self.step_edit.setAccessibleName(self.tr("New next step"))
        self.step_edit.returnPressed.connect(self._add)
        add.addWidget(self.step_edit, 1)
        self.add_button = QPushButton(self.tr("&Add step"), self.inner)
        self.add_button.setAccessibleName(self.tr("Add next step"))
        self.add_button.clicked.connect(self._add)
        add.addWidget(self.add_button)
        self.top.addLayout(add)
        self.model = PlanTableModel(self._edited, self)
        self.table = QTableView(self.inner)
        self.table.setModel(self.model)
        self.table.setItemDelegate(PlanDelegate(self.table))
        style_private_rows(self.table, private_column_rule(self.model.COLUMNS.index("private")),
                           lock_column=self.model.COLUMNS.index("text"))
        self.table.setAccessibleName(self.tr("Next steps"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # The step itself gets the room; support is usually short and can be widened by hand.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(5, self.fontMetrics().horizontalAdvance("M") * 11)
        self.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 10)
        # Wrapped step text shows whole: rows take the height their text needs at the width
        # the columns have now (ResizeToContents measured once, at a narrower first layout).
        fit_rows = QTimer(self)
        fit_rows.setSingleShot(True)
        fit_rows.setInterval(0)
        fit_rows.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_args: fit_rows.start())
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.dataChanged):
            signal.connect(lambda *_args: fit_rows.start())
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.top.addWidget(self.table)
        self._build_details()
        buttons = QHBoxLayout()
        self.delete_button = QPushButton(self.tr("&Remove step"), self.inner)
        self.delete_button.setAccessibleName(self.tr("Remove next step"))
        self.delete_button.clicked.connect(self._delete)
        buttons.addWidget(self.delete_button)
        self.clear_date_button = QPushButton(self.tr("Clear &date"), self.inner)
        self.clear_date_button.setAccessibleName(self.tr("Clear the due date"))
        self.clear_date_button.clicked.connect(self._clear_date)
        buttons.addWidget(self.clear_date_button)
        buttons.addStretch(1)
        self.top.addLayout(buttons)
        self.hints = wrapped("", self.inner)
        self.hints.setTextFormat(Qt.TextFormat.RichText)
        self.hints.setAccessibleName(self.tr("Hints about the steps"))
        self.top.addWidget(self.hints)
        self.mix_label = wrapped("", self.inner)
        self.mix_label.setAccessibleName(self.tr("Learning mix"))
        self.top.addWidget(self.mix_label)
        self.owner_label = wrapped("", self.inner)
        self.owner_label.setAccessibleName(self.tr("Who owns the steps"))
        self.top.addWidget(self.owner_label)
        self.owner_note = wrapped("", self.inner)
        self.owner_note.setFrameShape(QFrame.Shape.StyledPanel)
        self.owner_note.setAutoFillBackground(True)
        self.owner_note.setBackgroundRole(self.owner_note.palette().ColorRole.ToolTipBase)
        self.owner_note.setForegroundRole(self.owner_note.palette().ColorRole.ToolTipText)
        self.top.addWidget(self.owner_note)

    def _build_details(self) -> None:
        """Support and horizon of the selected step, for pages too narrow for their columns
        (the same model cells, through the table's delegate)."""
        columns = PlanTableModel.COLUMNS
        self.details = QWidget(self.inner)
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        self.support_edit = QLineEdit(self.details)
        self.support_edit.setAccessibleName(self.tr("Support needed for the selected step"))
        self.horizon_combo = QComboBox(self.details)
        self.horizon_combo.setAccessibleName(self.tr("Horizon of the selected step"))
        for horizon in Horizon:
            self.horizon_combo.addItem(ENUM_LABELS[horizon], horizon.value)
        form.addRow(self.tr("Selected step's &support needed:"), self.support_edit)
        form.addRow(self.tr("Selected step's &horizon:"), self.horizon_combo)
        self.details_mapper = QDataWidgetMapper(self)
        self.details_mapper.setModel(self.model)
        self.details_mapper.setItemDelegate(PlanDelegate(self.details_mapper))
        self.details_mapper.addMapping(self.support_edit, columns.index("support"))
        self.details_mapper.addMapping(self.horizon_combo, columns.index("horizon"))
        self.details_mapper.setSubmitPolicy(QDataWidgetMapper.SubmitPolicy.AutoSubmit)
        self.horizon_combo.activated.connect(lambda _i: self.details_mapper.submit())
        self.support_edit.editingFinished.connect(self.details_mapper.submit)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_details(current.row()))
        self.model.modelReset.connect(
            lambda: self._show_details(self.table.currentIndex().row()))
        self.top.addWidget(self.details)
        self._show_details(-1)

    def _show_details(self, row: int) -> None:
        self.details_mapper.setCurrentIndex(row)
        self.support_edit.setEnabled(row >= 0)
        self.horizon_combo.setEnabled(row >= 0)

    def adapt_layout(self, width: int) -> None:
        # Narrow: support and horizon leave the table for the fields under it, so the step
        # text keeps the spare width and nothing scrolls sideways.
        narrow = layout.narrower_than(self, width, layout.PLAN_ALL_COLUMNS_EM)
        for name in ("support", "horizon"):
            self.table.setColumnHidden(PlanTableModel.COLUMNS.index(name), narrow)
        self.details.setVisible(narrow)

    def first_focus(self) -> QWidget | None:
        return self.step_edit

    def load_stage(self, ctx: WizardContext) -> None:
        actions = ctx.record.actions
        self.model.set_actions(actions, self._issues(ctx))
        self._summaries()

    def _issues(self, ctx: WizardContext) -> dict[str, list[str]]:
        rules = ctx.content.plan.rules
        return {a.id: step_issues(a.text, a.due, rules=rules) for a in self.model.actions()} \
            if self.model.actions() else {
                a.id: step_issues(a.text, a.due, rules=rules) for a in ctx.record.actions}

    def _summaries(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        plan = ctx.content.plan
        actions = self.model.actions()
        issues = {a.id: step_issues(a.text, a.due, rules=plan.rules) for a in actions}
        self.model.set_issues(issues)
        by_issue: dict[str, list[int]] = {}
        for row, action in enumerate(actions, start=1):
            for issue in issues[action.id]:
                by_issue.setdefault(issue, []).append(row)
        lines = []
        for issue_id, rows in by_issue.items():
            found = plan.issues.get(issue_id)
            if found is None:
                continue
            steps = ", ".join(str(r) for r in rows)
            lines.append(f"<b>{html.escape(found.title)}</b> ({self.tr('steps')} {steps}): "
                         f"{html.escape(found.message)}")
        self.hints.setText("<br>".join(lines))
        self.hints.setVisible(bool(lines))
        open_steps = [a for a in actions if a.status.is_open]
        mix = kind_mix(open_steps, rules=plan.rules)
        parts = [
            f"{c.title} {mix.counts.get(c.id, 0)} ({round(mix.share(c.id) * 100)}%, "
            f"{self.tr('aim')} {c.target_percent}%)" for c in plan.categories
        ]
        self.mix_label.setText(self.tr("Learning mix of open steps: ") + " · ".join(parts))
        self.mix_label.setToolTip("\n".join(f"{c.title}: {c.text}" for c in plan.categories))
        ratio = ownership_ratio(actions)
        self.owner_label.setText(self.tr("Owned by the employee {0} · the supervisor {1} · "
                                         "both {2}").format(ratio.employee, ratio.supervisor,
                                                            ratio.both))
        self.owner_note.setText(plan.supervisor_owns_most)
        self.owner_note.setVisible(ratio.supervisor_owns_most)

    def _add(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        text = self.step_edit.text().strip()
        if not text:
            return
        plan = ctx.services.plan
        try:
            action = plan.add(
                ctx.person_id, text, kind=ActionKind(self.kind_combo.currentData()),
                conversation_id=ctx.conversation_id)
        except CareerDeskError as exc:
            dialogs.warn(self, self.tr("Add next step"), exc.user_message)
            return
        ctx.push(Edit(self.tr("Add step"), self._key("action", action.id), None, action,
                      record_writer(action.id, plan.restore, plan.delete),
                      read=record_reader(lambda: plan.get(action.id))), written=True)
        self.step_edit.clear()
        self.model.set_actions([*self.model.actions(), action], {})
        self._summaries()
        self.marks_changed.emit()  # re-read the record: Summary and the marks count it now

    def _edited(self, action_id: str, name: str, value: Any, old: Any) -> None:
        ctx = self.ctx
        assert ctx is not None
        svc = ctx.services.plan
        self._summaries()
        if name in ("text", "support"):
            ctx.save_later(self._key("action", action_id, name),
                           lambda: svc.update(action_id, **{name: value}))
            return
        labels = {"due": self.tr("Change due date"), "status": self.tr("Change status"),
                  "owner": self.tr("Change owner"), "kind": self.tr("Change kind"),
                  "horizon": self.tr("Change horizon"),
                  "private": self.tr("Make private") if value else self.tr("Make shareable")}
        ctx.change(labels.get(name, self.tr("Change next step")),
                   self._key("action", action_id, name),
                   lambda v: svc.update(action_id, **{name: v}), old, value)

    def _delete(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        index = self.table.currentIndex()
        if not index.isValid():
            return
        action = self.model.action(index.row())
        if action.conversation_id != ctx.conversation_id:
            dialogs.inform(self, self.tr("Remove step"), self.tr(
                "This step was carried over from an earlier conversation; change its status "
                "instead (done or dropped)."))
            return
        plan = ctx.services.plan
        ctx.autosave.flush()  # the snapshot holds what was typed last
        snapshot = plan.get(action.id)
        ctx.push(Edit(self.tr("Remove step"), self._key("action", action.id), snapshot, None,
                      record_writer(action.id, plan.restore, plan.delete),
                      read=record_reader(lambda: plan.get(action.id))),
                 announce=self.tr("Removed step"))
        self.reload_requested.emit()

    def _clear_date(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.setData(self.model.index(index.row(), PlanTableModel.COLUMNS.index("due")),
                               None)


class ReflectPage(StagePage):
    """Guardrails, behaviour self-check, pulse, private reflection."""

    free_note_label = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(StageId.REFLECT, parent)
        self.guardrails_title = heading(self.tr("Did it stay a career conversation?"),
                                        self.inner, scale=1.1)
        self.top.addWidget(self.guardrails_title)
        self.guardrail_box = QVBoxLayout()
        self.top.addLayout(self.guardrail_box)
        self.guardrail_checks: dict[str, QCheckBox] = {}
        self.top.addWidget(heading(self.tr("How did I do?"), self.inner, scale=1.1))
        self.checklist: BehaviourChecklist | None = None
        self.checklist_box = QVBoxLayout()
        self.top.addLayout(self.checklist_box)
        self.top.addWidget(heading(self.tr("Pulse (private)"), self.inner, scale=1.1))
        self.pulse_grid = QGridLayout()
        self.top.addLayout(self.pulse_grid)
        self.pulse_choices: dict[str, PulseChoice] = {}
        self.reflection = NoteEditor(self.tr("Private reflection"), self.inner,
                                     private_fixed=True)
        self.reflection.text_edited.connect(
            lambda text: self._note_text(NoteKind.REFLECTION, text))
        self.bottom.addWidget(self.reflection)
        self.conversation_terms = muted(wrapped("", self.inner))
        self.bottom.addWidget(self.conversation_terms)

    def _build(self, ctx: WizardContext) -> None:
        for check in ctx.content.guardrails.checks:
            row = WrappedCheck(f"{check.title}: {check.question}", self.inner,
                               accessible=check.question, tooltip=check.help)
            row.box.toggled.connect(lambda on, cid=check.id: self._check(cid, on))
            self.guardrail_box.addWidget(row)
            self.guardrail_checks[check.id] = row.box
        self.checklist = BehaviourChecklist(ctx.content.behaviours, [Phase.DURING, Phase.AFTER],
                                            self.inner)
        self.checklist.check_toggled.connect(self._check)
        self.checklist_box.addWidget(self.checklist)
        for line, dimension in enumerate(ctx.content.pulse):
            choice = PulseChoice(dimension.id, dimension.title, dimension.question(ctx.audience),
                                 dimension.labels, self.inner)
            choice.value_chosen.connect(self._pulse_chosen)
            self.pulse_grid.addWidget(choice, line, 0)
            self.pulse_choices[dimension.id] = choice

    def load_stage(self, ctx: WizardContext) -> None:
        if self.checklist is None:
            self._build(ctx)
        assert self.checklist is not None
        for check_id, box in self.guardrail_checks.items():
            blocked = box.blockSignals(True)
            box.setChecked(bool(ctx.record.checks.get(check_id, False)))
            box.blockSignals(blocked)
        self.checklist.show_checks(ctx.record.checks)
        for dimension_id, choice in self.pulse_choices.items():
            choice.set_value(ctx.record.pulse.get(dimension_id))
        text, _private = self._note(NoteKind.REFLECTION)
        self.reflection.show_note(text, True)
        self._scan_conversation(ctx)

    def first_focus(self) -> QWidget | None:
        return next(iter(self.guardrail_checks.values()), None)

    def shown_again(self, ctx: WizardContext) -> None:
        self.ctx = ctx
        self._scan_conversation(ctx)

    def _scan_conversation(self, ctx: WizardContext) -> None:
        texts = [a.text for a in ctx.record.answers] + [n.text for n in ctx.record.notes]
        found = ctx.content.guardrails.find_terms("\n".join(texts))
        if found:
            words = ", ".join(dict.fromkeys(f"“{t.text}”" for t in found))
            self.conversation_terms.setText(
                f"{ctx.content.guardrails.hint_title}: {words}. "
                f"{ctx.content.guardrails.hint_message}")
        self.conversation_terms.setVisible(bool(found))

    def _pulse_chosen(self, dimension_id: str, value: int | None) -> None:
        """A pulse word chosen (or "Not set"): written at once, undoable."""
        ctx = self.ctx
        assert ctx is not None
        old = ctx.record.pulse.get(dimension_id)
        svc, cid = ctx.services.conversations, ctx.conversation_id
        ctx.change(self.tr("Set pulse"), self._key("pulse", dimension_id, "value"),
                   lambda v: svc.set_pulse(cid, dimension_id, v), old, value)
        if value is None:
            ctx.record.pulse.pop(dimension_id, None)
        else:
            ctx.record.pulse[dimension_id] = value


class SummaryPage(StagePage):
    """What was agreed, what is private, what would be shared; exports join here."""

    has_prompts = False
    free_note_label = ""
    finished_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(StageId.SUMMARY, parent)
        self.finished_check = QCheckBox(self.tr("This conversation is &finished"), self.inner)
        self.finished_check.setAccessibleName(self.tr("Conversation finished"))
        self.finished_check.toggled.connect(self._finished)
        self.top.addWidget(self.finished_check)
        self.export_bar = QHBoxLayout()
        self.export_bar.setContentsMargins(0, 0, 0, 0)
        self.export_bar.setAlignment(Qt.AlignmentFlag.AlignLeft)  # together, not spread out
        self.export_bar_widget = QWidget(self.inner)
        self.export_bar_widget.setLayout(self.export_bar)
        self.export_bar_widget.hide()
        self.top.addWidget(self.export_bar_widget)
        self.browser = QTextBrowser(self.inner)
        self.browser.setAccessibleName(self.tr("Summary"))
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        self.with_book = False  # the book's list, once asked for, is kept up to date
        self.browser.setMinimumHeight(self.fontMetrics().lineSpacing() * 24)
        self.top.addWidget(self.browser, 1)
        self.layout_.setStretchFactor(self.top, 100)  # the summary fills the page

    def add_export_action(self, action: QAction) -> QToolButton:
        """Hook for the exports: each action becomes a button on the summary page."""
        button = QToolButton(self.export_bar_widget)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.export_bar.addWidget(button)
        self.export_bar_widget.show()
        return button

    def first_focus(self) -> QWidget | None:
        return self.finished_check

    def load_stage(self, ctx: WizardContext) -> None:
        blocked = self.finished_check.blockSignals(True)
        self.finished_check.setChecked(ctx.record.conversation.completed)
        self.finished_check.blockSignals(blocked)
        self.browser.setHtml(summary_html(ctx, with_book=self.with_book))

    def _link(self, url: QUrl) -> None:
        from careerdesk.ui.wizard.summary import BOOK_LINK

        if url.toString() == BOOK_LINK and self.ctx is not None:
            self.with_book = True
            position = self.browser.verticalScrollBar().value()
            self.browser.setHtml(summary_html(self.ctx, with_book=True))
            self.browser.verticalScrollBar().setValue(position)

    def shown_again(self, ctx: WizardContext) -> None:
        self.load(ctx)  # the summary gathers every stage: always as it is now

    def _finished(self, on: bool) -> None:
        ctx = self.ctx
        assert ctx is not None
        svc, cid = ctx.services.conversations, ctx.conversation_id
        ctx.change(self.tr("Mark finished"), self._key("conversation", "completed"),
                   lambda v: svc.update(cid, completed=v), not on, on)
        self.finished_toggled.emit(on)


def summary_html(ctx: WizardContext, *, with_book: bool = False) -> str:
    """The summary as (escaped) HTML, from the exports' own document data."""
    from careerdesk.ui.wizard import summary

    record = ctx.record
    data = summary.summary_data(ctx.services, ctx.person_id, ctx.conversation_id,
                                with_book=with_book)
    return summary.summary_html(
        data, heading=f"{record.person.name} — {record.conversation.held_on.isoformat()}",
        purpose=record.conversation.purpose, private_mark=private_mark_html())


def make_page(stage: StageId, parent: QWidget | None = None) -> StagePage:
    pages: dict[StageId, type[StagePage]] = {
        StageId.PREPARE: PreparePage,
        StageId.MATCH: MatchPage,
        StageId.PLAN: PlanPage,
        StageId.REFLECT: ReflectPage,
        StageId.SUMMARY: SummaryPage,
    }
    cls = pages.get(stage)
    if cls is None:
        return QuestionsPage(stage, parent)
    return cls(parent)  # type: ignore[arg-type]  # the subclasses know their stage


