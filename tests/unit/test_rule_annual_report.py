"""annual_report on facts extracted from realistic report pages: every true case next to a decoy.

Pages go through the real extractor (`extract_page`) and become the frames a crawl stores
(pages, page_tables with JSON cells, links, list_items); attachments carry the text an
attachment extraction gives. As of 2026-11-20 the due year is 2025: departments by 2026-01-31,
the government's own report by 2026-03-31.
"""
import json
from datetime import date

import pandas as pd
import pytest

from crawler.extract.page import extract_page
from govaudit.store import Store, page_sites
from rules import annual_report
from rules.annual_report import due_year, parse_application_table, report_year
from rules.facts import RunFacts
from rules.registry import all_rules
from tests.fixtures.annual_report import report_html, report_list_html, report_text

AS_OF = date(2026, 11, 20)
HOST = "http://www.qingxi.gov.cn"
SITES = {"portal": "青溪区人民政府门户网站", "mzj": "青溪区民政局", "jyj": "青溪区教育局", "wjw": "青溪区卫生健康局",
         "scj": "青溪区市场监督管理局", "fgj": "青溪区发展和改革局", "tyj": "青溪区退役军人事务局",
         "sfj": "青溪区司法局"}
DEPARTMENTS = {"portal": "青溪区人民政府", "mzj": "民政局", "jyj": "教育局", "wjw": "卫健局", "scj": "市场监管局",
               "fgj": "发改局", "tyj": "退役军人事务局", "sfj": "司法局"}


def config(sites) -> dict:
    """A config of the given sites (a crawl's config lists the sites it crawled)."""
    return {"update_classes": {}, "rules": {},
            "departments": [{"id": k, "name": v} for k, v in DEPARTMENTS.items()],
            "sites": [{"id": k, "name": SITES[k], "department": k} for k in SITES if k in sites]}


class Crawl:
    """The rows a crawl would store for a few pages."""

    def __init__(self):
        self.pages, self.tables, self.links, self.items, self.attachments, self.sites = [], [], [], [], [], []

    def page(self, site: str, path: str, markup: str):
        url = HOST + path
        facts = extract_page(markup.encode("utf-8"), url, ref=AS_OF)
        self.pages.append({"url": url, "final_url": url, "status": 200, "kind": facts.kind, "title": facts.title,
                           "text": facts.text, "published": facts.published.value if facts.published else None,
                           "column_name": facts.column_name, "meta": json.dumps(facts.meta, ensure_ascii=False)})
        self.tables += [{"page_url": url, "position": t.position, "caption": t.caption,
                         "cells": json.dumps(t.cells, ensure_ascii=False)} for t in facts.tables]
        self.links += [{"page_url": url, "url": link.url, "text": link.text, "hidden": link.hidden,
                        "context": link.context, "block": link.block, "internal": True} for link in facts.links]
        if facts.listing:
            self.items += [{"page_url": url, "position": i, "title": e.title, "url": e.url, "date": e.date,
                            "date_source": e.date_source} for i, e in enumerate(facts.listing.entries)]
        self.sites.append((url, site, "scope"))
        return facts

    def attachment(self, path: str, text: str | None):
        self.attachments.append({"url": HOST + path, "status": 200, "ext": path.rsplit(".", 1)[-1], "text": text})

    def facts(self) -> RunFacts:
        return RunFacts(run_id=1, config=config({site for _, site, _ in self.sites}), pages=pd.DataFrame(self.pages),
                        page_tables=pd.DataFrame(self.tables, columns=["page_url", "position", "caption", "cells"]),
                        links=pd.DataFrame(self.links), list_items=pd.DataFrame(
                            self.items, columns=["page_url", "position", "title", "url", "date", "date_source"]),
                        attachments=pd.DataFrame(self.attachments, columns=["url", "status", "ext", "text"]),
                        page_sites=pd.DataFrame(self.sites, columns=["page_url", "site_id", "how"]))


def audit(crawl: Crawl, as_of: date = AS_OF, **settings):
    return annual_report.check(crawl.facts(), as_of, annual_report.META.settings(settings))


def of(findings, site):
    return [f for f in findings if f.site_id == site]


def checks(findings):
    return sorted((f.site_id, f.data["check"]) for f in findings)


def report(crawl: Crawl, site: str, year: int = 2025, published: date = date(2026, 1, 20), path=None, **kw):
    org = kw.pop("org", SITES[site])
    return crawl.page(site, path or f"/{site}/xxgknb/{year}.html",
                      report_html(org=org, year=year, published=published, **kw))


# ---------------------------------------------------------------- metadata, titles, due year


def test_meta():
    meta = annual_report.META
    assert (meta.id, meta.category, meta.severity, meta.confidence) == ("annual_report", "annual_report", "deduct", "C")
    assert meta.source == "《政府信息公开条例》第四十九条、第五十条；国办公开办函〔2021〕30号"
    assert meta.threshold["government_sites"] == [] and meta.threshold["department_deadline"] == "01-31"
    assert meta.threshold["government_deadline"] == "03-31"
    assert meta.identity == ("site_id", "data.year", "data.check", "data.identity", "data.applicant")
    assert annual_report in all_rules()


@pytest.mark.parametrize("title, expected", [
    ("青溪区民政局2025年政府信息公开工作年度报告", (2025, "青溪区民政局")),
    ("2025年度青溪区民政局政府信息公开工作年度报告", (2025, "青溪区民政局")),
    ("青溪区民政局2025年度政府信息公开年报", (2025, "青溪区民政局")),
    ("青溪区民政局政府信息公开工作年度报告（2025年度）", (2025, "青溪区民政局")),
    ("关于《青溪区人民政府2025年政府信息公开工作年度报告》", (2025, "青溪区人民政府")),
    ("2025年政府信息公开工作年度报告", (2025, "")),
    ("青溪区民政局2025年度政府信息公开年度工作报告", (2025, "青溪区民政局")),
    ("青溪区卫生和计划生育局2017年政府信息公开工作年度报告", (2017, "青溪区卫生和计划生育局")),
    ("青溪区民政局2026年政务公开工作要点", None),
    ("青溪区民政局2025年度政府信息公开工作计划", None),
    ("图解：青溪区民政局2025年政府信息公开工作年度报告", None),
    ("关于报送2025年政府信息公开工作年度报告的通知", None),
    ("中华人民共和国政府信息公开工作年度报告格式", None),
    ("政府信息公开年报", None),
])
def test_report_titles(title, expected):
    assert report_year(title, annual_report.META.threshold["exclude_words"]) == expected


def test_due_year_turns_the_day_after_the_deadline():
    assert due_year(date(2026, 1, 31), "01-31") == (2024, date(2025, 1, 31))
    assert due_year(date(2026, 2, 1), "01-31") == (2025, date(2026, 1, 31))
    assert due_year(date(2026, 3, 31), "03-31") == (2024, date(2025, 3, 31))
    assert due_year(date(2026, 4, 1), "03-31") == (2025, date(2026, 3, 31))


# ---------------------------------------------------------------- findings


def test_a_complete_correct_report_has_no_finding():
    crawl = Crawl()
    report(crawl, "mzj")
    report(crawl, "mzj", year=2024, published=date(2025, 1, 22))
    assert of(audit(crawl), "mzj") == []


def test_a_failing_identity_is_one_finding_per_column_with_the_numbers():
    crawl = Crawl()
    report(crawl, "jyj", org="青溪区教育局",
           overrides={("cannot_1", "自然人"): 4, ("carried_out", "总计"): 2})
    found = of(audit(crawl), "jyj")
    assert [(f.data["check"], f.data["identity"], f.data["applicant"]) for f in found] == [
        ("table", "results", "自然人"), ("table", "balance", "总计")]
    results, balance = found
    assert results.detail == ("《青溪区教育局2025年政府信息公开工作年度报告》“收到和处理政府信息公开申请情况”表数据不符合"
                              "勾稽关系：「自然人」栏：予以公开12+部分公开3+不予公开2+无法提供5+不予处理1+其他处理0=23，"
                              "与办理结果总计24不符")
    assert balance.detail.endswith("「总计」栏：本年新收29+上年结转2=31，与办理结果总计30+结转下年度继续办理2=32不符")
    assert results.evidence == "予以公开12+部分公开3+不予公开2+无法提供5+不予处理1+其他处理0=23，与办理结果总计24不符"
    assert results.data["terms"] == {"full": 12, "partial": 3, "refuse": 2, "cannot": 5, "dismiss": 1, "other": 0}
    assert (results.data["sum"], results.data["total"], results.data["confidence"]) == (23, 24, "P")
    assert (results.severity, results.department_id, results.column) == ("deduct", "jyj", "政府信息公开年报")
    assert results.url == HOST + "/jyj/xxgknb/2025.html"


def test_a_late_report_vs_one_on_the_deadline_and_a_government_with_its_later_deadline():
    crawl = Crawl()
    report(crawl, "wjw", published=date(2026, 2, 5))
    report(crawl, "mzj", published=date(2026, 1, 31))                        # on the deadline: on time
    report(crawl, "portal", org="青溪区人民政府", published=date(2026, 3, 27))  # government: by 3月31日
    report(crawl, "jyj", org="青溪区教育局", published=date(2026, 3, 27))     # a department: late
    found = audit(crawl, government_sites=["portal"])
    assert checks(found) == [("jyj", "late"), ("wjw", "late")]
    late = of(found, "wjw")[0]
    assert late.detail == ("《青溪区卫生健康局2025年政府信息公开工作年度报告》于2026年2月5日公开，"
                           "晚于部门年报2026年1月31日的法定时限，逾期5天")
    assert late.evidence == "公开日期：2026-02-05；时限：2026-01-31"
    assert (late.data["date_source"], late.data["days_late"], late.data["government"]) == ("page", 5, False)
    # without the setting, the portal is a department too
    assert ("portal", "late") in checks(audit(crawl))


def test_a_missing_report_names_the_latest_and_ignores_other_years_and_work_plans():
    crawl = Crawl()
    crawl.page("scj", "/scj/xxgknb/index.html", report_list_html([
        ("青溪区市场监督管理局2026年政务公开工作要点", "/scj/gzyd/2026.html", date(2026, 3, 2)),
        ("青溪区市场监督管理局2025年度政府信息公开工作计划", "/scj/gzjh/2025.html", date(2025, 2, 10)),
        ("图解：青溪区市场监督管理局2025年政府信息公开工作年度报告", "/scj/tj/2025.html", date(2026, 1, 21)),
        ("青溪区市场监督管理局2024年政府信息公开工作年度报告", "/scj/xxgknb/2024.html", date(2025, 1, 20)),
        ("青溪区市场监督管理局2023年政府信息公开工作年度报告", "/scj/xxgknb/2023.html", date(2024, 1, 19))]))
    report(crawl, "scj", year=2024, published=date(2025, 1, 20))
    found = audit(crawl)
    assert checks(of(found, "scj")) == [("scj", "missing")]
    missing = of(found, "scj")[0]
    assert missing.detail == "未发现2025年度政府信息公开工作年度报告（部门年报应于2026年1月31日前公开），站内最新一份为2024年度"
    assert (missing.url, missing.data["year"], missing.data["latest_year"]) == (None, 2025, 2024)
    # the same column with the 2025 report listed (the decoy): nothing missing
    crawl.page("scj", "/scj/xxgknb/index_1.html", report_list_html([
        ("青溪区市场监督管理局2025年政府信息公开工作年度报告", "/scj/xxgknb/2025.pdf", date(2026, 1, 26))]))
    assert of(audit(crawl), "scj") == []


def test_a_portal_listing_its_departments_reports_still_misses_its_own():
    crawl = Crawl()
    listing = [(f"青溪区{unit}2025年政府信息公开工作年度报告", f"/{site}/xxgknb/2025.html", date(2026, 1, 20))
               for unit, site in (("民政局", "mzj"), ("教育局", "jyj"), ("卫生健康局", "wjw"))]
    crawl.page("portal", "/col/col1012/index.html", report_list_html(listing))
    found = of(audit(crawl, government_sites=["portal"]), "portal")
    assert checks(found) == [("portal", "missing")]
    assert "应于2026年3月31日前公开" in found[0].detail and "本级政府年报" in found[0].detail
    assert found[0].data["other_units"][0] == "青溪区卫生健康局2025年政府信息公开工作年度报告"
    crawl.page("portal", "/col/col1012/index_1.html", report_list_html(
        [("青溪区2025年政府信息公开工作年度报告", "/art/2026/3/27/art_1012_9001.html", date(2026, 3, 27))]))
    assert of(audit(crawl, government_sites=["portal"]), "portal") == []


def test_old_layout_is_named_as_such_and_missing_or_reordered_headings_are_listed():
    crawl = Crawl()
    report(crawl, "fgj", org="青溪区发展和改革局", layout="old")
    headings = ["一、总体情况", "二、主动公开政府信息情况", "三、政府信息公开行政复议、行政诉讼情况",
                "四、收到和处理政府信息公开申请情况", "五、存在的主要问题及改进情况"]
    report(crawl, "sfj", org="青溪区司法局", headings=headings)
    found = audit(crawl)
    assert checks(found) == [("fgj", "old_layout"), ("sfj", "headings")]
    old = of(found, "fgj")[0]
    assert old.detail == ("《青溪区发展和改革局2025年政府信息公开工作年度报告》仍使用2019年以前的旧版年报格式"
                          "（“一、概述……七、其他需要报告的事项”），应按国办公开办函〔2021〕30号格式编写")
    wrong = of(found, "sfj")[0]
    assert wrong.detail == ("《青溪区司法局2025年政府信息公开工作年度报告》缺少「六、其他需要报告的事项」；标题顺序不符"
                            "（实际顺序：「总体情况」「主动公开政府信息情况」「政府信息公开行政复议、行政诉讼情况」"
                            "「收到和处理政府信息公开申请情况」「存在的主要问题及改进情况」），"
                            "应按国办公开办函〔2021〕30号格式编写")
    assert wrong.data["missing_headings"] == ["六、其他需要报告的事项"] and wrong.data["text_source"] == "page"


def test_a_report_published_as_an_attachment_is_checked_on_the_attachment_text():
    crawl = Crawl()
    report(crawl, "tyj", org="青溪区退役军人事务局", attachment="/tyj/xxgknb/P020260125.pdf")
    crawl.attachment("/tyj/xxgknb/P020260125.pdf", report_text(org="青溪区退役军人事务局"))
    report(crawl, "sfj", org="青溪区司法局", attachment="/sfj/xxgknb/P020260126.docx")
    crawl.attachment("/sfj/xxgknb/P020260126.docx", report_text(
        org="青溪区司法局", headings=["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                 "四、政府信息公开行政复议、行政诉讼情况", "五、其他需要报告的事项"]))
    report(crawl, "fgj", org="青溪区发展和改革局", attachment="/fgj/xxgknb/P020260127.pdf")
    crawl.attachment("/fgj/xxgknb/P020260127.pdf", None)                  # an image PDF: not checkable
    found = audit(crawl)
    assert checks(found) == [("sfj", "headings")]
    assert found[0].data["text_source"] == HOST + "/sfj/xxgknb/P020260126.docx"
    assert found[0].url == HOST + "/sfj/xxgknb/2025.html"
    assert "缺少「五、存在的主要问题及改进情况」" in found[0].detail


def test_a_report_listed_as_a_file_takes_the_list_date():
    crawl = Crawl()
    crawl.page("wjw", "/wjw/xxgknb/index.html", report_list_html([
        ("青溪区卫生健康局2025年政府信息公开工作年度报告", "/wjw/xxgknb/P020260210.pdf", date(2026, 2, 10)),
        ("青溪区卫生健康局2024年政府信息公开工作年度报告", "/wjw/xxgknb/P020250120.pdf", date(2025, 1, 20))]))
    crawl.attachment("/wjw/xxgknb/P020260210.pdf", report_text(org="青溪区卫生健康局"))
    found = of(audit(crawl), "wjw")
    assert [(f.data["check"], f.data["date_source"], f.url) for f in found] == [
        ("late", "list", HOST + "/wjw/xxgknb/P020260210.pdf")]


# ---------------------------------------------------------------- table parsing tolerance


APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def test_dashes_blanks_and_missing_sub_rows_are_tolerated_but_arithmetic_is_strict():
    dashes = extract_page(report_html(zero="—").encode(), HOST + "/a.html", ref=AS_OF).tables[1].cells
    blanks = extract_page(report_html(zero="").encode(), HOST + "/b.html", ref=AS_OF).tables[1].cells
    for grid in (dashes, blanks):
        table = parse_application_table(grid)
        assert [table.columns[c] for c in sorted(table.columns)] == APPLICANTS
        assert annual_report.identity_failures(table) == []
    # a short form: one label column, group rows without sub-rows, one applicant column
    short = [["项目", "自然人"], ["一、本年新收政府信息公开申请数量", "10"], ["二、上年结转政府信息公开申请数量", "1"],
             ["三、本年度办理结果（一）予以公开", "6"], ["（二）部分公开", "1"], ["（三）不予公开", "—"],
             ["（四）无法提供", "2"], ["（五）不予处理", ""], ["（六）其他处理", "0"], ["（七）总计", "9"],
             ["四、结转下年度继续办理", "2"]]
    assert annual_report.identity_failures(parse_application_table(short)) == []
    short[3][1] = "7"
    assert [(f["identity"], f["sum"], f["total"]) for f in annual_report.identity_failures(
        parse_application_table(short))] == [("results", 10, 9)]


def test_unreadable_or_unexplained_numbers_leave_a_column_unjudged():
    base = [["项目", "自然人", "总计"], ["一、本年新收", "3", "3"], ["二、上年结转", "0", "0"],
            ["三、本年度办理结果（一）予以公开", "2", "2"], ["（二）部分公开", "0", "0"], ["（七）总计", "3", "3"],
            ["四、结转下年度继续办理", "0", "0"]]
    assert [(f["identity"], f["column"]) for f in annual_report.identity_failures(parse_application_table(base))] == [
        ("results", "自然人"), ("results", "总计")]
    unexplained = base[:5] + [["（八）移送处理", "1", "1"]] + base[5:]
    assert annual_report.identity_failures(parse_application_table(unexplained)) == []
    unreadable = [row[:] for row in base]
    unreadable[3][1] = "见附件"
    assert [f["column"] for f in annual_report.identity_failures(parse_application_table(unreadable))] == ["总计"]
    note = base + [["注：本表数据统计截至2025年12月31日"] * 3]
    assert len(annual_report.identity_failures(parse_application_table(note))) == 2


def test_tables_that_are_not_the_application_table_are_ignored():
    facts = extract_page(report_html().encode(), HOST + "/a.html", ref=AS_OF)
    proactive, _, review = (t.cells for t in facts.tables)
    assert parse_application_table(proactive) is None and parse_application_table(review) is None


def test_a_row_shifted_by_a_missing_cell_is_not_read_as_numbers():
    markup = report_html()
    assert "<td>2.重复申请</td>" in markup
    shifted = extract_page(markup.replace("<td>2.重复申请</td>", "").encode(), HOST + "/a.html", ref=AS_OF)
    grid = shifted.tables[1].cells
    assert grid[19][:4] == ["三、本年度办理结果", "（五）不予处理", "0", "0"]
    assert annual_report.identity_failures(parse_application_table(grid)) == []
    # read as if the shifted row were absent, the 不予处理 sum would lack its 1
    without = grid[:19] + grid[20:]
    assert [f["column"] for f in annual_report.identity_failures(parse_application_table(without))] == [
        "法律服务机构", "总计"]


def test_the_same_findings_from_a_stored_run(tmp_path):
    crawl = Crawl()
    report(crawl, "jyj", org="青溪区教育局", published=date(2026, 2, 3), overrides={("full", "商业企业"): 3})
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    run = store.new_run(None, None, config({"jyj"}))
    store.write_batch({name: [{**row, "run_id": run} for row in rows]
                       for name, rows in (("pages", crawl.pages), ("page_tables", crawl.tables), ("links", crawl.links))})
    with store.tx() as conn:
        store.insert_rows(conn, page_sites, [{"run_id": run, "page_url": url, "site_id": site, "how": how}
                                             for url, site, how in crawl.sites])
    stored = annual_report.check(RunFacts.load(store, run), AS_OF, annual_report.META.settings({}))
    assert [(f.data["check"], f.data["applicant"], f.evidence) for f in stored] == [
        ("late", None, "公开日期：2026-02-03；时限：2026-01-31"),
        ("table", "商业企业", "予以公开3+部分公开0+不予公开0+无法提供1+不予处理0+其他处理0=4，与办理结果总计2不符")]
    assert [f.detail for f in stored] == [f.detail for f in audit(crawl)]
