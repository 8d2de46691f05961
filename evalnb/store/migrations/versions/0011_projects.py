"""Issue 25: 项目支出绩效自评表 per project. The 项目情况 sheet (one row per project with a form of its own) and
the department-year's 项目评分规则, chosen apart from the department's 评分规则.

Department-years stored before this revision have no 项目情况 rows (their projects' forms are drafts from the
funds alone) and no 项目评分规则 (NULL: the default, national-2020).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("dept_year_id", sa.Integer, sa.ForeignKey("dept_years.id"), nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("parent", sa.String(200)),
        sa.Column("unit", sa.String(200)),
        sa.Column("manager", sa.String(100)),
        sa.Column("finance", sa.String(100)),
        *(sa.Column(name, sa.Text) for name in ("goal", "outcome", "summary", "reason", "conclusion", "problems",
                                                "measures")),
        sa.Column("declared_total", sa.Numeric(24, 6)),
    )
    with op.batch_alter_table("dept_years") as batch:
        batch.add_column(sa.Column("project_rules", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("dept_years") as batch:
        batch.drop_column("project_rules")
    op.drop_table("projects")
