"""foundation: tenants, keys, users, networks

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('networks',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('created_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_networks'))
    )
    op.create_table('tenants',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('oin', sa.String(length=20), nullable=True),
    sa.Column('kvk', sa.String(length=8), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('is_operator', sa.Boolean(), nullable=False),
    sa.Column('created_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenants'))
    )
    op.create_table('api_keys',
    sa.Column('id', sa.String(length=16), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('scopes', sa.Text(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_api_keys_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys'))
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('network_areas',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('network_id', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('pc4_from', sa.Integer(), nullable=False),
    sa.Column('pc4_to', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_areas_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_network_areas_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_areas'))
    )
    with op.batch_alter_table('network_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_areas_network_id'), ['network_id'], unique=False)
        batch_op.create_index('ix_network_areas_pc4', ['pc4_from', 'pc4_to'], unique=False)

    op.create_table('network_flows',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('network_id', sa.String(length=64), nullable=False),
    sa.Column('message_type', sa.String(length=128), nullable=False),
    sa.Column('from_kind', sa.String(length=32), nullable=False),
    sa.Column('to_kind', sa.String(length=32), nullable=False),
    sa.Column('basis', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_flows_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_flows'))
    )
    with op.batch_alter_table('network_flows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_flows_network_id'), ['network_id'], unique=False)

    op.create_table('network_parties',
    sa.Column('network_id', sa.String(length=64), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=64), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_parties_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_network_parties_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('network_id', 'tenant_id', name=op.f('pk_network_parties'))
    )
    with op.batch_alter_table('network_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_parties_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('network_regiecheck_partners',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('network_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=True),
    sa.Column('tenant_kind', sa.String(length=32), nullable=True),
    sa.Column('standaard', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_regiecheck_partners_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_network_regiecheck_partners_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_regiecheck_partners'))
    )
    with op.batch_alter_table('network_regiecheck_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_regiecheck_partners_network_id'), ['network_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.Text(), nullable=False),
    sa.Column('created_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_users_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('tenant_id', 'email', name='uq_users_tenant_email')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_tenant_id'), ['tenant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_tenant_id'))

    op.drop_table('users')
    with op.batch_alter_table('network_regiecheck_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_regiecheck_partners_network_id'))

    op.drop_table('network_regiecheck_partners')
    with op.batch_alter_table('network_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_parties_tenant_id'))

    op.drop_table('network_parties')
    with op.batch_alter_table('network_flows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_flows_network_id'))

    op.drop_table('network_flows')
    with op.batch_alter_table('network_areas', schema=None) as batch_op:
        batch_op.drop_index('ix_network_areas_pc4')
        batch_op.drop_index(batch_op.f('ix_network_areas_network_id'))

    op.drop_table('network_areas')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_tenant_id'))

    op.drop_table('api_keys')
    op.drop_table('tenants')
    op.drop_table('networks')
