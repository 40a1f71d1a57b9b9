"""Tests of the bundled demo portal (govaudit.demo): the server, its two weeks, its plants and
its ground truth.

The ground truth is what the end-to-end test compares a real crawl against, so besides HTTP
behaviour these tests check that the truth cannot drift from the generator and that it is
consistent with what the server actually serves (a small shape-aware walker follows every
column's pagination and reads every document's PubDate), in both weeks. The planted raw
personal values are only ever compared, never printed.
"""
from __future__ import annotations

import html
import io
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from datetime import date, timedelta
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from govaudit.demo import DEMO_AS_OF, DemoPortal, demo_config, ground_truth
from govaudit.demo import truth
from govaudit.demo.assets import planted_personal_values
from govaudit.demo.content import CHANGES, FLAKY, PROBE_ROUNDS, build_portal
from govaudit.demo.model import BLANK, DISCLOSURE_ITEMS, FRESH, STALE, WEEKS, freshness_cutoff, update_class
from govaudit.demo.plants import PLANTS, decoys
from govaudit.demo.render import Renderer, build_routes
from govaudit.demo.server import http_date

HTTP_DATE = "Fri, 20 Nov 2026 02:00:00 GMT"
DATAPROXY = "/module/web/jpage/dataproxy.jsp"


# --------------------------------------------------------------------------------------- helpers

class Page:
    """One HTTP answer."""

    def __init__(self, url: str, status: int, headers, body: bytes, final: str | None = None):
        self.url, self.status, self.headers, self.body = url, status, headers, body
        self.final = final or url             # after redirects

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def text(self) -> str:
        """Decoded body: trust a declared UTF-8 only if it decodes, else GB18030."""
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError:
            return self.body.decode("gb18030")


def fetch(url: str, data: bytes | None = None, method: str | None = None) -> Page:
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return Page(url, resp.status, resp.headers, resp.read(), resp.geturl())
    except urllib.error.HTTPError as err:
        return Page(url, err.code, err.headers, err.read())


_LINK = re.compile(r'(?:href|src)="([^"]+)"')
_CREATE_PAGE = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)')
_JPAGE = re.compile(r"totalRecord:\s*(\d+),\s*perPage:\s*(\d+)")
_COLUMNID = re.compile(r"columnid=(\d+)")
_RECORD = re.compile(r'<record><!\[CDATA\[\s*<li><a href="([^"]+)"')


def links(page: Page) -> list[str]:
    """Absolute same-scheme links of a page, including Hanweb CDATA records and TRS/jpage pages."""
    text = page.text
    found = [html.unescape(h) for h in _LINK.findall(text)]
    m = _CREATE_PAGE.search(text)
    if m:
        total, name, ext = int(m.group(1)), m.group(3), m.group(4)
        found += [f"{name}_{k}.{ext}" if k else f"{name}.{ext}" for k in range(total)]
    m = _JPAGE.search(text)
    if m and "<datastore>" in text:
        total, per = int(m.group(1)), int(m.group(2))
        col = _COLUMNID.search(text).group(1)
        found += [f"{DATAPROXY}?startrecord={s}&endrecord={s + per - 1}&perpage={per}&columnid={col}"
                  for s in range(per + 1, total + 1, per)]
    out = []
    for href in found:
        if href.startswith(("javascript:", "mailto:", "#")):
            continue
        out.append(urljoin(page.url, href).split("#")[0])
    return out


def crawl(demo: DemoPortal) -> dict[str, Page]:
    """Breadth-first walk of both demo hosts from their homepages (every page, once)."""
    hosts = {urlsplit(demo.portal_url).netloc, urlsplit(demo.site_url).netloc}
    seen: dict[str, Page] = {}
    queue = deque([demo.portal_url + "/index.html", demo.site_url + "/index.html"])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        page = fetch(url)
        seen[url] = page
        if page.status == 200 and page.content_type.startswith(("text/html", "text/xml")):
            for link in links(page):
                if urlsplit(link).netloc in hosts and link not in seen:
                    queue.append(link)
    return seen


_RAW_ID = re.compile(r"(?<![\d*])\d{17}[\dXx](?![\d*])")
_RAW_MOBILE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")
_ITEM_A = re.compile(r'<a href="([^"]+)"[^>]*target="_blank"[^>]*>')


def _list_area(page: Page) -> str:
    """The part of a list page between the column heading and the shared footer."""
    return page.text.split('class="column-title"')[1].split('<div class="footer">')[0]


def column_items(url: str) -> list[str]:
    """Distinct item URLs of a column across all its pages, following each CMS's pagination."""
    first = fetch(url)
    assert first.status == 200, url
    text = first.text
    pages = [first]
    if "<datastore>" in text:                                       # Hanweb
        m = _JPAGE.search(text)
        total, per = int(m.group(1)), int(m.group(2))
        col = _COLUMNID.search(text).group(1)
        base = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
        pages += [fetch(f"{base}{DATAPROXY}?startrecord={s}&endrecord={s + per - 1}&perpage={per}&columnid={col}")
                  for s in range(per + 1, total + 1, per)]
        hrefs = [h for p in pages for h in _RECORD.findall(p.text)]
    elif "createPageHTML(" in text:                                 # TRS
        total = int(_CREATE_PAGE.search(text).group(1))
        pages += [fetch(urljoin(url, f"index_{k}.html")) for k in range(1, total)]
        hrefs = [h for p in pages for h in _ITEM_A.findall(_list_area(p))]
    elif "var itemObj" in text or 'class="list"' in text:          # script array / plain lists
        while True:
            nxt = re.search(r'<a href="([^"]+)">下一页</a>', pages[-1].text)
            if not nxt:
                break
            pages.append(fetch(urljoin(pages[-1].url, html.unescape(nxt.group(1)))))
        hrefs = []
        for p in pages:
            body = _list_area(p)
            m = re.search(r"var itemObj = (\[.*?\]);\n", body)
            hrefs += [o["aU"] for o in json.loads(m.group(1))] if m else _ITEM_A.findall(body)
    else:
        raise AssertionError(f"unknown list shape at {url}")
    result = []
    for h in hrefs:
        absolute = urljoin(url, html.unescape(h))
        if absolute not in result:
            result.append(absolute)
    return result


def pub_date(page: Page) -> date | None:
    m = re.search(r'<meta name="PubDate" content="(\d{4}-\d{2}-\d{2})', page.text)
    return date.fromisoformat(m.group(1)) if m else None


@pytest.fixture(scope="module")
def demo():
    with DemoPortal() as running:
        yield running


@pytest.fixture(scope="module")
def site_map(demo):
    return crawl(demo)


@pytest.fixture(scope="module")
def demo2():
    """A second demo serving week 2."""
    with DemoPortal() as running:
        running.set_week(2)
        yield running


@pytest.fixture(scope="module")
def site_map2(demo2):
    return crawl(demo2)


def section_of(url: str, portal_url: str):
    """The section whose template a portal-host page carries (a /mzj/ page: 民政局's footer)."""
    path = url[len(portal_url):]
    return next((s for s in build_portal().sites if s.prefix and path.startswith(s.prefix)), None)


#: Targets the demo plants broken on purpose, per week: (host, path) -> status.
def planted_broken(week: int) -> dict[str, int]:
    broken = {"/zwfw/yuyue/index.html": 412, "/mzj/old/index.html": 404}    # WAF; a commented-out link
    if week == 1:
        broken["/jyj/tzgg/files/yishujie_baomingbiao.xlsx"] = 404          # uploaded in week 2
    return broken


# --------------------------------------------------------------------------------------- HTTP

def test_homepage_headers_and_noise(demo):
    page = fetch(demo.portal_url + "/index.html")
    assert page.status == 200
    assert page.content_type == "text/html; charset=utf-8"
    assert page.headers["Date"] == HTTP_DATE
    assert int(page.headers["Content-Length"]) == len(page.body)
    text = page.text
    for noise in ("今天是2026年11月20日 星期五", "&copy;2019-2026", "建站于2019年", "网站标识码：3301020001",
                  "浙ICP备12345678号-1", "浙公网安备 33010202000123号", 'alt="党政机关"'):
        assert noise in text, noise
    for block in ("青溪要闻", "通知公告", "部门动态", "更多&gt;&gt;", "政府信息公开指南", "政府信息公开年报"):
        assert block in text


def test_gbk_pages(demo):
    trs = fetch(demo.portal_url + "/jyj/tzgg/index.html")
    assert trs.content_type == "text/html; charset=gb2312"
    with pytest.raises(UnicodeDecodeError):
        trs.body.decode("utf-8")
    text = trs.body.decode("gb18030")
    assert "通知公告" in text and 'createPageHTML(3, 0, "index", "html")' in text
    assert "./202605/t20260519_" in text

    lying = fetch(demo.site_url + "/tzgg/index.html")           # GBK bytes, says utf-8
    assert lying.content_type == "text/html; charset=utf-8"
    assert '<meta charset="utf-8">' in lying.body.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        lying.body.decode("utf-8")
    assert "var itemObj = [" in lying.body.decode("gb18030")

    silent = fetch(demo.site_url + "/zcwj/index.html")          # GBK bytes, no charset anywhere
    assert silent.content_type == "text/html"
    assert b"charset" not in silent.body.lower()
    assert "青发改〔2026〕14号" in silent.body.decode("gb18030")


def test_dataproxy_get_and_post(demo):
    first = fetch(demo.portal_url + "/col/col1001/index.html").text
    assert '<script type="text/xml"><datastore>' in first and "totalRecord: 32, perPage: 15" in first
    first_urls = _RECORD.findall(first)
    assert len(first_urls) == 15

    query = "startrecord=16&endrecord=30&perpage=15"
    got = fetch(f"{demo.portal_url}{DATAPROXY}?{query}&columnid=1001&unitid=5001")
    posted = fetch(f"{demo.portal_url}{DATAPROXY}?{query}",
                   data=b"col=1&appid=1&webid=1&path=%2F&columnid=1001&sourceContentType=1&unitid=5001&permissiontype=0")
    for page in (got, posted):
        assert page.status == 200 and page.content_type == "text/xml; charset=UTF-8"
        assert page.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        root = ET.fromstring(page.body)
        assert root.findtext("totalrecord") == "32" and root.findtext("totalpage") == "3"
        assert len(root.findall("recordset/record")) == 15
    assert got.body == posted.body
    page2 = _RECORD.findall(got.text)
    assert not set(page2) & set(first_urls)
    last = ET.fromstring(fetch(f"{demo.portal_url}{DATAPROXY}?startrecord=31&endrecord=45&perpage=15&columnid=1001").body)
    assert len(last.findall("recordset/record")) == 2
    empty = ET.fromstring(fetch(f"{demo.portal_url}{DATAPROXY}?columnid=2103").body)
    assert empty.findtext("totalrecord") == "0"


def test_attachments(demo):
    import openpyxl
    import xlrd
    from docx import Document
    from pypdf import PdfReader

    xlsx = fetch(demo.portal_url + "/mzj/shjz/files/dibao_2026_10.xlsx")
    assert xlsx.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.body)).active
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert rows[1][4] == "身份证号"
    ids = [r[4] for r in rows[2:22]]
    assert all(re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", i) for i in ids)
    assert all(re.fullmatch(r"1\d{2}\*{4}\d{4}", r[5]) for r in rows[2:22])

    with pytest.raises(Exception):
        xlrd.open_workbook(file_contents=fetch(demo.portal_url + "/mzj/shjz/files/dibao_xinzeng_2026_10.xls").body)

    docx = Document(io.BytesIO(fetch(demo.portal_url + "/mzj/shjz/files/dibao_2026_09.docx").body))
    assert "最低生活保障" in docx.paragraphs[0].text and len(docx.tables[0].rows) == 13

    pdf = fetch(demo.portal_url + "/mzj/shjz/files/linshi_2026_q3.pdf")
    assert pdf.content_type == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.body)).pages[0].extract_text()
    assert "临时救助" in text and "********" in text

    # Only masked values: nothing an ID-card / mobile screen would flag.
    docx_text = "\n".join(c.text for t in docx.tables for row in t.rows for c in row.cells)
    xlsx_text = "\n".join(str(c) for row in rows for c in row if c is not None)
    for extracted in (xlsx_text, docx_text, text):
        assert not _RAW_ID.search(extracted) and not _RAW_MOBILE.search(extracted)


def test_404_robots_head_and_post(demo):
    missing = fetch(demo.portal_url + "/no/such/page.html")
    assert missing.status == 404 and missing.content_type == "text/html; charset=utf-8"
    assert "页面不存在" in missing.text and missing.headers["Date"] == HTTP_DATE
    assert fetch(demo.site_url + "/nothing.html").status == 404

    for base in (demo.portal_url, demo.site_url):
        robots = fetch(base + "/robots.txt")
        assert robots.status == 200 and robots.text == "User-agent: *\nDisallow: /search/\n"

    head = fetch(demo.portal_url + "/index.html", method="HEAD")
    assert head.status == 200 and head.body == b"" and int(head.headers["Content-Length"]) > 1000
    assert fetch(demo.portal_url + "/index.html", data=b"x=1").status == 405
    assert fetch(demo.portal_url + "/jyj/").body == fetch(demo.portal_url + "/jyj/index.html").body


def test_list_shapes_and_date_styles(demo):
    mz = fetch(demo.portal_url + "/mzj/mzdt/index.html").text
    assert "<span>[2026-11-05]</span>" in mz and '<a href="index_2.html">下一页</a>' in mz
    assert "<td>[2026-05-20]</td>" in fetch(demo.portal_url + "/mzj/tzgg/index.html").text
    assert "2026年5月20日" in fetch(demo.portal_url + "/mzj/zcwj/index.html").text
    assert "<td>2026/11/10</td>" in fetch(demo.portal_url + "/mzj/shjz/index.html").text
    assert '<ul class="list">\n</ul>' in fetch(demo.portal_url + "/mzj/ylfw/index.html").text
    assert "暂无信息" in fetch(demo.portal_url + "/jyj/ddpg/index.html").text
    assert "totalRecord: 0" in fetch(demo.portal_url + "/col/col2103/index.html").text
    assert "var itemObj = [];" in fetch(demo.site_url + "/zdxm/index.html").text
    rel = fetch(demo.site_url + "/fgzx/index.html").text
    assert '/fgzx/202611/t20261117_' in rel and '<span class="time">3天前</span>' in rel
    short = fetch(demo.site_url + "/ghjh/index.html").text
    assert '<li class="year">2025年</li>' in short and "<span>[03-05]</span>" in short
    gz = fetch(demo.site_url + "/gzdt/index.html").text
    assert '<a href="/gzdt/index.html?page=2">下一页</a>' in gz
    art = fetch(demo.portal_url + "/jyj/tzgg/" + re.search(r'href="\./(202605/[^"]+)"',
                                                           fetch(demo.portal_url + "/jyj/tzgg/index.html").text).group(1))
    assert 'class="TRS_Editor"' in art.text and "发布时间：2026-05-19" in art.text


# --------------------------------------------------------------------------------------- ground truth

def test_ground_truth_is_regenerable():
    generated = truth.generate()
    assert truth.check(), "ground_truth.json is stale: run python -m govaudit.demo ground-truth"
    assert json.loads(truth.GROUND_TRUTH_PATH.read_text(encoding="utf-8")) == generated
    assert [(w["week"], w["as_of"]) for w in generated["weeks"]] == [(1, "2026-11-20"), (2, "2026-11-27")]
    assert DEMO_AS_OF == WEEKS[1]


def test_ground_truth_substitution(demo):
    gt = ground_truth(demo.portal_url, demo.site_url)
    assert gt["week"] == 1 and ground_truth(demo.portal_url, demo.site_url, 2)["as_of"] == "2026-11-27"
    assert "{portal}" not in json.dumps(gt) and "{site}" not in json.dumps(gt)
    jyj = next(c for c in gt["columns"] if c["site"] == "jyj" and c["name"] == "通知公告")
    assert jyj == {"department": "jyj", "site": "jyj", "name": "通知公告",
                   "url": demo.portal_url + "/jyj/tzgg/index.html", "update_class": "通知公告",
                   "latest_date": "2026-05-19", "item_count": 23, "undated_count": 0, "stale": True, "blank": False}
    assert {"rule": "section_missing", "site": "mzj", "department": "mzj", "severity": "deduct", "url": None,
            "item": "政府信息公开年报"} in gt["findings"]
    assert {"rule": "availability", "site": "fgj", "department": "fgj", "severity": "veto",
            "url": demo.site_url + "/index.html", "item": None} in gt["findings"]


def _truth(week: int):
    return truth.generate()["weeks"][week - 1]


def test_planted_problems():
    gt = _truth(1)
    cols = {(c["site"], c["name"]): c for c in gt["columns"]}
    # boundaries: fresh exactly on the cutoff, stale one day before
    assert freshness_cutoff("动态要闻") == date(2026, 11, 6)
    assert freshness_cutoff("通知公告") == freshness_cutoff("政策文件") == date(2026, 5, 20)
    assert freshness_cutoff("基础信息") == date(2025, 11, 20)
    expect = {
        ("portal", "部门动态"): ("2026-11-06", False), ("mzj", "民政动态"): ("2026-11-05", True),
        ("mzj", "通知公告"): ("2026-05-20", False), ("jyj", "通知公告"): ("2026-05-19", True),
        ("mzj", "政策文件"): ("2026-05-20", False), ("fgj", "政策文件"): ("2026-05-19", True),
        ("wjw", "人事信息"): ("2025-11-20", False), ("jyj", "人事信息"): ("2025-11-19", True),
        ("fgj", "通知公告"): ("2026-05-20", False), ("portal", "财政资金"): ("2026-03-18", False),
    }
    for key, (latest, stale) in expect.items():
        assert (cols[key]["latest_date"], cols[key]["stale"]) == (latest, stale), key
    undated = cols[("mzj", "办事指南")]
    assert undated["latest_date"] is None and undated["undated_count"] == undated["item_count"] == 5
    assert undated["stale"] is True
    blanks = sorted(k for k, c in cols.items() if c["blank"])
    assert blanks == sorted([("jyj", "督导评估"), ("mzj", "养老服务"), ("wjw", "疾病预防控制"), ("wjw", "健康教育"),
                             ("fgj", "重大项目")])
    assert all(not cols[k]["stale"] and cols[k]["item_count"] == 0 for k in blanks)
    assert cols[("mzj", "社会组织")]["item_count"] == 1 and not cols[("mzj", "社会组织")]["blank"]
    joint = [c for c in gt["columns"] if c["name"] == "医疗救助公示"]
    assert {(c["site"], c["department"]) for c in joint} == {("wjw", "wjw"), ("mzj", "mzj")}
    assert len({c["url"] for c in joint}) == 1
    missing = {(f["site"], f["item"]) for f in gt["findings"] if f["rule"] == "section_missing"}
    assert missing == {("mzj", "政府信息公开年报"), ("wjw", "政府信息公开指南"), ("wjw", "政府信息公开制度")}
    stale_classes = {c["update_class"] for c in gt["columns"] if c["stale"]}
    assert stale_classes == {"动态要闻", "通知公告", "政策文件", "基础信息"}
    for week in WEEKS:
        for column in build_portal(week).columns:
            assert column.state == column.expected(week) and column.state in (FRESH, STALE, BLANK)
    assert update_class("青溪要闻") == "动态要闻" and update_class("社会救助公示") == "通知公告"
    assert update_class("政策解读") == "基础信息" and update_class("政策文件") == "政策文件"


def test_week_two_is_week_one_plus_the_changes():
    one, two = build_portal(1), build_portal(2)
    assert (one.as_of, two.as_of) == (date(2026, 11, 20), date(2026, 11, 27))
    urls = {w: {(c.site, i.url): i for c in p.columns for i in c.items} for w, p in ((1, one), (2, two))}
    assert urls[1].keys() <= urls[2].keys()                       # same documents, same URLs
    assert all(urls[2][k].title == i.title and urls[2][k].date == i.date for k, i in urls[1].items())
    added = {k for k in urls[2] if k not in urls[1]}
    assert {url for _site, url in added} == set(two.added)
    assert len(added) == sum(len(c.lines.splitlines()) for c in CHANGES if c.kind == "add")
    assert set(two.fixed) == {c.plant for c in CHANGES if c.kind == "fix"} and not one.fixed
    assert all(c.why for c in CHANGES) and all(p.why for p in PLANTS)
    # week 1's edge decoys cross their windows by week 2: 临期 columns become stale
    cols = {(c["site"], c["name"]): c for c in _truth(2)["columns"]}
    for key in (("portal", "部门动态"), ("mzj", "通知公告"), ("wjw", "人事信息"), ("fgj", "通知公告")):
        assert cols[key]["stale"], key
    assert not cols[("portal", "街道动态")]["stale"] and not cols[("wjw", "疾病预防控制")]["blank"]


def test_every_rule_of_the_truth_has_declared_decoys():
    rules = {f["rule"] for week in truth.generate()["weeks"] for f in week["findings"]}
    assert rules <= set(decoys()) and all(decoys()[r] for r in rules)


def test_holiday_decoy_and_late_document_on_the_official_calendar():
    """The timeliness plants sit where the 调休 calendar matters: 24 weekdays but 20 working days."""
    import numpy as np

    from govaudit.workdays import count_working_days

    def weekdays(a, b):
        return int(np.busday_count(a + timedelta(days=1), b + timedelta(days=1)))
    decoy, late = (next(p for p in PLANTS if p.key == k) for k in ("holiday-lag", "late-publicity"))
    assert (count_working_days(decoy.written, date(2026, 10, 15)).days, weekdays(decoy.written, date(2026, 10, 15))) \
        == (20, 24)
    assert count_working_days(late.written, date(2026, 10, 29)).days == 22


@pytest.mark.parametrize("week", sorted(WEEKS))
def test_ground_truth_matches_served_pages(request, week):
    """Every truth column answers 200, and walking it reproduces item_count / latest / undated."""
    running = request.getfixturevalue("demo" if week == 1 else "demo2")
    gt = ground_truth(running.portal_url, running.site_url, week)
    for col in gt["columns"]:
        items = column_items(col["url"])
        assert len(items) == col["item_count"], col
        dates = []
        for url in items:
            doc = fetch(url)
            assert doc.status == 200, url
            dates.append(pub_date(doc))
        dated = [d for d in dates if d]
        assert (max(dated).isoformat() if dated else None) == col["latest_date"], col
        assert dates.count(None) == col["undated_count"], col


# --------------------------------------------------------------------------------------- whole site

@pytest.mark.parametrize("week", sorted(WEEKS))
def test_every_link_resolves_but_the_planted_ones(request, week):
    running = request.getfixturevalue("demo" if week == 1 else "demo2")
    pages = request.getfixturevalue("site_map" if week == 1 else "site_map2")
    broken = {urlsplit(u).path: p.status for u, p in pages.items() if p.status != 200}
    assert broken == planted_broken(week)
    assert len(pages) <= 460, len(pages)
    for page in pages.values():
        assert page.headers["Date"] == http_date(week)
        assert int(page.headers["Content-Length"]) == len(page.body)
    gt = ground_truth(running.portal_url, running.site_url, week)
    assert {c["url"] for c in gt["columns"]} <= set(pages)


def test_week_two_serves_every_week_one_url(demo2):
    """The issue ledger recognises a problem by its URL: week 2 answers every week-1 address as week 1 did."""
    week1 = build_routes(build_portal(1), demo2.portal_url, demo2.site_url)
    for host, base in (("portal", demo2.portal_url), ("site", demo2.site_url)):
        for path, resource in week1[host].items():
            if path != "/index.html":                     # the flaky homepages are tested on their own
                assert fetch(base + path).status == (200 if resource.status == 301 else resource.status), path


def test_shared_template_on_every_portal_page(demo, site_map):
    r = Renderer(build_portal(), demo.portal_url, demo.site_url)
    header = r.portal_header()
    portal_host = urlsplit(demo.portal_url).netloc
    pages = [p for u, p in site_map.items()
             if urlsplit(u).netloc == portal_host and p.status == 200 and p.content_type.startswith("text/html")]
    assert len(pages) > 250
    for page in pages:
        footer = r.portal_footer(section_of(page.final, demo.portal_url))
        assert page.text.count(header) == 1 and page.text.count(footer) == 1, page.url
    for item in DISCLOSURE_ITEMS:                    # the decoy: shared nav names all four items
        assert f">{item}</a>" in header
    # the identity plant: 民政局's pages leave out the 公安备案号, every other page shows it
    mzj = build_portal().site("mzj")
    assert "浙公网安备" not in r.portal_footer(mzj) and "浙公网安备" in r.portal_footer()
    assert "网站标识码" in r.portal_footer(mzj) and 'alt="党政机关"' in r.portal_footer(mzj)


def _own_anchor_texts(page: Page, r: Renderer, portal_url: str) -> list[str]:
    text = page.text.replace(r.portal_header(), "").replace(r.portal_footer(section_of(page.final, portal_url)), "")
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<a [^>]*>(.*?)</a>", text, re.S)]


def test_missing_sections_are_really_missing(demo, site_map):
    r = Renderer(build_portal(), demo.portal_url, demo.site_url)
    portal = build_portal()
    keywords = {"政府信息公开指南": ("信息公开指南",), "政府信息公开制度": ("信息公开制度",),
                "法定主动公开内容": ("法定主动公开",), "政府信息公开年报": ("年报", "年度报告")}
    for site in portal.sites:
        base = demo.portal_url if site.host == "portal" else demo.site_url
        col_urls = {base + c.path for c in portal.columns_of(site.id)}
        own = []
        for url, page in site_map.items():
            if not url.startswith(base) or not page.content_type.startswith("text/html"):
                continue
            path = url[len(base):]
            in_scope = (site.prefix and path.startswith(site.prefix)) or url in col_urls or (
                not site.prefix and (site.host == "site" or path in ("/index.html", "/zfxxgk/index.html")))
            if in_scope:
                own.append(page)
        anchors = [t for page in own for t in _own_anchor_texts(page, r, demo.portal_url)]
        names = [c.name for c in portal.columns_of(site.id)]
        for item, words in keywords.items():
            present = any(w in t for w in words for t in anchors + names)
            assert present == (item not in site.missing), (site.id, item)


def test_no_raw_personal_data_in_pages(site_map):
    for url, page in site_map.items():
        if page.content_type.startswith(("text/", "application/javascript")):
            assert not _RAW_ID.search(page.text) and not _RAW_MOBILE.search(page.text), url


def test_the_planted_roster_is_raw_in_week_one_and_masked_in_week_two(demo, demo2):
    """Compared only: the values are never printed (a failure says which week, not what)."""
    import openpyxl

    path = "/mzj/shjz/files/linshi_2026_q3_mingdan.xlsx"
    raw = planted_personal_values()
    texts = {}
    for week, running in ((1, demo), (2, demo2)):
        book = openpyxl.load_workbook(io.BytesIO(fetch(running.portal_url + path).body))
        texts[week] = "\n".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c)
    week1_has_all = all(value in texts[1] for value in raw)
    week2_has_none = not any(value in texts[2] for value in raw)
    assert week1_has_all, "week 1 roster lacks the planted values"
    assert week2_has_none, "week 2 roster still shows a planted value"
    masked = re.findall(r"\b\d{6}\*{8}\d{3}[\dX]\b|\b1\d{2}\*{4}\d{4}\b", texts[2])
    assert len(masked) == 4





@pytest.mark.parametrize("week", sorted(WEEKS))
def test_rendering_is_deterministic(week):
    a = build_routes(build_portal(week), "http://127.0.0.1:1", "http://127.0.0.1:2")
    b = build_routes(build_portal(week), "http://127.0.0.1:1", "http://127.0.0.1:2")
    assert a.keys() == b.keys()
    for host in a:
        assert a[host].keys() == b[host].keys()
        for path in a[host]:
            assert a[host][path].body == b[host][path].body, path


def test_demo_config(demo):
    text = demo_config(demo.portal_url, demo.site_url, "sqlite:///demo.db")
    cfg = yaml.safe_load(text)
    assert list(cfg) == ["organization", "store", "as_of", "departments", "sites", "politeness", "rules"]
    assert cfg["store"] == "sqlite:///demo.db" and cfg["as_of"] == date(2026, 11, 20)
    assert {d["id"] for d in cfg["departments"]} == {"zfb", "jyj", "mzj", "wjw", "fgj"}
    assert all(set(d) == {"id", "name", "email"} for d in cfg["departments"])
    sites = {s["id"]: s for s in cfg["sites"]}
    assert list(sites) == ["portal", "jyj", "mzj", "wjw", "fgj"]
    portal_host, site_host = urlsplit(demo.portal_url).netloc, urlsplit(demo.site_url).netloc
    assert sites["portal"] == {"id": "portal", "name": "青溪区人民政府门户网站", "department": "zfb",
                               "start_urls": [demo.portal_url + "/index.html"], "allowed_hosts": [portal_host],
                               "scope": [], "columns": []}
    assert sites["wjw"]["scope"] == ["/wjw/"] and sites["wjw"]["start_urls"] == [demo.portal_url + "/wjw/index.html"]
    assert sites["fgj"]["allowed_hosts"] == [site_host] and sites["fgj"]["scope"] == []
    assert cfg["politeness"] == {"delay": 0, "concurrency_per_host": 8, "autothrottle": False,
                                 "robots_txt": True, "timeout": 10}
    assert cfg["rules"]["annual_report"] == {"government_sites": ["portal"]}
    for site in sites.values():
        assert fetch(site["start_urls"][0]).status == 200


# --------------------------------------------------------------------------------------- weeks

def test_set_week_switches_pages_date_and_today_on_the_same_ports():
    with DemoPortal(week=1) as running:
        ports = (running.portal_url, running.site_url)
        first = fetch(running.portal_url + "/index.html")
        rel1 = fetch(running.site_url + "/fgzx/index.html").text
        running.set_week(2)
        assert (running.portal_url, running.site_url) == ports
        second = fetch(running.portal_url + "/index.html")
        rel2 = fetch(running.site_url + "/fgzx/index.html").text
    assert first.headers["Date"] == HTTP_DATE and second.headers["Date"] == "Fri, 27 Nov 2026 02:00:00 GMT"
    assert "今天是2026年11月20日 星期五" in first.text and "今天是2026年11月27日 星期五" in second.text
    # the same item (2026-11-17) is 3 days old in week 1 and 10 days old in week 2
    assert '<span class="time">3天前</span>' in rel1 and '<span class="time">10天前</span>' in rel2
    assert "青溪区召开2026年度冬季征兵工作会议" in second.text and "冬季征兵工作会议" not in first.text


def test_plants_render_and_fixes_apply(demo, demo2):
    one, two = build_portal(1), build_portal(2)

    def page(running, portal, site, column, title):
        item = next(i for c in portal.columns if c.site == site and c.name == column for i in c.items
                    if i.title.startswith(title))
        base = running.portal_url if portal.site(site).host == "portal" else running.site_url
        return fetch(base + item.url).text
    args = ("portal", "政策文件", "青溪区人民政府办公室关于印发青溪区城市更新")
    assert "国务园办公厅" in page(demo, one, *args) and "国务园" not in page(demo2, two, *args)
    args = ("jyj", "教育动态", "青溪区举办中小学生科技节")
    assert 'style="display:none"' in page(demo, one, *args) and 'style="display:none"' in page(demo2, two, *args)
    policy = page(demo, one, "mzj", "政策文件", "青溪区民政局关于加强困境儿童保障")
    assert "相关解读" not in policy and "相关解读" in page(demo2, two, "mzj", "政策文件", "青溪区民政局关于加强困境儿童保障")
    assert "相关解读" in page(demo, one, "mzj", "政策文件", "青溪区民政局关于印发《青溪区最低生活保障审核")
    old = page(demo, one, "jyj", "政府信息公开年报", "青溪区教育局2025年")
    assert "一、概述" in old and "七、其他需要报告的事项" in old
    assert fetch(demo2.portal_url + "/jyj/tzgg/files/yishujie_baomingbiao.xlsx").status == 200
    assert fetch(demo.portal_url + "/mzj/zxfw.html").final == demo.portal_url + "/zwfw/index.html"   # 301
    assert fetch(demo.portal_url + "/col/col1002/files/cbdj_biaoge.zip").status == 200


def test_flaky_homepages_fail_as_declared():
    """fgj's homepage fails every 4th GET (503), the portal's only its 7th: the schedule the
    availability truth assumes (PROBE_ROUNDS probes, then one crawl fetch per week)."""
    with DemoPortal() as running:
        statuses = {site: [fetch(base + "/index.html").status for _ in range(PROBE_ROUNDS + 2)]
                    for site, base in (("fgj", running.site_url), ("portal", running.portal_url))}
        assert fetch(running.portal_url + "/jyj/index.html").status == 200
    flaky = {f.site: f for f in FLAKY}
    for site, answers in statuses.items():
        assert [n for n, status in enumerate(answers, 1) if status == 503] == \
            [n for n in range(1, PROBE_ROUNDS + 3) if flaky[site].fails(n)]
    assert statuses["fgj"].count(503) == PROBE_ROUNDS // 4 and statuses["portal"].count(503) == 1
    assert statuses["fgj"][-2:] == [200, 200]                 # the crawls' fetches are not failures
