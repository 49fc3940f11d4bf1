"""Stage progress and match regions: the rules behind the wizard's marks and picture."""

from __future__ import annotations

import datetime as dt

from careerdesk.domain.model import Action, Answer, Conversation, MatchItem, StageId
from careerdesk.domain.progress import (
    CENTRE,
    INTERESTS,
    SKILLS,
    Progress,
    StageFacts,
    group_by_region,
    match_region,
    stage_progress,
)

CONVERSATION = Conversation(id="c", person_id="p", held_on=dt.date(2026, 1, 5))


def facts(**changes: object) -> StageFacts:
    values: dict[str, object] = {
        "conversation": CONVERSATION, "answers": [], "notes": [], "match_items": [],
        "actions": [], "checks": {}, "pulse": {},
    }
    values.update(changes)
    return StageFacts(**values)  # type: ignore[arg-type]


def test_question_stage_is_done_when_every_visible_prompt_was_asked() -> None:
    answers = [Answer(id="a", conversation_id="c", prompt_id="q1",
                      stage=StageId.CURRENT_ROLE, asked=True)]
    ids = ["q1", "q2"]
    assert stage_progress(StageId.CURRENT_ROLE, facts(), prompt_ids=ids) is Progress.NOT_STARTED
    assert stage_progress(StageId.CURRENT_ROLE, facts(answers=answers),
                          prompt_ids=ids) is Progress.PARTLY
    assert stage_progress(StageId.CURRENT_ROLE, facts(answers=answers),
                          prompt_ids=["q1"]) is Progress.DONE


def test_match_is_done_with_an_item_in_all_three_circles() -> None:
    two = MatchItem(id="m", conversation_id="c", text="x", in_skills=True, in_interests=True)
    three = MatchItem(id="n", conversation_id="c", text="y", in_skills=True,
                      in_interests=True, in_business=True)
    assert stage_progress(StageId.MATCH, facts(match_items=[two])) is Progress.PARTLY
    assert stage_progress(StageId.MATCH, facts(match_items=[two, three])) is Progress.DONE
    assert match_region(two) == frozenset({SKILLS, INTERESTS})
    assert match_region(three) == CENTRE
    assert group_by_region([two, three])[CENTRE] == [three]


def test_plan_needs_a_step_agreed_in_this_conversation() -> None:
    carried = Action(id="a", person_id="p", text="old", conversation_id="other")
    own = Action(id="b", person_id="p", text="new", conversation_id="c")
    assert stage_progress(StageId.PLAN, facts(actions=[carried])) is Progress.NOT_STARTED
    assert stage_progress(StageId.PLAN, facts(actions=[carried, own])) is Progress.DONE


def test_reflect_is_done_when_every_pulse_dimension_is_read() -> None:
    assert stage_progress(StageId.REFLECT, facts(pulse={"a": 3}),
                          pulse_dimensions=2) is Progress.PARTLY
    assert stage_progress(StageId.REFLECT, facts(pulse={"a": 3, "b": 4}),
                          pulse_dimensions=2) is Progress.DONE
