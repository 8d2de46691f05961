"""文字材料 rows remember where they came from: blank (the department's own) or 草拟 (drafted by evalnb draft).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("texts") as batch:
        batch.add_column(sa.Column("origin", sa.String(20)))


def downgrade() -> None:
    with op.batch_alter_table("texts") as batch:
        batch.drop_column("origin")
