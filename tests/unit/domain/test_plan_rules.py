"""Plan rules: specific and dated steps, the 70-20-10 mix, and who owns the plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from careerdesk.content import load_content
from careerdesk.domain.model import Action, ActionKind, Owner
from careerdesk.domain.plan_rules import (
    NO_DATE,
    TOO_SHORT,
    VAGUE,
    PlanRules,
    kind_mix,
    mix_category,
    ownership_ratio,
    step_issues,
)

DUE = dt.date(2027, 3, 31)
#: The English rules, as the content loader makes them from plan.toml.
EN = load_content("en").plan.rules


def action(text: str, kind: ActionKind = ActionKind.SKILL, owner: Owner = Owner.EMPLOYEE) -> Action:
    return Action(id=text, person_id="p", text=text, kind=kind, owner=owner)


@pytest.mark.parametrize(
    ("text", "due", "issues"),
    [
        ("Shadow Priya at two customer workshops", DUE, []),
        ("Lead the team retrospective every sprint", DUE, []),
        ("Shadow Priya at two customer workshops", None, [NO_DATE]),
        ("Improve", DUE, [TOO_SHORT, VAGUE]),
        ("Improve communication", None, [NO_DATE, TOO_SHORT, VAGUE]),
        ("Get better at Excel", DUE, [VAGUE]),
        ("Be more visible to the wider organisation", DUE, [VAGUE]),
        ("Improve SQL by finishing the Mode tutorial and writing reports for sales", DUE, []),
        ("Improve: present 2 demos", DUE, []),  # a number makes a vague word concrete
        ("", None, [NO_DATE, TOO_SHORT]),
    ],
)
def test_step_issues(text: str, due: dt.date | None, issues: list[str]) -> None:
    assert step_issues(text, due, rules=EN) == issues


def test_step_issues_follow_the_rules_given() -> None:
    rules = PlanRules(min_words=1, vague_words=frozenset({"verbessern"}))
    assert step_issues("Englisch verbessern", DUE, rules=rules) == [VAGUE]
    assert step_issues("Englisch", DUE, rules=rules) == []


@pytest.mark.parametrize(
    ("kind", "text", "category"),
    [
        (ActionKind.SKILL, "Get better at negotiating", "education"),
        (ActionKind.SKILL, "Ask Jun to mentor me on negotiating", "exposure"),
        (ActionKind.SKILL, "Lead the supplier negotiation for the Q3 contract", "experience"),
        (ActionKind.EXPERIENCE, "Take on the onboarding of the two new starters", "experience"),
        (ActionKind.EXPERIENCE, "Complete the conflict resolution course", "education"),
        (ActionKind.OPPORTUNITY, "Apply for the data guild", "exposure"),
        (ActionKind.ROADBLOCK, "Free up Friday afternoons", ""),
        (ActionKind.ROADBLOCK, "Find a course budget", "education"),
        # the earliest keyword wins
        (ActionKind.SKILL, "Shadow the architect, then take the cloud course", "exposure"),
        # whole words only: "overread" is not "read", "ready" is not "read"
        (ActionKind.EXPERIENCE, "Get ready for the handover", "experience"),
    ],
)
def test_mix_category(kind: ActionKind, text: str, category: str) -> None:
    assert mix_category(kind, text, rules=EN) == category


def test_kind_mix_counts_and_shares() -> None:
    mix = kind_mix(
        [
            action("Lead the Q2 release", ActionKind.EXPERIENCE),
            action("Run the team demo", ActionKind.EXPERIENCE),
            action("Meet the data team lead", ActionKind.OPPORTUNITY),
            action("Online statistics course", ActionKind.SKILL),
            action("Clear Friday afternoons", ActionKind.ROADBLOCK),
        ],
        rules=EN,
    )
    assert mix.counts == {"experience": 2, "exposure": 1, "education": 1}
    assert mix.not_counted == 1
    assert mix.total == 4
    assert mix.share("experience") == 0.5
    assert kind_mix([], rules=EN).share("education") == 0.0


def test_kind_mix_with_german_rules() -> None:
    content_rules = load_content().plan.rules
    rules = PlanRules(
        kind_categories=content_rules.kind_categories,
        category_keywords={"education": ("Kurs*",)},
    )
    assert (
        kind_mix([action("Den Excel-Kurs belegen", ActionKind.EXPERIENCE)], rules=rules).counts[
            "education"
        ]
        == 1
    )


def test_ownership_ratio_flags_a_plan_the_supervisor_carries() -> None:
    mostly_supervisor = ownership_ratio(
        [
            action("a", owner=Owner.SUPERVISOR),
            action("b", owner=Owner.SUPERVISOR),
            action("c", owner=Owner.EMPLOYEE),
        ]
    )
    assert (mostly_supervisor.employee, mostly_supervisor.supervisor) == (1, 2)
    assert mostly_supervisor.supervisor_owns_most
    assert mostly_supervisor.supervisor_share == pytest.approx(2 / 3)


def test_ownership_ratio_half_or_shared_is_not_flagged() -> None:
    half = ownership_ratio([action("a", owner=Owner.SUPERVISOR), action("b", owner=Owner.BOTH)])
    assert not half.supervisor_owns_most
    assert half.both == 1
    empty = ownership_ratio([])
    assert not empty.supervisor_owns_most
    assert empty.supervisor_share == 0.0


def test_ownership_ratio_accepts_anything_with_an_owner() -> None:
    @dataclass
    class Row:
        owner: str

    assert ownership_ratio([Row("supervisor")]).supervisor_owns_most
