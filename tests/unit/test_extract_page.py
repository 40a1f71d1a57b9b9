"""extract_page: kinds, links (hidden/comment/script, block fingerprints), identity, columns."""
from datetime import date
from pathlib import Path

import pytest

from crawler.extract.model import DateHit, Identity, Link, RejectedDate
from crawler.extract.page import extract_page

REF = date(2026, 11, 20)
PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def facts_of(name_or_markup: str, url: str, **kw):
    if name_or_markup.endswith((".html", ".xml")):
        data = (PAGES / name_or_markup).read_bytes()
    else:
        data = name_or_markup.encode("utf-8")
    return extract_page(data, url, ref=REF, **kw)


def html(inner: str, head: str = "<title>测试页面</title>") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{inner}</body></html>"


LIST_URL = "http://www.qingzhou.gov.cn/zwgk/tzgg/index.html"
ARTICLE_URL = "http://www.qingzhou.gov.cn/zwgk/zcwj/202611/t20261110_101.html"


# ---------------------------------------------------------------- list page

def test_list_page_facts():
    f = facts_of("list_html_ul.html", LIST_URL)
    assert f.kind == "list"
    assert f.encoding == "utf-8"
    assert f.title == "通知公告 - 青州市人民政府"
    assert f.meta["SiteIDCode"] == "3707810001"
    assert f.meta["ColumnName"] == "通知公告栏目"
    assert (f.column_name, f.column_name_source) == ("通知公告", "breadcrumb")
    assert f.identity == Identity("3707810001", "鲁ICP备12345678号-1", "鲁公网安备 37078102000123号")
    assert f.published is None
    assert {r.reason for r in f.rejected_dates} == {
        "header date widget", "site founding year", "copyright year", "文号", "ICP number",
        "site identification code", "police registration number"}
    assert f.listing.shape == "html_list" and len(f.listing.entries) == 9
    assert f.text.startswith("今天是2026年11月20日 星期五 设为首页 | 无障碍浏览 | English 首页 政务公开")
    assert "font: 12px" not in f.text


def test_nav_links_share_a_fingerprint_across_pages():
    nav = ("<div class='nav'><ul><li><a href='/'>首页</a></li><li><a href='/zwgk/'>政务公开</a></li>"
           "<li><a href='{0}zwfw/'>政务服务</a></li></ul></div>")
    one = facts_of(html(nav.format("/") + "<p><a href='/a.html'>甲</a></p>"),
                   "http://www.a.gov.cn/zwgk/tzgg/index.html")
    two = facts_of(html(nav.format("../../") + "<ul><li><a href='/b.html'>乙</a></li></ul>"),
                   "http://www.a.gov.cn/zwgk/zcwj/index.html")
    blocks_one = {l.url: l.block for l in one.links}
    blocks_two = {l.url: l.block for l in two.links}
    assert blocks_one["http://www.a.gov.cn/zwfw/"] == blocks_two["http://www.a.gov.cn/zwfw/"]
    assert len(blocks_one["http://www.a.gov.cn/"]) == 12
    assert blocks_one["http://www.a.gov.cn/"] == blocks_one["http://www.a.gov.cn/zwgk/"]
    assert blocks_one["http://www.a.gov.cn/a.html"] == ""          # alone in its <p>
    assert blocks_two["http://www.a.gov.cn/b.html"] not in ("", blocks_two["http://www.a.gov.cn/"])


def test_links_resolve_against_base_href_and_drop_fragments():
    f = facts_of(html("<a href='x/1.html#p2'>一</a><a href='#top'>顶部</a><a href='tel:12345'>电话</a>"
                      "<a href=' JavaScript:void(0)'>空</a><a href='//cdn.a.gov.cn/y.pdf'>二</a>",
                      head="<base href='http://www.a.gov.cn/root/'>"),
                  "http://www.a.gov.cn/zwgk/index.html")
    assert [(l.url, l.text) for l in f.links] == [("http://www.a.gov.cn/root/x/1.html", "一"),
                                                  ("http://cdn.a.gov.cn/y.pdf", "二")]
    assert [a.url for a in f.attachments] == ["http://cdn.a.gov.cn/y.pdf"]


# ---------------------------------------------------------------- article pages

def test_article_with_short_related_list_stays_article():
    f = facts_of("article_trs.html", ARTICLE_URL)
    assert f.kind == "article"
    assert f.listing is None
    assert f.published == DateHit(date(2026, 11, 10), "label", "发布日期： 2026-11-10")
    assert RejectedDate("成文日期： 2026-11-01", "not a publication date") in f.rejected_dates
    assert RejectedDate("青政办发〔2026〕5号", "文号") in f.rejected_dates
    assert (f.column_name, f.column_name_source) == ("政策文件", "breadcrumb")
    assert [a.url for a in f.attachments] == [
        "http://www.qingzhou.gov.cn/zwgk/zcwj/202611/P020261110123456789.xls",
        "http://www.qingzhou.gov.cn/uploads/2026/11/办法全文.PDF?v=2"]


def test_article_without_url_or_meta_signals_is_still_article():
    f = facts_of("article_trs.html", "http://www.qingzhou.gov.cn/zwgk/zcwj/show.jsp?id=101")
    assert f.kind == "article"


def test_hanweb_article_meta_date_and_kind():
    url = "http://mzj.weifang.gov.cn/art/2026/11/18/art_1234_98765.html"
    f = facts_of("article_hanweb.html", url)
    assert f.kind == "article"
    assert f.published == DateHit(date(2026, 11, 18), "meta", "2026-11-18 10:30")
    assert (f.column_name, f.column_name_source) == ("救助公示", "breadcrumb")
    assert f.attachments[0].url == ("http://mzj.weifang.gov.cn/module/download/downfile.jsp"
                                    "?classid=0&filename=2026_10.xlsx")
    assert f.attachments[0].text == "2026年10月低保名单.xlsx"


def test_hanweb_article_without_meta_uses_info_line():
    markup = (PAGES / "article_hanweb.html").read_text(encoding="utf-8")
    markup = markup.replace('<meta name="PubDate" content="2026-11-18 10:30">', "")
    f = facts_of(markup, "http://mzj.weifang.gov.cn/art/2026/11/18/art_1234_98765.html")
    assert f.published == DateHit(date(2026, 11, 19), "label", "时间：2026-11-19")


def test_page_without_list_or_article_signals_is_other():
    f = facts_of("about_nodate.html", "http://sfj.qingzhou.gov.cn/jgzn/index.html")
    assert f.kind == "other"
    assert f.published is None
    assert f.listing is None
    assert (f.column_name, f.column_name_source) == ("机构职能", "title")
    assert "370781********1234" in f.text


def test_long_list_on_article_like_page_is_list():
    items = "".join(f"<li><a href='/zwgk/{i}.html'>第{i}批行政许可事项办理结果公示</a><span>2026-10-{i:02d}</span></li>"
                    for i in range(1, 13))
    f = facts_of(html(f"<div class='content'><p>发布时间：2026-11-01</p><ul>{items}</ul></div>"),
                 "http://www.a.gov.cn/zwgk/xzxk/index.html")
    assert f.kind == "list"
    assert len(f.listing.entries) == 12


# ---------------------------------------------------------------- hubs, datastore, placeholders

def test_homepage_blocks_make_a_hub():
    f = facts_of("hub_home.html", "http://www.qingzhou.gov.cn/")
    assert f.kind == "hub"
    assert f.listing is None


def test_start_page_flag_forces_hub():
    f = facts_of("list_html_ul.html", LIST_URL, is_start_page=True)
    assert (f.kind, f.listing) == ("hub", None)


def test_list_page_with_dated_sidebar_is_not_a_hub():
    sidebar = ("<div class='side'><div class='tit'>热点</div><a href='/rd/'>更多</a><ul>"
               + "".join(f"<li><a href='/rd/{i}.html'>热点新闻第{i}条标题内容</a><span>2026-11-0{i}</span></li>"
                         for i in range(1, 5)) + "</ul></div>")
    main = ("<div class='main'><ul class='list'>"
            + "".join(f"<li><a href='/tz/{i}.html'>通知公告第{i}条的完整标题</a><span>2026-10-{i:02d}</span></li>"
                      for i in range(1, 16)) + "</ul><a href='index_1.html'>下一页</a></div>")
    f = facts_of(html(main + sidebar), "http://www.a.gov.cn/tz/index.html")
    assert f.kind == "list"
    assert f.listing.entries[0].url == "http://www.a.gov.cn/tz/1.html"
    assert f.listing.next_pages == ["http://www.a.gov.cn/tz/index_1.html"]


def test_datastore_xml_page():
    f = facts_of("hanweb_dataproxy.xml", "http://mzj.weifang.gov.cn/module/web/jpage/dataproxy.jsp"
                 "?startrecord=16&endrecord=30&perpage=15", content_type="text/xml")
    assert f.kind == "datastore"
    assert f.listing.shape == "hanweb_datastore"
    assert [l.url for l in f.links] == [
        "http://mzj.weifang.gov.cn/art/2026/8/20/art_1234_96003.html",
        "http://mzj.weifang.gov.cn/art/2026/7/16/art_1234_95004.html"]


def test_hostile_datastore_page_is_still_datastore():
    f = facts_of("hanweb_hostile.xml", "http://mzj.weifang.gov.cn/module/web/jpage/dataproxy.jsp")
    assert f.kind == "datastore"
    assert [e.title for e in f.listing.entries] == ["&lol9;&xxe;", "&lol9;"]


def test_hanweb_column_page():
    f = facts_of("hanweb_col.html", "http://mzj.weifang.gov.cn/col/col1234/index.html")
    assert f.kind == "list"
    assert f.listing.shape == "hanweb_datastore"
    assert (f.column_name, f.column_name_source) == ("救助公示", "breadcrumb")
    record_links = [l for l in f.links if "/art/" in l.url]
    assert len(record_links) == 3 and {l.context for l in record_links} == {"a"}
    assert len({l.block for l in record_links}) == 1


@pytest.mark.parametrize("name, url, shape", [
    ("placeholder.html", "http://scjgj.qingzhou.gov.cn/xxgk/xzcf/index.html", "html_list"),
    ("trs_index.html", "http://www.weifang.gov.cn/zwgk/bmdt/index.html", "trs_createpagehtml"),
    ("script_array.html", "http://www.shouguang.gov.cn/zcjd/index.html", "script_array"),
    ("list_table.html", "http://czj.qingzhou.gov.cn/czj/zcwj/index.html", "table"),
])
def test_short_lists_of_every_shape_are_lists(name, url, shape):
    f = facts_of(name, url)
    assert (f.kind, f.listing.shape) == ("list", shape)


def test_placeholder_page():
    f = facts_of("placeholder.html", "http://scjgj.qingzhou.gov.cn/xxgk/xzcf/index.html")
    assert (f.listing.placeholder, f.listing.entries) == (True, [])
    assert (f.column_name, f.column_name_source) == ("行政处罚", "breadcrumb")


# ---------------------------------------------------------------- column name sources

def test_column_name_from_meta_then_heading_then_title():
    items = "".join(f"<li><a href='/n/{i}.html'>关于第{i}批项目的公示公告</a><span>2026-10-0{i}</span></li>"
                    for i in range(1, 4))
    with_meta = html(f"<div class='box'><h3>工作动态 更多>></h3><ul>{items}</ul></div>",
                     head="<title>工作动态_某局</title><meta name='columnname' content='部门动态'>")
    assert facts_of(with_meta, "http://a.gov.cn/n/").column_name_source == "meta"
    heading = html(f"<div class='box'><div class='box-hd'><span class='tit'>工作动态</span>"
                   f"<a href='/n/'>更多>></a></div><ul>{items}</ul></div>",
                   head="<title>某局 - 首页</title>")
    f = facts_of(heading, "http://a.gov.cn/n/")
    assert (f.column_name, f.column_name_source) == ("工作动态", "heading")
    f = facts_of(html("<p>内容</p>", head="<title>领导信息｜青州市人民政府</title>"), "http://a.gov.cn/")
    assert (f.column_name, f.column_name_source) == ("领导信息", "title")


def test_breadcrumb_by_text_with_arrow_separators():
    f = facts_of(html("<table><tr><td>您现在的位置：<a href='/'>首页</a> » <a href='/zw/'>政务公开</a>"
                      " » 人事信息</td></tr></table>"), "http://a.gov.cn/zw/rs/")
    assert (f.column_name, f.column_name_source) == ("人事信息", "breadcrumb")


def test_breadcrumb_made_of_links_without_separators():
    f = facts_of(html("<div class='crumbs'><a href='/'>首页</a><a href='/xxgk/'>信息公开</a>"
                      "<a href='/xxgk/czzj/'>财政资金</a></div>"), "http://a.gov.cn/xxgk/czzj/")
    assert f.column_name == "财政资金"


# ---------------------------------------------------------------- hidden links

def test_hidden_links_of_every_kind():
    f = facts_of("hidden_links.html", "http://jtj.qingzhou.gov.cn/ndbg/2025/index.html")
    by_url = {l.url: l for l in f.links}
    for letter in "abcdefghij":
        link = by_url[f"http://bet-{letter}.example/"]
        assert (link.hidden, link.context) == (True, "a"), letter
    assert by_url["http://bet-k.example/"] == Link("http://bet-k.example/", "K娱乐", True, "comment", "")
    assert by_url["http://bet-l.example/"] == Link("http://bet-l.example/", "L娱乐", True, "script", "")
    assert by_url["http://www.weifang.gov.cn/"] == Link("http://www.weifang.gov.cn/", "潍坊市政府",
                                                        False, "script", "")
    assert by_url["http://jtj.qingzhou.gov.cn/ndbg/2025.html"].hidden is False  # @media print only
    assert by_url["http://jtj.qingzhou.gov.cn/zwgk/"].hidden is False
    assert len(f.links) == 15       # "#top", javascript: and mailto: are skipped
    assert "娱乐" not in f.text and "体育" not in f.text and "彩票" not in f.text


def test_hidden_ancestor_wraps_a_document_write():
    f = facts_of(html("<div style='display:none'><script>document.write(\"<a href='http://x.example/'>"
                      "X</a>\")</script></div>"), "http://a.gov.cn/")
    assert [(l.url, l.hidden, l.context) for l in f.links] == [("http://x.example/", True, "script")]


def test_script_templates_are_not_links():
    f = facts_of(html("<script>var h = '<a href=\"' + item.url + '\">' + item.title + '</a>';"
                      "var t = '<a href=\"/list/' + id + '.html\">more</a>';</script>"
                      "<script type='text/html'><a href='{{d.url}}'>{{d.title}}</a></script>"),
                 "http://a.gov.cn/")
    assert f.links == []


def test_visible_text_skips_non_content():
    f = facts_of(html("<noscript>请开启脚本</noscript><template><p>模板</p></template><!-- 注释 -->"
                      "<p>第一段</p><p>第<b>二</b>段</p><div hidden>隐藏</div>"
                      "<script>var a='脚本';</script>"), "http://a.gov.cn/")
    assert f.text == "第一段 第二段"


def test_empty_body_does_not_crash():
    f = extract_page(b"", "http://a.gov.cn/", ref=REF)
    assert (f.kind, f.text, f.links, f.listing) == ("other", "", [], None)


def test_article_with_long_related_list_and_body_is_article():
    related = "".join(f"<li><a href='/zx/{i}.html'>相关新闻第{i}条的完整标题内容</a><span>2026-10-{i:02d}</span></li>"
                      for i in range(1, 13))
    text = "为进一步加强冬季安全生产工作，切实保障人民群众生命财产安全，现就有关事项通知如下。" * 5
    f = facts_of(html(f"<div class='article'><h1>关于加强冬季安全生产工作的通知</h1><div class='content'>"
                      f"<p>{text}</p></div><ul class='xglj'>{related}</ul></div>"),
                 "http://www.a.gov.cn/zx/202611/t20261101_1.html")
    assert f.kind == "article"
    assert f.published == DateHit(date(2026, 11, 1), "url", "http://www.a.gov.cn/zx/202611/t20261101_1.html")


def test_column_page_with_many_entries_and_article_url_pattern_is_list():
    items = "".join(f"<li><a href='/zx/{i}.html'>新闻第{i}条的完整标题内容</a><span>2026-10-{i:02d}</span></li>"
                    for i in range(1, 16))
    f = facts_of(html(f"<ul class='list'>{items}</ul><a href='index_1.html'>下一页</a>"),
                 "http://www.a.gov.cn/zx/2026/1101/c12a34/page.htm")
    assert f.kind == "list"


def test_small_column_with_a_label_per_entry_is_list():
    items = "".join(f"<li><a href='/tz/{i}.html'>关于第{i}批项目的公示</a><span>发布时间：2026-10-0{i}</span></li>"
                    for i in range(1, 4))
    f = facts_of(html(f"<ul class='list'>{items}</ul>"), "http://www.a.gov.cn/tz/index.html")
    assert f.kind == "list"
    assert f.published == DateHit(date(2026, 10, 1), "label", "发布时间：2026-10-01")
