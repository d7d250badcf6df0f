"""statistics: the aggregate store, recidive situations and the rollup's cursor

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'stats_counts',
        sa.Column('network_id', sa.String(length=64), nullable=False),
        sa.Column('metric', sa.String(length=24), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('area', sa.String(length=64), nullable=False),
        sa.Column('pc4', sa.String(length=4), nullable=False),
        sa.Column('categorie', sa.String(length=32), nullable=False),
        sa.Column('source_kind', sa.String(length=32), nullable=False),
        sa.Column('message_type', sa.String(length=128), nullable=False),
        sa.Column('partner', sa.String(length=64), nullable=False),
        sa.Column('flow', sa.String(length=64), nullable=False),
        sa.Column('bucket', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('n', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('network_id', 'metric', 'day', 'area', 'pc4', 'categorie',
                                'source_kind', 'message_type', 'partner', 'flow', 'bucket',
                                name=op.f('pk_stats_counts')),
    )
    op.create_table(
        'stats_episodes',
        sa.Column('network_id', sa.String(length=64), nullable=False),
        sa.Column('address_ref', sa.String(length=64), nullable=False),
        sa.Column('categorie', sa.String(length=32), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('last_seen', sa.Date(), nullable=False),
        sa.Column('repeated', sa.Boolean(), nullable=False),
        sa.Column('area', sa.String(length=64), nullable=False),
        sa.Column('pc4', sa.String(length=4), nullable=False),
        sa.Column('source_kind', sa.String(length=32), nullable=False),
        sa.Column('partner', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('network_id', 'address_ref', 'categorie',
                                name=op.f('pk_stats_episodes')),
    )
    op.create_index(op.f('ix_stats_episodes_started_on'), 'stats_episodes', ['started_on'])
    cursor = op.create_table(
        'stats_cursor',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('bijgewerkt_tot', hub.persistence.types.UtcDateTime(timezone=True),
                  nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_cursor')),
    )
    op.bulk_insert(cursor, [{'id': 1, 'seq': 0, 'bijgewerkt_tot': None}])


def downgrade() -> None:
    op.drop_table('stats_cursor')
    op.drop_index(op.f('ix_stats_episodes_started_on'), table_name='stats_episodes')
    op.drop_table('stats_episodes')
    op.drop_table('stats_counts')
