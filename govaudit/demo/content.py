"""The demo portal as data: the single source of truth for the pages and the ground truth.

江州市青溪区人民政府 (fictional) runs a Hanweb (大汉) portal on one host. Three departments keep
their sections on that host under path prefixes, each on a different CMS; one department runs
its own site on a second host. The table in :func:`_columns` lists every column with its shape,
its planted state (``expect``, per week where it changes) and the reason it exists (``why``);
the item lists live in :mod:`govaudit.demo.items`, the plants inside documents in
:mod:`govaudit.demo.plants`.

The demo has two weeks: week 1 (2026-11-20) is the first inspection, week 2 (2026-11-27) the
re-inspection. Week 2 is week 1 plus :data:`CHANGES` (problems fixed, new items, new problems);
everything else follows the calendar (a column whose latest item was on the last fresh day of
week 1 is stale a week later). Every URL of week 1 is the same in week 2.

=========  ======================  ======  ===========================================
site       department              host    shape of its column pages
=========  ======================  ======  ===========================================
portal     青溪区人民政府办公室      portal  Hanweb /col/colN/ + dataproxy.jsp
jyj        青溪区教育局              portal  TRS WCM under /jyj/ (gb2312, createPageHTML)
mzj        青溪区民政局              portal  plain <ul>/<table> under /mzj/, 下一页, attachments
wjw        青溪区卫生健康委员会      portal  index under /wjw/, Hanweb columns *without* prefix
fgj        青溪区发展和改革局        site    own site, client-rendered itemObj arrays
=========  ======================  ======  ===========================================
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import items as I
from .model import (BLANK, FRESH, HANWEB, HTML_LIST, SCRIPT, STALE, TABLE, TRS, WEEKS, Column,
                    Department, Item, Portal, Site, items)
from .plants import PAIRS, PLANTS, Plant

DEPARTMENTS = [
    Department("zfb", "青溪区人民政府办公室", "区政府办公室", "zfb@qingxi.example.gov.cn"),
    Department("jyj", "青溪区教育局", "区教育局", "jyj@qingxi.example.gov.cn"),
    Department("mzj", "青溪区民政局", "区民政局", "mzj@qingxi.example.gov.cn"),
    Department("wjw", "青溪区卫生健康委员会", "区卫健委", "wjw@qingxi.example.gov.cn"),
    Department("fgj", "青溪区发展和改革局", "区发改局", "fgj@qingxi.example.gov.cn"),
]

#: First article id per site (ids grow with the publication date inside a site).
_ID_BASE = {"portal": 70001, "jyj": 4001, "mzj": 6001, "wjw": 80001, "fgj": 5001}

#: Publication times cycle through these (the clock part of PubDate / aPd).
_TIMES = ("09:30", "10:05", "11:20", "15:40", "16:15", "17:00", "08:45", "14:30")

#: Sites that are a government's own (its annual report is due by 3月31日, a department's by 1月31日);
#: the demo config passes it as ``rules.annual_report.government_sites``.
GOVERNMENT_SITES = ("portal",)


@dataclass(frozen=True)
class Flaky:
    """A homepage that fails some of its requests (HTTP 503): the ``n``-th GET of it since the
    demo started fails when ``n`` is a multiple of ``every`` or listed in ``only``."""
    site: str
    why: str
    every: int = 0
    only: tuple[int, ...] = ()

    def fails(self, n: int) -> bool:
        return bool(self.every and n % self.every == 0) or n in self.only


#: Probe rounds (``govaudit probe --repeat``) the demo runs before week 1's crawl; the crawls'
#: own homepage fetches count as probes too. The availability ground truth assumes this schedule.
PROBE_ROUNDS = 40

FLAKY = [
    Flaky("fgj", "the department's own server fails every 4th request of its homepage: 25% of the probes "
                 "fail (veto at 5%)", every=4),
    Flaky("portal", "decoy: the portal homepage fails once (its 7th request), 1 of 41 probes: below the 3% "
                    "early warning", only=(7,)),
]


@dataclass(frozen=True)
class Change:
    """One change between week 1 and week 2: ``add`` items (``lines`` in the items.py format) to a
    column, or ``fix`` a plant (its document shows the fixed form)."""
    kind: str
    why: str
    site: str = ""
    column: str = ""
    lines: str = ""
    plant: str = ""


#: Week 2 = week 1 + these changes.
CHANGES: list[Change] = [
    # -- problems fixed
    Change("add", "fix: the stale 动态 column is updated again", "portal", "街道动态",
           "2026-11-25 溪口街道开展冬季消防安全宣传活动\n2026-11-23 青溪街道召开老旧小区改造居民议事会"),
    Change("add", "fix: the blank column gets its first items", "wjw", "疾病预防控制",
           "2026-11-26 区疾控中心开展冬季流感疫苗接种工作\n2026-11-24 青溪区开展“世界艾滋病日”主题宣传预热活动"),
    Change("add", "fix: the stale 动态 column (and with it the section's homepage) is updated again; the "
                  "future-dated item is the forged_date rule's (advisory) case", "wjw", "卫生健康动态",
           "2026-12-07 区卫健委开展冬季健康义诊进社区活动\n2026-11-25 区卫健委召开冬季医疗服务保障工作会议"),
    Change("add", "fix: the policy without an interpretation gets one, linked both ways", "mzj", "政策解读",
           "2026-11-24 《关于加强困境儿童保障工作的实施意见》政策解读"),
    Change("fix", "fix: the roster is replaced by a masked list at the same address", plant="raw-relief-roster"),
    Change("fix", "fix: the missing 报名表 is uploaded", plant="missing-attachment"),
    Change("fix", "fix: 国务园办公厅 corrected to 国务院办公厅", plant="guowuyuan-typo"),
    # -- new items and new problems
    Change("add", "new problem: a notice first seen in week 2, dated 2026-10-08 between two items week 1 read "
                  "next to each other (back-dated)", "portal", "通知公告",
           "2026-10-08 关于开展2026年度区级机关事业单位节能宣传月活动的通知"),
    Change("add", "decoys for forged_date: two new items dated after week 1's crawl, one dated 2 days before "
                  "it (within the 3-day tolerance)", "portal", "青溪要闻",
           "2026-11-26 区政府召开第四十九次常务会议\n2026-11-24 青溪区召开2026年度冬季征兵工作会议\n"
           "2026-11-18 青溪区举办2026年“青溪杯”创新创业大赛决赛"),
    Change("add", "decoy for forged_date: a policy document first seen in week 2, dated between two items week 1 "
                  "read; 政策文件 lists show the 成文日期, so the class is not judged", "portal", "政策文件",
           "2026-10-12 青溪区人民政府办公室关于做好2026年冬季供暖保障工作的通知（青政办发〔2026〕27号）"),
    Change("add", "ordinary update", "jyj", "教育动态", "2026-11-25 青溪区召开2026年秋季学期期中教学质量分析会"),
    Change("add", "ordinary update", "fgj", "工作动态", "2026-11-26 区发改局召开2027年重大项目谋划储备工作会"),
]


def _hanweb(site, hid, name, block, expect, why, group, body="news", per_page=15, **kw) -> Column:
    """A Hanweb column at /col/col{hid}/index.html."""
    return Column(site=site, name=name, shape=HANWEB, path=f"/col/col{hid}/index.html", items=block,
                  expect=expect, why=why, body=body, per_page=per_page, hanweb_id=hid, group=group, **kw)


def _columns() -> list[Column]:
    """Every column of every section, in reporting order. THE table of the demo."""
    P, W = "portal", "wjw"
    news, gk = "新闻中心", "政务公开"
    return [
        # ---- portal (Hanweb, 15 per page) ------------------------------------------------------
        _hanweb(P, 1001, "青溪要闻", items(I.PORTAL_YAOWEN), FRESH,
                "fresh 动态 column whose pages 2-3 (dataproxy.jsp) hold only old items", news),
        _hanweb(P, 1002, "通知公告", items(I.PORTAL_TZGG), FRESH, "ordinary fresh 通知公告 column", news,
                body="notice"),
        _hanweb(P, 1003, "部门动态", items(I.PORTAL_BMDT), (FRESH, STALE),
                "decoy in week 1: latest item exactly 2026-11-06, the last fresh day of the 14-day window; "
                "it crosses the window before week 2", news),
        _hanweb(P, 1004, "街道动态", items(I.PORTAL_JDDT), (STALE, FRESH),
                "stale 动态 column (latest 2026-10-20) on pages full of today's date widget and ©2019-2026; "
                "updated in week 2", news),
        _hanweb(P, 1005, "政策文件", items(I.PORTAL_ZCWJ), FRESH, "fresh 政策文件 column with 文号 in titles", gk,
                body="policy"),
        _hanweb(P, 1006, "政策解读", items(I.PORTAL_ZCJD), FRESH, "fresh 基础信息 column", gk, body="interpret"),
        _hanweb(P, 1007, "人事信息", items(I.PORTAL_RSXX), FRESH, "fresh 基础信息 column", gk, body="personnel"),
        _hanweb(P, 1008, "财政资金", items(I.PORTAL_CZZJ, pinned=(0,)), FRESH,
                "decoy: a pinned 2025-06-18 item is listed first; the newest (2026-03-18) is the second row",
                gk, body="finance"),
        _hanweb(P, 1009, "规划计划", items(I.PORTAL_GHJH), STALE,
                "stale 基础信息 column (latest 2025-06-30, window 1 year)", gk, body="plan"),
        _hanweb(P, 1011, "政府信息公开制度", items(I.PORTAL_XXGKZD), FRESH, "the portal's 信息公开制度 column", gk,
                body="system"),
        _hanweb(P, 1012, "政府信息公开年报", items(I.PORTAL_XXGKNB), FRESH,
                "the portal's 信息公开年报 column: a government's report, due by 3月31日", gk, body="report"),

        # ---- 区教育局 /jyj/ (TRS WCM, gb2312, 10 per page) -------------------------------------
        Column("jyj", "教育动态", TRS, "/jyj/jydt/index.html", items(I.JYJ_JYDT), FRESH,
               "fresh column paged by createPageHTML(3, …): index_1/index_2 hold only old items",
               charset="gb2312"),
        Column("jyj", "通知公告", TRS, "/jyj/tzgg/index.html", items(I.JYJ_TZGG), STALE,
               "stale just outside the 6-month window (latest 2026-05-19), 23 items over 3 pages",
               body="notice", charset="gb2312"),
        Column("jyj", "政策文件", TRS, "/jyj/zcwj/index.html", items(I.JYJ_ZCWJ), STALE,
               "stale (latest 2026-04-15) while titles carry 文号 〔2026〕11号/12号 that look like Nov/Dec 2026",
               body="policy", charset="gb2312"),
        Column("jyj", "政策解读", TRS, "/jyj/zcjd/index.html", items(I.JYJ_ZCJD), FRESH, "fresh 基础信息 column",
               body="interpret", charset="gb2312"),
        Column("jyj", "人事信息", TRS, "/jyj/rsxx/index.html", items(I.JYJ_RSXX), STALE,
               "stale just outside the 1-year window (latest 2025-11-19)", body="personnel", charset="gb2312"),
        Column("jyj", "督导评估", TRS, "/jyj/ddpg/index.html", [], BLANK,
               "blank: the list shows a 暂无信息 placeholder", charset="gb2312", placeholder=True),
        Column("jyj", "校园动态", TRS, "/jyj/xydt/index.html", items(I.JYJ_XYDT), STALE,
               "stale 动态 column (latest 2026-10-30): the section's third stale key column (stale_count warning)",
               charset="gb2312"),
        Column("jyj", "政府信息公开制度", TRS, "/jyj/xxgk/xxgkzd/index.html", items(I.JYJ_XXGKZD), FRESH,
               "the section's 信息公开制度 column", body="system", charset="gb2312"),
        Column("jyj", "政府信息公开年报", TRS, "/jyj/xxgk/xxgknb/index.html", items(I.JYJ_XXGKNB), FRESH,
               "the section's 信息公开年报 column", body="report", charset="gb2312"),

        # ---- 区民政局 /mzj/ (plain HTML, 10 per page, 下一页) ---------------------------------
        Column("mzj", "民政动态", HTML_LIST, "/mzj/mzdt/index.html", items(I.MZJ_MZDT), STALE,
               "stale just outside the 14-day window (latest 2026-11-05), 下一页 to index_2.html",
               date_style="bracket"),
        Column("mzj", "通知公告", TABLE, "/mzj/tzgg/index.html", items(I.MZJ_TZGG), (FRESH, STALE),
               "decoy in week 1: <table> whose latest row is exactly 2026-05-20, the last fresh day of 6 months",
               body="notice", date_style="bracket"),
        Column("mzj", "政策文件", HTML_LIST, "/mzj/zcwj/index.html", items(I.MZJ_ZCWJ), (FRESH, STALE),
               "decoy in week 1: 政策文件 latest exactly 2026-05-20, dates written 2026年5月20日",
               body="policy", date_style="cn"),
        Column("mzj", "政策解读", HTML_LIST, "/mzj/zcjd/index.html", items(I.MZJ_ZCJD), FRESH,
               "interpretations of the section's policies (one policy has none until week 2)", body="interpret"),
        Column("mzj", "社会救助公示", TABLE, "/mzj/shjz/index.html",
               items(I.MZJ_SHJZ, attachments={0: ("dibao_2026_10.xlsx", "dibao_xinzeng_2026_10.xls"),
                                              1: ("dibao_2026_09.docx",), 2: ("linshi_2026_q3.pdf",)}),
               FRESH, "公示 with attachments: masked xlsx, docx, pdf and one corrupt .xls; dates 2026/11/10",
               body="relief", date_style="slash"),
        Column("mzj", "办事指南", HTML_LIST, "/mzj/bszn/index.html", items(I.MZJ_BSZN), STALE,
               "every item undated (list and document): counts as not updated", body="guide",
               date_style="none"),
        Column("mzj", "养老服务", HTML_LIST, "/mzj/ylfw/index.html", [], BLANK, "blank: an empty <ul>"),
        Column("mzj", "社会组织", HTML_LIST, "/mzj/shzz/index.html", items(I.MZJ_SHZZ), FRESH,
               "decoy: a single item is not blank", body="social"),
        Column("mzj", "政府信息公开制度", HTML_LIST, "/mzj/xxgk/xxgkzd/index.html", items(I.MZJ_XXGKZD), FRESH,
               "the section's 信息公开制度 column (the section has no 年报)", body="system"),

        # ---- 区卫健委 (index /wjw/, Hanweb columns without prefix, 10 per page) ----------------
        _hanweb(W, 2101, "卫生健康动态", items(I.WJW_WSJKDT), (STALE, FRESH),
                "Hanweb column outside /wjw/, attributed only through /wjw/ links, page 2 via dataproxy; stale "
                "(latest 2026-11-04) and the newest item of the section's index: its homepage is 16 days old",
                "区卫健委", per_page=10),
        _hanweb(W, 2102, "通知公告", items(I.WJW_TZGG), STALE, "stale 通知公告 column (latest 2026-03-02)",
                "区卫健委", body="notice", per_page=10),
        _hanweb(W, 2103, "疾病预防控制", [], (BLANK, FRESH),
                "blank: Hanweb datastore with totalRecord 0; gets items in week 2", "区卫健委", per_page=10),
        _hanweb(W, 2104, "人事信息", items(I.WJW_RSXX), (FRESH, STALE),
                "decoy in week 1: latest exactly 2025-11-20, the last fresh day of the 1-year window", "区卫健委",
                body="personnel", per_page=10),
        _hanweb(W, 2105, "医疗救助公示", items(I.WJW_YLJZ), FRESH,
                "joint column linked from both /wjw/ and /mzj/: attributed to both sections", "区卫健委",
                body="medical", per_page=10, also_in=("mzj",)),
        _hanweb(W, 2106, "政府信息公开年报", items(I.WJW_XXGKNB), FRESH,
                "the section's 信息公开年报 column (the section has no 指南 and no 制度)", "区卫健委",
                body="report", per_page=10),
        _hanweb(W, 2107, "健康教育", [], BLANK,
                "blank: the section's second blank column (blank_count warning in week 1)", "区卫健委", per_page=10),

        # ---- 区发改局 own site (client-rendered) ----------------------------------------------
        Column("fgj", "工作动态", SCRIPT, "/gzdt/index.html", items(I.FGJ_GZDT), FRESH,
               "UTF-8 itemObj list, 下一页 to index.html?page=2 holding the older items"),
        Column("fgj", "通知公告", SCRIPT, "/tzgg/index.html", items(I.FGJ_TZGG), (FRESH, STALE),
               "decoy in week 1: GBK bytes that declare charset=utf-8; latest exactly 2026-05-20",
               body="notice", per_page=20, charset="gbk-declared-utf8"),
        Column("fgj", "政策文件", SCRIPT, "/zcwj/index.html", items(I.FGJ_ZCWJ), STALE,
               "GBK bytes without any declared charset; stale just outside 6 months (2026-05-19)",
               body="policy", per_page=20, charset="gbk-undeclared"),
        Column("fgj", "政策解读", SCRIPT, "/zcjd/index.html", items(I.FGJ_ZCJD), FRESH,
               "interpretations of the site's policies, linked both ways", body="interpret"),
        Column("fgj", "发改资讯", HTML_LIST, "/fgzx/index.html", items(I.FGJ_FGZX), FRESH,
               "relative dates (3天前 …) computed from the HTTP Date; absolute dates in the article URLs",
               date_style="relative"),
        Column("fgj", "规划计划", HTML_LIST, "/ghjh/index.html", items(I.FGJ_GHJH), FRESH,
               "short dates [03-05] with the year only in headings and article URLs", body="plan",
               date_style="short"),
        Column("fgj", "重大项目", SCRIPT, "/zdxm/index.html", [], BLANK, "blank: var itemObj = [];"),
        Column("fgj", "政府信息公开制度", SCRIPT, "/xxgk/xxgkzd/index.html", items(I.FGJ_XXGKZD), FRESH,
               "the site's 信息公开制度 column", body="system"),
        Column("fgj", "政府信息公开年报", SCRIPT, "/xxgk/xxgknb/index.html", items(I.FGJ_XXGKNB), FRESH,
               "the site's 信息公开年报 column: its 2025 report is late (2026-02-06)", body="report"),
    ]


def _sites() -> list[Site]:
    """The five sections, with where each of the four 政府信息公开 items is linked (None = missing)."""
    return [
        Site("portal", "青溪区人民政府门户网站", "zfb", "portal", "", "/index.html", "hanweb",
             {"政府信息公开指南": "guide", "政府信息公开制度": "/col/col1011/index.html",
              "法定主动公开内容": "/zfxxgk/index.html#fdzdgknr", "政府信息公开年报": "/col/col1012/index.html"},
             guide=items(I.PORTAL_GUIDE)[0], profile="/zjqx/jgzn.html"),
        Site("jyj", "青溪区教育局", "jyj", "portal", "/jyj/", "/jyj/index.html", "trs",
             {"政府信息公开指南": "guide", "政府信息公开制度": "/jyj/xxgk/xxgkzd/index.html",
              "法定主动公开内容": "/jyj/index.html#fdzdgknr", "政府信息公开年报": "/jyj/xxgk/xxgknb/index.html"},
             guide=items(I.JYJ_GUIDE)[0], profile="/jyj/jgzn.html"),
        # Planted: no 政府信息公开年报 anywhere in the section; its pages' footer lacks the 公安备案号.
        Site("mzj", "青溪区民政局", "mzj", "portal", "/mzj/", "/mzj/index.html", "plain",
             {"政府信息公开指南": "guide", "政府信息公开制度": "/mzj/xxgk/xxgkzd/index.html",
              "法定主动公开内容": "/mzj/index.html#fdzdgknr", "政府信息公开年报": None},
             guide=items(I.MZJ_GUIDE)[0], profile="/mzj/jgzn.html", footer_omits=("公安机关备案号",)),
        # Planted: no 政府信息公开指南 and no 政府信息公开制度.
        Site("wjw", "青溪区卫生健康委员会", "wjw", "portal", "/wjw/", "/wjw/index.html", "hanweb",
             {"政府信息公开指南": None, "政府信息公开制度": None,
              "法定主动公开内容": "/wjw/index.html#fdzdgknr", "政府信息公开年报": "/col/col2106/index.html"},
             profile="/wjw/jgzn.html"),
        Site("fgj", "青溪区发展和改革局", "fgj", "site", "", "/index.html", "client",
             {"政府信息公开指南": "guide", "政府信息公开制度": "/xxgk/xxgkzd/index.html",
              "法定主动公开内容": "/index.html#fdzdgknr", "政府信息公开年报": "/xxgk/xxgknb/index.html"},
             guide=items(I.FGJ_GUIDE)[0], profile="/jgzn.html"),
    ]


def _article_path(site: Site, column_dir: str, item: Item, hanweb_id: int | None) -> str:
    """URL path of an item's document, in the style of the CMS that published it."""
    d = item.date
    if hanweb_id is not None and d is not None:
        return f"/art/{d.year}/{d.month}/{d.day}/art_{hanweb_id}_{item.id}.html"
    if site.cms == "plain" or d is None:
        return f"{column_dir}content_{item.id}.html"
    return f"{column_dir}{d:%Y%m}/t{d:%Y%m%d}_{item.id}.html"


_GUIDE_DIRS = {"portal": None, "jyj": "/jyj/xxgk/xxgkzn/", "mzj": "/mzj/xxgk/", "fgj": "/xxgk/xxgkzn/"}


def _number(sites: list[Site], columns: list[Column]) -> dict[str, int]:
    """Give week 1's documents their ids, times and URLs; returns the next free id per site.

    Ids grow with the publication date inside a site: each site's documents are numbered oldest
    first."""
    counters = dict(_ID_BASE)
    for site in sites:
        docs: list[tuple[Column | None, Item]] = [(c, it) for c in columns if c.site == site.id for it in c.items]
        if site.guide is not None:
            docs.append((None, site.guide))
        docs.sort(key=lambda ci: (ci[1].date is None, ci[1].date or ci[1].title, ci[1].title))
        for column, item in docs:
            _place(site, column, item, counters)
    return counters


def _place(site: Site, column: Column | None, item: Item, counters: dict[str, int]) -> None:
    """Assign the next id of the site, a publication time and the URL of one document."""
    item.id = counters[site.id]
    counters[site.id] += 1
    item.time = _TIMES[item.id % len(_TIMES)]
    if column is not None:
        item.url = _article_path(site, column.dir, item, column.hanweb_id)
    elif site.id == "portal":
        item.url = _article_path(site, "", item, 1100)
    else:
        item.url = _article_path(site, _GUIDE_DIRS[site.id], item, None)


def _find(columns: list[Column], site: str, name: str) -> Column:
    return next(c for c in columns if c.site == site and c.name == name)


def _document(columns: list[Column], site: str, column: str, title: str) -> Item:
    """The first item of a column whose title starts with ``title``."""
    found = [i for i in _find(columns, site, column).items if i.title.startswith(title)]
    assert found, f"no document {site}/{column}「{title}…」"
    return found[0]


def _plant(columns: list[Column], plant: Plant) -> None:
    item = _document(columns, plant.site, plant.column, plant.title)
    item.plants += (plant.key,)
    if plant.attachment:
        item.attachments += (plant.attachment,)
    if plant.written:
        item.written = plant.written


def _week2(sites: list[Site], columns: list[Column], counters: dict[str, int]) -> tuple[set[str], set[str]]:
    """Apply :data:`CHANGES`; returns (fixed plant keys, paths of the added documents)."""
    fixed, added = set(), set()
    site_by_id = {s.id: s for s in sites}
    for change in CHANGES:
        if change.kind == "fix":
            assert any(p.key == change.plant for p in PLANTS), change.plant
            fixed.add(change.plant)
            continue
        assert change.kind == "add", change.kind
        column = _find(columns, change.site, change.column)
        new = items(change.lines)
        for item in sorted(new, key=lambda i: i.date):
            _place(site_by_id[change.site], column, item, counters)
            added.add(item.url)
        column.items.extend(new)
    return fixed, added


def _pair(columns: list[Column]) -> None:
    """Link policy documents and their interpretations as :data:`PAIRS` says."""
    for site, policy_title, interp_title, how in PAIRS:
        policy_column = next(c for c in columns if c.site == site and c.body == "policy")
        interp_column = next(c for c in columns if c.site == site and c.body == "interpret")
        interp = [i for i in interp_column.items if i.title.startswith(interp_title)]
        if not interp:
            continue                  # the interpretation is published later (a week-2 change)
        policy = _document(columns, site, policy_column.name, policy_title)
        if how in ("both", "to_interpretation"):
            policy.related.append(("相关解读", interp[0].title, interp[0].url))
        if how in ("both", "to_policy"):
            interp[0].related.append(("政策原文", policy.title, policy.url))


@lru_cache(maxsize=2)
def build_portal(week: int = 1) -> Portal:
    """Build the demo portal of ``week`` (1 or 2): columns, sites, every document's id, time and URL,
    its plants and related links.

    Deterministic; cached because nothing mutates the result afterwards. Week 2 numbers week 1's
    documents exactly as week 1 does (same URLs) and gives the added ones the next ids.
    """
    assert week in WEEKS, week
    columns, sites = _columns(), _sites()
    site_by_id = {s.id: s for s in sites}
    counters = _number(sites, columns)
    fixed, added = _week2(sites, columns, counters) if week == 2 else (set(), set())
    for plant in PLANTS:
        _plant(columns, plant)
    _pair(columns)
    for column in columns:
        column.as_of = WEEKS[week]
    for site in sites:
        if site.disclosure.get("政府信息公开指南") == "guide":
            site.disclosure["政府信息公开指南"] = site.guide.url
    portal = Portal(DEPARTMENTS, sites, columns, week, frozenset(fixed), frozenset(added))
    _check(portal, site_by_id)
    return portal


def _check(portal: Portal, site_by_id: dict[str, Site]) -> None:
    """Fail fast on table mistakes: duplicate URLs/names, bad prefixes, wrong planted states."""
    seen: set[tuple[str, str]] = set()
    for c in portal.columns:
        host = site_by_id[c.site].host
        for path in [c.path, *(i.url for i in c.items)]:
            assert (host, path) not in seen, f"duplicate URL {path}"
            seen.add((host, path))
        prefix = site_by_id[c.site].prefix
        assert c.shape == HANWEB or not prefix or c.path.startswith(prefix), c.path
        assert c.state == c.expected(portal.week), \
            f"{c.site}/{c.name}: planted {c.expected(portal.week)} in week {portal.week}, data says {c.state}"
    for s in portal.sites:
        names = [c.name for c in portal.columns_of(s.id)]
        assert len(names) == len(set(names)), f"duplicate column names in {s.id}"
    for flaky in FLAKY:     # the crawls' own homepage fetches (after the probes) must not fail
        assert not any(flaky.fails(PROBE_ROUNDS + week) for week in WEEKS), flaky
