"""The same conversation path, with the keyboard only (ASCII keyClicks: see STACK.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import NoteKind, StageId
from careerdesk.services import Services
from careerdesk.storage.journal import open_journal
from tests.gui.conftest import WindowFactory

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def tab_until(qtbot: QtBot, wanted: object, *, limit: int = 200) -> QWidget:
    """Press Tab until the focus is on ``wanted`` (a widget, or a predicate on the widget)."""
    for _ in range(limit):
        current = focus()
        if (current is wanted) if isinstance(wanted, QWidget) else wanted(current):  # type: ignore[operator]
            return current
        qtbot.keyClick(current, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {wanted!r}")


def test_conversation_with_the_keyboard_only(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory
) -> None:
    window = make_window(journal_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    # F6: the people list; Down: the next person (Bea); Ctrl+N: a new conversation.
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert focus() is window.people_view
    qtbot.keyClick(window.people_view, Qt.Key.Key_Down)
    assert window.services is not None
    bea = window.services.people.find("Bea Stone")
    assert window.current_person_id == bea.id
    qtbot.keyClick(focus(), Qt.Key.Key_N, CTRL)
    wizard = window.wizard
    assert wizard is not None
    assert wizard.conversation_id is not None
    conversation_id = wizard.conversation_id
    assert focus() is wizard.stage_list

    # Prepare: Ctrl+PgDown from Prepare's stage list goes on; first back to the page itself.
    qtbot.keyClick(focus(), Qt.Key.Key_PageDown, CTRL)
    assert wizard.current_stage is StageId.CURRENT_ROLE
    page = wizard.page(StageId.CURRENT_ROLE)
    assert page.prompts is not None
    first_card = next(iter(page.prompts.cards.values()))
    assert focus() is first_card.asked_check
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert focus() is first_card.note
    qtbot.keyClicks(focus(), "Enjoys mentoring new starters")
    tab_until(qtbot, page.prompts.add_edit)
    qtbot.keyClicks(focus(), "What should we stop doing")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    custom = list(page.prompts.cards.values())[-1]
    assert custom.entry.custom

    # The match: three items, one placed in all three circles from the table.
    qtbot.keyClick(focus(), Qt.Key.Key_PageDown, CTRL)
    qtbot.keyClick(focus(), Qt.Key.Key_PageDown, CTRL)
    assert wizard.current_stage is StageId.MATCH
    match = wizard.page(StageId.MATCH)
    assert focus() is match.add_edits["skills"]  # type: ignore[attr-defined]
    qtbot.keyClicks(focus(), "Coaching")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    tab_until(qtbot, match.table)  # type: ignore[attr-defined]
    table = match.table  # type: ignore[attr-defined]
    qtbot.keyClick(table, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(table, Qt.Key.Key_Right)  # skills: already ticked
    for _ in range(2):  # interests, then business
        qtbot.keyClick(table, Qt.Key.Key_Right)
        qtbot.keyClick(table, Qt.Key.Key_Space)
    items = window.services.conversations.match_items(conversation_id)
    assert items[0].in_skills
    assert items[0].in_interests
    assert items[0].in_business

    # The plan: a step typed and added with Return.
    qtbot.keyClick(focus(), Qt.Key.Key_PageDown, CTRL)
    plan = wizard.page(StageId.PLAN)
    assert focus() is plan.step_edit  # type: ignore[attr-defined]
    qtbot.keyClicks(focus(), "Give a brown bag talk on testing in June")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert plan.model.rowCount() == 1  # type: ignore[attr-defined]

    # Reflect: a guardrail ticked, a pulse set with the arrow keys, a reflection typed.
    qtbot.keyClick(focus(), Qt.Key.Key_PageDown, CTRL)
    reflect = wizard.page(StageId.REFLECT)
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    tab_until(qtbot, lambda w: isinstance(w, QRadioButton))  # "Not set"
    for _ in range(4):  # the arrow keys move to the next word and choose it
        qtbot.keyClick(focus(), Qt.Key.Key_Right)
    tab_until(qtbot, reflect.reflection.edit)  # type: ignore[attr-defined]
    qtbot.keyClicks(focus(), "Listened more than last time")

    # Summary: finished; then Ctrl+Q.
    qtbot.keyClick(focus(), Qt.Key.Key_PageDown, CTRL)
    assert wizard.current_stage is StageId.SUMMARY
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    qtbot.keyClick(focus(), Qt.Key.Key_Q, CTRL)
    assert window.services is None  # closed, journal released

    with open_journal(journal_path) as journal:
        record = Services(journal).conversations.record(conversation_id)
    assert record.conversation.completed
    texts = {a.text for a in record.answers}
    assert "Enjoys mentoring new starters" in texts
    assert any(a.asked for a in record.answers)
    assert any(c.text == "What should we stop doing" for c in record.custom_prompts)
    assert record.match_items[0].in_interests
    assert record.match_items[0].in_business
    assert record.actions[0].text == "Give a brown bag talk on testing in June"
    assert any(record.checks.values())
    assert 4 in record.pulse.values()
    notes = {(n.stage, n.kind): n.text for n in record.notes}
    assert notes[(StageId.REFLECT, NoteKind.REFLECTION)] == "Listened more than last time"


def test_no_two_actions_share_a_shortcut(journal_path: Path, make_window: WindowFactory) -> None:
    """Qt ignores a shortcut that two actions claim: both would silently stop working."""
    from careerdesk.ui.journal_views import install_views

    window = make_window(journal_path)
    install_views(window, notify=False)
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString()
            if not text or not action.isVisible():
                continue
            assert text not in seen, f"{text}: {seen[text]!r} and {action.text()!r}"
            seen[text] = action.text()
    assert len(seen) > 10
