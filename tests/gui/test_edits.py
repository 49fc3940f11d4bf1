"""The edit layer: every structural edit is undone and redone exactly (read back through the
services), Edit ▸ Undo names it, and a removal says so with an Undo button instead of asking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import StageId
from careerdesk.services import Services
from careerdesk.ui.main_window import MainWindow
from careerdesk.ui.wizard.models import PlanTableModel
from careerdesk.ui.wizard.pages import MatchPage, PlanPage
from careerdesk.ui.wizard.wizard import ConversationWizard
from tests.gui.conftest import WindowFactory, person_id

pytestmark = pytest.mark.gui

State = Callable[[], object]


def _start(window: MainWindow) -> tuple[str, ConversationWizard, Services]:
    assert window.services is not None
    services = window.services
    conversation = services.conversations.start(person_id(window, "Bea Stone"),
                                                dt.date(2026, 3, 2))
    window.open_conversation(conversation.id)
    assert window.wizard is not None
    return conversation.id, window.wizard, services


def _undo_redo_exactly(window: MainWindow, state: State, before: object, label: str) -> None:
    """The edit just made is named in Edit ▸ Undo, undoes to ``before`` and redoes to now."""
    after = state()
    assert after != before
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == f"&Undo {label}"
    window.undo_action.trigger()
    assert state() == before
    assert window.redo_action.text() == f"&Redo {label}"
    window.redo_action.trigger()
    assert state() == after


def _no_confirmations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from careerdesk.ui import dialogs

    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, title, *_a, **_k: asked.append(title))
    monkeypatch.setattr(dialogs, "inform", lambda _p, title, *_a, **_k: asked.append(title))
    return asked


def test_steps_added_and_removed_are_undone_and_redone(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(journal_path)
    asked = _no_confirmations(monkeypatch)
    cid, wizard, services = _start(window)
    wizard.go_to(StageId.PLAN)
    page = wizard.page(StageId.PLAN)
    assert isinstance(page, PlanPage)

    def steps() -> object:
        return [(a.id, a.text, a.kind, a.due, a.position)
                for a in services.conversations.record(cid).actions]

    before = steps()
    qtbot.keyClicks(page.step_edit, "Shadow the data team by May")
    page.add_button.click()
    _undo_redo_exactly(window, steps, before, "Add step")

    def private_steps() -> object:
        return [a.private for a in services.conversations.record(cid).actions]

    before = private_steps()
    private = page.model.index(0, PlanTableModel.COLUMNS.index("private"))
    page.model.setData(private, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    _undo_redo_exactly(window, private_steps, before, "Make private")

    before = steps()
    page.table.setCurrentIndex(page.model.index(0, 1))
    page.delete_button.click()
    assert asked == []  # no "are you sure?": it can be undone
    assert window.undo_notice.isVisible()
    assert window.undo_notice.label.text() == "Removed step —"
    _undo_redo_exactly(window, steps, before, "Remove step")
    assert page.model.rowCount() == 0

    window.undo_action.trigger()  # the step is back, and shown
    assert page.model.rowCount() == 1
    page.table.setCurrentIndex(page.model.index(0, 1))
    page.delete_button.click()
    window.undo_notice.undo_button.click()  # "Removed step — Undo"
    assert page.model.rowCount() == 1
    assert not window.undo_notice.isVisible()


def test_match_items_added_and_removed_are_undone_and_redone(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(journal_path)
    asked = _no_confirmations(monkeypatch)
    cid, wizard, services = _start(window)
    wizard.go_to(StageId.MATCH)
    page = wizard.page(StageId.MATCH)
    assert isinstance(page, MatchPage)

    def items() -> object:
        return [(i.id, i.text, i.in_skills, i.in_business, i.private, i.position)
                for i in services.conversations.match_items(cid)]

    before = items()
    qtbot.keyClicks(page.add_edits["skills"], "SQL")
    page.add_edits["skills"].returnPressed.emit()
    _undo_redo_exactly(window, items, before, "Add item")

    before = items()
    private = page.model.index(0, page.model.COLUMNS.index("private"))
    page.model.setData(private, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    _undo_redo_exactly(window, items, before, "Make private")
    assert page.model.item(0).private  # the table shows what is stored

    before = items()
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.delete_button.click()
    assert asked == []
    assert window.undo_notice.label.text() == "Removed item —"
    _undo_redo_exactly(window, items, before, "Remove item")


def test_question_edits_are_undone_and_redone(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    cid, wizard, services = _start(window)
    stage = StageId.CURRENT_ROLE
    wizard.go_to(stage)
    page = wizard.page(stage)
    prompts = page.prompts
    assert prompts is not None

    def questions() -> object:
        return [(p.prompt_id, p.text(wizard.ctx.audience), p.hidden)  # type: ignore[union-attr]
                for p in services.prompts.effective_prompts(stage, conversation_id=cid)]

    def answers() -> object:
        # An answer row at its defaults (made by a hide that was undone) shows nothing.
        return sorted((a.prompt_id, a.private, a.hidden, a.position)
                      for a in services.conversations.answers(cid)
                      if a.private or a.hidden or a.position or a.asked or a.text)

    def both() -> object:
        return questions(), answers()

    # Own question, also for future conversations: listed once, and undone from both lists.
    before = both()
    prompts.keep_check.setChecked(True)
    qtbot.keyClicks(prompts.add_edit, "What would you stop doing")
    prompts.add_button.click()
    texts = [t for _pid, t, _h in questions()]  # type: ignore[attr-defined]
    assert texts.count("What would you stop doing") == 1
    assert [c.text for c in services.prompts.custom_prompts(stage)] == [
        "What would you stop doing"]
    _undo_redo_exactly(window, both, before, "Add my own question")

    first = next(iter(prompts.cards.values()))
    before = both()
    first.hide_button.click()
    _undo_redo_exactly(window, both, before, "Hide question")

    second = list(prompts.cards.values())[1]
    before = both()
    second.up_button.click()
    _undo_redo_exactly(window, both, before, "Reorder questions")

    card = next(iter(prompts.cards.values()))
    before = both()
    card.private_button.click()
    _undo_redo_exactly(window, both, before, "Make private")


def test_page_bottom_reachable_after_adding_a_question(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    _cid, wizard, _services = _start(window)
    wizard.go_to(StageId.CURRENT_ROLE)
    page = wizard.page(StageId.CURRENT_ROLE)
    assert page.prompts is not None
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: page.verticalScrollBar().maximum() > 0)  # already scrolls
    for n in range(3):
        qtbot.keyClicks(page.prompts.add_edit, f"Question number {n} of my own")
        page.prompts.add_button.click()

    def settled() -> bool:
        return page.inner.height() == page.inner.heightForWidth(page.viewport().width())

    qtbot.waitUntil(settled)
    # The scroll bar reaches the end of the grown page, not the end it had before.
    assert page.verticalScrollBar().maximum() == page.inner.height() - page.viewport().height()
    # However the page grows (under a window manager the add's own relayout did not move the
    # scroll bar on; the page's resize is what must): the scroll bar follows at once.
    page.inner.resize(page.inner.width(), page.inner.height() + 500)
    assert page.verticalScrollBar().maximum() == page.inner.height() - page.viewport().height()
    page.verticalScrollBar().setValue(page.verticalScrollBar().maximum())
    assert page.free_note is not None
    bottom = page.free_note.mapTo(page.inner, page.free_note.rect().bottomLeft()).y()
    assert bottom <= page.verticalScrollBar().value() + page.viewport().height()


def test_journal_entries_added_and_deleted_are_undone_and_redone(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from careerdesk.ui.journal_views import install_views

    window = make_window(journal_path)
    asked = _no_confirmations(monkeypatch)
    views = install_views(window, notify=False)
    assert window.services is not None
    services = window.services
    journal = views.journal
    journal.set_services(services)

    def entries() -> object:
        return [(e.id, e.title, e.body, e.private, e.entry_date) for e in services.entries.list()]

    before = entries()
    entry_id = journal.new_entry(entry_date=dt.date(2026, 11, 2))
    assert entry_id is not None
    _undo_redo_exactly(window, entries, before, "New entry")

    journal.open_entry(entry_id)
    qtbot.keyClicks(journal.title_edit, "A good week")
    journal.private_check.click()  # shareable now
    assert not services.entries.get(entry_id).private
    window.undo_action.trigger()
    assert services.entries.get(entry_id).private
    window.redo_action.trigger()

    before = entries()
    journal.delete_button.click()
    assert asked == []
    assert window.undo_notice.label.text() == "Removed entry —"
    _undo_redo_exactly(window, entries, before, "Delete entry")
    window.undo_action.trigger()
    assert [e[1] for e in entries()] == ["A good week"]  # type: ignore[attr-defined]
    assert journal.current_id == entry_id  # shown again


def test_people_added_edited_and_archived_are_undone_and_redone(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from careerdesk.ui.people_dialogs import PersonDialog
    from tests.gui.conftest import accept_dialogs

    window = make_window(journal_path)
    assert window.services is not None
    services = window.services

    def roster() -> object:
        return [(p.id, p.name, p.role, p.archived, p.cadence_days)
                for p in services.people.list(include_archived=True)]

    def fill(dialog: object) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.name_edit.setText("Dana Field")
        dialog.role_edit.setText("Analyst")

    accept_dialogs(monkeypatch, fill)
    before = roster()
    window.add_person()
    _undo_redo_exactly(window, roster, before, "Add person")

    def rename(dialog: object) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.role_edit.setText("Lead analyst")
        dialog.cadence_spin.setValue(30)

    accept_dialogs(monkeypatch, rename)
    window.open_person(person_id(window, "Dana Field"))
    before = roster()
    window.edit_person()
    _undo_redo_exactly(window, roster, before, "Edit person")

    window.open_person(person_id(window, "Dana Field"))
    before = roster()
    window.archive_person()
    assert window.undo_notice.isVisible()
    _undo_redo_exactly(window, roster, before, "Archive person")


def test_undoing_an_added_person_never_deletes_what_was_written_about_them(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from careerdesk.ui.people_dialogs import PersonDialog
    from tests.gui.conftest import accept_dialogs

    window = make_window(journal_path)
    assert window.services is not None
    services = window.services

    def fill(dialog: object) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.name_edit.setText("Eve")

    accept_dialogs(monkeypatch, fill)
    window.add_person()
    eve = person_id(window, "Eve")
    services.conversations.start(eve, dt.date(2026, 3, 2))
    rejected: list[str] = []
    window.autosave.rejected.connect(rejected.append)
    window.undo_action.trigger()
    assert services.people.get(eve).name == "Eve"
    assert len(services.conversations.list_for(eve)) == 1
    assert rejected
    assert "archive or delete" in rejected[0]


def test_plan_view_edits_are_undone_and_redone(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    from careerdesk.ui.journal_views import install_views
    from careerdesk.ui.plan_view import DUE, STATUS

    window = make_window(journal_path)
    views = install_views(window, notify=False)
    assert window.services is not None
    plan = window.services.plan
    bea = person_id(window, "Bea Stone")
    step = plan.add(bea, "Book the spring course", due=dt.date(2027, 1, 4))
    views.plan.set_services(window.services)
    views.plan.show_person(bea)
    model = views.plan.model
    now = model.index(0, 0)

    def state() -> object:
        found = plan.get(step.id)
        return found.status, found.due

    before = state()
    assert model.setData(model.index(0, STATUS, now), "done")
    _undo_redo_exactly(window, state, before, "Change next step")
    qtbot.waitUntil(lambda: model.rowCount(model.index(0, 0)) == 1)  # regrouped
    before = state()
    assert model.setData(model.index(0, DUE, model.index(0, 0)), dt.date(2027, 2, 15))
    _undo_redo_exactly(window, state, before, "Change next step")
    assert plan.get(step.id).due == dt.date(2027, 2, 15)


def test_redo_brings_back_what_was_typed_after_an_add(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    cid, wizard, services = _start(window)
    wizard.go_to(StageId.PLAN)
    page = wizard.page(StageId.PLAN)
    assert isinstance(page, PlanPage)
    qtbot.keyClicks(page.step_edit, "Shadow the data team")
    page.add_button.click()
    support = page.model.index(0, PlanTableModel.COLUMNS.index("support"))
    page.model.setData(support, "An intro to their lead")  # typing: queued, not on the stack
    window.undo_action.trigger()  # takes the step back, with what was typed
    assert services.conversations.record(cid).actions == []
    window.redo_action.trigger()
    (step,) = services.conversations.record(cid).actions
    assert (step.text, step.support) == ("Shadow the data team", "An intro to their lead")
