"""Indexes for the roster: conversations by (person, date), actions by (person, status, due).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

The roster's counts (last conversation, open and overdue next steps per person) are then read
from the indexes alone, without visiting the tables. Each replaces the one-column index on
``person_id`` it starts with: that index can do nothing the new one cannot (foreign-key checks
and cascades included), and every write would keep both.
"""

from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_conversations_person_id', table_name='conversations')
    op.create_index(
        'ix_conversations_person_id_held_on', 'conversations', ['person_id', 'held_on']
    )
    op.drop_index('ix_actions_person_id', table_name='actions')
    op.create_index(
        'ix_actions_person_id_status_due', 'actions', ['person_id', 'status', 'due']
    )


def downgrade() -> None:
    op.drop_index('ix_actions_person_id_status_due', table_name='actions')
    op.create_index('ix_actions_person_id', 'actions', ['person_id'])
    op.drop_index('ix_conversations_person_id_held_on', table_name='conversations')
    op.create_index('ix_conversations_person_id', 'conversations', ['person_id'])
