"""Plan and progress files (``.careerplan``): what passes between two CareerDesks, with no server.

A supervisor sends the agreed plan as a plan file; the employee imports it into their own
journal (the steps keep their ids); the employee sends progress back, and the supervisor's
import applies it to the same steps by id. The format is documented JSON
(``resources/schema/careerplan-v1.schema.json``, ``docs/format.md``).

What a plan file holds is decided by :func:`careerdesk.export.data.shareable_plan_records`, the
same rule as the shared-plan PDF, so no private text can reach it. A progress file holds only
steps that came in through a plan file, and never one the employee marked private.

Every import is checked completely before the journal is touched, previews what it will change
(``dry_run``), changes nothing when there is nothing new (the same file twice), and reports a
step changed on both sides as a conflict: shown, and left as it is here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from careerdesk.domain.model import Action, UsageMode, new_id
from careerdesk.errors import ExchangeError, InvalidInputError
from careerdesk.services.base import orm, to_domain
from careerdesk.services.import_report import ImportReport

if TYPE_CHECKING:
    from careerdesk.content.templates import TemplateFile
    from careerdesk.services import Services

PLAN_FORMAT = "careerdesk-plan"
PROGRESS_FORMAT = "careerdesk-progress"
FORMAT_VERSION = 1
SUFFIX = ".careerplan"
SCHEMA_FILE = ("schema", "careerplan-v1.schema.json")
#: A plan of a thousand long steps is well under this; anything bigger is not ours.
MAX_FILE_BYTES = 4 * 1024 * 1024

#: Settings keys (in the journal, so they travel with it).
IMPORTED_PLANS_KEY = "exchange.imported_plans"  # employee: each plan as last imported
STEP_COMMENTS_KEY = "exchange.step_comments"  # employee: shared comment per step id

#: The fields of a step a plan file carries, and how they are stored.
STEP_FIELDS = ("text", "kind", "owner", "due", "status", "done_on", "support", "horizon")


# --- reading and checking a .careerplan file ---------------------------------------------------


def _validator() -> Callable[[Any], Any]:
    import fastjsonschema

    from careerdesk.assets import resource_path

    schema = json.loads(resource_path(*SCHEMA_FILE).read_text(encoding="utf-8"))
    validate: Callable[[Any], Any] = fastjsonschema.compile(schema)
    return validate


def _where(path: str) -> str:
    return path.replace("data.", "", 1).replace("data", "the file", 1) or "the file"


def read_bytes_limited(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file to import; refuses a missing, unreadable or oversized file."""
    name = Path(path).name
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise ExchangeError(f"{name}: there is no such file.") from None
    except IsADirectoryError:
        raise ExchangeError(f"{name}: is a folder, not a file.") from None
    except OSError as exc:
        raise ExchangeError(f"{name}: cannot be read ({exc.strerror or exc}).") from None
    if len(data) > limit:
        raise ExchangeError(
            f"{name}: too large for a CareerDesk file ({limit // 1024} KB at most).")
    return data


def parse_careerplan(data: bytes, *, name: str) -> dict[str, Any]:
    """A plan or progress document, fully checked; :class:`ExchangeError` (one line) if not."""
    import fastjsonschema

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ExchangeError(f"{name}: not a CareerDesk plan file (not UTF-8 text).") from None
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            f"{name}: not a CareerDesk plan file (damaged JSON at line {exc.lineno})."
        ) from None
    except RecursionError:
        raise ExchangeError(f"{name}: not a CareerDesk plan file (nested too deeply).") from None
    if not isinstance(document, dict) or document.get("format") not in (
            PLAN_FORMAT, PROGRESS_FORMAT):
        raise ExchangeError(f"{name}: not a CareerDesk plan or progress file.")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > 1:
            raise ExchangeError(
                f"{name}: made by a newer CareerDesk (format version {version}); "
                "update CareerDesk to import it."
            )
        raise ExchangeError(f"{name}: unknown format version {str(version)[:20]!r}.")
    try:
        _validator()(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        message = exc.message.replace(exc.name, _where(exc.name), 1) if exc.name else exc.message
        raise ExchangeError(f"{name}: damaged or not a CareerDesk file: {message[:200]}.") from None
    _check_semantics(document, name)
    return document


def _date_or_none(text: str | None, name: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ExchangeError(f"{name}: {text!r} is not a real date.") from None


def _check_semantics(document: Mapping[str, Any], name: str) -> None:
    """What a schema cannot say: dates are real, ids are unique."""
    def unique(ids: Sequence[str], what: str) -> None:
        seen: set[str] = set()
        for record_id in ids:
            if record_id in seen:
                raise ExchangeError(f"{name}: the {what} id {record_id!r} appears twice.")
            seen.add(record_id)

    if document["format"] == PLAN_FORMAT:
        unique([s["id"] for s in document["steps"]], "step")
        unique([m["id"] for m in document["match"]], "match item")
        for step in document["steps"]:
            _date_or_none(step["due"], name)
            _date_or_none(step["done_on"], name)
        _date_or_none(document["next_conversation"], name)
        if document["conversation"] is not None:
            _date_or_none(document["conversation"]["date"], name)
    else:
        unique([s["id"] for p in document["plans"] for s in p["steps"]], "step")
        for plan in document["plans"]:
            for step in plan["steps"]:
                _date_or_none(step["done_on"], name)
    try:
        dt.datetime.fromisoformat(document["exported_at"])
    except ValueError:
        raise ExchangeError(f"{name}: the export time is not a real time.") from None


def read_careerplan(path: Path) -> dict[str, Any]:
    """Read and check a ``.careerplan`` file (plan or progress)."""
    return parse_careerplan(read_bytes_limited(path), name=Path(path).name)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _now_text(now: dt.datetime | None = None) -> str:
    moment = now or dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _moment(text: object) -> dt.datetime:
    """An export time for comparing (a missing or odd one counts as the earliest)."""
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_file(out: Path, data: bytes) -> None:
    """Write a file for the user (plan, progress, calendar, template) completely or not at
    all, through the project's atomic export writer."""
    from careerdesk.export.files import write_atomically

    def write(temp: Path) -> None:
        temp.write_bytes(data)

    write_atomically(Path(out), write)


def write_document(document: Mapping[str, Any], out: Path) -> None:
    """Write a plan or progress file completely or not at all."""
    write_file(out, dumps(document).encode("utf-8"))


# --- the exchange -------------------------------------------------------------------------------


def _row_fields(row: Any) -> dict[str, Any]:
    return {
        "text": row.text, "kind": row.kind, "owner": row.owner, "due": _iso(row.due),
        "status": row.status, "done_on": _iso(row.done_on), "support": row.support,
        "horizon": row.horizon,
    }


def _fingerprint(value: Any) -> str:
    """A value of a step as the base of a later merge keeps it: a hash, never the text, so a
    step deleted here leaves none of its words in the journal's settings."""
    import hashlib

    data = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:32]


def _base_of(fields: Mapping[str, Any]) -> dict[str, Any]:
    """What is kept of a step as imported: its status (the progress file reports it back)
    and a fingerprint of each field (enough to tell what changed on which side)."""
    return {"status": fields["status"],
            "fields": {name: _fingerprint(fields[name]) for name in STEP_FIELDS}}


def _stored(name: str, value: Any) -> Any:
    return dt.date.fromisoformat(value) if name in ("due", "done_on") and value else value


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


DEFAULT_LIST_TEMPLATE = "My question list"


def export_template_file(services: Services, template_id: str | None, out: Path) -> None:
    """Write a saved question template (or, with ``template_id=None``, the default question
    list as it is now: order, hidden prompts, wording edits, own prompts) to ``out`` (.json or
    .toml), completely or not at all.

    The template writer (``content/templates.py``) chooses JSON or TOML by the suffix, so it
    writes into a private temporary folder first; the bytes then go through the atomic writer.
    """
    import tempfile

    from careerdesk.content.templates import write_template_file

    suffix = Path(out).suffix.lower()
    if suffix not in (".json", ".toml"):
        raise InvalidInputError(f"{Path(out).name}: a template file must end in .json or .toml.")
    with tempfile.TemporaryDirectory(prefix="careerdesk-template-") as folder:
        staged = Path(folder) / f"template{suffix}"
        if template_id is None:
            write_template_file(staged, default_list_template(services))
        else:
            services.prompts.export_template(template_id, staged)
        data = staged.read_bytes()
    write_file(out, data)


def default_list_template(services: Services) -> TemplateFile:
    """The user's default question list as a template (read only: nothing is saved)."""
    from careerdesk.content.model import CONTENT_STAGES, DEFAULT_PACK
    from careerdesk.content.templates import TemplateCustomPrompt, TemplateFile
    from careerdesk.domain.model import CUSTOM_PREFIX

    layout: dict[str, list[dict[str, object]]] = {}
    wording: dict[str, str] = {}
    customs: list[TemplateCustomPrompt] = []
    for stage in CONTENT_STAGES:
        entries: list[dict[str, object]] = []
        for prompt in services.prompts.effective_prompts(stage):
            if not prompt.available:
                continue
            if prompt.is_custom:
                customs.append(TemplateCustomPrompt(
                    prompt.prompt_id.removeprefix(CUSTOM_PREFIX), stage, prompt.supervisor,
                    prompt.hint))
            elif prompt.edited:
                wording[prompt.prompt_id] = prompt.supervisor
            entries.append({"prompt_id": prompt.prompt_id, "hidden": prompt.hidden})
        layout[stage.value] = entries
    name = services.settings.owner_name.strip()
    return TemplateFile(name=f"{name}'s question list" if name else DEFAULT_LIST_TEMPLATE,
                        method_pack=DEFAULT_PACK, layout=layout, wording=wording,
                        custom_prompts=tuple(customs))


class ExchangeService:
    """Plan and progress files for one open journal (one transaction per import)."""

    def __init__(self, services: Services, *,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.services = services
        self._now = now

    @property
    def journal(self) -> Any:
        return self.services.journal

    # -- the plan file ---------------------------------------------------------------------

    def plan_document(self, person_id: str, *, conversation: str | None = None) -> (
            tuple[dict[str, Any], list[str]]):
        """The plan file of one person, and what was left out (counts, for the user)."""
        from careerdesk.export.data import shareable_plan_records

        exports = self.services.exports
        sources = exports.shared_plan_sources(person_id, conversation=conversation)
        person, chosen = sources.person, sources.conversation
        items, steps, left_out = shareable_plan_records(sources.match_items, sources.actions)
        document: dict[str, Any] = {
            "format": PLAN_FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": _now_text(self._now()),
            "person": {"id": person.id, "name": person.name, "role": person.role,
                       "team": person.team},
            "supervisor": {"name": self.services.settings.owner_name.strip()},
            "conversation": None if chosen is None else {
                "id": chosen.id, "date": chosen.held_on.isoformat()},
            "match": [{"id": m.id, "text": m.text, "skills": m.in_skills,
                       "interests": m.in_interests, "business": m.in_business} for m in items],
            "steps": [{"id": a.id, "text": a.text, "kind": a.kind.value, "owner": a.owner.value,
                       "due": _iso(a.due), "status": a.status.value, "done_on": _iso(a.done_on),
                       "support": a.support, "horizon": a.horizon.value} for a in steps],
            "next_conversation": _iso(self.services.people.next_conversation(person.id)),
        }
        return document, [f"{item.count} {item.label}" for item in left_out]

    def import_plan(self, document: Mapping[str, Any], *, person: str | None = None,
                    dry_run: bool = False) -> ImportReport:
        """Bring a plan into this journal: to ``person``, or "me" (made if the journal has
        nobody yet). The same file twice changes nothing; a newer one updates its steps by id."""
        if document.get("format") != PLAN_FORMAT:
            raise ExchangeError("That is not a plan file.")
        target_id, create_me = self._plan_target(person)
        with self.journal.reading() as session:
            report = self._merge_plan(session, document, target_id, create_me, write=False)
        if dry_run or not report.changed_anything:
            return report
        with self.journal.transaction() as session:
            return self._merge_plan(session, document, target_id, create_me, write=True)

    def _plan_target(self, person: str | None) -> tuple[str | None, bool]:
        if person:
            return self.services.people.find(person).id, False
        me = self.services.people.me()
        if me is not None:
            return me.id, False
        if self.services.people.list(include_archived=True):
            raise InvalidInputError(
                "This journal has no \"me\" to receive the plan: name the person with --person."
            )
        return None, True

    def _merge_plan(self, session: Session, document: Mapping[str, Any], target_id: str | None,
                    create_me: bool, *, write: bool) -> ImportReport:
        sender = document["supervisor"]["name"] or "your supervisor"
        plan_key = document["person"]["id"]
        changes: list[str] = []
        conflicts: list[str] = []
        if create_me:
            target_id = new_id()
            changes.append(f"new journal owner \"me\": {document['person']['name']}")
            if write:
                session.add(orm.PersonRow(
                    id=target_id, name=document["person"]["name"],
                    role=document["person"].get("role", ""),
                    team=document["person"].get("team", ""), is_me=True, archived=False,
                    cadence_days=90, next_conversation=None))
                self._set_default(session, "usage_mode", UsageMode.OWN.value)
                self._set_default(session, "owner_name", document["person"]["name"])
                session.flush()
        assert target_id is not None
        target = session.get(orm.PersonRow, target_id)
        target_name = document["person"]["name"] if target is None else target.name
        imported = dict(self._setting(session, IMPORTED_PLANS_KEY))
        previous = imported.get(plan_key)
        if isinstance(previous, dict) and _moment(previous.get("exported_at")) > _moment(
                document["exported_at"]):
            return ImportReport("plan", target_name, summary=(
                f"This plan file is older ({document['exported_at']}) than the plan from "
                f"{sender} already imported ({previous['exported_at']}); nothing was changed."))
        base_steps: dict[str, dict[str, Any]] = (
            dict(previous.get("steps", {})) if isinstance(previous, dict) else {})

        conversation_id: str | None = None
        conv = document["conversation"]
        if conv is not None:
            conversation_id = conv["id"]
            row = session.get(orm.ConversationRow, conversation_id)
            if row is not None and row.person_id != target_id:
                raise ExchangeError(
                    "This plan's conversation is already in this journal for someone else; "
                    "nothing was changed.")
            if row is None:
                changes.append(f"conversation of {conv['date']} with {sender}")
                if write:
                    session.add(orm.ConversationRow(
                        id=conversation_id, person_id=target_id,
                        held_on=dt.date.fromisoformat(conv["date"]),
                        present=sender if document["supervisor"]["name"] else "",
                        purpose=f"Career conversation with {sender} (imported plan)",
                        method_pack="default", current_stage="summary", completed=True,
                        carried_action_ids=[]))
                    session.flush()
            for position, item in enumerate(document["match"]):
                mrow = session.get(orm.MatchItemRow, item["id"])
                if mrow is not None and mrow.conversation_id != conversation_id:
                    raise ExchangeError(
                        "A match item of this plan belongs to another conversation here; "
                        "nothing was changed.")
                wanted = (item["text"], item["skills"], item["interests"], item["business"])
                if mrow is None:
                    changes.append(f"match item: {_short(item['text'])}")
                    if write:
                        session.add(orm.MatchItemRow(
                            id=item["id"], conversation_id=conversation_id, text=item["text"],
                            in_skills=item["skills"], in_interests=item["interests"],
                            in_business=item["business"], private=False, position=position))
                elif (mrow.text, mrow.in_skills, mrow.in_interests, mrow.in_business) != wanted:
                    changes.append(f"match item updated: {_short(item['text'])}")
                    if write:
                        (mrow.text, mrow.in_skills, mrow.in_interests, mrow.in_business) = wanted

        new_base: dict[str, dict[str, Any]] = dict(base_steps)
        for position, step in enumerate(document["steps"]):
            incoming = {name: step[name] for name in STEP_FIELDS}
            arow = session.get(orm.ActionRow, step["id"])
            if arow is not None and arow.person_id != target_id:
                raise ExchangeError(
                    "A step of this plan belongs to someone else in this journal; "
                    "nothing was changed.")
            if arow is None:
                changes.append(f"new step: {_short(step['text'])}"
                               + (f" (due {step['due']})" if step["due"] else ""))
                new_base[step["id"]] = _base_of(incoming)
                if write:
                    in_conversation = conversation_id is not None and session.get(
                        orm.ConversationRow, conversation_id) is not None
                    session.add(orm.ActionRow(
                        id=step["id"], person_id=target_id,
                        conversation_id=conversation_id if in_conversation else None,
                        private=False, position=position,
                        **{name: _stored(name, value) for name, value in incoming.items()}))
                continue
            local = _row_fields(arow)
            base = base_steps.get(step["id"]) or _base_of(local)
            was_prints = base.get("fields", {}) if isinstance(base, dict) else {}
            updated: list[str] = []
            for name in STEP_FIELDS:
                theirs, mine = incoming[name], local[name]
                was = was_prints.get(name, _fingerprint(mine))
                if theirs == mine or _fingerprint(theirs) == was:
                    continue  # nothing new, or only changed here: keep ours
                if _fingerprint(mine) == was:
                    updated.append(f"{name.replace('_', ' ')} {mine or '-'} → {theirs or '-'}")
                    if write:
                        setattr(arow, name, _stored(name, theirs))
                else:
                    conflicts.append(
                        f"step \"{_short(step['text'])}\": {name.replace('_', ' ')} is "
                        f"{mine or '-'} here and {theirs or '-'} in the plan")
            if updated:
                changes.append(f"step \"{_short(step['text'])}\": " + ", ".join(updated))
            new_base[step["id"]] = _base_of(incoming)
        next_day = document["next_conversation"]
        if next_day is not None and target is not None and target.next_conversation != (
                dt.date.fromisoformat(next_day)):
            changes.append(f"next conversation: {next_day}")
            if write:
                target.next_conversation = dt.date.fromisoformat(next_day)
        elif next_day is not None and create_me:
            changes.append(f"next conversation: {next_day}")
            if write:
                me_row = session.get(orm.PersonRow, target_id)
                assert me_row is not None
                me_row.next_conversation = dt.date.fromisoformat(next_day)
        if write and changes:
            imported[plan_key] = {
                "person": dict(document["person"]), "supervisor": document["supervisor"]["name"],
                "target_id": target_id, "exported_at": document["exported_at"],
                "steps": new_base,
            }
            self._put_setting(session, IMPORTED_PLANS_KEY, imported)
        return ImportReport("plan", target_name, tuple(changes), tuple(conflicts), applied=write)

    # -- progress ----------------------------------------------------------------------------

    def set_step_comment(self, action_id: str, comment: str) -> None:
        """The employee's comment on a step, shared in the progress file ("" removes it)."""
        self.services.plan.get(action_id)  # refuses an unknown step
        with self.journal.transaction() as session:
            comments = self._setting(session, STEP_COMMENTS_KEY)
            if comment.strip():
                comments[action_id] = comment.strip()[:4000]
            else:
                comments.pop(action_id, None)
            # Comments on steps deleted since go too: no words of a deleted step stay behind.
            for step_id in [k for k in comments if session.get(orm.ActionRow, k) is None]:
                del comments[step_id]
            self._put_setting(session, STEP_COMMENTS_KEY, comments)

    def step_comments(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in
                (self.services.settings.get(STEP_COMMENTS_KEY, {}) or {}).items()}

    def progress_steps(self) -> list[tuple[Action, str]]:
        """The steps a progress file would carry (imported, still here, not private), each with
        its shared comment: what File ▸ Send Progress… lets the employee comment on."""
        imported = self.services.settings.get(IMPORTED_PLANS_KEY, {}) or {}
        comments = self.step_comments()
        wanted = [step_id for record in imported.values() for step_id in record.get("steps", {})]
        found: list[tuple[Action, str]] = []
        with self.journal.reading() as session:
            for step_id in dict.fromkeys(wanted):
                row = session.get(orm.ActionRow, step_id)
                if row is not None and not row.private:
                    found.append((to_domain(row, Action), comments.get(step_id, "")))
        return found

    def progress_document(self) -> dict[str, Any]:
        """Status, done date and shared comment of each step of the plans imported here."""
        imported = self.services.settings.get(IMPORTED_PLANS_KEY, {}) or {}
        if not imported:
            raise InvalidInputError(
                "No plan was imported into this journal yet, so there is no progress to send.")
        comments = self.step_comments()
        me = self.services.people.me()
        plans: list[dict[str, Any]] = []
        with self.journal.reading() as session:
            for record in imported.values():
                steps = []
                for step_id, sent in record.get("steps", {}).items():
                    row = session.get(orm.ActionRow, step_id)
                    if row is None or row.private:
                        continue  # deleted here, or made private: not shared
                    steps.append({"id": step_id, "status": row.status,
                                  "done_on": _iso(row.done_on),
                                  "comment": comments.get(step_id, ""),
                                  "sent_status": str(sent.get("status", "open"))})
                plans.append({"person": dict(record["person"]),
                              "supervisor": str(record.get("supervisor", "")), "steps": steps})
        return {
            "format": PROGRESS_FORMAT, "format_version": FORMAT_VERSION,
            "exported_at": _now_text(self._now()),
            "from": {"name": me.name if me else self.services.settings.owner_name},
            "plans": plans,
        }

    def import_progress(self, document: Mapping[str, Any], *, person: str | None = None,
                        dry_run: bool = False) -> ImportReport:
        """Apply an employee's progress to their steps here, by id; conflicts are shown."""
        if document.get("format") != PROGRESS_FORMAT:
            raise ExchangeError("That is not a progress file.")
        forced = self.services.people.find(person).id if person else None
        with self.journal.reading() as session:
            report = self._merge_progress(session, document, forced, write=False)
        if dry_run or not report.changed_anything:
            return report
        with self.journal.transaction() as session:
            return self._merge_progress(session, document, forced, write=True)

    def _merge_progress(self, session: Session, document: Mapping[str, Any],
                        forced: str | None, *, write: bool) -> ImportReport:
        changes: list[str] = []
        conflicts: list[str] = []
        notes: list[str] = []
        from careerdesk.domain.model import StageId
        from careerdesk.services.pre_read import add_preparation

        sender = document["from"]["name"] or "the employee"
        day = self._now().date()
        targets: list[str] = []
        for plan in document["plans"]:
            person_id = forced or plan["person"]["id"]
            prow = session.get(orm.PersonRow, person_id)
            if prow is None:
                notes.append(f"skipped: {plan['person']['name']} is not in this journal "
                             "(name them with --person)")
                continue
            targets.append(prow.name)
            comments: list[str] = []
            for step in plan["steps"]:
                row = session.get(orm.ActionRow, step["id"])
                if row is None or row.person_id != person_id:
                    notes.append("skipped: a step that is no longer in this journal")
                    continue
                label = f"step \"{_short(row.text)}\""
                theirs, mine, sent = step["status"], row.status, step["sent_status"]
                if theirs != mine:
                    if mine == sent:
                        changes.append(f"{label}: {mine} → {theirs}"
                                       + (f" on {step['done_on']}" if step["done_on"] else ""))
                        if write:
                            row.status = theirs
                            row.done_on = _stored("done_on", step["done_on"])
                    else:
                        conflicts.append(f"{label}: {mine} here, {theirs} for {sender}")
                comment = step["comment"].strip()
                if comment:
                    comments.append(f"{row.text}: {comment}")
            if comments:
                # The comments are the employee's own words for the next conversation: they go
                # into its preparation, marked as theirs (and so go when the person is deleted).
                block = "\n".join([f"From {sender}'s progress file (written by them):"]
                                   + [f"- {line}" for line in comments])
                what = f"{len(comments)} comment{'s' if len(comments) != 1 else ''} from {sender}"
                changes += add_preparation(session, person_id, [(StageId.PREPARE, block, what)],
                                           day, write=write)
        target = ", ".join(targets) or "this journal"
        return ImportReport("progress", target, tuple(changes), tuple(conflicts),
                            applied=write, notes=tuple(dict.fromkeys(notes)))

    # -- settings inside a transaction ----------------------------------------------------------

    @staticmethod
    def _setting(session: Session, key: str) -> dict[str, Any]:
        row = session.get(orm.SettingRow, key)
        value = None if row is None else row.value.get("v")
        return dict(value) if isinstance(value, dict) else {}

    @staticmethod
    def _put_setting(session: Session, key: str, value: Any) -> None:
        row = session.get(orm.SettingRow, key)
        if row is None:
            session.add(orm.SettingRow(key=key, value={"v": value}))
        else:
            row.value = {"v": value}

    @staticmethod
    def _set_default(session: Session, key: str, value: Any) -> None:
        if session.get(orm.SettingRow, key) is None:
            session.add(orm.SettingRow(key=key, value={"v": value}))


__all__ = [
    "FORMAT_VERSION",
    "PLAN_FORMAT",
    "PROGRESS_FORMAT",
    "ExchangeService",
    "ImportReport",
    "parse_careerplan",
    "read_careerplan",
    "write_document",
    "write_file",
]
