"""The conversation wizard: a stage list to jump around in, the stage pages, next and back."""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from careerdesk.content import Audience, load_content
from careerdesk.domain.model import STAGE_ORDER, StageId
from careerdesk.domain.progress import Progress, StageFacts, stage_progress
from careerdesk.ui import layout
from careerdesk.ui.edits import EditKey, EditStack
from careerdesk.ui.layout import QWIDGETSIZE_MAX
from careerdesk.ui.wizard.context import WizardContext
from careerdesk.ui.wizard.pages import StagePage, SummaryPage, make_page
from careerdesk.ui.wizard.widgets import heading, muted, set_reading

if TYPE_CHECKING:
    from careerdesk.services import Services

STAGE_ROLE = Qt.ItemDataRole.UserRole + 1
MARKS = {Progress.DONE: "✓", Progress.PARTLY: "◐", Progress.NOT_STARTED: "○"}


class ConversationWizard(QWidget):
    """One conversation, stage by stage."""

    stage_changed = Signal(str)
    conversation_changed = Signal()  # something the roster shows may have changed

    def __init__(self, services: Services, edits: EditStack, *,
                 language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.edits = edits
        self.autosave = edits.autosave
        self.undo_stack = edits.undo_stack
        self.content = load_content(language)
        self.ctx: WizardContext | None = None
        self._loaded: dict[StageId, str] = {}  # stage -> conversation id its page shows
        self._record_stale = False  # something was written since the record was read
        # Bumped whenever the record is read again: a page shown again only refreshes (and the
        # done marks are only worked out again) when the record changed since.
        self._record_version = 0
        self._seen_version: dict[StageId, int] = {}
        self._marks_version = -1
        self.autosave.saved.connect(self._mark_stale)
        self.guidance_expanded = True
        self.last_switch_ms = 0.0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        em = self.fontMetrics().horizontalAdvance("M")
        header.setContentsMargins(em, em // 2, em, 0)
        self.header = heading("", self, scale=1.15)
        header.addWidget(self.header, 1)
        self.position_label = muted(QLabel(self))
        header.addWidget(self.position_label)
        layout.addLayout(header)
        # A finished conversation opens for reading; "Edit" is the explicit way to change it.
        self.read_bar = QWidget(self)
        self.read_bar.setObjectName("ReadOnlyBar")
        self.read_bar.setAutoFillBackground(True)  # a tinted strip: reading, not editing
        self.read_bar.setBackgroundRole(self.read_bar.palette().ColorRole.ToolTipBase)
        self.read_bar.setForegroundRole(self.read_bar.palette().ColorRole.ToolTipText)
        read_layout = QHBoxLayout(self.read_bar)
        read_layout.setContentsMargins(em, em // 4, em, em // 4)
        self.read_label = QLabel(self.tr("This conversation is finished and shown for reading."),
                                 self.read_bar)
        self.read_label.setWordWrap(True)
        read_layout.addWidget(self.read_label, 1)
        self.edit_button = QPushButton(self.tr("&Edit"), self.read_bar)
        self.edit_button.setAccessibleName(self.tr("Edit this finished conversation"))
        self.edit_button.clicked.connect(lambda: self.set_reading(False))
        read_layout.addWidget(self.edit_button)
        self.read_bar.hide()
        self.reading = False
        layout.addWidget(self.read_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("WizardSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.stage_list = QListWidget(self.splitter)
        self.stage_list.setAccessibleName(self.tr("Stages"))
        for stage in STAGE_ORDER:
            item = QListWidgetItem(self.content.stage(stage).title, self.stage_list)
            item.setData(STAGE_ROLE, stage.value)
        self.stage_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widest = max(self.fontMetrics().horizontalAdvance(f"○  {s.title}")
                     for s in self.content.stages)
        self._stage_list_width = (widest + em * 2, widest + em * 4)
        self.stage_list.setMinimumWidth(widest + em * 2)
        self.stage_list.setMaximumWidth(widest + em * 4)
        self.stage_list.setSpacing(0)
        self.stage_list.currentRowChanged.connect(self._row_changed)
        self.pages_stack = QStackedWidget(self.splitter)
        self.pages: dict[StageId, StagePage] = {}
        for _stage in STAGE_ORDER:
            placeholder = QWidget(self.pages_stack)
            self.pages_stack.addWidget(placeholder)
        self.splitter.addWidget(self.stage_list)
        self.splitter.addWidget(self.pages_stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([em * 12, em * 60])
        layout.addWidget(self.splitter, 1)

        nav = QHBoxLayout()
        nav.setContentsMargins(em, 0, em, em // 2)
        self.back_button = QPushButton(self.tr("< &Back"), self)
        self.back_button.setAccessibleName(self.tr("Previous stage"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton(self.tr("&Next >"), self)
        self.next_button.setAccessibleName(self.tr("Next stage"))
        self.next_button.clicked.connect(self.go_next)
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        layout.addLayout(nav)

    # -- loading ------------------------------------------------------------------------------
    @property
    def conversation_id(self) -> str | None:
        return None if self.ctx is None else self.ctx.conversation_id

    @property
    def person_id(self) -> str | None:
        return None if self.ctx is None else self.ctx.person_id

    def page(self, stage: StageId) -> StagePage:
        """The page of a stage (built the first time it is needed)."""
        page = self.pages.get(stage)
        if page is None:
            index = STAGE_ORDER.index(stage)
            placeholder = self.pages_stack.widget(index)
            assert placeholder is not None
            page = make_page(stage, self.pages_stack)
            page.reload_requested.connect(self.refresh)
            page.marks_changed.connect(self.refresh_marks)
            page.guidance.set_expanded(self.guidance_expanded)
            page.guidance_toggled.connect(self._guidance_toggled)
            if isinstance(page, SummaryPage):
                page.finished_toggled.connect(lambda _on: self.refresh_marks())
            pack_changed = getattr(page, "pack_changed", None)
            if pack_changed is not None:
                pack_changed.connect(lambda _pack: self.refresh())
            self.pages_stack.insertWidget(index, page)
            self.pages_stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.pages[stage] = page
        return page

    def load(self, conversation_id: str) -> None:
        """Show a conversation, at the stage it was left at."""
        self.autosave.flush()
        if self.ctx is not None and self.ctx.conversation_id != conversation_id:
            self.undo_stack.clear()  # undo steps belong to the conversation they were made in
        record = self.services.conversations.record(conversation_id)
        audience = Audience.EMPLOYEE if record.person.is_me else Audience.SUPERVISOR
        self.ctx = WizardContext(
            services=self.services, edits=self.edits,
            content=self.content, record=record, audience=audience, refresh=self.refresh,
        )
        self._loaded.clear()
        self._record_read()
        self.reading = record.conversation.completed
        self.read_bar.setVisible(self.reading)
        self.header.setText(self.tr("{0} · conversation of {1}").format(
            record.person.name, record.conversation.held_on.isoformat()))
        stage = record.conversation.current_stage
        self._show_stage(stage, remember=False)

    def set_reading(self, reading: bool) -> None:
        """Show the conversation for reading only, or (the Edit button) editable again."""
        self.reading = reading
        self.read_bar.setVisible(reading)
        for page in self.pages.values():
            self._apply_reading(page)
        if not reading:
            shown = self.pages.get(self.current_stage)
            target = shown.first_focus() if shown is not None else None
            if target is not None:
                target.setFocus()

    def _apply_reading(self, page: StagePage) -> None:
        if bool(page.property("reading")) != self.reading:
            set_reading(page.inner, self.reading)
            page.setProperty("reading", self.reading)
        elif self.reading:
            set_reading(page.inner, True)  # cards or rows made since are read-only too

    def unload(self) -> None:
        """Forget the conversation (its person was deleted, or the journal closes)."""
        self.ctx = None
        self._loaded.clear()
        self._record_read()

    def _record_read(self) -> None:
        self._record_version += 1
        self._record_stale = False

    def _mark_stale(self, keys: list[object]) -> None:
        # The stage the user is on is kept in the record already; anything else means re-read.
        if any(not (isinstance(k, EditKey) and k.is_bookkeeping) for k in keys):
            self._record_stale = True

    def reload_record(self) -> bool:
        """Read the conversation again (after the autosave queue is written)."""
        if self.ctx is None or not self.autosave.flush():
            return False
        self.ctx.forget_prompts()
        self.ctx.record = self.services.conversations.record(self.ctx.conversation_id)
        self._record_read()
        return True

    def refresh_marks(self) -> None:
        """Re-read the conversation and update the done marks (the page stays as it is)."""
        if self.reload_record():
            self._update_marks()
            self.conversation_changed.emit()

    def refresh(self) -> None:
        """Re-read and re-show the current stage (after undo, hide, reorder, add)."""
        if not self.reload_record():
            return
        assert self.ctx is not None
        self._loaded.clear()
        stage = self.current_stage
        focus = self.focusWidget()
        focus_name = focus.accessibleName() if focus is not None else ""
        page = self.page(stage)
        page.load(self.ctx)
        self._apply_reading(page)
        self._loaded[stage] = self.ctx.conversation_id
        self._seen_version[stage] = self._record_version
        self._update_marks()
        if focus_name:  # keep the keyboard where it was, as near as possible
            for widget in page.findChildren(QWidget):
                if widget.accessibleName() == focus_name and widget.isVisible():
                    widget.setFocus()
                    break
        self.conversation_changed.emit()

    # -- stages -------------------------------------------------------------------------------
    @property
    def current_stage(self) -> StageId:
        row = self.stage_list.currentRow()
        return STAGE_ORDER[row] if 0 <= row < len(STAGE_ORDER) else StageId.PREPARE

    def go_to(self, stage: StageId) -> None:
        self._show_stage(stage)

    def go_next(self) -> None:
        index = STAGE_ORDER.index(self.current_stage)
        if index + 1 < len(STAGE_ORDER):
            self._show_stage(STAGE_ORDER[index + 1], focus_page=True)

    def go_back(self) -> None:
        index = STAGE_ORDER.index(self.current_stage)
        if index > 0:
            self._show_stage(STAGE_ORDER[index - 1], focus_page=True)

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(STAGE_ORDER) and self.ctx is not None:
            self._show_stage(STAGE_ORDER[row])

    def _show_stage(self, stage: StageId, *, remember: bool = True,
                    focus_page: bool = False) -> None:
        if self.ctx is None:
            return
        started = time.perf_counter()
        stage_key = self.ctx.conversation_key("current_stage")
        if any(key != stage_key for key in self.autosave.pending_keys()):
            saved = self.autosave.flush()  # a stage change writes what was typed
        else:
            # Only where the user is waits: the debounce timer writes it, not every switch.
            saved = True
        if saved and self._record_stale:
            self.ctx.record = self.services.conversations.record(self.ctx.conversation_id)
            self._record_read()
        blocked = self.stage_list.blockSignals(True)
        self.stage_list.setCurrentRow(STAGE_ORDER.index(stage))
        self.stage_list.blockSignals(blocked)
        page = self.page(stage)
        stale = self._loaded.get(stage) != self.ctx.conversation_id
        if stale:
            page.load(self.ctx)
            self._loaded[stage] = self.ctx.conversation_id
            self._seen_version[stage] = self._record_version
        elif saved and self._seen_version.get(stage) != self._record_version:
            page.shown_again(self.ctx)  # pages that sum up others refresh what they show
            self._seen_version[stage] = self._record_version
        self._apply_reading(page)
        self.pages_stack.setCurrentWidget(page)
        index = STAGE_ORDER.index(stage)
        self.position_label.setText(self.tr("Stage {0} of {1}").format(
            index + 1, len(STAGE_ORDER)))
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index + 1 < len(STAGE_ORDER))
        if remember and self.ctx.record.conversation.current_stage is not stage:
            # Where the user is: written with the next autosave, not on the switch itself.
            svc, cid = self.services.conversations, self.ctx.conversation_id
            self.ctx.save_later(self.ctx.conversation_key("current_stage"),
                                lambda: svc.update(cid, current_stage=stage), quiet=True)
            self.ctx.record = dataclasses.replace(
                self.ctx.record,
                conversation=dataclasses.replace(self.ctx.record.conversation,
                                                 current_stage=stage))
        self._update_marks()
        if focus_page:
            target = page.first_focus()
            if target is not None:
                target.setFocus()
        self.last_switch_ms = (time.perf_counter() - started) * 1000
        self.stage_changed.emit(stage.value)

    def _update_marks(self) -> None:
        if self.ctx is None or self._marks_version == self._record_version:
            return  # nothing the marks count changed since they were worked out
        self._marks_version = self._record_version
        record = self.ctx.record
        facts = StageFacts(record.conversation, record.answers, record.notes,
                           record.match_items, record.actions, record.checks, record.pulse)
        from careerdesk.ui.wizard.pages import prompt_entries

        for row, stage in enumerate(STAGE_ORDER):
            visible = [e.prompt_id for e in prompt_entries(self.ctx, stage) if not e.hidden]
            progress = stage_progress(stage, facts, prompt_ids=visible,
                                      pulse_dimensions=len(self.content.pulse))
            item = self.stage_list.item(row)
            title = self.content.stage(stage).title
            item.setText(f"{MARKS[progress]}  {title}")
            state = {Progress.DONE: self.tr("done"), Progress.PARTLY: self.tr("partly done"),
                     Progress.NOT_STARTED: self.tr("not started")}[progress]
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}, {state}")
            item.setToolTip(state)
            item.setData(Qt.ItemDataRole.UserRole + 2, progress.value)

    def stage_progress_of(self, stage: StageId) -> Progress:
        item = self.stage_list.item(STAGE_ORDER.index(stage))
        return Progress(item.data(Qt.ItemDataRole.UserRole + 2))

    def focus_stage_list(self) -> None:
        self.stage_list.setFocus()

    def _guidance_toggled(self, expanded: bool) -> None:
        self.guidance_expanded = expanded
        for page in self.pages.values():
            if page.guidance.button.isChecked() != expanded:
                page.guidance.set_expanded(expanded)

    # -- layout -------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self.adapt_layout()

    def adapt_layout(self) -> None:
        """Beside the page when there is room; above it, in wrapped rows, when narrow
        (breakpoint: ui/layout.py), so the page keeps the window's whole width."""
        on_top = layout.narrower_than(self, self.width(), layout.STAGES_ON_TOP_EM)
        stages = self.stage_list
        if on_top:
            self.splitter.setOrientation(Qt.Orientation.Vertical)
            stages.setFlow(QListView.Flow.LeftToRight)
            stages.setWrapping(True)
            stages.setSpacing(max(1, layout.em(self) // 4))
            stages.setMinimumWidth(0)
            stages.setMaximumWidth(QWIDGETSIZE_MAX)
            height = self._stage_rows_height(self.width())
            stages.setFixedHeight(height)
            # A turned splitter keeps its old sizes: give the page all but the rows.
            self.splitter.setSizes([height, max(1, self.splitter.height() - height)])
        else:
            turned = self.splitter.orientation() is not Qt.Orientation.Horizontal
            self.splitter.setOrientation(Qt.Orientation.Horizontal)
            if turned:
                narrowest = self._stage_list_width[0]
                self.splitter.setSizes([narrowest, max(1, self.width() - narrowest)])
            stages.setFlow(QListView.Flow.TopToBottom)
            stages.setWrapping(False)
            stages.setSpacing(0)
            stages.setMinimumHeight(0)
            stages.setMaximumHeight(QWIDGETSIZE_MAX)
            stages.setMinimumWidth(self._stage_list_width[0])
            stages.setMaximumWidth(self._stage_list_width[1])

    def _stage_rows_height(self, width: int) -> int:
        """The height the stage titles need in rows across ``width``."""
        stages = self.stage_list
        spacing = stages.spacing()
        room = width - 2 * stages.frameWidth() - spacing
        rows, used = 1, 0
        for row in range(stages.count()):
            item_width = stages.sizeHintForIndex(stages.model().index(row, 0)).width() + spacing
            if used and used + item_width > room:
                rows, used = rows + 1, 0
            used += item_width
        line = stages.sizeHintForRow(0) + spacing
        return rows * line + spacing + 2 * stages.frameWidth()

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("wizard/splitter", self.splitter.saveState())
        settings.setValue("wizard/guidance", self.guidance_expanded)

    def restore_layout(self, settings: QSettings) -> None:
        state = settings.value("wizard/splitter")
        if state is not None:
            self.splitter.restoreState(state)
            self.adapt_layout()  # the saved state holds an orientation: the width decides
        expanded = settings.value("wizard/guidance")
        if expanded is not None:
            self.guidance_expanded = str(expanded).lower() in ("true", "1")

