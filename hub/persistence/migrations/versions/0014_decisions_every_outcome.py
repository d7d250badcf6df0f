"""decisions: a record whenever the outcome is decided again (a deny after a redrive's permit,
a redrive's own check); only the delivery-phase permit a recipient's deliveries share is once

Revision ID: 0014
Revises: 0009b
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0009b'
branch_labels = None
depends_on = None

_PERMIT_ONCE = sa.text("decision = 'permit' AND phase = 'delivery'")


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_decisions_outcome', type_='unique')
    op.create_index('uq_decisions_delivery_permit', 'decisions',
                    ['message_id', 'recipient_tenant_id', 'phase'], unique=True,
                    postgresql_where=_PERMIT_ONCE, sqlite_where=_PERMIT_ONCE)
    op.create_index('ix_decisions_message_id', 'decisions', ['message_id'])


def downgrade() -> None:
    op.drop_index('ix_decisions_message_id', table_name='decisions')
    op.drop_index('uq_decisions_delivery_permit', table_name='decisions')
    # Repeated outcomes of one phase would break the old constraint: keep the first of each.
    op.execute("DELETE FROM decisions WHERE id NOT IN (SELECT MIN(id) FROM decisions "
               "GROUP BY message_id, recipient_tenant_id, phase, decision)")
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            'uq_decisions_outcome', ['message_id', 'recipient_tenant_id', 'phase', 'decision'])
