"""The open JSON format: the whole journal (or one person) as a documented JSON document.

``dump → load into a new file → dump`` gives a byte-identical document: every record keeps its
id and timestamps, lists are in a fixed order, keys in column order. The schema is
``resources/schema/journal-v1.schema.json``; ``docs/format.md`` describes it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Date, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careerdesk.assets import resource_path
from careerdesk.errors import InterchangeError
from careerdesk.services import Services
from careerdesk.storage.rows import (
    ActionRow,
    AnswerRow,
    Base,
    BehaviourCheckRow,
    ConversationRow,
    CustomPromptRow,
    JournalEntryRow,
    MatchItemRow,
    NoteRow,
    PersonRow,
    PromptTemplateRow,
    PulseValueRow,
    SettingRow,
    UTCDateTime,
)

FORMAT = "careerdesk-journal"
FORMAT_VERSION = 1
SCHEMA_FILE = ("schema", "journal-v1.schema.json")


@dataclass(frozen=True)
class Child:
    key: str
    row: type[Base]
    parent_column: str


#: How rows nest in the document: parent row type -> its child lists.
CHILDREN: dict[type[Base], tuple[Child, ...]] = {
    PersonRow: (
        Child("conversations", ConversationRow, "person_id"),
        Child("actions", ActionRow, "person_id"),
        Child("journal_entries", JournalEntryRow, "person_id"),
    ),
    ConversationRow: (
        Child("answers", AnswerRow, "conversation_id"),
        Child("notes", NoteRow, "conversation_id"),
        Child("match_items", MatchItemRow, "conversation_id"),
        Child("behaviour_checks", BehaviourCheckRow, "conversation_id"),
        Child("pulse_values", PulseValueRow, "conversation_id"),
        Child("custom_prompts", CustomPromptRow, "conversation_id"),
    ),
    PromptTemplateRow: (Child("custom_prompts", CustomPromptRow, "template_id"),),
}
#: Foreign keys that nesting already says, left out of the nested records.
_IMPLIED = {"person_id", "conversation_id", "template_id"}
#: ... except these, which point across the tree and are kept.
_KEPT_REFERENCES: dict[type[Base], set[str]] = {ActionRow: {"conversation_id"}}


def _columns(row_type: type[Base]) -> list[Any]:
    table = row_type.__table__
    keep = _KEPT_REFERENCES.get(row_type, set())
    columns = [c for c in table.columns if c.name not in _IMPLIED or c.name in keep]
    # The id first, so that a reader sees which record it is before its fields.
    return sorted(columns, key=lambda c: c.name != "id")


def _to_json(value: Any, column: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return column.type.process_bind_param(value, None)  # type: ignore[arg-type]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _from_json(value: Any, column: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return column.type.process_result_value(value, None)  # type: ignore[arg-type]
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    return value


def _order(rows: list[Any]) -> list[Any]:
    return sorted(rows, key=lambda r: (r.created_at, r.id))


class _Tree:
    """Every row the dump needs, fetched with one query per table and grouped by parent, so a
    dump of a large journal costs a dozen queries rather than one per conversation."""

    def __init__(self, session: Session, person_ids: list[str] | None) -> None:
        self.children: dict[tuple[type[Base], str], dict[str, list[Any]]] = {}
        conversation_ids: list[str] | None = None
        if person_ids is not None:
            conversation_ids = list(session.scalars(
                select(ConversationRow.id).where(ConversationRow.person_id.in_(person_ids))
            ))
        for parent_type, children in CHILDREN.items():
            for child in children:
                column = getattr(child.row, child.parent_column)
                query = select(child.row).where(column.is_not(None))
                if parent_type is PersonRow and person_ids is not None:
                    query = query.where(column.in_(person_ids))
                elif parent_type is ConversationRow and conversation_ids is not None:
                    query = query.where(column.in_(conversation_ids))
                grouped: dict[str, list[Any]] = {}
                for row in session.scalars(query):
                    grouped.setdefault(getattr(row, child.parent_column), []).append(row)
                self.children[(child.row, child.parent_column)] = grouped

    def record(self, row: Any) -> dict[str, Any]:
        out = {c.name: _to_json(getattr(row, c.key), c) for c in _columns(type(row))}
        for child in CHILDREN.get(type(row), ()):
            rows = self.children[(child.row, child.parent_column)].get(row.id, [])
            out[child.key] = [self.record(c) for c in _order(rows)]
        return out


def dump_journal(services: Services, *, person_id: str | None = None) -> dict[str, Any]:
    """The journal (or one person) as a JSON-ready document."""
    with services.journal.reading() as session:
        people_query = select(PersonRow)
        if person_id is not None:
            people_query = people_query.where(PersonRow.id == person_id)
        people = _order(list(session.scalars(people_query).all()))
        tree = _Tree(session, None if person_id is None else [person_id])
        if person_id is None:
            settings = sorted(session.scalars(select(SettingRow)).all(), key=lambda s: s.key)
            templates = _order(list(session.scalars(select(PromptTemplateRow)).all()))
            defaults = _order(list(session.scalars(
                select(CustomPromptRow).where(
                    CustomPromptRow.conversation_id.is_(None),
                    CustomPromptRow.template_id.is_(None),
                )
            ).all()))
        else:
            settings, templates, defaults = [], [], []
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "scope": "journal" if person_id is None else "person",
            "settings": [
                {"key": s.key, "value": s.value.get("v"),
                 "updated_at": _to_json(s.updated_at, SettingRow.__table__.c.updated_at)}
                for s in settings
            ],
            "templates": [tree.record(t) for t in templates],
            "custom_prompts": [tree.record(c) for c in defaults],
            "people": [tree.record(p) for p in people],
        }


def write_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def save_json(document: dict[str, Any], out: Path) -> None:
    """Write the dump through the one export writer (:func:`careerdesk.export.files.
    write_export`): complete or not at all, and nothing readable left if the process dies."""
    from careerdesk.errors import ExportError
    from careerdesk.export.files import write_export

    out = Path(out)
    if out.is_dir():
        raise InterchangeError(f"{out} is a folder; give a file name for the JSON dump.")
    if not out.parent.is_dir():
        raise InterchangeError(f"The folder {out.parent} does not exist.")
    text = write_json(document)

    def write(temp: Path) -> None:
        with open(temp, "w", encoding="utf-8") as handle:
            handle.write(text)

    try:
        write_export(out, write)
    except ExportError as exc:
        raise InterchangeError(exc.user_message, hint=exc.hint) from exc


# -- reading and validating ------------------------------------------------------------------
@cache
def _validator() -> Any:
    import fastjsonschema

    schema = json.loads(resource_path(*SCHEMA_FILE).read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema)


def validate(document: Any, *, source: str = "the document") -> None:
    """Raise InterchangeError naming what is wrong and where."""
    import fastjsonschema

    try:
        _validator()(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        message = exc.message
        if message.startswith("data."):
            message = message[len("data."):]
        elif message.startswith("data "):
            message = "the top level " + message[len("data "):]
        raise InterchangeError(
            f"{source} does not follow the CareerDesk format: {_short(message)}."
        ) from None
    _check_references(document, source)


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."


_DATE_KEYS = frozenset({"held_on", "due", "done_on", "entry_date", "next_conversation"})


def _check_references(document: dict[str, Any], source: str) -> None:
    seen: set[str] = set()

    def visit(record: dict[str, Any], where: str) -> None:
        for key in _DATE_KEYS.intersection(record):
            value = record[key]
            if value is not None:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise InterchangeError(
                        f"{source}: {where}.{key} is not a real date ({value!r})."
                    ) from None
        record_id = record.get("id")
        if isinstance(record_id, str):
            if record_id in seen:
                raise InterchangeError(f"{source}: the id {record_id} is used twice ({where}).")
            seen.add(record_id)
        for key, value in record.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                for i, item in enumerate(value):
                    visit(item, f"{where}.{key}[{i}]")

    for key in ("templates", "custom_prompts", "people"):
        for i, item in enumerate(document[key]):
            visit(item, f"{key}[{i}]")
    for p, person in enumerate(document["people"]):
        conversations = {c["id"] for c in person["conversations"]}
        for a, action in enumerate(person["actions"]):
            ref = action["conversation_id"]
            if ref is not None and ref not in conversations:
                raise InterchangeError(
                    f"{source}: people[{p}].actions[{a}].conversation_id points to a "
                    "conversation this person does not have."
                )
    if sum(1 for person in document["people"] if person["is_me"]) > 1:
        raise InterchangeError(f"{source}: more than one person is marked as \"me\".")


def read_json_file(path: Path) -> dict[str, Any]:
    """Read and validate a dump; raises InterchangeError with what is wrong and where."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InterchangeError(f"There is no file at {path}.") from None
    except OSError as exc:
        raise InterchangeError(f"Could not read {path}: {exc.strerror or exc}.") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InterchangeError(f"{path.name} is not UTF-8 text (byte {exc.start}).") from None
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    validate(document, source=path.name)
    return dict(document)


# -- loading ---------------------------------------------------------------------------------
def is_empty(session: Session) -> bool:
    for row_type in (PersonRow, PromptTemplateRow, CustomPromptRow):
        if session.scalars(select(row_type.id).limit(1)).first() is not None:
            return False
    return True


def _collect(row_type: type[Base], record: dict[str, Any], parent: dict[str, str],
             rows: dict[type[Base], list[dict[str, Any]]]) -> int:
    values = {c.key: _from_json(record[c.name], c) for c in _columns(row_type)}
    values.update(parent)
    rows.setdefault(row_type, []).append(values)
    count = 1
    for child in CHILDREN.get(row_type, ()):
        for item in record[child.key]:
            count += _collect(child.row, item, {child.parent_column: record["id"]}, rows)
    return count


#: Insert order: parents before children.
_INSERT_ORDER: tuple[type[Base], ...] = (
    PromptTemplateRow, PersonRow, ConversationRow, CustomPromptRow, AnswerRow, NoteRow,
    MatchItemRow, BehaviourCheckRow, PulseValueRow, ActionRow, JournalEntryRow,
)


def load_into(services: Services, document: dict[str, Any]) -> int:
    """Fill an empty journal from a validated document, in one transaction. Returns the number
    of records loaded. A non-empty journal is refused and left unchanged."""
    validate(document)
    try:
        with services.journal.transaction() as session:
            # Actions point at conversations across the tree; check references at commit.
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            if not is_empty(session):
                raise InterchangeError(
                    f"{services.journal.path.name} is not empty; load into a new journal file "
                    "(for example --file new.careerdesk)."
                )
            count = 0
            for setting in document["settings"]:
                session.add(SettingRow(
                    key=setting["key"], value={"v": setting["value"]},
                    updated_at=_from_json(setting["updated_at"], SettingRow.__table__.c.updated_at),
                ))
            rows: dict[type[Base], list[dict[str, Any]]] = {}
            for template in document["templates"]:
                count += _collect(PromptTemplateRow, template, {}, rows)
            for prompt in document["custom_prompts"]:
                count += _collect(CustomPromptRow, prompt, {}, rows)
            for person in document["people"]:
                count += _collect(PersonRow, person, {}, rows)
            # Bulk inserts (executemany), parents first: a large journal loads in seconds.
            for row_type in _INSERT_ORDER:
                batch = rows.get(row_type, [])
                if row_type is CustomPromptRow:
                    for values in batch:
                        values.setdefault("conversation_id", None)
                        values.setdefault("template_id", None)
                if batch:
                    session.execute(insert(row_type), batch)
    except IntegrityError as exc:
        raise InterchangeError(
            "The dump contradicts itself (a duplicate id or a broken reference); nothing was "
            "loaded."
        ) from exc
    return count
