"""The store: schema and access, SQLAlchemy Core over SQLite by default.

One crawl is one *run*. The crawler writes facts (pages, links, list items, attachments,
log lines) in batched transactions while it runs and, when it ends, derives the run's
attribution (which page belongs to which section) and its columns in one transaction, then
marks the run ``complete``. Audits read a complete run and write findings for it, replacing
that run's earlier findings atomically. docs/schema.md documents every table.

Everything here is plain SQL through SQLAlchemy so that PostgreSQL is only a different URL.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any

import pandas as pd
from sqlalchemy import (Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, MetaData,
                        String, Table, Text, TypeDecorator, bindparam, create_engine, delete, event, func, insert,
                        select, update)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import OperationalError

from govaudit import migrations


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC on every backend. PostgreSQL converts an aware datetime itself;
    SQLite would keep its wall-clock time and drop the offset, so it gets the naive UTC time."""
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
            return value.replace(tzinfo=None) if dialect.name == "sqlite" else value
        return value


metadata = MetaData()

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("config_path", Text),
    Column("config_digest", String(32)),
    Column("config_json", Text, nullable=False),      # snapshot: departments, sites, classes used
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(16), nullable=False),     # running | complete | failed | interrupted
    Column("pages", Integer, default=0),
    Column("errors", Integer, default=0),
)

pages = Table(
    "pages", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("url", Text, nullable=False),               # requested URL (the key)
    Column("final_url", Text),
    Column("status", Integer),
    Column("content_type", Text),
    Column("title", Text),
    Column("fetched_at", UTCDateTime),
    Column("response_ms", Integer),
    Column("encoding", String(32)),
    Column("bytes", Integer),
    Column("kind", String(16)),                        # list | article | hub | datastore | other | error
    Column("depth", Integer),
    Column("published", Date),
    Column("published_source", String(16)),
    Column("published_raw", Text),
    Column("written", Date),                           # 成文日期/印发日期 when the page states one
    Column("written_raw", Text),
    Column("rejected_dates", Text),                    # JSON [{raw, reason}]
    Column("column_name", Text),
    Column("column_name_source", String(16)),
    Column("list_shape", String(24)),
    Column("list_placeholder", Boolean),
    Column("list_total", Integer),
    Column("list_of", Text),                           # page-1 URL of the column this page continues
    Column("meta", Text),                              # JSON of <meta name=…>
    Column("site_code", Text),
    Column("icp", Text),
    Column("police", Text),
    Column("badge", Boolean),                          # the 党政机关网站标识 (conac badge) is shown
    Column("text", Text),
    Column("error", Text),
)
Index("ix_pages_run_url", pages.c.run_id, pages.c.url, unique=True)

links = Table(
    "links", metadata,
    Column("run_id", Integer, nullable=False),
    Column("page_url", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("text", Text),
    Column("hidden", Boolean, default=False),
    Column("context", String(8)),                      # a | comment | script | next (pagination)
    Column("block", String(16)),
    Column("internal", Boolean),                       # target on one of the config's hosts
)
Index("ix_links_run_page", links.c.run_id, links.c.page_url)

list_items = Table(
    "list_items", metadata,
    Column("run_id", Integer, nullable=False),
    Column("page_url", Text, nullable=False),          # the list page the item was read on
    Column("position", Integer),
    Column("title", Text),
    Column("url", Text),
    Column("date", Date),
    Column("date_source", String(16)),
    Column("raw_date", Text),
)
Index("ix_items_run_page", list_items.c.run_id, list_items.c.page_url)

attachments = Table(
    "attachments", metadata,
    Column("run_id", Integer, nullable=False),
    Column("url", Text, nullable=False),
    Column("status", Integer),
    Column("content_type", Text),
    Column("ext", String(8)),
    Column("bytes", Integer),
    Column("fetched_at", UTCDateTime),
    Column("text", Text),
    Column("error", Text),                             # why the text could not be read
)
Index("ix_att_run_url", attachments.c.run_id, attachments.c.url, unique=True)

link_checks = Table(
    "link_checks", metadata,
    Column("run_id", Integer, nullable=False),
    Column("url", Text, nullable=False),               # a link target (internal or external)
    Column("final_url", Text),
    Column("status", Integer),                         # HTTP status, null when no answer
    Column("verdict", String(16)),                     # ok | dead | unverifiable | skipped
    Column("error", Text),                             # timeout, refused, DNS … (why no answer)
    Column("response_ms", Integer),
    Column("checked_at", UTCDateTime),
)
Index("ix_link_checks_run_url", link_checks.c.run_id, link_checks.c.url)

pii_hits = Table(
    "pii_hits", metadata,
    Column("run_id", Integer, nullable=False),
    Column("doc_url", Text, nullable=False),           # the page or attachment
    Column("doc_kind", String(12)),                    # page | attachment
    Column("kind", String(12)),                        # id_card | mobile | bank_card
    Column("masked", Text),                            # the value as masked before storing: never raw
    Column("position", Integer),                       # character offset in the stored (masked) text
    Column("context", Text),                           # a few characters around it, masked too
)
Index("ix_pii_run_doc", pii_hits.c.run_id, pii_hits.c.doc_url)

hub_items = Table(
    "hub_items", metadata,                             # dated entries of a hub page (homepage) per block
    Column("run_id", Integer, nullable=False),
    Column("page_url", Text, nullable=False),
    Column("block", Integer),                          # 0-based index of the block on the page
    Column("block_title", Text),                       # its heading (要闻动态, 通知公告 …) when it has one
    Column("position", Integer),
    Column("title", Text),
    Column("url", Text),
    Column("date", Date),
    Column("date_source", String(16)),
    Column("raw_date", Text),
)
Index("ix_hub_items_run_page", hub_items.c.run_id, hub_items.c.page_url)

page_tables = Table(
    "page_tables", metadata,                           # HTML tables of document pages, cells as text
    Column("run_id", Integer, nullable=False),
    Column("page_url", Text, nullable=False),
    Column("position", Integer),                       # 0-based index of the table on the page
    Column("caption", Text),                           # <caption> or the heading text just before it
    Column("cells", Text),                             # JSON list of rows, each a list of cell texts
)
Index("ix_page_tables_run_page", page_tables.c.run_id, page_tables.c.page_url)

probes = Table(
    "probes", metadata,                                # homepage availability probes (not tied to a run)
    Column("id", Integer, primary_key=True),
    Column("site_id", String(64), nullable=False),
    Column("url", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("ok", Boolean, nullable=False),             # loaded (2xx/3xx, whole body) within the timeout
    Column("status", Integer),
    Column("response_ms", Integer),
    Column("error", Text),
    Column("source", String(8)),                       # probe (govaudit probe) | crawl (a crawl's fetch)
    Column("run_id", Integer),                         # the crawl run, for source=crawl
)
Index("ix_probes_site_at", probes.c.site_id, probes.c.at)

page_sites = Table(
    "page_sites", metadata,
    Column("run_id", Integer, nullable=False),
    Column("page_url", Text, nullable=False),
    Column("site_id", String(64), nullable=False),
    Column("how", String(8)),                          # start | scope | link
)
Index("ix_page_sites_run", page_sites.c.run_id, page_sites.c.site_id)

column_pages = Table(
    "column_pages", metadata,
    Column("run_id", Integer, nullable=False),
    Column("column_url", Text, nullable=False),        # page 1 of the column
    Column("page_url", Text, nullable=False),          # a list page of it (page 1 included)
    Column("page_no", Integer),                        # 1-based, in pagination order
)
Index("ix_column_pages_run_column", column_pages.c.run_id, column_pages.c.column_url)

template_blocks = Table(
    "template_blocks", metadata,
    Column("run_id", Integer, nullable=False),
    Column("block", String(16), nullable=False),       # link-block fingerprint shared by the host template
)

columns = Table(
    "columns", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, nullable=False),
    Column("site_id", String(64), nullable=False),
    Column("department_id", String(64), nullable=False),
    Column("name", Text),
    Column("name_source", String(16)),                 # config | breadcrumb | meta | heading | title | link
    Column("url", Text, nullable=False),
    Column("update_class", Text),
    Column("class_source", String(16)),                # config | keyword | default
    Column("window", String(16)),                      # e.g. 14天, 6个月
    Column("window_days", Integer),
    Column("shape", String(24)),
    Column("pages", Integer),                          # list pages read
    Column("item_count", Integer),
    Column("undated_count", Integer),
    Column("latest_date", Date),
    Column("latest_source", String(16)),
    Column("placeholder", Boolean),
    Column("fetched", Boolean),                        # False: listed in config but not reachable
)
Index("ix_columns_run", columns.c.run_id)

audits = Table(
    "audits", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("rules", Text),                             # JSON list of rule ids applied
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", Integer, nullable=False),
    Column("run_id", Integer, nullable=False),
    Column("rule", String(32), nullable=False),
    Column("category", String(32), nullable=False),
    Column("severity", String(16), nullable=False),    # veto | deduct | advisory
    Column("department_id", String(64)),
    Column("site_id", String(64)),
    Column("column", Text),
    Column("url", Text),
    Column("evidence", Text),                          # always masked where personal
    Column("detail", Text),                            # Chinese sentence for bulletins
    Column("data", Text),                              # JSON facts the judgement used
)
Index("ix_findings_run", findings.c.run_id)

crawl_log = Table(
    "crawl_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("level", String(8)),
    Column("url", Text),
    Column("message", Text),
)

# --- the ledger (问题清单): derived from all audited runs by govaudit.ledger.rebuild; marks are not
ledger = Table(
    "ledger", metadata,                                # one row per problem tracked across runs
    Column("id", Integer, primary_key=True),
    Column("fingerprint", String(40), nullable=False, unique=True),   # sha1 of rule + the rule's identity
    Column("rule", String(32), nullable=False),
    Column("category", String(32), nullable=False),
    Column("severity", String(16), nullable=False),    # of the latest finding
    Column("department_id", String(64)),
    Column("site_id", String(64)),
    Column("column", Text),
    Column("url", Text),
    Column("evidence", Text),                          # latest finding's, masked
    Column("detail", Text),                            # latest finding's
    Column("first_run", Integer, nullable=False),
    Column("first_seen", Date, nullable=False),        # as-of date of the first audit that found it
    Column("last_run", Integer, nullable=False),
    Column("last_seen", Date, nullable=False),
    Column("last_finding_id", Integer),
    Column("opened_run", Integer),                     # start of the current open spell (first or reopened)
    Column("opened_on", Date),
    Column("deadline", Date),                          # opened_on + ledger.deadline_workdays working days
    Column("status", String(16), nullable=False),      # new | persisting | overdue | rectified | reopened
    Column("rectified_run", Integer),
    Column("rectified_on", Date),
    Column("mark", String(16)),                        # accepted-risk | false-positive (latest ledger_marks row)
    Column("mark_reason", Text),
    Column("marked_by", Text),
    Column("marked_at", UTCDateTime),
)

ledger_history = Table(
    "ledger_history", metadata,                        # the status of each problem in each run that saw or re-checked it
    Column("fingerprint", String(40), nullable=False),
    Column("run_id", Integer, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("finding_id", Integer),                     # null when rectified (no finding)
)
Index("ix_ledger_history_fp", ledger_history.c.fingerprint)
Index("ix_ledger_history_run", ledger_history.c.run_id)

ledger_marks = Table(
    "ledger_marks", metadata,                          # append-only: every mark and unmark, who and when
    Column("id", Integer, primary_key=True),
    Column("fingerprint", String(40), nullable=False),
    Column("action", String(8), nullable=False),       # mark | unmark
    Column("mark", String(16)),                        # accepted-risk | false-positive; null for unmark
    Column("reason", Text, nullable=False),
    Column("by", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("finding_id", Integer),                     # the finding id the user named, if any
)
Index("ix_ledger_marks_fp", ledger_marks.c.fingerprint)

# --- issued bulletins: 第N期 numbering per year (reports.bulletin.issue); re-rendering a month keeps its row
bulletins = Table(
    "bulletins", metadata,
    Column("year", Integer, nullable=False),           # year of the reported month
    Column("number", Integer, nullable=False),         # 期号 within the year: 1, 2, …
    Column("month", String(7), nullable=False, unique=True),   # YYYY-MM reported
    Column("issued_at", Date, nullable=False),         # the date the bulletin bears (deadlines count from it)
)
Index("ix_bulletins_year_number", bulletins.c.year, bulletins.c.number, unique=True)

# --- HTTP validators of a run's pages and attachments: the next crawl of the config revalidates with them
page_validators = Table(
    "page_validators", metadata,                       # crawler.incremental: documents a later run may reuse
    Column("run_id", Integer, nullable=False),
    Column("url", Text, nullable=False),               # requested URL (pages.url / attachments.url)
    Column("etag", Text),                              # ETag of the 200 answer (sent back as If-None-Match)
    Column("last_modified", Text),                     # Last-Modified (sent back as If-Modified-Since)
    Column("verified_at", UTCDateTime),                # last downloaded or confirmed by a 304
)
Index("ix_page_validators_run_url", page_validators.c.run_id, page_validators.c.url)

#: Tables that hold one run's crawl facts (deleted with the run, rewritten by finalize).
FACT_TABLES = (pages, links, list_items, hub_items, page_tables, attachments, pii_hits, link_checks, page_validators)
DERIVED_TABLES = (page_sites, template_blocks, column_pages, columns)


def now() -> datetime:
    return datetime.now(timezone.utc)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _postgres_utc(dbapi_conn, _record) -> None:
    """Sessions in UTC whatever the server's TimeZone, so timestamps read back as SQLite's do
    (UTC; SQLite's are naive)."""
    autocommit, dbapi_conn.autocommit = dbapi_conn.autocommit, True
    dbapi_conn.execute("SET TIME ZONE 'UTC'")
    dbapi_conn.autocommit = autocommit


class StoreError(Exception):
    pass


def engine_url(url: str) -> URL:
    """The SQLAlchemy URL to connect with: a plain ``postgresql://`` (or ``postgres://``) URL
    uses the psycopg (v3) driver, which govaudit installs, rather than SQLAlchemy's default psycopg2."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


class Store:
    """Access to one store URL. Every write method is one transaction."""

    def __init__(self, url: str):
        """Open the store at `url` and bring its schema to the newest migration (govaudit/migrations)."""
        self.url = make_url(url).render_as_string(hide_password=True)   # for messages
        self.engine: Engine = create_engine(engine_url(url), future=True)
        on_connect = {"sqlite": _sqlite_pragmas, "postgresql": _postgres_utc}.get(self.engine.dialect.name)
        if on_connect:
            event.listen(self.engine, "connect", on_connect)
        try:
            migrations.upgrade(self.engine)
        except OperationalError as exc:
            raise StoreError(f"cannot open the store {self.url}: {exc.orig}") from None
        except migrations.MigrationError as exc:
            raise StoreError(f"{self.url}: {exc}") from None

    @contextmanager
    def tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # --- runs ---------------------------------------------------------------------------
    def new_run(self, config_path: str | None, digest: str | None, snapshot: dict) -> int:
        with self.tx() as conn:
            result = conn.execute(insert(runs).values(
                config_path=config_path, config_digest=digest, config_json=json.dumps(snapshot, ensure_ascii=False),
                started_at=now(), status="running", pages=0, errors=0))
            return int(result.inserted_primary_key[0])

    def finish_run(self, conn: Connection, run_id: int, status: str) -> None:
        counts = {
            "pages": conn.execute(select(func.count()).select_from(pages).where(pages.c.run_id == run_id)).scalar(),
            "errors": conn.execute(select(func.count()).select_from(crawl_log).where(
                crawl_log.c.run_id == run_id, crawl_log.c.level == "ERROR")).scalar(),
        }
        conn.execute(update(runs).where(runs.c.id == run_id).values(status=status, finished_at=now(), **counts))

    def set_status(self, run_id: int, status: str) -> None:
        with self.tx() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(status=status, finished_at=now()))

    def run(self, run_id: int) -> dict:
        with self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
        if row is None:
            raise StoreError(f"no run {run_id} in {self.url}; `govaudit runs` lists the stored runs")
        out = dict(row)
        out["config"] = json.loads(out.pop("config_json"))
        return out

    def latest_run_id(self, status: str | None = "complete") -> int:
        query = select(func.max(runs.c.id))
        if status:
            query = query.where(runs.c.status == status)
        with self.engine.connect() as conn:
            run_id = conn.execute(query).scalar()
        if run_id is None:
            raise StoreError(f"no {status or ''} run in {self.url}; run `govaudit crawl CONFIG` first".replace("  ", " "))
        return int(run_id)

    def runs_frame(self) -> pd.DataFrame:
        return self.frame(select(runs.c.id, runs.c.status, runs.c.started_at, runs.c.finished_at, runs.c.pages,
                                 runs.c.errors, runs.c.config_path).order_by(runs.c.id))

    # --- writes -------------------------------------------------------------------------
    def insert_rows(self, conn: Connection, table: Table, rows: list[dict]) -> None:
        """executemany insert; rows may omit columns (an executemany takes its column list from
        the first row, so every row is padded to the same keys first). NUL characters (binary
        served as text) are dropped from strings: PostgreSQL's text refuses them."""
        if rows:
            keys = {key for row in rows for key in row if key in table.c}
            conn.execute(insert(table), [{key: _no_nul(row.get(key)) for key in keys} for row in rows])

    def write_batch(self, batch: dict[str, list[dict]]) -> None:
        """Write one batch of crawl facts (table name -> rows) in a single transaction; the
        ``"reused"`` entries copy a document's rows from an earlier run (`copy_documents`)."""
        with self.tx() as conn:
            for table in (*FACT_TABLES, probes, crawl_log):
                self.insert_rows(conn, table, batch.get(table.name, []))
            self.copy_documents(conn, batch.get("reused", []))

    def copy_documents(self, conn: Connection, reused: list[dict]) -> None:
        """Copy unchanged documents (a 304 to an incremental crawl, crawler.incremental) from an
        earlier run into a new one with INSERT … SELECT: a page's rows in every page fact table
        or an attachment's, and their personal-data hits. Each row of `reused` has ``run_id``,
        ``from_run``, ``url``, ``doc`` (page | attachment), ``fetched_at``, ``response_ms``,
        ``depth``; the last three are the new fetch's."""
        for doc in ("page", "attachment"):
            rows = [row for row in reused if row["doc"] == doc]
            if not rows:
                continue
            own = pages if doc == "page" else attachments
            fresh = [c for c in ("fetched_at", "response_ms", "depth") if c in own.c]
            children = [(t, t.c.page_url) for t in (links, list_items, hub_items, page_tables)] if doc == "page" else []
            for table, key, fresh_cols in [(own, own.c.url, fresh), *[(t, k, []) for t, k in children],
                                           (pii_hits, pii_hits.c.doc_url, [])]:
                kept = [c for c in table.c if c.name not in ("run_id", "id", *fresh_cols)]
                where = [table.c.run_id == bindparam("from_run"), key == bindparam("url")]
                if table is pii_hits:
                    where.append(pii_hits.c.doc_kind == doc)
                query = select(bindparam("run_id", type_=Integer), *kept,
                               *[bindparam(c, type_=own.c[c].type) for c in fresh_cols]).where(*where)
                conn.execute(insert(table).from_select(["run_id", *(c.name for c in kept), *fresh_cols], query),
                             [{k: row.get(k) for k in ("run_id", "from_run", "url", *fresh_cols)} for row in rows])

    def log(self, run_id: int, level: str, url: str | None, message: str) -> None:
        with self.tx() as conn:
            conn.execute(insert(crawl_log).values(run_id=run_id, at=now(), level=level, url=url, message=message))

    def replace_derived(self, conn: Connection, run_id: int, tables: dict[str, list[dict]]) -> None:
        for table in DERIVED_TABLES:
            conn.execute(delete(table).where(table.c.run_id == run_id))
            self.insert_rows(conn, table, tables.get(table.name, []))

    def replace_findings(self, run_id: int, as_of: date, rule_ids: list[str], rows: Iterable[dict],
                         then: Callable[[Connection], Any] | None = None) -> int:
        """Store one audit of `run_id`: its findings replace the run's previous audits atomically;
        `then(conn)` runs in the same transaction (the ledger update, so both land or neither)."""
        with self.tx() as conn:
            old = [r for (r,) in conn.execute(select(audits.c.id).where(audits.c.run_id == run_id))]
            conn.execute(delete(findings).where(findings.c.run_id == run_id))
            conn.execute(delete(audits).where(audits.c.id.in_(old)))
            audit_id = conn.execute(insert(audits).values(
                run_id=run_id, as_of=as_of, created_at=now(), rules=json.dumps(rule_ids))).inserted_primary_key[0]
            rows = [{**row, "audit_id": audit_id, "run_id": run_id} for row in rows]
            self.insert_rows(conn, findings, rows)
            if then is not None:
                then(conn)
            return int(audit_id)

    # --- reads --------------------------------------------------------------------------
    def frame(self, query, conn: Connection | None = None) -> pd.DataFrame:
        if conn is not None:
            return pd.read_sql(query, conn)
        with self.engine.connect() as own:
            return pd.read_sql(query, own)

    @staticmethod
    def raw_rows(conn: Connection, query, batch: int = 20_000) -> Iterator[tuple]:
        """The rows of a SELECT as the driver's plain tuples, a batch at a time: a server-side cursor
        on PostgreSQL, so a result of millions of rows (a large run's links) is never in memory
        at once, and about three times faster than SQLAlchemy rows. Values are not converted:
        use it for text, numbers and booleans (which SQLite gives as 0/1), not timestamps."""
        compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        params = compiled.params
        if compiled.positional:
            params = tuple(params[name] for name in compiled.positiontup)
        driver = conn.connection.driver_connection
        cursor = driver.cursor(name="govaudit_raw_rows") if conn.dialect.name == "postgresql" else driver.cursor()
        try:
            cursor.execute(str(compiled), params)
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            cursor.close()

    def table_frame(self, table: Table, run_id: int, conn: Connection | None = None, cols: list[str] | None = None) -> pd.DataFrame:
        selected = [table.c[c] for c in cols] if cols else [table]
        return self.frame(select(*selected).where(table.c.run_id == run_id), conn)

    def count(self, table: Table, run_id: int) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table).where(table.c.run_id == run_id)).scalar())

    def audit_of(self, run_id: int) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(audits).where(audits.c.run_id == run_id)
                               .order_by(audits.c.id.desc())).mappings().first()
        return dict(row) if row else None

    def findings_frame(self, run_id: int) -> pd.DataFrame:
        return self.frame(select(findings).where(findings.c.run_id == run_id).order_by(findings.c.id))

    def runs_in_month(self, year: int, month: int) -> list[int]:
        start = datetime(year, month, 1, tzinfo=timezone.utc)
        end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=timezone.utc)
        with self.engine.connect() as conn:
            ids = conn.execute(select(audits.c.run_id).where(audits.c.as_of >= start.date(),
                                                             audits.c.as_of < end.date())
                               .order_by(audits.c.run_id)).scalars().all()
        return list(ids)


def _no_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value


def json_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
