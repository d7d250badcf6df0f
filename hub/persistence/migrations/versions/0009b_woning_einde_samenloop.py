"""begeleide woningen: the end of the arrangement; samenloop per address pseudonym;
a decision per outcome and phase (a changed outcome is recorded again); the network's
toewijzingsadvies

Revision ID: 0009b
Revises: 0011
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0009b'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('begeleide_woningen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('einde_datum', sa.Date(), nullable=True))

    op.create_table('samenloop_signalen',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('address_ref', sa.String(length=64), nullable=False),
    sa.Column('meldpunt', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'],
                            name=op.f('fk_samenloop_signalen_message_id_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_samenloop_signalen'))
    )
    with op.batch_alter_table('samenloop_signalen', schema=None) as batch_op:
        batch_op.create_index('ix_samenloop_signalen_lookup',
                              ['address_ref', 'meldpunt', 'received_at'], unique=False)

    op.create_table('network_toewijzingsadvies',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('network_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('categorie', sa.String(length=32), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=True),
    sa.Column('tenant_kind', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'],
                            name=op.f('fk_network_toewijzingsadvies_network_id_networks'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'],
                            name=op.f('fk_network_toewijzingsadvies_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_toewijzingsadvies'))
    )
    with op.batch_alter_table('network_toewijzingsadvies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_toewijzingsadvies_network_id'),
                              ['network_id'], unique=False)

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_decisions_once', type_='unique')
        batch_op.create_unique_constraint(
            'uq_decisions_outcome', ['message_id', 'recipient_tenant_id', 'phase', 'decision'])


def downgrade() -> None:
    with op.batch_alter_table('network_toewijzingsadvies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_toewijzingsadvies_network_id'))

    op.drop_table('network_toewijzingsadvies')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_decisions_outcome', type_='unique')
        batch_op.create_unique_constraint(
            'uq_decisions_once', ['message_id', 'recipient_tenant_id', 'phase'])

    with op.batch_alter_table('samenloop_signalen', schema=None) as batch_op:
        batch_op.drop_index('ix_samenloop_signalen_lookup')

    op.drop_table('samenloop_signalen')
    with op.batch_alter_table('begeleide_woningen', schema=None) as batch_op:
        batch_op.drop_column('einde_datum')
