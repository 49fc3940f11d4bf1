"""The built-in content (stages, prompts, method packs, behaviours, guardrails, pulse, plan checks).

Loaded from ``resources/content/<lang>/`` and validated; see docs/content.md. No Qt here.

The names below are imported on first use, so that ``from careerdesk.content.files import
stage_titles`` (what the first screen needs) does not load and validate all of it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from careerdesk.content.files import stage_titles
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

_MODULES = {
    "careerdesk.content.files": ("stage_titles",),
    "careerdesk.content.loader": ("available_languages", "clear_cache", "load_content"),
    "careerdesk.content.model": (
        "CONTENT_STAGES", "DEFAULT_PACK", "Audience", "Behaviour", "BehaviourItem", "Content",
        "Element", "GuardrailCheck", "Guardrails", "MethodPack", "MixCategory", "Phase",
        "PlanChecks", "PlanCriterion", "PlanIssue", "Prompt", "PulseDimension", "Stage",
    ),
    "careerdesk.domain.phrases": ("FlaggedTerm", "find_flagged_terms"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once found, an ordinary module attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


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
    "stage_titles",
]
