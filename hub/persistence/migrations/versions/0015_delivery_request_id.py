"""deliveries.request_id: the id of the HTTP request that created a delivery, so the worker's log
lines about it carry the same request id as serve's

Revision ID: 0015
Revises: 0014i
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014i'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('request_id')
