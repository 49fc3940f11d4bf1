"""The open JSON format: the whole journal (or one person) as a documented JSON document.

``dump → load into a new file → dump`` gives a byte-identical document: every record keeps its
id and timestamps, lists are in a fixed order, keys in column order. The schema is
``resources/schema/journal-v1.schema.json``; ``docs/format.md`` describes it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Date, select, text
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


def _record(session: Session, row: Any) -> dict[str, Any]:
    out = {c.name: _to_json(getattr(row, c.key), c) for c in _columns(type(row))}
    for child in CHILDREN.get(type(row), ()):
        column = getattr(child.row, child.parent_column)
        children = session.scalars(select(child.row).where(column == row.id)).all()
        out[child.key] = [_record(session, c) for c in _order(list(children))]
    return out


def dump_journal(services: Services, *, person_id: str | None = None) -> dict[str, Any]:
    """The journal (or one person) as a JSON-ready document."""
    with services.journal.reading() as session:
        people_query = select(PersonRow)
        if person_id is not None:
            people_query = people_query.where(PersonRow.id == person_id)
        people = _order(list(session.scalars(people_query).all()))
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
            "templates": [_record(session, t) for t in templates],
            "custom_prompts": [_record(session, c) for c in defaults],
            "people": [_record(session, p) for p in people],
        }


def write_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def save_json(document: dict[str, Any], out: Path) -> None:
    """Write atomically: a temporary file beside ``out``, moved into place when complete."""
    out = Path(out)
    if out.is_dir():
        raise InterchangeError(f"{out} is a folder; give a file name for the JSON dump.")
    if not out.parent.is_dir():
        raise InterchangeError(f"The folder {out.parent} does not exist.")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(write_json(document))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InterchangeError(f"Could not write {out}: {exc.strerror or exc}.") from exc


# -- reading and validating ------------------------------------------------------------------
@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(resource_path(*SCHEMA_FILE).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top level"


def validate(document: Any, *, source: str = "the document") -> None:
    """Raise InterchangeError naming what is wrong and where."""
    import jsonschema

    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    if not errors:
        _check_references(document, source)
        return
    best = jsonschema.exceptions.best_match(errors)
    assert best is not None
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    raise InterchangeError(
        f"{source} does not follow the CareerDesk format at {_where(best.absolute_path)}: "
        f"{_short(best.message)}{more}."
    )


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."


def _check_references(document: dict[str, Any], source: str) -> None:
    seen: set[str] = set()

    def visit(record: dict[str, Any], where: str) -> None:
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


def _insert(session: Session, row_type: type[Base], record: dict[str, Any],
            parent: dict[str, str]) -> int:
    values = {c.key: _from_json(record[c.name], c) for c in _columns(row_type)}
    values.update(parent)
    session.add(row_type(**values))
    count = 1
    for child in CHILDREN.get(row_type, ()):
        for item in record[child.key]:
            count += _insert(session, child.row, item, {child.parent_column: record["id"]})
    return count


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
            for template in document["templates"]:
                count += _insert(session, PromptTemplateRow, template, {})
            for prompt in document["custom_prompts"]:
                count += _insert(session, CustomPromptRow, prompt, {})
            # People, then their children; actions refer to conversations, so flush in order.
            for person in document["people"]:
                count += _insert(session, PersonRow, person, {})
            session.flush()
    except IntegrityError as exc:
        raise InterchangeError(
            "The dump contradicts itself (a duplicate id or a broken reference); nothing was "
            "loaded."
        ) from exc
    return count
