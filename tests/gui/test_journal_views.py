"""The journal, search, timeline, plan and dashboard views driven through qtbot."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import ActionStatus, Horizon, Owner, StageId
from careerdesk.services import Services
from careerdesk.ui import dialogs
from careerdesk.ui.autosave import AutosaveQueue
from careerdesk.ui.dashboard_view import DashboardView
from careerdesk.ui.journal_view import ENTRY_ID_ROLE, JournalView
from careerdesk.ui.plan_view import DUE, HORIZON, STATUS, TEXT, PlanTreeModel, PlanView
from careerdesk.ui.search_panel import HTML_ROLE, SearchPanel
from careerdesk.ui.timeline_view import TimelineView

pytestmark = pytest.mark.gui


@pytest.fixture
def team(services: Services) -> dict[str, str]:
    me = services.people.create("Alex Morgan", is_me=True)
    jose = services.people.create("José Núñez")
    talk = services.conversations.start(jose.id, dt.date.today() - dt.timedelta(days=100),
                                        purpose="Quarterly")
    services.conversations.set_answer(talk.id, "p", StageId.CURRENT_ROLE,
                                      text="Likes <b>bold</b> & kubernetes")
    services.conversations.set_pulse(talk.id, "feeling_supported", 5)
    later = services.conversations.start(jose.id, dt.date.today() - dt.timedelta(days=95))
    services.conversations.set_pulse(later.id, "feeling_supported", 2)
    action = services.plan.add(jose.id, "Book the course", due=dt.date.today()
                               - dt.timedelta(days=3), owner=Owner.SUPERVISOR)
    services.plan.add(jose.id, "Find a mentor", horizon=Horizon.NEXT)
    entry = services.entries.add(me.id, dt.date(2026, 1, 5), title="First week",
                                 body="calm", tags=["growth"])
    services.entries.add(me.id, dt.date(2025, 6, 1), title="Old one", tags=["retro"])
    return {"me": me.id, "jose": jose.id, "talk": talk.id, "action": action.id,
            "entry": entry.id}


def test_journal_create_edit_filter_with_autosave(
    qtbot: QtBot, qtmodeltester: ModelTester, services: Services, team: dict[str, str]
) -> None:
    queue = AutosaveQueue(delay_ms=50)
    view = JournalView(services, autosave=queue)
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == 2
    entry_id = view.new_entry()
    assert entry_id is not None
    assert view.private_check.isChecked()  # private by default
    qtbot.keyClicks(view.title_edit, "Promotion thoughts")
    view.body_edit.setPlainText("Talked with Zoë about the role")
    qtbot.keyClicks(view.tags_edit, "career, growth")
    with qtbot.waitSignal(queue.saved, timeout=3000):
        pass
    saved = services.entries.get(entry_id)
    assert saved.title == "Promotion thoughts"
    assert saved.body == "Talked with Zoë about the role"
    assert saved.tags == ("career", "growth")
    assert saved.private
    view.private_check.setChecked(False)  # saved at once
    assert not services.entries.get(entry_id).private
    # Filter by tag: only the entries tagged "growth".
    view.tag_combo.setCurrentIndex(view.tag_combo.findData("growth"))
    shown = {view.model.index(r, 0).data(ENTRY_ID_ROLE) for r in range(view.model.rowCount())}
    assert shown == {entry_id, team["entry"]}
    # Filter by date: from 2026-01-01.
    view.tag_combo.setCurrentIndex(0)
    view.from_edit.set_date(dt.date(2026, 1, 1))
    view.from_check.setChecked(True)
    shown = {view.model.index(r, 0).data(ENTRY_ID_ROLE) for r in range(view.model.rowCount())}
    assert team["entry"] in shown
    assert len(shown) == 2  # the 2025 entry is filtered out


def test_switching_entries_never_mixes_text(
    qtbot: QtBot, services: Services, team: dict[str, str]
) -> None:
    queue = AutosaveQueue(delay_ms=10_000)  # nothing saves on its own during the test
    view = JournalView(services, autosave=queue)
    qtbot.addWidget(view)
    view.list_view.setCurrentIndex(view.model.index(0, 0))
    first = view.current_id
    view.body_edit.setPlainText("typed in the first")
    view.list_view.setCurrentIndex(view.model.index(1, 0))  # switching flushes
    assert services.entries.get(str(first)).body == "typed in the first"
    assert view.body_edit.toPlainText() != "typed in the first"


def test_new_entry_from_a_prompt_and_delete(
    qtbot: QtBot, services: Services, team: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    view = JournalView(services)
    qtbot.addWidget(view)
    [weekly, *stages] = view.prompt_menu.actions()
    weekly.trigger()
    entry = services.entries.get(str(view.current_id))
    assert entry.prompt_id == "journal.reflect_week"
    assert "this week" in entry.body
    assert entry.private
    assert stages  # the question bank's stages are offered too
    first_stage_prompt = stages[0].menu().actions()[0]
    first_stage_prompt.trigger()
    from_bank = services.entries.get(str(view.current_id))
    assert from_bank.prompt_id
    assert from_bank.title == first_stage_prompt.text()
    assert view.prompt_label.text()
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    view.delete_current()
    assert from_bank.id not in {e.id for e in services.entries.list()}


def test_search_panel_highlights_escaped_text(
    qtbot: QtBot, qtmodeltester: ModelTester, services: Services, team: dict[str, str]
) -> None:
    panel = SearchPanel(services)
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.model)
    with qtbot.waitSignal(panel.searched, timeout=3000):
        qtbot.keyClicks(panel.query_edit, "kube")
    assert panel.model.rowCount() == 1
    html = panel.model.index(0, 0).data(HTML_ROLE)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; <b>kubernetes</b>" in html
    with qtbot.waitSignal(panel.conversation_requested) as blocker:
        panel.results.activated.emit(panel.model.index(0, 0))
    assert blocker.args == [team["talk"]]
    # A malformed query is plain words, never an error dialog.
    panel.query_edit.setText('"unbalanced AND (')
    panel.run_search()
    assert panel.status_label.text() == "No matches."
    panel.query_edit.setText("jose")
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("person"))
    with qtbot.waitSignal(panel.person_requested) as blocker:
        panel.open_hit(panel.model.hit(0))
    assert blocker.args == [team["jose"]]
    panel.focus_query()


def test_timeline_and_chart(
    qtbot: QtBot, qtmodeltester: ModelTester, services: Services, team: dict[str, str]) -> None:
    view = TimelineView(services)
    qtbot.addWidget(view)
    view.show_person(team["jose"])
    qtmodeltester.check(view.model)
    assert view.model.rowCount() >= 5
    assert view.chart.trend is not None
    assert view.chart.trend.falling
    view.resize(600, 500)
    assert not view.grab().isNull()
    kinds = [view.model.item(r).kind.value for r in range(view.model.rowCount())]
    row = kinds.index("conversation")
    with qtbot.waitSignal(view.conversation_requested):
        view.list_view.activated.emit(view.model.index(row, 0))


def test_plan_model_edits_in_place(
    qtbot: QtBot, qtmodeltester: ModelTester, services: Services, team: dict[str, str]) -> None:
    model = PlanTreeModel(services)
    model.load(team["jose"])
    qtmodeltester.check(model)
    now = model.index(0, 0)
    assert model.rowCount(now) == 1
    step = model.index(0, TEXT, now)
    assert step.data() == "Book the course"
    assert "(overdue)" in model.index(0, DUE, now).data()
    assert model.setData(model.index(0, STATUS, now), "done")
    assert services.plan.get(team["action"]).status is ActionStatus.DONE
    assert model.setData(model.index(0, TEXT, now), "Book the spring course")
    assert services.plan.get(team["action"]).text == "Book the spring course"
    assert not model.setData(model.index(0, DUE, now), "not a date")
    with qtbot.waitSignal(model.modelReset, timeout=2000):
        assert model.setData(model.index(0, HORIZON, now), "long")
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.rowCount(model.index(2, 0)) == 1
    qtmodeltester.check(model)
    view = PlanView(services)
    qtbot.addWidget(view)
    view.show_person(team["jose"], action_id=team["action"])
    assert view.tree.currentIndex().data(Qt.ItemDataRole.DisplayRole) == "Book the spring course"
    assert model.parent(QModelIndex()) == QModelIndex()


def test_dashboard_lines_open_the_person(
    qtbot: QtBot, services: Services, team: dict[str, str]
) -> None:
    view = DashboardView(services)
    qtbot.addWidget(view)
    conversations = view.today_conversations.list
    names = [conversations.item(i).text() for i in range(conversations.count())]
    assert any(n.startswith("José Núñez") for n in names)
    assert view.falling.list.count() == 1
    assert view.overdue.list.count() == 1
    assert view.ownership_bar.value() == 50
    with qtbot.waitSignal(view.person_requested) as blocker:
        view.falling.list.itemActivated.emit(view.falling.list.item(0))
    assert blocker.args == [team["jose"]]
    with qtbot.waitSignal(view.action_requested) as blocker:
        view.overdue.list.itemActivated.emit(view.overdue.list.item(0))
    assert blocker.args == [team["jose"], team["action"]]


def test_views_in_the_main_window(qtbot: QtBot, services: Services, team: dict[str, str]) -> None:
    from careerdesk.ui.journal_views import install_views
    from careerdesk.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    views = install_views(window, notify=False)
    window.attach(services, ask_first_start=False)
    window.show()
    qtbot.waitExposed(window)
    window.find_action.trigger()  # Ctrl+F
    assert window.stack.currentWidget() is views.search
    qtbot.waitUntil(views.search.query_edit.hasFocus)
    views.open_entry(team["entry"])
    assert window.stack.currentWidget() is views.journal
    assert views.journal.current_id == team["entry"]
    views.open_action(team["jose"], team["action"])
    assert window.stack.currentWidget() is views.plan
    with qtbot.waitSignal(window.person_opened):
        views.dashboard.person_requested.emit(team["jose"])
