"""Date parsing, URL dates and publication-date detection with its noise traps."""
from datetime import date, datetime
from pathlib import Path

import lxml.html
import pytest

from crawler.extract.dates import date_from_url, find_publication_date, parse_date_text
from crawler.extract.model import RejectedDate

REF = date(2026, 11, 20)
PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def doc_of(markup: str):
    return lxml.html.document_fromstring(markup)


def fixture_doc(name: str):
    return doc_of((PAGES / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- parse_date_text

@pytest.mark.parametrize("text, expected", [
    ("2026-03-05", date(2026, 3, 5)),
    ("2026-3-5", date(2026, 3, 5)),
    ("2026/3/5", date(2026, 3, 5)),
    ("2026.03.05", date(2026, 3, 5)),
    ("2026年3月5日", date(2026, 3, 5)),
    ("2026年03月05日 09:30", date(2026, 3, 5)),
    ("2026-03-05 17:00:00", date(2026, 3, 5)),
    ("2026-03-05T17:00:00+08:00", date(2026, 3, 5)),
    ("[2026-03-05]", date(2026, 3, 5)),
    ("(2026-03-05)", date(2026, 3, 5)),
    ("发布时间：2026-03-05", date(2026, 3, 5)),
    ("03-05", date(2026, 3, 5)),
    ("[03-05]", date(2026, 3, 5)),
    ("3月5日", date(2026, 3, 5)),
    ("11-21", date(2026, 11, 21)),        # ref + 1 day is still this year
    ("11-22", date(2025, 11, 22)),        # later than ref + 1 day: last year
    ("12-25", date(2025, 12, 25)),
    ("March 5, 2026", date(2026, 3, 5)),
])
def test_absolute_forms(text, expected):
    assert parse_date_text(text, REF) == (expected, "absolute")


@pytest.mark.parametrize("text, expected", [
    ("3天前", date(2026, 11, 17)),
    ("2小时前", date(2026, 11, 20)),
    ("30分钟前", date(2026, 11, 20)),
    ("刚刚", date(2026, 11, 20)),
    ("今天", date(2026, 11, 20)),
    ("昨天", date(2026, 11, 19)),
    ("前天", date(2026, 11, 18)),
    ("1周前", date(2026, 11, 13)),
    ("2个月前", date(2026, 9, 20)),
    ("1年前", date(2025, 11, 20)),
])
def test_relative_forms(text, expected):
    assert parse_date_text(text, REF) == (expected, "relative")


def test_hours_ago_with_a_clock_can_cross_midnight():
    assert parse_date_text("2小时前", datetime(2026, 11, 20, 1, 0)) == (date(2026, 11, 19),
                                                                     "relative")


def test_month_arithmetic_clamps_the_day():
    assert parse_date_text("1个月前", date(2026, 3, 31)) == (date(2026, 2, 28), "relative")


def test_short_date_year_rollover_at_new_year():
    assert parse_date_text("01-01", date(2026, 12, 31)) == (date(2027, 1, 1), "absolute")
    assert parse_date_text("01-02", date(2026, 12, 31)) == (date(2026, 1, 2), "absolute")


def test_short_leap_day_goes_back_to_a_leap_year():
    assert parse_date_text("2月29日", REF) == (date(2024, 2, 29), "absolute")


@pytest.mark.parametrize("text", [
    "2026-02-30", "2026-13-01", "1989-12-31", "2028-01-01", "2026-3/5", "第1-2季度",
    "青政办发〔2026〕5号", "[2026]5号", "浙ICP备12345678号-1", "370781********1234",
    "col1229583", "20260305", "", "共15条",
])
def test_rejects_non_dates(text):
    assert parse_date_text(text, REF) is None


def test_year_after_ref_year_is_allowed():
    assert parse_date_text("2027-01-05", REF) == (date(2027, 1, 5), "absolute")


# ---------------------------------------------------------------- date_from_url

@pytest.mark.parametrize("url, expected", [
    ("http://mzj.weifang.gov.cn/art/2026/3/5/art_1234_56789.html", date(2026, 3, 5)),
    ("http://www.weifang.gov.cn/zwgk/202603/t20260305_4567.html", date(2026, 3, 5)),
    ("http://www.weifang.gov.cn/zwgk/202603/t20260305_4567_1.shtml", date(2026, 3, 5)),
    ("http://www.gov.cn/zhengce/content/2026-03/05/content_123.htm", date(2026, 3, 5)),
    ("http://www.sdu.edu.cn/2026/0305/c123a4567/page.htm", date(2026, 3, 5)),
    ("http://a.gov.cn/news/20260305/abc.html", date(2026, 3, 5)),
    ("http://a.gov.cn/news/2026/03/05/abc.html", date(2026, 3, 5)),
])
def test_date_from_url_layouts(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize("url", [
    "http://a.gov.cn/art_1234_20260305999.html",
    "http://a.gov.cn/col/col1229583/index.html",
    "http://a.gov.cn/202603/t20260230_1.html",              # impossible date
    "http://a.gov.cn/art/2026/13/5/art_1_2.html",
    "http://a.gov.cn/module/download/downfile.jsp?date=20260305",
    "http://a.gov.cn/12345678/index.html",
    "http://a.gov.cn/2026/1234/x.html",
    "http://a.gov.cn/20260305.html",
])
def test_date_from_url_ignores_digit_ids(url):
    assert date_from_url(url) is None


# ---------------------------------------------------------------- find_publication_date

@pytest.mark.parametrize("meta", [
    '<meta name="PubDate" content="2026-03-05 17:00">',
    '<meta name="pubdate" content="2026-03-05">',
    '<meta name="PUBLISHDATE" content="2026/3/5">',
    '<meta name="firstpublishedtime" content="2026-03-05-09:00:00">',
    '<meta property="article:published_time" content="2026-03-05T09:00:00+08:00">',
    '<meta name="DC.date" content="2026年3月5日">',
])
def test_meta_dates_win(meta):
    doc = doc_of(f"<html><head>{meta}</head><body><p>发布时间：2026-04-01</p></body></html>")
    hit, _ = find_publication_date(doc, "http://a.gov.cn/art/2026/5/1/art_1_2.html", REF)
    assert (hit.value, hit.source) == (date(2026, 3, 5), "meta")


def test_empty_meta_placeholder_falls_through_to_label():
    doc = doc_of('<html><head><meta name="PubDate" content="<!--PubDate-->"></head>'
                 '<body><div>发布时间：2026-04-01 09:12</div></body></html>')
    hit, _ = find_publication_date(doc, "http://a.gov.cn/x.html", REF)
    assert (hit.value, hit.source, hit.raw) == (date(2026, 4, 1), "label", "发布时间：2026-04-01")


@pytest.mark.parametrize("label", ["发布时间：", "发布日期:", "公开日期：", "发表时间 ", "发布时间：["])
def test_labels(label):
    doc = doc_of(f"<html><body><div class='info'>{label}2026年4月1日</div></body></html>")
    hit, _ = find_publication_date(doc, "http://a.gov.cn/x.html", REF)
    assert (hit.value, hit.source) == (date(2026, 4, 1), "label")


def test_label_value_in_next_table_cell():
    hit, rejected = find_publication_date(fixture_doc("article_trs.html"),
                                          "http://www.qingzhou.gov.cn/zwgk/zcwj/index.html", REF)
    assert (hit.value, hit.source, hit.raw) == (date(2026, 11, 10), "label", "发布日期： 2026-11-10")
    assert RejectedDate("成文日期： 2026-11-01", "not a publication date") in rejected


def test_relative_label():
    doc = doc_of("<html><body><span>发布时间：3天前</span></body></html>")
    hit, _ = find_publication_date(doc, "http://a.gov.cn/x.html", REF)
    assert (hit.value, hit.source) == (date(2026, 11, 17), "relative")


def test_bare_time_label_only_in_article_info_line():
    info = doc_of("<html><body><div class='art-info'>时间：2026-04-01 来源：市民政局 浏览次数：35"
                  "</div></body></html>")
    hit, _ = find_publication_date(info, "http://a.gov.cn/x.html", REF)
    assert (hit.value, hit.source, hit.raw) == (date(2026, 4, 1), "label", "时间：2026-04-01")
    lone = doc_of("<html><body><p>活动时间：2026-04-01</p><p>报名日期：2026-03-01</p></body></html>")
    assert find_publication_date(lone, "http://a.gov.cn/x.html", REF) == (None, [])


def test_info_line_without_label():
    doc = doc_of("<html><body><div class='info'>2026-04-01 10:20　来源：市政府办公室　作者：张三</div>"
                 "</body></html>")
    hit, _ = find_publication_date(doc, "http://a.gov.cn/x.html", REF)
    assert (hit.value, hit.source) == (date(2026, 4, 1), "label")


def test_url_fallback():
    doc = doc_of("<html><body><p>正文</p></body></html>")
    hit, _ = find_publication_date(doc, "http://a.gov.cn/art/2026/3/5/art_1234_56789.html", REF)
    assert (hit.value, hit.source, hit.raw) == (
        date(2026, 3, 5), "url", "http://a.gov.cn/art/2026/3/5/art_1234_56789.html")


def test_hanweb_article_meta_beats_info_line():
    hit, _ = find_publication_date(fixture_doc("article_hanweb.html"),
                                   "http://mzj.weifang.gov.cn/art/2026/11/18/art_1234_98765.html", REF)
    assert (hit.value, hit.source) == (date(2026, 11, 18), "meta")


def test_noise_only_page_has_no_publication_date():
    hit, rejected = find_publication_date(fixture_doc("about_nodate.html"),
                                          "http://sfj.qingzhou.gov.cn/jgzn/index.html", REF)
    assert hit is None
    assert rejected == [
        RejectedDate("今天是2026年11月20日 星期五", "header date widget"),
        RejectedDate("建站于2019年", "site founding year"),
        RejectedDate("版权所有 © 2019-2026", "copyright year"),
        RejectedDate("青政办发〔2026〕5号", "文号"),
        RejectedDate("[2026]3号", "文号"),
        RejectedDate("鲁ICP备12345678号-3", "ICP number"),
        RejectedDate("网站标识码：3707810034", "site identification code"),
        RejectedDate("鲁公网安备 37078102000321号", "police registration number"),
        RejectedDate("成文日期：2026-11-01", "not a publication date"),
    ]


@pytest.mark.parametrize("noise, reason", [
    ("今天是2026年11月20日 星期五", "header date widget"),
    ("2026年11月20日 星期五 农历十月初一", "header date widget"),
    ("今天是：2026-11-20 周五", "header date widget"),
    ("本站建站于2019年", "site founding year"),
    ("Copyright © 2019-2026 All Rights Reserved", "copyright year"),
    ("版权所有：青州市人民政府办公室 2026", "copyright year"),
    ("青政办发〔2026〕5号", "文号"),
    ("国办秘函[2019]19号", "文号"),
    ("浙ICP备12345678号-1", "ICP number"),
    ("网站标识码：3301000001", "site identification code"),
    ("浙公网安备 33010202000123号", "police registration number"),
    ("印发日期：2026年11月1日", "not a publication date"),
])
def test_each_noise_trap_is_rejected_and_the_real_date_found(noise, reason):
    doc = doc_of(f"<html><body><div class='top'>{noise}</div>"
                 f"<div class='info'>发布时间：2026-04-01</div>"
                 f"<div class='footer'>{noise}</div></body></html>")
    hit, rejected = find_publication_date(doc, "http://a.gov.cn/x.html", REF)
    assert (hit.value, hit.source) == (date(2026, 4, 1), "label")
    assert [r.reason for r in rejected] == [reason]


def test_noise_next_to_a_label_is_not_taken():
    doc = doc_of("<html><body><p>发布日期：</p><p>2026年11月20日 星期五</p></body></html>")
    hit, rejected = find_publication_date(doc, "http://a.gov.cn/x.html", REF)
    assert hit is None
    assert rejected == [RejectedDate("2026年11月20日 星期五", "header date widget")]


def test_hidden_label_is_ignored():
    doc = doc_of("<html><body><p style='display:none'>发布时间：2020-01-01</p>"
                 "<p>发布时间：2026-04-01</p></body></html>")
    hit, _ = find_publication_date(doc, "http://a.gov.cn/x.html", REF)
    assert hit.value == date(2026, 4, 1)


# ---------------------------------------------------------------- find_written_date (成文日期)

from crawler.extract.dates import find_written_date  # noqa: E402
from crawler.extract.page import extract_page  # noqa: E402


def written(markup: str):
    hit = find_written_date(doc_of(markup), REF)
    return (hit.value, hit.source) if hit else None


def test_written_from_the_info_table_next_to_a_publication_date():
    hit = find_written_date(fixture_doc("article_trs.html"), REF)
    assert (hit.value, hit.source, hit.raw) == (date(2026, 11, 1), "label", "成文日期： 2026-11-01")


def test_extract_page_keeps_publication_and_written_dates_apart():
    body = (PAGES / "article_trs.html").read_bytes()
    facts = extract_page(body, "http://www.qingzhou.gov.cn/zwgk/zcwj/202611/t20261110_1.html", ref=REF)
    assert facts.kind == "article"
    assert (facts.published.value, facts.written.value) == (date(2026, 11, 10), date(2026, 11, 1))


@pytest.mark.parametrize("label", ["成文日期：", "成文时间:", "印发日期：", "发文日期：", "签发日期 ", "成 文 日 期："])
def test_written_labels(label):
    assert written(f"<html><body><div class='info'>{label}2026年3月2日</div></body></html>") == (
        date(2026, 3, 2), "label")


def test_written_label_in_an_article_info_line():
    markup = ("<html><body><div class='info'>发布日期：2026-04-20　成文日期：2026-03-02　来源：区政府办"
              "</div></body></html>")
    assert written(markup) == (date(2026, 3, 2), "label")
    hit, _ = find_publication_date(doc_of(markup), "http://a.gov.cn/x.html", REF)
    assert hit.value == date(2026, 4, 20)            # the publication date is unchanged


def test_written_label_with_a_weekday_and_a_widget_elsewhere():
    markup = ("<html><body><div class='top'>今天是2026年11月20日 星期五</div>"
              "<div class='info'>成文日期：2026年3月2日 星期一</div></body></html>")
    assert written(markup) == (date(2026, 3, 2), "label")


def test_cheng_wen_beats_yin_fa_whatever_the_order():
    markup = ("<html><body><table><tr><td>印发日期：</td><td>2026-03-05</td></tr>"
              "<tr><td>成文日期：</td><td>2026-03-02</td></tr></table></body></html>")
    assert written(markup) == (date(2026, 3, 2), "label")


def test_empty_written_cell_does_not_take_the_neighbouring_publication_date():
    markup = ("<html><body><table class='xxgk'><tr><td>索引号：</td><td>11370781/2026-00123</td>"
              "<td>发布机构：</td><td>青溪区人民政府办公室</td></tr>"
              "<tr><td>成文日期：</td><td></td><td>发布日期：</td><td>2026-04-20</td></tr></table>"
              "<div class='TRS_Editor'><p>正文内容。</p></div></body></html>")
    assert written(markup) is None


def test_publication_labels_are_never_written_dates():
    assert written("<html><body><div>发布时间：2026-04-20</div><div>生效日期：2026-05-01</div>"
                   "<div>施行日期：2026-05-01</div></body></html>") is None


def test_written_meta():
    assert written('<html><head><meta name="MakeDate" content="2026-03-02"></head><body></body></html>') == (
        date(2026, 3, 2), "meta")


SIGNED = ("<html><body><div class='TRS_Editor'>"
          "<p>各镇人民政府、街道办事处，区政府各部门：</p>"
          "<p>《青溪区城乡低保资金管理办法》已经2026年2月26日区政府第5次常务会议研究通过，现印发给你们，请认真贯彻执行。</p>"
          "{tail}</div>"
          "<div class='xglj'><ul><li><a href='/a.html'>关于做好临时救助工作的通知</a><span>2026-04-05</span></li></ul></div>"
          "<div class='footer'>版权所有：青溪区人民政府 2026</div></body></html>")


@pytest.mark.parametrize("tail, expected", [
    ("<p>青溪区人民政府办公室</p><p>2026年3月2日</p>", date(2026, 3, 2)),
    ("<p style='text-align:right'>青溪区人民政府办公室<br>2026年3月2日</p><p>（此件公开发布）</p>", date(2026, 3, 2)),
    ("<p>青溪区财政局 青溪区民政局</p><p>2026年3月2日</p>", date(2026, 3, 2)),           # joint issuers
    ("<p>青溪区人民政府办公室（盖章）</p><p>2026-03-02</p>", date(2026, 3, 2)),
    ("<p>青溪区人民政府</p><p>二〇二六年三月二日</p>", date(2026, 3, 2)),                 # Chinese numerals
    ("<p>青溪区人民政府办公室 2026年3月2日</p>", date(2026, 3, 2)),                       # one line
])
def test_signature_at_the_end_of_the_body(tail, expected):
    hit = find_written_date(doc_of(SIGNED.format(tail=tail)), REF)
    assert (hit.value, hit.source) == (expected, "signature")


def test_signature_before_an_imprint_line_and_imprint_alone():
    tail = ("<p>青溪区人民政府办公室</p><p>2026年3月2日</p>"
            "<p>抄送：区委办公室，区人大常委会办公室。</p><p>青溪区人民政府办公室 2026年3月3日印发</p>")
    assert written(SIGNED.format(tail=tail)) == (date(2026, 3, 2), "signature")
    tail = "<p>抄送：区委办公室。</p><p>青溪区人民政府办公室 2026年3月3日印发</p>"
    assert written(SIGNED.format(tail=tail)) == (date(2026, 3, 3), "imprint")


@pytest.mark.parametrize("tail", [
    "",                                                                  # only the 常务会议 date in the prose
    "<p>联系人：张三</p><p>2026年3月2日</p>",                            # a date line, but no authority above it
    "<p>青溪区人民政府办公室</p><p>2026年3月2日</p><p>报名截止时间：2026年3月20日</p>",   # not the last date line
    "<p>请于2026年3月20日前报送青溪区人民政府办公室</p>",               # date inside a sentence
    "<p>青溪区人民政府办公室</p><p>2026年3月2日 星期一 联系电话 1234</p>",   # more than a date on the line
])
def test_dates_in_the_body_that_are_not_a_signature(tail):
    assert written(SIGNED.format(tail=tail)) is None


def test_label_beats_signature_and_no_body_box_no_signature():
    tail = "<p>青溪区人民政府办公室</p><p>2026年3月2日</p>"
    markup = SIGNED.format(tail=tail).replace("<body>", "<body><div>成文日期：2026-02-27</div>")
    assert written(markup) == (date(2026, 2, 27), "label")
    bare = "<html><body><p>青溪区人民政府办公室</p><p>2026年3月2日</p></body></html>"
    assert written(bare) is None


def test_related_links_after_the_body_do_not_hide_the_signature():
    # the surrounding "article" box holds the body plus a 相关链接 list with later dates: the
    # innermost body box is used
    markup = ("<html><body><div class='article'><h1>关于印发某办法的通知</h1>"
              "<div class='main_text'><p>" + "为进一步规范管理，现将有关事项通知如下，请认真贯彻执行。" * 4 + "</p>"
              "<p>青溪区民政局</p><p>2026年3月2日</p></div>"
              "<ul><li><a href='/1.html'>关于调整城乡低保标准的通知</a><span>2026-04-05</span></li></ul>"
              "</div></body></html>")
    assert written(markup) == (date(2026, 3, 2), "signature")


def test_list_pages_carry_no_written_date():
    body = (PAGES / "list_html_ul.html").read_bytes()
    assert extract_page(body, "http://a.gov.cn/col/index.html", ref=REF).written is None
