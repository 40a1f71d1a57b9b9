"""The demo portal end to end on PostgreSQL: real HTTP on 127.0.0.1, a real local PostgreSQL
(tests/pg.py, its clock in Beijing time), the real CLI with a plain ``postgresql://`` URL.

Probes, week 1 crawled and audited, the ledger and the month's report, all on PostgreSQL; the
findings are checked against the demo's ground truth. Then the stored facts are copied into a
SQLite store and judged again there: findings, ledger and month scores must be the same on both
backends (the rules', ledger's and scoring's SQL and pandas reads are portable). One week keeps
this under half a minute; the ledger's transitions over runs are checked on both backends in
tests/unit/test_store.py, and test_demo_e2e runs both weeks on SQLite.
"""
import json
from collections import Counter

import pandas as pd
import pytest
from sqlalchemy import select

from govaudit.demo import DEMO_AS_OF, DemoPortal, demo_config, ground_truth
from govaudit.demo.content import PROBE_ROUNDS
from govaudit.demo.model import WEEKS
from govaudit.demo.truth import finding_key, truth_key
from govaudit.migrations import head
from govaudit.store import Store, findings, ledger, ledger_history, metadata
from reports.scoring import month_frames
from .govaudit_cli import cli

pytestmark = pytest.mark.e2e
MONTH = DEMO_AS_OF.strftime("%Y-%m")
WEEK = 1


@pytest.fixture(scope="module")
def demo(postgres, tmp_path_factory):
    out = tmp_path_factory.mktemp("pg-demo")
    db = postgres.create_database("demo_e2e")
    with DemoPortal(week=WEEK) as portal:
        config = out / "sites.yaml"
        config.write_text(demo_config(portal.portal_url, portal.site_url, db), encoding="utf-8")
        cli("probe", config, "--repeat", PROBE_ROUNDS, "--every", 0)
        run = int(cli("crawl", config, "--no-progress").stdout.strip())
        cli("audit", "--run", run, "--as-of", WEEKS[WEEK].isoformat(), "--db", db)
        truth = ground_truth(portal.portal_url, portal.site_url, WEEK)
    cli("report", "--month", MONTH, "--out", out / "report", "--db", db)
    return {"db": db, "out": out, "run": run, "truth": truth}


@pytest.fixture(scope="module")
def sqlite_copy(demo, tmp_path_factory):
    """The PostgreSQL store's facts copied into a new SQLite store, every run audited again there."""
    url = f"sqlite:///{tmp_path_factory.mktemp('pg-copy') / 'copy.db'}"
    source, target = Store(demo["db"]), Store(url)
    with source.engine.connect() as read, target.tx() as write:
        for table in metadata.sorted_tables:
            target.insert_rows(write, table, [dict(row) for row in read.execute(select(table)).mappings()])
    cli("audit", "--run", demo["run"], "--as-of", WEEKS[WEEK].isoformat(), "--db", url)
    return url


def stored_findings(url: str, run: int) -> list[dict]:
    with Store(url).engine.connect() as conn:
        rows = conn.execute(select(findings).where(findings.c.run_id == run)).mappings().all()
    return [{**row, "data": json.loads(row["data"] or "{}")} for row in rows]


def keys(rows: list[dict]) -> Counter:
    return Counter(finding_key(f["rule"], f["site_id"], f["department_id"], f["severity"], f["url"], f["data"])
                   for f in rows)


def test_every_true_case_and_no_decoy_on_postgresql(demo):
    got = keys(stored_findings(demo["db"], demo["run"]))
    want = Counter(truth_key(f) for f in demo["truth"]["findings"])
    assert sorted(map(str, got - want)) == [] and sorted(map(str, want - got)) == []


def test_the_ledger_and_the_bulletin(demo):
    entries = Store(demo["db"]).frame(select(ledger))
    assert list(entries["status"].unique()) == ["new"]
    assert len(entries) == len(set(keys(stored_findings(demo["db"], demo["run"]))))
    assert "检查情况通报" in (demo["out"] / "report" / "bulletin.html").read_text(encoding="utf-8")


def comparable(url: str, table, order: list[str], drop: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = Store(url).frame(select(table))
    return frame.drop(columns=list(drop)).sort_values(order).reset_index(drop=True)


def test_both_backends_judge_the_same_facts_the_same(demo, sqlite_copy):
    run = demo["run"]
    assert keys(stored_findings(sqlite_copy, run)) == keys(stored_findings(demo["db"], run))
    details = [sorted(f["detail"] for f in stored_findings(url, run)) for url in (demo["db"], sqlite_copy)]
    assert details[0] == details[1]
    ids = ("id", "last_finding_id", "marked_at")
    pd.testing.assert_frame_equal(comparable(sqlite_copy, ledger, ["fingerprint"], ids),
                                  comparable(demo["db"], ledger, ["fingerprint"], ids))
    pd.testing.assert_frame_equal(comparable(sqlite_copy, ledger_history, ["fingerprint", "run_id"], ("finding_id",)),
                                  comparable(demo["db"], ledger_history, ["fingerprint", "run_id"], ("finding_id",)))


def test_both_backends_score_the_month_the_same(demo, sqlite_copy):
    on = {name: month_frames(Store(url), MONTH) for name, url in (("postgresql", demo["db"]), ("sqlite", sqlite_copy))}
    for part in ("sites", "departments", "deductions"):
        pd.testing.assert_frame_equal(getattr(on["sqlite"], part), getattr(on["postgresql"], part), check_dtype=False)


def test_db_upgrade_names_the_revision(demo):
    out = cli("db", "upgrade", "--db", demo["db"]).stdout
    assert out.startswith("postgresql://govaudit@127.0.0.1:") and f"schema revision {head()} (newest {head()})" in out
