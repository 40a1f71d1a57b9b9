"""List detection for every shape of domain.md §2, plus pagination and placeholders."""
import time
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from crawler.extract.lists import extract_listing, parse_datastore_xml
from crawler.extract.model import ListEntry

REF = date(2026, 11, 20)
PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def read(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def listing_of(markup: str, url: str = "http://www.qingzhou.gov.cn/zwgk/tzgg/index.html"):
    return extract_listing(lxml.html.document_fromstring(markup), url, REF)


def body(inner: str) -> str:
    return f"<html><head><title>t</title></head><body>{inner}</body></html>"


def summary(listing):
    return [(e.title, e.date, e.date_source) for e in listing.entries]


# ---------------------------------------------------------------- html_list

def test_html_list_fixture_every_date_form():
    listing = listing_of(read("list_html_ul.html"))
    base = "http://www.qingzhou.gov.cn/zwgk/tzgg/"
    assert listing.shape == "html_list"
    assert listing.entries == [
        ListEntry("关于做好2026年冬季森林防火工作的通知", base + "202611/t20261119_4567.html",
                  date(2026, 11, 19), "list", "2026-11-19"),
        ListEntry("青州市人民政府办公室关于印发青州市城乡低保资金管理办法的通知",
                  base + "202611/t20261118_4566.html", date(2026, 11, 18), "list", "[2026-11-18]"),
        ListEntry("关于转发《青政办发〔2026〕5号》文件的通知——关于进一步加强安全生产工作的意见",
                  base + "202611/t20261117_4565.html", date(2026, 11, 17), "list", "2026/11/17"),
        ListEntry("2026年第三季度重点领域信息公开情况通报", base + "202611/t20261116_4564.html",
                  date(2026, 11, 16), "list", "2026年11月16日"),
        ListEntry("关于征求《青州市农村公路养护管理办法（征求意见稿）》意见的公告",
                  base + "202611/t20261115_4563.html", date(2026, 11, 17), "relative", "3天前"),
        ListEntry("关于公布2026年度行政许可事项清单的通知",
                  "http://www.qingzhou.gov.cn/art/2026/3/5/art_1234_56789.html",
                  date(2026, 3, 5), "url", None),
        ListEntry("关于开展2026年春季植树造林活动的通知", base + "202603/t20260305_4001.html",
                  date(2026, 3, 5), "list", "[03-05]"),
        ListEntry("关于2026年元旦期间有关工作安排的通知", base + "202511/t20251225_3999.html",
                  date(2025, 12, 25), "list", "(12-25)"),
        ListEntry("青州市2026年1-9月财政预算执行情况公示", base + "202611/t20261021_4560.html",
                  date(2026, 10, 21), "list", "2026.10.21"),
    ]
    # "下一页" on the same host only; the off-site one is ignored. "共45条" is the total.
    assert listing.next_pages == [base + "index_1.html"]
    assert listing.total_records == 45
    assert listing.placeholder is False


def test_chrome_lists_are_not_the_main_list():
    urls = {e.url for e in listing_of(read("list_html_ul.html")).entries}
    assert not any(u.startswith("http://www.gov.cn") or u.endswith(("/zwgk/", "/zcwj/"))
                   for u in urls)


def test_undated_entries_keep_none():
    listing = listing_of(body(
        "<ul class='list'><li><a href='/a/1.html'>青州市人民政府关于机构改革的通知全文</a></li>"
        "<li><a href='/a/2.html'>青州市人民政府关于调整议事协调机构的通知</a></li></ul>"))
    assert summary(listing) == [("青州市人民政府关于机构改革的通知全文", None, None),
                                ("青州市人民政府关于调整议事协调机构的通知", None, None)]


def test_dl_with_dates_in_dd():
    listing = listing_of(body(
        "<dl class='news'><dt><a href='/a/1.html'>关于开展安全生产大检查的通知</a></dt><dd>2026-11-02</dd>"
        "<dt><a href='/a/2.html'>关于做好冬季供暖工作的通知</a></dt><dd>2026-11-01</dd></dl>"))
    assert listing.shape == "html_list"
    assert summary(listing) == [("关于开展安全生产大检查的通知", date(2026, 11, 2), "list"),
                                ("关于做好冬季供暖工作的通知", date(2026, 11, 1), "list")]


def test_div_items_and_date_inside_anchor():
    listing = listing_of(body(
        "<div class='news-box'>"
        "<div class='item'><a href='/n/1.html'><p class='t'>全市秋冬季森林防火工作会议召开</p>"
        "<p class='d'>2026-11-03</p></a></div>"
        "<div class='item'><a href='/n/2.html'><p class='t'>我市开展消防安全专项整治行动</p>"
        "<p class='d'>2026-10-30</p></a></div></div>"))
    assert summary(listing) == [("全市秋冬季森林防火工作会议召开", date(2026, 11, 3), "list"),
                                ("我市开展消防安全专项整治行动", date(2026, 10, 30), "list")]


def test_flat_anchor_list():
    listing = listing_of(body(
        "<td class='con'><a href='/n/1.html'>关于公布第一批重点项目名单的通知</a> <span>2026-11-03</span><br>"
        "<a href='/n/2.html'>关于公布第二批重点项目名单的通知</a> 2026-10-30<br>"
        "<a href='/n/3.html'>关于公布第三批重点项目名单的通知</a> <font>[10-29]</font><br></td>"))
    assert summary(listing) == [
        ("关于公布第一批重点项目名单的通知", date(2026, 11, 3), "list"),
        ("关于公布第二批重点项目名单的通知", date(2026, 10, 30), "list"),
        ("关于公布第三批重点项目名单的通知", date(2026, 10, 29), "list")]


def test_split_list_blocks_are_merged():
    ul = "<ul class='list'>{}</ul>"
    li = "<li><a href='/n/{0}.html'>第{0}期政府常务会议纪要公开</a><span>2026-10-{0:02d}</span></li>"
    markup = body("<div class='box'>" + ul.format(li.format(1) + li.format(2) + li.format(3))
                  + "<div class='line'></div>" + ul.format(li.format(4) + li.format(5)) + "</div>")
    assert [e.url[-9:] for e in listing_of(markup).entries] == [
        "/n/1.html", "/n/2.html", "/n/3.html", "/n/4.html", "/n/5.html"]


def test_no_list_at_all_returns_none():
    assert listing_of(read("about_nodate.html")) is None
    assert listing_of(body("<p>正文</p><ul><li><a href='/'>首页</a></li><li><a href='/a/'>概况</a></li></ul>")) \
        is None


def test_nav_only_page_returns_none():
    markup = body("<div id='nav'><ul><li><a href='/1/'>关于我们的机构设置说明</a></li>"
                  "<li><a href='/2/'>领导信息和分工情况介绍</a></li></ul></div>")
    assert listing_of(markup) is None


# ---------------------------------------------------------------- table

def test_table_uses_the_publication_column_not_the_written_date():
    listing = listing_of(read("list_table.html"), "http://czj.qingzhou.gov.cn/czj/zcwj/index.html")
    assert listing.shape == "table"
    assert [(e.url, e.date, e.raw_date) for e in listing.entries] == [
        ("http://czj.qingzhou.gov.cn/czj/zcwj/202611/t20261110_101.html", date(2026, 11, 10),
         "[2026-11-10]"),
        ("http://czj.qingzhou.gov.cn/czj/zcwj/202610/t20261020_100.html", date(2026, 10, 20),
         "[2026-10-20]"),
        ("http://czj.qingzhou.gov.cn/czj/zcwj/202609/t20260930_99.html", date(2026, 9, 30),
         "[2026-09-30]"),
        ("http://czj.qingzhou.gov.cn/czj/zcwj/202609/t20260901_98.html", date(2026, 9, 1),
         "[2026-09-01]"),
    ]
    assert listing.next_pages == []   # javascript: pagination links are not followed


def test_table_with_date_in_the_title_cell():
    listing = listing_of(body(
        "<table class='tab'><tr><td>·<a href='/a/1.html'>关于做好年度考核工作的通知</a> [2026-11-02]</td></tr>"
        "<tr><td>·<a href='/a/2.html'>关于调整住房公积金缴存基数的通知</a> [2026-10-28]</td></tr></table>"))
    assert listing.shape == "table"
    assert summary(listing) == [("关于做好年度考核工作的通知", date(2026, 11, 2), "list"),
                                ("关于调整住房公积金缴存基数的通知", date(2026, 10, 28), "list")]


# ---------------------------------------------------------------- Hanweb

PROXY = "http://mzj.weifang.gov.cn/module/web/jpage/dataproxy.jsp"
PARAMS = ("&webid=12&path=/&columnid=1234&unitid=4567"
          "&webname=%E6%BD%8D%E5%9D%8A%E5%B8%82%E6%B0%91%E6%94%BF%E5%B1%80&permissiontype=0")


def test_hanweb_datastore_page():
    listing = listing_of(read("hanweb_col.html"), "http://mzj.weifang.gov.cn/col/col1234/index.html")
    assert listing.shape == "hanweb_datastore"
    assert summary(listing) == [
        ("2026年10月城乡低保救助对象名单公示", date(2026, 11, 18), "list"),
        ("2026年9月特困人员救助供养名单公示", date(2026, 10, 15), "list"),
        ("2026年8月临时救助发放情况公示", date(2026, 9, 14), "list")]
    assert listing.entries[0].url == "http://mzj.weifang.gov.cn/art/2026/11/18/art_1234_98765.html"
    assert listing.total_records == 150
    assert len(listing.next_pages) == 9
    assert listing.next_pages[0] == f"{PROXY}?startrecord=16&endrecord=30&perpage=15{PARAMS}"
    assert listing.next_pages[-1] == f"{PROXY}?startrecord=136&endrecord=150&perpage=15{PARAMS}"


def hanweb_page(records: int, total: int, per_page: int, config: str | None = None) -> str:
    recs = "".join(
        f"<record><![CDATA[<li><a href='/art/2026/10/{i % 28 + 1}/art_9_{i}.html'>第{i}号公示</a>"
        f"<span>2026-10-{i % 28 + 1:02d}</span></li>]]></record>" for i in range(records))
    config = config or f"$('#1').jpage({{dataStore: dataStore, totalRecord:{total}, " \
                       f"perPage:{per_page}, proxyUrl:'/module/web/jpage/dataproxy.jsp'}});"
    return body("<div id='1'><script type='text/xml'><datastore><nextgroup><![CDATA[<a href="
                "\"/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid=9"
                "&unitid=1&col=1\"></a>]]></nextgroup><recordset>" + recs +
                "</recordset></datastore></script></div><script>" + config + "</script>")


def test_hanweb_embedded_group_skips_pages_already_present():
    listing = listing_of(hanweb_page(45, 100, 15), "http://a.gov.cn/col/col9/index.html")
    assert len(listing.entries) == 45
    assert listing.next_pages == [
        "http://a.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=60&perpage=15"
        "&appid=1&webid=3&path=/&columnid=9&unitid=1&col=1",
        "http://a.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=61&endrecord=75&perpage=15"
        "&appid=1&webid=3&path=/&columnid=9&unitid=1&col=1",
        "http://a.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=76&endrecord=90&perpage=15"
        "&appid=1&webid=3&path=/&columnid=9&unitid=1&col=1",
        "http://a.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=91&endrecord=105&perpage=15"
        "&appid=1&webid=3&path=/&columnid=9&unitid=1&col=1",
    ]


def test_hanweb_var_style_config_and_page_cap():
    config = "var totalRecord = 99999; var perPage=10;"
    listing = listing_of(hanweb_page(2, 0, 0, config), "http://a.gov.cn/col/col9/index.html")
    assert listing.total_records == 99999
    assert len(listing.next_pages) == 199        # pages 2..200
    assert "startrecord=1991&endrecord=2000&perpage=10" in listing.next_pages[-1]


def test_hanweb_placeholder_record():
    markup = body("<script type='text/xml'><datastore><recordset><record><![CDATA[<li>暂无信息</li>]]>"
                  "</record></recordset></datastore></script><script>var totalRecord = 0;</script>")
    listing = listing_of(markup)
    assert (listing.shape, listing.entries, listing.placeholder, listing.next_pages) == (
        "hanweb_datastore", [], True, [])


def test_parse_datastore_xml_response():
    listing = parse_datastore_xml(read("hanweb_dataproxy.xml"),
                                  f"{PROXY}?startrecord=16&endrecord=30&perpage=15", REF)
    assert listing.shape == "hanweb_datastore"
    assert listing.total_records == 150
    assert listing.next_pages == []
    assert [(e.url, e.date) for e in listing.entries] == [
        ("http://mzj.weifang.gov.cn/art/2026/8/20/art_1234_96003.html", date(2026, 8, 20)),
        ("http://mzj.weifang.gov.cn/art/2026/7/16/art_1234_95004.html", date(2026, 7, 16))]


def test_hostile_datastore_xml_does_not_expand_entities():
    started = time.perf_counter()
    listing = parse_datastore_xml(read("hanweb_hostile.xml"), PROXY, REF)
    assert time.perf_counter() - started < 1.0
    assert listing.total_records is None
    assert [e.title for e in listing.entries] == ["&lol9;&xxe;", "&lol9;"]
    assert all("lollol" not in e.title and "root:" not in e.title for e in listing.entries)
    assert [e.date for e in listing.entries] == [date(2026, 8, 20), date(2026, 7, 16)]


# ---------------------------------------------------------------- TRS createPageHTML

def test_trs_createpagehtml_with_variables():
    listing = listing_of(read("trs_index.html"), "http://www.weifang.gov.cn/zwgk/bmdt/index.html")
    assert listing.shape == "trs_createpagehtml"
    assert listing.next_pages == [f"http://www.weifang.gov.cn/zwgk/bmdt/index_{i}.html"
                                  for i in range(1, 10)]
    assert [e.url for e in listing.entries] == [
        "http://www.weifang.gov.cn/zwgk/bmdt/202611/t20261120_6001.html",
        "http://www.weifang.gov.cn/zwgk/bmdt/202611/t20261119_6000.html",
        "http://www.weifang.gov.cn/zwgk/bmdt/202611/t20261118_5999.html",
        "http://www.weifang.gov.cn/xwzx/202611/t20261117_5990.html"]


def test_trs_later_page_enumerates_nothing():
    markup = read("trs_index.html").replace("var currentPage = 0;", "var currentPage = 3;")
    listing = listing_of(markup, "http://www.weifang.gov.cn/zwgk/bmdt/index_3.html")
    assert (listing.shape, listing.next_pages, len(listing.entries)) == (
        "trs_createpagehtml", [], 4)


def test_trs_literal_arguments_and_directory_url():
    markup = body("<ul class='list'><li><a href='./202611/t20261101_1.html'>关于公布2026年度区级预算的通知"
                  "</a><span>2026-11-01</span></li></ul>"
                  "<script>createPageHTML(3, 0, \"index\", \"shtml\");</script>")
    listing = listing_of(markup, "http://www.a.gov.cn/zwgk/czyjs/")
    assert listing.next_pages == ["http://www.a.gov.cn/zwgk/czyjs/index_1.shtml",
                                  "http://www.a.gov.cn/zwgk/czyjs/index_2.shtml"]


def test_trs_new_style_with_container_id_and_total():
    markup = body("<div id='page'></div><script>createPageHTML('page', 2, 0, 'index', 'html', 26);"
                  "</script><p>暂无信息</p>")
    listing = listing_of(markup, "http://www.a.gov.cn/zwgk/tzgg/index.html")
    assert (listing.shape, listing.total_records, listing.placeholder, listing.next_pages) == (
        "trs_createpagehtml", 26, True, ["http://www.a.gov.cn/zwgk/tzgg/index_1.html"])


# ---------------------------------------------------------------- script arrays

def test_script_array_fixture():
    listing = listing_of(read("script_array.html"), "http://www.shouguang.gov.cn/zcjd/index.html")
    assert listing.shape == "script_array"
    assert [(e.title, e.url, e.date, e.raw_date) for e in listing.entries] == [
        ("《寿光市城乡居民医疗保险实施办法》政策解读",
         "http://www.shouguang.gov.cn/zcjd/202611/t20261118_7001.html", date(2026, 11, 18),
         "2026-11-18 17:00"),
        ("图解：2026年寿光市政府工作报告", "http://www.shouguang.gov.cn/zcjd/202610/t20261012_6990.html",
         date(2026, 10, 12), "2026-10-12 09:30"),
        ("一图读懂《寿光市促进民营经济高质量发展若干措施》",
         "https://www.shouguang.gov.cn/zcjd/202609/t20260905_6980.html", date(2026, 9, 5),
         "2026-09-05"),
    ]


def test_script_array_other_keys_and_timestamps():
    markup = body("<script>var listData = {\"total\": 2, \"rows\": [\n"
                  "{\"id\": 1201, \"docTitle\": \"关于2026年度预算公开的说明\", \"summary\": \"为贯彻落实预算法，"
                  "现将我单位2026年度部门预算予以公开，请社会各界监督\", \"link\": \"/zfxxgk/202611/t1.jhtml\","
                  " \"pubTime\": 1762876800000, \"thumb\": \"/img/a.png\"},\n"
                  "{\"id\": 1202, \"docTitle\": \"关于2025年度决算公开的说明\", \"link\": \"/zfxxgk/202611/t2.jhtml\","
                  " \"pubTime\": 1762819200000}]};</script>")
    listing = listing_of(markup)
    assert [(e.title, e.url, e.date) for e in listing.entries] == [
        ("关于2026年度预算公开的说明", "http://www.qingzhou.gov.cn/zfxxgk/202611/t1.jhtml",
         date(2025, 11, 12)),
        ("关于2025年度决算公开的说明", "http://www.qingzhou.gov.cn/zfxxgk/202611/t2.jhtml",
         date(2025, 11, 11))]


def test_empty_script_array_is_an_empty_list():
    listing = listing_of(body("<ul id='list'></ul><script>var itemObj = [];</script>"))
    assert (listing.shape, listing.entries, listing.placeholder) == ("script_array", [], False)


# ---------------------------------------------------------------- placeholders

def test_placeholder_fixture():
    listing = listing_of(read("placeholder.html"))
    assert (listing.shape, listing.entries, listing.placeholder) == ("html_list", [], True)


@pytest.mark.parametrize("text", ["暂无信息", "暂无内容", "暂无数据", "暂无相关信息", "没有记录", "无记录"])
def test_placeholder_texts(text):
    listing = listing_of(body(f"<div class='nav'><a href='/'>首页</a><a href='/x/'>信息公开</a></div>"
                              f"<table class='list'><tr><td>{text}</td></tr></table>"))
    assert (listing.shape, listing.placeholder) == ("table", True)


def test_placeholder_in_footer_is_ignored():
    assert listing_of(body("<p>正文</p><div class='footer'>暂无数据</div>")) is None


# ---------------------------------------------------------------- decoys

def test_hidden_spam_block_is_never_the_main_list():
    spam = "".join(f"<li><a href='http://bet{i}.example/'>澳门娱乐城官方网站第{i}号入口在线注册</a></li>"
                   for i in range(30))
    real = ("<li><a href='/tz/1.html'>关于开展冬季安全生产检查的通知</a><span>2026-11-02</span></li>"
            "<li><a href='/tz/2.html'>关于做好冬季供暖保障工作的通知</a><span>2026-11-01</span></li>")
    markup = body(f"<style>.k9{{display:none}}</style><div class='k9'><ul>{spam}</ul></div>"
                  f"<div style='position:absolute;left:-3000px'><ul>{spam}</ul></div>"
                  f"<ul class='list'>{real}</ul>")
    assert [e.url for e in listing_of(markup).entries] == [
        "http://www.qingzhou.gov.cn/tz/1.html", "http://www.qingzhou.gov.cn/tz/2.html"]


def test_content_block_named_top_is_not_chrome():
    markup = body("<div class='top'><ul><li><a href='/'>首页</a></li><li><a href='/a/'>关于我们的简介说明</a>"
                  "</li></ul></div><div class='top-news'><ul>"
                  "<li><a href='/n/1.html'>全市经济运行情况新闻发布会召开</a><span>11-19</span></li>"
                  "<li><a href='/n/2.html'>我市召开冬季森林防火工作会议</a><span>11-18</span></li></ul></div>")
    assert summary(listing_of(markup)) == [("全市经济运行情况新闻发布会召开", date(2026, 11, 19), "list"),
                                           ("我市召开冬季森林防火工作会议", date(2026, 11, 18), "list")]


def test_title_with_document_number_and_masked_id_keeps_list_date():
    markup = body("<ul class='list'><li><a href='/a/1.html'>关于转发青政办发〔2026〕5号文件的通知</a>"
                  "<span>2026-03-05</span></li><li><a href='/a/2.html'>低保对象370781********1234"
                  "信息更正公告</a><span>2026-03-04</span></li></ul>")
    assert [(e.date, e.raw_date) for e in listing_of(markup).entries] == [
        (date(2026, 3, 5), "2026-03-05"), (date(2026, 3, 4), "2026-03-04")]


def test_relative_words_inside_labels_are_not_dates():
    markup = body("<ul class='list'><li><span>[今日关注]</span><a href='/a/1.html'>全市重点项目建设观摩活动举行</a></li>"
                  "<li><span>[今日关注]</span><a href='/a/2.html'>我市召开重点项目建设推进会议</a>"
                  "<span>昨天</span></li></ul>")
    assert summary(listing_of(markup)) == [("全市重点项目建设观摩活动举行", None, None),
                                           ("我市召开重点项目建设推进会议", date(2026, 11, 19), "relative")]


def test_titles_keep_closing_book_marks_and_lose_bullets():
    markup = body("<ul class='list'><li><a href='/a/1.html'>· 关于印发《青州市城乡低保资金管理办法》</a>"
                  "<span>2026-11-02</span></li><li><a href='/a/2.html'>■ 《2026年政府工作报告》</a>"
                  "<span>2026-11-01</span></li></ul>")
    assert [e.title for e in listing_of(markup).entries] == ["关于印发《青州市城乡低保资金管理办法》",
                                                             "《2026年政府工作报告》"]


# ---------------------------------------------------------------- blank columns next to chrome

TOPBAR = ('<div class="topbar"><span class="today">2026年11月20日 星期五</span>'
          '<a href="http://portal.gov.cn/index.html">青溪区人民政府门户网站</a></div>'
          '<div class="head"><a class="logo" href="/index.html"><img alt="青溪区发展和改革局"></a></div>')
SIDE_MENU = ('<div class="side"><a href="/mzj/index.html">区民政局首页</a><a href="/mzj/mzdt/index.html">民政动态</a>'
             '<a href="/mzj/tzgg/index.html">通知公告</a><a href="/mzj/ylfw/index.html">养老服务</a>'
             '<a href="/col/col2105/index.html">医疗救助公示</a></div>')
FOOTER = '<div class="footer"><a href="http://www.beian.gov.cn/">浙公网安备 33010202000456号</a></div>'


def test_page_skeleton_is_not_a_list_and_header_date_is_not_an_item():
    # the top-level divs of a page (topbar with a date widget, logo, crumb, footer) must not be
    # read as the items of a list whose first entry is dated today
    markup = body(TOPBAR + '<div class="main"><div class="crumb"><a href="/zdxm/index.html">重大项目</a></div>'
                  '<ul class="list" id="itemList"></ul><script>var itemObj = [];</script></div>' + FOOTER)
    listing = listing_of(markup, "http://fgj.gov.cn/zdxm/index.html")
    assert listing.shape == "script_array" and listing.entries == [] and not listing.placeholder


def test_side_menu_of_columns_is_not_the_column_content():
    markup = body(SIDE_MENU + '<div class="content"><h2>督导评估</h2><div class="list">暂无信息</div></div>')
    listing = listing_of(markup, "http://a.gov.cn/mzj/ddpg/index.html")
    assert listing.entries == [] and listing.placeholder


def test_empty_list_container_is_a_blank_list():
    markup = body(SIDE_MENU + '<div class="content-area"><h2>养老服务</h2><ul class="list">\n</ul></div>' + FOOTER)
    listing = listing_of(markup, "http://a.gov.cn/mzj/ylfw/index.html")
    assert listing is not None and listing.shape == "html_list" and listing.entries == [] and not listing.placeholder


def test_undated_article_list_is_still_a_list_decoy():
    # an undated 办事指南 list links to documents, not to other columns: it stays a list
    items = "".join(f'<li><a href="/mzj/bszn/art_{i}.html">城乡居民最低生活保障申请办事指南第{i}项</a></li>' for i in range(5))
    listing = listing_of(body(SIDE_MENU + f'<ul class="list">{items}</ul>'), "http://a.gov.cn/mzj/bszn/index.html")
    assert len(listing.entries) == 5 and all(e.date is None for e in listing.entries)


def test_no_list_container_means_no_listing():
    assert listing_of(body(SIDE_MENU + '<div class="article"><p>联系我们：0571-86012345</p></div>')) is None
