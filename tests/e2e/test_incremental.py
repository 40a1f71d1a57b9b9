"""Incremental re-crawls of bench/portal_gen.py's portal, served by bench/incremental_bench.py's
ConditionalServer (ETag, Last-Modified, 304) on 127.0.0.1, all in one store:

0. first crawl: everything downloaded;
1. unchanged re-crawl: only list pages and the homepage reach the server — revalidated (304), except
   the homepage and one list page whose dates carry no year (the crawl date decides their year, so
   they are downloaded every time); the other documents are answered from the store (not due
   yet), and the run's facts equal the first's;
2. after two articles changed on the site, one of them named by a finding of the audit of run 1:
   every article a finding names is asked for again (the 复查), and the changed one's facts change;
   the other changed article is not due yet, so the run keeps its old facts — the documented
   price of not asking;
3. with the stored verification times moved back 30 days (a month later): every document is due,
   so all are revalidated — 304s, and a 200 for the changed article, whose facts now change;
4. --full: everything downloaded again, same facts as run 3.
"""
import re
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
TEXT = [c.strip() for c in FACTS["pages"].split(",")].index("text")


def sql(db: Path, query: str, *args) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        with con:
            return con.execute(query, args).fetchall()
    finally:
        con.close()


def facts(db: Path, run: int) -> dict[str, Counter]:
    return {table: Counter(sql(db, f"SELECT {cols} FROM {table} WHERE run_id = ?", run))  # noqa: S608
            for table, cols in COMPARED.items()}


def page_rows(db: Path, run: int) -> dict[str, tuple]:
    return {row[0]: row for row in sql(db, f"SELECT {FACTS['pages']} FROM pages WHERE run_id = ?", run)}


def revise(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("</h1>", "（修订）</h1>", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """The five crawls of the module docstring, with the server's answers to each."""
    work = tmp_path_factory.mktemp("incremental")
    root = work / "portal"
    portal_gen.generate(root, PAGES)
    yearless = sorted(root.glob("*/index.html"))[0]        # a list showing 03-05 instead of 2026-03-05
    yearless.write_text(re.sub(r"<span>\d{4}-(\d\d-\d\d)</span>", r"<span>\1</span>",
                               yearless.read_text(encoding="utf-8")), encoding="utf-8")
    db = work / "store.db"
    out = {"db": db, "answers": [], "runs": [], "verified": []}
    with incremental_bench.ConditionalServer(root) as server:
        config = work / "sites.yaml"
        config.write_text(incremental_bench.CONFIG.format(db=db, start=server.base + "/index.html"), encoding="utf-8")
        path_of = {server.base + "/" + p.relative_to(root).as_posix(): p for p in root.rglob("t*.html")}
        for step in range(5):
            if step == 2:
                cli("audit", "--config", config, "--run", str(out["runs"][1]))
                named = {url for (url,) in sql(db, "SELECT url FROM findings WHERE run_id = ?", out["runs"][1])}
                out["named"] = named & set(path_of)
                out["flagged"] = min(out["named"])
                out["changed"] = min(set(path_of) - named)
                out["untouched"] = max(set(path_of) - named)
                revise(path_of[out["flagged"]])
                revise(path_of[out["changed"]])
            if step == 3:
                sql(db, "UPDATE page_validators SET verified_at = datetime(verified_at, '-30 days') WHERE run_id = ?",
                    out["runs"][2])
            full = ["--full"] if step == 4 else []
            out["runs"].append(int(cli("crawl", config, "--no-progress", *full).stdout))
            out["answers"].append(server.take_answers())
            out["verified"].append(dict(sql(db, "SELECT url, verified_at FROM page_validators WHERE run_id = ?",
                                            out["runs"][-1])))
        out["start"] = server.base + "/index.html"
        out["yearless"] = server.base + "/" + yearless.relative_to(root).as_posix()
    kind = [c.strip() for c in FACTS["pages"].split(",")].index("kind")
    out["always"] = {url for url, row in page_rows(db, out["runs"][0]).items()
                     if row[kind] in ("list", "hub", "datastore")} | {out["start"]}
    return out


def test_first_crawl_downloads_everything(crawls):
    assert crawls["answers"][0] == Counter({200: PAGES})


def test_unchanged_recrawl_asks_only_for_list_pages_and_the_homepage(crawls):
    assert 0 < len(crawls["always"]) < PAGES / 2 and crawls["yearless"] in crawls["always"]
    # downloaded: the homepage and the list without years; revalidated: every other list page
    assert crawls["answers"][1] == Counter({200: 2, 304: len(crawls["always"]) - 2})


def test_a_list_whose_dates_lack_a_year_is_read_again_with_the_right_year(crawls):
    db, runs = crawls["db"], crawls["runs"]
    validated = {url for (url,) in sql(db, "SELECT url FROM page_validators WHERE run_id = ?", runs[0])}
    assert crawls["yearless"] not in validated and crawls["always"] - {crawls["start"], crawls["yearless"]} <= validated
    dates = sql(db, "SELECT date FROM list_items WHERE run_id = ? AND page_url = ?", runs[1], crawls["yearless"])
    assert dates and all(d.startswith("20") for (d,) in dates)


def test_unchanged_recrawl_stores_the_same_facts(crawls):
    run1, run2 = crawls["runs"][:2]
    one, two = facts(crawls["db"], run1), facts(crawls["db"], run2)
    for table in COMPARED:
        assert one[table] == two[table], f"{table}: {sum((one[table] - two[table]).values())} rows missing"
    assert sum(one["pages"].values()) == PAGES and one["links"]


def test_a_page_named_by_a_finding_is_read_again(crawls):
    # every article a finding names is asked for: the revised one downloaded, the others confirmed
    assert crawls["answers"][2] == Counter({200: 2 + 1, 304: len(crawls["always"]) - 2 + len(crawls["named"]) - 1})
    before, after = page_rows(crawls["db"], crawls["runs"][1]), page_rows(crawls["db"], crawls["runs"][2])
    assert "（修订）" in after[crawls["flagged"]][TEXT] and "（修订）" not in before[crawls["flagged"]][TEXT]
    # the other changed article is not due: this run keeps what the store knew
    assert after[crawls["changed"]] == before[crawls["changed"]]
    assert {url for url in before if before[url] != after[url]} == {crawls["flagged"]}


def test_documents_due_are_revalidated_and_a_changed_one_downloaded(crawls):
    assert crawls["answers"][3] == Counter({200: 2 + 1, 304: PAGES - 3})
    before, after = page_rows(crawls["db"], crawls["runs"][2]), page_rows(crawls["db"], crawls["runs"][3])
    assert "（修订）" in after[crawls["changed"]][TEXT]
    assert after[crawls["untouched"]] == before[crawls["untouched"]]       # decoy: revalidated, same facts
    assert {url for url in before if before[url] != after[url]} == {crawls["changed"]}


def test_full_crawl_downloads_everything(crawls):
    assert crawls["answers"][4] == Counter({200: PAGES})
    assert facts(crawls["db"], crawls["runs"][3]) == facts(crawls["db"], crawls["runs"][4])


def test_reusable_documents_keep_when_they_were_last_verified(crawls):
    db, runs = crawls["db"], crawls["runs"]
    kinds = dict(sql(db, "SELECT p.kind, count(*) FROM page_validators v JOIN pages p "
                         "ON p.run_id = v.run_id AND p.url = v.url WHERE v.run_id = ? GROUP BY p.kind", runs[1]))
    assert kinds.get("article") and kinds.get("list")        # list pages are revalidated, never answered blindly
    verified = crawls["verified"]
    lists = crawls["always"] & set(verified[0])
    assert {u: t for u, t in verified[1].items() if u not in lists} == {u: t for u, t in verified[0].items() if u not in lists}
    assert lists and all(verified[1][u] > verified[0][u] for u in lists)      # list pages: revalidated (304)
    assert verified[2][crawls["flagged"]] > verified[1][crawls["flagged"]]     # read again
    assert all(verified[2][url] > verified[1][url] for url in crawls["named"])
    assert verified[2][crawls["untouched"]] == verified[1][crawls["untouched"]]     # answered from the store: carried over
    assert all(verified[3][url] > verified[2][url] for url in verified[3])  # all revalidated a month later


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
