"""Initial schema: people, conversations and everything kept about them.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('people',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('team', sa.Text(), nullable=False),
    sa.Column('is_me', sa.Boolean(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('cadence_days', sa.Integer(), nullable=False),
    sa.Column('next_conversation', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.CheckConstraint('cadence_days > 0', name=op.f('ck_people_cadence_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index('uq_people_one_me', ['is_me'], unique=True, sqlite_where=sa.text('is_me = 1'))

    op.create_table('prompt_templates',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('method_pack', sa.String(length=64), nullable=False),
    sa.Column('layout', sa.JSON(), nullable=False),
    sa.Column('wording', sa.JSON(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prompt_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_prompt_templates_name'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('conversations',
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('present', sa.Text(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('method_pack', sa.String(length=64), nullable=False),
    sa.Column('current_stage', sa.String(length=32), nullable=False),
    sa.Column('completed', sa.Boolean(), nullable=False),
    sa.Column('carried_action_ids', sa.JSON(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_conversations_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversations_person_id'), ['person_id'], unique=False)

    op.create_table('journal_entries',
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('prompt_id', sa.String(length=120), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_journal_entries_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_entries'))
    )
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_entries_entry_date'), ['entry_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_entries_person_id'), ['person_id'], unique=False)

    op.create_table('actions',
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=32), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('support', sa.Text(), nullable=False),
    sa.Column('horizon', sa.String(length=32), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_actions_conversation_id_conversations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_actions_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions'))
    )
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actions_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_person_id'), ['person_id'], unique=False)

    op.create_table('answers',
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('prompt_id', sa.String(length=120), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('asked', sa.Boolean(), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_answers_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('conversation_id', 'prompt_id', name=op.f('uq_answers_conversation_id'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('behaviour_checks',
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=120), nullable=False),
    sa.Column('checked', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_behaviour_checks_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_behaviour_checks')),
    sa.UniqueConstraint('conversation_id', 'item_id', name=op.f('uq_behaviour_checks_conversation_id'))
    )
    with op.batch_alter_table('behaviour_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_behaviour_checks_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('custom_prompts',
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('hint', sa.Text(), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=True),
    sa.Column('template_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_custom_prompts_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['template_id'], ['prompt_templates.id'], name=op.f('fk_custom_prompts_template_id_prompt_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_prompts'))
    )
    with op.batch_alter_table('custom_prompts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_custom_prompts_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_custom_prompts_template_id'), ['template_id'], unique=False)

    op.create_table('match_items',
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('in_skills', sa.Boolean(), nullable=False),
    sa.Column('in_interests', sa.Boolean(), nullable=False),
    sa.Column('in_business', sa.Boolean(), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_match_items_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_items'))
    )
    with op.batch_alter_table('match_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_items_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('notes',
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_notes_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('pulse_values',
    sa.Column('conversation_id', sa.String(length=36), nullable=False),
    sa.Column('dimension_id', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.CheckConstraint('value BETWEEN 1 AND 5', name=op.f('ck_pulse_values_value_range')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_pulse_values_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_values')),
    sa.UniqueConstraint('conversation_id', 'dimension_id', name=op.f('uq_pulse_values_conversation_id'))
    )
    with op.batch_alter_table('pulse_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_values_conversation_id'), ['conversation_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('pulse_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_values_conversation_id'))

    op.drop_table('pulse_values')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_conversation_id'))

    op.drop_table('notes')
    with op.batch_alter_table('match_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_items_conversation_id'))

    op.drop_table('match_items')
    with op.batch_alter_table('custom_prompts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_custom_prompts_template_id'))
        batch_op.drop_index(batch_op.f('ix_custom_prompts_conversation_id'))

    op.drop_table('custom_prompts')
    with op.batch_alter_table('behaviour_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_behaviour_checks_conversation_id'))

    op.drop_table('behaviour_checks')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_conversation_id'))

    op.drop_table('answers')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actions_person_id'))
        batch_op.drop_index(batch_op.f('ix_actions_conversation_id'))

    op.drop_table('actions')
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_entries_person_id'))
        batch_op.drop_index(batch_op.f('ix_journal_entries_entry_date'))

    op.drop_table('journal_entries')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversations_person_id'))

    op.drop_table('conversations')
    op.drop_table('settings')
    op.drop_table('prompt_templates')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('uq_people_one_me', sqlite_where=sa.text('is_me = 1'))

    op.drop_table('people')
    
