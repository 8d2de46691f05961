"""Rulebook v2, regional forms: a 绩效指标 row may say whether it is a 核心指标 (重庆's 自评表 prints the column).

Rows stored before this revision did not say: NULL, printed blank.

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


def downgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.drop_column("core")
