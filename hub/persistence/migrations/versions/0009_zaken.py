"""zaken: the meldpunt's view of a case and the messages that joined it

Revision ID: 0009
Revises: 0004
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0009'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('zaken',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('meldpunt', sa.String(length=64), nullable=False),
    sa.Column('kenmerk', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reden_afsluiting', sa.String(length=32), nullable=True),
    sa.Column('address_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['meldpunt'], ['tenants.id'], name=op.f('fk_zaken_meldpunt_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zaken'))
    )
    with op.batch_alter_table('zaken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zaken_address_key'), ['address_key'], unique=False)
        batch_op.create_index('ix_zaken_meldpunt_kenmerk', ['meldpunt', 'kenmerk'], unique=False)

    op.create_table('zaak_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('zaak_id', sa.String(length=36), nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('added_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('via', sa.String(length=16), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_zaak_items_message_id_messages')),
    sa.ForeignKeyConstraint(['zaak_id'], ['zaken.id'], name=op.f('fk_zaak_items_zaak_id_zaken')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zaak_items')),
    sa.UniqueConstraint('zaak_id', 'message_id', name='uq_zaak_items_zaak_message')
    )
    with op.batch_alter_table('zaak_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zaak_items_message_id'), ['message_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('zaak_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zaak_items_message_id'))

    op.drop_table('zaak_items')
    with op.batch_alter_table('zaken', schema=None) as batch_op:
        batch_op.drop_index('ix_zaken_meldpunt_kenmerk')
        batch_op.drop_index(batch_op.f('ix_zaken_address_key'))

    op.drop_table('zaken')
