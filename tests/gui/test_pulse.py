"""The pulse on the Reflect page is deliberate input: labelled choices, a clear "not set",
no change from the mouse wheel or from scrolling past, and a choice can be undone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from careerdesk.content import load_content
from careerdesk.domain.model import StageId
from careerdesk.ui.wizard.pages import ReflectPage
from tests.gui.conftest import WindowFactory, person_id

pytestmark = pytest.mark.gui


def _reflect(window: object) -> tuple[str, ReflectPage]:
    from careerdesk.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    assert window.services is not None
    conversation = window.services.conversations.start(person_id(window, "Bea Stone"),
                                                       dt.date(2026, 3, 2))
    window.open_conversation(conversation.id)
    assert window.wizard is not None
    window.wizard.go_to(StageId.REFLECT)
    page = window.wizard.page(StageId.REFLECT)
    assert isinstance(page, ReflectPage)
    return conversation.id, page


def _wheel(widget: QWidget, steps: int) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_pulse_offers_the_words_of_the_content_and_not_set(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    _cid, page = _reflect(window)
    content = load_content("en")
    assert list(page.pulse_choices) == [d.id for d in content.pulse]
    for dimension in content.pulse:
        choice = page.pulse_choices[dimension.id]
        assert [b.text() for b in choice.buttons.values()] == ["Not set", *dimension.labels]
        assert choice.buttons[0].isChecked()  # nothing recorded yet: "Not set"


def test_wheel_over_the_reflect_page_changes_no_pulse(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    cid, page = _reflect(window)
    assert window.services is not None
    conversations = window.services.conversations
    first, *others = page.pulse_choices.values()
    first.buttons[3].click()
    assert conversations.pulse(cid) == {first.dimension_id: 3}

    for choice in [first, *others]:
        for widget in [choice, *choice.buttons.values()]:
            for steps in (1, -1, 3, -3):
                _wheel(widget, steps)
    _wheel(page.viewport(), -5)
    window.autosave.flush()
    assert conversations.pulse(cid) == {first.dimension_id: 3}
    assert first.value() == 3
    assert all(c.value() is None for c in others)


def test_a_pulse_choice_is_undone_and_redone(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    cid, page = _reflect(window)
    assert window.services is not None
    conversations = window.services.conversations
    choice = next(iter(page.pulse_choices.values()))
    choice.buttons[4].click()
    choice.buttons[2].click()
    assert conversations.pulse(cid) == {choice.dimension_id: 2}
    assert window.undo_action.text() == "&Undo Set pulse"
    window.undo_action.trigger()
    assert conversations.pulse(cid) == {choice.dimension_id: 4}
    choice.buttons[0].click()  # "Not set" removes the reading
    assert conversations.pulse(cid) == {}
    window.undo_action.trigger()
    assert conversations.pulse(cid) == {choice.dimension_id: 4}
    assert choice.value() == 4
    window.redo_action.trigger()
    assert conversations.pulse(cid) == {}
    assert choice.value() is None
