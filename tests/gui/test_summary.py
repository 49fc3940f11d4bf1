"""The Summary stage lists exactly what each export of the conversation will hold."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from careerdesk.domain.model import StageId
from careerdesk.export import data
from careerdesk.services import Services
from careerdesk.services.demo import DemoOptions, write_demo
from careerdesk.services.exporting import EXPORT_KINDS
from careerdesk.storage.journal import open_journal
from careerdesk.ui.wizard.pages import SummaryPage
from careerdesk.ui.wizard.summary import BOOK_LINK, summary_data
from tests.gui.conftest import WindowFactory

pytestmark = pytest.mark.gui


def _section_texts(c: data.ConversationSection) -> list[str]:
    texts = [p.answer for s in c.stages for p in s.prompts]
    texts += [n.text for s in c.stages for n in s.notes]
    return texts + [m.text for m in c.match] + [a.text for a in c.actions] \
        + [k.text for k in c.checks] + [p.dimension for p in c.pulse]


def printed_texts(doc: data.AnyDoc) -> Counter[str]:
    """Every piece of user text the document prints (read from the document data directly)."""
    if isinstance(doc, data.SharedPlanDoc):
        texts = [m.text for m in doc.match] + [a.text for a in doc.actions]
    elif isinstance(doc, data.PrepSheetDoc):
        texts = [p.prompt for s in doc.sections for p in s.prompts]
        texts += [p.answer for s in doc.sections for p in s.prompts]
        texts += [a.text for a in doc.open_actions]
    elif isinstance(doc, data.ConversationRecordDoc):
        texts = _section_texts(doc.conversation)
    else:
        texts = [t for c in doc.conversations for t in _section_texts(c)]
        texts += [a.text for a in doc.actions] + [e.title or e.body for e in doc.entries]
    return Counter(t for t in texts if t)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.careerdesk"
    with open_journal(path) as journal:
        write_demo(Services(journal), DemoOptions(people=3, years=1, seed=11))
    return path


def test_for_every_demo_conversation_the_summary_lists_what_each_export_holds(
        qtbot: QtBot, demo_path: Path, make_window: WindowFactory) -> None:
    window = make_window(demo_path)
    services = window.services
    assert services is not None
    conversations = [(p.id, c.id) for p in services.people.list()
                     for c in services.conversations.list_for(p.id)]
    assert len(conversations) >= 3
    private_seen = 0
    for person_id, conversation_id in conversations:
        window.open_conversation(conversation_id)
        wizard = window.wizard
        assert wizard is not None
        wizard.go_to(StageId.SUMMARY)
        page = wizard.page(StageId.SUMMARY)
        assert isinstance(page, SummaryPage)
        if not page.with_book:  # the book gathers the whole history: listed when asked for
            assert "List what it holds" in page.browser.toPlainText()
        page.browser.anchorClicked.emit(QUrl(BOOK_LINK))  # the user follows the link
        shown = _words(page.browser.toPlainText())
        summary = summary_data(services, person_id, conversation_id)
        for kind in EXPORT_KINDS:
            doc = services.exports.build(kind, person_id, conversation=conversation_id)
            listed = Counter(i.text for i in summary.export(kind).items if i.text)
            assert listed == printed_texts(doc), (kind, conversation_id)
            assert [f"{o.count} {o.label}" for o in doc.left_out] == \
                list(summary.export(kind).left_out)
            for text in listed:
                assert _words(text) in shown
        # Shared exports never list a private thing; the private list is what the record adds
        # when private notes are asked for.
        for kind in ("plan", "prep"):
            assert not any(i.private for i in summary.export(kind).items)  # type: ignore[arg-type]
        full = services.exports.conversation_record(person_id, conversation=conversation_id,
                                                    include_private=True)
        without = services.exports.conversation_record(person_id, conversation=conversation_id)
        added = printed_texts(full) - printed_texts(without)
        assert Counter(i.text for i in summary.private if i.text) == added
        private_seen += len(summary.private)
    assert private_seen  # the demo has private notes, so the check above was not vacuous


def test_summary_marks_private_steps_with_the_private_style(
        qtbot: QtBot, journal_path: Path, make_window: WindowFactory) -> None:
    with open_journal(journal_path) as journal:
        services = Services(journal)
        bea = services.people.find("Bea Stone")
        import datetime as dt

        talk = services.conversations.start(bea.id, dt.date(2026, 3, 3))
        services.plan.add(bea.id, "Shadow the research lead", conversation_id=talk.id)
        services.plan.add(bea.id, "Ask about the team lead role", conversation_id=talk.id,
                          private=True)
        services.conversations.set_note(talk.id, StageId.CURRENT_ROLE, text="Tired of reports",
                                        private=True)
    window = make_window(journal_path)
    window.open_conversation(talk.id)
    wizard = window.wizard
    assert wizard is not None
    wizard.go_to(StageId.SUMMARY)
    page = wizard.page(StageId.SUMMARY)
    assert isinstance(page, SummaryPage)
    html = page.browser.toHtml()
    text = page.browser.toPlainText()
    assert "[Private]" in text
    plan_part = text.split("Shared plan", 1)[1].split("Prep sheet", 1)[0]
    assert "Shadow the research lead" in plan_part
    assert "Ask about the team lead role" not in plan_part
    assert "Tired of reports" not in plan_part
    private_part = text.split("What stays private", 1)[1]
    assert "Ask about the team lead role" in private_part
    assert "Tired of reports" in private_part
    assert "background-color" in html
