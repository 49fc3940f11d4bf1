"""Pure rules for the plan: is a step specific and dated, what is the learning mix, who owns it.

The words these rules look for are language data (``resources/content/<lang>/plan.toml``); the
content loader turns them into a :class:`PlanRules` value, and every function here takes that value
as ``rules=``: the domain never reaches up into the content package (the layers contract in
``.importlinter`` checks it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from careerdesk.domain.model import Owner
from careerdesk.domain.phrases import find_flagged_terms

#: Issue ids returned by :func:`step_issues`; their messages live in plan.toml.
NO_DATE = "no_date"
TOO_SHORT = "too_short"
VAGUE = "vague"
ISSUE_IDS: tuple[str, ...] = (NO_DATE, TOO_SHORT, VAGUE)

#: The learning-mix categories (70-20-10), in display order.
EXPERIENCE = "experience"
EXPOSURE = "exposure"
EDUCATION = "education"
MIX_CATEGORIES: tuple[str, ...] = (EXPERIENCE, EXPOSURE, EDUCATION)

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


@dataclass(frozen=True)
class PlanRules:
    """The language data the plan rules need (built from plan.toml by the content loader)."""

    min_words: int = 4
    #: Words that on their own say nothing about what will be done ("improve", "better", "more").
    vague_words: frozenset[str] = frozenset()
    #: Small words that carry no specifics ("the", "my", "to").
    stop_words: frozenset[str] = frozenset()
    #: A step with a vague word needs at least this many other content words (or a number).
    specific_min_content_words: int = 4
    #: Action kind -> mix category ("" = not part of the mix, e.g. removing a roadblock).
    kind_categories: Mapping[str, str] = field(default_factory=dict)
    #: Mix category -> words in a step's text that place it there, whatever its kind.
    category_keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class StepLike(Protocol):
    """What the mix needs from a next step (``domain.model.Action`` fits)."""

    @property
    def kind(self) -> str: ...

    @property
    def text(self) -> str: ...


class OwnedLike(Protocol):
    """What the ownership rule needs from a next step (``domain.model.Action`` fits)."""

    @property
    def owner(self) -> str: ...


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def step_issues(text: str, due: dt.date | None, *, rules: PlanRules) -> list[str]:
    """What keeps a next step from being specific and dated, as issue ids (empty: it is fine).

    - ``no_date``: there is no due date;
    - ``too_short``: fewer than ``min_words`` words;
    - ``vague``: it leans on a vague word ("improve", "better", "more") without enough concrete
      words or a number to say what will actually be done.
    """
    issues: list[str] = []
    if due is None:
        issues.append(NO_DATE)
    words = _words(text)
    if len(words) < rules.min_words:
        issues.append(TOO_SHORT)
    vague = [w for w in words if w in rules.vague_words]
    if vague:
        content_words = [
            w for w in words if w not in rules.vague_words and w not in rules.stop_words
        ]
        has_number = any(ch.isdigit() for ch in text)
        if not has_number and len(content_words) < rules.specific_min_content_words:
            issues.append(VAGUE)
    return issues


def mix_category(kind: str, text: str, *, rules: PlanRules) -> str:
    """The 70-20-10 category of one step: a keyword in its text wins, else its kind decides.

    Returns ``""`` for a step outside the mix (removing a roadblock, unless its text says more).
    Keywords match whole words, case-insensitively; a final ``*`` matches any ending. When
    several categories' keywords occur, the one that appears first in the text wins.
    """
    best: tuple[int, str] | None = None
    for category, keywords in rules.category_keywords.items():
        found = find_flagged_terms(text, keywords)
        if found and (best is None or found[0].start < best[0]):
            best = (found[0].start, category)
    if best is not None:
        return best[1]
    return rules.kind_categories.get(str(kind), "")


@dataclass(frozen=True)
class KindMix:
    """How a plan's steps spread over experience / exposure / education."""

    counts: Mapping[str, int]
    not_counted: int  # steps outside the mix (roadblocks)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, category: str) -> float:
        """The category's share of the counted steps (0.0 when nothing is counted)."""
        return self.counts.get(category, 0) / self.total if self.total else 0.0


def kind_mix(actions: Iterable[StepLike], *, rules: PlanRules) -> KindMix:
    """Count the steps per mix category (the caller chooses which steps: e.g. the open ones)."""
    counts = dict.fromkeys(MIX_CATEGORIES, 0)
    not_counted = 0
    for action in actions:
        category = mix_category(action.kind, action.text, rules=rules)
        if category:
            counts[category] = counts.get(category, 0) + 1
        else:
            not_counted += 1
    return KindMix(counts=counts, not_counted=not_counted)


@dataclass(frozen=True)
class OwnershipRatio:
    """Who owns a plan's steps. ``supervisor_owns_most`` is the flag the plan page shows."""

    employee: int
    supervisor: int
    both: int

    @property
    def total(self) -> int:
        return self.employee + self.supervisor + self.both

    @property
    def supervisor_share(self) -> float:
        """Share of steps the supervisor owns alone (0.0 for an empty plan)."""
        return self.supervisor / self.total if self.total else 0.0

    @property
    def supervisor_owns_most(self) -> bool:
        """True when the supervisor alone owns more than half of the steps.

        The employee owns their career; a plan carried mostly by the supervisor is a warning sign.
        """
        return self.total > 0 and self.supervisor * 2 > self.total


def ownership_ratio(actions: Sequence[OwnedLike] | Iterable[OwnedLike]) -> OwnershipRatio:
    """Count the steps by owner."""
    counts = {Owner.EMPLOYEE: 0, Owner.SUPERVISOR: 0, Owner.BOTH: 0}
    for action in actions:
        counts[Owner(str(action.owner))] += 1
    return OwnershipRatio(
        employee=counts[Owner.EMPLOYEE],
        supervisor=counts[Owner.SUPERVISOR],
        both=counts[Owner.BOTH],
    )
