"""The pure data each PDF document needs, and the ONE place where private content is filtered.

Every export is built in two steps: a ``build_*`` function here turns domain records into a
frozen ``*Doc`` holding exactly what will be printed, and the renderer prints that and nothing
else. The privacy rule (docs/exports.md) lives in this module only:

* **shared plan** and **prep sheet** never contain anything marked private, whatever the caller
  passes: private answers, notes, match items and actions are dropped here; pulse readings,
  reflection notes and the behaviour checklist are always private and never reach these
  documents; journal entries are not part of them at all;
* **conversation record** and **person book** contain private items only when built with
  ``include_private=True``, and then every such item carries ``private=True`` so the renderer
  marks it "private". Pulse readings, reflection notes, the behaviour checklist and journal
  entries (private by default) count as private here.

A shared document keeps only *counts* of what was left out (:class:`LeftOut`), never the text,
so the preview can say "2 private next steps left out" without the private text ever being in
the object that is rendered.

Stage titles, prompt wording and behaviour names are content (``careerdesk.content``); they come
in through :class:`ContentTexts` so this module hard-codes none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from careerdesk.domain.model import (
    STAGE_ORDER,
    Action,
    ActionKind,
    ActionStatus,
    Answer,
    Conversation,
    Horizon,
    JournalEntry,
    MatchItem,
    Note,
    NoteKind,
    Owner,
    Person,
    StageId,
)

_T = TypeVar("_T")

# --- content texts -------------------------------------------------------------------------


def _humanise(identifier: str) -> str:
    text = identifier.split(":")[-1].replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else identifier


@dataclass(frozen=True)
class ContentTexts:
    """Wording from the content loader, by id. Missing ids fall back to a readable form of the id.

    ``prompts`` maps prompt ids (including ``custom:<id>``) to their wording; ``stages`` stage ids
    to titles; ``behaviour_items`` checklist item ids to their text; ``pulse_dimensions`` pulse
    dimension ids to their names.
    """

    stages: Mapping[str, str] = field(default_factory=dict)
    prompts: Mapping[str, str] = field(default_factory=dict)
    behaviour_items: Mapping[str, str] = field(default_factory=dict)
    pulse_dimensions: Mapping[str, str] = field(default_factory=dict)
    #: Each pulse dimension's five words for the values 1 to 5 (pulse.toml's ``labels``).
    pulse_labels: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def stage(self, stage: StageId | str) -> str:
        return self.stages.get(str(stage)) or _humanise(str(stage))

    def prompt(self, prompt_id: str) -> str:
        return self.prompts.get(prompt_id) or _humanise(prompt_id)

    def behaviour_item(self, item_id: str) -> str:
        return self.behaviour_items.get(item_id) or _humanise(item_id)

    def pulse_dimension(self, dimension_id: str) -> str:
        return self.pulse_dimensions.get(dimension_id) or _humanise(dimension_id)

    def pulse_label(self, dimension_id: str, value: int) -> str:
        """The words for a pulse reading ("Clearly"), never a number: a pulse is not a score."""
        labels = self.pulse_labels.get(dimension_id)
        if not labels or len(labels) != len(PULSE_WORDS):
            labels = PULSE_WORDS
        return labels[max(1, min(len(labels), value)) - 1]


#: Words for a pulse reading whose dimension has none in the content (an unknown, old id).
PULSE_WORDS = ("Hardly", "A little", "Somewhat", "Clearly", "Strongly")


# Short labels of our own enums (interface wording, not content).
KIND_LABELS: Mapping[ActionKind, str] = {
    ActionKind.SKILL: "Skill to develop",
    ActionKind.EXPERIENCE: "New responsibility or experience",
    ActionKind.OPPORTUNITY: "Opportunity to pursue",
    ActionKind.ROADBLOCK: "Roadblock to remove",
}
OWNER_LABELS: Mapping[Owner, str] = {
    Owner.EMPLOYEE: "Employee",
    Owner.SUPERVISOR: "Supervisor (support offered)",
    Owner.BOTH: "Both",
}
STATUS_LABELS: Mapping[ActionStatus, str] = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
}
HORIZON_LABELS: Mapping[Horizon, str] = {
    Horizon.NOW: "This quarter",
    Horizon.NEXT: "Next 12-18 months",
    Horizon.LONG: "Long term",
}

# --- the lines of a document ---------------------------------------------------------------


@dataclass(frozen=True)
class PersonInfo:
    name: str
    role: str = ""
    team: str = ""
    is_me: bool = False


@dataclass(frozen=True)
class MatchLine:
    text: str
    in_skills: bool
    in_interests: bool
    in_business: bool
    private: bool = False


@dataclass(frozen=True)
class ActionLine:
    text: str
    kind: str
    owner: str
    due: dt.date | None
    status: str
    support: str
    horizon: str
    private: bool = False
    #: Open (or in progress) and due before the export date.
    overdue: bool = False


@dataclass(frozen=True)
class DirectionLine:
    """Where the person would like to head, for one horizon ("Next 12-18 months"), shared."""

    horizon: str
    text: str


@dataclass(frozen=True)
class PromptLine:
    """A prompt, with its answer when one may be printed (empty otherwise)."""

    stage: str  # stage title
    prompt: str  # prompt wording
    answer: str = ""
    asked: bool = False
    private: bool = False


@dataclass(frozen=True)
class NoteLine:
    stage: str
    kind: str  # "Notes", "Preparation", "Reflection"
    text: str
    private: bool = False


@dataclass(frozen=True)
class CheckLine:
    text: str
    checked: bool
    private: bool = True


@dataclass(frozen=True)
class PulseLine:
    """A pulse reading as its words (``label``); ``value`` is kept for trends, never printed."""

    dimension: str
    value: int
    private: bool = True
    label: str = ""


@dataclass(frozen=True)
class EntryLine:
    entry_date: dt.date
    title: str
    body: str
    tags: tuple[str, ...]
    private: bool


@dataclass(frozen=True)
class LeftOut:
    """What a document leaves out, as a label and a count: never the text itself."""

    label: str
    count: int


@dataclass(frozen=True)
class StageSection:
    title: str
    prompts: tuple[PromptLine, ...] = ()
    notes: tuple[NoteLine, ...] = ()


# --- the documents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DocMeta:
    """What every document has: its title, the person, who exports it and when."""

    kind: str  # "Career plan", "Conversation record"...
    title: str
    subject: str
    person: PersonInfo
    author: str  # the name the user set in CareerDesk; may be empty
    exported_on: dt.date
    language: str = "en"  # BCP 47, the document's /Lang


@dataclass(frozen=True)
class Organisation:
    """The organisation shown in a shared plan's header (Preferences), when the user set one."""

    name: str = ""
    logo: bytes | None = None  # PNG or JPEG, validated when it was set (services.settings)


@dataclass(frozen=True)
class SharedPlanDoc:
    meta: DocMeta
    conversation_date: dt.date | None
    match: tuple[MatchLine, ...]
    actions: tuple[ActionLine, ...]
    left_out: tuple[LeftOut, ...] = ()
    include_private: bool = False  # always False; here so every doc answers the same question
    #: The supervisor or mentor (the journal's owner, or who else was present for "me").
    supervisor: str = ""
    next_conversation: dt.date | None = None
    direction: tuple[DirectionLine, ...] = ()
    #: Where ``direction`` came from when no horizon prompt was answered ("" when it was).
    direction_note: str = ""
    organisation: Organisation = field(default_factory=Organisation)
    agreed_by: bool = True  # print "Agreed by" signature lines


@dataclass(frozen=True)
class PrepSheetDoc:
    meta: DocMeta
    conversation_date: dt.date | None
    sections: tuple[StageSection, ...]
    open_actions: tuple[ActionLine, ...]
    left_out: tuple[LeftOut, ...] = ()
    include_private: bool = False


@dataclass(frozen=True)
class ConversationSection:
    """One conversation in full (for the record, and each conversation of the book)."""

    held_on: dt.date
    present: str
    purpose: str
    stages: tuple[StageSection, ...]
    match: tuple[MatchLine, ...]
    actions: tuple[ActionLine, ...]
    checks: tuple[CheckLine, ...] = ()
    pulse: tuple[PulseLine, ...] = ()


@dataclass(frozen=True)
class ConversationRecordDoc:
    meta: DocMeta
    conversation: ConversationSection
    include_private: bool = False
    left_out: tuple[LeftOut, ...] = ()


@dataclass(frozen=True)
class PersonBookDoc:
    meta: DocMeta
    date_from: dt.date | None
    date_to: dt.date | None
    conversations: tuple[ConversationSection, ...]
    actions: tuple[ActionLine, ...]
    entries: tuple[EntryLine, ...]
    include_private: bool = False
    left_out: tuple[LeftOut, ...] = ()


AnyDoc = SharedPlanDoc | PrepSheetDoc | ConversationRecordDoc | PersonBookDoc

# --- building ----------------------------------------------------------------------------------


class _Counter:
    """Counts what is left out, by label, in first-seen order."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def add(self, label: str, count: int = 1) -> None:
        if count:
            self._counts[label] = self._counts.get(label, 0) + count

    def result(self) -> tuple[LeftOut, ...]:
        return tuple(LeftOut(label, n) for label, n in self._counts.items())


def _keep(
    items: Iterable[_T],
    is_private: Callable[[_T], bool],
    *,
    include_private: bool,
    counter: _Counter,
    label: str,
) -> list[_T]:
    """The privacy rule for one kind of item. The only filter of private items in the package."""
    kept: list[_T] = []
    for item in items:
        if is_private(item) and not include_private:
            counter.add(label)
            continue
        kept.append(item)
    return kept


def person_info(person: Person) -> PersonInfo:
    return PersonInfo(name=person.name, role=person.role, team=person.team, is_me=person.is_me)


def _meta(kind: str, subject: str, person: Person, *, author: str, exported_on: dt.date,
          when: dt.date | None = None, language: str = "en") -> DocMeta:
    # Metadata holds only the kind of export, the person's name and dates: never note text.
    title = f"{kind}: {person.name}" + (f", {when.isoformat()}" if when else "")
    return DocMeta(kind=kind, title=title, subject=subject, person=person_info(person),
                   author=author,
                   exported_on=exported_on, language=language)


def _action_line(action: Action, today: dt.date) -> ActionLine:
    overdue = action.status.is_open and action.due is not None and action.due < today
    return ActionLine(
        text=action.text,
        kind=KIND_LABELS.get(action.kind, str(action.kind)),
        owner=OWNER_LABELS.get(action.owner, str(action.owner)),
        due=action.due,
        status=STATUS_LABELS.get(action.status, str(action.status)),
        support=action.support,
        horizon=HORIZON_LABELS.get(action.horizon, str(action.horizon)),
        private=action.private,
        overdue=overdue,
    )


def _sorted_actions(actions: Iterable[Action]) -> list[Action]:
    far = dt.date.max
    return sorted(actions, key=lambda a: (a.due or far, a.position, a.created_at))


def _match_line(item: MatchItem) -> MatchLine:
    return MatchLine(item.text, item.in_skills, item.in_interests, item.in_business, item.private)


NOTE_KIND_LABELS: Mapping[NoteKind, str] = {
    NoteKind.FREE: "Notes",
    NoteKind.PREPARATION: "Own preparation",
    NoteKind.REFLECTION: "Reflection",
}


def _note_is_private(note: Note) -> bool:
    # Reflection notes are the supervisor's own: always private, whatever their switch says.
    return note.private or note.kind == NoteKind.REFLECTION


def build_shared_plan(
    person: Person,
    *,
    conversation: Conversation | None,
    match_items: Sequence[MatchItem],
    actions: Sequence[Action],
    author: str,
    exported_on: dt.date,
    supervisor: str = "",
    next_conversation: dt.date | None = None,
    direction_answers: Sequence[Answer] = (),
    direction_notes: Sequence[Note] = (),
    organisation: Organisation | None = None,
    language: str = "en",
    agreed_by: bool = True,
) -> SharedPlanDoc:
    """The agreed plan to share: never anything private, whatever the caller passes.

    ``actions`` are the person's next steps to show (the service passes the open ones and those
    agreed in ``conversation``); dropped steps are left out as no longer part of the plan.
    ``direction_answers`` are answers that may hold the person's direction, most wanted first
    (the chosen conversation, then older ones): for each horizon prompt
    (:data:`DIRECTION_PROMPTS`) the first shared answer with text is printed. When none has
    one, ``direction_notes`` (the conversation's Future-roles notes) stand in, shared ones only.
    """
    items, steps, left_out = shareable_plan_records(match_items, actions)
    when = conversation.held_on if conversation else None
    direction_counter = _Counter()
    direction, direction_note = _direction(direction_answers, direction_notes, direction_counter)
    return SharedPlanDoc(
        meta=_meta("Career plan", "Agreed next steps, shared from CareerDesk", person,
                   author=author, exported_on=exported_on, when=when, language=language),
        conversation_date=when,
        match=tuple(_match_line(m) for m in items),
        actions=tuple(_action_line(a, exported_on) for a in steps),
        left_out=left_out + direction_counter.result(),
        supervisor=supervisor,
        next_conversation=next_conversation,
        direction=direction,
        direction_note=direction_note,
        organisation=organisation or Organisation(),
        agreed_by=agreed_by,
    )


def shareable_plan_records(
    match_items: Sequence[MatchItem], actions: Sequence[Action],
) -> tuple[list[MatchItem], list[Action], tuple[LeftOut, ...]]:
    """The match items and next steps of a shared plan, as records, and what is left out.

    The one rule for what a shared plan holds: the shared-plan PDF and the plan file
    (``services/exchange.py``) are both built from this, so neither can hold a private text.
    """
    counter = _Counter()
    items = _keep(sorted(match_items, key=lambda m: m.position), lambda m: m.private,
                  include_private=False, counter=counter, label="private match items")
    steps = _keep(_sorted_actions(actions), lambda a: a.private, include_private=False,
                  counter=counter, label="private next steps")
    dropped = [a for a in steps if a.status == ActionStatus.DROPPED]
    counter.add("dropped next steps", len(dropped))
    steps = [a for a in steps if a.status != ActionStatus.DROPPED]
    return items, steps, counter.result()


#: The Future-roles prompts that hold the person's direction, with the horizon they name.
DIRECTION_PROMPTS: tuple[tuple[str, str], ...] = (
    ("future_roles.next_18_months", "Next 12-18 months"),
    ("future_roles.long_term", "Longer term"),
)


def _direction(answers: Sequence[Answer], notes: Sequence[Note],
               counter: _Counter) -> tuple[tuple[DirectionLine, ...], str]:
    """The person's direction for a shared plan: shared texts only (through ``_keep``)."""
    lines: list[DirectionLine] = []
    for prompt_id, horizon in DIRECTION_PROMPTS:
        candidates = [a for a in answers if a.prompt_id == prompt_id and a.text.strip()
                      and not a.hidden]
        # Private answers are skipped (and counted once), an older shared one may stand in.
        kept = _keep(candidates, lambda a: a.private, include_private=False,
                     counter=_Counter(), label="")
        if candidates and not kept:
            counter.add("private answers about direction")
        if kept:
            lines.append(DirectionLine(horizon, kept[0].text.strip()))
    if lines:
        return tuple(lines), ""
    shared_notes = _keep([n for n in notes if n.text.strip()], _note_is_private,
                         include_private=False, counter=counter,
                         label="private notes about direction")
    future = [a for a in answers if a.stage == StageId.FUTURE_ROLES and a.text.strip()
              and not a.hidden]
    shared_answers = _keep(future, lambda a: a.private, include_private=False,
                           counter=_Counter(), label="")
    texts = [n.text.strip() for n in shared_notes] + [a.text.strip() for a in shared_answers]
    if not texts:
        return (), ""
    return ((DirectionLine("From our conversation", texts[0]),),
            "From the Future roles notes of the conversation")


@dataclass(frozen=True)
class PromptRef:
    """A prompt to print on a prep sheet: its stage and id (wording comes from ContentTexts)."""

    stage: StageId
    prompt_id: str


def build_prep_sheet(
    person: Person,
    *,
    prompts: Sequence[PromptRef],
    texts: ContentTexts,
    carried_answers: Sequence[Answer] = (),
    open_actions: Sequence[Action] = (),
    conversation_date: dt.date | None = None,
    author: str,
    exported_on: dt.date,
) -> PrepSheetDoc:
    """The prompts for the next conversation with room to write, and the open next steps.

    ``carried_answers`` are last conversation's answers to these prompts (unfinished ones carry
    over); their text is printed only when not private. Hidden answers hide their prompt.
    """
    counter = _Counter()
    by_prompt = {a.prompt_id: a for a in carried_answers}
    hidden = {a.prompt_id for a in carried_answers if a.hidden}
    sections: list[StageSection] = []
    for stage in STAGE_ORDER:
        lines: list[PromptLine] = []
        for ref in prompts:
            if ref.stage != stage or ref.prompt_id in hidden:
                continue
            answer = by_prompt.get(ref.prompt_id)
            shown = ""
            if answer is not None and answer.text.strip():
                kept = _keep([answer], lambda a: a.private, include_private=False,
                             counter=counter, label="private answers")
                shown = kept[0].text if kept else ""
            lines.append(PromptLine(stage=texts.stage(stage), prompt=texts.prompt(ref.prompt_id),
                                    answer=shown))
        if lines:
            sections.append(StageSection(title=texts.stage(stage), prompts=tuple(lines)))
    steps = _keep(_sorted_actions(a for a in open_actions if a.status.is_open),
                  lambda a: a.private, include_private=False, counter=counter,
                  label="private next steps")
    return PrepSheetDoc(
        meta=_meta("Conversation preparation", "Prompts for the next career conversation",
                   person, author=author, exported_on=exported_on, when=conversation_date),
        conversation_date=conversation_date,
        sections=tuple(sections),
        open_actions=tuple(_action_line(a, exported_on) for a in steps),
        left_out=counter.result(),
    )


def _conversation_section(
    conversation: Conversation,
    *,
    answers: Sequence[Answer],
    notes: Sequence[Note],
    match_items: Sequence[MatchItem],
    actions: Sequence[Action],
    checks: Mapping[str, bool],
    pulse: Mapping[str, int],
    texts: ContentTexts,
    include_private: bool,
    counter: _Counter,
    exported_on: dt.date,
) -> ConversationSection:
    kept_answers = _keep([a for a in answers if not a.hidden], lambda a: a.private,
                         include_private=include_private, counter=counter,
                         label="private answers")
    kept_notes = _keep([n for n in notes if n.text.strip()], _note_is_private,
                       include_private=include_private, counter=counter,
                       label="private notes and reflections")
    stages: list[StageSection] = []
    for stage in STAGE_ORDER:
        stage_answers = sorted((a for a in kept_answers if a.stage == stage),
                               key=lambda a: a.position)
        prompt_lines = tuple(
            PromptLine(stage=texts.stage(stage), prompt=texts.prompt(a.prompt_id),
                       answer=a.text, asked=a.asked, private=a.private)
            for a in stage_answers
            if a.asked or a.text.strip()
        )
        note_lines = tuple(
            NoteLine(stage=texts.stage(stage), kind=NOTE_KIND_LABELS.get(n.kind, str(n.kind)),
                     text=n.text, private=_note_is_private(n))
            for n in kept_notes
            if n.stage == stage
        )
        if prompt_lines or note_lines:
            stages.append(StageSection(title=texts.stage(stage), prompts=prompt_lines,
                                       notes=note_lines))
    items = _keep(sorted(match_items, key=lambda m: m.position), lambda m: m.private,
                  include_private=include_private, counter=counter,
                  label="private match items")
    steps = _keep(_sorted_actions(actions), lambda a: a.private,
                  include_private=include_private, counter=counter, label="private next steps")
    # The behaviour checklist and the pulse are the supervisor's private reflection.
    check_lines: tuple[CheckLine, ...] = ()
    pulse_lines: tuple[PulseLine, ...] = ()
    if include_private:
        check_lines = tuple(CheckLine(texts.behaviour_item(i), c) for i, c in checks.items())
        pulse_lines = tuple(PulseLine(texts.pulse_dimension(d), v, label=texts.pulse_label(d, v))
                            for d, v in pulse.items())
    else:
        counter.add("behaviour checklist items (always private)", len(checks))
        counter.add("pulse readings (always private)", len(pulse))
    return ConversationSection(
        held_on=conversation.held_on,
        present=conversation.present,
        purpose=conversation.purpose,
        stages=tuple(stages),
        match=tuple(_match_line(m) for m in items),
        actions=tuple(_action_line(a, exported_on) for a in steps),
        checks=check_lines,
        pulse=pulse_lines,
    )


@dataclass(frozen=True)
class ConversationParts:
    """Everything stored about one conversation, as the services return it."""

    conversation: Conversation
    answers: Sequence[Answer] = ()
    notes: Sequence[Note] = ()
    match_items: Sequence[MatchItem] = ()
    actions: Sequence[Action] = ()
    checks: Mapping[str, bool] = field(default_factory=dict)
    pulse: Mapping[str, int] = field(default_factory=dict)


def build_conversation_record(
    person: Person,
    parts: ConversationParts,
    *,
    texts: ContentTexts,
    include_private: bool = False,
    author: str,
    exported_on: dt.date,
) -> ConversationRecordDoc:
    """One conversation in full; private items only with ``include_private``, then marked."""
    counter = _Counter()
    section = _conversation_section(
        parts.conversation, answers=parts.answers, notes=parts.notes,
        match_items=parts.match_items, actions=parts.actions, checks=parts.checks,
        pulse=parts.pulse, texts=texts, include_private=include_private, counter=counter,
        exported_on=exported_on,
    )
    subject = "Record of a career conversation" + (
        ", including private notes" if include_private else "")
    return ConversationRecordDoc(
        meta=_meta("Conversation record", subject, person, author=author,
                   exported_on=exported_on, when=parts.conversation.held_on),
        conversation=section,
        include_private=include_private,
        left_out=counter.result(),
    )


def _in_range(day: dt.date, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def build_person_book(
    person: Person,
    *,
    conversations: Sequence[ConversationParts],
    actions: Sequence[Action],
    entries: Sequence[JournalEntry],
    texts: ContentTexts,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    include_private: bool = False,
    author: str,
    exported_on: dt.date,
) -> PersonBookDoc:
    """All conversations, next steps and journal entries of a date range, oldest first.

    Next steps are in range by their due date, or by the date of the conversation that agreed
    them, or (neither known) by when they were created.
    """
    counter = _Counter()
    sections = [
        _conversation_section(
            p.conversation, answers=p.answers, notes=p.notes, match_items=p.match_items,
            actions=(), checks=p.checks, pulse=p.pulse, texts=texts,
            include_private=include_private, counter=counter, exported_on=exported_on,
        )
        for p in sorted(conversations, key=lambda p: p.conversation.held_on)
        if _in_range(p.conversation.held_on, date_from, date_to)
    ]
    held = {p.conversation.id: p.conversation.held_on for p in conversations}

    def action_day(a: Action) -> dt.date:
        if a.conversation_id in held:
            return held[a.conversation_id]
        return a.due or a.created_at.date()

    steps = _keep(_sorted_actions(a for a in actions
                                  if _in_range(action_day(a), date_from, date_to)),
                  lambda a: a.private, include_private=include_private, counter=counter,
                  label="private next steps")
    in_range = sorted((e for e in entries if _in_range(e.entry_date, date_from, date_to)),
                      key=lambda e: (e.entry_date, e.created_at))
    kept_entries = _keep(in_range, lambda e: e.private, include_private=include_private,
                         counter=counter, label="private journal entries")
    kind = "Career journal" if person.is_me else "Conversation book"
    subject = f"{kind} from CareerDesk" + (", including private notes" if include_private else "")
    return PersonBookDoc(
        meta=_meta(kind, subject, person, author=author, exported_on=exported_on),
        date_from=date_from,
        date_to=date_to,
        conversations=tuple(sections),
        actions=tuple(_action_line(a, exported_on) for a in steps),
        entries=tuple(EntryLine(e.entry_date, e.title, e.body, tuple(e.tags), e.private)
                      for e in kept_entries),
        include_private=include_private,
        left_out=counter.result(),
    )


def share_preview(doc: AnyDoc) -> tuple[list[str], list[str]]:
    """What the user sees before writing: (what will be in the PDF, what is left out).

    Pure: lists the printed items by kind and text (this is the user's own screen), and what is
    left out by count and reason only.
    """
    shared: list[str] = [f"Person: {doc.meta.person.name}"]
    marker = " (private)"

    def action_text(a: ActionLine) -> str:
        due = f", due {a.due.isoformat()}" if a.due else ""
        return f"Next step: {a.text} ({a.owner}{due})" + (marker if a.private else "")

    def section_texts(c: ConversationSection) -> list[str]:
        out = [f"Conversation of {c.held_on.isoformat()}"]
        for s in c.stages:
            out += [f"Answer ({s.title}): {p.prompt}" + (marker if p.private else "")
                    for p in s.prompts]
            out += [f"{n.kind} ({s.title})" + (marker if n.private else "") for n in s.notes]
        out += [f"Match item: {m.text}" + (marker if m.private else "") for m in c.match]
        out += [action_text(a) for a in c.actions]
        if c.checks:
            out.append(f"Behaviour checklist: {len(c.checks)} items (private)")
        if c.pulse:
            out.append(f"Pulse readings: {len(c.pulse)} (private)")
        return out

    if isinstance(doc, SharedPlanDoc):
        if doc.supervisor:
            shared.append(f"Supervisor or mentor: {doc.supervisor}")
        if doc.organisation.name or doc.organisation.logo:
            shared.append("Organisation: " + (doc.organisation.name or "(no name)")
                          + (" with its logo" if doc.organisation.logo else ""))
        shared += [f"Direction ({d.horizon}): {d.text}" for d in doc.direction]
        shared += [f"Match item: {m.text}" for m in doc.match]
        shared += [action_text(a) for a in doc.actions]
    elif isinstance(doc, PrepSheetDoc):
        for s in doc.sections:
            shared += [f"Prompt ({s.title}): {p.prompt}" + (" (with last answer)" if p.answer
                                                            else "") for p in s.prompts]
        shared += [action_text(a) for a in doc.open_actions]
    elif isinstance(doc, ConversationRecordDoc):
        shared += section_texts(doc.conversation)
    else:
        for c in doc.conversations:
            shared += section_texts(c)
        shared += [action_text(a) for a in doc.actions]
        shared += [f"Journal entry of {e.entry_date.isoformat()}: {e.title or '(untitled)'}"
                   + (marker if e.private else "") for e in doc.entries]
    left_out = [f"{item.count} {item.label}" for item in doc.left_out]
    if isinstance(doc, SharedPlanDoc | PrepSheetDoc):
        left_out.append("Conversation notes, pulse readings and reflections: never shared")
    return shared, left_out
