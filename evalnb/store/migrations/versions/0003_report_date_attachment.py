"""基本信息 gains 报告日期 (the date printed on the report) and 附件编号 (the "附件4" line above its title).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dept_years") as batch:
        batch.add_column(sa.Column("report_date", sa.Date))
        batch.add_column(sa.Column("attachment", sa.String(50)))


def downgrade() -> None:
    with op.batch_alter_table("dept_years") as batch:
        batch.drop_column("attachment")
        batch.drop_column("report_date")
