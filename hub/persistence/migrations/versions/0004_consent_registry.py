"""consent registry

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consent_provisions',
    sa.Column('consent_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('effect', sa.String(length=8), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=True),
    sa.Column('tenant_kind', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('consent_id', 'version', 'position', name=op.f('pk_consent_provisions'))
    )
    with op.batch_alter_table('consent_provisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_provisions_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_provisions_tenant_kind'), ['tenant_kind'], unique=False)

    op.create_table('begeleide_woningen',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('network_id', sa.String(length=64), nullable=False),
    sa.Column('postcode', sa.String(length=6), nullable=False),
    sa.Column('huisnummer', sa.Integer(), nullable=False),
    sa.Column('huisletter', sa.String(length=1), nullable=True),
    sa.Column('toevoeging', sa.String(length=8), nullable=True),
    sa.Column('address_key', sa.String(length=32), nullable=False),
    sa.Column('zorgaanbieder', sa.String(length=64), nullable=False),
    sa.Column('client_ref', sa.String(length=64), nullable=False),
    sa.Column('consent_id', sa.String(length=36), nullable=False),
    sa.Column('contractvorm', sa.String(length=16), nullable=False),
    sa.Column('omklap_datum', sa.Date(), nullable=True),
    sa.Column('created_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['zorgaanbieder'], ['tenants.id'], name=op.f('fk_begeleide_woningen_zorgaanbieder_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_begeleide_woningen'))
    )
    with op.batch_alter_table('begeleide_woningen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_begeleide_woningen_address_key'), ['address_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_begeleide_woningen_zorgaanbieder'), ['zorgaanbieder'], unique=False)

    op.create_table('consent_versions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_latest', sa.Boolean(), nullable=False),
    sa.Column('client_ref', sa.String(length=64), nullable=False),
    sa.Column('network_id', sa.String(length=64), nullable=False),
    sa.Column('controller', sa.String(length=64), nullable=False),
    sa.Column('categories', sa.Text(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('necessity', sa.Text(), nullable=False),
    sa.Column('valid_from', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('valid_until', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=False),
    sa.Column('evidence_signed_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['controller'], ['tenants.id'], name=op.f('fk_consent_versions_controller_tenants')),
    sa.PrimaryKeyConstraint('id', 'version', name=op.f('pk_consent_versions'))
    )
    with op.batch_alter_table('consent_versions', schema=None) as batch_op:
        batch_op.create_index('ix_consent_versions_client', ['client_ref', 'network_id', 'is_latest'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_versions_controller'), ['controller'], unique=False)

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('review_required', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_decisions_client_ref'), ['client_ref'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_client_ref'))
        batch_op.drop_column('review_required')
        batch_op.drop_column('client_ref')

    with op.batch_alter_table('consent_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_versions_controller'))
        batch_op.drop_index('ix_consent_versions_client')

    op.drop_table('consent_versions')
    with op.batch_alter_table('begeleide_woningen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_begeleide_woningen_zorgaanbieder'))
        batch_op.drop_index(batch_op.f('ix_begeleide_woningen_address_key'))

    op.drop_table('begeleide_woningen')
    with op.batch_alter_table('consent_provisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_provisions_tenant_kind'))
        batch_op.drop_index(batch_op.f('ix_consent_provisions_tenant_id'))

    op.drop_table('consent_provisions')
