"""What every service shares: the journal handle and row <-> domain conversion."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.orm import Session

from careerdesk.errors import InvalidInputError, NotFoundError
from careerdesk.lazy import lazy_import
from careerdesk.storage.journal import Journal

if TYPE_CHECKING:
    from careerdesk.storage import rows as orm
    from careerdesk.storage.rows import Base
else:
    # The ORM classes (``orm.PersonRow``...) load on first use, about 40 ms: the first screen's
    # reads go through careerdesk.storage.tables and never need them.
    orm = lazy_import("careerdesk.storage.rows")

T = TypeVar("T")
R = TypeVar("R", bound="Base")


def _converter(hint: Any) -> Callable[[Any], Any] | None:
    """How to turn a stored value into the field's type; None when it is already right."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(inner) != 1:
            return None
        convert = _converter(inner[0])
        if convert is None:
            return None
        return lambda v: None if v is None else convert(v)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    if origin is tuple:
        return tuple
    if origin is dict:
        return dict
    return None


@cache
def _plan(cls: type[Any]) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls))


def to_domain(row: Any, cls: type[T]) -> T:
    """Build the domain dataclass ``cls`` from a row (an ORM row or a Core result row) with
    the same attribute names."""
    values = {}
    for name, convert in _plan(cls):  # type: ignore[arg-type]  # classes are hashable
        value = getattr(row, name)
        values[name] = value if convert is None or value is None else convert(value)
    return cls(**values)


def plain(value: Any) -> Any:
    """A domain value as stored in a row (enums to their text, tuples to lists)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


class Service:
    """Base of the services: one transaction per public call."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    @staticmethod
    def _get(session: Session, row_cls: type[R], record_id: str, what: str) -> R:
        row = session.get(row_cls, record_id)
        if row is None:
            raise NotFoundError(f"That {what} no longer exists.")
        return row

    @staticmethod
    def _apply(
        row: Base,
        changes: Mapping[str, Any],
        allowed: frozenset[str],
        *,
        checks: Mapping[str, Callable[[Any], Any]] | None = None,
    ) -> None:
        unknown = set(changes) - allowed
        if unknown:
            raise TypeError(f"cannot change {sorted(unknown)}")
        for name, value in changes.items():
            if checks and name in checks:
                value = checks[name](value)
            setattr(row, name, plain(value))

    @staticmethod
    def _restore(session: Session, row_cls: type[R], snapshot: Any) -> R:
        """Put a record back exactly as ``snapshot`` (a domain dataclass from this service)
        holds it: same id, same fields. A record still present is overwritten, so restoring
        twice is harmless. The caller checks that its parents exist."""
        values = {f.name: plain(getattr(snapshot, f.name))
                  for f in dataclasses.fields(snapshot)}
        row = session.get(row_cls, values["id"])
        if row is None:
            row = row_cls(**values)
            session.add(row)
        else:
            for name, value in values.items():
                setattr(row, name, value)
        session.flush()
        return row


def require_text(value: str, what: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise InvalidInputError(f"The {what} cannot be empty.")
    return stripped


def require_date(value: dt.date | None) -> dt.date | None:
    if value is not None and not isinstance(value, dt.date):
        raise InvalidInputError(f"{value!r} is not a date.")
    return value


def parse_date(text: str) -> dt.date:
    """A date typed by the user: ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"{text!r} is not a date; write it as YYYY-MM-DD (for example 2026-03-31)."
        ) from None


__all__ = [
    "Service",
    "orm",
    "parse_date",
    "plain",
    "require_date",
    "require_text",
    "to_domain",
]
