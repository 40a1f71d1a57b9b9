"""Initial schema: the store as govaudit 0.1 defines it; adopts a store created before migrations.

A new database gets every table. A store written by govaudit before it used alembic (tables but no
``alembic_version``) keeps its data: the tables, columns and indexes it lacks are added and its
``schema_info`` table, the old version marker, is dropped (docs/schema.md, *Schema versions*).
The tables below are frozen copies of govaudit/store.py at this revision: later schema changes go
in new revisions, never here.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

baseline = sa.MetaData()

sa.Table("attachments", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("url", sa.Text(), nullable=False),
    sa.Column("status", sa.Integer(), nullable=True),
    sa.Column("content_type", sa.Text(), nullable=True),
    sa.Column("ext", sa.String(length=8), nullable=True),
    sa.Column("bytes", sa.Integer(), nullable=True),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("text", sa.Text(), nullable=True),
    sa.Column("error", sa.Text(), nullable=True),
)

sa.Table("audits", baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("as_of", sa.Date(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("rules", sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table("bulletins", baseline,
    sa.Column("year", sa.Integer(), nullable=False),
    sa.Column("number", sa.Integer(), nullable=False),
    sa.Column("month", sa.String(length=7), nullable=False),
    sa.Column("issued_at", sa.Date(), nullable=False),
    sa.UniqueConstraint("month"),
)

sa.Table("column_pages", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("column_url", sa.Text(), nullable=False),
    sa.Column("page_url", sa.Text(), nullable=False),
    sa.Column("page_no", sa.Integer(), nullable=True),
)

sa.Table("columns", baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("site_id", sa.String(length=64), nullable=False),
    sa.Column("department_id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.Text(), nullable=True),
    sa.Column("name_source", sa.String(length=16), nullable=True),
    sa.Column("url", sa.Text(), nullable=False),
    sa.Column("update_class", sa.Text(), nullable=True),
    sa.Column("class_source", sa.String(length=16), nullable=True),
    sa.Column("window", sa.String(length=16), nullable=True),
    sa.Column("window_days", sa.Integer(), nullable=True),
    sa.Column("shape", sa.String(length=24), nullable=True),
    sa.Column("pages", sa.Integer(), nullable=True),
    sa.Column("item_count", sa.Integer(), nullable=True),
    sa.Column("undated_count", sa.Integer(), nullable=True),
    sa.Column("latest_date", sa.Date(), nullable=True),
    sa.Column("latest_source", sa.String(length=16), nullable=True),
    sa.Column("placeholder", sa.Boolean(), nullable=True),
    sa.Column("fetched", sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table("crawl_log", baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("level", sa.String(length=8), nullable=True),
    sa.Column("url", sa.Text(), nullable=True),
    sa.Column("message", sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table("findings", baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("audit_id", sa.Integer(), nullable=False),
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("rule", sa.String(length=32), nullable=False),
    sa.Column("category", sa.String(length=32), nullable=False),
    sa.Column("severity", sa.String(length=16), nullable=False),
    sa.Column("department_id", sa.String(length=64), nullable=True),
    sa.Column("site_id", sa.String(length=64), nullable=True),
    sa.Column("column", sa.Text(), nullable=True),
    sa.Column("url", sa.Text(), nullable=True),
    sa.Column("evidence", sa.Text(), nullable=True),
    sa.Column("detail", sa.Text(), nullable=True),
    sa.Column("data", sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table("hub_items", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("page_url", sa.Text(), nullable=False),
    sa.Column("block", sa.Integer(), nullable=True),
    sa.Column("block_title", sa.Text(), nullable=True),
    sa.Column("position", sa.Integer(), nullable=True),
    sa.Column("title", sa.Text(), nullable=True),
    sa.Column("url", sa.Text(), nullable=True),
    sa.Column("date", sa.Date(), nullable=True),
    sa.Column("date_source", sa.String(length=16), nullable=True),
    sa.Column("raw_date", sa.Text(), nullable=True),
)

sa.Table("ledger", baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("fingerprint", sa.String(length=40), nullable=False),
    sa.Column("rule", sa.String(length=32), nullable=False),
    sa.Column("category", sa.String(length=32), nullable=False),
    sa.Column("severity", sa.String(length=16), nullable=False),
    sa.Column("department_id", sa.String(length=64), nullable=True),
    sa.Column("site_id", sa.String(length=64), nullable=True),
    sa.Column("column", sa.Text(), nullable=True),
    sa.Column("url", sa.Text(), nullable=True),
    sa.Column("evidence", sa.Text(), nullable=True),
    sa.Column("detail", sa.Text(), nullable=True),
    sa.Column("first_run", sa.Integer(), nullable=False),
    sa.Column("first_seen", sa.Date(), nullable=False),
    sa.Column("last_run", sa.Integer(), nullable=False),
    sa.Column("last_seen", sa.Date(), nullable=False),
    sa.Column("last_finding_id", sa.Integer(), nullable=True),
    sa.Column("opened_run", sa.Integer(), nullable=True),
    sa.Column("opened_on", sa.Date(), nullable=True),
    sa.Column("deadline", sa.Date(), nullable=True),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("rectified_run", sa.Integer(), nullable=True),
    sa.Column("rectified_on", sa.Date(), nullable=True),
    sa.Column("mark", sa.String(length=16), nullable=True),
    sa.Column("mark_reason", sa.Text(), nullable=True),
    sa.Column("marked_by", sa.Text(), nullable=True),
    sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("fingerprint"),
)

sa.Table("ledger_history", baseline,
    sa.Column("fingerprint", sa.String(length=40), nullable=False),
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("as_of", sa.Date(), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("finding_id", sa.Integer(), nullable=True),
)

sa.Table("ledger_marks", baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("fingerprint", sa.String(length=40), nullable=False),
    sa.Column("action", sa.String(length=8), nullable=False),
    sa.Column("mark", sa.String(length=16), nullable=True),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("by", sa.Text(), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finding_id", sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table("link_checks", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("url", sa.Text(), nullable=False),
    sa.Column("final_url", sa.Text(), nullable=True),
    sa.Column("status", sa.Integer(), nullable=True),
    sa.Column("verdict", sa.String(length=16), nullable=True),
    sa.Column("error", sa.Text(), nullable=True),
    sa.Column("response_ms", sa.Integer(), nullable=True),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
)

sa.Table("links", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("page_url", sa.Text(), nullable=False),
    sa.Column("url", sa.Text(), nullable=False),
    sa.Column("text", sa.Text(), nullable=True),
    sa.Column("hidden", sa.Boolean(), nullable=True),
    sa.Column("context", sa.String(length=8), nullable=True),
    sa.Column("block", sa.String(length=16), nullable=True),
    sa.Column("internal", sa.Boolean(), nullable=True),
)

sa.Table("list_items", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("page_url", sa.Text(), nullable=False),
    sa.Column("position", sa.Integer(), nullable=True),
    sa.Column("title", sa.Text(), nullable=True),
    sa.Column("url", sa.Text(), nullable=True),
    sa.Column("date", sa.Date(), nullable=True),
    sa.Column("date_source", sa.String(length=16), nullable=True),
    sa.Column("raw_date", sa.Text(), nullable=True),
)

sa.Table("page_sites", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("page_url", sa.Text(), nullable=False),
    sa.Column("site_id", sa.String(length=64), nullable=False),
    sa.Column("how", sa.String(length=8), nullable=True),
)

sa.Table("page_tables", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("page_url", sa.Text(), nullable=False),
    sa.Column("position", sa.Integer(), nullable=True),
    sa.Column("caption", sa.Text(), nullable=True),
    sa.Column("cells", sa.Text(), nullable=True),
)

sa.Table("page_validators", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("url", sa.Text(), nullable=False),
    sa.Column("etag", sa.Text(), nullable=True),
    sa.Column("last_modified", sa.Text(), nullable=True),
)

sa.Table("pii_hits", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("doc_url", sa.Text(), nullable=False),
    sa.Column("doc_kind", sa.String(length=12), nullable=True),
    sa.Column("kind", sa.String(length=12), nullable=True),
    sa.Column("masked", sa.Text(), nullable=True),
    sa.Column("position", sa.Integer(), nullable=True),
    sa.Column("context", sa.Text(), nullable=True),
)

sa.Table("probes", baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("site_id", sa.String(length=64), nullable=False),
    sa.Column("url", sa.Text(), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ok", sa.Boolean(), nullable=False),
    sa.Column("status", sa.Integer(), nullable=True),
    sa.Column("response_ms", sa.Integer(), nullable=True),
    sa.Column("error", sa.Text(), nullable=True),
    sa.Column("source", sa.String(length=8), nullable=True),
    sa.Column("run_id", sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table("runs", baseline,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("config_path", sa.Text(), nullable=True),
    sa.Column("config_digest", sa.String(length=32), nullable=True),
    sa.Column("config_json", sa.Text(), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("pages", sa.Integer(), nullable=True),
    sa.Column("errors", sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table("template_blocks", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("block", sa.String(length=16), nullable=False),
)

sa.Table("pages", baseline,
    sa.Column("run_id", sa.Integer(), nullable=False),
    sa.Column("url", sa.Text(), nullable=False),
    sa.Column("final_url", sa.Text(), nullable=True),
    sa.Column("status", sa.Integer(), nullable=True),
    sa.Column("content_type", sa.Text(), nullable=True),
    sa.Column("title", sa.Text(), nullable=True),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("response_ms", sa.Integer(), nullable=True),
    sa.Column("encoding", sa.String(length=32), nullable=True),
    sa.Column("bytes", sa.Integer(), nullable=True),
    sa.Column("kind", sa.String(length=16), nullable=True),
    sa.Column("depth", sa.Integer(), nullable=True),
    sa.Column("published", sa.Date(), nullable=True),
    sa.Column("published_source", sa.String(length=16), nullable=True),
    sa.Column("published_raw", sa.Text(), nullable=True),
    sa.Column("written", sa.Date(), nullable=True),
    sa.Column("written_raw", sa.Text(), nullable=True),
    sa.Column("rejected_dates", sa.Text(), nullable=True),
    sa.Column("column_name", sa.Text(), nullable=True),
    sa.Column("column_name_source", sa.String(length=16), nullable=True),
    sa.Column("list_shape", sa.String(length=24), nullable=True),
    sa.Column("list_placeholder", sa.Boolean(), nullable=True),
    sa.Column("list_total", sa.Integer(), nullable=True),
    sa.Column("list_of", sa.Text(), nullable=True),
    sa.Column("meta", sa.Text(), nullable=True),
    sa.Column("site_code", sa.Text(), nullable=True),
    sa.Column("icp", sa.Text(), nullable=True),
    sa.Column("police", sa.Text(), nullable=True),
    sa.Column("badge", sa.Boolean(), nullable=True),
    sa.Column("text", sa.Text(), nullable=True),
    sa.Column("error", sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(["run_id"], ["runs.id"]),
)


#: (name, table, columns, unique)
INDEXES = [
    ("ix_att_run_url", "attachments", ["run_id", "url"], True),
    ("ix_bulletins_year_number", "bulletins", ["year", "number"], True),
    ("ix_column_pages_run_column", "column_pages", ["run_id", "column_url"], False),
    ("ix_columns_run", "columns", ["run_id"], False),
    ("ix_findings_run", "findings", ["run_id"], False),
    ("ix_hub_items_run_page", "hub_items", ["run_id", "page_url"], False),
    ("ix_ledger_history_fp", "ledger_history", ["fingerprint"], False),
    ("ix_ledger_history_run", "ledger_history", ["run_id"], False),
    ("ix_ledger_marks_fp", "ledger_marks", ["fingerprint"], False),
    ("ix_link_checks_run_url", "link_checks", ["run_id", "url"], False),
    ("ix_links_run_page", "links", ["run_id", "page_url"], False),
    ("ix_items_run_page", "list_items", ["run_id", "page_url"], False),
    ("ix_page_sites_run", "page_sites", ["run_id", "site_id"], False),
    ("ix_page_tables_run_page", "page_tables", ["run_id", "page_url"], False),
    ("ix_page_validators_run_url", "page_validators", ["run_id", "url"], False),
    ("ix_pii_run_doc", "pii_hits", ["run_id", "doc_url"], False),
    ("ix_probes_site_at", "probes", ["site_id", "at"], False),
    ("ix_pages_run_url", "pages", ["run_id", "url"], True),
]


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    existing = set(inspector.get_table_names())
    for table in baseline.sorted_tables:
        if table.name in existing:
            have = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have:
                    op.add_column(table.name, column._copy())
            have_indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        else:
            table.create(bind)
            have_indexes = set()
        for name, on, columns, unique in INDEXES:
            if on == table.name and name not in have_indexes:
                op.create_index(name, on, columns, unique=unique)
    if "schema_info" in existing:
        op.drop_table("schema_info")


def downgrade() -> None:
    baseline.drop_all(op.get_bind())
