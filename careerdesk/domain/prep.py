"""Which questions a fillable pre-read asks: a short, curated list (pure rules, no storage)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from careerdesk.domain.model import STAGE_ORDER, StageId

#: A pre-read is read and filled in a few minutes: 5 to 8 questions, one to two pages.
FEWEST_QUESTIONS = 5
MOST_QUESTIONS = 8
#: Unfinished questions from last time come first, but never crowd out every stage.
MOST_CARRIED = 3


@dataclass(frozen=True)
class Candidate:
    """A prompt that could go on the pre-read, in the user's order within its stage."""

    stage: StageId
    prompt_id: str
    carried: bool = False  # not asked last time: it carries over


def curate(candidates: Sequence[Candidate], *, most: int = MOST_QUESTIONS) -> list[Candidate]:
    """Up to ``most`` questions for this conversation.

    Carried-over questions first (at most :data:`MOST_CARRIED` ahead of the others; more may
    follow in their stage's turn), then one question per stage in turn, in the user's order,
    so every stage is represented before any stage gets a second one. The result is in stage
    order, carried ones first in their stage. Fewer candidates than
    :data:`FEWEST_QUESTIONS` are all taken.
    """
    unique: list[Candidate] = []
    seen: set[str] = set()
    for candidate in candidates:  # a prompt once, where it first appears
        if candidate.prompt_id not in seen:
            seen.add(candidate.prompt_id)
            unique.append(candidate)
    chosen = [c for c in unique if c.carried][:MOST_CARRIED][:most]
    taken = {c.prompt_id for c in chosen}
    queues = {stage: [c for c in unique if c.stage == stage and c.prompt_id not in taken]
              for stage in STAGE_ORDER}
    while len(chosen) < most and any(queues.values()):
        for stage in STAGE_ORDER:
            if queues[stage] and len(chosen) < most:
                chosen.append(queues[stage].pop(0))
    order = {stage: i for i, stage in enumerate(STAGE_ORDER)}
    return sorted(chosen, key=lambda c: (order[c.stage], not c.carried))
