"""The shared plan a manager hands over, and the navigable book and record (issue 18)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pypdf
import pytest

from careerdesk.domain.model import (
    Action,
    ActionStatus,
    Answer,
    Conversation,
    MatchItem,
    Owner,
    Person,
    StageId,
    new_id,
)
from careerdesk.export import data
from careerdesk.export.renderer import PdfRenderer
from tests.unit.domain.test_logo import png as png_bytes

from .pdfcheck import annotations_and_images, internal_links, read_pdf
from .samples import TEXTS, sample_journal

TODAY = dt.date(2026, 11, 25)
LONG_MATCH = "explaining complex things simply to people outside the data team"


def _plan(person: Person, *, steps: int, **extra: object) -> data.SharedPlanDoc:
    conv = Conversation(id=new_id(), person_id=person.id, held_on=dt.date(2026, 11, 2))
    actions = [
        Action(new_id(), person.id, f"Step {i}: lead the quarterly data review with the "
               "platform team and present the findings", conversation_id=conv.id,
               owner=Owner.SUPERVISOR if i % 2 else Owner.EMPLOYEE,
               due=dt.date(2026, 10, 1) if i == 0 else dt.date(2027, 1, 10 + i),
               status=ActionStatus.OPEN,
               support="Sam books the room, shares last year's slides and reviews a draft")
        for i in range(steps)
    ]
    match = [MatchItem(new_id(), conv.id, LONG_MATCH, True, True, True),
             MatchItem(new_id(), conv.id, "SQL", True, False, True),
             MatchItem(new_id(), conv.id, "Mentoring juniors", True, True, False),
             MatchItem(new_id(), conv.id, "Music", False, True, False)]
    answers = [Answer(new_id(), conv.id, "future_roles.next_18_months", StageId.FUTURE_ROLES,
                      text="Lead a small analytics workstream, still hands-on."),
               Answer(new_id(), conv.id, "future_roles.long_term", StageId.FUTURE_ROLES,
                      text="PRIVSENTINEL architecture maybe", private=True)]
    return data.build_shared_plan(
        person, conversation=conv, match_items=match, actions=actions, author="Sam Rivera",
        exported_on=TODAY, supervisor="Sam Rivera", next_conversation=dt.date(2027, 2, 1),
        direction_answers=answers, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("steps", [0, 1, 3, 5])
def test_plan_of_up_to_five_steps_is_one_page(tmp_path: Path, paper: str, steps: int) -> None:
    person = Person(id=new_id(), name="Zoë Kowalczyk", role="Analyst", team="Data")
    out = tmp_path / "plan.pdf"
    PdfRenderer(paper=paper).render(  # type: ignore[arg-type]
        _plan(person, steps=steps, organisation=data.Organisation("Northwind Traders")), out)
    pdf = read_pdf(out)
    assert pdf.pages == 1
    for seen in ("Zoë Kowalczyk", "Sam Rivera", "1 February 2027", "Northwind Traders",
                 "Lead a small analytics workstream", LONG_MATCH, "Agreed by"):
        assert pdf.has(seen), seen
    assert pdf.lacks("PRIVSENTINEL")
    if steps:
        assert pdf.has("Overdue")  # step 0 was due on 1 October, before the export


def test_overdue_marks_only_open_steps_due_before_the_export() -> None:
    person = Person(id=new_id(), name="Dana")
    done = Action(new_id(), person.id, "done late", due=dt.date(2026, 1, 1),
                  status=ActionStatus.DONE)
    late = Action(new_id(), person.id, "late", due=dt.date(2026, 1, 1))
    future = Action(new_id(), person.id, "future", due=dt.date(2027, 1, 1))
    doc = data.build_shared_plan(person, conversation=None, match_items=[],
                                 actions=[done, late, future], author="", exported_on=TODAY)
    assert {a.text: a.overdue for a in doc.actions} == {
        "done late": False, "late": True, "future": False}


def test_more_steps_flow_over_pages_with_rows_kept_whole(tmp_path: Path) -> None:
    person = Person(id=new_id(), name="Dana")
    out = tmp_path / "plan.pdf"
    PdfRenderer().render(_plan(person, steps=14), out)
    pdf = read_pdf(out)
    assert pdf.pages >= 2
    # No step's text is split between two pages.
    pages = [page.extract_text() for page in pypdf.PdfReader(str(out)).pages]
    for i in range(14):
        assert sum(f"Step {i}:" in text for text in pages) == 1
        holder = next(text for text in pages if f"Step {i}:" in text)
        assert "present the findings" in holder.split(f"Step {i}:")[1]


def test_logo_is_drawn_in_the_header(tmp_path: Path) -> None:
    person = Person(id=new_id(), name="Dana")
    out = tmp_path / "plan.pdf"
    PdfRenderer().render(_plan(person, steps=2, organisation=data.Organisation(
        "Northwind", png_bytes(240, 80))), out)
    assert annotations_and_images(out) == (0, 1)
    assert read_pdf(out).pages == 1


@pytest.mark.parametrize("name", ["صلاح الدين", "عبد الله الحسيني", "נועה לוי",
                                  "שָׁרָה כֹּהֵן", "آلاء"])
def test_arabic_and_hebrew_names_extract_exactly_as_typed(tmp_path: Path, name: str) -> None:
    """No normalisation: what pdftotext and pypdf give is what the user typed."""
    person = Person(id=new_id(), name=name)
    out = tmp_path / "plan.pdf"
    PdfRenderer().render(_plan(person, steps=1), out)
    poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"],
                             capture_output=True, text=True, check=True).stdout
    extracted = pypdf.PdfReader(str(out)).pages[0].extract_text()
    assert name in poppler
    assert name in extracted


def test_book_has_an_outline_per_conversation_and_linked_contents(tmp_path: Path) -> None:
    j = sample_journal(conversations=4)
    doc = data.build_person_book(j.person, conversations=j.parts, actions=j.actions,
                                 entries=j.entries, texts=TEXTS, include_private=True,
                                 author="Sam", exported_on=TODAY)
    out = tmp_path / "book.pdf"
    PdfRenderer().render(doc, out)
    reader = pypdf.PdfReader(str(out))
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [t.title for t in top] == ["Next steps", "Conversations", "Journal"]
    conversations_index = reader.outline.index(top[1])
    children = reader.outline[conversations_index + 1]
    titles = [c.title for c in children if not isinstance(c, list)]
    assert titles == [f"Conversation of {c.conversation.held_on.day} "
                      f"{c.conversation.held_on.strftime('%B %Y')}" for c in j.parts]
    # Each conversation's bookmark goes to the page where its heading is.
    for item in (c for c in children if not isinstance(c, list)):
        page = reader.get_destination_page_number(item)
        assert item.title in reader.pages[page].extract_text()
    # Its sections are bookmarks under it.
    sections = next(c for c in children if isinstance(c, list))
    assert "The match" in [s.title for s in sections]
    # The contents page (page 1) links to those pages.
    targets = internal_links(out)
    conversation_pages = {reader.get_destination_page_number(c) for c in children
                          if not isinstance(c, list)}
    assert conversation_pages <= set(targets)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_record_has_bookmarks_and_pulse_in_words(tmp_path: Path) -> None:
    j = sample_journal(conversations=1)
    texts = data.ContentTexts(stages=dict(TEXTS.stages), prompts=dict(TEXTS.prompts),
                              pulse_dimensions={"energy": "Energy"},
                              pulse_labels={"energy": ("Drained", "Low", "Mixed", "Good",
                                                       "Energised")})
    parts = data.ConversationParts(conversation=j.parts[0].conversation,
                                   answers=j.parts[0].answers, pulse={"energy": 4,
                                                                      "unknown_id": 2})
    doc = data.build_conversation_record(j.person, parts, texts=texts, include_private=True,
                                         author="Sam", exported_on=TODAY)
    out = tmp_path / "record.pdf"
    PdfRenderer().render(doc, out)
    pdf = read_pdf(out)
    assert pdf.has("Energy: Good")
    assert pdf.has("Unknown id: A little")
    assert pdf.lacks("of 5")
    titles = [o.title for o in pypdf.PdfReader(str(out)).outline if not isinstance(o, list)]
    assert titles[:2] == ["Current role", "Future roles"]
    assert "Pulse" in titles


def test_contents_over_two_pages_name_and_link_the_right_pages(tmp_path: Path) -> None:
    """The contents are drawn once all pages are known: every entry's printed number is the
    page its bookmark points to, over more than one contents page, and each one links there."""
    import re

    j = sample_journal(conversations=50)
    doc = data.build_person_book(j.person, conversations=j.parts, actions=j.actions,
                                 entries=j.entries, texts=TEXTS, author="Sam",
                                 exported_on=TODAY)
    out = tmp_path / "book.pdf"
    PdfRenderer().render(doc, out)
    reader = pypdf.PdfReader(str(out))
    conversations = reader.outline[reader.outline.index(
        next(o for o in reader.outline if not isinstance(o, list)
             and o.title == "Conversations")) + 1]
    pages = {o.title: reader.get_destination_page_number(o) + 1 for o in conversations
             if not isinstance(o, list)}
    assert len(pages) == 50
    contents = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "3", str(out), "-"],
                              capture_output=True, text=True, check=True).stdout
    printed = {m[0].strip(): int(m[1]) for m in
               re.findall(r"(Conversation of [^.]+?)\s*[ .]+\s(\d+)\s*$", contents, re.M)}
    assert printed == pages
    assert set(pages.values()) <= {t + 1 for t in internal_links(out)}


def test_a_step_of_many_short_lines_splits_instead_of_failing(tmp_path: Path) -> None:
    """A step taller than a page must split inside its row, whatever makes it tall."""
    person = Person(id=new_id(), name="Dana")
    step = Action(new_id(), person.id, "\n".join(f"line {i}" for i in range(300)))
    doc = data.build_shared_plan(person, conversation=None, match_items=[], actions=[step],
                                 author="", exported_on=TODAY)
    out = tmp_path / "plan.pdf"
    PdfRenderer().render(doc, out)
    pdf = read_pdf(out)
    assert pdf.pages > 3
    assert pdf.has("line 299")


def test_agreed_by_lines_are_optional(tmp_path: Path) -> None:
    person = Person(id=new_id(), name="Dana")
    out = tmp_path / "plan.pdf"
    PdfRenderer().render(_plan(person, steps=1, agreed_by=False), out)
    pdf = read_pdf(out)
    assert pdf.lacks("Agreed by")
    assert pdf.lacks("Signature and date")
