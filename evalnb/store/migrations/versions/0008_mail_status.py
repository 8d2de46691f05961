"""Mail sent exactly once: the log holds one row per recipient the server accepted (``delivered``), or per
recipient of a mail whose server dropped the connection after the message was handed over (``uncertain``:
it may have arrived, so a re-run does not send it again without --resend).

Rows written before this revision list every recipient of one mail on one row and were all delivered.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mail_log") as batch:
        batch.add_column(sa.Column("status", sa.String(20), nullable=False, server_default="delivered"))


def downgrade() -> None:
    with op.batch_alter_table("mail_log") as batch:
        batch.drop_column("status")
