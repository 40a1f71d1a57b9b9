"""Incremental re-crawl: a second crawl of an unchanged portal revalidates (304) instead of downloading,
and stores the same facts as the first; a changed page is downloaded again and its facts change.

The portal is bench/portal_gen.py's generated one, served by bench/incremental_bench.py's
ConditionalServer (ETag, Last-Modified, 304), on 127.0.0.1.
"""
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import pytest

from .govaudit_cli import cli
from .test_resume import FACTS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import incremental_bench  # noqa: E402
import portal_gen  # noqa: E402

pytestmark = pytest.mark.e2e
PAGES = 200
#: run-independent facts compared between runs (probes are wall-clock measurements of each crawl)
COMPARED = {table: cols for table, cols in FACTS.items() if table not in ("probes", "link_checks")}


def facts(db: Path, run: int) -> dict[str, Counter]:
    con = sqlite3.connect(db)
    try:
        return {table: Counter(con.execute(f"SELECT {cols} FROM {table} WHERE run_id = ?", (run,)))  # noqa: S608
                for table, cols in COMPARED.items()}
    finally:
        con.close()


def page_rows(db: Path, run: int) -> dict[str, tuple]:
    con = sqlite3.connect(db)
    try:
        return {row[0]: row for row in con.execute(f"SELECT {FACTS['pages']} FROM pages WHERE run_id = ?", (run,))}
    finally:
        con.close()


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Four crawls of one config: first, unchanged re-crawl, re-crawl after one article changed, --full."""
    work = tmp_path_factory.mktemp("incremental")
    root = work / "portal"
    portal_gen.generate(root, PAGES)
    articles = sorted(p for p in root.rglob("t*.html"))
    changed, untouched = articles[0], articles[1]
    db = work / "store.db"
    out = {"db": db, "answers": []}
    with incremental_bench.ConditionalServer(root) as server:
        config = work / "sites.yaml"
        config.write_text(incremental_bench.CONFIG.format(db=db, start=server.base + "/index.html"), encoding="utf-8")
        runs = []
        for step in range(4):
            if step == 2:
                html = changed.read_text(encoding="utf-8")
                changed.write_text(html.replace("</h1>", "（修订）</h1>", 1), encoding="utf-8")
            full = ["--full"] if step == 3 else []
            runs.append(int(cli("crawl", config, "--no-progress", *full).stdout))
            out["answers"].append(server.take_answers())
        out["start"] = server.base + "/index.html"
    out["runs"] = runs
    out["changed"] = server.base + "/" + changed.relative_to(root).as_posix()
    out["untouched"] = server.base + "/" + untouched.relative_to(root).as_posix()
    return out


def test_first_crawl_downloads_second_revalidates(crawls):
    first, second = crawls["answers"][:2]
    assert first == Counter({200: PAGES})
    # list pages and the homepage are downloaded again; every other page answers 304
    kind = [c.strip() for c in FACTS["pages"].split(",")].index("kind")
    kinds = {url: row[kind] for url, row in page_rows(crawls["db"], crawls["runs"][0]).items()}
    always = {url for url, kind in kinds.items() if kind in ("list", "hub", "datastore")} | {crawls["start"]}
    assert 0 < len(always) < PAGES / 2
    assert second == Counter({200: len(always), 304: PAGES - len(always)})


def test_unchanged_recrawl_stores_the_same_facts(crawls):
    run1, run2 = crawls["runs"][:2]
    one, two = facts(crawls["db"], run1), facts(crawls["db"], run2)
    for table in COMPARED:
        assert one[table] == two[table], f"{table}: {sum((one[table] - two[table]).values())} rows missing"
    assert sum(one["pages"].values()) == PAGES and one["links"]


def test_changed_page_is_downloaded_and_its_facts_change(crawls):
    run2, run3 = crawls["runs"][1:3]
    assert crawls["answers"][2][304] == crawls["answers"][1][304] - 1
    before, after = page_rows(crawls["db"], run2), page_rows(crawls["db"], run3)
    text = [c.strip() for c in FACTS["pages"].split(",")].index("text")
    assert "（修订）" in after[crawls["changed"]][text] and "（修订）" not in before[crawls["changed"]][text]
    assert before[crawls["untouched"]] == after[crawls["untouched"]]       # decoy: revalidated, same facts
    assert {url for url in before if before[url] != after[url]} == {crawls["changed"]}


def test_full_crawl_downloads_everything(crawls):
    assert crawls["answers"][3] == Counter({200: PAGES})
    assert facts(crawls["db"], crawls["runs"][2]) == facts(crawls["db"], crawls["runs"][3])


def test_validators_kept_for_documents_only(crawls):
    con = sqlite3.connect(crawls["db"])
    kinds = dict(con.execute("SELECT p.kind, count(*) FROM page_validators v JOIN pages p "
                             "ON p.run_id = v.run_id AND p.url = v.url WHERE v.run_id = ? GROUP BY p.kind",
                             (crawls["runs"][1],)).fetchall())
    assert kinds and not set(kinds) & {"list", "hub", "datastore"}


def test_copy_documents_copies_one_attachment_and_its_hits(tmp_path):
    """An unchanged attachment's row and personal-data hits move to the new run; its neighbours do not."""
    from datetime import datetime, timezone

    from govaudit.store import Store

    store = Store(f"sqlite:///{tmp_path / 'copy.db'}")
    old, new = (store.new_run("sites.yaml", "d", {}) for _ in range(2))
    at = datetime(2026, 11, 20, tzinfo=timezone.utc)
    docs = {"http://h/a.pdf": "正文 138****5678", "http://h/b.pdf": "另一份"}     # b.pdf: the decoy
    store.write_batch({
        "attachments": [{"run_id": old, "url": u, "status": 200, "ext": "pdf", "bytes": 9, "fetched_at": at, "text": t}
                        for u, t in docs.items()],
        "pii_hits": [{"run_id": old, "doc_url": u, "doc_kind": "attachment", "kind": "mobile", "masked": "138****5678",
                      "position": 3, "context": "正文 138****5678"} for u in docs],
    })
    now = datetime(2026, 11, 27, tzinfo=timezone.utc)
    store.write_batch({"reused": [{"run_id": new, "from_run": old, "url": "http://h/a.pdf", "doc": "attachment",
                                   "fetched_at": now, "response_ms": 3, "depth": 2}]})
    con = sqlite3.connect(tmp_path / "copy.db")
    rows = con.execute("SELECT url, status, text, fetched_at FROM attachments WHERE run_id = ?", (new,)).fetchall()
    assert [(u, s, t) for u, s, t, _ in rows] == [("http://h/a.pdf", 200, docs["http://h/a.pdf"])]
    assert rows[0][3].startswith("2026-11-27")
    assert con.execute("SELECT doc_url, masked FROM pii_hits WHERE run_id = ?", (new,)).fetchall() == [
        ("http://h/a.pdf", "138****5678")]
    assert con.execute("SELECT count(*) FROM attachments WHERE run_id = ?", (old,)).fetchone()[0] == 2
