"""The open JSON format: the whole journal (or one person) as a documented JSON document.

``dump → load into a new file → dump`` gives a byte-identical document: every record keeps its
id and timestamps, lists are in a fixed order, keys in column order. The schema is
``resources/schema/journal-v1.schema.json``; ``docs/format.md`` describes it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec

from sqlalchemy import Date, insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from careerdesk.assets import resource_path
from careerdesk.errors import DamagedJournalError, InterchangeError
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

if TYPE_CHECKING:
    from careerdesk.storage.journal import Journal

_P = ParamSpec("_P")

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


def _readable(
    dump: Callable[Concatenate[Services, _P], dict[str, Any]],
) -> Callable[Concatenate[Services, _P], dict[str, Any]]:
    """A value in the journal that cannot be read back (a hand edit: a time that is not a time)
    is a damaged journal to the user, said in one line, not an unexpected error."""

    @functools.wraps(dump)
    def reading(services: Services, /, *args: _P.args, **kwargs: _P.kwargs) -> dict[str, Any]:
        try:
            return dump(services, *args, **kwargs)
        except (ValueError, OverflowError, UnicodeError) as exc:
            raise DamagedJournalError(
                f"{services.journal.path.name} holds records CareerDesk cannot read "
                f"({type(exc).__name__}); it was left untouched.",
                hint="careerdesk check names them; restore a backup, or correct them.",
            ) from exc

    return reading


@_readable
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
#: The largest dump ``load`` reads (docs/format.md). A 10-year, 200-person demo journal dumps to
#: well under 100 MB; the cap is checked before a byte is read, so a link to ``/dev/zero`` or a
#: hostile file cannot make CareerDesk grow without bound.
MAX_DUMP_BYTES = 1 << 30
#: How deeply arrays and objects may nest. The format itself needs 8 levels (a template layout
#: inside a setting); anything far deeper is not a CareerDesk dump.
MAX_DEPTH = 64
#: Integers are stored as SQLite INTEGER, a signed 64-bit number.
MIN_INT, MAX_INT = -(1 << 63), (1 << 63) - 1
_READ_CHUNK = 1 << 20
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: ISO 8601 with ASCII digits only: ``\\d`` in a regular expression also matches other scripts'
#: digits (Arabic-Indic, Devanagari...), which dates never use.
_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STAMP_KEYS = frozenset({"created_at", "updated_at"})


class _RefusedError(ValueError):
    """Raised by the JSON parser's hooks: the text is JSON, but not a value CareerDesk keeps."""


@cache
def _validator() -> Any:
    import fastjsonschema

    schema = json.loads(resource_path(*SCHEMA_FILE).read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema)


def validate(document: Any, *, source: str = "the document") -> None:
    """Raise InterchangeError naming what is wrong and where.

    Beyond the schema: nesting depth, integer range, lone surrogates, real dates and timestamps,
    settings the window can use, unique ids and references that resolve.
    """
    import fastjsonschema

    _check_values(document, source)
    try:
        _validator()(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        message = exc.message
        if message.startswith("data."):
            message = message[len("data."):]
        elif message.startswith("data "):
            message = "the top level " + message[len("data "):]
        raise InterchangeError(
            f"{source} does not follow the CareerDesk format: {_short(_one_line(message))}."
        ) from None
    _check_references(document, source)
    _check_settings(document, source)


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."


def _one_line(text: str) -> str:
    """User-supplied text quoted in a message, on one line and printable."""
    return "".join(c if c.isprintable() else " " for c in text)


def _check_values(document: Any, source: str) -> None:
    """Walk every value once (no recursion): depth, integer range, finite numbers, no lone
    surrogates (they cannot be written as UTF-8), keys that are strings."""
    stack: list[tuple[Any, int, str]] = [(document, 1, "the top level")]
    while stack:
        value, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            raise InterchangeError(
                f"{source}: {where} is nested more than {MAX_DEPTH} levels deep; "
                "a CareerDesk dump never is."
            )
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise InterchangeError(f"{source}: {where} has a key that is not text.")
                if _LONE_SURROGATE.search(key):
                    raise InterchangeError(f"{source}: a key in {where} {_SURROGATE_WHY}")
                if isinstance(item, (dict, list)):
                    stack.append((item, depth + 1, f"{where}.{_one_line(key)[:40]}"))
                else:
                    _check_scalar(item, where, key, source)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, (dict, list)):
                    stack.append((item, depth + 1, f"{where}[{i}]"))
                else:
                    _check_scalar(item, where, i, source)
        else:
            _check_scalar(value, where, None, source)


_SURROGATE_WHY = (
    "holds a lone surrogate (half of a character, \\ud800-\\udfff), which is not text; "
    "nothing was loaded."
)


def _label(parent: str, key: str | int | None) -> str:
    """Where a value is, for a message: ``people[0].name``."""
    if key is None:
        return parent
    return f"{parent}[{key}]" if isinstance(key, int) else f"{parent}.{_one_line(key)[:40]}"


def _check_scalar(value: Any, parent: str, key: str | int | None, source: str) -> None:
    # Hot path (every value of a large dump): the label is only built for a message.
    if isinstance(value, str):
        if _LONE_SURROGATE.search(value):
            raise InterchangeError(f"{source}: {_label(parent, key)} {_SURROGATE_WHY}")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not MIN_INT <= value <= MAX_INT:
            raise InterchangeError(
                f"{source}: {_label(parent, key)} is a number beyond what a journal can hold "
                "(64 bits)."
            )
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InterchangeError(f"{source}: {_label(parent, key)} is not a finite number.")
    else:
        raise InterchangeError(f"{source}: {_label(parent, key)} is not a JSON value.")


_DATE_KEYS = frozenset({"held_on", "due", "done_on", "entry_date", "next_conversation"})


def _real_stamp(value: Any) -> bool:
    if not isinstance(value, str) or not _STAMP.fullmatch(value):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _real_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_references(document: dict[str, Any], source: str) -> None:
    seen: set[str] = set()

    def visit(record: dict[str, Any], where: str) -> None:
        for key in _DATE_KEYS.intersection(record):
            value = record[key]
            if value is not None and not _real_date(value):
                raise InterchangeError(
                    f"{source}: {where}.{key} is not a real date ({_one_line(repr(value))[:40]}); "
                    "dates are YYYY-MM-DD."
                )
        for key in _STAMP_KEYS.intersection(record):
            _check_stamp(record[key], f"{where}.{key}", source)
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


def _check_stamp(value: Any, where: str, source: str) -> None:
    if not _real_stamp(value):
        raise InterchangeError(
            f"{source}: {where} is not a real UTC time ({_one_line(repr(value))[:40]}); "
            "times are YYYY-MM-DDThh:mm:ss.ffffffZ."
        )


def _check_settings(document: dict[str, Any], source: str) -> None:
    from careerdesk.services.settings import setting_problem

    keys: set[str] = set()
    for i, setting in enumerate(document["settings"]):
        key = setting["key"]
        if key in keys:
            raise InterchangeError(f"{source}: the setting {_one_line(key)!r} appears twice.")
        keys.add(key)
        _check_stamp(setting["updated_at"], f"settings[{i}].updated_at", source)
        problem = setting_problem(key, setting["value"])
        if problem is not None:
            raise InterchangeError(
                f"{source}: settings[{i}] ({_one_line(key)}) {problem}; nothing was loaded."
            )


def _parse_int(text: str) -> int:
    # Checked on the text: int() of 4,300+ digits raises, and of fewer is slow.
    if len(text.lstrip("-")) > 19 or not MIN_INT <= int(text) <= MAX_INT:
        shown = text if len(text) <= 24 else text[:21] + "..."
        raise _RefusedError(f"the number {shown} is out of range")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _RefusedError(f"the number {text[:24]} is out of range")
    return value


def _parse_constant(text: str) -> Any:
    raise _RefusedError(f"{text} is not a JSON number")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _RefusedError(f"the key {_one_line(twice)[:40]!r} appears twice in one object")
    return document


def parse_json(raw: bytes | bytearray, *, source: str) -> Any:
    """Strict UTF-8 JSON, bounded: integers in 64 bits, finite numbers, unique keys, limited
    depth. Every way it can fail is an :class:`InterchangeError` of one line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InterchangeError(f"{source} is not UTF-8 text (byte {exc.start}).") from None
    try:
        return json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float,
            parse_constant=_parse_constant, object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except _RefusedError as exc:
        raise InterchangeError(f"{source} cannot be loaded: {exc}.") from None
    except RecursionError:
        raise InterchangeError(
            f"{source} is nested too deeply to be a CareerDesk dump (over {MAX_DEPTH} levels)."
        ) from None
    except MemoryError:
        raise InterchangeError(
            f"{source} is too large to load on this computer (not enough memory)."
        ) from None
    except (ValueError, OverflowError) as exc:
        message = _short(_one_line(str(exc)))
        raise InterchangeError(f"{source} cannot be loaded: {message}.") from None


def read_bounded(path: Path, *, limit: int = MAX_DUMP_BYTES) -> bytearray:
    """The bytes of the regular file at ``path``, refused before reading when over ``limit``.

    Links are followed; a FIFO, device, socket or folder is refused at once (opened
    non-blocking, so a FIFO with no writer cannot hang us), and the size is read from the open
    file before its content, then enforced while reading in chunks (a file that grows is cut
    off at the limit).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InterchangeError(f"There is no file at {path}.") from None
    except OSError as exc:
        raise InterchangeError(f"Could not read {path}: {exc.strerror or exc}.") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InterchangeError(f"{path} is a folder; give the JSON file to load.")
        if not stat.S_ISREG(info.st_mode):
            raise InterchangeError(
                f"{path} is not a regular file (a device, pipe or socket); give a JSON file."
            )
        if info.st_size > limit:
            raise InterchangeError(
                f"{path.name} is {info.st_size:,} bytes; CareerDesk loads dumps of at most "
                f"{limit:,} bytes."
            )
        data = bytearray()
        while True:
            chunk = os.read(fd, _READ_CHUNK)
            if not chunk:
                return data
            data += chunk
            if len(data) > limit:
                raise InterchangeError(
                    f"{path.name} grew past {limit:,} bytes while it was read; nothing was loaded."
                )
    except OSError as exc:
        raise InterchangeError(f"Could not read {path}: {exc.strerror or exc}.") from None
    except MemoryError:
        raise InterchangeError(
            f"{path.name} is too large to load on this computer (not enough memory)."
        ) from None
    finally:
        os.close(fd)


def read_json_file(path: Path) -> dict[str, Any]:
    """Read and validate a dump; raises InterchangeError with what is wrong and where."""
    path = Path(path)
    document = parse_json(read_bounded(path), source=path.name)
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


def load_into(
    services: Services, document: dict[str, Any], *, validated: bool = False
) -> int:
    """Fill an empty journal from a validated document, in one transaction. Returns the number
    of records loaded. A non-empty journal is refused and left unchanged; so is a document that
    fails in any way while it is written (the transaction is rolled back whole)."""
    if not validated:  # read_json_file has checked it already
        validate(document)
    try:
        return _load(services, document)
    except IntegrityError as exc:
        raise InterchangeError(
            "The dump contradicts itself (a duplicate id or a broken reference); nothing was "
            "loaded."
        ) from exc
    except (ValueError, OverflowError, UnicodeError, RecursionError, MemoryError) as exc:
        # validate() should have refused whatever reaches here; the transaction is rolled back.
        raise InterchangeError(
            f"The dump holds a value a journal cannot keep ({type(exc).__name__}); nothing was "
            "loaded."
        ) from exc
    except StatementError as exc:  # a bind parameter the driver refused (wrapped by SQLAlchemy)
        raise InterchangeError(
            "The dump holds a value a journal cannot keep; nothing was loaded."
        ) from exc


def _load(services: Services, document: dict[str, Any]) -> int:
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
    return count


Opener = Callable[[Path], "Journal"]


def load_file(source: Path, target: Path, *, opener: Opener) -> int:
    """``careerdesk load``: all or nothing. The dump is read and validated before any journal
    is touched. Into a journal that exists (it must be empty) it loads in one transaction; a
    new journal is built complete in a temporary file beside ``target``, holding ``target``'s
    lock, and moved into place only when the load succeeded, so a refused load leaves no file
    behind. ``opener(path)`` opens (creating if needed) the journal at ``path``."""
    document = read_json_file(source)
    if target.is_symlink() and not target.exists():
        raise InterchangeError(f"{target} is a link to nothing; give the journal file itself.")
    if target.exists():
        with opener(target) as journal:
            return load_into(Services(journal), document, validated=True)
    from careerdesk.storage.durable import fsync_dir, remove_quietly, rename
    from careerdesk.storage.lock import JournalLock

    if not target.parent.is_dir():
        raise InterchangeError(f"The folder {target.parent} does not exist.")
    lock = JournalLock(target, holder="careerdesk load")  # the target's; the temporary has its own
    lock.acquire()
    tmp = target.with_name(f".{target.name}.load-{os.getpid()}")
    leftovers = (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal"))
    try:
        remove_quietly(*leftovers)
        with opener(tmp) as journal:
            count = load_into(Services(journal), document, validated=True)
        if journal.close_problem is not None:
            # The records are in the temporary journal's -wal, which the rename would leave
            # behind: nothing is moved into place (and the leftovers go), so nothing is lost
            # that the user still has (the dump).
            raise journal.close_problem
        if target.exists():  # made by someone else meanwhile: theirs wins
            raise InterchangeError(f"{target} appeared while loading; nothing was loaded.")
        rename(tmp, target)
        fsync_dir(target.parent)
        return count
    finally:
        remove_quietly(*leftovers)
        lock.release()
