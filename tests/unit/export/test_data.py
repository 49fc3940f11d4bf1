"""The privacy rule, decided in one place when the document data is built."""

from __future__ import annotations

import datetime as dt

from careerdesk.domain.model import ActionStatus, Answer, Person, StageId, new_id
from careerdesk.export import data
from careerdesk.export.renderer import doc_texts

from .samples import PRIVATE, PROMPTS, SHARED, TEXTS, sample_journal

TODAY = dt.date(2026, 11, 25)


def _all_text(doc: object) -> str:
    return "\n".join(doc_texts(doc))


def _docs(*, include_private: bool) -> dict[str, data.AnyDoc]:
    j = sample_journal()
    p0 = j.parts[0]
    return {
        "plan": data.build_shared_plan(j.person, conversation=p0.conversation,
                                       match_items=p0.match_items, actions=j.actions,
                                       author="Sam", exported_on=TODAY),
        "prep": data.build_prep_sheet(j.person, prompts=PROMPTS, texts=TEXTS,
                                      carried_answers=p0.answers, open_actions=j.actions,
                                      author="Sam", exported_on=TODAY),
        "record": data.build_conversation_record(j.person, p0, texts=TEXTS,
                                                 include_private=include_private,
                                                 author="Sam", exported_on=TODAY),
        "book": data.build_person_book(j.person, conversations=j.parts, actions=j.actions,
                                       entries=j.entries, texts=TEXTS,
                                       include_private=include_private, author="Sam",
                                       exported_on=TODAY),
    }


def test_no_document_holds_private_text_unless_asked() -> None:
    for kind, doc in _docs(include_private=False).items():
        text = _all_text(doc)
        assert PRIVATE not in text, kind
        assert SHARED in text, kind


def test_shared_documents_never_hold_private_text_even_when_asked() -> None:
    docs = _docs(include_private=True)
    for kind in ("plan", "prep"):
        assert PRIVATE not in _all_text(docs[kind])
        assert docs[kind].include_private is False


def test_record_and_book_include_private_items_marked_when_asked() -> None:
    docs = _docs(include_private=True)
    record = docs["record"]
    assert isinstance(record, data.ConversationRecordDoc)
    assert PRIVATE in _all_text(record)
    section = record.conversation
    for stage in section.stages:
        for line in (*stage.prompts, *stage.notes):
            assert (PRIVATE in (getattr(line, "answer", "") + getattr(line, "text", ""))) \
                == line.private
    assert all(PRIVATE not in a.text or a.private for a in section.actions)
    assert all(PRIVATE not in m.text or m.private for m in section.match)
    assert section.pulse
    assert all(p.private for p in section.pulse)
    assert section.checks
    assert all(c.private for c in section.checks)
    book = docs["book"]
    assert isinstance(book, data.PersonBookDoc)
    assert any(e.private for e in book.entries)


def test_reflection_notes_are_private_whatever_their_switch() -> None:
    docs = _docs(include_private=True)
    record = docs["record"]
    assert isinstance(record, data.ConversationRecordDoc)
    reflections = [n for s in record.conversation.stages for n in s.notes
                   if n.kind == "Reflection"]
    assert reflections
    assert all(n.private for n in reflections)


def test_shared_plan_leaves_out_dropped_steps_and_counts_what_it_left_out() -> None:
    doc = _docs(include_private=False)["plan"]
    assert isinstance(doc, data.SharedPlanDoc)
    assert all(a.status != "Dropped" for a in doc.actions)
    shared, left_out = data.share_preview(doc)
    assert any(SHARED in line for line in shared)
    assert not any(PRIVATE in line for line in shared + left_out)
    assert any("private next steps" in line for line in left_out)
    assert any("private match items" in line for line in left_out)


def test_preview_of_a_record_with_private_items_says_so() -> None:
    shared, left_out = data.share_preview(_docs(include_private=True)["record"])
    assert any(line.endswith("(private)") for line in shared)
    assert left_out == []


def test_prep_sheet_keeps_open_steps_only() -> None:
    doc = _docs(include_private=False)["prep"]
    assert isinstance(doc, data.PrepSheetDoc)
    assert doc.open_actions
    assert all(a.status in ("Open", "In progress") for a in doc.open_actions)


def test_book_date_range() -> None:
    j = sample_journal(conversations=3)
    doc = data.build_person_book(
        j.person, conversations=j.parts, actions=j.actions, entries=j.entries, texts=TEXTS,
        date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28), author="",
        exported_on=TODAY)
    assert [c.held_on for c in doc.conversations] == [dt.date(2026, 2, 11)]
    assert [e.entry_date for e in doc.entries] == [dt.date(2026, 2, 2)]
    assert ActionStatus.DROPPED  # dropped steps stay in the book: it is a record


def test_content_texts_fall_back_to_readable_ids() -> None:
    texts = data.ContentTexts()
    assert texts.stage("current_role") == "Current role"
    assert texts.prompt("custom:abc") == "Abc"


def test_plan_preview_lists_the_header_and_direction() -> None:
    person = Person(id=new_id(), name="Dana")
    answer = Answer(new_id(), new_id(), "future_roles.long_term", StageId.FUTURE_ROLES,
                    text="Architecture")
    hidden = Answer(new_id(), new_id(), "future_roles.next_18_months", StageId.FUTURE_ROLES,
                    text="secret PRIV", private=True)
    doc = data.build_shared_plan(person, conversation=None, match_items=[], actions=[],
                                 author="Sam", exported_on=dt.date(2026, 11, 25),
                                 supervisor="Sam", direction_answers=[hidden, answer],
                                 organisation=data.Organisation("Northwind", b"logo"))
    shared, left_out = data.share_preview(doc)
    assert "Supervisor or mentor: Sam" in shared
    assert "Organisation: Northwind with its logo" in shared
    assert "Direction (Longer term): Architecture" in shared
    assert not any("PRIV" in line for line in shared)
    assert "1 private answers about direction" in left_out
