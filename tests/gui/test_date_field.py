"""The one date field: dates typed key by key into every date field are stored as typed
(ISO, compact ISO, the locale's short format), text that is no date is refused visibly and
the old date kept; read back through the services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import StageId
from careerdesk.ui.common.date_field import DateField, parse_typed_date
from careerdesk.ui.main_window import MainWindow
from careerdesk.ui.wizard.models import PlanTableModel
from careerdesk.ui.wizard.pages import PlanPage, PreparePage
from tests.gui.conftest import WindowFactory, accept_dialogs, person_id

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 12, 6)


def _locale_text(day: dt.date) -> str:
    text = QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)
    assert text.isascii()  # keyClicks types ASCII only
    return text


@pytest.mark.parametrize(("typed", "meant"), [
    ("2027-02-15", dt.date(2027, 2, 15)),
    ("20261218", dt.date(2026, 12, 18)),
    ("2026-2-5", dt.date(2026, 2, 5)),
    (" 2026-12-11 ", dt.date(2026, 12, 11)),
])
def test_typed_iso_dates_mean_what_they_say(typed: str, meant: dt.date) -> None:
    assert parse_typed_date(typed, today=TODAY) == meant


@pytest.mark.parametrize("typed", ["2027-13-45", "20261232", "tomorrow", "2027-02", "", "1.2."])
def test_text_that_is_no_date_is_no_date(typed: str) -> None:
    assert parse_typed_date(typed, today=TODAY) is None


def test_the_locale_short_format_is_read_with_two_and_four_digit_years() -> None:
    for locale in (QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
                   QLocale(QLocale.Language.German, QLocale.Country.Germany)):
        day = QDate(2027, 2, 15)
        short = locale.toString(day, QLocale.FormatType.ShortFormat)
        assert parse_typed_date(short, locale, today=TODAY) == dt.date(2027, 2, 15)
        long_year = locale.toString(day, locale.dateFormat(QLocale.FormatType.ShortFormat)
                                    .replace("yy", "yyyy"))
        assert parse_typed_date(long_year, locale, today=TODAY) == dt.date(2027, 2, 15)


def _type(qtbot: QtBot, field: DateField, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def _start(window: MainWindow) -> str:
    assert window.services is not None
    conversation = window.services.conversations.start(person_id(window, "Bea Stone"),
                                                       dt.date(2026, 3, 2))
    window.open_conversation(conversation.id)
    return conversation.id


def test_plan_due_cells_store_the_typed_date(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    cid = _start(window)
    assert window.wizard is not None
    assert window.services is not None
    plan = window.services.plan
    window.wizard.go_to(StageId.PLAN)
    page = window.wizard.page(StageId.PLAN)
    assert isinstance(page, PlanPage)
    qtbot.keyClicks(page.step_edit, "Lead the spring retro")
    page.add_button.click()
    step_id = window.services.conversations.record(cid).actions[0].id
    due = page.model.index(0, PlanTableModel.COLUMNS.index("due"))

    def type_into_cell(text: str) -> DateField:
        page.table.setCurrentIndex(due)  # opens the editor (the table edits on any trigger)
        if page.table.indexWidget(due) is None:
            page.table.edit(due)
        editor = page.table.indexWidget(due)
        assert isinstance(editor, DateField)
        # The whole date shows, whatever the column's width.
        assert editor.width() >= editor.fontMetrics().horizontalAdvance("2027-02-15") + 8
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.table.indexWidget(due) is None)  # committed and closed
        return editor

    type_into_cell("2027-02-15")
    assert plan.get(step_id).due == dt.date(2027, 2, 15)
    type_into_cell("20261218")
    assert plan.get(step_id).due == dt.date(2026, 12, 18)
    type_into_cell("2027-12-11")
    type_into_cell("2026-12-11")  # only the year changed
    assert plan.get(step_id).due == dt.date(2026, 12, 11)
    type_into_cell(_locale_text(dt.date(2027, 3, 4)))
    assert plan.get(step_id).due == dt.date(2027, 3, 4)

    type_into_cell("2027-13-45")  # refused, visibly; the old date is kept
    assert plan.get(step_id).due == dt.date(2027, 3, 4)
    assert "is not a date" in window.statusBar().currentMessage()
    assert page.model.data(due) == "2027-03-04"

    window.undo_action.trigger()  # a date typed is undone like any change
    assert plan.get(step_id).due == dt.date(2026, 12, 11)


def test_conversation_date_stores_the_typed_date(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    cid = _start(window)
    assert window.wizard is not None
    assert window.services is not None
    conversations = window.services.conversations
    page = window.wizard.page(StageId.PREPARE)
    assert isinstance(page, PreparePage)
    assert page.date_edit.text() == "2026-03-02"

    _type(qtbot, page.date_edit, "20270215")
    assert conversations.get(cid).held_on == dt.date(2027, 2, 15)
    assert page.date_edit.text() == "2027-02-15"  # shown as stored
    _type(qtbot, page.date_edit, _locale_text(dt.date(2026, 11, 30)))
    assert conversations.get(cid).held_on == dt.date(2026, 11, 30)

    _type(qtbot, page.date_edit, "2026-02-30")
    assert conversations.get(cid).held_on == dt.date(2026, 11, 30)
    assert page.date_edit.text() == "2026-11-30"
    assert "is not a date" in page.date_edit.error
    assert page.date_edit.accessibleDescription() == page.date_edit.error
    _type(qtbot, page.date_edit, "")  # a conversation always has a date
    assert conversations.get(cid).held_on == dt.date(2026, 11, 30)
    assert page.date_edit.error


def test_journal_entry_date_stores_the_typed_date(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    from careerdesk.ui.journal_views import install_views

    window = make_window(journal_path)
    views = install_views(window, notify=False)
    assert window.services is not None
    entries = window.services.entries
    journal = views.journal
    journal.set_services(window.services)
    entry_id = journal.new_entry(entry_date=dt.date(2026, 11, 2))
    assert entry_id is not None

    _type(qtbot, journal.date_edit, "2026-10-15")
    assert entries.get(entry_id).entry_date == dt.date(2026, 10, 15)
    _type(qtbot, journal.date_edit, _locale_text(dt.date(2026, 9, 1)))
    assert entries.get(entry_id).entry_date == dt.date(2026, 9, 1)
    _type(qtbot, journal.date_edit, "someday")
    assert entries.get(entry_id).entry_date == dt.date(2026, 9, 1)
    assert journal.date_edit.text() == "2026-09-01"


def test_next_conversation_stores_the_typed_date(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from careerdesk.ui.people_dialogs import PersonDialog

    window = make_window(journal_path)
    assert window.services is not None
    people = window.services.people
    typed = iter(["2027-01-04", "2027-99-99", _locale_text(dt.date(2027, 5, 6))])
    refused: list[str] = []

    def fill(dialog: object) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.next_check.setChecked(True)
        dialog.next_date.refused.connect(refused.append)
        _type(qtbot, dialog.next_date, next(typed))

    accept_dialogs(monkeypatch, fill)
    window.open_person(person_id(window, "Bea Stone"))
    window.edit_person()
    assert people.find("Bea Stone").next_conversation == dt.date(2027, 1, 4)
    window.edit_person()  # refused: the date stays as it was
    assert refused
    assert people.find("Bea Stone").next_conversation == dt.date(2027, 1, 4)
    window.edit_person()
    assert people.find("Bea Stone").next_conversation == dt.date(2027, 5, 6)


# A popup on the offscreen platform: it cannot raise it or grab the keyboard (not ours).
@pytest.mark.qt_log_ignore("This plugin does not support raise", "does not support grabbing")
def test_a_date_picked_in_the_calendar_is_stored(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)
    cid = _start(window)
    assert window.wizard is not None
    assert window.services is not None
    page = window.wizard.page(StageId.PREPARE)
    assert isinstance(page, PreparePage)
    page.date_edit.setFocus()
    qtbot.keyClick(page.date_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = page.date_edit.calendar
    assert calendar is not None
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.selectedDate() == QDate(2026, 3, 2)  # opens at the stored date
    days = calendar.findChild(QTableView)  # the grid of days has the keyboard
    assert days is not None
    qtbot.keyClick(days, Qt.Key.Key_Right)  # the next day
    qtbot.keyClick(days, Qt.Key.Key_Return)
    assert not calendar.isVisible()
    assert window.services.conversations.get(cid).held_on == dt.date(2026, 3, 3)
    assert page.date_edit.text() == "2026-03-03"


def test_plan_view_due_cells_store_the_typed_date(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    from careerdesk.ui.journal_views import install_views
    from careerdesk.ui.plan_view import DUE

    window = make_window(journal_path)
    views = install_views(window, notify=False)
    assert window.services is not None
    plan = window.services.plan
    bea = person_id(window, "Bea Stone")
    step = plan.add(bea, "Book the spring course", due=dt.date(2027, 1, 4))
    view = views.plan
    view.set_services(window.services)
    window.show_view("plan")
    view.show_person(bea)

    def type_into_cell(text: str, *, stored: bool) -> None:
        due = view.model.index_of(step.id).siblingAtColumn(DUE)
        view.tree.setCurrentIndex(due)
        view.tree.edit(due)
        editor = view.tree.indexWidget(due)
        assert isinstance(editor, DateField)
        assert editor.text() == plan.get(step.id).due.isoformat()  # type: ignore[union-attr]
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        if stored:  # a new date moves the step: the plan is grouped again
            with qtbot.waitSignal(view.model.modelReset):
                qtbot.keyClick(editor, Qt.Key.Key_Return)
        else:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: view.tree.indexWidget(due) is None)

    type_into_cell("20270215", stored=True)
    assert plan.get(step.id).due == dt.date(2027, 2, 15)
    type_into_cell("2027-02-30", stored=False)  # refused: kept
    assert plan.get(step.id).due == dt.date(2027, 2, 15)
    type_into_cell(_locale_text(dt.date(2027, 6, 1)), stored=True)
    assert plan.get(step.id).due == dt.date(2027, 6, 1)
