"""alerts reach people: a tenant's alert e-mail address, an alert's notification time

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

import hub.persistence.types

revision = '0012'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tenants') as batch:
        batch.add_column(sa.Column('alert_email', sa.String(length=254), nullable=True))
    with op.batch_alter_table('alerts') as batch:
        batch.add_column(sa.Column('notified_at', hub.persistence.types.UtcDateTime(timezone=True),
                                   nullable=True))
        batch.create_index('ix_alerts_notified_at', ['notified_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alerts') as batch:
        batch.drop_index('ix_alerts_notified_at')
        batch.drop_column('notified_at')
    with op.batch_alter_table('tenants') as batch:
        batch.drop_column('alert_email')
