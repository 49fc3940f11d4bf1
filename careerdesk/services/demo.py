"""A realistic demo journal: a supervisor's roster, conversations over time, plans, journal.

Names come in several scripts; notes read like real notes. ``people`` and ``years`` scale it up
(200 people over 10 years is the benchmark journal). Rows are written with bulk inserts, one
transaction per person, so the large journal takes seconds rather than minutes.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert

from careerdesk.content import load_content
from careerdesk.domain.model import StageId, UsageMode
from careerdesk.services import Services
from careerdesk.services.settings import OWNER_NAME, USAGE_MODE
from careerdesk.storage.rows import (
    ActionRow,
    AnswerRow,
    BehaviourCheckRow,
    ConversationRow,
    JournalEntryRow,
    MatchItemRow,
    NoteRow,
    PersonRow,
    PulseValueRow,
    SettingRow,
)

OWNER = "Alex Morgan"

#: The first people of every demo: one per script, written as they would write their own name.
FEATURED = [
    ("张伟", "Data engineer", "Platform"),
    ("Ольга Иванова", "QA lead", "Payments"),
    ("ليلى حداد", "UX researcher", "Design"),
    ("José Núñez", "Backend developer", "Payments"),
    ("Νίκος Παπαδόπουλος", "Site reliability engineer", "Platform"),
    ("Zoë Kowalczyk", "Product analyst", "Growth"),
    ("田中さくら", "Mobile developer", "Apps"),
    ("דבורה לוי", "Technical writer", "Design"),
]
FIRST = ["Amara", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Gustavo", "Hana", "Ines", "Jonas",
         "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Paula", "Quentin", "Rosa", "Sven", "Tomás",
         "Uma", "Vera", "Wen", "Yusuf", "Zara", "Ангелина", "Борис", "美玲", "Σοφία", "Ahmed"]
LAST = ["Okafor", "Schmidt", "Dubois", "Petrov", "Yılmaz", "Rahman", "Silva", "Novak", "García",
        "Berg", "Mensah", "Fischer", "Ortega", "Haddad", "Costa", "Lefèvre", "Andersson",
        "Moreau", "Kovač", "Sato", "Nair", "Lindqvist", "Brennan", "Єрмоленко", "王", "Αλεξίου"]
ROLES = [("Frontend developer", "Apps"), ("Data analyst", "Growth"), ("Support lead", "Customer"),
         ("Designer", "Design"), ("Backend developer", "Platform"), ("Scrum master", "Payments"),
         ("Security engineer", "Platform"), ("Content designer", "Design")]

SKILLS = ["stakeholder workshops", "SQL performance tuning", "public speaking", "Kubernetes",
          "user interviews", "mentoring juniors", "writing design docs", "data modelling",
          "accessibility testing", "negotiating scope", "incident command", "Rust"]
AREAS = ["the billing migration", "the onboarding redesign", "the data platform",
         "the on-call rota", "the design system", "the partner API", "customer research",
         "the mobile release train"]

ANSWERS: dict[StageId, list[str]] = {
    StageId.PREPARE: [
        "Wants to use the time to talk about the next year rather than current tickets.",
        "Came with a short list: more ownership, less context switching, {skill}.",
        "Has been thinking about whether to stay technical or move towards leading people.",
        "Since last time: finished {area}, feels ready for something less operational.",
    ],
    StageId.CURRENT_ROLE: [
        "Still learning, mostly through {area}. The pairing sessions help most.",
        "Energised by untangling messy problems with other teams; drained by status meetings.",
        "Feels {skill} is under-used: did it at the previous job, nobody here asks for it.",
        "Says the last quarter was mostly maintenance, little new. Wants a stretch piece.",
        "Enjoys explaining things; people already come to them with questions about {area}.",
        "The interruptions from support requests make deep work hard on Mondays and Tuesdays.",
        "Uses about half of what they can do. The analysis skills are wasted on reporting.",
    ],
    StageId.FUTURE_ROLES: [
        "In 12-18 months: leading a small workstream, still hands-on. "
        "Long term: unsure, maybe architecture.",
        "Curious about product management; would like to shadow a PM for a few weeks first.",
        "Passionate about {skill}; would love a role where that is half the job.",
        "Not interested in managing people for now. Wants to become the go-to person for {area}.",
        "Wants international exposure: the Lisbon office, or the partner teams abroad.",
        "Long term: teaching, perhaps internal training. Short term: get deeper in {area}.",
    ],
    StageId.MATCH: [
        "Strongest overlap: {skill} is both what they enjoy and what {area} needs next year.",
        "Business needs more people who can run {area}; interest is there, skill is growing.",
        "Interest in research does not meet a current business need on the team; look wider.",
    ],
    StageId.PLAN: [
        "Agreed to start small: one concrete step per month, reviewed at our next talk.",
        "Employee will draft the plan; I will look for an opening on {area}.",
        "Two steps this quarter, one longer-term experience for next year.",
    ],
    StageId.REFLECT: [
        "Listened more than I talked this time. Resisted jumping to solutions.",
        "Caught myself drifting towards delivery dates once; brought it back.",
        "Good energy. Should follow up on the shadowing idea within two weeks.",
    ],
}
PRIVATE_ANSWERS = [
    "Mentioned caring for a parent; travel is hard this year. Keep this between us.",
    "Said they applied for an internal role in another department and were turned down.",
    "Is considering a part-time master's degree but has not told the team yet.",
    "Feels the friction with a colleague on {area} is wearing them down.",
]
MATCH_ITEMS = [
    ("{skill}", (True, True, False)), ("explaining complex things simply", (True, True, True)),
    ("{area}", (False, True, True)), ("automation", (True, False, True)),
    ("working with customers", (False, True, True)), ("mentoring", (True, True, False)),
    ("reliability work", (True, False, True)), ("writing", (True, True, True)),
    ("visual design", (False, True, False)), ("cost reduction", (False, False, True)),
]
ACTIONS: list[tuple[str, str, str, str]] = [
    # (kind, owner, text, support)
    ("skill", "employee", "Take the internal course on {skill} and apply it to one real task",
     "Time blocked on Fridays"),
    ("skill", "employee", "Pair twice a month with a senior on {area}", ""),
    ("experience", "employee", "Lead the next retrospective for {area}",
     "I will hand over the slot"),
    ("experience", "both", "Run the kick-off workshop for {area} with the product lead",
     "Introduction to the product lead"),
    ("opportunity", "employee", "Apply for the mentoring programme in the spring round", ""),
    ("opportunity", "supervisor", "Introduce them to the architecture guild organisers",
     "Send the introduction e-mail"),
    ("roadblock", "supervisor", "Move the Monday support rota so deep-work mornings are possible",
     "Agree the new rota with the team"),
    ("roadblock", "employee", "Write down which meetings can become async updates", ""),
    ("skill", "employee", "Present what came out of {area} at the monthly demo",
     "Feedback on a dry run"),
]
ENTRY_TITLES = ["Reflect on this week", "After the career conversation", "What energised me",
                "A hard week", "Small win", "Thinking about next year"]
ENTRY_BODIES = [
    "Three people asked me about {area} this week. I like being the one who explains it.",
    "The workshop went better than I feared. Next time prepare fewer slides, more questions.",
    "I keep postponing {skill}. Blocking Friday mornings for it from now on.",
    "Noticed I talked too much in the conversation with my report. Ask, then wait.",
    "Tired. Too many meetings, not enough making. Which two could I drop?",
    "Read about the 70-20-10 idea: most learning comes from experience. Plan accordingly.",
]
PRIVATE_REFLECTIONS = [
    "I worry I am not giving enough time to this person compared to the louder ones.",
    "Pay came up indirectly; I deferred it to the separate process, which felt right.",
    "Sensed some frustration with the team's direction; watch for signs of disengagement.",
]


@dataclass(frozen=True)
class DemoOptions:
    people: int = 8
    years: int = 2
    seed: int = 7
    today: dt.date | None = None


@dataclass(frozen=True)
class DemoCounts:
    people: int
    conversations: int
    actions: int
    entries: int


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _stamp(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC) + dt.timedelta(
        minutes=rng.randrange(0, 8 * 60), microseconds=rng.randrange(0, 1_000_000)
    )


def _roster(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    roster = list(FEATURED[:count])
    taken = {name for name, _, _ in roster}
    while len(roster) < count:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in taken:
            name = f"{name} {chr(ord('A') + len(roster) % 26)}."
        if name in taken:
            continue
        taken.add(name)
        role, team = rng.choice(ROLES)
        roster.append((name, role, team))
    return roster


class _Writer:
    """Accumulates rows per table and inserts them in bulk."""

    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {}

    def add(self, table: Any, **values: Any) -> None:
        self.rows.setdefault(table, []).append(values)

    def flush(self, session: Any) -> None:
        order = [PersonRow, ConversationRow, AnswerRow, NoteRow, MatchItemRow, BehaviourCheckRow,
                 PulseValueRow, ActionRow, JournalEntryRow]
        for table in order:
            if self.rows.get(table):
                session.execute(insert(table), self.rows[table])
        self.rows.clear()


def write_demo(services: Services, options: DemoOptions) -> DemoCounts:
    """Fill an empty journal with demo data."""
    rng = random.Random(options.seed)
    today = options.today or dt.date.today()
    content = load_content()
    default_pack = content.pack("default")
    behaviour_items = [item.id for b in content.behaviours for item in b.items]
    guardrails = [check.id for check in content.guardrails.checks]
    dimensions = [d.id for d in content.pulse]
    start = today - dt.timedelta(days=365 * options.years)

    def fill(template: str) -> str:
        return template.format(skill=rng.choice(SKILLS), area=rng.choice(AREAS))

    services.settings.set(OWNER_NAME, OWNER)
    services.settings.set(USAGE_MODE, UsageMode.BOTH.value)
    counts = {"conversations": 0, "actions": 0, "entries": 0}
    roster = [(OWNER, "Engineering manager", "Engineering"), *_roster(options.people, rng)]
    for index, (name, role, team) in enumerate(roster):
        is_me = index == 0
        writer = _Writer()
        person_id = _id(rng)
        created = _stamp(start, rng)
        cadence = rng.choice((60, 90, 90, 90, 120))
        writer.add(PersonRow, id=person_id, name=name, role=role, team=team, is_me=is_me,
                   archived=False, cadence_days=cadence, next_conversation=None,
                   created_at=created, updated_at=created)
        falling = rng.random() < 0.25  # some people's pulse drifts down: early signs
        day = start + dt.timedelta(days=rng.randrange(0, 30))
        number = 0
        while not is_me and day <= today:
            number += 1
            conversation_id = _id(rng)
            stamp = _stamp(day, rng)
            recent = (today - day).days < cadence
            writer.add(ConversationRow, id=conversation_id, person_id=person_id, held_on=day,
                       present=f"{name}, {OWNER}", purpose=rng.choice((
                           "Regular career conversation", "Follow-up on last plan",
                           "Talk about the next year", "Check in after the reorganisation")),
                       method_pack="default", current_stage="summary" if not recent else "plan",
                       completed=not recent, carried_action_ids=[], created_at=stamp,
                       updated_at=stamp)
            for stage in (StageId.PREPARE, StageId.CURRENT_ROLE, StageId.FUTURE_ROLES,
                          StageId.MATCH, StageId.PLAN, StageId.REFLECT):
                prompts = list(default_pack.for_stage(stage))
                for position, prompt in enumerate(rng.sample(prompts, k=min(3, len(prompts)))):
                    private = rng.random() < 0.12
                    text = fill(rng.choice(PRIVATE_ANSWERS if private else ANSWERS[stage]))
                    writer.add(AnswerRow, id=_id(rng), conversation_id=conversation_id,
                               prompt_id=prompt.id, stage=stage.value, text=text,
                               asked=rng.random() < 0.85, private=private, hidden=False,
                               position=position, created_at=stamp, updated_at=stamp)
            writer.add(NoteRow, id=_id(rng), conversation_id=conversation_id,
                       stage=StageId.REFLECT.value, kind="reflection",
                       text=rng.choice(PRIVATE_REFLECTIONS), private=True,
                       created_at=stamp, updated_at=stamp)
            writer.add(NoteRow, id=_id(rng), conversation_id=conversation_id,
                       stage=StageId.SUMMARY.value, kind="free",
                       text=fill("Agreed to focus on {area} and {skill} until we talk again."),
                       private=False, created_at=stamp, updated_at=stamp)
            for position, (label, (s, i, b)) in enumerate(rng.sample(MATCH_ITEMS, k=5)):
                writer.add(MatchItemRow, id=_id(rng), conversation_id=conversation_id,
                           text=fill(label), in_skills=s, in_interests=i, in_business=b,
                           private=False, position=position, created_at=stamp, updated_at=stamp)
            for item in rng.sample(behaviour_items, k=min(8, len(behaviour_items))) + guardrails:
                writer.add(BehaviourCheckRow, id=_id(rng), conversation_id=conversation_id,
                           item_id=item, checked=rng.random() < 0.9, created_at=stamp,
                           updated_at=stamp)
            for dimension in dimensions:
                base = 4 - (number * 0.15 if falling else 0)
                value = max(1, min(5, round(base + rng.uniform(-1, 1))))
                writer.add(PulseValueRow, id=_id(rng), conversation_id=conversation_id,
                           dimension_id=dimension, value=value, created_at=stamp,
                           updated_at=stamp)
            for position, (kind, owner, text, support) in enumerate(rng.sample(ACTIONS, k=3)):
                due = day + dt.timedelta(days=rng.choice((30, 45, 60, 90, 180)))
                # Old steps are settled one way or the other; a few recent ones slip.
                if due < today - dt.timedelta(days=120):
                    status = rng.choice(("done", "done", "done", "dropped"))
                elif due < today - dt.timedelta(days=14):
                    status = rng.choice(("done", "done", "open"))
                else:
                    status = rng.choice(("open", "open", "in_progress"))
                writer.add(ActionRow, id=_id(rng), person_id=person_id,
                           conversation_id=conversation_id, kind=kind, text=fill(text),
                           owner=owner, due=due if rng.random() < 0.9 else None, status=status,
                           support=support, horizon=rng.choice(("now", "now", "next", "long")),
                           private=rng.random() < 0.05, position=position,
                           done_on=due - dt.timedelta(days=3) if status == "done" else None,
                           created_at=stamp, updated_at=stamp)
                counts["actions"] += 1
            counts["conversations"] += 1
            day += dt.timedelta(days=cadence + rng.randrange(-10, 15))
        entry_day = start + dt.timedelta(days=rng.randrange(0, 7))
        while entry_day <= today:
            if is_me or rng.random() < 0.1:
                stamp = _stamp(entry_day, rng)
                writer.add(JournalEntryRow, id=_id(rng), person_id=person_id,
                           entry_date=entry_day, title=rng.choice(ENTRY_TITLES),
                           body=fill(rng.choice(ENTRY_BODIES)),
                           tags=rng.sample(["learning", "energy", "feedback", "plan", "team"],
                                           k=rng.randrange(0, 3)),
                           private=rng.random() < 0.8, prompt_id=None, created_at=stamp,
                           updated_at=stamp)
                counts["entries"] += 1
            entry_day += dt.timedelta(days=rng.randrange(5, 12))
        with services.journal.transaction() as session:
            writer.flush(session)
    with services.journal.transaction() as session:
        # The demo's settings are stamped like the rest, so two demos with one seed are equal.
        for row in session.query(SettingRow):
            row.updated_at = _stamp(start, rng)
    return DemoCounts(
        people=len(roster), conversations=counts["conversations"], actions=counts["actions"],
        entries=counts["entries"],
    )
