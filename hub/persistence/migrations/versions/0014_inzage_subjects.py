"""inzage: the subject pseudonyms each message carries; the network's verwerkingsregister

Messages stored before this revision have no subject rows (their payloads are sealed, a
migration cannot read them); an inzage finds them through their consent decisions only.

Revision ID: 0014i
Revises: 0014
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0014i'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'message_subjects',
        sa.Column('message_id', sa.String(length=36), sa.ForeignKey('messages.id'),
                  primary_key=True),
        sa.Column('kind', sa.String(length=16), primary_key=True),
        sa.Column('subject_ref', sa.String(length=64), primary_key=True),
        sa.Column('received_at', hub.persistence.types.UtcDateTime(timezone=True),
                  nullable=False),
    )
    op.create_index('ix_message_subjects_ref', 'message_subjects', ['subject_ref', 'kind'])
    with op.batch_alter_table('networks') as batch:
        batch.add_column(sa.Column('verwerkingsregister', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('networks') as batch:
        batch.drop_column('verwerkingsregister')
    op.drop_index('ix_message_subjects_ref', table_name='message_subjects')
    op.drop_table('message_subjects')
