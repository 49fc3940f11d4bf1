"""The private style: a tint that can be seen in every palette, a drawn lock, the word."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem, QTableView
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import StageId
from careerdesk.services import Services
from careerdesk.storage.journal import open_journal
from careerdesk.ui.private_style import (
    MIN_TEXT_CONTRAST,
    MIN_TINT_CONTRAST,
    contrast,
    lock_icon,
    private_tint,
)
from careerdesk.ui.wizard.pages import MatchPage, PlanPage
from tests.gui.conftest import WindowFactory

pytestmark = pytest.mark.gui


def _palette(base: str, text: str, window: str) -> QPalette:
    palette = QPalette(QColor(window))
    for role, colour in ((QPalette.ColorRole.Base, base), (QPalette.ColorRole.Text, text),
                         (QPalette.ColorRole.Window, window),
                         (QPalette.ColorRole.WindowText, text)):
        palette.setColor(role, QColor(colour))
    return palette


PALETTES = {
    "light": _palette("#ffffff", "#202020", "#efefef"),
    "dark": _palette("#1e1e1e", "#e6e6e6", "#2d2d2d"),
    "high-contrast light": _palette("#ffffff", "#000000", "#ffffff"),
    "high-contrast dark": _palette("#000000", "#ffffff", "#000000"),
}


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_the_tint_can_be_told_from_the_base_and_keeps_text_readable(qtbot: QtBot,
                                                                     name: str) -> None:
    palette = PALETTES[name]
    tint = private_tint(palette)
    base = palette.color(QPalette.ColorRole.Base)
    assert contrast(tint, base) >= MIN_TINT_CONTRAST
    assert contrast(tint, palette.color(QPalette.ColorRole.Text)) >= MIN_TEXT_CONTRAST


def test_the_lock_is_drawn_not_an_emoji(qtbot: QtBot) -> None:
    image = lock_icon().pixmap(24, 24).toImage()
    inked = sum(image.pixelColor(x, y).alpha() > 0
                for x in range(image.width()) for y in range(image.height()))
    assert inked > 24  # strokes were drawn


def test_no_emoji_is_used_as_an_icon_in_the_ui() -> None:
    # Characters drawn as colour emoji by default (Unicode Emoji_Presentation), and the emoji
    # variation selector: without an emoji font they show as empty boxes. Text symbols such as
    # the stage marks (check mark, circles) are in DejaVu and stay.
    emoji = re.compile("[\U0001f000-\U0001faff\u2300-\u23ff\u2600-\u26ff\u2705\u270a"
                       "\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0"
                       "\u27bf\u2b1b\u2b1c\u2b50\u2b55\ufe0f]")
    ui = Path(__file__).resolve().parents[2] / "careerdesk" / "ui"
    found = {str(p.relative_to(ui)): emoji.findall(p.read_text(encoding="utf-8"))
             for p in ui.rglob("*.py")}
    assert {k: v for k, v in found.items() if v} == {}


def _row_colour(image: QImage, table: QTableView, row: int, column: int) -> QColor:
    rect = table.visualRect(table.model().index(row, column))
    ratio = image.devicePixelRatio()
    x = int((rect.right() - 3) * ratio)  # the right edge of the cell: background, not text
    y = int(rect.center().y() * ratio)
    return image.pixelColor(x, y)


@pytest.fixture
def with_private(journal_path: Path) -> str:
    with open_journal(journal_path) as journal:
        services = Services(journal)
        bea = services.people.find("Bea Stone")
        talk = services.conversations.start(bea.id, dt.date(2026, 3, 3))
        services.conversations.add_match_item(talk.id, "Workshops", in_skills=True)
        services.conversations.add_match_item(talk.id, "Team lead", in_interests=True,
                                              private=True)
        services.plan.add(bea.id, "Shadow the research lead", conversation_id=talk.id)
        services.plan.add(bea.id, "Ask about the lead role", conversation_id=talk.id,
                          private=True)
        services.conversations.set_note(talk.id, StageId.CURRENT_ROLE, text="Tired",
                                        private=True)
    return talk.id


@pytest.mark.parametrize("stage", [StageId.MATCH, StageId.PLAN])
def test_private_rows_of_the_tables_are_tinted(
        qtbot: QtBot, journal_path: Path, make_window: WindowFactory, with_private: str,
        stage: StageId) -> None:
    window = make_window(journal_path)
    window.open_conversation(with_private)
    wizard = window.wizard
    assert wizard is not None
    wizard.go_to(stage)
    page = wizard.page(stage)
    assert isinstance(page, MatchPage | PlanPage)
    table = page.table
    private_col = page.model.COLUMNS.index("private")
    rows = {Qt.CheckState(table.model().index(r, private_col).data(
        Qt.ItemDataRole.CheckStateRole)) == Qt.CheckState.Checked: r
        for r in range(table.model().rowCount())}
    assert set(rows) == {True, False}
    image = table.viewport().grab().toImage()
    column = page.model.COLUMNS.index("text")
    tinted = _row_colour(image, table, rows[True], column)
    plain = _row_colour(image, table, rows[False], column)
    assert tinted.name() == private_tint(table.palette()).name()
    assert contrast(tinted, plain) >= MIN_TINT_CONTRAST


def test_a_private_note_is_tinted_and_shows_the_lock(
        qtbot: QtBot, journal_path: Path, make_window: WindowFactory, with_private: str) -> None:
    window = make_window(journal_path)
    window.open_conversation(with_private)
    wizard = window.wizard
    assert wizard is not None
    wizard.go_to(StageId.CURRENT_ROLE)
    page = wizard.page(StageId.CURRENT_ROLE)
    note = page.free_note
    assert note is not None
    assert note.private_check.isChecked()
    assert not note.private_check.icon().isNull()
    assert "Private" in note.private_check.text()
    base = note.edit.palette().color(QPalette.ColorRole.Base)
    assert base.name() == private_tint(window.palette()).name()
    note.private_check.click()  # no longer private: the tint goes
    assert contrast(note.edit.palette().color(QPalette.ColorRole.Base),
                    window.palette().color(QPalette.ColorRole.Base)) < MIN_TINT_CONTRAST
    card = page.prompts.cards[next(iter(page.prompts.cards))]  # type: ignore[union-attr]
    card.private_button.click()
    assert card.palette().color(QPalette.ColorRole.Window).name() == \
        private_tint(window.palette()).name()
    assert not card.private_button.icon().isNull()


def test_unticked_check_boxes_show_on_a_dark_palette(
        qtbot: QtBot, journal_path: Path, make_window: WindowFactory, with_private: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = QGuiApplication.palette()
    app.setPalette(PALETTES["dark"])
    try:
        window = make_window(journal_path)
        window.open_conversation(with_private)
        wizard = window.wizard
        assert wizard is not None
        wizard.go_to(StageId.MATCH)
        page = wizard.page(StageId.MATCH)
        assert isinstance(page, MatchPage)
        table = page.table
        # "Workshops" is not in the interests circle: that cell's box is unticked.
        row = next(r for r in range(page.model.rowCount())
                   if page.model.index(r, 0).data() == "Workshops")
        column = page.model.COLUMNS.index("in_interests")
        rect = table.visualRect(page.model.index(row, column))
        image = table.viewport().grab(rect).toImage()
        base = table.palette().color(QPalette.ColorRole.Base)
        strongest = max(contrast(image.pixelColor(x, y), base)
                        for x in range(image.width()) for y in range(image.height()))
        assert strongest >= 3.0  # the box's outline stands out like a UI component should
    finally:
        app.setPalette(old)


def test_the_journal_timeline_and_plan_views_mark_private_things(
        qtbot: QtBot, journal_path: Path, with_private: str) -> None:
    from careerdesk.ui.journal_view import JournalView
    from careerdesk.ui.plan_view import PlanView
    from careerdesk.ui.private_style import PRIVATE_ROLE
    from careerdesk.ui.timeline_view import TimelineView

    journal = open_journal(journal_path)
    try:
        services = Services(journal)
        bea = services.people.find("Bea Stone")
        services.entries.add(bea.id, dt.date(2026, 3, 4), title="Thinking about leaving",
                             body="...", private=True)
        timeline = TimelineView(services)
        qtbot.addWidget(timeline)
        timeline.show_person(bea.id)
        model = timeline.model
        rows = [model.index(r, 0) for r in range(model.rowCount())]
        assert rows
        assert all(not model.data(i, Qt.ItemDataRole.DecorationRole).isNull() for i in rows)
        private_rows = [i for i in rows if model.data(i, PRIVATE_ROLE)]
        assert private_rows
        assert all("Private" in model.data(i, Qt.ItemDataRole.DisplayRole)
                   for i in private_rows)

        entries = JournalView(services)
        qtbot.addWidget(entries)
        entries.person_combo.setCurrentIndex(entries.person_combo.findData(bea.id))
        entry_rows = [entries.model.index(r, 0) for r in range(entries.model.rowCount())]
        marked = [i for i in entry_rows if i.data(PRIVATE_ROLE)]
        assert any("Thinking about leaving" in i.data() and "Private" in i.data()
                   for i in marked)
        entry_index = next(i for i in marked if "Thinking about leaving" in i.data())
        entries.list_view.setCurrentIndex(entry_index)
        assert entries.private_check.isChecked()
        assert not entries.private_check.icon().isNull()
        assert entries.body_edit.palette().color(QPalette.ColorRole.Base).name() == \
            private_tint(entries.palette()).name()

        plan = PlanView(services)
        qtbot.addWidget(plan)
        plan.show_person(bea.id)
        plan.resize(900, 400)
        plan.show()
        qtbot.waitExposed(plan)
        tree = plan.tree
        tree.expandAll()
        step = next(plan.model.index(r, 0, plan.model.index(g, 0))
                    for g in range(plan.model.rowCount())
                    for r in range(plan.model.rowCount(plan.model.index(g, 0)))
                    if plan.model.index(r, 0, plan.model.index(g, 0)).data(PRIVATE_ROLE))
        rect = tree.visualRect(step)
        image = tree.viewport().grab().toImage()
        ratio = image.devicePixelRatio()
        colour = image.pixelColor(int((rect.right() - 2) * ratio), int(rect.center().y() * ratio))
        assert colour.name() == private_tint(tree.palette()).name()
    finally:
        journal.close()


def test_a_private_match_item_carries_the_lock_in_the_circles(qtbot: QtBot) -> None:
    from careerdesk.domain.model import MatchItem
    from careerdesk.ui.wizard.venn import VennWidget

    def picture(private: bool) -> QImage:
        venn = VennWidget()
        qtbot.addWidget(venn)
        venn.resize(480, 460)
        item = MatchItem(id="i", conversation_id="c", text="Team lead", in_skills=False,
                         in_interests=True, in_business=False, private=private)
        venn.set_items([item])
        return venn.grab().toImage()

    assert picture(True) != picture(False)  # the lock is drawn beside the text


def test_ticks_in_a_styled_table_still_toggle_by_mouse_and_keyboard(
        qtbot: QtBot, journal_path: Path, make_window: WindowFactory, with_private: str) -> None:
    window = make_window(journal_path)
    window.open_conversation(with_private)
    wizard = window.wizard
    assert wizard is not None
    wizard.go_to(StageId.MATCH)
    page = wizard.page(StageId.MATCH)
    assert isinstance(page, MatchPage)
    table, model = page.table, page.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Workshops")
    private = model.index(row, model.COLUMNS.index("private"))

    def ticked() -> bool:
        return Qt.CheckState(private.data(Qt.ItemDataRole.CheckStateRole)) == \
            Qt.CheckState.Checked

    assert not ticked()
    table.scrollTo(private)
    cell = table.visualRect(private)
    # Where the style draws the tick box in the cell (not necessarily its centre).
    option = QStyleOptionViewItem()
    option.initFrom(table.viewport())
    option.rect = cell
    option.widget = table
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = table.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option,
                                       table)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=box.center())
    qtbot.waitUntil(ticked)  # the click went through the private style to the table's own
    table.setCurrentIndex(private)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not ticked())


def test_editing_a_cell_of_a_privately_styled_table_goes_through_its_own_editor(
        qtbot: QtBot, journal_path: Path, make_window: WindowFactory, with_private: str) -> None:
    from PySide6.QtWidgets import QComboBox

    from careerdesk.domain.model import Owner

    window = make_window(journal_path)
    window.open_conversation(with_private)
    wizard = window.wizard
    assert wizard is not None
    wizard.go_to(StageId.PLAN)
    page = wizard.page(StageId.PLAN)
    assert isinstance(page, PlanPage)
    model, table = page.model, page.table
    row = next(r for r in range(model.rowCount()) if model.action(r).private)
    owner = model.index(row, model.COLUMNS.index("owner"))
    table.setFocus()
    table.setCurrentIndex(owner)  # the plan table edits as soon as a cell is current
    combo = table.viewport().findChild(QComboBox)
    assert combo is not None  # the plan's own editor, not a plain line edit
    combo.setCurrentIndex(combo.findData(Owner.BOTH.value))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.action(row).owner is Owner.BOTH)
    window.autosave.flush()
    assert window.services is not None
    assert window.services.plan.get(model.action(row).id).owner is Owner.BOTH
