"""regiecheck: checks, their asked partners, the network's answer term

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0008'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('regiecheck_termijn_werkdagen', sa.Integer(),
                                      server_default='3', nullable=False))

    op.create_table('regiechecks',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('asker_tenant_id', sa.String(length=64), nullable=False),
    sa.Column('network_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('soort', sa.String(length=32), nullable=False),
    sa.Column('overlastsoorten', sa.Text(), nullable=False),
    sa.Column('kenmerk_afzender', sa.String(length=100), nullable=True),
    sa.Column('zaak_kenmerk', sa.String(length=100), nullable=True),
    sa.Column('key_version', sa.Integer(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.Column('deadline', hub.persistence.types.UtcDateTime(), nullable=False),
    sa.Column('created_at', hub.persistence.types.UtcDateTime(), nullable=False),
    sa.Column('expired_at', hub.persistence.types.UtcDateTime(), nullable=True),
    sa.Column('completed_at', hub.persistence.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['asker_tenant_id'], ['tenants.id'],
                            name=op.f('fk_regiechecks_asker_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regiechecks')),
    sa.UniqueConstraint('asker_tenant_id', 'kenmerk_afzender', name='uq_regiechecks_kenmerk')
    )
    with op.batch_alter_table('regiechecks', schema=None) as batch_op:
        batch_op.create_index('ix_regiechecks_asker', ['asker_tenant_id', 'created_at'],
                              unique=False)
        batch_op.create_index('ix_regiechecks_due', ['status', 'deadline'], unique=False)

    op.create_table('regiecheck_partners',
    sa.Column('regiecheck_id', sa.String(length=36), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('deadline', hub.persistence.types.UtcDateTime(), nullable=False),
    sa.Column('remind_at', hub.persistence.types.UtcDateTime(), nullable=False),
    sa.Column('reminded_at', hub.persistence.types.UtcDateTime(), nullable=True),
    sa.Column('answered_at', hub.persistence.types.UtcDateTime(), nullable=True),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('contact_key_version', sa.Integer(), nullable=True),
    sa.Column('contact', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['regiecheck_id'], ['regiechecks.id'],
                            name=op.f('fk_regiecheck_partners_regiecheck_id_regiechecks'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'],
                            name=op.f('fk_regiecheck_partners_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('regiecheck_id', 'tenant_id', name=op.f('pk_regiecheck_partners'))
    )
    with op.batch_alter_table('regiecheck_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regiecheck_partners_tenant_id'), ['tenant_id'],
                              unique=False)
        batch_op.create_index('ix_regiecheck_partners_reminders',
                              ['status', 'reminded_at', 'remind_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('regiecheck_partners', schema=None) as batch_op:
        batch_op.drop_index('ix_regiecheck_partners_reminders')
        batch_op.drop_index(batch_op.f('ix_regiecheck_partners_tenant_id'))
    op.drop_table('regiecheck_partners')
    with op.batch_alter_table('regiechecks', schema=None) as batch_op:
        batch_op.drop_index('ix_regiechecks_due')
        batch_op.drop_index('ix_regiechecks_asker')
    op.drop_table('regiechecks')
    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.drop_column('regiecheck_termijn_werkdagen')
