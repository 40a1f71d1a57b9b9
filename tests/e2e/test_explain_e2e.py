"""`govaudit explain` end to end: real crawls over HTTP on 127.0.0.1, real SQLite, the real CLI.

1. The bundled demo portal, crawled once and audited as of the demo date: a stale column is
   explained with its list pages, its items, their dates and where each came from, and the
   window start.
2. A tiny local site crawled twice (two runs): a stale column whose item dates come from the
   list, from an item URL and from an item's own page; a page publishing raw personal data
   (the explanation must be masked); a link to a page answering 404 (dead link). The second
   run's findings name the first run as an earlier run with the same finding.
"""
import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from govaudit.demo import DEMO_AS_OF, DemoPortal, demo_config
from .govaudit_cli import cli

pytestmark = pytest.mark.e2e


def explain(finding_id, db, fmt="json"):
    out = cli("explain", finding_id, "--db", db, "--format", fmt).stdout
    return json.loads(out) if fmt == "json" else out


def findings_of(db, run=None):
    return json.loads(cli("findings", "--db", db, "--format", "json", *(["--run", run] if run else [])).stdout)


# ---------------------------------------------------------------- the demo portal

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("explain-demo")
    with DemoPortal() as portal:
        config = out / "sites.yaml"
        config.write_text(demo_config(portal.portal_url, portal.site_url, "sqlite:///demo.db"), encoding="utf-8")
        run_id = int(cli("crawl", config, "--no-progress").stdout.strip())
        portal_url = portal.portal_url
    db = out / "demo.db"
    cli("audit", "--run", run_id, "--as-of", DEMO_AS_OF.isoformat(), "--db", db)
    return {"db": db, "run": run_id, "portal": portal_url.rstrip("/")}


def test_stale_column_shows_items_dates_sources_and_window(demo):
    stale = next(f for f in findings_of(demo["db"]) if f["rule"] == "column_stale" and f["site"] == "mzj"
                 and f["column"] == "民政动态")
    report = explain(stale["id"], demo["db"])
    assert set(report) == {"finding", "rule", "audit", "facts", "runs", "ledger"}
    assert report["finding"]["id"] == stale["id"] and report["finding"]["detail"] == stale["detail"]
    rule = report["rule"]
    assert (rule["id"], rule["source"], rule["severity"], rule["confidence"]) == (
        "column_stale", "国办秘函〔2019〕19号", "deduct", "C")
    assert "windows" in rule["settings"]
    assert report["audit"]["as_of"] == DEMO_AS_OF.isoformat() == "2026-11-20"
    facts = report["facts"]
    assert facts["kind"] == "column"
    column = facts["column"]
    assert (column["name"], column["update_class"], column["window"]) == ("民政动态", "动态要闻", "14天")
    assert (facts["as_of"], facts["window_start"], facts["latest_date"]) == ("2026-11-20", "2026-11-06", "2026-11-05")
    assert facts["window_start"] == report["finding"]["data"]["since"]
    pages = facts["pages"]
    assert [p["url"] for p in pages] == [demo["portal"] + "/mzj/mzdt/index.html", demo["portal"] + "/mzj/mzdt/index_2.html"]
    assert all(p["status"] == 200 and p["fetched_at"] for p in pages)
    items = facts["items"]
    assert len(items) == column["item_count"] == 14
    assert {i["date_source"] for i in items} == {"list"}
    assert all(i["date"] and i["raw_date"] and i["in_window"] is False for i in items)
    latest = [i for i in items if i["latest"]]
    assert len(latest) == 1 and latest[0]["date"] == "2026-11-05" and latest[0]["raw_date"] == "[2026-11-05]"
    assert {i["page_url"] for i in items} == {p["url"] for p in pages}
    assert report["runs"]["run"]["id"] == demo["run"] and report["runs"]["run"]["status"] == "complete"
    assert report["runs"]["earlier"] == []
    ledger = report["ledger"]
    assert (ledger["status"], ledger["state_title"], ledger["open"]) == ("new", "新发现", True)
    assert (ledger["first_seen"], ledger["deadline"]) == ("2026-11-20", "2026-12-04")    # 10 working days
    assert ledger["history"] == [{"run": demo["run"], "as_of": "2026-11-20", "status": "new", "finding": stale["id"]}]
    assert ledger["marks"] == [] and ledger["id"] == ledger["fingerprint"][:10]

    text = explain(stale["id"], demo["db"], "text")
    assert "文号 / source: 国办秘函〔2019〕19号" in text
    assert "window start: 2026-11-06" in text and "as of: 2026-11-20" in text
    assert "2026-11-05  list" in text and "← latest" in text and "[2026-11-05]" in text
    assert demo["portal"] + "/mzj/mzdt/index_2.html  status 200" in text
    assert f"Ledger: problem {ledger['id']} · 新发现 (new)" in text and "deadline 2026-12-04" in text


def test_undated_column_lists_its_undated_items(demo):
    stale = next(f for f in findings_of(demo["db"]) if f["rule"] == "column_stale" and f["column"] == "办事指南")
    facts = explain(stale["id"], demo["db"])["facts"]
    assert facts["latest_date"] is None and facts["counts"]["undated"] == facts["column"]["undated_count"] == 5
    assert all(i["date"] is None and i["date_source"] is None for i in facts["items"])
    assert "undated" in explain(stale["id"], demo["db"], "text")


def test_other_rules_fall_back_to_their_data(demo):
    missing = next(f for f in findings_of(demo["db"]) if f["rule"] == "section_missing")
    report = explain(missing["id"], demo["db"])
    assert report["facts"]["kind"] == "generic"
    assert report["facts"]["data"]["item"] == missing["evidence"]
    assert report["rule"]["id"] == "section_missing" and report["rule"]["settings"]["items"]


def test_unknown_finding_is_a_clear_error(demo):
    result = cli("explain", 99999, "--db", demo["db"], check=False)
    assert result.returncode == 1 and "no finding 99999" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- a tiny local site, crawled twice

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(body17: str) -> str:
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS)) % 11]


def luhn_complete(prefix: str) -> str:
    for d in "0123456789":
        digits = [int(c) for c in prefix + d][::-1]
        if sum(x if i % 2 == 0 else (x * 2 - 9 if x * 2 > 9 else x * 2) for i, x in enumerate(digits)) % 10 == 0:
            return prefix + d
    raise AssertionError


RAW_ID, RAW_MOBILE, RAW_CARD = id_number("33010219850312041"), "13957112345", luhn_complete("622202120204123456")
RAW = (RAW_ID, RAW_MOBILE, RAW_CARD)

PAGE = ("<html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
        "<div class='crumb'>当前位置：首页 &gt; {crumb}</div>{body}</body></html>")
HOME = PAGE.format(title="青溪区民政局", head="", crumb="首页", body=(
    "<ul class='nav'><li><a href='/tzgg/index.html'>通知公告</a></li><li><a href='/gone.html'>办事指南</a></li></ul>"))
LIST = PAGE.format(title="通知公告", head="", crumb="通知公告", body=(
    "<ul class='list'>"
    "<li><a href='/tzgg/gs.html'>2026年4月临时救助公示</a><span>2026-05-02</span></li>"
    "<li><a href='/tzgg/tz.html'>关于做好春季防火工作的通知</a></li>"
    "<li><a href='/tzgg/202604/t20260410_9.html'>关于开展春季爱国卫生运动的通知</a></li>"
    "<li><a href='/tzgg/old.html'>关于2026年元旦期间有关工作安排的通知</a><span>2025-12-25</span></li>"
    "</ul>"))
PRIVACY = PAGE.format(title="2026年4月临时救助公示", head="<meta name='PubDate' content='2026-05-02 09:00'>",
                      crumb="通知公告", body=(
    "<div class='TRS_Editor'><p>根据《社会救助暂行办法》，现将临时救助对象公示如下：</p>"
    f"<table><tr><td>姓名</td><td>身份证号</td><td>电话</td></tr><tr><td>张某某</td><td>{RAW_ID}</td>"
    f"<td>{RAW_MOBILE}</td></tr></table><p>救助金发放至申请人本人银行卡号：{RAW_CARD}。</p>"
    "<p>发布时间：2026-05-02</p></div>"))
ARTICLE = PAGE.format(title="{title}", head="", crumb="通知公告",
                      body="<div class='content'><p>各单位：现将有关事项通知如下。</p><p>发布时间：{date}</p></div>")
ROUTES = {
    "/home.html": HOME, "/tzgg/index.html": LIST, "/tzgg/gs.html": PRIVACY,
    "/tzgg/tz.html": ARTICLE.format(title="关于做好春季防火工作的通知", date="2026-04-20"),
    "/tzgg/202604/t20260410_9.html": ARTICLE.format(title="关于开展春季爱国卫生运动的通知", date="——"),
    "/tzgg/old.html": ARTICLE.format(title="关于2026年元旦期间有关工作安排的通知", date="2025-12-25"),
}


class Site(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        body = ROUTES.get(self.path, "<html><head><title>页面不存在</title></head><body>404</body></html>").encode()
        self.send_response(200 if self.path in ROUTES else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("explain-site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    config = out / "site.yaml"
    config.write_text(json.dumps({
        "store": "sqlite:///site.db",
        "departments": [{"id": "mzj", "name": "民政局"}],
        "sites": [{"id": "mzj", "name": "民政局网站", "department": "mzj", "start_urls": [base + "/home.html"],
                   "columns": [{"name": "通知公告", "url": base + "/tzgg/index.html", "update_class": "通知公告"}]}],
        "politeness": {"delay": 0, "autothrottle": False, "robots_txt": False},
    }, ensure_ascii=False), encoding="utf-8")
    db = out / "site.db"
    outputs = []
    try:
        runs = []
        for _ in range(2):
            result = cli("crawl", config, "--no-progress")
            outputs += [result.stdout, result.stderr]
            runs.append(int(result.stdout.strip()))
            outputs.append(cli("audit", "--run", runs[-1], "--as-of", "2026-11-20", "--db", db).stderr)
    finally:
        server.shutdown()
    return {"db": db, "base": base, "runs": runs, "outputs": outputs}


def _one(site, rule, url_suffix):
    found = [f for f in findings_of(site["db"], site["runs"][1]) if f["rule"] == rule and f["url"].endswith(url_suffix)]
    assert len(found) == 1, [(f["rule"], f["url"]) for f in findings_of(site["db"], site["runs"][1])]
    return found[0]


def test_stale_column_dates_from_list_url_and_item_page(site):
    stale = _one(site, "column_stale", "/tzgg/index.html")
    report = explain(stale["id"], site["db"])
    facts = report["facts"]
    base = site["base"]
    assert (facts["window"], facts["window_start"], facts["latest_date"]) == ("6个月", "2026-05-20", "2026-05-02")
    items = {i["url"]: (i["date"], i["date_source"], i["raw_date"]) for i in facts["items"]}
    assert items == {
        base + "/tzgg/gs.html": ("2026-05-02", "list", "2026-05-02"),
        base + "/tzgg/tz.html": ("2026-04-20", "page:label", None),        # from the item's own page
        base + "/tzgg/202604/t20260410_9.html": ("2026-04-10", "url", None),   # from the item's URL
        base + "/tzgg/old.html": ("2025-12-25", "list", "2025-12-25"),
    }
    assert [p["url"] for p in facts["pages"]] == [base + "/tzgg/index.html"]
    text = explain(stale["id"], site["db"], "text")
    assert "2026-04-20  page:label" in text and "2026-04-10  url" in text and "window start: 2026-05-20" in text


def test_earlier_runs_with_the_same_finding(site):
    first, second = site["runs"]
    stale = _one(site, "column_stale", "/tzgg/index.html")
    runs = explain(stale["id"], site["db"])["runs"]
    assert runs["run"]["id"] == second and runs["run"]["status"] == "complete"
    assert [e["run"] for e in runs["earlier"]] == [first]
    assert runs["earlier"][0]["status"] == "complete" and runs["earlier"][0]["as_of"] == "2026-11-20"
    assert f"run {first} (complete" in explain(stale["id"], site["db"], "text")


def test_ledger_entry_carries_the_history_over_both_runs(site):
    first, second = site["runs"]
    stale = _one(site, "column_stale", "/tzgg/index.html")
    ledger = explain(stale["id"], site["db"])["ledger"]
    assert (ledger["status"], ledger["first_run"], ledger["last_run"], ledger["last_finding_id"]) == (
        "persisting", first, second, stale["id"])
    assert [(h["run"], h["status"]) for h in ledger["history"]] == [(first, "new"), (second, "persisting")]
    assert "history: run %d 2026-11-20 new" % first in explain(stale["id"], site["db"], "text")
    second_audit = site["outputs"][-1]          # what `govaudit audit` said about the ledger
    assert "ledger: " in second_audit and " persisting" in second_audit and " new" not in second_audit


def test_privacy_finding_is_explained_masked(site):
    leak = _one(site, "privacy", "/tzgg/gs.html")
    outputs = [cli("explain", leak["id"], "--db", site["db"], "--format", fmt) for fmt in ("json", "text")]
    report = json.loads(outputs[0].stdout)
    facts = report["facts"]
    assert facts["kind"] == "privacy" and facts["document"]["doc_kind"] == "page"
    assert facts["document"]["title"] == "2026年4月临时救助公示" and facts["document"]["status"] == 200
    assert sorted(h["kind"] for h in facts["hits"]) == ["bank_card", "id_card", "mobile"]
    assert all("*" in h["masked"] and h["position"] >= 0 for h in facts["hits"])
    assert "330102********041" + RAW_ID[-1] in {h["masked"] for h in facts["hits"]}
    assert report["rule"]["source"].startswith("《2018年政务公开工作要点》")
    for result in outputs:
        for raw in RAW:
            assert raw not in result.stdout and raw not in result.stderr, f"raw value {raw[:3]}… printed"
    assert "139****2345" in outputs[1].stdout


def test_dead_link_is_explained_with_answer_and_linking_pages(site):
    dead = _one(site, "dead_link", "/gone.html")
    report = explain(dead["id"], site["db"])
    facts = report["facts"]
    base = site["base"]
    assert facts["kind"] == "link" and facts["target"] == base + "/gone.html" and facts["verdict"] == "dead"
    page_answer = next(a for a in facts["answers"] if a["source"] == "page")
    assert (page_answer["status"], page_answer["verdict"], page_answer["evidence"]) == (404, "dead", "HTTP 404")
    assert page_answer["at"]
    assert [(p["page_url"], p["text"], p["sites"]) for p in facts["linking_pages"]] == [
        (base + "/home.html", "办事指南", ["mzj"])]
    text = explain(dead["id"], site["db"], "text")
    assert "status 404" in text and base + "/home.html  “办事指南”" in text


def test_no_raw_value_in_the_store_or_any_output(site):
    db = sqlite3.connect(site["db"])
    dump = "\n".join(db.iterdump())
    db.close()
    for raw in RAW:
        assert raw not in dump
        assert all(raw not in out for out in site["outputs"])
