"""network areas: the stadsdeel's veiligheidscoördinator (informed of urgent cases)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('network_areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('veiligheidscoordinator', sa.String(length=64),
                                      nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_network_areas_veiligheidscoordinator_tenants'), 'tenants',
            ['veiligheidscoordinator'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('network_areas', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_network_areas_veiligheidscoordinator_tenants'),
                                 type_='foreignkey')
        batch_op.drop_column('veiligheidscoordinator')
