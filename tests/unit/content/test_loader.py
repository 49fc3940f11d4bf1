"""The shipped content loads and is complete; malformed content is refused with a clear message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from careerdesk.content import (
    CONTENT_STAGES,
    DEFAULT_PACK,
    Audience,
    Phase,
    available_languages,
    load_content,
)
from careerdesk.content.loader import content_root
from careerdesk.domain.model import ActionKind, StageId
from careerdesk.domain.plan_rules import ISSUE_IDS, MIX_CATEGORIES
from careerdesk.errors import ContentError, NotFoundError
from tests.unit.content.conftest import Editor

ELEMENTS = {
    "developing_in_role",
    "using_skills",
    "energise_drain",
    "underused_strengths",
    "interests_passion",
    "longer_term_direction",
    "business_needs",
    "skills_to_develop",
    "new_experiences",
    "opportunities",
    "roadblocks",
    "supervisor_support",
}
BEHAVIOURS = [
    "trust",
    "transparency",
    "care",
    "empathy",
    "inclusion",
    "psychological_safety",
    "genuine_interest",
]


# --- the shipped content --------------------------------------------------------------------


@pytest.mark.parametrize("lang", available_languages())
def test_every_shipped_language_loads(lang: str) -> None:
    content = load_content(lang)
    assert [s.id for s in content.stages] == list(StageId)


def test_english_is_shipped_and_first() -> None:
    assert available_languages()[0] == "en"


def test_loading_is_cached() -> None:
    assert load_content("en") is load_content()


def test_every_stage_has_title_purpose_and_guidance() -> None:
    for stage in load_content().stages:
        assert stage.title
        assert stage.purpose
        assert stage.guidance(Audience.SUPERVISOR)
        assert stage.guidance(Audience.EMPLOYEE)


def test_reminders_of_what_it_is_not_appear_where_they_matter() -> None:
    content = load_content()
    prepare = " ".join(content.stage(StageId.PREPARE).is_not).lower()
    assert "performance review" in prepare
    assert "job move" in prepare
    assert "owns their career" in prepare
    plan = " ".join(content.stage(StageId.PLAN).is_not).lower()
    assert "does not own fixing gaps" in plan


@pytest.mark.parametrize("stage", CONTENT_STAGES)
def test_default_bank_has_6_to_12_prompts_per_content_stage(stage: StageId) -> None:
    prompts = load_content().prompts(stage)
    assert 6 <= len(prompts) <= 12


def test_summary_stage_has_no_prompts() -> None:
    assert load_content().prompts(StageId.SUMMARY) == ()


def test_every_element_is_covered_by_default_prompts() -> None:
    content = load_content()
    assert {e.id for e in content.elements} == ELEMENTS
    default_ids = {p.id for p in content.pack(DEFAULT_PACK).prompts}
    for element in content.elements:
        assert element.prompt_ids, element.id
        assert set(element.prompt_ids) <= default_ids, element.id


@pytest.mark.parametrize("pack_id", ["three_conversations", "hindsight_foresight_insight", "grow"])
def test_every_method_pack_covers_every_content_stage(pack_id: str) -> None:
    pack = load_content().pack(pack_id)
    assert pack.stages == frozenset(CONTENT_STAGES)
    assert pack.method
    assert pack.title
    assert pack.summary


def test_prompt_ids_are_unique_and_named_after_pack_and_stage() -> None:
    content = load_content()
    seen: set[str] = set()
    for pack in content.packs.values():
        for prompt in pack.prompts:
            assert prompt.id not in seen
            seen.add(prompt.id)
            prefix = f"{prompt.stage}." if pack.id == DEFAULT_PACK else f"{pack.id}.{prompt.stage}."
            assert prompt.id.startswith(prefix), prompt.id
            assert prompt.pack == pack.id
            assert content.find_prompt(prompt.id) == prompt


def test_employee_wording_speaks_in_the_first_person() -> None:
    you = re.compile(r"\byou(r|rs|rself)?\b", re.IGNORECASE)
    for pack in load_content().packs.values():
        for prompt in pack.prompts:
            assert not you.search(prompt.employee), prompt.id
            assert prompt.wording(Audience.EMPLOYEE) == prompt.employee
            assert prompt.wording(Audience.SUPERVISOR) == prompt.supervisor


def test_no_placeholder_text_anywhere() -> None:
    root = content_root()
    for path in root.rglob("*.toml"):
        text = path.read_text(encoding="utf-8").lower()
        for word in ("lorem", "ipsum", "todo", "tbd", "xxx"):
            assert not re.search(rf"\b{word}\b", text), (path, word)


def test_behaviours_have_meaning_and_3_to_5_observable_items() -> None:
    content = load_content()
    assert [b.id for b in content.behaviours] == BEHAVIOURS
    for behaviour in content.behaviours:
        assert behaviour.meaning
        assert 3 <= len(behaviour.items) <= 5
        assert behaviour.items_in(Phase.DURING), behaviour.id
        assert {i.phase for i in behaviour.items} == set(Phase), behaviour.id
        for item in behaviour.items:
            assert item.id.startswith(f"{behaviour.id}.{item.phase}.")
    ids = content.behaviour_item_ids()
    assert "trust.during.asked_before_advising" in ids
    assert "psychological_safety.during.no_ratings_or_pay" in ids
    assert "trust.during.agreed_privacy" in ids


def test_guardrail_checks_and_hint_words() -> None:
    guardrails = load_content().guardrails
    assert {c.id for c in guardrails.checks} >= {
        "guardrail.off_performance",
        "guardrail.no_job_move_promised",
        "guardrail.owners_clear",
    }
    for phrase in ("rating", "underperform*", "improvement plan", "PIP", "warning"):
        assert phrase in guardrails.phrases
    found = guardrails.find_terms("We talked about her PIP and last year's rating.")
    assert [f.text for f in found] == ["PIP", "rating"]
    assert guardrails.hint_message


def test_check_item_ids_include_behaviours_and_guardrails() -> None:
    content = load_content()
    ids = content.check_item_ids()
    assert "guardrail.owners_clear" in ids
    assert "care.during.full_attention" in ids


def test_pulse_dimensions() -> None:
    pulse = load_content().pulse
    assert [d.id for d in pulse] == [
        "developing_in_role",
        "using_strengths",
        "clear_direction",
        "feeling_supported",
        "energy",
    ]
    for dimension in pulse:
        assert len(dimension.labels) == 5
        assert dimension.question(Audience.EMPLOYEE)
        assert dimension.question(Audience.SUPERVISOR)
    assert load_content().pulse_dimension("energy").label(5) == "Energised"
    with pytest.raises(NotFoundError):
        load_content().pulse_dimension("mood")


def test_plan_checks() -> None:
    plan = load_content().plan
    assert set(plan.issues) == set(ISSUE_IDS)
    assert [c.id for c in plan.categories] == list(MIX_CATEGORIES)
    assert sum(c.target_percent for c in plan.categories) == 100
    assert {c.id for c in plan.criteria} >= {"smart.specific", "smart.time_bound"}
    assert set(plan.rules.kind_categories) == {k.value for k in ActionKind}
    assert plan.rules.kind_categories["roadblock"] == ""
    assert "improve" in plan.rules.vague_words
    assert plan.supervisor_owns_most


def test_unknown_pack_is_a_clear_error() -> None:
    with pytest.raises(NotFoundError, match="no method pack called “nope”"):
        load_content().pack("nope")


# --- malformed content ---------------------------------------------------------------------

DEFAULT = "en/packs/default.toml"


def _load_error(root: Path, lang: str = "en") -> str:
    with pytest.raises(ContentError) as info:
        load_content(lang, root=root)
    return info.value.user_message


def test_copy_of_shipped_content_loads(content_copy: Path) -> None:
    assert load_content(root=content_copy).prompts(StageId.PLAN)


def test_missing_id(content_copy: Path, edit: Editor) -> None:
    edit(DEFAULT, 'id = "prepare.since_last"\n', "")
    assert _load_error(content_copy) == ("en/packs/default.toml: prompt #2: “id” is missing.")


def test_duplicate_id(content_copy: Path, edit: Editor) -> None:
    edit(DEFAULT, 'id = "prepare.since_last"', 'id = "prepare.hopes"')
    assert _load_error(content_copy) == (
        "en/packs/default.toml: prompt “prepare.hopes”: the id “prepare.hopes” is used twice."
    )


def test_duplicate_id_across_packs_names_both_files(content_copy: Path, edit: Editor) -> None:
    edit("en/packs/grow.toml", 'id = "grow.prepare.why_now"', 'id = "prepare.hopes"')
    message = _load_error(content_copy)
    assert message.startswith("en/packs/grow.toml: prompt “prepare.hopes”")
    assert "(also in en/packs/default.toml)" in message


def test_unknown_stage(content_copy: Path, edit: Editor) -> None:
    edit(DEFAULT, 'stage = "match"', 'stage = "matchmaking"')
    message = _load_error(content_copy)
    assert message.startswith("en/packs/default.toml: prompt “match.strengths”: ")
    assert "unknown stage “matchmaking”" in message


def test_prompt_on_summary_stage_is_refused(content_copy: Path, edit: Editor) -> None:
    edit(DEFAULT, 'stage = "reflect"', 'stage = "summary"')
    assert "stage “summary” takes no prompts" in _load_error(content_copy)


def test_wrong_type(content_copy: Path, edit: Editor) -> None:
    edit(
        DEFAULT,
        'supervisor = "What would you like to get out of our conversation today?"',
        "supervisor = 42",
    )
    assert _load_error(content_copy) == (
        "en/packs/default.toml: prompt “prepare.hopes”: “supervisor” should be text, "
        "not a whole number."
    )


def test_missing_required_key(content_copy: Path, edit: Editor) -> None:
    edit(DEFAULT, 'employee = "What do I want to get out of this conversation?"\n', "")
    assert _load_error(content_copy) == (
        "en/packs/default.toml: prompt “prepare.hopes”: “employee” is missing."
    )


def test_invalid_toml(content_copy: Path, edit: Editor) -> None:
    edit("en/pulse.toml", 'title = "Energy"', 'title = "Energy')
    message = _load_error(content_copy)
    assert message.startswith("en/pulse.toml: not valid TOML: ")
    assert "line" in message


def test_missing_file(content_copy: Path) -> None:
    (content_copy / "en" / "behaviours.toml").unlink()
    assert _load_error(content_copy) == "en/behaviours.toml: the file is missing."


def test_missing_stage(content_copy: Path, edit: Editor) -> None:
    edit("en/stages.toml", 'id = "summary"', 'id = "reflect"')
    assert "the id “reflect” is used twice" in _load_error(content_copy)


def test_every_stage_must_be_present(content_copy: Path) -> None:
    path = content_copy / "en" / "stages.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('[[stage]]\nid = "summary"')], encoding="utf-8")
    assert _load_error(content_copy) == (
        "en/stages.toml: [[stage]]: these stages are missing: summary."
    )


def test_element_referring_to_unknown_prompt(content_copy: Path, edit: Editor) -> None:
    edit("en/elements.toml", '"plan.roadblocks", ', '"plan.roadblock", ')
    assert _load_error(content_copy) == (
        "en/elements.toml: element “roadblocks”: the prompt “plan.roadblock” is not in the "
        "default question bank."
    )


def test_pack_missing_a_stage(content_copy: Path, edit: Editor) -> None:
    edit("en/packs/grow.toml", 'stage = "reflect"', 'stage = "plan"')
    edit("en/packs/grow.toml", 'stage = "reflect"', 'stage = "plan"')
    assert _load_error(content_copy) == (
        "en/packs/grow.toml: [[prompt]]: no prompts for these stages: reflect."
    )


def test_pack_id_must_match_file_name(content_copy: Path, edit: Editor) -> None:
    edit("en/packs/grow.toml", 'id = "grow"', 'id = "coaching"')
    assert "should match the file name “grow”" in _load_error(content_copy)


def test_behaviour_item_with_wrong_prefix(content_copy: Path, edit: Editor) -> None:
    edit("en/behaviours.toml", 'id = "care.during.full_attention"', 'id = "care.after.attention"')
    assert _load_error(content_copy) == (
        "en/behaviours.toml: behaviour “care”, item “care.after.attention”: the id should start "
        "with “care.during.” and name the item."
    )


def test_behaviour_item_unknown_phase(content_copy: Path, edit: Editor) -> None:
    edit(
        "en/behaviours.toml",
        'id = "care.during.full_attention"\n  phase = "during"',
        'id = "care.during.full_attention"\n  phase = "meanwhile"',
    )
    assert "unknown phase “meanwhile”" in _load_error(content_copy)


def test_pulse_needs_five_labels(content_copy: Path, edit: Editor) -> None:
    edit("en/pulse.toml", '"Drained", ', "")
    assert _load_error(content_copy) == (
        "en/pulse.toml: dimension “energy”: “labels” has 4 texts; the scale needs 5 (for 1 to 5)."
    )


def test_plan_kind_with_unknown_category(content_copy: Path, edit: Editor) -> None:
    edit("en/plan.toml", 'skill = "education"', 'skill = "schooling"')
    assert "names an unknown category “schooling”" in _load_error(content_copy)


def test_behaviour_item_id_clashing_with_guardrail(content_copy: Path, edit: Editor) -> None:
    edit(
        "en/guardrails.toml",
        'id = "guardrail.privacy_agreed"',
        'id = "trust.during.agreed_privacy"',
    )
    assert "is already used in en/behaviours.toml" in _load_error(content_copy)


def test_bad_language_code_is_refused() -> None:
    with pytest.raises(ContentError, match="not a language code"):
        load_content("../etc")


# --- other languages -----------------------------------------------------------------------


def test_translation_overrides_what_it_has_and_english_fills_the_rest(content_copy: Path) -> None:
    de = content_copy / "de"
    (de / "packs").mkdir(parents=True)
    (de / "stages.toml").write_text(
        '[[stage]]\nid = "prepare"\ntitle = "Vorbereiten"\n', encoding="utf-8"
    )
    (de / "packs" / "default.toml").write_text(
        '[pack]\nid = "default"\ntitle = "CareerDesk-Fragen"\n\n'
        '[[prompt]]\nid = "current_role.energises"\n'
        'supervisor = "Welcher Teil Ihrer Arbeit gibt Ihnen Energie?"\n',
        encoding="utf-8",
    )
    (de / "guardrails.toml").write_text(
        '[hint]\nphrases = ["Leistungsbeurteilung", "Abmahnung"]\n', encoding="utf-8"
    )
    content = load_content("de", root=content_copy)
    assert content.lang == "de"
    assert content.stage(StageId.PREPARE).title == "Vorbereiten"
    assert (
        content.stage(StageId.PREPARE).purpose
        == load_content(root=content_copy).stage(StageId.PREPARE).purpose
    )
    assert content.stage(StageId.PLAN).title == "Make a plan"
    energises = content.find_prompt("current_role.energises")
    assert energises is not None
    assert energises.supervisor == "Welcher Teil Ihrer Arbeit gibt Ihnen Energie?"
    assert energises.employee.startswith("What part of my work")
    assert content.pack(DEFAULT_PACK).title == "CareerDesk-Fragen"
    assert [p.id for p in content.prompts(StageId.PLAN)] == [
        p.id for p in load_content(root=content_copy).prompts(StageId.PLAN)
    ]
    assert [f.text for f in content.guardrails.find_terms("Keine Abmahnung!")] == ["Abmahnung"]
    assert content.guardrails.checks == load_content(root=content_copy).guardrails.checks


def test_language_without_folder_is_english(content_copy: Path) -> None:
    content = load_content("fr", root=content_copy)
    assert content.stage(StageId.PLAN).title == "Make a plan"


def test_translation_with_unknown_id_names_the_translation(content_copy: Path) -> None:
    (content_copy / "de").mkdir()
    (content_copy / "de" / "pulse.toml").write_text(
        '[[dimension]]\nid = "mood"\ntitle = "Stimmung"\n', encoding="utf-8"
    )
    assert _load_error(content_copy, "de") == (
        "de/pulse.toml: [[dimension]] “mood”: this id is not in the English content."
    )


def test_translation_with_wrong_type_names_the_translation(content_copy: Path) -> None:
    (content_copy / "de").mkdir()
    (content_copy / "de" / "pulse.toml").write_text(
        '[[dimension]]\nid = "energy"\nlabels = "niedrig bis hoch"\n', encoding="utf-8"
    )
    assert _load_error(content_copy, "de") == (
        "de/pulse.toml: [[dimension]] “energy”: “labels” should be a list, not text."
    )


def test_invalid_translation_toml(content_copy: Path) -> None:
    (content_copy / "de").mkdir()
    (content_copy / "de" / "pulse.toml").write_text("[[dimension]\n", encoding="utf-8")
    assert _load_error(content_copy, "de").startswith("de/pulse.toml: not valid TOML: ")
