"""伪造发稿日期 on hand-made run histories: each true case next to decoys that must stay silent.

Run 1 looked on 2026-11-20 (audited); run 2, the judged run, on 2026-11-27. Column lists hold
five items a page, newest first.
"""
import json
from datetime import date, datetime, timezone

import pandas as pd

from govaudit.store import Store, audits, column_pages, columns as columns_table, list_items, pages, runs
from rules import forged_date
from rules.base import CATEGORIES, CATEGORY_TITLES
from rules.facts import RunFacts, crawl_date
from rules.registry import all_rules

AS_OF = date(2026, 11, 27)
WEEK1 = date(2026, 11, 20)
HOST = "http://www.qingxi.gov.cn"
YW, TZ, ZC = (f"{HOST}/col/col{n}/index.html" for n in (1001, 1002, 1005))
CONFIG = {"sites": [{"id": "portal", "name": "青溪区人民政府门户网站", "department": "zfb"},
                    {"id": "wjw", "name": "青溪区卫生健康委员会", "department": "wjw"}],
          "update_classes": {"动态要闻": "两周", "通知公告": "半年", "政策文件": "半年"}, "rules": {}}
COLUMNS = [{"site_id": "portal", "department_id": "zfb", "name": name, "url": url, "update_class": cls,
            "fetched": True, "placeholder": False}
           for name, url, cls in (("青溪要闻", YW, "动态要闻"), ("通知公告", TZ, "通知公告"), ("政策文件", ZC, "政策文件"))]

#: What run 1 read of 青溪要闻 (two pages): (title, article id, date).
NEWS = [("区政府召开第四十八次常务会议", 19, "2026-11-19"), ("青溪区召开冬季安全生产工作部署会", 17, "2026-11-17"),
        ("区长调研重点项目建设推进情况", 14, "2026-11-14"), ("青溪区举行重大项目集中开工活动", 12, "2026-11-12"),
        ("青溪区获评省级数字政府建设优秀案例", 6, "2026-11-06"), ("区政府与江州大学签署战略合作协议", 3, "2026-11-03"),
        ("青溪区召开优化营商环境工作推进会", 30, "2026-10-30"), ("青溪夜市文旅消费季活动启幕", 27, "2026-10-27"),
        ("青溪区召开三季度经济运行分析会", 23, "2026-10-23"), ("区领导带队开展城市精细化管理专项督查", 20, "2026-10-20")]


def art(n):
    return f"{HOST}/art/yw_{n}.html"


def listing(run, column, entries, crawled, audited=True, source="list", per_page=5):
    """History rows of one run's reading of one column: entries (title, id or URL, date) in list order."""
    return [{"run_id": run, "crawl_date": crawled, "audited": audited, "column_url": column, "page_no": i // per_page + 1,
             "position": i % per_page, "title": title, "url": ref if isinstance(ref, str) else art(ref),
             "date": date.fromisoformat(day) if day else None, "date_source": source}
            for i, (title, ref, day) in enumerate(entries)]


def insert(entries, at, *new):
    return entries[:at] + list(new) + entries[at:]


def facts(*listings, pages_rows=(), run_id=2, columns=COLUMNS, sites=()):
    return RunFacts(run_id=run_id, config=CONFIG, columns=pd.DataFrame(columns),
                    history=pd.DataFrame([row for rows in listings for row in rows]),
                    pages=pd.DataFrame(list(pages_rows), columns=["url", "title", "published", "published_source",
                                                                  "column_name", "kind", "status"]),
                    page_sites=pd.DataFrame(list(sites), columns=["page_url", "site_id", "how"]))


def run(f, as_of=AS_OF, **overrides):
    return forged_date.check(f, as_of, forged_date.META.settings(overrides))


def titles(found, kind="backdated"):
    return sorted(f.data["title"] for f in found if f.data["kind"] == kind)


BACKDATED = ("关于青溪区冬春季森林防火工作的情况通报", 10, "2026-11-10")


def test_meta_and_category():
    meta = forged_date.META
    assert (meta.category, meta.severity, meta.confidence) == ("forged_date", "veto", "P")
    assert meta.indicator == "单项否决·严重问题（伪造发稿日期）"
    assert meta.threshold == {"tolerance_days": 3, "future_days": 1, "skip_classes": ["政策文件"],
                              "max_new_in_slot": 3}
    assert "forged_date" in CATEGORIES and CATEGORY_TITLES["forged_date"] == "发稿日期异常"
    assert forged_date in all_rules()


def test_backdated_item_names_both_runs_while_a_genuinely_new_item_is_silent():
    week2 = insert(insert(NEWS, 4, BACKDATED), 0, ("青溪区召开2026年冬季征兵工作会议", 25, "2026-11-25"))
    found = run(facts(listing(1, YW, NEWS, WEEK1), listing(2, YW, week2, AS_OF)))
    assert [f.url for f in found] == [art(10)]
    f = found[0]
    assert (f.rule, f.category, f.severity, f.site_id, f.department_id, f.column) == (
        "forged_date", "forged_date", "veto", "portal", "zfb", "青溪要闻")
    assert f.detail == ("「关于青溪区冬春季森林防火工作的情况通报」首次出现于第2批次检查（2026年11月27日），"
                        "但标注的发布日期为2026年11月10日，早于第1批次检查（2026年11月20日）10天；该次检查已读取"
                        "栏目「青溪要闻」中排在其前后的「青溪区举行重大项目集中开工活动」（2026年11月12日）和"
                        "「青溪区获评省级数字政府建设优秀案例」（2026年11月6日），却未见此条，疑似倒签发稿日期")
    assert f.evidence == "标注日期：2026-11-10；第1批次检查（2026-11-20）未见，第2批次检查（2026-11-27）首次出现"
    assert {k: f.data[k] for k in ("first_seen_run", "first_seen_date", "earlier_run", "earlier_run_date",
                                   "days_before", "proving_runs")} == {
        "first_seen_run": 2, "first_seen_date": "2026-11-27", "earlier_run": 1, "earlier_run_date": "2026-11-20",
        "days_before": 10, "proving_runs": [1]}
    assert (f.data["before"]["url"], f.data["after"]["url"]) == (art(12), art(6))


def test_tolerance_boundary():
    at_tolerance = ("青溪区开展消防安全宣传月活动", 170, "2026-11-17")      # 3 days before the crawl: none
    over = ("青溪区开展燃气安全入户检查", 160, "2026-11-16")                 # 4 days: a finding
    week2 = insert(NEWS, 2, at_tolerance, over)
    found = run(facts(listing(1, YW, NEWS, WEEK1), listing(2, YW, week2, AS_OF)))
    assert titles(found) == ["青溪区开展燃气安全入户检查"]
    assert found[0].data["days_before"] == 4
    assert titles(run(facts(listing(1, YW, NEWS, WEEK1), listing(2, YW, week2, AS_OF)), tolerance_days=4)) == []


def test_item_beyond_the_earlier_crawls_reach_is_not_suspicious():
    older = [("青溪区召开人才工作推进会", 16, "2026-10-16"), ("青溪区举办第三届人才创新创业大赛", 15, "2026-10-15"),
             ("区政府召开第四十五次常务会议", 9, "2026-10-09")]
    week2 = NEWS + older                                       # run 2 read a third page run 1 never reached
    assert run(facts(listing(1, YW, NEWS, WEEK1), listing(2, YW, week2, AS_OF))) == []
    # older than anything run 1 read, though listed between two items it read (a list not in date order)
    week2 = insert(NEWS, 1, older[2])
    assert run(facts(listing(1, YW, NEWS, WEEK1), listing(2, YW, week2, AS_OF))) == []


def test_moved_url_with_the_same_title_is_not_new():
    moved = [(t, f"{HOST}/art/2026/11/14/art_1001_9914.html" if n == 14 else n, d) for t, n, d in NEWS]
    assert run(facts(listing(1, YW, NEWS, WEEK1), listing(2, YW, moved, AS_OF))) == []
    # a URL listed earlier in another column of the run is a cross-listing, not new either
    tz_week1 = [("关于开展冬季燃气安全专项检查的通告", 900, "2026-11-18"), ("关于部分路段临时交通管制的通告", 901,
                                                                         "2026-11-11")]
    cross = insert(NEWS, 4, ("关于部分路段临时交通管制的通告", 901, "2026-11-11"))
    assert run(facts(listing(1, YW, NEWS, WEEK1), listing(1, TZ, tz_week1, WEEK1),
                     listing(2, YW, cross, AS_OF), listing(2, TZ, tz_week1, AS_OF))) == []
    # … also when the other column first listed it in a later run than this column's earlier crawl
    notice = ("关于青溪区冬季供暖设施检修的公告", 902, "2026-11-10")
    assert run(facts(listing(1, YW, NEWS, WEEK1), listing(1, TZ, tz_week1, WEEK1),
                     listing(2, YW, NEWS, date(2026, 11, 24)), listing(2, TZ, insert(tz_week1, 1, notice),
                                                                       date(2026, 11, 24)),
                     listing(3, YW, insert(NEWS, 4, notice), AS_OF), run_id=3)) == []


def test_policy_file_columns_are_skipped_by_default():
    docs = [(f"青溪区人民政府关于印发第{i}号文件的通知", 500 + i, day) for i, day in
            enumerate(["2026-11-18", "2026-11-05", "2026-10-28", "2026-10-12", "2026-09-30"])]
    week2 = insert(docs, 1, ("青溪区人民政府关于印发冬季供暖保障方案的通知", 599, "2026-11-09"))
    history = (listing(1, ZC, docs, WEEK1), listing(2, ZC, week2, AS_OF))
    assert run(facts(*history)) == []
    assert [f.url for f in run(facts(*history), skip_classes=[])] == [art(599)]


def test_guards_on_the_earlier_run():
    week2 = insert(NEWS, 4, BACKDATED)
    # an earlier run without an audit proves nothing, even after an audited one that did not read the slot
    assert run(facts(listing(1, YW, NEWS, WEEK1, audited=False), listing(2, YW, week2, AS_OF))) == []
    assert run(facts(listing(1, YW, NEWS[:2], date(2026, 11, 16)), listing(2, YW, NEWS, WEEK1, audited=False),
                     listing(3, YW, week2, AS_OF), run_id=3)) == []
    # a date read from the URL is not a claim the site shows
    url_dated = [dict(r, date_source="url") if r["url"] == art(10) else r for r in listing(2, YW, week2, AS_OF)]
    assert run(facts(listing(1, YW, NEWS, WEEK1), url_dated)) == []
    # the item's own date shown on its page (undated list) is
    page_dated = [dict(r, date_source="page:label") if r["url"] == art(10) else r
                  for r in listing(2, YW, week2, AS_OF)]
    assert titles(run(facts(listing(1, YW, NEWS, WEEK1), page_dated))) == [BACKDATED[0]]


def test_slot_guards_missed_pages_stale_lists_and_pinned_items():
    # run 1 failed to read a page: a page of unseen items sits between two neighbours it read
    missed = [("区政府召开专题会议研究第%d项工作" % i, 100 + i, "2026-11-%02d" % (11 - i // 3)) for i in range(5)]
    week1 = NEWS[:4] + NEWS[4:]                                 # run 1 read 11-12 then 11-06 directly
    week2 = insert(NEWS, 4, *missed)
    assert run(facts(listing(1, YW, week1, WEEK1), listing(2, YW, week2, AS_OF))) == []
    assert len(run(facts(listing(1, YW, week1, WEEK1), listing(2, YW, week2, AS_OF)), max_new_in_slot=5)) == 5
    # run 1 saw a stale (cached) list ending on 11-14: the item stands above everything run 1 read
    top = ("青溪区召开三季度安全生产形势分析会", 15, "2026-11-15")
    assert run(facts(listing(1, YW, NEWS[2:], WEEK1), listing(2, YW, insert(NEWS, 2, top), AS_OF))) == []
    # the neighbour above is a pinned old item: not a date-ordered stretch
    pinned = [("青溪区政府信息公开指南", 1, "2025-06-18")] + NEWS[4:]
    week2 = [pinned[0], ("青溪区召开安全生产约谈会", 11, "2026-11-11")] + pinned[1:]
    assert run(facts(listing(1, YW, pinned, WEEK1), listing(2, YW, week2, AS_OF))) == []


def test_earlier_run_must_have_looked_before_the_first_sighting():
    week2 = insert(NEWS, 4, BACKDATED)
    assert run(facts(listing(1, YW, NEWS, AS_OF), listing(2, YW, week2, AS_OF))) == []


def test_first_seen_in_an_intermediate_run():
    week2 = insert(NEWS, 4, BACKDATED)
    week3 = insert(week2, 0, ("青溪区召开2026年冬季征兵工作会议", 25, "2026-11-25"))
    found = run(facts(listing(1, YW, NEWS, date(2026, 11, 13)), listing(2, YW, week2, WEEK1),
                      listing(3, YW, week3, AS_OF), run_id=3))
    assert titles(found) == []                                  # run 1 (11-13) is within 3 days of 11-10
    found = run(facts(listing(1, YW, NEWS, date(2026, 11, 14)), listing(2, YW, week2, WEEK1),
                      listing(3, YW, week3, AS_OF), run_id=3))
    assert [(f.data["first_seen_run"], f.data["earlier_run"], f.data["first_seen_date"]) for f in found] == [
        (2, 1, "2026-11-20")]


def test_future_dates_on_items_and_pages():
    tz = [("关于2027年元旦假期安排的通知", 950, "2027-01-05"),      # item: 39 days after as_of
          ("关于开展冬季燃气安全专项检查的通告", 951, "2026-11-28"),  # decoy: exactly 1 day after as_of
          ("关于青溪大道部分路段临时交通管制的通告", 952, "2026-11-18")]
    pages_rows = [  # (url, title, published, source, column, kind, status)
        (art(960), "关于召开2027年度工作会议的通知_通知公告", date(2027, 3, 1), "label", "通知公告", "article", 200),
        (art(961), "青溪区2027年重点项目计划_规划计划", date(2027, 3, 1), "url", "规划计划", "article", 200),
        (art(950), "关于2027年元旦假期安排的通知_通知公告", date(2027, 1, 5), "meta", "通知公告", "article", 200)]
    pages_rows.append((f"{HOST}/other/notice.html", "外站页面", date(2027, 3, 1), "label", None, "article", 200))
    sites = [(art(960), "portal", "scope"), (art(961), "portal", "scope"), (art(950), "portal", "scope")]
    found = run(facts(listing(2, TZ, tz, AS_OF), pages_rows=pages_rows, sites=sites))
    assert titles(found, "future") == ["关于2027年元旦假期安排的通知", "关于召开2027年度工作会议的通知_通知公告"]
    item = next(f for f in found if f.url == art(950))
    assert (item.severity, item.category, item.column, item.site_id) == ("advisory", "forged_date", "通知公告", "portal")
    assert item.detail == ("「关于2027年元旦假期安排的通知」标注的发布日期为2027年1月5日，晚于检查日期（2026年11月27日）"
                           "39天，请核实是否为日期错误或伪造发稿日期")
    assert item.evidence == "列表日期：2027-01-05；页面发布日期：2027-01-05"
    assert item.data["days_after"] == 39
    assert titles(run(facts(listing(2, TZ, tz, AS_OF)), future_days=0), "future") == [
        "关于2027年元旦假期安排的通知", "关于开展冬季燃气安全专项检查的通告"]


def test_empty_facts():
    assert run(RunFacts(run_id=1, config=CONFIG)) == []


def test_crawl_date_is_the_earlier_of_start_in_beijing_and_as_of():
    assert crawl_date(datetime(2026, 11, 24, 17, 0)) == date(2026, 11, 25)           # UTC 17:00 is 01:00 next day
    assert crawl_date(datetime(2026, 11, 24, 1, 0), date(2026, 11, 20)) == date(2026, 11, 20)
    assert crawl_date(datetime(2026, 11, 24, 1, 0), date(2026, 11, 27)) == date(2026, 11, 24)


def _store_run(store: Store, run_id: int, started: datetime, as_of: date | None, entries, status="complete"):
    """One stored run of the portal's 青溪要闻 column read on two list pages (rows written directly)."""
    page2 = YW.replace("index.html", "index_2.html")
    with store.tx() as conn:
        conn.execute(runs.insert().values(id=run_id, config_json="{}", started_at=started, status=status))
        store.insert_rows(conn, column_pages, [{"run_id": run_id, "column_url": YW, "page_url": url, "page_no": no}
                                               for no, url in ((1, YW), (2, page2))])
        store.insert_rows(conn, columns_table, [{"run_id": run_id, "site_id": "portal", "department_id": "zfb",
                                                 "name": "青溪要闻", "url": YW, "update_class": "动态要闻",
                                                 "fetched": True, "placeholder": False}])
        store.insert_rows(conn, list_items, [
            {"run_id": run_id, "page_url": YW if i < 5 else page2, "position": i, "title": title, "url": art(n),
             "date": date.fromisoformat(day) if i % 4 else None, "date_source": "list" if i % 4 else None}
            for i, (title, n, day) in enumerate(entries)])
        # list entries left undated take their page's labelled date
        store.insert_rows(conn, pages, [{"run_id": run_id, "url": art(n), "published": date.fromisoformat(day),
                                         "published_source": "label"} for i, (_t, n, day) in enumerate(entries)
                                        if i % 4 == 0])
        if as_of:
            conn.execute(audits.insert().values(run_id=run_id, as_of=as_of, created_at=started))


def test_history_from_a_real_store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'history.db'}")
    week2 = insert(insert(NEWS, 4, BACKDATED), 0, ("青溪区召开2026年冬季征兵工作会议", 25, "2026-11-25"))
    _store_run(store, 1, datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc), WEEK1, NEWS)
    _store_run(store, 2, datetime(2026, 11, 25, 2, 0), None, NEWS[:3], status="failed")   # not history
    _store_run(store, 3, datetime(2026, 11, 27, 2, 0), None, week2)
    with store.tx() as conn:   # a column the judged run does not have: not loaded
        store.insert_rows(conn, column_pages, [{"run_id": 1, "column_url": TZ, "page_url": TZ, "page_no": 1}])
        store.insert_rows(conn, list_items, [{"run_id": 1, "page_url": TZ, "position": 0, "title": "通告",
                                              "url": art(999), "date": WEEK1, "date_source": "list"}])
    f = RunFacts.load(store, 3)
    history = f.history
    assert sorted(history["run_id"].unique()) == [1, 3] and set(history["column_url"]) == {YW}
    assert len(history) == len(NEWS) + len(week2)
    run1 = history[history["run_id"] == 1]
    assert set(run1["crawl_date"]) == {WEEK1} and run1["audited"].all()
    assert set(history.loc[history["run_id"] == 3, "crawl_date"]) == {date(2026, 11, 27)}
    assert not history.loc[history["run_id"] == 3, "audited"].any()
    assert run1.loc[run1["url"] == art(19), "date_source"].item() == "page:label"   # undated on the list
    found = run(f)
    assert [(x.url, x.data["earlier_run"], x.data["first_seen_run"]) for x in found] == [(art(10), 1, 3)]
    stored = json.loads(json.dumps(found[0].data, default=str))   # as the audit stores it
    assert (stored["earlier_run"], stored["first_seen_run"], stored["proving_runs"]) == (1, 3, [1])
    # the judged run is dated as of its 检查基准日; an earlier run re-judged as of a later day still looked on 11-20
    with store.tx() as conn:
        conn.execute(audits.update().where(audits.c.run_id == 1).values(as_of=date(2026, 12, 1)))
    again = run(RunFacts.load(store, 3), as_of=date(2026, 12, 4))
    assert [(x.data["earlier_run_date"], x.data["first_seen_date"]) for x in again] == [("2026-11-24", "2026-12-04")]
