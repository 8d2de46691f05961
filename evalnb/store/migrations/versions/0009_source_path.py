"""A department-year keeps where its workbook was ingested from: the resolved absolute path, so that
``evalnb draft`` finds the very workbook from any working directory (the sha256 still proves it is the one).

Rows ingested before this revision know only the file name (``source_path`` NULL).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dept_years") as batch:
        batch.add_column(sa.Column("source_path", sa.String(4096)))


def downgrade() -> None:
    with op.batch_alter_table("dept_years") as batch:
        batch.drop_column("source_path")
