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
