"""The three backbone rules on hand-made facts: boundaries, undated items, blank shapes, 专栏."""
from datetime import date

import pandas as pd
import pytest

from rules import column_blank, column_stale
from rules.facts import RunFacts
from rules.registry import all_rules

AS_OF = date(2026, 11, 20)
CONFIG = {
    "update_classes": {"动态要闻": "两周", "通知公告": "半年", "政策文件": "半年", "基础信息": "每年"},
    "sites": [{"id": "jyj", "name": "青溪区教育局", "department": "jyj", "scope": ["/jyj/"]},
              {"id": "mzj", "name": "青溪区民政局", "department": "mzj", "scope": ["/mzj/"]}],
    "rules": {},
}
WINDOWS = {"动态要闻": "14天", "通知公告": "6个月", "政策文件": "6个月", "基础信息": "1年"}


def col(name, update_class, latest, items=5, undated=0, placeholder=False, fetched=True, site="jyj"):
    return {"site_id": site, "department_id": site, "name": name, "url": f"http://x/{site}/{name}/",
            "update_class": update_class, "window": WINDOWS[update_class], "latest_date": latest,
            "latest_source": "list" if latest else None, "item_count": items, "undated_count": undated,
            "placeholder": placeholder, "fetched": fetched, "shape": "html_list"}


def facts(rows, texts=()):
    return RunFacts(run_id=1, config=CONFIG, columns=pd.DataFrame(rows),
                    site_texts=pd.DataFrame(list(texts), columns=["site_id", "text", "url", "source"]))


def names(findings):
    return sorted(f.column for f in findings)


def test_stale_boundaries_per_class():
    rows = [col("工作动态", "动态要闻", date(2026, 11, 6)),        # exactly 14 days: fresh
            col("教育动态", "动态要闻", date(2026, 11, 5)),        # 15 days: stale
            col("通知公告", "通知公告", date(2026, 5, 20)),        # exactly 6 months: fresh
            col("公示公告", "通知公告", date(2026, 5, 19)),        # stale
            col("人事信息", "基础信息", date(2025, 11, 20)),       # exactly 1 year: fresh
            col("规划计划", "基础信息", date(2025, 11, 19))]       # stale
    found = column_stale.check(facts(rows), AS_OF, {})
    assert names(found) == ["公示公告", "教育动态", "规划计划"]
    by_name = {f.column: f for f in found}
    assert by_name["公示公告"].detail == "栏目「公示公告」更新至2026年5月19日，已超过6个月未更新（距检查日185天）"
    assert by_name["教育动态"].data["days_since"] == 15 and by_name["教育动态"].severity == "deduct"


def test_undated_column_counts_as_not_updated():
    found = column_stale.check(facts([col("政策解读", "基础信息", None, items=4, undated=4)]), AS_OF, {})
    assert [f.detail for f in found] == ["栏目「政策解读」共4条信息均无发布日期，视为未更新（更新要求1年）"]


def test_blank_and_unfetched_columns_are_not_stale():
    rows = [col("空栏目", "动态要闻", None, items=0), col("占位", "通知公告", None, items=0, placeholder=True),
            col("打不开", "动态要闻", None, items=0, fetched=False)]
    assert column_stale.check(facts(rows), AS_OF, {}) == []


def test_blank_columns():
    rows = [col("空栏目", "动态要闻", None, items=0), col("占位", "通知公告", None, items=0, placeholder=True),
            col("单条", "通知公告", date(2026, 11, 1), items=1), col("打不开", "动态要闻", None, items=0, fetched=False)]
    found = column_blank.check(facts(rows), AS_OF, {})
    assert names(found) == ["占位", "空栏目"]
    assert {f.column: f.evidence for f in found} == {"占位": "暂无信息", "空栏目": "栏目无信息"}


def test_registry_lists_rules_with_metadata():
    ids = [m.META.id for m in all_rules()]
    assert {"column_stale", "column_blank", "section_missing"} <= set(ids)
    for module in all_rules():
        assert module.META.title and module.META.source and module.META.confidence in "CPU"


def test_rule_meta_rejects_unknown_category():
    from rules.base import RuleMeta
    with pytest.raises(AssertionError):
        RuleMeta(id="x", title="x", category="nonsense", severity="veto", indicator="", source="", confidence="C")
