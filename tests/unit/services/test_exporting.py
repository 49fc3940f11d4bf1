"""ExportService: which records each document is about, in which voice, and privacy kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from careerdesk.domain.model import ActionStatus, NoteKind, StageId
from careerdesk.errors import InvalidInputError, NotFoundError
from careerdesk.export.data import share_preview
from careerdesk.export.renderer import doc_texts
from careerdesk.services import Services


def _text(doc: object) -> str:
    return "\n".join(doc_texts(doc))


@pytest.fixture
def filled(services: Services) -> tuple[Services, str]:
    services.settings.set("owner_name", "Alex Morgan")
    person = services.people.create("Ольга Иванова", role="Analyst")
    old = services.conversations.start(person.id, dt.date(2026, 1, 5))
    new = services.conversations.start(person.id, dt.date(2026, 4, 5))
    services.conversations.add_match_item(old.id, "old match", in_skills=True)
    services.conversations.add_match_item(new.id, "new match SHARED", in_skills=True,
                                          in_interests=True, in_business=True)
    services.conversations.add_match_item(new.id, "secret match PRIV", in_skills=True,
                                          private=True)
    services.conversations.set_answer(new.id, "current_role.learning", StageId.CURRENT_ROLE,
                                      text="learned PRIV", private=True, asked=True)
    services.conversations.set_answer(new.id, "current_role.learning", StageId.CURRENT_ROLE,
                                      text="learned PRIV", private=True, asked=True)
    services.conversations.set_note(new.id, StageId.REFLECT, NoteKind.REFLECTION,
                                    text="reflection PRIV")
    services.conversations.set_pulse(new.id, "energy", 2)
    services.plan.add(person.id, "open step SHARED", conversation_id=new.id)
    services.plan.add(person.id, "private step PRIV", conversation_id=new.id, private=True)
    done = services.plan.add(person.id, "done old step", conversation_id=old.id)
    services.plan.update(done.id, status=ActionStatus.DONE)
    services.entries.add(person.id, dt.date(2026, 2, 1), title="entry PRIV", body="PRIV")
    return services, person.id


def test_shared_plan_uses_the_newest_conversation_and_open_steps(
        filled: tuple[Services, str]) -> None:
    services, person_id = filled
    doc = services.exports.shared_plan(person_id)
    text = _text(doc)
    assert "new match SHARED" in text
    assert "old match" not in text
    assert "open step SHARED" in text
    assert "done old step" not in text  # done, and agreed in another conversation
    assert "PRIV" not in text
    assert doc.meta.author == "Alex Morgan"
    old = services.exports.shared_plan(person_id, conversation="2026-01-05")
    assert "old match" in _text(old)
    assert "done old step" in _text(old)


def test_prep_sheet_words_prompts_for_the_reader(filled: tuple[Services, str]) -> None:
    services, person_id = filled
    doc = services.exports.prep_sheet(person_id)
    prompts = [p.prompt for s in doc.sections for p in s.prompts]
    assert "What have you learned in your role over the last six months?" in prompts
    assert "PRIV" not in _text(doc)
    me = services.people.create("Me", is_me=True)
    mine = services.exports.prep_sheet(me.id)
    assert "What have I learned in my role over the last six months?" in [
        p.prompt for s in mine.sections for p in s.prompts]


def test_record_and_book_include_private_only_when_asked(filled: tuple[Services, str]) -> None:
    services, person_id = filled
    for kind in ("record", "book"):
        closed = services.exports.build(kind, person_id)  # type: ignore[arg-type]
        assert "PRIV" not in _text(closed)
        opened = services.exports.build(kind, person_id,  # type: ignore[arg-type]
                                        include_private=True)
        assert "reflection PRIV" in _text(opened)
        _, left_out = share_preview(closed)
        assert left_out


def test_choosing_a_conversation(filled: tuple[Services, str]) -> None:
    services, person_id = filled
    with pytest.raises(NotFoundError):
        services.exports.conversation_record(person_id, conversation="2020-01-01")
    with pytest.raises(InvalidInputError):
        services.exports.conversation_record(person_id, conversation="tomorrow")
    with pytest.raises(InvalidInputError):
        services.exports.person_book(person_id, date_from=dt.date(2026, 5, 1),
                                     date_to=dt.date(2026, 1, 1))


def test_write_makes_the_pdf(filled: tuple[Services, str], tmp_path: Path) -> None:
    services, person_id = filled
    out = tmp_path / "plan.pdf"
    services.exports.write(services.exports.shared_plan(person_id), out, paper="letter")
    assert out.read_bytes().startswith(b"%PDF")


def test_prep_sheet_follows_the_users_question_list(filled: tuple[Services, str]) -> None:
    services, person_id = filled
    services.prompts.set_wording("current_role.learning", "Reworded <b>by me</b>?")
    prompts = services.prompts.effective_prompts(StageId.FUTURE_ROLES)
    hidden = prompts[0]
    services.prompts.set_hidden(StageId.FUTURE_ROLES, hidden.prompt_id, True)
    doc = services.exports.prep_sheet(person_id)
    texts = [p.prompt for s in doc.sections for p in s.prompts]
    assert "Reworded <b>by me</b>?" in texts
    assert hidden.supervisor not in texts


CANARY = "PLANCANARY"


def test_every_demo_plan_of_up_to_five_steps_is_one_page(services: Services,
                                                          tmp_path: Path) -> None:
    """Issue 18: each person of the demo journal with up to 5 shared steps gets a one-page
    plan on A4 and letter that names both people; a private canary everywhere never shows."""
    import pypdf

    from careerdesk.services.demo import DemoOptions, write_demo

    write_demo(services, DemoOptions(people=8, years=2, seed=7, today=dt.date(2026, 11, 25)))
    supervisor = services.settings.owner_name
    assert supervisor
    checked = 0
    for person in services.people.list():
        conversations = services.conversations.list_for(person.id)
        if conversations:
            newest = conversations[0].id
            services.conversations.add_match_item(newest, f"{CANARY} match", in_skills=True,
                                                  private=True)
            services.conversations.set_answer(newest, "future_roles.next_18_months",
                                              StageId.FUTURE_ROLES, text=f"{CANARY} answer",
                                              private=True)
            services.conversations.set_note(newest, StageId.FUTURE_ROLES,
                                            text=f"{CANARY} note", private=True)
        services.plan.add(person.id, f"{CANARY} step", private=True)
        doc = services.exports.shared_plan(person.id)
        assert CANARY not in _text(doc)
        if len(doc.actions) > 5:
            continue
        for paper in ("a4", "letter"):
            out = tmp_path / f"{person.id}-{paper}.pdf"
            services.exports.write(doc, out, paper=paper)  # type: ignore[arg-type]
            reader = pypdf.PdfReader(str(out))
            assert len(reader.pages) == 1, (person.name, paper)
            text = reader.pages[0].extract_text()
            assert "".join(person.name.split()) in "".join(text.split())
            if not person.is_me:
                assert "".join(supervisor.split()) in "".join(text.split())
            assert CANARY not in text
            assert CANARY.encode() not in out.read_bytes()
        checked += 1
    assert checked >= 5


def test_shared_plan_header_and_direction(filled: tuple[Services, str]) -> None:
    services, person_id = filled
    services.settings.set_organisation_name("Northwind  Traders")
    new = services.conversations.list_for(person_id)[0]
    services.conversations.set_answer(new.id, "future_roles.long_term", StageId.FUTURE_ROLES,
                                      text="Architecture, in time")
    services.people.update(person_id, next_conversation=dt.date(2026, 7, 1))
    doc = services.exports.shared_plan(person_id)
    assert doc.supervisor == "Alex Morgan"
    assert doc.next_conversation == dt.date(2026, 7, 1)
    assert doc.organisation.name == "Northwind Traders"
    assert doc.organisation.logo is None
    assert [(d.horizon, d.text) for d in doc.direction] == [
        ("Longer term", "Architecture, in time")]
    assert doc.meta.language == "en"
