"""Exports: gathers what each PDF needs from the other services and writes it.

The privacy rule itself is not here: :mod:`careerdesk.export.data` applies it when the document
data is built. This service only decides *which* records a document is about (which
conversation, which date range) and where the wording of prompts comes from (the content
loader, in the reader's voice: employee wording in one's own journal, supervisor wording
otherwise). reportlab is imported only by :meth:`ExportService.write`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from careerdesk.content.model import CONTENT_STAGES
from careerdesk.domain.model import (
    STAGE_ORDER,
    Action,
    Answer,
    Conversation,
    CustomPrompt,
    MatchItem,
    Note,
    Person,
    StageId,
)
from careerdesk.errors import InvalidInputError, NotFoundError
from careerdesk.export import data

if TYPE_CHECKING:
    from careerdesk.content import Audience, Content
    from careerdesk.services import Services

ExportKind = Literal["plan", "prep", "record", "book"]
EXPORT_KINDS: tuple[ExportKind, ...] = ("plan", "prep", "record", "book")

#: The stages whose prompts a prep sheet offers (Reflect is the supervisor's own afterwards).
PREP_STAGES: tuple[StageId, ...] = (
    StageId.PREPARE, StageId.CURRENT_ROLE, StageId.FUTURE_ROLES, StageId.MATCH, StageId.PLAN,
)


#: How many conversations before the chosen one a shared plan looks at for the direction.
DIRECTION_LOOKBACK = 4


class PlanSources(NamedTuple):
    """What a shared plan is made from, before the privacy rule (``export/data.py``)."""

    person: Person
    conversation: Conversation | None
    match_items: list[MatchItem]
    actions: list[Action]
    direction_answers: list[Answer]
    direction_notes: list[Note]


class ExportService:
    """Builds the document data of each export from the journal and writes PDFs."""

    def __init__(
        self,
        services: Services,
        *,
        content: Content | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.services = services
        self._content = content
        self._today = today

    # -- helpers ---------------------------------------------------------------------------

    @property
    def content(self) -> Content:
        """The built-in content in the journal's language (from the prompt service)."""
        if self._content is None:
            self._content = self.services.prompts.content
        return self._content

    @staticmethod
    def _audience(person: Person) -> Audience:
        from careerdesk.content import Audience

        # One's own journal speaks as "I"; conversations with others as the supervisor asking.
        return Audience.EMPLOYEE if person.is_me else Audience.SUPERVISOR

    def _conversation_wording(self, person: Person, conversation_id: str) -> dict[str, str]:
        """Prompt wording as that conversation shows it (edits, custom and carried prompts)."""
        audience = self._audience(person)
        wording: dict[str, str] = {}
        for stage in CONTENT_STAGES:
            for prompt in self.services.prompts.effective_prompts(
                    stage, conversation_id=conversation_id):
                wording[prompt.prompt_id] = prompt.text(audience)
        return wording

    def _author(self) -> str:
        # The name the user set in CareerDesk; never the OS account or a path.
        return self.services.settings.owner_name.strip()

    def texts(self, person: Person, custom_prompts: Sequence[CustomPrompt] = (),
              wording: Mapping[str, str] | None = None) -> data.ContentTexts:
        """The wording of stages, prompts, checklist items and pulse dimensions, by id.

        Built-in wording first, then the user's custom prompts, then ``wording`` (the
        effective wording of a conversation or of the user's default list) over both.
        """
        content = self.content
        audience = self._audience(person)
        prompts = {p.id: p.wording(audience) for pack in content.packs.values()
                   for p in pack.prompts}
        prompts.update({c.prompt_id: c.text for c in custom_prompts})
        prompts.update(wording or {})
        items = {i.id: f"{b.title}: {i.text}" for b in content.behaviours for i in b.items}
        items.update({g.id: g.title for g in content.guardrails.checks})
        return data.ContentTexts(
            stages={str(s.id): s.title for s in content.stages},
            prompts=prompts,
            behaviour_items=items,
            pulse_dimensions={d.id: d.title for d in content.pulse},
            pulse_labels={d.id: tuple(d.labels) for d in content.pulse},
        )

    def find_conversation(self, person_id: str, wanted: str | None) -> Conversation:
        """The person's conversation by id or date (YYYY-MM-DD); the newest when not given."""
        conversations = self.services.conversations.list_for(person_id)
        if not conversations:
            raise NotFoundError("This person has no conversations yet.")
        if wanted is None or not wanted.strip():
            return conversations[0]
        wanted = wanted.strip()
        by_id = [c for c in conversations if c.id == wanted]
        if by_id:
            return by_id[0]
        try:
            day = dt.date.fromisoformat(wanted)
        except ValueError:
            raise InvalidInputError(
                f"{wanted!r} is neither a conversation id nor a date (use YYYY-MM-DD)."
            ) from None
        on_day = [c for c in conversations if c.held_on == day]
        if not on_day:
            raise NotFoundError(f"There is no conversation on {day.isoformat()}.")
        return on_day[0]

    def _parts(self, conversation_id: str) -> tuple[data.ConversationParts,
                                                    list[CustomPrompt]]:
        record = self.services.conversations.record(conversation_id)
        parts = data.ConversationParts(
            conversation=record.conversation,
            answers=record.answers,
            notes=record.notes,
            match_items=record.match_items,
            actions=record.actions,
            checks=record.checks,
            pulse=record.pulse,
        )
        return parts, record.custom_prompts

    # -- the four documents ------------------------------------------------------------------

    def shared_plan(self, person_id: str, *, conversation: str | None = None,
                    agreed_by: bool = True) -> data.SharedPlanDoc:
        """The match of one conversation (the newest by default) and the person's plan.

        The plan is every open next step of the person plus the steps agreed in that
        conversation (so a step done since shows as done). ``agreed_by``: print lines for
        both people to sign.
        """
        sources = self.shared_plan_sources(person_id, conversation=conversation)
        person, chosen = sources.person, sources.conversation
        settings = self.services.settings
        return data.build_shared_plan(
            person, conversation=chosen, match_items=sources.match_items,
            actions=sources.actions, author=self._author(), exported_on=self._today(),
            supervisor=self._supervisor(person, chosen),
            next_conversation=self.services.people.next_conversation(person.id),
            direction_answers=sources.direction_answers,
            direction_notes=sources.direction_notes,
            organisation=data.Organisation(settings.organisation_name,
                                           settings.organisation_logo),
            language=settings.language, agreed_by=agreed_by,
        )

    def shared_plan_sources(self, person_id: str, *,
                            conversation: str | None = None) -> PlanSources:
        """The records a shared plan is about, before the privacy rule (``data.py``) is applied:
        the person, the chosen conversation, its match, the person's open steps plus those
        agreed in it, and what may say their direction. The PDF and the plan file
        (``services/exchange.py``) both start here."""
        person = self.services.people.get(person_id)
        chosen: Conversation | None = None
        match_items: list[MatchItem] = []
        direction_answers: list[Answer] = []
        direction_notes: list[Note] = []
        conversations = self.services.conversations.list_for(person_id)
        if conversations or conversation:
            chosen = self.find_conversation(person_id, conversation)
            match_items = self.services.conversations.match_items(chosen.id)
            # The direction: that conversation's answers first, then a few before it.
            earlier = [c for c in conversations if c.held_on <= chosen.held_on
                       and c.id != chosen.id][:DIRECTION_LOOKBACK]
            for c in (chosen, *earlier):
                direction_answers += [a for a in self.services.conversations.answers(c.id)
                                      if a.stage == StageId.FUTURE_ROLES]
            direction_notes = [n for n in self.services.conversations.notes(chosen.id)
                               if n.stage == StageId.FUTURE_ROLES]
        actions = [a for a in self.services.plan.actions_for(person_id)
                   if a.status.is_open or (chosen is not None
                                           and a.conversation_id == chosen.id)]
        return PlanSources(person, chosen, match_items, actions, direction_answers,
                           direction_notes)

    def _supervisor(self, person: Person, chosen: Conversation | None) -> str:
        """Who supports the person: the journal's owner, or (in one's own journal) who else
        was present at the conversation."""
        owner = self._author()
        if not person.is_me:
            return owner
        if chosen is None:
            return ""
        mine = {person.name.casefold(), owner.casefold()}
        others = [p.strip() for p in chosen.present.replace(";", ",").split(",")
                  if p.strip() and p.strip().casefold() not in mine]
        return ", ".join(others)

    def prep_sheet(self, person_id: str) -> data.PrepSheetDoc:
        """The prompts for the next conversation, carried-over ones first, and open steps."""
        person = self.services.people.get(person_id)
        carry = self.services.conversations.carry_over(person_id)
        previous_pack = carry.previous.method_pack if carry.previous else None
        pack = previous_pack if previous_pack in self.content.packs else None
        audience = self._audience(person)
        refs: list[data.PromptRef] = []
        wording: dict[str, str] = {}
        seen: set[str] = set()
        for answer in carry.unasked:  # unfinished prompts carry over, first in their stage
            if answer.stage in PREP_STAGES and answer.prompt_id not in seen:
                refs.append(data.PromptRef(answer.stage, answer.prompt_id))
                seen.add(answer.prompt_id)
        if carry.previous is not None:
            wording.update(self._conversation_wording(person, carry.previous.id))
        for stage in PREP_STAGES:
            # The user's default question list: their order, wording edits and hidden prompts.
            for prompt in self.services.prompts.effective_prompts(stage, method_pack=pack):
                wording[prompt.prompt_id] = prompt.text(audience)
                if not prompt.hidden and prompt.prompt_id not in seen:
                    refs.append(data.PromptRef(stage, prompt.prompt_id))
                    seen.add(prompt.prompt_id)
        order = {stage: i for i, stage in enumerate(STAGE_ORDER)}
        refs.sort(key=lambda r: order[r.stage])  # stable: carried ones stay first
        return data.build_prep_sheet(
            person, prompts=refs, texts=self.texts(person, carry.custom_prompts, wording),
            carried_answers=carry.unasked, open_actions=carry.open_actions,
            conversation_date=person.next_conversation, author=self._author(),
            exported_on=self._today(),
        )

    def conversation_record(self, person_id: str, *, conversation: str | None = None,
                            include_private: bool = False) -> data.ConversationRecordDoc:
        person = self.services.people.get(person_id)
        chosen = self.find_conversation(person_id, conversation)
        parts, customs = self._parts(chosen.id)
        texts = self.texts(person, customs, self._conversation_wording(person, chosen.id))
        return data.build_conversation_record(
            person, parts, texts=texts, include_private=include_private,
            author=self._author(), exported_on=self._today(),
        )

    def person_book(self, person_id: str, *, date_from: dt.date | None = None,
                    date_to: dt.date | None = None, include_private: bool = False,
                    progress: Callable[[float], None] | None = None) -> data.PersonBookDoc:
        """Everything of one person in a date range (for "me", the journal)."""
        if date_from and date_to and date_from > date_to:
            raise InvalidInputError("The start date is after the end date.")
        person = self.services.people.get(person_id)
        conversations = [c for c in self.services.conversations.list_for(person_id)
                         if (date_from is None or c.held_on >= date_from)
                         and (date_to is None or c.held_on <= date_to)]
        parts: list[data.ConversationParts] = []
        customs: list[CustomPrompt] = []
        wording: dict[str, str] = {}
        for i, c in enumerate(conversations):
            p, cs = self._parts(c.id)
            parts.append(p)
            customs += cs
            wording.update(self._conversation_wording(person, c.id))
            if progress is not None:
                progress((i + 1) / max(1, len(conversations)))
        return data.build_person_book(
            person, conversations=parts, actions=self.services.plan.actions_for(person_id),
            entries=self.services.entries.list(person_id, since=date_from, until=date_to),
            texts=self.texts(person, customs, wording), date_from=date_from, date_to=date_to,
            include_private=include_private, author=self._author(), exported_on=self._today(),
        )

    def build(self, kind: ExportKind, person_id: str, *, conversation: str | None = None,
              include_private: bool = False, date_from: dt.date | None = None,
              date_to: dt.date | None = None) -> data.AnyDoc:
        """The document data of one kind of export (what the preview shows)."""
        if kind == "plan":
            return self.shared_plan(person_id, conversation=conversation)
        if kind == "prep":
            return self.prep_sheet(person_id)
        if kind == "record":
            return self.conversation_record(person_id, conversation=conversation,
                                            include_private=include_private)
        if kind == "book":
            return self.person_book(person_id, date_from=date_from, date_to=date_to,
                                    include_private=include_private)
        raise InvalidInputError(f"Unknown export {kind!r}: use plan, prep, record or book.")

    @staticmethod
    def write(doc: data.AnyDoc, out: Path, *, paper: Literal["a4", "letter"] = "a4",
              progress: Callable[[float], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> Path:
        """Renders ``doc`` to ``out`` (complete or not at all). Safe to call off the UI thread."""
        from careerdesk.export.renderer import PdfRenderer

        PdfRenderer(paper=paper).render(doc, out, progress=progress, cancelled=cancelled)
        return out
