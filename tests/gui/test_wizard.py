"""A finished conversation opens for reading, with an explicit Edit to change it; Next is
disabled on the last stage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import StageId
from careerdesk.ui.wizard.pages import PlanPage, PreparePage, SummaryPage
from tests.gui.conftest import WindowFactory, person_id

pytestmark = pytest.mark.gui


def test_a_finished_conversation_opens_for_reading_until_edit(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    assert window.services is not None
    conversations = window.services.conversations
    conversation = conversations.start(person_id(window, "Bea Stone"), dt.date(2026, 3, 2))
    conversations.update(conversation.id, purpose="Growth", completed=True,
                         current_stage=StageId.SUMMARY)
    window.open_conversation(conversation.id)
    wizard = window.wizard
    assert wizard is not None
    assert wizard.reading
    assert wizard.read_bar.isVisible()

    # On the last stage: no Next, neither the button nor the menu's action.
    assert wizard.current_stage is StageId.SUMMARY
    assert not wizard.next_button.isEnabled()
    assert not window.next_stage_action.isEnabled()
    assert window.previous_stage_action.isEnabled()
    summary = wizard.page(StageId.SUMMARY)
    assert isinstance(summary, SummaryPage)
    assert not summary.finished_check.isEnabled()

    wizard.go_to(StageId.PREPARE)
    assert window.next_stage_action.isEnabled()
    prepare = wizard.page(StageId.PREPARE)
    assert isinstance(prepare, PreparePage)
    assert prepare.purpose_edit.isReadOnly()
    assert prepare.date_edit.isReadOnly()
    assert prepare.guidance.button.isEnabled()  # guidance still folds: that is reading
    qtbot.keyClicks(prepare.purpose_edit, " and more")
    window.autosave.flush()
    assert conversations.get(conversation.id).purpose == "Growth"

    wizard.go_to(StageId.PLAN)
    plan = wizard.page(StageId.PLAN)
    assert isinstance(plan, PlanPage)
    assert not plan.add_button.isEnabled()
    assert not plan.table.isEnabled()

    wizard.edit_button.click()  # explicit: now it can be changed
    assert not wizard.reading
    assert not wizard.read_bar.isVisible()
    assert plan.add_button.isEnabled()
    wizard.go_to(StageId.PREPARE)
    assert not prepare.purpose_edit.isReadOnly()
    prepare.purpose_edit.end(False)
    qtbot.keyClicks(prepare.purpose_edit, " and more")
    window.autosave.flush()
    assert conversations.get(conversation.id).purpose == "Growth and more"
    assert conversations.get(conversation.id).completed  # editing does not reopen it


def test_an_open_conversation_opens_editable(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    assert window.services is not None
    conversation = window.services.conversations.start(person_id(window, "Bea Stone"),
                                                       dt.date(2026, 3, 2))
    window.open_conversation(conversation.id)
    assert window.wizard is not None
    assert not window.wizard.reading
    assert not window.wizard.read_bar.isVisible()
    page = window.wizard.page(StageId.PREPARE)
    assert isinstance(page, PreparePage)
    assert not page.purpose_edit.isReadOnly()
