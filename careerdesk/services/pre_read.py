"""The fillable pre-read: a short prep sheet with a form field per answer, and its way back.

:func:`build_pre_read` chooses the 5-8 questions for the next conversation with a person
(:func:`careerdesk.domain.prep.curate`), worded for its reader (the employee who fills it in,
or the supervisor preparing), and passes them through the prep-sheet builder of
:mod:`careerdesk.export.data` (the one privacy rule). ``export/prep_form.py`` draws it with
AcroForm text fields. The PDF carries a hidden, read-only field with a small JSON marker (who
it is for, which prompt each field answers), which is how an import knows a CareerDesk prep
sheet from any other PDF.

:func:`read_prep_form` reads a filled PDF with pypdf (a runtime dependency for this alone,
imported only here) and :func:`import_prep_answers` puts the answers into the upcoming
conversation with that person as their own preparation, marked as coming from them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from careerdesk.domain.model import NoteKind, StageId, new_id
from careerdesk.domain.prep import Candidate, curate
from careerdesk.errors import ExchangeError, InvalidInputError
from careerdesk.services.base import orm
from careerdesk.services.import_report import ImportReport

if TYPE_CHECKING:
    from careerdesk.content import Audience
    from careerdesk.export.data import PrepSheetDoc
    from careerdesk.services import Services

MARKER_FIELD = "careerdesk_prep_sheet"
MARKER_FORMAT = "careerdesk-prep-sheet"
MARKER_VERSION = 1
MAX_ANSWER = 20_000


@dataclass(frozen=True)
class FormQuestion:
    field: str  # the AcroForm field name of its answer
    stage: StageId
    prompt_id: str
    text: str


@dataclass(frozen=True)
class PreReadDoc:
    """What the fillable pre-read prints: the prep-sheet data and its questions."""

    sheet: PrepSheetDoc
    questions: tuple[FormQuestion, ...]
    audience: str  # "employee" (to fill in) or "supervisor" (own preparation)
    person_id: str

    def marker(self) -> str:
        return json.dumps({
            "format": MARKER_FORMAT, "version": MARKER_VERSION, "person_id": self.person_id,
            "person": self.sheet.meta.person.name, "audience": self.audience,
            "exported_on": self.sheet.meta.exported_on.isoformat(),
            "questions": [{"field": q.field, "stage": q.stage.value, "prompt_id": q.prompt_id,
                           "text": q.text} for q in self.questions],
        }, ensure_ascii=True, separators=(",", ":"))  # ASCII: a form field's value is Latin-1


def build_pre_read(services: Services, person_id: str, *, audience: Audience,
                   today: Callable[[], dt.date] = dt.date.today) -> PreReadDoc:
    """The curated, fillable prep sheet for the next conversation with ``person_id``."""
    from careerdesk.export.data import PromptRef, build_prep_sheet
    from careerdesk.services.exporting import PREP_STAGES

    exports = services.exports
    person = services.people.get(person_id)
    carry = services.conversations.carry_over(person_id)
    pack_wanted = carry.previous.method_pack if carry.previous else None
    pack = pack_wanted if pack_wanted in exports.content.packs else None
    wording: dict[str, str] = {}
    if carry.previous is not None:
        for stage in PREP_STAGES:
            for prompt in services.prompts.effective_prompts(
                    stage, conversation_id=carry.previous.id):
                wording[prompt.prompt_id] = prompt.text(audience)
    hidden_last_time = {a.prompt_id for a in carry.unasked if a.hidden}
    candidates = [Candidate(a.stage, a.prompt_id, carried=True) for a in carry.unasked
                  if a.stage in PREP_STAGES and not a.hidden]
    for stage in PREP_STAGES:
        for prompt in services.prompts.effective_prompts(stage, method_pack=pack):
            wording[prompt.prompt_id] = prompt.text(audience)
            if not prompt.hidden and prompt.prompt_id not in hidden_last_time:
                candidates.append(Candidate(stage, prompt.prompt_id))
    chosen = curate(candidates)
    texts = exports.texts(person, carry.custom_prompts, wording)
    sheet = build_prep_sheet(
        person, prompts=[PromptRef(c.stage, c.prompt_id) for c in chosen], texts=texts,
        carried_answers=(), open_actions=carry.open_actions,
        conversation_date=person.next_conversation,
        author=services.settings.owner_name.strip(), exported_on=today(),
    )
    questions = tuple(
        FormQuestion(f"answer_{i + 1}", c.stage, c.prompt_id, texts.prompt(c.prompt_id))
        for i, c in enumerate(chosen))
    return PreReadDoc(sheet=sheet, questions=questions, audience=str(audience.value),
                      person_id=person.id)


# --- the way back ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FilledPreRead:
    """The answers read from a filled pre-read, checked."""

    person_id: str
    person: str
    audience: str
    exported_on: str
    answers: tuple[tuple[FormQuestion, str], ...]  # every question, with its answer ("" if none)


def _not_ours(name: str) -> ExchangeError:
    return ExchangeError(f"{name}: this PDF is not a CareerDesk prep sheet; nothing was changed.")


def read_prep_form(data: bytes, *, name: str) -> FilledPreRead:
    """The answers of a filled CareerDesk prep sheet; any other PDF is refused."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs each oddity of a damaged file as a warning, which would reach the terminal
    # beside our one line: the user gets that one line instead.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        fields = reader.get_fields() or {}
    except (PyPdfError, RecursionError):
        raise ExchangeError(f"{name}: a damaged PDF; nothing was changed.") from None
    except Exception:
        # pypdf raises any built-in error on a malformed file (IndexError, KeyError,
        # struct.error, zlib.error...): to the user, each means "damaged".
        raise ExchangeError(f"{name}: a damaged PDF; nothing was changed.") from None
    finally:
        pypdf_log.setLevel(level)
    marker_field = fields.get(MARKER_FIELD)
    raw = marker_field.get("/V") if marker_field is not None else None
    if not isinstance(raw, str):
        raise _not_ours(name)
    try:
        marker = json.loads(raw)
    except json.JSONDecodeError:
        raise _not_ours(name) from None
    if not isinstance(marker, dict) or marker.get("format") != MARKER_FORMAT:
        raise _not_ours(name)
    if marker.get("version") != MARKER_VERSION:
        raise ExchangeError(f"{name}: a prep sheet from a newer CareerDesk; update to import it.")
    try:
        questions = tuple(_question(q) for q in marker["questions"])
        person_id, person = str(marker["person_id"]), str(marker["person"])
        audience, exported_on = str(marker["audience"]), str(marker["exported_on"])
    except (KeyError, TypeError, ValueError):
        raise ExchangeError(f"{name}: a damaged CareerDesk prep sheet; nothing was "
                            "changed.") from None
    if not 1 <= len(questions) <= 20 or len({q.field for q in questions}) != len(questions):
        raise ExchangeError(f"{name}: a damaged CareerDesk prep sheet; nothing was changed.")
    answers = []
    for question in questions:
        field = fields.get(question.field)
        value = field.get("/V") if field is not None else None
        text = value if isinstance(value, str) else ""
        if len(text) > MAX_ANSWER:
            raise ExchangeError(f"{name}: an answer is longer than {MAX_ANSWER} characters.")
        answers.append((question, text.replace("\r\n", "\n").replace("\r", "\n").strip()))
    return FilledPreRead(person_id, person, audience, exported_on, tuple(answers))


def _question(value: Any) -> FormQuestion:
    if not isinstance(value, dict):
        raise TypeError("question")
    text = str(value["text"])
    if len(text) > 2000:
        raise ValueError("question")
    return FormQuestion(str(value["field"]), StageId(value["stage"]), str(value["prompt_id"]),
                        text)


def _block(filled: FilledPreRead, pairs: Sequence[tuple[FormQuestion, str]]) -> str:
    whose = ("your own prep sheet" if filled.audience == "supervisor"
             else f"{filled.person}'s prep sheet (written by them)")
    lines = [f"From {whose}, sent {filled.exported_on}:"]
    for question, answer in pairs:
        lines += [f"Q: {question.text}", f"A: {answer}"]
    return "\n".join(lines)


def import_prep_answers(services: Services, filled: FilledPreRead, *, person: str | None = None,
                        dry_run: bool = False,
                        today: Callable[[], dt.date] = dt.date.today) -> ImportReport:
    """Put the answers into the upcoming conversation with the person, as their preparation
    (one Prepare-note block per stage, headed with where it came from). Idempotent."""
    if person:
        target = services.people.find(person)
    else:
        known = [p for p in services.people.list(include_archived=True)
                 if p.id == filled.person_id]
        if not known:
            raise InvalidInputError(
                f"This prep sheet was made for {filled.person}, who is not in this journal: "
                "name the person with --person.")
        target = known[0]
    answered = [(q, a) for q, a in filled.answers if a]
    if not answered:
        return ImportReport("prep sheet", target.name, summary=(
            "The prep sheet has no answers filled in; nothing was changed."))
    by_stage: dict[StageId, list[tuple[FormQuestion, str]]] = {}
    for question, answer in answered:
        by_stage.setdefault(question.stage, []).append((question, answer))
    blocks = [(stage, _block(filled, pairs),
               f"{len(pairs)} answer{'s' if len(pairs) != 1 else ''}")
              for stage, pairs in by_stage.items()]
    day = today()
    with services.journal.reading() as session:
        changes = add_preparation(session, target.id, blocks, day, write=False)
    if dry_run or not changes:
        return ImportReport("prep sheet", target.name, tuple(changes))
    with services.journal.transaction() as session:
        changes = add_preparation(session, target.id, blocks, day, write=True)
    return ImportReport("prep sheet", target.name, tuple(changes), applied=True)


def add_preparation(session: Any, person_id: str, blocks: Sequence[tuple[StageId, str, str]],
                    day: dt.date, *, write: bool) -> list[str]:
    """Add each ``(stage, block, what)`` to the person's preparation notes of that stage in
    their upcoming conversation (the soonest one not held yet, else a new one on their next
    conversation date or ``day``). A block already there is not added again. Returns what
    changed (or would change, when not ``write``)."""
    from sqlalchemy import select

    changes: list[str] = []
    if not blocks:
        return changes
    conversation_id = session.scalars(
        select(orm.ConversationRow.id).where(
            orm.ConversationRow.person_id == person_id,
            orm.ConversationRow.completed.is_(False),
            orm.ConversationRow.held_on >= day,
        ).order_by(orm.ConversationRow.held_on, orm.ConversationRow.created_at)).first()
    if conversation_id is None:
        prow = session.get(orm.PersonRow, person_id)
        held_on = prow.next_conversation if prow and prow.next_conversation and (
            prow.next_conversation >= day) else day
        changes.append(f"new upcoming conversation on {held_on.isoformat()}")
        conversation_id = new_id()
        if write:
            session.add(orm.ConversationRow(
                id=conversation_id, person_id=person_id, held_on=held_on, present="",
                purpose="", method_pack="default", current_stage="prepare", completed=False,
                carried_action_ids=[]))
            session.flush()
    for stage, block, what in blocks:
        row = session.scalars(select(orm.NoteRow).where(
            orm.NoteRow.conversation_id == conversation_id,
            orm.NoteRow.stage == stage.value,
            orm.NoteRow.kind == NoteKind.PREPARATION.value)).first()
        if row is not None and block in row.text:
            continue
        changes.append(f"preparation ({stage.value.replace('_', ' ')}): {what}")
        if not write:
            continue
        if row is None:
            session.add(orm.NoteRow(id=new_id(), conversation_id=conversation_id,
                                    stage=stage.value, kind=NoteKind.PREPARATION.value,
                                    text=block, private=True))
        else:
            row.text = f"{row.text.rstrip()}\n\n{block}" if row.text.strip() else block
    return changes
