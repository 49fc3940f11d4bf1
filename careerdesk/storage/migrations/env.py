"""Alembic environment: always run on a connection handed in by storage.migrate."""

from __future__ import annotations

from alembic import context

from careerdesk.storage.rows import Base
from careerdesk.storage.search_index import PREFIX as SEARCH_PREFIX

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app always hands a connection in
    raise RuntimeError("CareerDesk migrations run through careerdesk.storage.migrate only")


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the search index to storage.search_index: its FTS5 table, shadow tables and
    search_docs are made by SQL (migration 0002), not by the ORM metadata."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_PREFIX))


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    include_name=_include_name,
)
with context.begin_transaction():
    context.run_migrations()
