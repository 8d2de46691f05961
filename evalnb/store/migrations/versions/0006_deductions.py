"""Rulebook v2: the 扣分事项 a deduction indicator found (one row per item, with its count and reason);
the ingest log counts them.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deductions",
        sa.Column("dept_year_id", sa.Integer, sa.ForeignKey("dept_years.id"), nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("level1", sa.String(100), nullable=False),
        sa.Column("level2", sa.String(100), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    with op.batch_alter_table("ingest_log") as batch:
        batch.add_column(sa.Column("deductions", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("ingest_log") as batch:
        batch.drop_column("deductions")
    op.drop_table("deductions")
