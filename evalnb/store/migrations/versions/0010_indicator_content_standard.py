"""Regional forms as data (issue 23): a 绩效指标 row may carry its 指标内容 and 评价标准 as the region's form
prints them (石家庄's 部门整体支出绩效自评表 lists both beside each row).

Rows stored before this revision carry neither: NULL, printed blank.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.add_column(sa.Column("content", sa.Text))
        batch.add_column(sa.Column("standard", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.drop_column("standard")
        batch.drop_column("content")
