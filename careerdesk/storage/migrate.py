"""Alembic migrations, run on open (after a verified backup) and never at import time.

Alembic is imported only here, and only when the file's schema is not the current one: opening an
up-to-date journal reads the ``alembic_version`` table with plain SQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest revision this code knows. A test checks it against Alembic's own head.
HEAD_REVISION = "0003"
#: Every revision this code knows, oldest first.
KNOWN_REVISIONS = ("0001", "0002", "0003")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def current_revision(connection: Connection) -> str | None:
    """The file's schema revision, or None for an empty (new) database."""
    has_table = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
    ).first()
    if not has_table:
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` inside the caller's connection."""
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
