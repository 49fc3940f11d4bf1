"""Alembic environment: always run on a connection handed in by storage.migrate."""

from __future__ import annotations

from alembic import context

from careerdesk.storage.rows import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app always hands a connection in
    raise RuntimeError("CareerDesk migrations run through careerdesk.storage.migrate only")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
