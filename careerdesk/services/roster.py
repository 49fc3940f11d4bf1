"""A roster from a CSV file: ``import people.csv``.

The header row names the columns, in any order: ``name`` (required), and optionally ``role``,
``team``, ``cadence_days`` and ``next_conversation`` (YYYY-MM-DD). The file may be UTF-8 (with
or without a byte-order mark), UTF-16 with a byte-order mark, or in the computer's own
encoding (spreadsheets on Windows write cp1252); commas, semicolons or tabs separate the
fields.
Every row is checked before anything is stored: a bad row is reported by its line number and
nothing is imported. A person already in the journal (same name, ignoring case) is updated with
the values the file gives; everyone else is added. Importing the same file again changes
nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import locale
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from careerdesk.domain.model import new_id
from careerdesk.errors import ExchangeError
from careerdesk.services.base import orm
from careerdesk.services.import_report import ImportReport

if TYPE_CHECKING:
    from careerdesk.services import Services

COLUMNS = ("name", "role", "team", "cadence_days", "next_conversation")
MAX_ROWS = 5000
MAX_FIELD = 200


@dataclass(frozen=True)
class RosterRow:
    """One checked row: ``None`` means the column is absent or the cell empty (keep as is)."""

    line: int
    name: str
    role: str | None = None
    team: str | None = None
    cadence_days: int | None = None
    next_conversation: dt.date | None = None


def decode(data: bytes) -> str:
    """The text of a CSV file in UTF-8 (BOM or not), UTF-16 with BOM, or the local encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExchangeError("The file is not readable UTF-16 text.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in dict.fromkeys((locale.getpreferredencoding(False), "cp1252")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ExchangeError("The file is neither UTF-8 text nor in this computer's encoding.")


def _header_cells(first_line: str) -> tuple[str, list[str]]:
    # The separator the header uses most: comma, semicolon (spreadsheets in many locales) or tab.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    cells = next(csv.reader([first_line], delimiter=delimiter), [])
    return delimiter, [c.strip().strip('"').strip().casefold() for c in cells]


def looks_like_roster(text: str) -> bool:
    """A header row with a ``name`` column."""
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    return "name" in _header_cells(first)[1]


def parse_roster(data: bytes, *, name: str) -> tuple[list[RosterRow], list[str]]:
    """The checked rows of a roster file and notes (ignored columns); one clear line if bad."""
    text = decode(data).lstrip("\ufeff")
    if not text.strip():
        raise ExchangeError(f"{name}: the file is empty; nothing was imported.")
    delimiter, header = _header_cells(text.splitlines()[0])
    if "name" not in header:
        raise ExchangeError(
            f"{name}: the first line must be a header with a \"name\" column "
            "(and optionally role, team, cadence_days, next_conversation); nothing was imported."
        )
    duplicates = {c for c in header if c and header.count(c) > 1}
    if duplicates:
        raise ExchangeError(f"{name}: the column \"{sorted(duplicates)[0]}\" appears twice; "
                            "nothing was imported.")
    notes = [f"ignored column \"{c}\"" for c in header if c and c not in COLUMNS]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader)
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ExchangeError(f"{name}: more than {MAX_ROWS} people; nothing was imported.")
            rows.append(_row(cells, header, line, name, seen))
    except csv.Error as exc:
        raise ExchangeError(
            f"{name} line {reader.line_num}: {exc}; nothing was imported.") from None
    if not rows:
        raise ExchangeError(f"{name}: no people below the header; nothing was imported.")
    return rows, notes


def _row(cells: Sequence[str], header: Sequence[str], line: int, name: str,
         seen: dict[str, int]) -> RosterRow:
    def bad(message: str) -> ExchangeError:
        return ExchangeError(f"{name} line {line}: {message}; nothing was imported.")

    if len(cells) > len(header):
        raise bad(f"{len(cells)} fields but the header has {len(header)} "
                  "(a field with a comma needs quotes)")
    values = {column: cells[i].strip() if i < len(cells) else ""
              for i, column in enumerate(header) if column in COLUMNS}
    for column, value in values.items():
        if len(value) > MAX_FIELD:
            raise bad(f"the {column} is longer than {MAX_FIELD} characters")
        if any(ord(c) < 32 for c in value):
            raise bad(f"the {column} holds control characters")
    person = values.get("name", "")
    if not person:
        raise bad("the name is empty")
    key = person.casefold()
    if key in seen:
        raise bad(f"{person} is already on line {seen[key]}")
    seen[key] = line
    cadence: int | None = None
    if values.get("cadence_days"):
        try:
            cadence = int(values["cadence_days"])
        except ValueError:
            raise bad(f"cadence_days {values['cadence_days']!r} is not a whole number") from None
        if not 1 <= cadence <= 3650:
            raise bad("cadence_days must be between 1 and 3650")
    when: dt.date | None = None
    if values.get("next_conversation"):
        try:
            when = dt.date.fromisoformat(values["next_conversation"])
        except ValueError:
            raise bad(f"next_conversation {values['next_conversation']!r} is not a date "
                      "(use YYYY-MM-DD)") from None
    return RosterRow(line=line, name=person, role=values.get("role") or None,
                     team=values.get("team") or None, cadence_days=cadence,
                     next_conversation=when)


def import_roster(services: Services, rows: Sequence[RosterRow], *,
                  dry_run: bool = False) -> ImportReport:
    """Add or update the people of ``rows`` in one transaction (none on a dry run)."""
    journal = services.journal
    with journal.reading() as session:
        report = _merge(session, rows, write=False)
    if dry_run or not report.changed_anything:
        return report
    with journal.transaction() as session:
        return _merge(session, rows, write=True)


def _merge(session: Session, rows: Sequence[RosterRow], *, write: bool) -> ImportReport:
    people = {p.name.casefold(): p for p in session.scalars(
        select(orm.PersonRow).where(orm.PersonRow.is_me.is_(False)))}
    changes: list[str] = []
    for row in rows:
        given = {"role": row.role, "team": row.team, "cadence_days": row.cadence_days,
                 "next_conversation": row.next_conversation}
        given = {k: v for k, v in given.items() if v is not None}
        existing = people.get(row.name.casefold())
        if existing is None:
            details = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in given.items())
            changes.append(f"new person: {row.name}" + (f" ({details})" if details else ""))
            if write:
                session.add(orm.PersonRow(
                    id=new_id(), name=row.name, role=row.role or "", team=row.team or "",
                    is_me=False, archived=False, cadence_days=row.cadence_days or 90,
                    next_conversation=row.next_conversation))
            continue
        different = {k: v for k, v in given.items() if getattr(existing, k) != v}
        if different:
            changes.append(f"{existing.name}: " + ", ".join(
                f"{k.replace('_', ' ')} {v}" for k, v in different.items()))
            if write:
                for key, value in different.items():
                    setattr(existing, key, value)
    return ImportReport("roster", "the roster", tuple(changes), applied=write)
