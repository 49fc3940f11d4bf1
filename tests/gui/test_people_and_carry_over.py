"""The roster (add, edit, archive, delete), first start, and carry-over into a new conversation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import UsageMode
from careerdesk.services import Services
from careerdesk.storage.journal import open_journal
from careerdesk.ui.main_window import MainWindow
from careerdesk.ui.people_dialogs import FirstStartDialog, PersonDialog
from careerdesk.ui.people_model import PeopleListModel
from careerdesk.ui.wizard.carry_over import CarryOverDialog
from careerdesk.ui.wizard.models import MatchItemModel, PlanTableModel
from tests.gui.conftest import WindowFactory, accept_dialogs, person_id

pytestmark = pytest.mark.gui


def test_first_start_sets_usage_and_creates_me(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.careerdesk"

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstStartDialog)
        dialog.form.buttons[UsageMode.OWN].setChecked(True)
        dialog.form.name_edit.setText("Sam")

    accept_dialogs(monkeypatch, fill)
    window = MainWindow(journal_path=path,
                        settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.attach(Services(open_journal(path)))
    assert window.services is not None
    assert window.services.settings.usage_mode is UsageMode.OWN
    me = window.services.people.me()
    assert me is not None
    assert me.name == "Sam"
    assert not window.side_panel.isVisible()  # one's own journal needs no roster
    assert window.current_person_id == me.id
    window.close()


def test_add_edit_archive_delete_person(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch, no_dialogs: list[tuple[str, str]],
) -> None:
    window = make_window(journal_path)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.name_edit.setText("Dora Elm")
        dialog.role_edit.setText("Analyst")

    accept_dialogs(monkeypatch, fill)
    window.new_person_action.trigger()
    assert window.services is not None
    dora = window.services.people.find("Dora Elm")
    assert window.current_person_id == dora.id
    assert window.people_model.row_of(dora.id) >= 0
    conversation = window.services.conversations.start(dora.id, dt.date(2026, 2, 1))
    window.services.plan.add(dora.id, "Shadow the data team for a week",
                             conversation_id=conversation.id)

    def rename(dialog: QDialog) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.role_edit.setText("Senior analyst")

    accept_dialogs(monkeypatch, rename)
    window.edit_person_action.trigger()
    assert window.services.people.get(dora.id).role == "Senior analyst"

    window.archive_person_action.trigger()
    assert window.people_model.row_of(dora.id) < 0
    window.show_archived_action.setChecked(True)
    assert window.people_model.row_of(dora.id) >= 0

    window.open_person(dora.id)
    window.delete_person_action.trigger()
    assert no_dialogs
    assert "Dora Elm" in no_dialogs[-1][1]
    assert window.people_model.row_of(dora.id) < 0
    assert not window.services.conversations.list_for(dora.id)
    assert not window.services.plan.actions_for(dora.id)


def test_carry_over_into_a_second_conversation(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(journal_path)
    assert window.services is not None
    svc = window.services
    bea = person_id(window, "Bea Stone")
    first = svc.conversations.start(bea, dt.date(2025, 11, 3))
    prompt = window.services.conversations  # the first built-in prompt of the stage
    from careerdesk.content import load_content

    content = load_content("en")
    kept_prompt = content.prompts("current_role")[0].id
    dropped_prompt = content.prompts("current_role")[1].id
    prompt.set_answer(first.id, kept_prompt, "current_role", text="ask about mentoring")
    prompt.set_answer(first.id, dropped_prompt, "current_role", text="ask about travel")
    keep = svc.plan.add(bea, "Pair with the lead on the Q1 review", conversation_id=first.id)
    drop = svc.plan.add(bea, "Book the conference", conversation_id=first.id)
    window.open_person(bea)

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, CarryOverDialog)
        assert dialog.prompt_list.count() == 2
        assert dialog.action_list.count() == 2
        pairs = ((dialog.prompt_list, dropped_prompt), (dialog.action_list, drop.id))
        for widget, unwanted in pairs:
            for row in range(widget.count()):
                item = widget.item(row)
                if item.data(Qt.ItemDataRole.UserRole + 1) == unwanted:
                    item.setCheckState(Qt.CheckState.Unchecked)

    seen = accept_dialogs(monkeypatch, choose)
    window.new_conversation_action.trigger()
    assert len(seen) == 1
    wizard = window.wizard
    assert wizard is not None
    assert wizard.conversation_id not in (None, first.id)
    record = svc.conversations.record(wizard.conversation_id)  # type: ignore[arg-type]
    assert [a.id for a in record.actions] == [keep.id]
    carried = {a.prompt_id: a.text for a in record.answers}
    assert carried == {kept_prompt: "ask about mentoring"}
    wizard.go_to(wizard.current_stage.__class__("current_role"))
    page = wizard.page(wizard.current_stage)
    assert page.prompts is not None
    assert page.prompts.cards[kept_prompt].note.toPlainText() == "ask about mentoring"


def test_item_models_pass_the_model_tester(qtmodeltester: object, journal_path: Path,
                                           make_window: WindowFactory) -> None:
    window = make_window(journal_path)
    assert window.services is not None
    svc = window.services
    bea = person_id(window, "Bea Stone")
    conversation = svc.conversations.start(bea, dt.date(2026, 1, 2))
    svc.conversations.add_match_item(conversation.id, "Mentoring", in_skills=True)
    svc.plan.add(bea, "Lead a retro", conversation_id=conversation.id, due=dt.date(2026, 3, 1))
    people = PeopleListModel()
    people.set_summaries(svc.people.summaries())
    qtmodeltester.check(people)  # type: ignore[attr-defined]
    match = MatchItemModel(lambda *_args: None)
    match.set_items(svc.conversations.match_items(conversation.id))
    qtmodeltester.check(match)  # type: ignore[attr-defined]
    plan = PlanTableModel(lambda *_args: None)
    plan.set_actions(svc.plan.actions_for(bea), {})
    qtmodeltester.check(plan)  # type: ignore[attr-defined]


def test_opening_someone_elses_conversation_selects_them_in_the_roster(
        make_window: WindowFactory, journal_path: Path) -> None:
    window = make_window(journal_path)
    assert window.services is not None
    bea, carl = person_id(window, "Bea Stone"), person_id(window, "Carl Diaz")
    window.open_person(bea)
    talk = window.services.conversations.start(carl, dt.date(2026, 11, 2))
    window.open_conversation(talk.id)  # as a search hit or the timeline does
    assert window.current_person_id == carl
    selected = window.people_view.currentIndex()
    assert window.people_proxy.mapToSource(selected).row() == window.people_model.row_of(carl)
    assert window.stack.currentWidget() is window.wizard
    assert window.wizard is not None
    assert window.wizard.person_id == carl
