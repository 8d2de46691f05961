"""The department's whole budget (workbook contract v2): 项目支出 lines gain 支出类型 and 资金性质, 绩效指标 rows
an optional 项目名称; new tables for 收支总表 (accounts) and 部门情况 (facts); the ingest log counts them.

Rows stored before this revision are 项目支出 lines of department-level indicators: NULL reads that way.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(20, 6)


def _child(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("dept_year_id", sa.Integer, sa.ForeignKey("dept_years.id"), nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        *columns,
    )


def upgrade() -> None:
    with op.batch_alter_table("budget_lines") as batch:
        batch.add_column(sa.Column("expense_type", sa.String(20)))
        batch.add_column(sa.Column("fund_nature", sa.String(20)))
    with op.batch_alter_table("indicators") as batch:
        batch.add_column(sa.Column("project", sa.String(500)))
    with op.batch_alter_table("ingest_log") as batch:
        batch.add_column(sa.Column("accounts", sa.Integer))
        batch.add_column(sa.Column("facts", sa.Integer))
    _child("accounts", sa.Column("item", sa.String(50), nullable=False), sa.Column("initial", MONEY),
           sa.Column("budget", MONEY), sa.Column("final", MONEY, nullable=False), sa.Column("prior_final", MONEY))
    _child("facts", sa.Column("item", sa.String(50), nullable=False), sa.Column("budget", MONEY),
           sa.Column("actual", MONEY, nullable=False), sa.Column("prior_budget", MONEY), sa.Column("prior_actual", MONEY))


def downgrade() -> None:
    op.drop_table("facts")
    op.drop_table("accounts")
    with op.batch_alter_table("ingest_log") as batch:
        batch.drop_column("facts")
        batch.drop_column("accounts")
    with op.batch_alter_table("indicators") as batch:
        batch.drop_column("project")
    with op.batch_alter_table("budget_lines") as batch:
        batch.drop_column("fund_nature")
        batch.drop_column("expense_type")
