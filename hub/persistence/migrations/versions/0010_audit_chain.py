"""audit chain: Logboek Dataverwerkingen fields, hash chain and its head

Revision ID: 0010
Revises: 0012
Create Date: 2026-12-01
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import hub.persistence.types
from hub.audit.chain import GENESIS, canonical, link

revision = '0010'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    head = op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('updated_at', hub.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('trace_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('purpose', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('basis', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('subject_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    seq, prev = _chain_existing_entries()
    op.bulk_insert(head, [{'id': 1, 'seq': seq, 'hash': prev,
                           'updated_at': datetime.now(UTC)}])
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_log_seq'), ['seq'])
        batch_op.create_index(batch_op.f('ix_audit_log_subject_ref'), ['subject_ref'],
                              unique=False)


def _chain_existing_entries() -> tuple[int, str]:
    """Entries written before the chain existed are chained in their id order."""
    conn = op.get_bind()
    log = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('seq', sa.BigInteger),
                   sa.column('tenant_id', sa.String), sa.column('actor', sa.String),
                   sa.column('action', sa.String), sa.column('subject_id', sa.String),
                   sa.column('facts', sa.Text),
                   sa.column('at', hub.persistence.types.UtcDateTime(timezone=True)),
                   sa.column('prev_hash', sa.String), sa.column('hash', sa.String))
    seq, prev = 0, GENESIS
    for row in conn.execute(sa.select(log).order_by(log.c.id)).all():
        seq += 1
        digest = link(prev, canonical(seq, row.at, row.action, row.tenant_id, row.actor,
                                      row.subject_id, None, None, None, None, row.facts))
        conn.execute(log.update().where(log.c.id == row.id).values(
            seq=seq, prev_hash=prev, hash=digest))
        prev = digest
    return seq, prev


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_subject_ref'))
        batch_op.drop_constraint(batch_op.f('uq_audit_log_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('subject_ref')
        batch_op.drop_column('basis')
        batch_op.drop_column('purpose')
        batch_op.drop_column('trace_id')
        batch_op.drop_column('seq')
    op.drop_table('audit_chain_head')
