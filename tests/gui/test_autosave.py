"""Autosave: nothing typed is lost, nothing lands in the wrong record, a full disk is survived."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from careerdesk.domain.model import NoteKind, StageId
from careerdesk.services import Services
from careerdesk.storage.journal import open_journal
from careerdesk.ui.autosave import SaveState
from careerdesk.ui.main_window import MainWindow
from tests.gui.conftest import WindowFactory, person_id

pytestmark = pytest.mark.gui


def _start(window: MainWindow, name: str) -> str:
    assert window.services is not None
    pid = person_id(window, name)
    conversation = window.services.conversations.start(pid, dt.date(2026, 1, 10))
    return conversation.id


def _notes(path: Path, conversation_id: str) -> dict[tuple[StageId, NoteKind], str]:
    with open_journal(path) as journal:
        notes = Services(journal).conversations.notes(conversation_id)
    return {(n.stage, n.kind): n.text for n in notes}


def test_typed_then_closed_at_once_is_saved(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory
) -> None:
    window = make_window(journal_path)
    conversation_id = _start(window, "Bea Stone")
    window.open_conversation(conversation_id)
    wizard = window.wizard
    assert wizard is not None
    page = wizard.page(StageId.PREPARE)
    assert page.free_note is not None
    qtbot.keyClicks(page.free_note.edit, "typed just before closing")
    assert window.autosave.has_pending  # not yet written: the debounce is still running
    window.close()
    assert _notes(journal_path, conversation_id)[(StageId.PREPARE, NoteKind.FREE)] == (
        "typed just before closing")


def test_rapid_person_switching_keeps_each_text_in_its_record(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory
) -> None:
    window = make_window(journal_path)
    first = _start(window, "Bea Stone")
    second = _start(window, "Carl Diaz")
    wizard = None
    for round_ in range(3):
        for conversation_id, who in ((first, "bea"), (second, "carl")):
            window.open_conversation(conversation_id)
            wizard = window.wizard
            assert wizard is not None
            page = wizard.page(StageId.PREPARE)
            assert page.free_note is not None
            qtbot.keyClicks(page.free_note.edit, f"{who}{round_} ")
            # Straight to the other person, before the debounce timer fires.
            window.open_person(person_id(window, "Alex"))
    window.close()
    assert _notes(journal_path, first)[(StageId.PREPARE, NoteKind.FREE)] == "bea0 bea1 bea2 "
    assert _notes(journal_path, second)[(StageId.PREPARE, NoteKind.FREE)] == "carl0 carl1 carl2 "


def _limit_pages(window: MainWindow, *, limited: bool) -> None:
    """Make the journal's file "full" (max_page_count at its current size), or roomy again."""
    assert window.services is not None
    engine = window.services.journal.engine

    def apply(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        count = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {count if limited else 1_000_000}")
        cursor.close()

    for listener in getattr(engine, "_test_limits", []):
        event.remove(engine, "connect", listener)
    event.listen(engine, "connect", apply)
    engine._test_limits = [apply]  # type: ignore[attr-defined]
    engine.dispose()  # every connection from now on carries the limit


def test_save_failure_shows_banner_keeps_text_and_retries(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory
) -> None:
    window = make_window(journal_path)
    window.autosave._retry.setInterval(50)  # retry quickly in the test
    conversation_id = _start(window, "Bea Stone")
    window.open_conversation(conversation_id)
    wizard = window.wizard
    assert wizard is not None
    page = wizard.page(StageId.PREPARE)
    assert page.free_note is not None
    _limit_pages(window, limited=True)
    long_text = "A long note that needs new pages. " * 400
    page.free_note.edit.setPlainText(long_text)
    assert not window.autosave.flush()
    assert window.autosave.state is SaveState.FAILED
    assert window.banner.isVisible()
    assert "full" in window.banner.label.text().lower()
    assert window.save_label.text().startswith("Not saved")
    assert page.free_note.edit.toPlainText() == long_text  # the text stays in the editor
    # Changing stage does not lose it either.
    wizard.go_next()
    wizard.go_back()
    assert page.free_note.edit.toPlainText() == long_text
    _limit_pages(window, limited=False)
    qtbot.waitUntil(lambda: window.autosave.state is SaveState.SAVED, timeout=5000)
    assert not window.banner.isVisible()
    assert window.save_label.text() == "Saved"
    window.close()
    assert _notes(journal_path, conversation_id)[(StageId.PREPARE, NoteKind.FREE)] == long_text


def test_undo_and_redo_a_tick(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory
) -> None:
    window = make_window(journal_path)
    conversation_id = _start(window, "Bea Stone")
    window.open_conversation(conversation_id)
    wizard = window.wizard
    assert wizard is not None
    assert window.services is not None
    page = wizard.page(StageId.PREPARE)
    assert page.prompts is not None
    card = next(iter(page.prompts.cards.values()))
    prompt_id = card.entry.prompt_id
    card.asked_check.click()

    def asked() -> bool:
        assert window.services is not None
        answers = window.services.conversations.answers(conversation_id)
        return any(a.prompt_id == prompt_id and a.asked for a in answers)

    assert asked()
    window.undo_action.trigger()
    assert not asked()
    assert not page.prompts.cards[prompt_id].asked_check.isChecked()
    window.redo_action.trigger()
    assert asked()
    assert page.prompts.cards[prompt_id].asked_check.isChecked()
