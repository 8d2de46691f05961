"""Rulebook v2, regional forms: a 绩效指标 row may say whether it is a 核心指标 and give the target adjusted
during the year (调整指标值; 重庆's 自评表 prints both columns).

Rows stored before this revision said neither: NULL, printed blank; their 年度指标值 is the target in force.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.add_column(sa.Column("core", sa.Boolean))
        batch.add_column(sa.Column("adjusted", sa.Numeric(24, 6)))
        batch.add_column(sa.Column("adjusted_text", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.drop_column("adjusted_text")
        batch.drop_column("adjusted")
        batch.drop_column("core")
