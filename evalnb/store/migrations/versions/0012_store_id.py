"""The store's own id (``store_info``): made once with the store, kept by any copy of it (a backup restored, a
project copied or moved), different for every other store. Section cache keys name the store by this id, not by
its URL, so a copied project's cached sections stay valid while another store's never match.

A store made before this revision gets its id here, on upgrade.

Revision ID: 0011
Revises: 0010
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "store_info",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.bulk_insert(table, [{"id": uuid.uuid4().hex, "created_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("store_info")
