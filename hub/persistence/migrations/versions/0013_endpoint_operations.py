"""endpoint operations: subscriptions (event types) and since when an endpoint fails

Revision ID: 0013
Revises: 0007
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0013'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('endpoints') as batch:
        batch.add_column(sa.Column('types', sa.Text(), nullable=True))
        batch.add_column(sa.Column('failing_since', hub.persistence.types.UtcDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('endpoints') as batch:
        batch.drop_column('failing_since')
        batch.drop_column('types')
