"""List-page variants of real 区/市/省 government sites (tests/fixtures/variants/).

Every fixture is a full saved page (header, nav, breadcrumb, sidebar, footer). The expectations
are what a person reading the page sees: which list is the column's content, how many items it
holds, the first item and the most recent one, where further pages are, and the column's name.
"""
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from crawler.extract.page import extract_page

REF = date(2026, 11, 20)
VARIANTS = Path(__file__).resolve().parents[1] / "fixtures" / "variants"


@dataclass
class Case:
    url: str
    kind: str
    shape: str | None = None
    count: int = 0
    first: tuple | None = None            # (title, url, date, date_source)
    latest: tuple | None = None           # the most recent entry; None means "same as first"
    next_pages: list = field(default_factory=list)
    placeholder: bool = False
    column: tuple = (None, None)          # (column_name, column_name_source)


JB = "http://www.nbjiangbei.gov.cn/xwzx/bmdt/"
KL = "http://www.kenli.gov.cn/zwgk/tzgg/"
WJ = "http://www.wj.gov.cn/zwgk/zcjd/"
SS = "http://www.shushan.gov.cn/zwgk/zfwj/qzfwj/"
YZ = "http://www.yzx.gov.cn/xwzx/xzdt/"
LP = "http://www.linping.gov.cn/module/web/jpage/dataproxy.jsp"
LP_PARAMS = ("&col=1&appid=1&webid=3511&path=/&columnid=1229610&sourceContentType=1&unitid=7438521"
             "&webname=%E4%B8%B4%E5%B9%B3%E5%8C%BA%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0")
LX = "http://www.lanxi.gov.cn/module/web/jpage/dataproxy.jsp"
LX_PARAMS = ("&col=1&appid=1&webid=2876&path=/&columnid=2145&sourceContentType=1&unitid=8861092"
             "&webname=%E5%85%B0%E6%BA%AA%E5%B8%82%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0")
ZB = "http://sthjj.zibo.gov.cn/zwgk/hpgs/"

CASES = {
    # <div class="item"><a/><span class="time"/></div>, 下一页 link, sidebar of sibling columns
    "div_item_time.html": Case(
        JB + "index.html", "list", "html_list", 10,
        ("区发改局召开2027年重大项目谋划推进会", JB + "202611/t20261119_5512345.html", date(2026, 11, 19), "list"),
        next_pages=[JB + "index_1.html"], column=("部门动态", "breadcrumb")),
    # GBK bytes without any charset; date before the title; a pinned ([置顶]) older item first
    "date_first_gbk.html": Case(
        KL + "index.htm", "list", "html_list", 8,
        ("垦利区政府信息公开申请办理流程及注意事项", KL + "202606/t20260630_3312001.htm", date(2026, 6, 30), "list"),
        ("关于2026年冬季清洁取暖补贴资金发放情况的公示", KL + "202611/t20261118_3318822.htm",
         date(2026, 11, 18), "list"),
        next_pages=[KL + "index_1.htm"], column=("通知公告", "breadcrumb")),
    # one <dl><dt><a/></dt><dd>date</dd></dl> per item; TRS pagination split over `var` lines
    "dl_items.html": Case(
        WJ + "index.shtml", "list", "trs_createpagehtml", 8,
        ("图解：《武进区促进养老服务高质量发展若干措施》", WJ + "202611/t20261116_7721034.shtml",
         date(2026, 11, 16), "list"),
        next_pages=[WJ + f"index_{i}.shtml" for i in range(1, 4)], column=("政策解读", "breadcrumb")),
    # 序号/索引号/标题/文号/成文日期/发布日期: only 发布日期 is the publication date
    "table_wenhao_columns.html": Case(
        SS + "index.html", "list", "table", 6,
        ("蜀山区人民政府关于印发蜀山区2026—2027年冬春季森林防火工作方案的通知", SS + "202611/t20261117_8812034.html",
         date(2026, 11, 17), "list"),
        next_pages=[SS + "index_1.html"], column=("区政府文件", "breadcrumb")),
    # rows grouped under 2026年 / 2025年 / 2024年 separator rows, dates written MM-DD
    "year_group_rows.html": Case(
        "http://www.deqing.gov.cn/col/col1229455/index.html", "list", "table", 10,
        ("县政府第42次常务会议纪要", "http://www.deqing.gov.cn/art/2026/11/16/art_1229455_59231457.html",
         date(2026, 11, 16), "list"),
        column=("政府常务会议", "breadcrumb")),
    # thumbnail + title + summary paragraph (which mentions other dates) + date per <li>
    "li_summary.html": Case(
        "http://www.cdwh.gov.cn/wuhou/c100011/ldhd.shtml", "list", "html_list", 7,
        ("区长主持召开区政府第87次常务会议",
         "http://www.cdwh.gov.cn/wuhou/c100011/2026-11/19/content_8a3c2f11d9e34b5f.shtml", date(2026, 11, 19), "list"),
        column=("领导活动", "breadcrumb")),
    # a 10-link menu of sibling columns (long names, list.jsp?cid= URLs) next to a 2-item list
    "sidebar_two_items.html": Case(
        "http://www.anhua.gov.cn/xxgk/list.jsp?cid=106", "list", "html_list", 2,
        ("安化县人民政府关于杨某某等同志职务任免的通知", "http://www.anhua.gov.cn/xxgk/content.jsp?id=90213&cid=106",
         date(2026, 9, 8), "list"),
        column=("人事信息", "breadcrumb")),
    # 政府信息公开目录: 索引号 (also a link) | 名称 | 发布机构 | 生成日期, with a category tree
    "xxgk_catalog.html": Case(
        "http://www.heshan.gov.cn/xxgk/fdzdgknr/czyjs/index.html", "list", "table", 5,
        ("鹤山市2026年1—10月财政预算执行情况",
         "http://www.heshan.gov.cn/xxgk/fdzdgknr/czyjs/content/post_3187722.html", date(2026, 11, 13), "list"),
        column=("财政预决算", "breadcrumb")),
    # a 6-item paginated column next to 热点推荐 (8 dated, 更多), 阅读排行 (5 dated) and 相关链接
    "side_hot_box.html": Case(
        YZ + "index.html", "list", "html_list", 6,
        ("梅田镇开展冬季森林防火宣传进村入户活动", YZ + "202611/t20261119_10811203.html", date(2026, 11, 19), "list"),
        next_pages=[YZ + "index_1.html"], column=("乡镇动态", "breadcrumb")),
    # a year archive page: heading "2025年", items dated [MM-DD]
    "year_heading_short_dates.html": Case(
        "http://www.qingtian.gov.cn/zwgk/czyjs/2025/", "list", "html_list", 6,
        ("青田县2025年1—11月财政预算执行情况", "http://www.qingtian.gov.cn/zwgk/czyjs/2025/show.asp?id=30917",
         date(2025, 12, 28), "list"),
        column=("2025年", "breadcrumb")),
    # GBK table-layout ASP site, dates 2026.11.18, `?page=2` pagination
    "dotted_dates_gbk.html": Case(
        "http://nyncj.hanyin.gov.cn/list.asp?classid=2", "list", "table", 8,
        ("汉阴县召开2026年秋冬种工作推进会", "http://nyncj.hanyin.gov.cn/show.asp?id=2391", date(2026, 11, 18), "list"),
        next_pages=["http://nyncj.hanyin.gov.cn/list.asp?classid=2&page=2"], column=("工作动态", "breadcrumb")),
    # Hanweb: <record><![CDATA[<tr>…</tr>]]>, $('#div').jpage({...}), full nextgroup parameters
    "hanweb_tr_records.html": Case(
        "http://www.linping.gov.cn/col/col1229610/index.html", "list", "hanweb_datastore", 45,
        ("关于杭州某某食品有限公司食品经营许可决定的公示",
         "http://www.linping.gov.cn/art/2026/11/19/art_1229610_59301880.html", date(2026, 11, 19), "list"),
        next_pages=[f"{LP}?startrecord={s}&endrecord={s + 14}&perpage=15{LP_PARAMS}" for s in (46, 61, 76)],
        column=("行政许可", "breadcrumb")),
    # Hanweb: jpage settings in `var totalRecord = 23; var perPage = 10;`, date before title
    "hanweb_var_config.html": Case(
        "http://www.lanxi.gov.cn/col/col2145/index.html", "list", "hanweb_datastore", 10,
        ("关于2026年度第四批农业机械购置补贴资金发放情况的公示",
         "http://www.lanxi.gov.cn/art/2026/11/18/art_2145_4410821.html", date(2026, 11, 18), "list"),
        next_pages=[f"{LX}?startrecord={s}&endrecord={s + 9}&perpage=10{LX_PARAMS}" for s in (11, 21)],
        column=("农业补贴", "breadcrumb")),
    # TRS: createPageHTML(5, 0, "index", "shtml") with literal arguments
    "trs_shtml_literal.html": Case(
        ZB + "index.shtml", "list", "trs_createpagehtml", 8,
        ("淄博某某化工有限公司年产5万吨新材料项目环境影响报告书受理公示", ZB + "202611/t20261119_10488723.shtml",
         date(2026, 11, 19), "list"),
        next_pages=[ZB + f"index_{i}.shtml" for i in range(1, 5)], column=("环评公示", "breadcrumb")),
    # TRS page 2 (index_1.shtml): `var countPage = 5//共多少页`; page 0 already enumerated the rest
    "trs_countpage_index1.html": Case(
        ZB + "index_1.shtml", "list", "trs_createpagehtml", 8,
        ("关于2026年9月第二批建设项目环境影响评价文件批复的公告", ZB + "202610/t20261002_10431105.shtml",
         date(2026, 10, 2), "list"),
        column=("环评公示", "breadcrumb")),
    # {"title", "url", "pubDate"} array rendered client-side, beside a 3-item 热点关注 box
    "script_array_pubdate.html": Case(
        "http://www.zhxz.gov.cn/zwgk/zcjd/index.html", "list", "script_array", 6,
        ("《香洲区促进消费扩容提质若干措施》政策解读", "http://www.zhxz.gov.cn/zwgk/zcjd/content/post_3921105.html",
         date(2026, 11, 18), "list"),
        column=("政策解读", "breadcrumb")),
    # {'t', 'u', 'd'} array
    "script_array_short_keys.html": Case(
        "http://wjw.shuyang.gov.cn/tzgg/index.html", "list", "script_array", 5,
        ("沭阳县2026年第四季度基本公共卫生服务项目绩效考核通知", "http://wjw.shuyang.gov.cn/tzgg/detail.jsp?id=66021",
         date(2026, 11, 17), "list"),
        column=("通知公告", "breadcrumb")),
    # {title, link, time: epoch-ms} array (Vue template in the page)
    "script_array_timestamp.html": Case(
        "http://www.gzqianxi.gov.cn/zwgk/zcwj/bmwj/index.html", "list", "script_array", 4,
        ("黔西市财政局关于下达2025年第一批中央财政衔接推进乡村振兴补助资金的通知",
         "http://www.gzqianxi.gov.cn/zwgk/zcwj/bmwj/202503/t20250305_86310421.html", date(2025, 3, 5), "list"),
        column=("部门文件", "breadcrumb")),
    # department homepage: several boxes each with 更多 — a hub, not one column
    "hub_dept_home.html": Case(
        "http://fgw.taixing.gov.cn/index.html", "hub", column=("泰兴市发展和改革委员会", "title")),
    # a news article (no CMS URL pattern, no meta) followed by an 8-item 相关文章 list
    "article_related.html": Case(
        "http://www.songxian.gov.cn/news/show.asp?id=20935", "article", column=("嵩县要闻", "breadcrumb")),
    # a soft 404 (served with 200): no list, and "页面不存在" is not a column name
    "soft_404.html": Case("http://www.nanzhang.gov.cn/zwgk/tzgg/index.html", "other"),
    # 暂无信息 column with the same sibling-column menu as sidebar_two_items
    "placeholder_sidebar.html": Case(
        "http://www.anhua.gov.cn/xxgk/list.jsp?cid=108", "list", "html_list", 0, placeholder=True,
        column=("行政事业性收费项目及其依据标准", "breadcrumb")),
}


def facts(name: str):
    return extract_page((VARIANTS / name).read_bytes(), CASES[name].url, ref=REF)


def entry(e) -> tuple:
    return (e.title, e.url, e.date, e.date_source)


def latest(entries):
    dated = [e for e in entries if e.date is not None]
    return max(dated, key=lambda e: e.date) if dated else None


def test_every_fixture_has_a_case():
    assert sorted(p.name for p in VARIANTS.glob("*.html")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_kind_and_column(name):
    f, case = facts(name), CASES[name]
    assert f.kind == case.kind
    assert (f.column_name, f.column_name_source) == case.column
    if case.kind != "list":
        assert f.listing is None


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.kind == "list"))
def test_listing(name):
    f, case = facts(name), CASES[name]
    listing = f.listing
    assert (listing.shape, len(listing.entries), listing.placeholder) == (
        case.shape, case.count, case.placeholder)
    assert listing.next_pages == case.next_pages
    if case.count:
        assert entry(listing.entries[0]) == case.first
        assert entry(latest(listing.entries)) == (case.latest or case.first)


# ---------------------------------------------------------------- details a reader would check

def test_gbk_pages_without_charset_decode():
    assert facts("date_first_gbk.html").encoding == "gb18030"
    assert facts("dotted_dates_gbk.html").encoding == "gb18030"


def test_table_dates_come_from_the_publication_column():
    entries = facts("table_wenhao_columns.html").listing.entries
    # the URL (t20261117_…) carries the publication date: 成文日期 / 文号 / 索引号 never win
    assert all(e.url.split("/t")[-1][:8] == e.date.strftime("%Y%m%d") for e in entries)
    assert [e.raw_date for e in entries][:2] == ["2026-11-17", "2026-10-30"]


def test_catalog_titles_are_names_not_index_numbers():
    entries = facts("xxgk_catalog.html").listing.entries
    assert all("/" not in e.title for e in entries)
    assert [e.date for e in entries] == [date(2026, 11, 13), date(2026, 10, 20), date(2026, 9, 2),
                                         date(2026, 8, 31), date(2026, 2, 10)]


def test_year_separator_rows_give_the_year():
    entries = facts("year_group_rows.html").listing.entries
    assert [e.date for e in entries] == [
        date(2026, 11, 16), date(2026, 10, 27), date(2026, 9, 29), date(2026, 1, 20),
        date(2025, 12, 26), date(2025, 11, 28), date(2025, 8, 14), date(2025, 3, 5),
        date(2024, 12, 30), date(2024, 6, 18)]


def test_year_heading_gives_the_year():
    entries = facts("year_heading_short_dates.html").listing.entries
    assert [e.date for e in entries] == [date(2025, 12, 28), date(2025, 9, 16), date(2025, 8, 22),
                                         date(2025, 6, 30), date(2025, 3, 5), date(2025, 1, 22)]
    assert entries[4].raw_date == "[03-05]"


def test_summary_dates_are_not_entry_dates():
    entries = facts("li_summary.html").listing.entries
    assert [e.date.day for e in entries] == [19, 17, 12, 6, 30, 24, 15]
    assert all(e.raw_date.startswith("2026-") for e in entries)


def test_side_boxes_never_leak_into_the_main_list():
    for name in ("side_hot_box.html", "script_array_pubdate.html", "div_item_time.html",
                 "sidebar_two_items.html", "xxgk_catalog.html"):
        f = facts(name)
        column_dir = CASES[name].url.rsplit("/", 1)[0]
        assert all(e.url.startswith(column_dir) for e in f.listing.entries), name


def test_truncated_title_uses_the_title_attribute():
    titles = [e.title for e in facts("div_item_time.html").listing.entries]
    assert "区司法局开展“宪法宣传周”系列活动预热宣传" in titles


def test_hanweb_totals():
    assert facts("hanweb_tr_records.html").listing.total_records == 87
    assert facts("hanweb_var_config.html").listing.total_records == 23
    entries = facts("hanweb_tr_records.html").listing.entries
    assert entry(entries[-1]) == ("关于某某印务有限公司行政许可决定的公示",
                                  "http://www.linping.gov.cn/art/2026/9/10/art_1229610_59300252.html",
                                  date(2026, 9, 10), "list")


def test_article_keeps_its_publication_date():
    f = facts("article_related.html")
    assert (f.published.value, f.published.source) == (date(2026, 11, 18), "label")


def test_extraction_is_fast():
    started = time.perf_counter()
    for name in CASES:
        facts(name)
    per_page = (time.perf_counter() - started) / len(CASES)
    assert per_page < 0.05, f"{per_page * 1000:.1f} ms per page"


# ---------------------------------------------------------------- the same rules on bare markup

def page_of(inner: str, url: str):
    markup = f"<html><head><meta charset='utf-8'><title>t</title></head><body>{inner}</body></html>"
    return extract_page(markup.encode("utf-8"), url, ref=REF)


def test_named_side_box_loses_without_pagination_or_directory_hints():
    main = "<div class='lb'><ul>" + "".join(
        f"<li><a href='/show.asp?id={i}'>主栏目第{i}条信息的完整标题</a><span>2026-10-{i:02d}</span></li>"
        for i in range(1, 6)) + "</ul></div>"
    side = "<div class='r'><div class='hd'>热点推荐</div><ul>" + "".join(
        f"<li><a href='/show.asp?id={100 + i}'>热点第{i}条信息的完整标题内容</a><span>2026-11-{i:02d}</span></li>"
        for i in range(1, 10)) + "</ul></div>"
    f = page_of(main + side, "http://a.gov.cn/list.asp?classid=3")
    assert [e.url[-5:] for e in f.listing.entries] == ["?id=1", "?id=2", "?id=3", "?id=4", "?id=5"]


def test_stated_year_never_moves_a_date_into_the_future():
    f = page_of("<div class='box'><h3>2026年</h3><ul class='list'>"
                "<li><a href='/a/1.html'>关于做好元旦期间安全生产工作的通知</a><span>12-25</span></li>"
                "<li><a href='/a/2.html'>关于做好冬季供暖保障工作的通知</a><span>11-02</span></li></ul></div>",
                "http://a.gov.cn/tz/index.html")
    assert [e.date for e in f.listing.entries] == [date(2025, 12, 25), date(2026, 11, 2)]


def test_menu_linking_to_the_current_page_is_navigation():
    # sub.jsp?cid= links do not look like column URLs; the link back to this page gives it away
    menu = "<ul class='lm-list'>" + "".join(
        f"<li><a href='/xxgk/sub.jsp?cid={i}'>{n}</a></li>" for i, n in enumerate(
            ["机构职能和内设机构设置", "国民经济和社会发展规划", "国民经济和社会发展统计信息", "人事任免和公务员招考信息"], 1)) \
        + "</ul>"
    items = ("<ul class='items'><li><a href='/xxgk/show.jsp?id=88'>关于杨某某同志职务任免的通知</a>"
             "<span>2026-09-08</span></li><li><a href='/xxgk/show.jsp?id=71'>2026年公开招聘工作人员拟聘用人员公示</a>"
             "<span>2026-04-15</span></li></ul>")
    f = page_of("<div class='l'>" + menu + "</div><div class='r'>" + items + "</div>",
                "http://a.gov.cn/xxgk/sub.jsp?cid=4")
    assert [e.url[-5:] for e in f.listing.entries] == ["id=88", "id=71"]


def test_one_item_column_is_a_list():
    f = page_of("<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; <a href='/xxgk/rsxx/'>人事信息</a></div>"
                "<ul class='list'><li><a href='/xxgk/rsxx/202609/t20260908_1.html'>关于杨某某同志职务任免的通知</a>"
                "<span>2026-09-08</span></li></ul>", "http://a.gov.cn/xxgk/rsxx/index.html")
    assert f.kind == "list"
    assert [(e.title, e.date) for e in f.listing.entries] == [("关于杨某某同志职务任免的通知", date(2026, 9, 8))]


def test_badges_are_not_part_of_titles():
    f = page_of("<ul class='list'><li><a href='/a/1.html'>【置顶】关于公布区级权责清单的通知</a><span>2026-01-05</span></li>"
                "<li><a href='/a/2.html'>[new] 关于做好冬季供暖保障工作的通知</a><span>2026-11-02</span></li>"
                "<li><a href='/a/3.html'>新时代文明实践中心建设情况通报</a><span>2026-11-01</span></li></ul>",
                "http://a.gov.cn/tz/index.html")
    assert [e.title for e in f.listing.entries] == [
        "关于公布区级权责清单的通知", "关于做好冬季供暖保障工作的通知", "新时代文明实践中心建设情况通报"]


def test_hanweb_config_with_quoted_keys():
    markup = (VARIANTS / "hanweb_var_config.html").read_text(encoding="utf-8").replace(
        "var totalRecord = 23;", 'var conf = {"totalRecord": 23, "perPage": 10};').replace(
        "var perPage = 10;", "")
    f = extract_page(markup.encode("utf-8"), CASES["hanweb_var_config.html"].url, ref=REF)
    assert f.listing.total_records == 23
    assert f.listing.next_pages == CASES["hanweb_var_config.html"].next_pages
