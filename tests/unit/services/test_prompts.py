"""PromptService: own prompts, wording, hiding, order and templates, through the real journal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from careerdesk.content import Audience, load_content
from careerdesk.domain.model import CUSTOM_PREFIX, StageId
from careerdesk.errors import ContentError, InvalidInputError, NotFoundError
from careerdesk.services import Services
from careerdesk.services.interchange import dump_journal, load_into
from careerdesk.services.prompts import LAYOUT_KEY, WORDING_KEY
from careerdesk.storage.journal import open_journal

STAGE = StageId.CURRENT_ROLE
DAY = dt.date(2026, 3, 2)


def builtin_ids(stage: StageId = STAGE, pack: str = "default") -> list[str]:
    return [p.id for p in load_content().prompts(stage, pack)]


def ids(services: Services, stage: StageId = STAGE, **kwargs: str) -> list[str]:
    return [p.prompt_id for p in services.prompts.effective_prompts(stage, **kwargs)]


def visible(services: Services, stage: StageId = STAGE, **kwargs: str) -> list[str]:
    return [
        p.prompt_id for p in services.prompts.effective_prompts(stage, **kwargs) if not p.hidden
    ]


# --- the default list ---------------------------------------------------------------------


def test_untouched_list_is_the_built_in_bank(services: Services) -> None:
    prompts = services.prompts.effective_prompts(STAGE)
    assert [p.prompt_id for p in prompts] == builtin_ids()
    assert [p.position for p in prompts] == list(range(len(prompts)))
    first = prompts[0]
    assert not first.hidden
    assert not first.is_custom
    assert not first.edited
    assert first.text(Audience.EMPLOYEE).startswith("What have I learned")


def test_method_pack_replaces_the_default_prompts(services: Services) -> None:
    assert ids(services, method_pack="grow") == builtin_ids(pack="grow")


def test_unknown_pack(services: Services) -> None:
    with pytest.raises(NotFoundError, match="no method pack"):
        services.prompts.effective_prompts(STAGE, method_pack="nope")
    person = services.people.create("Ana")
    conversation = services.conversations.start(person.id, DAY, method_pack="from_the_future")
    assert ids(services, conversation_id=conversation.id) == builtin_ids()


def test_own_prompt_is_added_at_the_end(services: Services) -> None:
    custom = services.prompts.add_custom(STAGE, "  What would you stop doing tomorrow?  ")
    assert custom.prompt_id == CUSTOM_PREFIX + custom.id
    prompts = services.prompts.effective_prompts(STAGE)
    assert prompts[-1].prompt_id == custom.prompt_id
    assert prompts[-1].is_custom
    assert prompts[-1].text(Audience.SUPERVISOR) == "What would you stop doing tomorrow?"
    # ... in every pack's default list, and only on its own stage
    assert ids(services, method_pack="grow")[-1] == custom.prompt_id
    assert custom.prompt_id not in ids(services, StageId.PLAN)


def test_own_prompt_needs_text_and_a_stage_with_questions(services: Services) -> None:
    with pytest.raises(InvalidInputError, match="cannot be empty"):
        services.prompts.add_custom(STAGE, "   ")
    with pytest.raises(InvalidInputError, match="no questions"):
        services.prompts.add_custom(StageId.SUMMARY, "Anything?")


def test_update_and_delete_own_prompt(services: Services) -> None:
    custom = services.prompts.add_custom(STAGE, "Old", hint="h")
    services.prompts.update_custom(custom.prompt_id, text="New", hint="")
    assert services.prompts.custom_prompts(STAGE)[0].text == "New"
    services.prompts.set_wording(custom.prompt_id, "Newer")
    assert services.prompts.effective_prompts(STAGE)[-1].supervisor == "Newer"
    services.prompts.delete_custom(custom.prompt_id)
    assert ids(services) == builtin_ids()
    with pytest.raises(NotFoundError):
        services.prompts.delete_custom(custom.prompt_id)


def test_wording_edit_and_reset(services: Services) -> None:
    services.prompts.set_wording("current_role.energises", "What lights you up at work?")
    energises = next(
        p
        for p in services.prompts.effective_prompts(STAGE)
        if p.prompt_id == "current_role.energises"
    )
    assert energises.edited
    assert energises.text(Audience.SUPERVISOR) == "What lights you up at work?"
    assert services.prompts.wording_edits() == {
        "current_role.energises": "What lights you up at work?"
    }
    services.prompts.set_wording("current_role.energises", None)
    assert services.prompts.wording_edits() == {}
    with pytest.raises(NotFoundError):
        services.prompts.set_wording("current_role.nope", "x")


def test_hide_and_reorder_default_list(services: Services) -> None:
    original = builtin_ids()
    services.prompts.set_hidden(STAGE, original[0], True)
    assert visible(services) == original[1:]
    assert ids(services) == original  # hidden prompts are still listed, marked hidden
    new_order = services.prompts.reorder(STAGE, [original[3], original[1]])
    assert [p.prompt_id for p in new_order][:2] == [original[3], original[1]]
    assert new_order[2].prompt_id == original[0]
    assert new_order[2].hidden  # reordering keeps hiding
    # another pack's list is untouched
    assert ids(services, method_pack="grow") == builtin_ids(pack="grow")
    services.prompts.reset()
    assert ids(services) == original
    assert visible(services) == original


def test_reorder_refuses_unknown_prompts(services: Services) -> None:
    with pytest.raises(NotFoundError):
        services.prompts.reorder(STAGE, ["plan.skill"])
    with pytest.raises(NotFoundError):
        services.prompts.set_hidden(STAGE, "nope", True)


# --- conversations -------------------------------------------------------------------------


def test_conversation_uses_its_pack_and_its_own_prompts(services: Services) -> None:
    person = services.people.create("Ana")
    conversation = services.conversations.start(person.id, DAY, method_pack="grow")
    own = services.prompts.add_custom(STAGE, "Only here", conversation_id=conversation.id)
    listed = ids(services, conversation_id=conversation.id)
    assert listed == [*builtin_ids(pack="grow"), own.prompt_id]
    assert own.prompt_id not in ids(services)  # not in the default list


def test_conversation_hide_and_order_do_not_touch_the_default_list(services: Services) -> None:
    person = services.people.create("Ana")
    conversation = services.conversations.start(person.id, DAY)
    original = builtin_ids()
    services.prompts.set_hidden(STAGE, original[2], True, conversation_id=conversation.id)
    services.prompts.reorder(STAGE, [original[-1]], conversation_id=conversation.id)
    listed = services.prompts.effective_prompts(STAGE, conversation_id=conversation.id)
    assert listed[0].prompt_id == original[-1]
    assert next(p for p in listed if p.prompt_id == original[2]).hidden
    assert ids(services) == original
    assert visible(services) == original
    # an answer typed later keeps its place
    services.conversations.set_answer(conversation.id, original[0], STAGE, text="Lots")
    assert ids(services, conversation_id=conversation.id)[0] == original[-1]


def test_prompt_added_after_a_reorder_goes_last(services: Services) -> None:
    person = services.people.create("Ana")
    conversation = services.conversations.start(person.id, DAY)
    services.prompts.reorder(STAGE, [builtin_ids()[-1]], conversation_id=conversation.id)
    own = services.prompts.add_custom(STAGE, "Late question", conversation_id=conversation.id)
    assert ids(services, conversation_id=conversation.id)[-1] == own.prompt_id


def test_answer_to_a_prompt_from_elsewhere_is_shown(services: Services) -> None:
    person = services.people.create("Ana")
    conversation = services.conversations.start(person.id, DAY)
    services.conversations.set_answer(
        conversation.id, "grow.current_role.reality", STAGE, text="carried"
    )
    services.conversations.set_answer(conversation.id, "current_role.gone", STAGE, text="old")
    listed = {
        p.prompt_id: p
        for p in services.prompts.effective_prompts(STAGE, conversation_id=conversation.id)
    }
    assert listed["grow.current_role.reality"].available
    assert listed["grow.current_role.reality"].supervisor.startswith("Where are you today")
    assert not listed["current_role.gone"].available


# --- templates -----------------------------------------------------------------------------


def make_template(services: Services) -> tuple[str, str]:
    """A default list with every kind of change, saved as a template."""
    original = builtin_ids()
    custom = services.prompts.add_custom(STAGE, "What would you stop doing?", hint="Be bold")
    services.prompts.set_wording("current_role.drains", "What wears you out?")
    services.prompts.set_hidden(STAGE, original[0], True)
    services.prompts.reorder(STAGE, [custom.prompt_id, original[4]])
    template = services.prompts.save_template("Quarterly check-in")
    return template.id, custom.prompt_id


def test_template_snapshots_the_list_with_its_own_prompts(services: Services) -> None:
    template_id, custom_id = make_template(services)
    before = services.prompts.effective_prompts(STAGE)
    in_template = services.prompts.effective_prompts(STAGE, template_id=template_id)
    assert [(p.supervisor, p.hidden, p.edited) for p in in_template] == [
        (p.supervisor, p.hidden, p.edited) for p in before
    ]
    # the template has its own copy of the custom prompt
    assert in_template[0].is_custom
    assert in_template[0].prompt_id != custom_id
    assert services.prompts.custom_prompts(template_id=template_id)[0].hint == "Be bold"
    # changing the default list afterwards leaves the template alone
    services.prompts.reset()
    services.prompts.delete_custom(custom_id)
    again = services.prompts.effective_prompts(STAGE, template_id=template_id)
    assert [p.supervisor for p in again] == [p.supervisor for p in in_template]


def test_template_edits_stay_in_the_template(services: Services) -> None:
    template = services.prompts.save_template("Mine")
    services.prompts.set_wording(
        "current_role.learning", "Learned lately?", template_id=template.id
    )
    services.prompts.set_hidden(STAGE, "current_role.drains", True, template_id=template.id)
    own = services.prompts.add_custom(STAGE, "Template only", template_id=template.id)
    listed = {
        p.prompt_id: p for p in services.prompts.effective_prompts(STAGE, template_id=template.id)
    }
    assert listed["current_role.learning"].supervisor == "Learned lately?"
    assert listed["current_role.drains"].hidden
    assert own.prompt_id in listed
    assert services.prompts.wording_edits() == {}
    assert visible(services) == builtin_ids()


def test_template_names_are_unique_and_templates_can_go(services: Services) -> None:
    template = services.prompts.save_template("Mine")
    with pytest.raises(InvalidInputError, match="already a template"):
        services.prompts.save_template("Mine")
    renamed = services.prompts.rename_template(template.id, "Ours")
    assert [t.name for t in services.prompts.templates()] == [renamed.name]
    services.prompts.delete_template(template.id)
    assert services.prompts.templates() == []
    with pytest.raises(NotFoundError):
        services.prompts.effective_prompts(STAGE, template_id=template.id)


def test_save_conversation_list_as_template(services: Services) -> None:
    person = services.people.create("Ana")
    conversation = services.conversations.start(person.id, DAY, method_pack="grow")
    services.prompts.add_custom(STAGE, "Just for Ana", conversation_id=conversation.id)
    template = services.prompts.save_template("From Ana", conversation_id=conversation.id)
    assert template.method_pack == "grow"
    texts = [
        p.supervisor for p in services.prompts.effective_prompts(STAGE, template_id=template.id)
    ]
    assert texts[-1] == "Just for Ana"


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_export_and_import_template(services: Services, tmp_path: Path, suffix: str) -> None:
    template_id, _ = make_template(services)
    services.prompts.set_wording(
        "plan.skill", "Ünïcode “quotes”\tand\\ slashes", template_id=template_id
    )
    path = tmp_path / f"template{suffix}"
    services.prompts.export_template(template_id, path)
    imported = services.prompts.import_template(path)
    assert imported.name == "Quarterly check-in (2)"
    assert imported.id != template_id
    for stage in (STAGE, StageId.PLAN):
        original = services.prompts.effective_prompts(stage, template_id=template_id)
        copy = services.prompts.effective_prompts(stage, template_id=imported.id)
        assert [(p.supervisor, p.hint, p.hidden, p.is_custom) for p in copy] == [
            (p.supervisor, p.hint, p.hidden, p.is_custom) for p in original
        ]
    # the copy's own prompts are new records
    assert {c.id for c in services.prompts.custom_prompts(template_id=imported.id)}.isdisjoint(
        {c.id for c in services.prompts.custom_prompts(template_id=template_id)}
    )


def test_bad_template_file_changes_nothing(services: Services, tmp_path: Path) -> None:
    template_id, _ = make_template(services)
    path = tmp_path / "t.json"
    services.prompts.export_template(template_id, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["layout"]["current_role"].append({"prompt_id": "current_role.nope", "hidden": False})
    path.write_text(json.dumps(document), encoding="utf-8")
    before = dump_journal(services)
    with pytest.raises(ContentError, match=r"t\.json: layout\.current_role #12: the prompt"):
        services.prompts.import_template(path)
    assert dump_journal(services) == before


# --- the journal and dump/load -------------------------------------------------------------


def test_customisation_survives_reopening_and_dump_load(services: Services, tmp_path: Path) -> None:
    template_id, _ = make_template(services)
    person = services.people.create("Ana")
    conversation = services.conversations.start(person.id, DAY)
    services.prompts.add_custom(StageId.PLAN, "Conversation only", conversation_id=conversation.id)
    services.prompts.reorder(
        StageId.PLAN, [builtin_ids(StageId.PLAN)[-1]], conversation_id=conversation.id
    )
    expected = {
        key: [
            (p.prompt_id, p.supervisor, p.hidden)
            for p in services.prompts.effective_prompts(stage, **kwargs)
        ]
        for key, stage, kwargs in (
            ("default", STAGE, {}),
            ("template", STAGE, {"template_id": template_id}),
            ("conversation", StageId.PLAN, {"conversation_id": conversation.id}),
        )
    }
    document = dump_journal(services)
    assert {s["key"] for s in document["settings"]} >= {WORDING_KEY, LAYOUT_KEY}

    copy_path = tmp_path / "copy.careerdesk"
    with open_journal(copy_path) as copy_journal:
        copy = Services(copy_journal)
        load_into(copy, json.loads(json.dumps(document)))
    with open_journal(copy_path) as reopened_journal:
        reopened = Services(reopened_journal)
        for key, stage, kwargs in (
            ("default", STAGE, {}),
            ("template", STAGE, {"template_id": template_id}),
            ("conversation", StageId.PLAN, {"conversation_id": conversation.id}),
        ):
            got = [
                (p.prompt_id, p.supervisor, p.hidden)
                for p in reopened.prompts.effective_prompts(stage, **kwargs)
            ]
            assert got == expected[key], key
        assert dump_journal(reopened) == document
