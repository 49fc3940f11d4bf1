"""How far a conversation got, per stage, and where a match item sits: pure rules, no Qt.

Pages display these; they do not decide them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from careerdesk.domain.model import (
    Action,
    Answer,
    Conversation,
    MatchItem,
    Note,
    NoteKind,
    StageId,
)


class Progress(enum.Enum):
    NOT_STARTED = "not_started"
    PARTLY = "partly"
    DONE = "done"


@dataclass(frozen=True)
class StageFacts:
    """What a conversation holds, as the progress rule needs it."""

    conversation: Conversation
    answers: Sequence[Answer]
    notes: Sequence[Note]
    match_items: Sequence[MatchItem]
    actions: Sequence[Action]
    checks: dict[str, bool]
    pulse: dict[str, int]


def stage_progress(
    stage: StageId, facts: StageFacts, *, prompt_ids: Iterable[str] = (),
    pulse_dimensions: int = 0,
) -> Progress:
    """Done / partly done / not started for one stage.

    ``prompt_ids`` are the visible prompts of the stage: a stage whose every visible prompt was
    asked is done; a stage with anything written or ticked is partly done. The match is done with
    an item in all three circles, the plan with a next step agreed here, Reflect with every pulse
    dimension read, the summary when the conversation is marked finished.
    """
    visible = set(prompt_ids)
    answers = [a for a in facts.answers if a.stage is stage]
    asked = {a.prompt_id for a in answers if a.asked}
    touched = any(a.asked or a.text.strip() for a in answers) or any(
        n.text.strip() for n in facts.notes if n.stage is stage
    )
    all_asked = bool(visible) and visible <= asked
    conversation = facts.conversation
    if stage is StageId.PREPARE:
        touched = touched or bool(conversation.purpose.strip() or conversation.present.strip())
        done = all_asked and bool(conversation.purpose.strip())
    elif stage is StageId.MATCH:
        touched = touched or bool(facts.match_items)
        done = any(match_region(i) == CENTRE for i in facts.match_items)
    elif stage is StageId.PLAN:
        own = [a for a in facts.actions if a.conversation_id == conversation.id]
        touched = touched or bool(own)
        done = bool(own) and (all_asked or not visible)
    elif stage is StageId.REFLECT:
        touched = touched or bool(facts.pulse) or any(facts.checks.values())
        done = pulse_dimensions > 0 and len(facts.pulse) >= pulse_dimensions
    elif stage is StageId.SUMMARY:
        done = conversation.completed
    else:
        done = all_asked
    if done:
        return Progress.DONE
    return Progress.PARTLY if touched else Progress.NOT_STARTED


#: The regions of the three-circle picture, as the set of circles an item sits in.
SKILLS = "skills"
INTERESTS = "interests"
BUSINESS = "business"
CENTRE = frozenset({SKILLS, INTERESTS, BUSINESS})


def match_region(item: MatchItem) -> frozenset[str]:
    """The circles an item sits in (empty: not placed yet)."""
    return frozenset(
        name for name, inside in (
            (SKILLS, item.in_skills), (INTERESTS, item.in_interests), (BUSINESS, item.in_business)
        ) if inside
    )


def group_by_region(items: Iterable[MatchItem]) -> dict[frozenset[str], list[MatchItem]]:
    """Items per region of the picture, in their order."""
    groups: dict[frozenset[str], list[MatchItem]] = {}
    for item in items:
        groups.setdefault(match_region(item), []).append(item)
    return groups


def private_note_kinds() -> frozenset[NoteKind]:
    """Note kinds that are private whatever their switch says."""
    return frozenset({NoteKind.REFLECTION})
