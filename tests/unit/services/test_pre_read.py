"""The fillable pre-read: curated and worded for its reader, filled with pypdf, imported back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from careerdesk.content import Audience
from careerdesk.domain.model import NoteKind, StageId
from careerdesk.errors import ExchangeError
from careerdesk.export.prep_form import render_pre_read
from careerdesk.services import Services
from careerdesk.services.pre_read import build_pre_read, import_prep_answers, read_prep_form


def _fill(source: Path, target: Path, answers: dict[str, str]) -> None:
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        writer.update_page_form_field_values(page, answers, auto_regenerate=False)
    writer.write(target)


@pytest.fixture
def olga(services: Services) -> str:
    services.settings.set("owner_name", "Alex Morgan")
    person = services.people.create("Ольга Иванова", next_conversation=dt.date(2099, 1, 15))
    return person.id


def test_the_form_has_five_to_eight_questions_on_one_or_two_pages(
        services: Services, olga: str, tmp_path: Path) -> None:
    doc = build_pre_read(services, olga, audience=Audience.EMPLOYEE)
    assert 5 <= len(doc.questions) <= 8
    out = render_pre_read(doc, tmp_path / "prep.pdf")
    reader = PdfReader(out)
    assert 1 <= len(reader.pages) <= 2
    fields = reader.get_fields() or {}
    assert {q.field for q in doc.questions} <= set(fields)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Preparing for our career conversation" in text
    assert doc.questions[0].text.split()[0] in text


def test_the_wording_follows_the_reader(services: Services, olga: str) -> None:
    employee = build_pre_read(services, olga, audience=Audience.EMPLOYEE)
    supervisor = build_pre_read(services, olga, audience=Audience.SUPERVISOR)
    assert [q.prompt_id for q in employee.questions] == [
        q.prompt_id for q in supervisor.questions]
    assert [q.text for q in employee.questions] != [q.text for q in supervisor.questions]


def test_filled_answers_come_back_as_the_employees_preparation(
        services: Services, olga: str, tmp_path: Path) -> None:
    doc = build_pre_read(services, olga, audience=Audience.EMPLOYEE)
    blank = render_pre_read(doc, tmp_path / "prep.pdf")
    first, last = doc.questions[0], doc.questions[-1]
    _fill(blank, tmp_path / "filled.pdf", {first.field: "Ясный следующий шаг ANSWER-ONE",
                                            last.field: "More mentoring ANSWER-TWO"})
    filled = read_prep_form((tmp_path / "filled.pdf").read_bytes(), name="filled.pdf")

    preview = import_prep_answers(services, filled, dry_run=True)
    assert not preview.applied
    assert services.conversations.list_for(olga) == []
    report = import_prep_answers(services, filled)
    assert report.applied
    (conversation,) = services.conversations.list_for(olga)
    assert conversation.held_on == dt.date(2099, 1, 15)
    notes = {(n.stage, n.kind): n for n in services.conversations.notes(conversation.id)}
    note = notes[(first.stage, NoteKind.PREPARATION)]
    assert "Ольга Иванова's prep sheet (written by them)" in note.text
    assert f"Q: {first.text}\nA: Ясный следующий шаг ANSWER-ONE" in note.text
    assert "ANSWER-TWO" in notes[(last.stage, NoteKind.PREPARATION)].text
    again = import_prep_answers(services, filled)
    assert not again.changes  # the same file twice changes nothing


def test_a_pdf_that_is_not_a_prep_sheet_is_refused(services: Services, olga: str,
                                                   tmp_path: Path) -> None:
    services.plan.add(olga, "A shared step")
    plan_pdf = tmp_path / "plan.pdf"
    doc = services.exports.build("plan", olga)
    services.exports.write(doc, plan_pdf)
    with pytest.raises(ExchangeError, match="not a CareerDesk prep sheet"):
        read_prep_form(plan_pdf.read_bytes(), name="plan.pdf")
    with pytest.raises(ExchangeError, match=r"damaged PDF|not a CareerDesk"):
        read_prep_form(b"%PDF-1.4\n garbage", name="junk.pdf")


def test_the_stages_of_the_questions_are_the_conversations(services: Services,
                                                           olga: str) -> None:
    doc = build_pre_read(services, olga, audience=Audience.EMPLOYEE)
    assert {q.stage for q in doc.questions} <= {
        StageId.PREPARE, StageId.CURRENT_ROLE, StageId.FUTURE_ROLES, StageId.MATCH,
        StageId.PLAN}
