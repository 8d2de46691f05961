"""The store as evalnb 0.1 made it (before migrations): department-years and their child rows, the ingest log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MONEY = sa.Numeric(20, 6)
VALUE = sa.Numeric(24, 6)


def _child(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("dept_year_id", sa.Integer, sa.ForeignKey("dept_years.id"), nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        *columns,
    )


def upgrade() -> None:
    op.create_table(
        "dept_years",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("parent", sa.String(200)),
        sa.Column("rules", sa.String(200), nullable=False),
        sa.Column("nature", sa.String(20), nullable=False),
        sa.Column("declared_total", VALUE),
        sa.Column("declared_grade", sa.String(20)),
        sa.Column("source_file", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("department", "year", name="uq_dept_year"),
        sqlite_autoincrement=True,
    )
    _child("texts", sa.Column("section", sa.String(50), nullable=False), sa.Column("content", sa.Text, nullable=False))
    _child("budget_lines",
           sa.Column("name", sa.String(500), nullable=False), sa.Column("category", sa.String(200), nullable=False),
           sa.Column("source", sa.String(200), nullable=False), sa.Column("initial", MONEY, nullable=False),
           sa.Column("budget", MONEY, nullable=False), sa.Column("executed", MONEY, nullable=False),
           sa.Column("note", sa.Text))
    _child("indicators",
           sa.Column("level1", sa.String(100), nullable=False), sa.Column("level2", sa.String(100), nullable=False),
           sa.Column("name", sa.String(500), nullable=False), sa.Column("nature", sa.String(10), nullable=False),
           sa.Column("direction", sa.String(5)), sa.Column("target", VALUE), sa.Column("actual", VALUE),
           sa.Column("target_text", sa.Text), sa.Column("actual_text", sa.Text), sa.Column("unit", sa.String(50)),
           sa.Column("weight", VALUE, nullable=False), sa.Column("declared_score", VALUE), sa.Column("scope", sa.Text),
           sa.Column("base", sa.Text), sa.Column("prior", VALUE), sa.Column("deviation_note", sa.Text))
    _child("team",
           sa.Column("name", sa.String(100), nullable=False), sa.Column("org", sa.String(200), nullable=False),
           sa.Column("title", sa.String(200)), sa.Column("rank", sa.String(200)),
           sa.Column("role", sa.String(20), nullable=False))
    op.create_table(
        "ingest_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("department", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("replaced", sa.Integer, nullable=False),
        sa.Column("texts", sa.Integer, nullable=False),
        sa.Column("budget_lines", sa.Integer, nullable=False),
        sa.Column("indicators", sa.Integer, nullable=False),
        sa.Column("team", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("ingest_log", "team", "indicators", "budget_lines", "texts", "dept_years"):
        op.drop_table(table)
