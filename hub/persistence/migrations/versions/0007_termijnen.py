"""termijnen: terms in werkdagen per network, and one table of terms for every flow

Revision ID: 0007
Revises: 0010
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0007'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bevrijdingsdag', sa.String(length=16), server_default='lustrum', nullable=False))
    op.create_table('network_termijnen',
    sa.Column('network_id', sa.String(length=64), nullable=False),
    sa.Column('flow', sa.String(length=64), nullable=False),
    sa.Column('werkdagen', sa.Integer(), nullable=False),
    sa.Column('gehaald_door', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_termijnen_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('network_id', 'flow', name=op.f('pk_network_termijnen'))
    )
    op.create_table('network_closing_days',
    sa.Column('network_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_closing_days_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('network_id', 'day', name=op.f('pk_network_closing_days'))
    )
    op.create_table('termijnen',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('flow', sa.String(length=64), nullable=False),
    sa.Column('network_id', sa.String(length=64), nullable=True),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('delivery_id', sa.String(length=36), nullable=True),
    sa.Column('owed_by', sa.String(length=64), nullable=False),
    sa.Column('owed_to', sa.String(length=64), nullable=False),
    sa.Column('meldpunt', sa.String(length=64), nullable=True),
    sa.Column('werkdagen', sa.Integer(), nullable=False),
    sa.Column('gehaald_door', sa.Text(), nullable=False),
    sa.Column('started_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('deadline', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('remind_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('due_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('settled_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('met_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_termijnen')),
    sa.UniqueConstraint('flow', 'subject_id', 'owed_by', name='uq_termijnen_once')
    )
    with op.batch_alter_table('termijnen', schema=None) as batch_op:
        batch_op.create_index('ix_termijnen_due', ['due_at'], unique=False)
        batch_op.create_index('ix_termijnen_owed_by', ['owed_by', 'status'], unique=False)
        batch_op.create_index('ix_termijnen_owed_to', ['owed_to', 'status'], unique=False)
        batch_op.create_index('ix_termijnen_meldpunt', ['meldpunt', 'status'], unique=False)
        batch_op.create_index('ix_termijnen_subject', ['subject_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('termijnen', schema=None) as batch_op:
        batch_op.drop_index('ix_termijnen_subject')
        batch_op.drop_index('ix_termijnen_meldpunt')
        batch_op.drop_index('ix_termijnen_owed_to')
        batch_op.drop_index('ix_termijnen_owed_by')
        batch_op.drop_index('ix_termijnen_due')
    op.drop_table('termijnen')
    op.drop_table('network_closing_days')
    op.drop_table('network_termijnen')
    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.drop_column('bevrijdingsdag')
