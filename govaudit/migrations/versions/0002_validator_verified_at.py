"""page_validators.verified_at: when a reusable document was last downloaded or confirmed by a 304.

Incremental crawls reuse a document without asking the site until it is due again
(crawler/incremental.py). Rows written before this revision have no time: those documents are
revalidated (asked for with their validators) on the next crawl, as before.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("page_validators")}
    if "verified_at" not in have:        # a store adopted by 0001 may already have it
        op.add_column("page_validators", sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("page_validators") as batch:
        batch.drop_column("verified_at")
