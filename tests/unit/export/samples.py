"""A journal built from domain dataclasses, full of sentinels, for the export tests and bench.

Every private text contains ``PRIVSENTINEL`` and every shared one ``SHAREDSENTINEL``, so a test
can check both that private text is absent and that extraction works at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from careerdesk.domain.model import (
    Action,
    ActionKind,
    ActionStatus,
    Answer,
    Conversation,
    JournalEntry,
    MatchItem,
    Note,
    NoteKind,
    Owner,
    Person,
    StageId,
    new_id,
)
from careerdesk.export.data import ContentTexts, ConversationParts, PromptRef

PRIVATE = "PRIVSENTINEL"
SHARED = "SHAREDSENTINEL"

#: One phrase per script that must come out of every export's text.
SCRIPTS = {
    "latin": "Crème brûlée façade Ångström Łódź",
    "cyrillic": "Развитие навыков",
    "greek": "Καλημέρα κόσμε",
    "hebrew": "שלום עולם",
    "arabic": "مرحبا بالعالم",
    "cjk": "你好世界 日本語 한국어",
}

PAYLOADS = (
    "<b>x</b>",
    "</para>",
    "a & b",
    '<img src="http://127.0.0.1/x"/>',
    '<font color="[[[x]]]">',
    '<a href="http://127.0.0.1/">link</a>',
)

TEXTS = ContentTexts(
    stages={"current_role": "Current role", "future_roles": "Future roles"},
    prompts={"p.energy": "What gives you energy at work?", "p.skills": "Which skills go unused?",
             "p.head": "Where would you like to head?"},
)
PROMPTS = (
    PromptRef(StageId.CURRENT_ROLE, "p.energy"),
    PromptRef(StageId.CURRENT_ROLE, "p.skills"),
    PromptRef(StageId.FUTURE_ROLES, "p.head"),
)


@dataclass
class SampleJournal:
    person: Person
    parts: list[ConversationParts]
    actions: list[Action]
    entries: list[JournalEntry]
    private_texts: list[str]


def _private(i: int) -> str:
    return f"{PRIVATE}{i} secret worry"


def sample_journal(*, conversations: int = 2, big: bool = False) -> SampleJournal:
    """A person with conversations in every script, private things everywhere."""
    person = Person(id=new_id(), name="Zoë Łukasiewicz-Ivanova Δ 李", role="Analyst",
                    team="Data")
    parts: list[ConversationParts] = []
    actions: list[Action] = []
    privates: list[str] = []
    n = 0

    def priv() -> str:
        nonlocal n
        n += 1
        text = _private(n)
        privates.append(text)
        return text

    for c in range(conversations):
        conv = Conversation(id=new_id(), person_id=person.id,
                            held_on=dt.date(2026, 1 + c % 12, 10 + c % 15),
                            present="Zoë and Sam", purpose=f"{SHARED} quarterly talk")
        cid = conv.id
        answers = [
            Answer(new_id(), cid, "p.energy", StageId.CURRENT_ROLE,
                   text=f"{SHARED} {SCRIPTS['latin']}\n{SCRIPTS['cyrillic']} {SCRIPTS['greek']}",
                   asked=True),
            Answer(new_id(), cid, "p.skills", StageId.CURRENT_ROLE, text=priv(), asked=True,
                   private=True),
            Answer(new_id(), cid, "p.head", StageId.FUTURE_ROLES,
                   text=f"{SCRIPTS['hebrew']}\n{SCRIPTS['arabic']}\n{SCRIPTS['cjk']}",
                   asked=False),
        ]
        notes = [
            Note(new_id(), cid, StageId.CURRENT_ROLE, text="\n".join(PAYLOADS)),
            Note(new_id(), cid, StageId.FUTURE_ROLES, text=priv(), private=True),
            Note(new_id(), cid, StageId.REFLECT, NoteKind.REFLECTION, text=priv()),
        ]
        if big and c == 0:
            notes.append(Note(new_id(), cid, StageId.PREPARE,
                              text=("A long note line with words. " * 4 + "\n") * 850))
            notes.append(Note(new_id(), cid, StageId.PREPARE, text="w" * 20000))
        match = [
            MatchItem(new_id(), cid, f"Data storytelling {SHARED}", True, True, True),
            MatchItem(new_id(), cid, "Mentoring juniors", True, True, False),
            MatchItem(new_id(), cid, "SQL", True, False, True),
            MatchItem(new_id(), cid, "Public speaking", False, True, True),
            MatchItem(new_id(), cid, "Statistics", True, False, False),
            MatchItem(new_id(), cid, "Music 音乐", False, True, False),
            MatchItem(new_id(), cid, "Migration to cloud", False, False, True),
            MatchItem(new_id(), cid, priv(), True, True, True, private=True),
        ]
        actions += [
            Action(new_id(), person.id, f"Lead the data review {SHARED}",
                   kind=ActionKind.EXPERIENCE, conversation_id=cid,
                   due=dt.date(2026, 3, 1), support="Sam shares the agenda"),
            Action(new_id(), person.id, "Курс по статистике", kind=ActionKind.SKILL,
                   owner=Owner.SUPERVISOR, conversation_id=cid),
            Action(new_id(), person.id, priv(), conversation_id=cid, private=True),
            Action(new_id(), person.id, "Old idea, dropped", conversation_id=cid,
                   status=ActionStatus.DROPPED),
        ]
        parts.append(ConversationParts(
            conversation=conv, answers=answers, notes=notes, match_items=match,
            actions=[a for a in actions if a.conversation_id == cid],
            checks={"b.listen": True, "b.no_promises": False},
            pulse={"developing": 4, "supported": 2},
        ))
    entries = [
        JournalEntry(new_id(), person.id, dt.date(2026, 2, 1), title="Private by default",
                     body=priv()),
        JournalEntry(new_id(), person.id, dt.date(2026, 2, 2), title=f"Shared {SHARED}",
                     body=f"{SHARED} entry {SCRIPTS['cjk']}", private=False),
    ]
    # Checks and pulse are always private: their ids must not leak either.
    return SampleJournal(person, parts, actions, entries, privates)
