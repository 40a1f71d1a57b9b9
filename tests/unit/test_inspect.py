"""`govaudit inspect`: the crawler's own facts for one saved page or live URL, as JSON.

Every saved page of tests/fixtures (every list shape, every date form they hold) is inspected
with the URL the extractor tests use; the report must say what `extract_page` says (same code
path), in the documented keys, and never print a raw personal value.
"""
import json
import os
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler import settings as crawler_settings
from crawler.extract.page import extract_page
from crawler.scope import normalize_url
from govaudit.inspect import KEYS, InspectError, inspect
from test_extract_variants import CASES as VARIANT_CASES

REF = date(2026, 11, 20)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES, VARIANTS = FIXTURES / "pages", FIXTURES / "variants"
BIN = Path(sys.executable).parent / "govaudit"
BEIJING = timezone(timedelta(hours=8))

LIST_URL = "http://www.qingzhou.gov.cn/zwgk/tzgg/index.html"
PROXY = "http://mzj.weifang.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=15"

#: fixtures/pages: (file, url, kind, shape, entries, published, published_source)
PAGE_CASES = [
    ("list_html_ul.html", LIST_URL, "list", "html_list", 9, None, None),
    ("list_table.html", "http://czj.qingzhou.gov.cn/czj/zcwj/index.html", "list", "table", 4, None, None),
    ("trs_index.html", "http://www.weifang.gov.cn/zwgk/bmdt/index.html", "list", "trs_createpagehtml", 4, None, None),
    ("script_array.html", "http://www.shouguang.gov.cn/zcjd/index.html", "list", "script_array", 3, None, None),
    ("hanweb_col.html", "http://mzj.weifang.gov.cn/col/col1234/index.html", "list", "hanweb_datastore", 3, None, None),
    ("hanweb_dataproxy.xml", PROXY, "datastore", "hanweb_datastore", 2, None, None),
    ("hanweb_hostile.xml", PROXY, "datastore", "hanweb_datastore", 2, None, None),
    ("placeholder.html", "http://scjgj.qingzhou.gov.cn/xxgk/xzcf/index.html", "list", "html_list", 0, None, None),
    ("hub_home.html", "http://www.qingzhou.gov.cn/", "hub", None, 0, None, None),
    ("article_trs.html", "http://www.qingzhou.gov.cn/zwgk/zcwj/202611/t20261110_101.html", "article", None, 0,
     "2026-11-10", "label"),
    ("article_hanweb.html", "http://mzj.weifang.gov.cn/art/2026/11/18/art_1234_98765.html", "article", None, 0,
     "2026-11-18", "meta"),
    ("about_nodate.html", "http://sfj.qingzhou.gov.cn/jgzn/index.html", "other", None, 0, None, None),
    ("hidden_links.html", "http://jtj.qingzhou.gov.cn/ndbg/2025/index.html", "other", None, 0, None, None),
]


def run(path: Path, url: str, **kw) -> dict:
    report = inspect(str(path), base_url=url, ref=kw.pop("ref", REF), **kw)
    assert tuple(report) == KEYS
    json.dumps(report, ensure_ascii=False)        # JSON-ready as it is
    return report


def test_every_fixture_is_covered():
    assert sorted(p.name for p in PAGES.iterdir()) == sorted(c[0] for c in PAGE_CASES)


@pytest.mark.parametrize("name, url, kind, shape, count, published, source", PAGE_CASES,
                         ids=[c[0] for c in PAGE_CASES])
def test_saved_pages(name, url, kind, shape, count, published, source):
    report = run(PAGES / name, url)
    assert (report["kind"], report["encoding"]) == (kind, "utf-8")
    assert (report["published"], report["published_source"]) == (published, source)
    assert (report["url"], report["final_url"], report["status"]) == (url, url, None)
    assert report["file"] == str(PAGES / name)
    assert (report["ref_date"], report["ref_source"]) == ("2026-11-20", "given")
    if shape is None:
        assert report["listing"] is None
    else:
        listing = report["listing"]
        assert (listing["shape"], len(listing["entries"])) == (shape, count)
        assert set(listing) == {"shape", "entries", "next_pages", "placeholder", "total_records"}
        assert all(set(e) == {"title", "url", "date", "date_source", "raw_date"} for e in listing["entries"])


@pytest.mark.parametrize("name, url", [(c[0], c[1]) for c in PAGE_CASES], ids=[c[0] for c in PAGE_CASES])
def test_same_facts_as_the_crawl_extractor(name, url):
    """No second implementation: the report is extract_page's facts (URLs as the crawl stores them)."""
    data = (PAGES / name).read_bytes()
    facts = extract_page(data, url, ref=REF, content_type="text/xml" if name.endswith(".xml") else "text/html")
    report = run(PAGES / name, url)
    assert report["title"] == facts.title and report["kind"] == facts.kind
    assert [(l["url"], l["text"], l["hidden"], l["context"], l["block"]) for l in report["links"]] == [
        (normalize_url(l.url), l.text, l.hidden, l.context, l.block) for l in facts.links]
    assert report["rejected_dates"] == [{"raw": r.raw, "reason": r.reason} for r in facts.rejected_dates]
    if facts.listing is not None:
        assert [(e["url"], e["date"], e["date_source"], e["raw_date"]) for e in report["listing"]["entries"]] == [
            (normalize_url(e.url), e.date and e.date.isoformat(), e.date_source, e.raw_date)
            for e in facts.listing.entries]
        assert report["listing"]["next_pages"] == [normalize_url(u) for u in facts.listing.next_pages]


def test_list_entry_date_forms_and_pagination():
    listing = run(PAGES / "list_html_ul.html", LIST_URL)["listing"]
    forms = [(e["raw_date"], e["date"], e["date_source"]) for e in listing["entries"]]
    assert forms == [
        ("2026-11-19", "2026-11-19", "list"), ("[2026-11-18]", "2026-11-18", "list"),
        ("2026/11/17", "2026-11-17", "list"), ("2026年11月16日", "2026-11-16", "list"),
        ("3天前", "2026-11-17", "relative"),               # relative to the reference date
        (None, "2026-03-05", "url"),                       # /art/2026/3/5/ in the entry's URL
        ("[03-05]", "2026-03-05", "list"), ("(12-25)", "2025-12-25", "list"), ("2026.10.21", "2026-10-21", "list")]
    assert listing["next_pages"] == ["http://www.qingzhou.gov.cn/zwgk/tzgg/index_1.html"]
    assert listing["total_records"] == 45 and listing["placeholder"] is False


def test_relative_dates_follow_the_reference_date():
    entries = run(PAGES / "list_html_ul.html", LIST_URL, ref=date(2026, 12, 1))["listing"]["entries"]
    assert (entries[4]["raw_date"], entries[4]["date"]) == ("3天前", "2026-11-28")


def test_list_page_facts_footer_and_noise():
    report = run(PAGES / "list_html_ul.html", LIST_URL)
    assert (report["column_name"], report["column_name_source"]) == ("通知公告", "breadcrumb")
    assert report["identity"] == {"site_code": "3707810001", "icp": "鲁ICP备12345678号-1",
                                  "police": "鲁公网安备 37078102000123号", "badge": False}
    assert {r["reason"] for r in report["rejected_dates"]} == {
        "header date widget", "site founding year", "copyright year", "文号", "ICP number",
        "site identification code", "police registration number"}


def test_article_date_sources_and_attachments():
    trs = run(PAGES / "article_trs.html", "http://www.qingzhou.gov.cn/zwgk/zcwj/202611/t20261110_101.html")
    assert trs["published_raw"] == "发布日期： 2026-11-10"
    assert {"raw": "成文日期： 2026-11-01", "reason": "not a publication date"} in trs["rejected_dates"]
    assert [(a["url"], a["ext"]) for a in trs["attachments"]] == [
        ("http://www.qingzhou.gov.cn/zwgk/zcwj/202611/P020261110123456789.xls", "xls"),
        ("http://www.qingzhou.gov.cn/uploads/2026/11/%E5%8A%9E%E6%B3%95%E5%85%A8%E6%96%87.PDF?v=2", "pdf")]
    hanweb = run(PAGES / "article_hanweb.html", "http://mzj.weifang.gov.cn/art/2026/11/18/art_1234_98765.html")
    assert (hanweb["published_raw"], hanweb["column_name"]) == ("2026-11-18 10:30", "救助公示")
    assert hanweb["attachments"][0]["ext"] == "xlsx" and hanweb["attachments"][0]["text"] == "2026年10月低保名单.xlsx"


def test_publication_date_from_the_url(tmp_path):
    page = tmp_path / "t.html"
    page.write_text("<html><head><meta charset='utf-8'><title>关于做好冬季防火工作的通知</title></head><body>"
                    "<div class='content'><p>各单位：现将有关事项通知如下。</p></div></body></html>", encoding="utf-8")
    report = run(page, "http://www.a.gov.cn/zwgk/tzgg/202611/t20261105_77.html")
    assert (report["published"], report["published_source"]) == ("2026-11-05", "url")


def test_hidden_comment_and_script_links():
    links = {l["url"]: l for l in run(PAGES / "hidden_links.html", "http://jtj.qingzhou.gov.cn/ndbg/2025/index.html")["links"]}
    assert (links["http://bet-a.example/"]["hidden"], links["http://bet-a.example/"]["context"]) == (True, "a")
    assert (links["http://bet-k.example/"]["hidden"], links["http://bet-k.example/"]["context"]) == (True, "comment")
    assert (links["http://bet-l.example/"]["hidden"], links["http://bet-l.example/"]["context"]) == (True, "script")
    assert links["http://www.weifang.gov.cn/"]["hidden"] is False


@pytest.mark.parametrize("name", sorted(VARIANT_CASES))
def test_variants(name):
    case = VARIANT_CASES[name]
    report = run(VARIANTS / name, case.url)
    assert report["kind"] == case.kind
    assert (report["column_name"], report["column_name_source"]) == case.column
    if case.kind != "list":
        assert report["listing"] is None
        return
    listing = report["listing"]
    assert (listing["shape"], len(listing["entries"]), listing["placeholder"]) == (case.shape, case.count, case.placeholder)
    assert listing["next_pages"] == [normalize_url(u) for u in case.next_pages]
    if case.count:
        title, url, day, source = case.first
        first = listing["entries"][0]
        assert (first["title"], first["url"], first["date"], first["date_source"]) == (
            title, normalize_url(url), day.isoformat(), source)


def test_every_list_shape_is_covered():
    shapes = {c[3] for c in PAGE_CASES} | {c.shape for c in VARIANT_CASES.values()}
    assert shapes - {None} == {"html_list", "table", "hanweb_datastore", "trs_createpagehtml", "script_array"}


def test_variant_date_forms():
    def raw_dates(name):
        return [(e["raw_date"], e["date"]) for e in run(VARIANTS / name, VARIANT_CASES[name].url)["listing"]["entries"]]

    assert raw_dates("dotted_dates_gbk.html")[0] == ("2026.11.18", "2026-11-18")
    assert raw_dates("year_heading_short_dates.html")[4] == ("[03-05]", "2025-03-05")      # year from the heading
    assert [d for _, d in raw_dates("year_group_rows.html")][3:5] == ["2026-01-20", "2025-12-26"]  # year rows
    assert raw_dates("script_array_timestamp.html")[0][1] == "2025-03-05"                   # epoch milliseconds


# ---------------------------------------------------------------- encodings

def test_gbk_fixture_without_declared_charset():
    case = VARIANT_CASES["date_first_gbk.html"]
    assert b"charset" not in (VARIANTS / "date_first_gbk.html").read_bytes().lower()
    report = run(VARIANTS / "date_first_gbk.html", case.url)
    assert report["encoding"] == "gb18030"
    assert report["title"].startswith("通知公告")
    assert report["listing"]["entries"][1]["title"] == "关于2026年冬季清洁取暖补贴资金发放情况的公示"


GBK_PAGE = ("<html><head><title>政策文件 - 青溪区人民政府</title></head><body>"
            "<div class='position'>当前位置：首页 &gt; 政务公开 &gt; 政策文件</div><ul class='list'>"
            + "".join(f"<li><a href='/zcwj/{i}.html'>青溪区人民政府关于印发第{i}号实施方案的通知</a>"
                      f"<span>2026-10-{i:02d}</span></li>" for i in range(1, 11))
            + "</ul><p>版权所有 青溪区人民政府</p></body></html>")


def test_gbk_file_without_any_charset(tmp_path):
    page = tmp_path / "gbk.html"
    page.write_bytes(GBK_PAGE.encode("gbk"))
    report = run(page, "http://www.qingxi.gov.cn/zcwj/index.html")
    assert (report["encoding"], report["kind"]) == ("gb18030", "list")
    assert report["title"] == "政策文件 - 青溪区人民政府"
    assert (report["column_name"], report["column_name_source"]) == ("政策文件", "breadcrumb")
    listing = report["listing"]
    assert (listing["shape"], len(listing["entries"])) == ("html_list", 10)
    assert listing["entries"][0] == {"title": "青溪区人民政府关于印发第1号实施方案的通知",
                                     "url": "http://www.qingxi.gov.cn/zcwj/1.html", "date": "2026-10-01",
                                     "date_source": "list", "raw_date": "2026-10-01"}


def test_forced_encoding(tmp_path):
    page = tmp_path / "gbk.html"
    page.write_bytes(GBK_PAGE.encode("gbk"))
    assert run(page, "http://www.qingxi.gov.cn/zcwj/index.html", encoding="gbk")["encoding"] == "gb18030"
    wrong = run(page, "http://www.qingxi.gov.cn/zcwj/index.html", encoding="latin-1")
    assert wrong["encoding"] == "iso8859-1" and "政策文件" not in wrong["title"]      # forced, not detected
    with pytest.raises(InspectError, match="unknown encoding"):
        inspect(str(page), encoding="no-such-charset")


def test_file_reference_date_is_its_mtime_in_beijing(tmp_path):
    page = tmp_path / "list.html"
    page.write_bytes((PAGES / "list_html_ul.html").read_bytes())
    saved = datetime(2026, 11, 19, 20, 30, tzinfo=timezone.utc)           # 2026-11-20 04:30 in Beijing
    os.utime(page, (saved.timestamp(), saved.timestamp()))
    report = inspect(str(page), base_url=LIST_URL)
    assert (report["ref_date"], report["ref_source"]) == ("2026-11-20", "file mtime")
    assert report["listing"]["entries"][4]["date"] == "2026-11-17"


def test_file_without_base_url(tmp_path):
    """Links resolve against the browser's "saved from url" mark, else a reserved .invalid host."""
    page = tmp_path / "list.html"
    page.write_bytes((PAGES / "list_table.html").read_bytes())
    report = inspect(str(page), ref=REF)
    assert report["url"] == "http://saved-page.invalid/list.html"
    assert "http://saved-page.invalid/czj/zcwj/" in {l["url"] for l in report["links"]}
    marked = tmp_path / "marked.html"
    url = "http://czj.qingzhou.gov.cn/czj/zcwj/index.html"
    marked.write_bytes(f"<!-- saved from url=({len(url):04d}){url} -->\n".encode() + page.read_bytes())
    report = inspect(str(marked), ref=REF)
    assert (report["url"], report["kind"], report["listing"]["shape"]) == (url, "list", "table")


def test_bad_targets(tmp_path):
    with pytest.raises(InspectError, match="no such file"):
        inspect(str(tmp_path / "missing.html"))
    (tmp_path / "a.html").write_text("<html></html>")
    with pytest.raises(InspectError, match="base-url"):
        inspect(str(tmp_path / "a.html"), base_url="www.a.gov.cn/")


# ---------------------------------------------------------------- privacy first

def id_number(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights)) % 11]


RAW_ID, RAW_MOBILE = id_number("33010219850312041"), "13957112345"


def test_personal_data_is_masked_and_listed(tmp_path):
    page = tmp_path / "gs.html"
    page.write_text(f"""<html><head><meta charset="utf-8"><title>公示 联系人{RAW_MOBILE}</title></head><body>
        <div class="TRS_Editor"><p>现将临时救助对象公示如下：</p><table><tr><td>张某某</td><td>{RAW_ID}</td>
        <td><a href="tel:{RAW_MOBILE}">{RAW_MOBILE}</a></td></tr></table><p>已去标识化：330102********1234</p>
        <p>发布时间：2026-11-02</p><a href="/mz/{RAW_MOBILE}.html">电话 {RAW_MOBILE}</a></div></body></html>""",
                    encoding="utf-8")
    report = run(page, "http://mzj.a.gov.cn/gs.html")
    out = json.dumps(report, ensure_ascii=False)
    assert RAW_ID not in out and RAW_MOBILE not in out
    text_hits = [h for h in report["privacy"] if h["field"] == "text"]
    assert [(h["kind"], h["masked"]) for h in text_hits] == [
        ("id_card", "330102********041" + RAW_ID[-1]), ("mobile", "139****2345"), ("mobile", "139****2345")]
    assert all(set(h) == {"kind", "masked", "position", "field"} and h["position"] >= 0 for h in report["privacy"])
    assert {"kind": "mobile", "masked": "139****2345", "position": 6, "field": "title"} in report["privacy"]
    assert report["title"] == "公示 联系人139****2345"
    assert any(h["field"].startswith("links[") for h in report["privacy"])
    assert (report["published"], report["published_source"]) == ("2026-11-02", "label")


def test_cli_json_and_table(tmp_path):
    page = tmp_path / "list.html"
    page.write_bytes((PAGES / "list_html_ul.html").read_bytes())
    stamp = datetime(2026, 11, 20, 9, 0, tzinfo=BEIJING).timestamp()
    os.utime(page, (stamp, stamp))
    result = subprocess.run([str(BIN), "inspect", str(page), "--base-url", LIST_URL, "--format", "json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert tuple(report) == KEYS
    assert (report["kind"], report["encoding"], report["ref_date"]) == ("list", "utf-8", "2026-11-20")
    assert (report["listing"]["shape"], len(report["listing"]["entries"])) == ("html_list", 9)
    assert report["listing"]["entries"][4]["date"] == "2026-11-17"
    table = subprocess.run([str(BIN), "inspect", str(page), "--base-url", LIST_URL],
                           capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    assert "shape html_list, 9 entries" in table.stdout and "3天前" in table.stdout
    missing = subprocess.run([str(BIN), "inspect", str(tmp_path / "nope.html")], capture_output=True, text=True,
                             timeout=120)
    assert missing.returncode == 1 and "no such file" in missing.stderr and "Traceback" not in missing.stderr


# ---------------------------------------------------------------- live URLs

class Site(BaseHTTPRequestHandler):
    agents: list = []

    def log_message(self, *args):
        pass

    def date_header(self):        # the server's "now": 2026-11-20 in Beijing
        return "Fri, 20 Nov 2026 02:00:00 GMT"

    def do_GET(self):
        Site.agents.append(self.headers.get("User-Agent"))
        if self.path == "/old":
            self.send_response(302)
            self.send_header("Location", "/zwgk/tzgg/index.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        routes = {"/zwgk/tzgg/index.html": ((PAGES / "list_html_ul.html").read_bytes(), "text/html; charset=utf-8"),
                  "/gbk.html": (GBK_PAGE.encode("gbk"), "text/html; charset=GBK")}
        body, ctype = routes.get(self.path, ("<html><title>页面不存在</title></html>".encode(), "text/html; charset=utf-8"))
        self.send_response(200 if self.path in routes else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Date", self.date_header())
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_live_url_follows_redirects_with_the_crawler_agent(site):
    report = inspect(site + "/old")
    assert (report["url"], report["final_url"], report["status"]) == (
        site + "/old", site + "/zwgk/tzgg/index.html", 200)
    assert (report["ref_date"], report["ref_source"]) == ("2026-11-20", "date header")
    assert report["file"] is None and report["content_type"] == "text/html; charset=utf-8"
    assert (report["kind"], report["listing"]["shape"]) == ("list", "html_list")
    assert report["listing"]["entries"][4]["date"] == "2026-11-17"        # 3天前 of the server's date
    assert Site.agents[-1] == crawler_settings.USER_AGENT


def test_live_gbk_page_and_error_status(site):
    gbk = inspect(site + "/gbk.html")
    assert (gbk["encoding"], gbk["title"]) == ("gb18030", "政策文件 - 青溪区人民政府")
    missing = inspect(site + "/missing.html")
    assert (missing["status"], missing["kind"], missing["listing"]) == (404, "error", None)
    with pytest.raises(InspectError, match="base-url"):
        inspect(site + "/gbk.html", base_url="http://a.gov.cn/")


def test_no_answer_is_reported():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]          # closed once the with block ends
    report = inspect(f"http://127.0.0.1:{port}/x.html", timeout=5)
    assert (report["status"], report["kind"]) == (None, "error")
    assert "refused" in report["error"].lower()


def test_a_folder_of_saved_pages_in_one_process():
    import subprocess
    import sys
    from pathlib import Path as _Path
    folder = _Path(__file__).resolve().parents[1] / "fixtures" / "variants"
    result = subprocess.run([str(_Path(sys.executable).parent / "govaudit"), "inspect", str(folder), "--format", "json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    reports = json.loads(result.stdout)
    names = sorted(p.name for p in folder.iterdir() if p.suffix in (".html", ".htm", ".shtml"))
    assert [_Path(r["file"]).name for r in reports] == names
