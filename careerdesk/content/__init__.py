"""The built-in content (stages, prompts, method packs, behaviours, guardrails, pulse, plan checks).

Loaded from ``resources/content/<lang>/`` and validated; see docs/content.md. No Qt here.
"""

from careerdesk.content.loader import available_languages, clear_cache, load_content
from careerdesk.content.model import (
    CONTENT_STAGES,
    DEFAULT_PACK,
    Audience,
    Behaviour,
    BehaviourItem,
    Content,
    Element,
    GuardrailCheck,
    Guardrails,
    MethodPack,
    MixCategory,
    Phase,
    PlanChecks,
    PlanCriterion,
    PlanIssue,
    Prompt,
    PulseDimension,
    Stage,
)
from careerdesk.domain.phrases import FlaggedTerm, find_flagged_terms

__all__ = [
    "CONTENT_STAGES",
    "DEFAULT_PACK",
    "Audience",
    "Behaviour",
    "BehaviourItem",
    "Content",
    "Element",
    "FlaggedTerm",
    "GuardrailCheck",
    "Guardrails",
    "MethodPack",
    "MixCategory",
    "Phase",
    "PlanChecks",
    "PlanCriterion",
    "PlanIssue",
    "Prompt",
    "PulseDimension",
    "Stage",
    "available_languages",
    "clear_cache",
    "find_flagged_terms",
    "load_content",
]
