"""homepage_stale (V2): newest dated homepage entry vs as_of; navigation homepages fall back to
the columns they link to; homepages that did not load are left to availability."""
from datetime import date, timedelta

import pandas as pd

from rules import homepage_stale
from rules.facts import RunFacts

AS_OF = date(2026, 11, 20)


def site(sid):
    return {"id": sid, "name": sid, "department": f"d{sid}", "start_urls": [f"http://{sid}.gov.cn/index.html"]}


def home(sid):
    return f"http://{sid}.gov.cn/index.html"


def hub(sid, *ages, block=0, title="要闻动态"):
    return [{"page_url": home(sid), "block": block, "block_title": title, "position": i, "title": f"{sid}的新闻{i}",
             "url": f"http://{sid}.gov.cn/a{block}_{i}.html", "date": AS_OF - timedelta(days=age) if age is not None else None,
             "date_source": "list"} for i, age in enumerate(ages)]


def page(sid, status=200, kind="hub"):
    return {"url": home(sid), "final_url": home(sid), "status": status, "kind": kind}


def column(sid, name, age, fetched=True):
    return {"site_id": sid, "department_id": f"d{sid}", "name": name, "url": f"http://{sid}.gov.cn/{name}/",
            "latest_date": AS_OF - timedelta(days=age) if age is not None else None, "fetched": fetched,
            "item_count": 5, "undated_count": 0, "placeholder": False, "update_class": "基础信息", "window": "1年"}


def link(sid, name, hidden=False):
    return {"page_url": home(sid), "url": f"http://{sid}.gov.cn/{name}/", "text": name, "hidden": hidden,
            "context": "a", "block": "nav", "internal": True}


def check(sites, pages, hub_items=(), columns=(), links=(), **settings):
    config = {"update_classes": {"基础信息": "每年"}, "sites": [site(s) for s in sites], "rules": {}}
    facts = RunFacts(run_id=1, config=config, pages=pd.DataFrame(pages), hub_items=pd.DataFrame(list(hub_items)),
                     columns=pd.DataFrame(list(columns)), links=pd.DataFrame(list(links)))
    return {f.site_id: f for f in homepage_stale.check(facts, AS_OF, homepage_stale.META.settings(settings))}


def test_newest_entry_of_any_block_decides():
    items = (hub("a", 20, 30) + hub("a", 15, block=1, title="通知公告")     # a: newest 15 days: veto
             + hub("b", 30) + hub("b", 14, block=1)                          # b: exactly 14 days: not yet
             + hub("c", 11, 40)                                              # c: 11 days: early warning
             + hub("d", 10, 12))                                             # d: 10 days: fine
    found = check("abcd", [page(s) for s in "abcd"], items)
    assert sorted(found) == ["a", "b", "c"] and found["b"].severity == "advisory"
    a = found["a"]
    assert (a.severity, a.url, a.department_id, a.category) == ("veto", home("a"), "da", "homepage_stale")
    assert a.detail == "首页最新信息为「通知公告」板块「a的新闻0」，发布于2026年11月5日，已15天未更新，超过14天，达到单项否决标准"
    assert a.data["source"] == "homepage" and a.data["days_since"] == 15 and a.data["homepage_items"] == 3
    assert found["c"].detail == ("首页最新信息为「要闻动态」板块「c的新闻0」，发布于2026年11月9日，已11天未更新，"
                                 "再过4天将达到单项否决标准（14天），请及时更新")


def test_undated_and_future_entries_are_not_an_update():
    items = hub("a", None, -3, 16)                 # undated, a date after as_of, and one 16 days old
    f = check("a", [page("a")], items)["a"]
    assert f.severity == "veto" and f.data["newest_date"] == "2026-11-04"


def test_navigation_homepage_falls_back_to_linked_columns():
    columns = [column("a", "gzdt", 20), column("a", "tzgg", 9), column("a", "unlinked", 1),
               column("a", "hidden", 1), column("a", "broken", None, fetched=False),
               column("b", "gzdt", 30), column("b", "tzgg", 16)]
    links = [link("a", "gzdt"), link("a", "tzgg"), link("a", "broken"), link("a", "hidden", hidden=True),
             link("b", "gzdt"), link("b", "tzgg")]
    found = check("ab", [page("a"), page("b")], [], columns, links)
    assert list(found) == ["b"]                    # a: a linked column is 9 days fresh (decoy)
    f = found["b"]
    assert f.severity == "veto" and f.data["source"] == "columns" and f.data["linked_columns"] == 2
    assert f.detail == ("首页无带发布日期的信息（导航型首页），以其链接的2个栏目计，最新信息发布于2026年11月4日（栏目「tzgg」），"
                        "已16天未更新，超过14天，达到单项否决标准")


def test_nothing_dated_anywhere_is_a_veto():
    columns = [column("a", "gzdt", None)]
    found = check("ab", [page("a"), page("b")], hub("a", None), columns, [link("a", "gzdt")])
    assert found["a"].detail == "首页无带发布日期的信息，其链接的1个栏目也无带发布日期的信息，视为未更新，达到单项否决标准（14天）"
    assert found["b"].detail == "首页无带发布日期的信息，且未发现其链接的栏目，视为未更新，达到单项否决标准（14天）"
    assert found["a"].severity == found["b"].severity == "veto" and found["a"].evidence == "最新信息日期：无"


def test_homepage_that_did_not_load_is_left_to_availability():
    pages = [page("a", status=503, kind="error"), page("b", status=None, kind="error")]
    assert check("abc", pages, hub("a", 40)) == {}     # c: never fetched at all


def test_thresholds_come_from_settings():
    assert check("a", [page("a")], hub("a", 8), days=7)["a"].severity == "veto"
    assert check("a", [page("a")], hub("a", 6), warn_days=5)["a"].severity == "advisory"


def test_fresh_entries_of_another_hub_page_do_not_count():
    items = hub("a", 20) + [{**row, "page_url": "http://a.gov.cn/zwgk/index.html"} for row in hub("a", 1)]
    assert check("a", [page("a")], items)["a"].data["newest_date"] == "2026-10-31"
