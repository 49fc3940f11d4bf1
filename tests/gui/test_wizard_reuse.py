"""The wizard keeps its stage pages and question cards and refills them: whatever is reused
must show the conversation and the edits as they are now, never what an earlier one left."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import MatchItem, StageId
from careerdesk.domain.progress import Progress
from careerdesk.services import Services
from careerdesk.storage.journal import open_journal
from careerdesk.ui.labels import CIRCLE_TITLES
from careerdesk.ui.main_window import MainWindow
from careerdesk.ui.wizard import ConversationWizard
from careerdesk.ui.wizard.pages import ReflectPage, SummaryPage
from careerdesk.ui.wizard.venn import VennWidget
from careerdesk.ui.wizard.widgets import PromptCard
from tests.gui.conftest import WindowFactory, person_id

pytestmark = pytest.mark.gui


def _start(window: MainWindow, name: str) -> tuple[str, ConversationWizard]:
    """A new conversation with ``name``, open in the window's wizard."""
    assert window.services is not None
    conversation = window.services.conversations.start(person_id(window, name), dt.date.today())
    window.open_conversation(conversation.id)
    assert window.wizard is not None
    return conversation.id, window.wizard


def _cards(window: MainWindow, stage: StageId) -> list[PromptCard]:
    assert window.wizard is not None
    prompts = window.wizard.page(stage).prompts
    assert prompts is not None
    return list(prompts.cards.values())


def test_cards_reused_for_another_conversation_show_only_its_answers(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    first, wizard = _start(window, "Bea Stone")
    wizard.go_to(StageId.CURRENT_ROLE)
    card = _cards(window, StageId.CURRENT_ROLE)[0]
    card.asked_check.click()
    card.private_button.click()
    qtbot.keyClicks(card.note, "Bea likes the research work")

    second, _wizard = _start(window, "Carl Diaz")
    wizard.go_to(StageId.CURRENT_ROLE)
    reused = _cards(window, StageId.CURRENT_ROLE)[0]
    assert reused is card  # the same widgets, filled in again
    assert reused.entry.prompt_id == card.entry.prompt_id
    assert reused.note.toPlainText() == ""
    assert not reused.asked_check.isChecked()
    assert not reused.private_button.isChecked()
    # Undo in the note must not bring back the other conversation's text.
    assert not reused.note.document().isUndoAvailable()
    qtbot.keyClicks(reused.note, "Carl")
    qtbot.keyClick(reused.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Bea" not in reused.note.toPlainText()

    window.open_conversation(first)
    wizard.go_to(StageId.CURRENT_ROLE)
    again = _cards(window, StageId.CURRENT_ROLE)[0]
    assert again.note.toPlainText() == "Bea likes the research work"
    assert again.asked_check.isChecked()
    assert again.private_button.isChecked()
    window.close_journal()
    with open_journal(journal_path) as journal:
        services = Services(journal)
        answers = {a.prompt_id: a.text for a in services.conversations.record(first).answers}
        assert answers[card.entry.prompt_id] == "Bea likes the research work"
        theirs = services.conversations.record(second).answers
        assert all("Bea" not in a.text for a in theirs)


def test_reorder_and_hide_keep_cards_in_order_and_in_keyboard_order(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    _conversation_id, wizard = _start(window, "Bea Stone")
    wizard.go_to(StageId.FUTURE_ROLES)
    page = wizard.page(StageId.FUTURE_ROLES)
    assert page.prompts is not None
    before = [c.entry.prompt_id for c in _cards(window, StageId.FUTURE_ROLES)]
    _cards(window, StageId.FUTURE_ROLES)[0].down_button.click()
    after = [c.entry.prompt_id for c in _cards(window, StageId.FUTURE_ROLES)]
    assert after == [before[1], before[0], *before[2:]]
    box = page.prompts.cards_box
    in_layout = [box.itemAt(i).widget() for i in range(box.count())]  # type: ignore[union-attr]
    assert in_layout == _cards(window, StageId.FUTURE_ROLES)
    first, second = _cards(window, StageId.FUTURE_ROLES)[:2]
    assert first.down_button.nextInFocusChain() is second.asked_check

    hidden = _cards(window, StageId.FUTURE_ROLES)[1]
    hidden_id = hidden.entry.prompt_id
    hidden.hide_button.click()
    assert not page.prompts.cards[hidden_id].isVisible()
    assert page.prompts.show_hidden_button.isVisible()
    page.prompts.show_hidden_button.click()
    shown_again = page.prompts.cards[hidden_id]
    assert shown_again.isVisible()
    assert shown_again.hide_button.text() == "Show"
    assert not shown_again.note.isVisible()


def test_pages_shown_again_follow_edits_made_on_other_stages(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    _conversation_id, wizard = _start(window, "Bea Stone")
    for stage in (StageId.SUMMARY, StageId.REFLECT, StageId.CURRENT_ROLE):
        wizard.go_to(stage)  # every page built and loaded once
    summary = wizard.page(StageId.SUMMARY)
    reflect = wizard.page(StageId.REFLECT)
    assert isinstance(summary, SummaryPage)
    assert isinstance(reflect, ReflectPage)
    assert wizard.stage_progress_of(StageId.CURRENT_ROLE) is Progress.NOT_STARTED

    card = _cards(window, StageId.CURRENT_ROLE)[0]
    qtbot.keyClicks(card.note, "Open to a written warning process")
    wizard.go_to(StageId.SUMMARY)  # the typing is written and the summary re-read
    assert "Open to a written warning process" in summary.browser.toPlainText()
    assert wizard.stage_progress_of(StageId.CURRENT_ROLE) is Progress.PARTLY
    wizard.go_to(StageId.REFLECT)
    assert not reflect.conversation_terms.isHidden()  # the flagged words of the whole talk

    # Switching back and forth without edits keeps what the pages show.
    for stage in (StageId.CURRENT_ROLE, StageId.SUMMARY, StageId.REFLECT, StageId.SUMMARY):
        wizard.go_to(stage)
    assert "Open to a written warning process" in summary.browser.toPlainText()

    # An edit saved by the typing timer (not by the switch) still reaches the summary.
    wizard.go_to(StageId.CURRENT_ROLE)
    card.note.clear()
    qtbot.keyClicks(card.note, "Mentoring")
    window.autosave.flush()
    wizard.go_to(StageId.SUMMARY)
    text = summary.browser.toPlainText()
    assert "Mentoring" in text
    assert "written warning" not in text


def test_stage_left_is_kept_without_a_write_per_switch(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    conversation_id, wizard = _start(window, "Bea Stone")
    written: list[list[object]] = []
    window.autosave.saved.connect(written.append)
    for stage in (StageId.MATCH, StageId.PLAN, StageId.REFLECT):
        wizard.go_to(stage)
    assert written == []  # where the user is waits for the typing timer
    assert window.save_label.text() == "Saved"  # moving around is not typing: no "Saving…"
    qtbot.waitUntil(lambda: not window.autosave.has_pending)
    assert wizard.ctx is not None
    assert written == [[wizard.ctx.conversation_key("current_stage")]]
    wizard.go_to(StageId.PLAN)
    window.close()  # writes what waits, then lets the journal go
    assert window.services is None
    with open_journal(journal_path) as journal:
        record = Services(journal).conversations.record(conversation_id)
    assert record.conversation.current_stage is StageId.PLAN


def test_match_picture_never_shows_a_stale_drawing(qtbot: QtBot) -> None:
    def item(text: str, **circles: bool) -> MatchItem:
        return MatchItem(id=text, conversation_id="c", text=text, **circles)

    def picture(items: list[MatchItem], size: QSize) -> QImage:
        fresh = VennWidget()
        qtbot.addWidget(fresh)
        fresh.set_titles(dict(CIRCLE_TITLES))
        fresh.set_items(items)
        fresh.resize(size)
        return fresh.grab().toImage()

    venn = VennWidget()
    qtbot.addWidget(venn)
    venn.set_titles(dict(CIRCLE_TITLES))
    venn.resize(QSize(420, 400))
    venn.show()
    qtbot.waitExposed(venn)
    empty = venn.grab().toImage()
    items = [item("Coaching", in_skills=True, in_interests=True, in_business=True)]
    venn.set_items(items)
    assert venn.grab().toImage() != empty
    assert venn.grab().toImage() == picture(items, QSize(420, 400))
    items = [*items, item("Data", in_business=True)]
    venn.set_items(items)
    assert venn.grab().toImage() == picture(items, QSize(420, 400))
    venn.resize(QSize(300, 290))
    assert venn.grab().toImage() == picture(items, QSize(300, 290))
