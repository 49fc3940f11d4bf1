"""Values in the journal's records that CareerDesk cannot read back (issue 22).

SQLite's integrity check proves the file's structure, not its values: a hand edit or another
tool can leave a time that is not a time, a date that is not a date, JSON that does not parse
or a number where text belongs, and ``dump``, ``export`` or the window then fail on it. This
finds such values with read-only SQL, one pass over each table, so ``careerdesk check`` can say
so instead of "no problems found".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Date, Engine, Integer, String, Text
from sqlalchemy.types import JSON

from careerdesk.storage import tables
from careerdesk.storage.tables import UTCDateTime

#: ``YYYY-MM-DDThh:mm:ss.ffffffZ`` with ASCII digits (GLOB classes are byte ranges).
_D = "[0-9]"
_STAMP_GLOB = f"{_D * 4}-{_D * 2}-{_D * 2}T{_D * 2}:{_D * 2}:{_D * 2}.{_D * 6}Z"
_DATE_GLOB = f"{_D * 4}-{_D * 2}-{_D * 2}"


def _bad(column: str, kind: object) -> tuple[str, str] | None:
    """SQL true for a value of ``column`` that cannot be read as ``kind``, and what it is not."""
    q = f'"{column}"'
    present = f"{q} IS NOT NULL"
    if isinstance(kind, UTCDateTime):
        # With a modifier SQLite's strftime normalises (30 February -> 2 March, 24:00 -> the
        # next day; month 13 -> NULL): a real time is one it gives back unchanged. Year 0000 is
        # valid for SQLite, not for Python.
        head = f"substr({q}, 1, 19)"
        return (
            f"{present} AND (typeof({q}) != 'text' OR {q} NOT GLOB '{_STAMP_GLOB}' "
            f"OR strftime('%Y-%m-%dT%H:%M:%S', {head}, '+0 seconds') IS NOT {head} "
            f"OR substr({q}, 1, 4) = '0000')",
            "a real time",
        )
    if isinstance(kind, Date):
        return (
            f"{present} AND (typeof({q}) != 'text' OR {q} NOT GLOB '{_DATE_GLOB}' "
            f"OR date({q}, '+0 days') IS NOT {q} OR substr({q}, 1, 4) = '0000')",
            "a real date",
        )
    if isinstance(kind, JSON):
        return f"{present} AND (typeof({q}) != 'text' OR NOT json_valid({q}))", "JSON"
    if isinstance(kind, Boolean):
        return f"{present} AND {q} NOT IN (0, 1)", "true or false"
    if isinstance(kind, Integer):
        return f"{present} AND typeof({q}) != 'integer'", "a whole number"
    if isinstance(kind, (String, Text)):
        return f"{present} AND typeof({q}) != 'text'", "text"
    return None


def _queries() -> list[tuple[str, list[tuple[str, str]]]]:
    queries: list[tuple[str, list[tuple[str, str]]]] = []
    for table in tables.metadata.sorted_tables:
        checks = [(c.name, *found) for c in table.columns if (found := _bad(c.name, c.type))]
        if not checks:
            continue
        sums = ", ".join(f"coalesce(sum({cond}), 0)" for _, cond, _ in checks)
        queries.append((
            f'SELECT {sums} FROM "{table.name}"',
            [(f"{table.name}.{name}", what) for name, _, what in checks],
        ))
    return queries


def unreadable_values(source: Engine | Any) -> list[str]:
    """One line per column holding values CareerDesk cannot read (empty: none).

    ``source`` is the journal's engine, or a bare DB-API connection (the gate's read-only one,
    which checks a backup before a restore); only SELECTs are run on it.
    """
    if isinstance(source, Engine):
        raw = source.raw_connection()
        try:
            return unreadable_values(raw.driver_connection)
        finally:
            raw.close()
    problems: list[str] = []
    for sql, columns in _queries():
        counts = source.execute(sql).fetchone()
        for (column, what), count in zip(columns, counts, strict=True):
            if count:
                plural = "values that are" if count > 1 else "value that is"
                problems.append(f"{column} holds {count} {plural} not {what}")
    return problems
