"""Resume after SIGKILL: a crawl of the demo portal killed midway and resumed stores the same facts
as an uninterrupted crawl, and is never audited before it is complete.

Each crawl gets a fresh DemoPortal on the same ports (its flaky homepages count GETs from the portal's
start, so two fresh portals answer alike, and the URLs are the same).
"""
import signal
import sqlite3
import subprocess
import time
from collections import Counter

import pytest

from govaudit.demo import DemoPortal, demo_config
from .govaudit_cli import BIN, cli

pytestmark = pytest.mark.e2e

#: table -> columns compared (timestamps, latencies and ids left out: they differ between any two crawls;
#: so does a page's depth, which is that of whichever linking page answered first under concurrency)
FACTS = {
    "pages": "url, final_url, status, content_type, title, encoding, bytes, kind, published, "
             "published_source, published_raw, written, written_raw, rejected_dates, column_name, "
             "column_name_source, list_shape, list_placeholder, list_total, list_of, meta, site_code, icp, police, "
             "badge, text, error",
    "links": "page_url, url, text, hidden, context, block, internal",
    "list_items": "page_url, position, title, url, date, date_source, raw_date",
    "hub_items": "page_url, block, block_title, position, title, url, date, date_source, raw_date",
    "page_tables": "page_url, position, caption, cells",
    "attachments": "url, status, content_type, ext, bytes, text, error",
    "pii_hits": "doc_url, doc_kind, kind, masked, position, context",
    "link_checks": "url, final_url, status, verdict, error",
    "probes": "site_id, url, ok, status, source",
    "page_sites": "page_url, site_id, how",
    "column_pages": "column_url, page_url, page_no",
    "template_blocks": "block",
    "columns": "site_id, department_id, name, name_source, url, update_class, class_source, window, window_days, "
               "shape, pages, item_count, undated_count, latest_date, latest_source, placeholder, fetched",
}


def stored_facts(db, run: int) -> dict[str, Counter]:
    """table -> multiset of its rows for `run`."""
    con = sqlite3.connect(db)
    try:
        return {table: Counter(con.execute(
                    f"SELECT {cols} FROM {table} WHERE run_id = ?", (run,)))   # noqa: S608 - fixed names
                for table, cols in FACTS.items()}
    finally:
        con.close()


def stored_pages(db) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM pages").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:      # not created yet
        return 0


def run_status(db, run: int) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT status FROM runs WHERE id = ?", (run,)).fetchone()[0]
    finally:
        con.close()


def write_config(folder, portal, db_name: str):
    config = folder / "sites.yaml"
    config.write_text(demo_config(portal.portal_url, portal.site_url, f"sqlite:///{db_name}"), encoding="utf-8")
    return config


def kill_when(config, db, pages: int, timeout: float = 120) -> None:
    """Start `govaudit crawl CONFIG`, SIGKILL it once the store holds at least `pages` pages."""
    proc = subprocess.Popen([str(BIN), "crawl", str(config), "--no-progress"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while stored_pages(db) < pages:
            assert proc.poll() is None, "the crawl ended before it could be killed"
            assert time.monotonic() < deadline, "the crawl stored too few pages in time"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """An uninterrupted crawl and a crawl SIGKILLed at a third of its pages, then resumed."""
    out = {}
    whole = tmp_path_factory.mktemp("whole")
    with DemoPortal(week=1) as portal:
        config = write_config(whole, portal, "whole.db")
        run = int(cli("crawl", config, "--no-progress").stdout)
        out["whole"] = stored_facts(whole / "whole.db", run)
        ports = [int(url.rsplit(":", 1)[1]) for url in (portal.portal_url, portal.site_url)]
    total = sum(out["whole"]["pages"].values())
    killed = tmp_path_factory.mktemp("killed")
    db = killed / "killed.db"
    with DemoPortal(*ports, week=1) as portal:      # same URLs: link-block fingerprints hash them
        config = write_config(killed, portal, "killed.db")
        kill_when(config, db, total // 3)
        out["at_kill"] = stored_pages(db)
        out["status_at_kill"] = run_status(db, 1)
        out["audit_at_kill"] = cli("audit", "--run", 1, "--db", db, check=False)
        edited = killed / "edited.yaml"          # the same store, another version of the config
        edited.write_text(config.read_text(encoding="utf-8").replace("timeout: 10", "timeout: 11"), encoding="utf-8")
        out["edited"] = [cli("crawl", edited, "--no-progress", "--resume", *run, check=False) for run in ([1], [])]
        out["status_after_refusals"] = run_status(db, 1)
        resumed = cli("crawl", config, "--no-progress", "--resume")
        out["resumed_run"] = int(resumed.stdout)
        out["again"] = cli("crawl", config, "--no-progress", "--resume", check=False)
        out["resumed"] = stored_facts(db, 1)
        out["status"] = run_status(db, 1)
    return out


def test_killed_midway_and_never_audited_before_resume(crawls):
    total = sum(crawls["whole"]["pages"].values())
    assert 0 < crawls["at_kill"] < total
    assert crawls["status_at_kill"] == "running"
    assert crawls["audit_at_kill"].returncode != 0
    assert "not complete" in crawls["audit_at_kill"].stderr


def test_resume_refuses_another_config(crawls):
    named, latest = crawls["edited"]
    assert named.returncode != 0 and "another version of the config" in named.stderr
    assert latest.returncode != 0 and "no running or interrupted run" in latest.stderr
    assert crawls["status_after_refusals"] == "running"


def test_resume_continues_the_same_run(crawls):
    assert crawls["resumed_run"] == 1
    assert crawls["status"] == "complete"
    # nothing left to resume: a complete run is never crawled again by --resume
    assert crawls["again"].returncode != 0
    assert "no running or interrupted run" in crawls["again"].stderr


@pytest.mark.parametrize("table", list(FACTS))
def test_resumed_facts_equal_an_uninterrupted_crawl(crawls, table):
    whole, resumed = crawls["whole"][table], crawls["resumed"][table]
    assert whole, f"the uninterrupted crawl stored no {table}"
    missing, extra = whole - resumed, resumed - whole
    assert not missing and not extra, (f"{table}: {sum(missing.values())} rows missing, "
                                       f"{sum(extra.values())} extra, e.g. {list(missing)[:2]} / {list(extra)[:2]}")
