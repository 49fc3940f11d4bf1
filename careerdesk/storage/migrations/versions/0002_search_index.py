"""Full-text search index: FTS5 over every text, kept in step by triggers, backfilled.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

The statements live in careerdesk.storage.search_index (the same ones rebuild the index when it
is missing or damaged). A later change of the index adds a migration that calls install() again.
"""

from __future__ import annotations

from alembic import op

from careerdesk.storage import search_index

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_index.install(op.execute)


def downgrade() -> None:
    for statement in search_index.drop_statements():
        op.execute(statement)
