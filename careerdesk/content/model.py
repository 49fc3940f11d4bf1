"""The built-in content as frozen dataclasses: what the loader returns and every page reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from careerdesk.domain.model import StageId
from careerdesk.domain.phrases import FlaggedTerm, find_flagged_terms
from careerdesk.domain.plan_rules import PlanRules
from careerdesk.errors import NotFoundError

#: The stages that carry questions (Summary only gathers what was said).
CONTENT_STAGES: tuple[StageId, ...] = (
    StageId.PREPARE,
    StageId.CURRENT_ROLE,
    StageId.FUTURE_ROLES,
    StageId.MATCH,
    StageId.PLAN,
    StageId.REFLECT,
)

DEFAULT_PACK = "default"


class Audience(StrEnum):
    """Who reads a prompt: a supervisor asking, or an employee preparing or journaling."""

    SUPERVISOR = "supervisor"
    EMPLOYEE = "employee"


class Phase(StrEnum):
    """When a behaviour item is observable."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


@dataclass(frozen=True)
class Stage:
    """A stage of the conversation with its guidance."""

    id: StageId
    title: str
    purpose: str
    supervisor: str  # guidance for the supervisor holding the conversation
    employee: str  # guidance for an employee preparing alone or journaling
    is_not: tuple[str, ...] = ()  # reminders of what the conversation is not, where they matter

    def guidance(self, audience: Audience) -> str:
        return self.supervisor if audience is Audience.SUPERVISOR else self.employee


@dataclass(frozen=True)
class Prompt:
    """One built-in question, with a stable id stored wherever it is answered."""

    id: str
    stage: StageId
    supervisor: str  # "What part of your work..."
    employee: str  # "What part of my work..."
    hint: str = ""  # an optional follow-up
    pack: str = DEFAULT_PACK

    def wording(self, audience: Audience) -> str:
        return self.supervisor if audience is Audience.SUPERVISOR else self.employee


@dataclass(frozen=True)
class MethodPack:
    """A set of prompts following one method, mapped onto our stages. ``default`` is ours."""

    id: str
    title: str
    method: str  # the method it follows, named
    summary: str
    prompts: tuple[Prompt, ...]

    def for_stage(self, stage: StageId | str) -> tuple[Prompt, ...]:
        stage = StageId(stage)
        return tuple(p for p in self.prompts if p.stage is stage)

    @property
    def stages(self) -> frozenset[StageId]:
        return frozenset(p.stage for p in self.prompts)


@dataclass(frozen=True)
class Element:
    """One element a career conversation must cover, and the default prompts that cover it."""

    id: str
    title: str
    description: str
    prompt_ids: tuple[str, ...]


@dataclass(frozen=True)
class BehaviourItem:
    """A concrete, observable sign of a behaviour (stored as a checklist item id)."""

    id: str  # "<behaviour>.<phase>.<name>"
    behaviour_id: str
    phase: Phase
    text: str


@dataclass(frozen=True)
class Behaviour:
    id: str
    title: str
    meaning: str
    items: tuple[BehaviourItem, ...]

    def items_in(self, phase: Phase | str) -> tuple[BehaviourItem, ...]:
        phase = Phase(phase)
        return tuple(i for i in self.items if i.phase is phase)


@dataclass(frozen=True)
class GuardrailCheck:
    """A Reflect-stage check (stored as a checklist item id)."""

    id: str
    title: str
    question: str
    help: str = ""


@dataclass(frozen=True)
class Guardrails:
    """The Reflect checks and the words that suggest a performance or disciplinary talk."""

    checks: tuple[GuardrailCheck, ...]
    hint_title: str
    hint_message: str
    phrases: tuple[str, ...]
    word_boundaries: bool = True

    def find_terms(self, text: str) -> list[FlaggedTerm]:
        """Where the text uses performance or disciplinary wording (for the gentle hint)."""
        return find_flagged_terms(text, self.phrases, word_boundaries=self.word_boundaries)


@dataclass(frozen=True)
class PulseDimension:
    """One early sign of (mis)alignment, read on a scale of 1 to 5."""

    id: str
    title: str
    supervisor: str
    employee: str
    labels: tuple[str, str, str, str, str]  # for 1..5

    def question(self, audience: Audience) -> str:
        return self.supervisor if audience is Audience.SUPERVISOR else self.employee

    def label(self, value: int) -> str:
        return self.labels[value - 1]


@dataclass(frozen=True)
class PlanCriterion:
    """One letter of the SMART idea, as help text."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class PlanIssue:
    """The message shown for an issue id returned by ``plan_rules.step_issues``."""

    id: str
    title: str
    message: str


@dataclass(frozen=True)
class MixCategory:
    """Experience, exposure or education, with its share in the 70-20-10 idea."""

    id: str
    title: str
    text: str
    target_percent: int


@dataclass(frozen=True)
class PlanChecks:
    """What makes a step specific and dated, and the learning mix, as data."""

    criteria: tuple[PlanCriterion, ...]
    issues: Mapping[str, PlanIssue]
    categories: tuple[MixCategory, ...]
    supervisor_owns_most: str  # the message shown when the supervisor owns most steps
    rules: PlanRules


@dataclass(frozen=True)
class Content:
    """Everything built in, in one language (with English filling any gap)."""

    lang: str
    stages: tuple[Stage, ...]
    packs: Mapping[str, MethodPack]  # "default" first
    elements: tuple[Element, ...]
    behaviours: tuple[Behaviour, ...]
    guardrails: Guardrails
    pulse: tuple[PulseDimension, ...]
    plan: PlanChecks

    def stage(self, stage_id: StageId | str) -> Stage:
        stage_id = StageId(stage_id)
        for stage in self.stages:
            if stage.id is stage_id:
                return stage
        raise NotFoundError(f"There is no stage called {stage_id!s}.")  # pragma: no cover

    def pack(self, pack_id: str) -> MethodPack:
        try:
            return self.packs[pack_id]
        except KeyError:
            raise NotFoundError(f"There is no method pack called “{pack_id}”.") from None

    def prompts(self, stage: StageId | str, pack: str = DEFAULT_PACK) -> tuple[Prompt, ...]:
        """The built-in prompts of one stage in one method pack, in order."""
        return self.pack(pack).for_stage(stage)

    def find_prompt(self, prompt_id: str) -> Prompt | None:
        """A built-in prompt of any pack by id, or None."""
        for pack in self.packs.values():
            for prompt in pack.prompts:
                if prompt.id == prompt_id:
                    return prompt
        return None

    def behaviour_item_ids(self) -> frozenset[str]:
        return frozenset(i.id for b in self.behaviours for i in b.items)

    def check_item_ids(self) -> frozenset[str]:
        """Every id a BehaviourCheck may carry: behaviour items and guardrail checks."""
        return self.behaviour_item_ids() | {c.id for c in self.guardrails.checks}

    def pulse_dimension(self, dimension_id: str) -> PulseDimension:
        for dimension in self.pulse:
            if dimension.id == dimension_id:
                return dimension
        raise NotFoundError(f"There is no pulse dimension called “{dimension_id}”.")
