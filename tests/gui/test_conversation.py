"""A whole conversation driven through the window, then read back in a new window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import ActionKind, NoteKind, Owner, StageId
from careerdesk.domain.progress import Progress
from careerdesk.ui.wizard.pages import MatchPage, PlanPage, PreparePage, ReflectPage, SummaryPage
from careerdesk.ui.wizard.widgets import PromptCard
from tests.gui.conftest import WindowFactory, accept_dialogs, person_id

pytestmark = pytest.mark.gui


def _card(page: object, index: int) -> PromptCard:
    cards = list(page.prompts.cards.values())  # type: ignore[attr-defined]
    return cards[index]


def test_full_conversation_is_kept(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(journal_path)
    bea = person_id(window, "Bea Stone")
    window.open_person(bea)
    accept_dialogs(monkeypatch)
    window.new_conversation_action.trigger()
    wizard = window.wizard
    assert wizard is not None
    assert wizard.conversation_id is not None
    conversation_id = wizard.conversation_id

    # Prepare: purpose, who is present, a behaviour reminder ticked, a question asked.
    prepare = wizard.page(StageId.PREPARE)
    assert isinstance(prepare, PreparePage)
    qtbot.keyClicks(prepare.purpose_edit, "Where next after the redesign")
    qtbot.keyClicks(prepare.present_edit, "Bea, Alex")
    prepare.date_edit.selectAll()
    qtbot.keyClicks(prepare.date_edit, "2026-03-02")
    qtbot.keyClick(prepare.date_edit, Qt.Key.Key_Return)
    first_before = next(iter(prepare.checklist.checks.values()))  # type: ignore[union-attr]
    first_before.click()
    card = _card(prepare, 0)
    card.asked_check.click()
    qtbot.keyClicks(card.note, "Wants more time for research")
    qtbot.keyClicks(prepare.preparation.edit, "Read last notes")

    # Current role: answer, mark, add a custom question and answer it privately.
    wizard.go_next()
    current = wizard.page(StageId.CURRENT_ROLE)
    card = _card(current, 0)
    card.asked_check.click()
    qtbot.keyClicks(card.note, "Energised by user interviews")
    assert current.prompts is not None
    qtbot.keyClicks(current.prompts.add_edit, "What would you stop doing?")
    qtbot.keyClick(current.prompts.add_edit, Qt.Key.Key_Return)
    custom = _card(current, -1)
    assert custom.entry.custom
    assert custom.entry.text == "What would you stop doing?"
    qtbot.keyClicks(custom.note, "Status reports")
    custom.private_button.click()
    assert current.free_note is not None
    qtbot.keyClicks(current.free_note.edit, "Good energy today")

    # Future roles: hide one question.
    wizard.go_next()
    future = wizard.page(StageId.FUTURE_ROLES)
    hidden_id = _card(future, 1).entry.prompt_id
    _card(future, 1).hide_button.click()
    assert future.prompts is not None
    assert not future.prompts.cards[hidden_id].isVisible()

    # The match: items in one, two and three circles.
    wizard.go_next()
    match = wizard.page(StageId.MATCH)
    assert isinstance(match, MatchPage)
    qtbot.keyClicks(match.add_edits["skills"], "Facilitation")
    qtbot.keyClick(match.add_edits["skills"], Qt.Key.Key_Return)
    qtbot.keyClicks(match.add_edits["interests"], "Research")
    qtbot.keyClick(match.add_edits["interests"], Qt.Key.Key_Return)
    assert match.model.rowCount() == 2
    for column in (2, 3):  # Facilitation into interests and business too: the centre
        match.model.setData(match.model.index(0, column), Qt.CheckState.Checked.value,
                            Qt.ItemDataRole.CheckStateRole)
    match.model.setData(match.model.index(1, 3), Qt.CheckState.Checked.value,
                        Qt.ItemDataRole.CheckStateRole)
    assert "Facilitation" in match.venn.accessibleDescription()

    # The plan: two steps, one with a date and one owned by the supervisor.
    wizard.go_next()
    plan = wizard.page(StageId.PLAN)
    assert isinstance(plan, PlanPage)
    qtbot.keyClicks(plan.step_edit, "Run two user interviews with the research team")
    qtbot.keyClick(plan.step_edit, Qt.Key.Key_Return)
    plan.kind_combo.setCurrentIndex(plan.kind_combo.findData(ActionKind.OPPORTUNITY.value))
    qtbot.keyClicks(plan.step_edit, "Improve")
    plan.add_button.click()
    assert plan.model.rowCount() == 2
    assert "no_date" in plan.model.index(0, 0).data(Qt.ItemDataRole.UserRole + 2)
    assert plan.hints.isVisible()
    due = plan.model.index(0, plan.model.COLUMNS.index("due"))
    plan.model.setData(due, QDate(2026, 4, 30))
    owner = plan.model.index(1, plan.model.COLUMNS.index("owner"))
    plan.model.setData(owner, Owner.SUPERVISOR.value)
    support = plan.model.index(0, plan.model.COLUMNS.index("support"))
    plan.model.setData(support, "Intro to the research lead")

    # Reflect: a guardrail, a behaviour, the pulse, a private reflection.
    wizard.go_next()
    reflect = wizard.page(StageId.REFLECT)
    assert isinstance(reflect, ReflectPage)
    guard_id, guard_box = next(iter(reflect.guardrail_checks.items()))
    guard_box.click()
    behaviour_id, behaviour_box = next(iter(reflect.checklist.checks.items()))  # type: ignore[union-attr]
    behaviour_box.click()
    dims = list(reflect.pulse_choices)
    for value, dim in enumerate(dims, start=2):
        reflect.pulse_choices[dim].buttons[min(value, 5)].click()
    qtbot.keyClicks(reflect.reflection.edit, "I talked too much about the underperformance")
    assert reflect.terms_hint.isVisible()

    # Summary: finished.
    wizard.go_next()
    summary = wizard.page(StageId.SUMMARY)
    assert isinstance(summary, SummaryPage)
    text = summary.browser.toPlainText()
    assert "Run two user interviews" in text
    assert "Status reports" in text
    summary.finished_check.click()
    assert wizard.stage_progress_of(StageId.SUMMARY) is Progress.DONE
    assert wizard.stage_progress_of(StageId.MATCH) is Progress.DONE

    window.close()
    assert window.services is None

    # A new window on the same file shows all of it.
    again = make_window(journal_path)
    again.open_conversation(conversation_id)
    svc = again.services
    assert svc is not None
    record = svc.conversations.record(conversation_id)
    conversation = record.conversation
    assert conversation.purpose == "Where next after the redesign"
    assert conversation.present == "Bea, Alex"
    assert conversation.held_on == dt.date(2026, 3, 2)
    assert conversation.completed
    answers = {a.prompt_id: a for a in record.answers}
    texts = {a.text for a in record.answers}
    assert {"Wants more time for research", "Energised by user interviews",
            "Status reports"} <= texts
    custom_answer = next(a for a in record.answers if a.text == "Status reports")
    assert custom_answer.private
    assert custom_answer.prompt_id.startswith("custom:")
    assert answers[hidden_id].hidden
    notes = {(n.stage, n.kind): n for n in record.notes}
    assert notes[(StageId.CURRENT_ROLE, NoteKind.FREE)].text == "Good energy today"
    assert notes[(StageId.PREPARE, NoteKind.PREPARATION)].text == "Read last notes"
    reflection = notes[(StageId.REFLECT, NoteKind.REFLECTION)]
    assert reflection.private
    assert "underperformance" in reflection.text
    items = {i.text: i for i in record.match_items}
    assert items["Facilitation"].in_skills
    assert items["Facilitation"].in_interests
    assert items["Facilitation"].in_business
    assert items["Research"].in_interests
    assert items["Research"].in_business
    steps = {a.text: a for a in record.actions}
    first = steps["Run two user interviews with the research team"]
    assert first.due == dt.date(2026, 4, 30)
    assert first.owner is Owner.EMPLOYEE
    assert first.support == "Intro to the research lead"
    assert steps["Improve"].owner is Owner.SUPERVISOR
    assert steps["Improve"].kind is ActionKind.OPPORTUNITY
    assert record.checks[guard_id]
    assert record.checks[behaviour_id]
    assert record.checks[next(iter(prepare_ids(again)))]
    assert set(record.pulse) == set(dims)
    # And the page shows it again.
    wizard2 = again.wizard
    assert wizard2 is not None
    wizard2.go_to(StageId.CURRENT_ROLE)
    page = wizard2.page(StageId.CURRENT_ROLE)
    assert page.prompts is not None
    shown = [c.note.toPlainText() for c in page.prompts.cards.values()]
    assert "Energised by user interviews" in shown
    assert "Status reports" in shown


def prepare_ids(window: object) -> list[str]:
    """The ids of the Prepare page's behaviour reminders."""
    wizard = window.wizard  # type: ignore[attr-defined]
    page = wizard.page(StageId.PREPARE)
    page.load(wizard.ctx)
    return list(page.checklist.checks)


def test_summary_shows_a_step_added_just_before(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(journal_path)
    window.open_person(person_id(window, "Bea Stone"))
    accept_dialogs(monkeypatch)
    window.new_conversation_action.trigger()
    wizard = window.wizard
    assert wizard is not None
    wizard.go_to(StageId.MATCH)
    match = wizard.page(StageId.MATCH)
    assert isinstance(match, MatchPage)
    qtbot.keyClicks(match.add_edits["skills"], "Running workshops")
    qtbot.keyClick(match.add_edits["skills"], Qt.Key.Key_Return)
    wizard.go_to(StageId.PLAN)
    plan = wizard.page(StageId.PLAN)
    assert isinstance(plan, PlanPage)
    qtbot.keyClicks(plan.step_edit, "Co-lead the March design workshop")
    qtbot.keyClick(plan.step_edit, Qt.Key.Key_Return)
    wizard.go_to(StageId.SUMMARY)
    summary = wizard.page(StageId.SUMMARY)
    assert isinstance(summary, SummaryPage)
    text = summary.browser.toPlainText()
    assert "Co-lead the March design workshop" in text
    assert "No next steps yet" not in text
