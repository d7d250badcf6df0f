"""samenloop: signalen per address, meldpunt and month, so the three-year count reads at most
37 rows and the boundary month's signalen, however many an address has

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "samenloop_maanden",
        sa.Column("address_ref", sa.String(64), primary_key=True),
        sa.Column("meldpunt", sa.String(64), primary_key=True),
        sa.Column("maand", sa.Date, primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    month = ("date_trunc('month', received_at AT TIME ZONE 'UTC')::date"
             if op.get_bind().dialect.name == "postgresql"
             else "date(received_at, 'start of month')")
    op.execute(sa.text(
        "INSERT INTO samenloop_maanden (address_ref, meldpunt, maand, n) "
        f"SELECT address_ref, meldpunt, {month}, count(*) FROM samenloop_signalen "
        f"GROUP BY address_ref, meldpunt, {month}"))


def downgrade() -> None:
    op.drop_table("samenloop_maanden")
