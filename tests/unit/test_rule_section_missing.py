"""section_missing: the four 政府信息公开专栏 items, the opt-in 概况信息 items, custom sections."""
from datetime import date

import pandas as pd

from rules import section_missing
from rules.facts import RunFacts

AS_OF = date(2026, 11, 20)
CONFIG = {
    "update_classes": {"动态要闻": "两周", "通知公告": "半年", "政策文件": "半年", "基础信息": "每年"},
    "sites": [{"id": "jyj", "name": "青溪区教育局", "department": "jyj", "scope": ["/jyj/"]},
              {"id": "mzj", "name": "青溪区民政局", "department": "mzj", "scope": ["/mzj/"]}],
    "rules": {},
}
PROFILE = {"groups": ["政府信息公开专栏", "概况信息"]}
ALL_FOUR = [(site, text, f"u{site}{n}", "link") for site in ("jyj", "mzj") for n, text in enumerate(
    ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"])]


def col(name, site="jyj"):
    return {"site_id": site, "department_id": site, "name": name, "url": f"http://x/{site}/{name}/",
            "update_class": "基础信息", "window": "1年", "latest_date": date(2026, 1, 1), "latest_source": "list",
            "item_count": 5, "undated_count": 0, "placeholder": False, "fetched": True, "shape": "html_list"}


def facts(rows, texts=()):
    return RunFacts(run_id=1, config=CONFIG, columns=pd.DataFrame(rows, columns=list(col("x"))),
                    site_texts=pd.DataFrame(list(texts), columns=["site_id", "text", "url", "source"]))


def run(rows, texts, **overrides):
    return section_missing.check(facts(rows, texts), AS_OF, section_missing.META.settings(overrides))


def keys(findings):
    return sorted((f.site_id, f.evidence) for f in findings)


def test_section_items_found_in_own_links_columns_and_titles():
    texts = [("jyj", "政府信息公开指南", "u1", "link"), ("jyj", "政府信息公开制度", "u2", "link"),
             ("jyj", "青溪区教育局2025年政府信息公开工作年度报告", "u3", "title"),
             ("mzj", "信息公开指南", "u4", "link")]
    rows = [col("法定主动公开内容"), col("主动公开", site="mzj")]
    found = run(rows, texts)
    assert keys(found) == [("mzj", "政府信息公开制度"), ("mzj", "政府信息公开年报"), ("mzj", "法定主动公开内容")]
    assert {f.detail for f in found} >= {"政府信息公开专栏未提供「法定主动公开内容」"} and found[0].column is None
    assert all(f.data["group"] == "政府信息公开专栏" for f in found)


def test_section_keywords_are_configurable():
    found = run([], [("jyj", "2025年年报", "u", "link")], items={"政府信息公开年报": ["年报"]})
    assert [(f.site_id, f.evidence) for f in found] == [("mzj", "政府信息公开年报")]


def test_profile_items_are_opt_in():
    # Neither site offers 机构职能 or 领导信息, yet by default only the four 专栏 items are checked.
    assert run([], ALL_FOUR) == []


def test_profile_items_when_enabled():
    texts = ALL_FOUR + [("jyj", "机构职能", "a", "link"), ("jyj", "局领导之窗", "b", "link"),
                        ("mzj", "民政局主要职责", "c", "title"),
                        ("mzj", "市领导调研养老服务工作", "d", "title")]   # decoy: news about 领导, not 领导信息
    found = run([], texts, **PROFILE)
    assert keys(found) == [("mzj", "领导信息")]
    assert found[0].detail == "概况信息未提供「领导信息」"
    assert found[0].data["group"] == "概况信息" and found[0].data["item"] == "领导信息"


def test_profile_items_found_in_column_names():
    rows = [col("部门职责", site="mzj"), col("领导分工", site="mzj")]
    found = run(rows, ALL_FOUR, **PROFILE)
    assert keys(found) == [("jyj", "机构职能"), ("jyj", "领导信息")]
    assert {f.detail for f in found} == {"概况信息未提供「机构职能」", "概况信息未提供「领导信息」"}


def test_groups_can_select_only_profile():
    found = run([], [], groups=["概况信息"])
    assert keys(found) == [("jyj", "机构职能"), ("jyj", "领导信息"), ("mzj", "机构职能"), ("mzj", "领导信息")]


def test_extra_items_are_checked_with_their_group():
    texts = ALL_FOUR + [("jyj", "建议提案办理结果", "p", "link")]
    found = run([], texts, extra_items={"建议提案办理": ["建议提案", "提案办理"], "重点领域": []})
    assert keys(found) == [("jyj", "重点领域"), ("mzj", "建议提案办理"), ("mzj", "重点领域")]
    by_key = {(f.site_id, f.evidence): f for f in found}
    assert by_key[("mzj", "建议提案办理")].detail == "自定义栏目未提供「建议提案办理」"
    assert by_key[("mzj", "建议提案办理")].data["group"] == "自定义栏目"
    assert by_key[("jyj", "重点领域")].data["keywords"] == ["重点领域"]   # no keywords: the name itself
