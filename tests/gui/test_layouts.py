"""Layouts that adapt: The match, Make a plan and Today fit a laptop screen, also at 200 %."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, QSettings
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import StageId
from careerdesk.services import Services
from careerdesk.services.demo import DemoOptions, write_demo
from careerdesk.storage.journal import open_journal
from careerdesk.ui.labels import CIRCLE_TITLES
from careerdesk.ui.main_window import FIRST_WINDOW_SHARE, MainWindow
from careerdesk.ui.wizard.pages import MatchPage, PlanPage
from careerdesk.ui.wizard.venn import VennWidget
from tests.gui import layout_audit
from tests.gui.conftest import WindowFactory

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.careerdesk"
    with open_journal(path) as journal:
        write_demo(Services(journal), DemoOptions(people=4, years=2, seed=7))
    return path


@pytest.mark.parametrize("size", [(1024, 700), (1366, 768)])
def test_the_busiest_views_fit_a_laptop_window(
        qtbot: QtBot, demo_path: Path, make_window: WindowFactory,
        size: tuple[int, int]) -> None:
    window = make_window(demo_path)
    window.resize(*size)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    more = layout_audit.OTHER_STAGES + layout_audit.OTHER_VIEWS
    found = layout_audit.open_views(window, app, more=more)
    assert window.size().toTuple() == size  # nothing forced the window wider
    assert found == {view: [] for view in (*layout_audit.VIEWS, *more)}


def test_the_busiest_views_fit_at_200_percent_on_a_1600_by_1000_screen(
        demo_path: Path, tmp_path: Path) -> None:
    # The scale factor must be set before Qt starts: a child process, on an offscreen screen
    # of 1600x1000 device pixels (800x500 at 200 %).
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": 1600, "height": 1000,
         "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_SCALE_FACTOR="2",
               QT_QPA_PLATFORM=f"offscreen:configfile={screen}",
               CAREERDESK_HOME=str(tmp_path / "home"),
               PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run([sys.executable, "-m", "tests.gui.layout_audit", str(demo_path)],
                            capture_output=True, text=True, env=env, timeout=300, check=False,
                            cwd=REPO)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {view: [] for view in (*layout_audit.VIEWS, *layout_audit.OTHER_STAGES,
                                           "window")}


def test_the_first_window_takes_most_of_the_screen_then_keeps_its_size(
        qtbot: QtBot, tmp_path: Path, journal_path: Path) -> None:
    settings = QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat)
    window = MainWindow(journal_path=journal_path, settings=settings)
    qtbot.addWidget(window)
    area = window.screen().availableGeometry()
    assert abs(window.width() - area.width() * FIRST_WINDOW_SHARE) <= 2
    assert abs(window.height() - area.height() * FIRST_WINDOW_SHARE) <= 2
    window.resize(700, 500)
    window.save_geometry()
    again = MainWindow(journal_path=journal_path, settings=settings)
    qtbot.addWidget(again)
    assert again.size().toTuple() == (700, 500)


def test_the_roster_folds_for_a_conversation_in_a_narrow_window(
        qtbot: QtBot, demo_path: Path, make_window: WindowFactory) -> None:
    window = make_window(demo_path)
    window.resize(1024, 700)
    services = window.services
    assert services is not None
    person = next(s.person for s in services.people.summaries() if s.conversations)
    window.open_person(person.id)
    assert window.side_panel.isVisible()  # the person page keeps the roster
    window.open_conversation(services.conversations.list_for(person.id)[0].id)
    qtbot.waitUntil(lambda: not window.side_panel.isVisible())
    assert not window.people_list_action.isChecked()  # View > People list brings it back
    window.resize(1600, 900)
    qtbot.waitUntil(window.side_panel.isVisible)
    assert not window.people_view.horizontalScrollBar().isVisible()


@pytest.mark.parametrize("width", [180, 260, 400, 640])
def test_circle_titles_never_overlap(qtbot: QtBot, width: int) -> None:
    venn = VennWidget()
    qtbot.addWidget(venn)
    venn.set_titles(dict(CIRCLE_TITLES))
    venn.resize(width, venn.heightForWidth(width))
    boxes = venn.title_boxes()
    names = list(boxes)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            assert not boxes[first].intersects(boxes[second]), (first, second)
    if width >= 400:  # wide enough: every title whole
        font = QFont(venn.font())
        font.setBold(True)
        metrics = QFontMetricsF(font)
        for name, box in boxes.items():
            assert metrics.horizontalAdvance(CIRCLE_TITLES[name]) <= box.width(), name
            assert QRectF(venn.rect()).contains(box), name


def test_the_match_puts_the_circles_below_when_narrow(
        qtbot: QtBot, demo_path: Path, make_window: WindowFactory) -> None:
    window = make_window(demo_path)
    services = window.services
    assert services is not None
    person = next(s.person for s in services.people.summaries() if s.conversations)
    window.open_conversation(services.conversations.list_for(person.id)[0].id)
    wizard = window.wizard
    assert wizard is not None
    wizard.go_to(StageId.MATCH)
    page = wizard.page(StageId.MATCH)
    assert isinstance(page, MatchPage)
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: page.venn.geometry().top() < page.table.geometry().bottom())
    window.resize(800, 600)
    qtbot.waitUntil(lambda: page.venn.geometry().top() > page.table.geometry().bottom())
    assert page.table.width() > page.venn.width() // 2  # the lists have the width now


def test_a_narrow_plan_edits_support_of_the_selected_step_under_the_table(
        qtbot: QtBot, demo_path: Path, make_window: WindowFactory) -> None:
    window = make_window(demo_path)
    window.resize(1024, 700)
    services = window.services
    assert services is not None
    person = next(s.person for s in services.people.summaries() if s.conversations)
    conversation = services.conversations.list_for(person.id)[0]
    window.open_conversation(conversation.id)
    wizard = window.wizard
    assert wizard is not None
    wizard.go_to(StageId.PLAN)
    page = wizard.page(StageId.PLAN)
    assert isinstance(page, PlanPage)
    support = page.model.COLUMNS.index("support")
    qtbot.waitUntil(lambda: page.table.isColumnHidden(support))
    assert page.details.isVisible()
    if page.model.rowCount() == 0:
        page.step_edit.setText("Shadow the research lead for a day")
        page.add_button.click()
    page.table.setCurrentIndex(page.model.index(0, 1))
    assert page.support_edit.isEnabled()
    page.support_edit.setText("An intro from me")
    page.support_edit.editingFinished.emit()
    window.autosave.flush()
    step = page.model.action(0)
    assert services.plan.get(step.id).support == "An intro from me"


def test_the_today_panels_grow_to_fill_the_window(
        qtbot: QtBot, demo_path: Path, make_window: WindowFactory) -> None:
    from careerdesk.ui.dashboard_view import DashboardView
    from careerdesk.ui.journal_views import install_views

    window = make_window(demo_path)
    install_views(window, notify=False)
    window.resize(1366, 768)
    view = window.show_view("dashboard")
    assert isinstance(view, DashboardView)
    panels = [view.today_conversations, view.today_actions, view.prep, view.falling,
              view.overdue, view.ownership]

    def filled() -> bool:
        bottom = max(p.mapTo(view, p.rect().bottomLeft()).y() for p in panels)
        return bottom > view.height() * 0.85

    qtbot.waitUntil(filled)
    small = view.today_conversations.height()
    window.resize(1366, 1000)
    qtbot.waitUntil(lambda: view.today_conversations.height() > small)  # taller window, taller
