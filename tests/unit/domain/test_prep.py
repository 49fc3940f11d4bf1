"""The questions of a fillable pre-read: 5-8, every stage first, carried ones first."""

from __future__ import annotations

from careerdesk.domain.model import StageId
from careerdesk.domain.prep import Candidate, curate

STAGES = (StageId.PREPARE, StageId.CURRENT_ROLE, StageId.FUTURE_ROLES, StageId.MATCH,
          StageId.PLAN)


def _bank(per_stage: int) -> list[Candidate]:
    return [Candidate(stage, f"{stage.value}.{i}") for stage in STAGES for i in range(per_stage)]


def test_at_most_eight_with_every_stage_before_any_second() -> None:
    chosen = curate(_bank(6))
    assert len(chosen) == 8
    assert {c.stage for c in chosen} == set(STAGES)
    assert [c.prompt_id for c in chosen][:2] == ["prepare.0", "prepare.1"]


def test_carried_questions_come_first_but_never_crowd_out_a_stage() -> None:
    carried = [Candidate(StageId.CURRENT_ROLE, f"carried.{i}", carried=True) for i in range(5)]
    chosen = curate(carried + _bank(3))
    ids = [c.prompt_id for c in chosen]
    assert {c.stage for c in chosen} == set(STAGES)
    current = [c.prompt_id for c in chosen if c.stage == StageId.CURRENT_ROLE]
    assert current[:3] == ["carried.0", "carried.1", "carried.2"]
    assert len(ids) == 8
    assert len(set(ids)) == 8


def test_fewer_candidates_are_all_taken_once() -> None:
    few = _bank(1)[:3]
    assert curate(few + few) == few
