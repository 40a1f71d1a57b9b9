"""信息发布时效 on hand-made facts: each true case next to a decoy that must stay silent.

Calendar facts used (chinesecalendar data): 2026 春节 2月15日–23日 off with 2月14日(六)、2月28日(六)
working; 2026 劳动节 5月1日–5日 off with 5月9日(六) working.
"""
from datetime import date

import pandas as pd

from govaudit.workdays import supported_range
from rules import timeliness
from rules.facts import RunFacts
from rules.registry import all_rules

AS_OF = date(2026, 11, 20)
CONFIG = {
    "update_classes": {"动态要闻": "两周"},
    "sites": [{"id": "portal", "name": "青溪区人民政府门户网站", "department": "zf"},
              {"id": "scj", "name": "青溪区市场监管局", "department": "scj"},
              {"id": "jyj", "name": "青溪区教育局", "department": "jyj"}],
    "rules": {},
}
HOST = "http://www.qingxi.gov.cn"
PAGE_COLUMNS = ["url", "final_url", "status", "kind", "title", "published", "published_source", "written",
                "column_name"]


def page(path, written, published, title="关于做好春季学期开学工作的通知_通知公告_青溪区教育局",
         column="通知公告", kind="article", status=200):
    return {"url": f"{HOST}{path}", "final_url": f"{HOST}{path}", "status": status, "kind": kind, "title": title,
            "published": published, "published_source": "label", "written": written, "column_name": column}


def facts(pages, sites=None, list_items=(), columns=()):
    if sites is None:
        sites = [(p["url"], p["url"][len(HOST):].split("/")[1], "scope") for p in pages]
    return RunFacts(
        run_id=1, config=CONFIG,
        pages=pd.DataFrame(pages, columns=PAGE_COLUMNS),
        page_sites=pd.DataFrame(sites, columns=["page_url", "site_id", "how"]),
        list_items=pd.DataFrame(list(list_items), columns=["page_url", "position", "title", "url", "date",
                                                          "date_source"]),
        columns=pd.DataFrame(list(columns), columns=["site_id", "department_id", "name", "url"]))


def run(f, **overrides):
    return timeliness.check(f, AS_OF, timeliness.META.settings(overrides))


def urls(findings):
    return sorted(f.url[len(HOST):] for f in findings)


def test_meta():
    meta = timeliness.META
    assert (meta.category, meta.severity, meta.indicator, meta.confidence) == (
        "timeliness", "deduct", "信息发布时效", "P")
    assert meta.source == "《政府信息公开条例》第二十六条；国办发〔2018〕118号"
    assert meta.threshold == {"max_working_days": 20, "decision_max_working_days": 7,
                              "decision_keywords": ["行政许可", "行政处罚", "许可决定", "处罚决定"],
                              "note": "扣分分值为本地默认值"}
    assert timeliness in all_rules()


def test_late_page_vs_exactly_at_the_limit():
    pages = [page("/jyj/late.html", date(2026, 3, 2), date(2026, 4, 20)),     # 34 working days (清明 Monday 4-6 off)
             page("/jyj/limit.html", date(2026, 3, 2), date(2026, 3, 30)),    # exactly 20: on time
             page("/jyj/over.html", date(2026, 3, 2), date(2026, 3, 31))]     # 21
    found = run(facts(pages))
    assert urls(found) == ["/jyj/late.html", "/jyj/over.html"]
    late = next(f for f in found if f.url.endswith("late.html"))
    assert late.detail == ("《关于做好春季学期开学工作的通知》成文于2026年3月2日，2026年4月20日才发布，"
                           "间隔34个工作日，超过20个工作日的时限")
    assert (late.rule, late.category, late.severity, late.site_id, late.department_id, late.column) == (
        "timeliness", "timeliness", "deduct", "jyj", "jyj", "通知公告")
    assert late.evidence == "成文日期：2026-03-02；发布日期：2026-04-20"
    assert late.data["working_days"] == 34 and late.data["calendar_days"] == 49 and late.data["limit"] == 20
    assert late.data["official_calendar"] is True and late.data["calendar"].startswith("chinesecalendar ")
    assert (late.data["written"], late.data["published"], late.data["decision"]) == ("2026-03-02", "2026-04-20",
                                                                                    False)


def test_spring_festival_is_not_counted():
    # 2-10 → 3-11: 29 calendar days, but 春节 2-15…2-23 is off and 2-14/2-28 are 调休 working days:
    # 17 working days — on time. A weekday-only count would say 21.
    pages = [page("/jyj/chunjie.html", date(2026, 2, 10), date(2026, 3, 11)),
             page("/jyj/spring.html", date(2026, 2, 10), date(2026, 3, 18))]    # 22 working days: late
    found = run(facts(pages))
    assert urls(found) == ["/jyj/spring.html"]
    assert found[0].data["working_days"] == 22


def test_make_up_saturday_counts_as_a_working_day():
    # 4-10 → 5-13: 劳动节 5-1…5-5 off; Saturday 5-9 is a working day, which makes 21 (late);
    # one day earlier is 20 (on time)
    pages = [page("/jyj/may.html", date(2026, 4, 10), date(2026, 5, 13)),
             page("/jyj/may_ok.html", date(2026, 4, 10), date(2026, 5, 12))]
    found = run(facts(pages))
    assert [(f.url[len(HOST):], f.data["working_days"]) for f in found] == [("/jyj/may.html", 21)]


def test_decisions_have_seven_working_days():
    written, published = date(2026, 3, 2), date(2026, 3, 12)          # 8 working days
    pages = [page("/scj/xzcf.html", written, published, title="青溪区市场监管局行政处罚决定书（青市监罚〔2026〕3号）",
                  column="政务公开"),
             page("/scj/col.html", written, published, title="关于某某公司的决定书", column="行政许可"),
             page("/scj/normal.html", written, published, title="关于开展食品安全检查的通知", column="通知公告"),
             page("/scj/seven.html", written, date(2026, 3, 11), title="准予行政许可决定书", column="通知公告")]
    found = run(facts(pages))
    assert urls(found) == ["/scj/col.html", "/scj/xzcf.html"]
    xzcf = next(f for f in found if f.url.endswith("xzcf.html"))
    assert xzcf.data["decision"] is True and xzcf.data["decision_keyword"] == "行政处罚" and xzcf.data["limit"] == 7
    assert xzcf.detail.endswith("间隔8个工作日，超过7个工作日的时限（行政许可、行政处罚决定信息）")


def test_decision_column_found_through_the_list_that_lists_the_page():
    written, published = date(2026, 3, 2), date(2026, 3, 12)
    pages = [page("/scj/a1.html", written, published, title="某某公司决定书", column="正文"),
             page("/scj/a2.html", written, published, title="某某公司决定书", column="正文"),
             page("/scj/list_2.html", None, None, kind="list", title="行政处罚", column="行政处罚")]
    items = [{"page_url": f"{HOST}/scj/xzcf/", "position": 0, "title": "某某公司决定书", "url": f"{HOST}/scj/a1.html"},
             {"page_url": f"{HOST}/scj/list_2.html", "position": 0, "title": "某某公司决定书",
              "url": f"{HOST}/scj/a2.html"}]
    columns = [{"site_id": "scj", "department_id": "scj", "name": "行政许可公示", "url": f"{HOST}/scj/xzcf/"}]
    found = run(facts(pages, list_items=items, columns=columns))
    assert urls(found) == ["/scj/a1.html", "/scj/a2.html"]
    assert sorted(f.data["decision_matched"] for f in found) == ["行政处罚", "行政许可公示"]
    # without the list the same pages are ordinary documents, on time at 8 working days
    assert run(facts(pages)) == []


def test_published_before_written_is_skipped_and_missing_dates_are_not_judged():
    pages = [page("/jyj/before.html", date(2026, 4, 20), date(2026, 3, 2)),
             page("/jyj/nowritten.html", None, date(2026, 4, 20)),
             page("/jyj/nopub.html", date(2026, 1, 5), None),
             page("/jyj/list.html", date(2026, 1, 5), date(2026, 6, 1), kind="list"),
             page("/jyj/error.html", date(2026, 1, 5), date(2026, 6, 1), status=404)]
    assert run(facts(pages)) == []


def test_dates_as_stored_strings_and_timestamps():
    pages = [page("/jyj/s.html", "2026-03-02", "2026-04-20"),
             page("/jyj/t.html", pd.Timestamp("2026-03-02"), pd.Timestamp("2026-04-20"))]
    assert [f.data["working_days"] for f in run(facts(pages))] == [34, 34]


def test_thresholds_come_from_config():
    pages = [page("/jyj/a.html", date(2026, 3, 2), date(2026, 3, 16))]      # 10 working days
    assert run(facts(pages)) == []
    assert urls(run(facts(pages), max_working_days=5)) == ["/jyj/a.html"]
    assert urls(run(facts(pages), decision_keywords=["春季学期"])) == ["/jyj/a.html"]


def test_one_finding_per_page_owner_wins():
    url = f"{HOST}/jyj/shared.html"
    pages = [page("/jyj/shared.html", date(2026, 3, 2), date(2026, 4, 20))]
    owned = [(url, "portal", "link"), (url, "jyj", "scope")]
    found = run(facts(pages, sites=owned))
    assert [(f.site_id, f.department_id) for f in found] == [("jyj", "jyj")] and "also_sites" not in found[0].data
    linked = [(url, "jyj", "link"), (url, "portal", "link")]
    found = run(facts(pages, sites=linked))
    assert [(f.site_id, f.data["also_sites"]) for f in found] == [("portal", ["jyj"])]
    found = run(facts(pages, sites=[]))
    assert [(f.site_id, f.department_id) for f in found] == [(None, None)]


def test_untitled_page_is_named_by_url():
    found = run(facts([page("/jyj/x.html", date(2026, 3, 2), date(2026, 4, 20), title="")]))
    assert found[0].detail.startswith(f"页面{HOST}/jyj/x.html成文于2026年3月2日")


def test_beyond_the_calendar_data_is_an_advisory_estimate():
    last = supported_range()[1]
    start = date(last.year, 12, 1)
    published = date(last.year + 1, 3, 1)
    found = run(facts([page("/jyj/future.html", start, published)]))
    assert [f.severity for f in found] == ["advisory"]
    assert found[0].data["official_calendar"] is False and "周一至周五" in found[0].data["calendar"]
    assert "仅供参考" in found[0].detail
