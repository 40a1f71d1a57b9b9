"""Site-level counts (V3/V4/V5) with early warnings, and the 临期提醒 list."""
from datetime import date

import pandas as pd

from rules import blank_count, stale_count
from rules.column_stale import due_columns
from rules.facts import RunFacts

AS_OF = date(2026, 11, 20)
CONFIG = {"update_classes": {"动态要闻": "两周", "通知公告": "半年", "政策文件": "半年", "基础信息": "每年"},
          "sites": [{"id": "s", "name": "青溪区教育局", "department": "jyj"}], "rules": {}}


def col(i, update_class, latest, items=3):
    return {"site_id": "s", "department_id": "jyj", "name": f"栏目{i}", "url": f"http://x/{i}/",
            "update_class": update_class, "window": "", "latest_date": latest, "latest_source": "list",
            "item_count": items, "undated_count": 0, "placeholder": False, "fetched": True, "shape": "html_list"}


def facts(rows):
    return RunFacts(run_id=1, config=CONFIG, columns=pd.DataFrame(rows))


OLD = date(2024, 1, 1)


def severities(found):
    return sorted((f.data.get("scope", ""), f.severity, f.data["count"]) for f in found)


def test_key_columns_veto_at_five_warn_at_three():
    rows = [col(i, "动态要闻", OLD) for i in range(5)] + [col(9, "动态要闻", date(2026, 11, 19))]
    found = stale_count.check(facts(rows), AS_OF, stale_count.META.settings({}))
    assert severities(found) == [("key", "veto", 5)]          # 5 stale in all: below the warning of 6
    assert found[0].detail.startswith("青溪区教育局共有5个重点栏目") and "达到单项否决标准（5个）" in found[0].detail
    rows = [col(i, "通知公告", OLD) for i in range(3)]
    assert severities(stale_count.check(facts(rows), AS_OF, stale_count.META.settings({}))) == [("key", "advisory", 3)]
    rows = [col(i, "通知公告", OLD) for i in range(2)]
    assert stale_count.check(facts(rows), AS_OF, stale_count.META.settings({})) == []


def test_all_stale_columns_veto_at_ten_warn_at_six():
    rows = [col(i, "基础信息", OLD) for i in range(6)]
    found = stale_count.check(facts(rows), AS_OF, stale_count.META.settings({}))
    assert severities(found) == [("all", "advisory", 6)]
    assert "距单项否决标准（10个）仅差4个" in found[0].detail
    rows = [col(i, "基础信息", OLD) for i in range(10)] + [col(20, "基础信息", date(2026, 1, 1))]   # decoy: fresh
    assert severities(stale_count.check(facts(rows), AS_OF, stale_count.META.settings({}))) == [("all", "veto", 10)]


def test_thresholds_come_from_config():
    rows = [col(i, "动态要闻", OLD) for i in range(2)]
    found = stale_count.check(facts(rows), AS_OF, stale_count.META.settings({"key_veto": 2, "key_warning": 1}))
    assert severities(found) == [("key", "veto", 2)]


def test_blank_columns_veto_at_five_warn_at_two():
    rows = [col(i, "基础信息", None, items=0) for i in range(2)] + [col(7, "基础信息", OLD, items=1)]
    found = blank_count.check(facts(rows), AS_OF, blank_count.META.settings({}))
    assert [(f.severity, f.data["count"]) for f in found] == [("advisory", 2)]
    rows = [col(i, "基础信息", None, items=0) for i in range(5)]
    assert [f.severity for f in blank_count.check(facts(rows), AS_OF, blank_count.META.settings({}))] == ["veto"]


def test_reminder_lists_columns_going_stale_within_three_days():
    rows = [col(1, "动态要闻", date(2026, 11, 6)),     # last fresh day today: stale tomorrow
            col(2, "动态要闻", date(2026, 11, 9)),     # stale on 11-24: 4 days away, not listed
            col(3, "通知公告", date(2026, 5, 22)),     # 6 months: stale on 11-23
            col(4, "动态要闻", date(2026, 11, 1)),     # already stale: not a reminder
            col(5, "动态要闻", None, items=0)]         # blank: not a reminder
    due = due_columns(facts(rows), AS_OF, days=3)
    assert list(zip(due["name"], due["due_date"], due["days_left"])) == [
        ("栏目1", date(2026, 11, 21), 1), ("栏目3", date(2026, 11, 23), 3)]
