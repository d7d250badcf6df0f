"""retention and key rotation: per-message data keys, retention dates, shredding, runs

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('message_keys',
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('key_version', sa.Integer(), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_message_keys'))
    )
    with op.batch_alter_table('messages') as batch:
        batch.add_column(sa.Column('retain_until', hub.persistence.types.UtcDateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column('shredded_at', hub.persistence.types.UtcDateTime(timezone=True),
                                   nullable=True))
        batch.create_index('ix_messages_retain_until', ['retain_until'])
    with op.batch_alter_table('zaken') as batch:
        batch.add_column(sa.Column('shredded_at', hub.persistence.types.UtcDateTime(timezone=True),
                                   nullable=True))
    with op.batch_alter_table('networks') as batch:
        batch.add_column(sa.Column('bewaartermijnen', sa.Text(), nullable=True))
    op.create_table('retention_runs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('scheduled_day', sa.Date(), nullable=True),
    sa.Column('started_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('messages', sa.Integer(), nullable=False),
    sa.Column('zaken', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_runs')),
    sa.UniqueConstraint('scheduled_day', name=op.f('uq_retention_runs_scheduled_day'))
    )
    op.create_index('ix_retention_runs_started_at', 'retention_runs', ['started_at'])
    op.create_table('hub_secrets',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=False),
    sa.Column('master_key_id', sa.String(length=16), nullable=False),
    sa.Column('updated_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_hub_secrets'))
    )


def downgrade() -> None:
    op.drop_table('hub_secrets')
    op.drop_index('ix_retention_runs_started_at', table_name='retention_runs')
    op.drop_table('retention_runs')
    with op.batch_alter_table('networks') as batch:
        batch.drop_column('bewaartermijnen')
    with op.batch_alter_table('zaken') as batch:
        batch.drop_column('shredded_at')
    with op.batch_alter_table('messages') as batch:
        batch.drop_index('ix_messages_retain_until')
        batch.drop_column('shredded_at')
        batch.drop_column('retain_until')
    op.drop_table('message_keys')
