"""statistics: every count also kept per month; the store is counted again from the audit trail

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The monthly rows are written by the rollup beside the daily ones: start it over, so that
    # both hold everything the audit trail still names.
    op.execute(sa.text("DELETE FROM stats_counts"))
    op.execute(sa.text("DELETE FROM stats_episodes"))
    op.execute(sa.text("UPDATE stats_cursor SET seq = 0, bijgewerkt_tot = NULL"))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM stats_counts WHERE metric LIKE 'm:%'"))
