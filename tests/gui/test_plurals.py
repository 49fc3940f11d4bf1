"""Counts read as English: "1 entry", "2 entries", "1 match", "1 private answer"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import StageId
from careerdesk.ui.export_dialog import ExportPreviewDialog
from careerdesk.ui.journal_view import JournalView
from careerdesk.ui.search_panel import SearchPanel
from tests.gui.conftest import WindowFactory, person_id

pytestmark = pytest.mark.gui


def test_counts_are_singular_for_one_and_plural_otherwise(
    qtbot: QtBot, journal_path: Path, make_window: WindowFactory,
) -> None:
    window = make_window(journal_path)  # installs the plural forms
    assert window.services is not None
    services = window.services
    bea = person_id(window, "Bea Stone")

    journal = JournalView(services)
    qtbot.addWidget(journal)
    journal.person_combo.setCurrentIndex(journal.person_combo.findData(bea))
    services.entries.add(bea, dt.date(2026, 1, 5), title="Zebra crossing")
    journal.refresh()
    assert journal.count_label.text() == "1 entry"
    services.entries.add(bea, dt.date(2026, 1, 6), title="Second")
    journal.refresh()
    assert journal.count_label.text() == "2 entries"

    search = SearchPanel(services)
    qtbot.addWidget(search)
    search.query_edit.setText("zebra")
    search.run_search()
    assert search.status_label.text().startswith("1 match")

    conversation = services.conversations.start(bea, dt.date(2026, 3, 2))
    services.conversations.set_answer(conversation.id, "current_role.learning",
                                      StageId.CURRENT_ROLE, text="secret", private=True)
    services.plan.add(bea, "Lead a retro", conversation_id=conversation.id)
    doc = services.exports.build("record", bea, conversation=conversation.id)
    dialog = ExportPreviewDialog(doc, window)
    qtbot.addWidget(dialog)
    left_out = [dialog.left_out_list.item(i).text()
                for i in range(dialog.left_out_list.count())]
    assert "1 private answer" in left_out

    window.refresh_people()
    window.open_person(bea)
    assert "1 open next step, 0 overdue" in window.person_page.subtitle.text()
