"""The store on both backends (SQLite file, a database on a real local PostgreSQL: tests/pg.py):
migrations, adopting pre-migration stores, and values written and read back the same way."""
import threading
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text

from govaudit import ledger, migrations
from govaudit.store import Store, StoreError, engine_url, ledger_history, links, metadata, pages, pii_hits
from ledger_runs import audited_run, dead, stale

BEIJING = timezone(timedelta(hours=8))


def schema_drift(url: str) -> list:
    """What alembic's autogenerate would change to make the database match store.metadata."""
    with create_engine(engine_url(url)).connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def revision(url: str) -> list[str]:
    with create_engine(engine_url(url)).connect() as conn:
        return [r for (r,) in conn.execute(text("SELECT version_num FROM alembic_version"))]


def test_plain_postgresql_url_uses_psycopg():
    assert engine_url("postgresql://u:pw@db.example:5433/audit").drivername == "postgresql+psycopg"
    assert engine_url("postgres://u@db/audit").drivername == "postgresql+psycopg"
    assert engine_url("postgresql+psycopg2://u@db/audit").drivername == "postgresql+psycopg2"
    assert engine_url("sqlite:///x.db").drivername == "sqlite"


def test_the_head_constant_is_the_newest_revision():
    assert migrations.HEAD == migrations.head()


def test_a_new_store_is_migrated_to_head_and_matches_the_tables(store_url):
    Store(store_url)
    assert revision(store_url) == [migrations.head()]
    assert schema_drift(store_url) == []
    Store(store_url)                                   # reopening at head changes nothing
    assert revision(store_url) == [migrations.head()]


def test_a_store_from_before_migrations_is_adopted_with_its_data(store_url):
    """A store written by the create_all era (schema_info, no alembic_version) that lacks a table,
    a column and an index added since: they are added, the data stays, schema_info goes."""
    engine = create_engine(engine_url(store_url))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE schema_info (version INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO schema_info (version) VALUES (1)"))
        conn.execute(text("DROP TABLE bulletins"))
        conn.execute(text("DROP INDEX ix_findings_run"))
        conn.execute(text("ALTER TABLE pages DROP COLUMN badge"))
        conn.execute(text("INSERT INTO runs (id, config_json, started_at, status) "
                          "VALUES (7, '{\"sites\": []}', '2026-11-01 02:00:00', 'complete')"))
    engine.dispose()
    drift = schema_drift(store_url)
    assert {d[0] for d in drift} >= {"add_table", "add_index", "add_column", "remove_table"}   # the comparison sees it

    store = Store(store_url)
    assert schema_drift(store_url) == []
    assert revision(store_url) == [migrations.head()]
    assert "schema_info" not in inspect(store.engine).get_table_names()
    assert store.latest_run_id() == 7 and store.run(7)["config"] == {"sites": []}


def test_a_store_from_a_newer_govaudit_is_refused_with_the_fix(store_url):
    Store(store_url)
    with create_engine(engine_url(store_url)).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="upgrade govaudit"):
        Store(store_url)


def test_processes_opening_a_new_store_at_once_migrate_it_once(store_url):
    errors = []

    def open_store():
        try:
            Store(store_url).engine.dispose()
        except Exception as exc:                       # reported below
            errors.append(exc)
    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert revision(store_url) == [migrations.head()]


def test_an_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="cannot open the store postgresql://govaudit:\\*\\*\\*@127.0.0.1:1/x"):
        Store("postgresql://govaudit:secret@127.0.0.1:1/x")


def as_utc(value: datetime) -> datetime:
    """Stored timestamps read back in UTC: naive on SQLite, aware on PostgreSQL."""
    assert value.utcoffset() in (None, timedelta(0)), value
    return value.replace(tzinfo=timezone.utc)


def test_values_round_trip(store_url):
    """Dates, Beijing-time datetimes (stored UTC), booleans with nulls, rows missing keys, a
    megabyte of Chinese text, and a NUL character (binary served as text; PostgreSQL refuses it)."""
    store = Store(store_url)
    run = store.new_run("sites.yaml", "d" * 32, {"organization": "江州市青溪区人民政府办公室"})
    fetched = datetime(2026, 11, 20, 7, 30, tzinfo=BEIJING)            # 2026-11-19 23:30 UTC
    long_text = "政务公开" * 250_000
    store.write_batch({
        "pages": [
            {"run_id": run, "url": "http://a/1.html", "status": 200, "fetched_at": fetched, "published": date(2026, 11, 19),
             "badge": True, "list_placeholder": False, "text": long_text, "title": "通知\x00公告"},
            {"run_id": run, "url": "http://a/2.html", "status": 404},
        ],
        "links": [{"run_id": run, "page_url": "http://a/1.html", "url": "http://a/2.html", "hidden": False},
                  {"run_id": run, "page_url": "http://a/1.html", "url": "http://b/", "text": "外链"}],
    })
    with store.engine.connect() as conn:
        rows = {r["url"]: r for r in conn.execute(select(pages).where(pages.c.run_id == run)).mappings()}
    first, second = rows["http://a/1.html"], rows["http://a/2.html"]
    assert as_utc(first["fetched_at"]) == fetched
    assert first["published"] == date(2026, 11, 19) and first["text"] == long_text and first["title"] == "通知公告"
    assert (first["badge"], first["list_placeholder"], second["badge"]) == (True, False, None)
    assert second["fetched_at"] is None and second["status"] == 404
    assert store.run(run)["config"] == {"organization": "江州市青溪区人民政府办公室"}

    frame = store.table_frame(links, run).set_index("url")
    assert frame.loc["http://a/2.html", "hidden"] == False  # noqa: E712 (numpy bool)
    assert frame.loc["http://b/", "text"] == "外链" and pd.isna(frame.loc["http://a/2.html", "text"])
    assert len(store.table_frame(pages, run, cols=["url", "badge"])) == 2


def test_audits_by_month(store_url):
    store = Store(store_url)
    runs = [store.new_run(None, None, {}) for _ in range(3)]
    for run, as_of in zip(runs, (date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 30))):
        store.replace_findings(run, as_of, ["column_stale"], [
            {"rule": "column_stale", "category": "更新", "severity": "deduct", "detail": "栏目「通知公告」未更新"}])
    assert store.runs_in_month(2026, 11) == runs[1:]
    assert store.runs_in_month(2026, 10) == runs[:1]
    assert store.runs_in_month(2026, 12) == []
    assert list(store.findings_frame(runs[2])["detail"]) == ["栏目「通知公告」未更新"]
    assert store.audit_of(runs[0])["as_of"] == date(2026, 10, 31)


def test_ledger_statuses_over_runs(store_url):
    """The ledger's rebuild (its queries and status machine) over three audited runs."""
    store = Store(store_url)
    a, b = stale("jyj", "通知公告", "2025-03-05"), dead("mzj", "http://mzj.qingxi.gov.cn/gone.html")
    r1 = audited_run(store, date(2025, 9, 26), [a, b])
    r2 = audited_run(store, date(2025, 10, 16), [a])            # a's deadline day; b gone
    r3 = audited_run(store, date(2025, 10, 17), [a, b])         # a overdue; b back
    history = store.frame(select(ledger_history).order_by(ledger_history.c.run_id))
    by_problem = {fp: list(zip(rows["run_id"], rows["status"])) for fp, rows in history.groupby("fingerprint")}
    assert by_problem == {ledger.fingerprint(a): [(r1, "new"), (r2, "persisting"), (r3, "overdue")],
                          ledger.fingerprint(b): [(r1, "new"), (r2, "rectified"), (r3, "reopened")]}


def test_an_unchanged_page_is_copied_into_the_next_run(store_url):
    """copy_documents (INSERT … SELECT with typed parameters): the page's rows and personal-data
    hits move to the new run with the new fetch's time; another page's and an attachment's do not."""
    store = Store(store_url)
    old, new = store.new_run(None, None, {}), store.new_run(None, None, {})
    page, other = "http://a/p.html", "http://a/other.html"
    store.write_batch({
        "pages": [{"run_id": old, "url": u, "status": 200, "title": "公告", "depth": 1, "badge": False,
                   "fetched_at": datetime(2026, 11, 13, tzinfo=timezone.utc), "published": date(2026, 11, 2)}
                  for u in (page, other)],
        "links": [{"run_id": old, "page_url": u, "url": "http://a/x.html", "hidden": True} for u in (page, other)],
        "pii_hits": [{"run_id": old, "doc_url": page, "doc_kind": "page", "kind": "mobile", "masked": "138****5678"},
                     {"run_id": old, "doc_url": page, "doc_kind": "attachment", "kind": "mobile", "masked": "139****0000"}],
    })
    refetched = datetime(2026, 11, 20, 8, 0, tzinfo=BEIJING)
    store.write_batch({"reused": [{"run_id": new, "from_run": old, "url": page, "doc": "page",
                                   "fetched_at": refetched, "response_ms": 12, "depth": 2}]})
    copied = store.table_frame(pages, new).to_dict("records")
    assert [(r["url"], r["title"], r["published"], r["badge"], r["response_ms"], r["depth"]) for r in copied] == [
        (page, "公告", date(2026, 11, 2), False, 12, 2)]
    assert as_utc(pd.Timestamp(copied[0]["fetched_at"]).to_pydatetime()) == refetched
    assert list(store.table_frame(links, new)["hidden"]) == [True]
    assert list(store.table_frame(pii_hits, new)["masked"]) == ["138****5678"]
