"""专栏缺失: every section offers the items its readers are owed.

Groups of items (each item = a name and the keywords that show it is offered):

* 政府信息公开专栏 (``items``): 政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报
  (《政府信息公开条例》2019; the column name rule 国办公开办函〔2019〕61号);
* 概况信息 (``profile_items``): 机构职能、领导信息 (19号 checks them; points unknown);
* 自定义栏目 (``extra_items``): any mapping name → keywords a supervisor adds in the config; always
  checked when given.

``groups`` selects which of the two built-in groups are checked (default: only 政府信息公开专栏;
add "概况信息" to check 机构职能/领导信息).

An item counts as offered when the section's own pages link to it, or a column or page of
the section carries its name. The portal's shared navigation does not count for a
department (a department's 专栏 must be its own), see rules.facts.
"""
from __future__ import annotations

from datetime import date

from rules.base import Finding, RuleMeta
from rules.facts import RunFacts

DISCLOSURE = "政府信息公开专栏"
PROFILE = "概况信息"
CUSTOM = "自定义栏目"

META = RuleMeta(
    id="section_missing",
    title="政府信息公开专栏及概况信息内容缺失",
    category="section_missing",
    severity="deduct",
    indicator="政府信息公开专栏；概况信息",
    source="《政府信息公开条例》(2019)；国办公开办函〔2019〕61号；国办秘函〔2019〕19号（概况信息）",
    confidence="P",
    identity=("site_id", "data.group", "data.item"),
    threshold={
        "items": {
            "政府信息公开指南": ["信息公开指南", "公开指南"],
            "政府信息公开制度": ["信息公开制度", "公开制度"],
            "法定主动公开内容": ["法定主动公开", "主动公开内容"],
            "政府信息公开年报": ["信息公开年报", "信息公开工作年度报告", "公开年报", "年度报告"],
        },
        "profile_items": {
            "机构职能": ["机构职能", "部门职责", "主要职责", "职能职责", "职能配置", "机构设置", "机构概况"],
            "领导信息": ["领导信息", "领导简介", "领导之窗", "领导分工", "单位领导", "领导班子", "现任领导",
                     "政府领导"],
        },
        "groups": [DISCLOSURE],
        "extra_items": {},
        "note": "概况信息（机构职能、领导信息）扣分分值国家未明确，默认不检查，需在 groups 中加入“概况信息”启用",
    },
    description="政府信息公开专栏应提供政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报；"
                "可选检查概况信息（机构职能、领导信息）及自定义栏目。",
)


def checked_items(settings: dict) -> list[tuple[str, str, list[str]]]:
    """(group, item, keywords) in reporting order, per the settings."""
    groups = list(settings.get("groups") or [])
    out = []
    if DISCLOSURE in groups:
        out += [(DISCLOSURE, item, list(words)) for item, words in (settings.get("items") or {}).items()]
    if PROFILE in groups:
        out += [(PROFILE, item, list(words)) for item, words in (settings.get("profile_items") or {}).items()]
    for item, words in (settings.get("extra_items") or {}).items():
        words = [words] if isinstance(words, str) else list(words or [])
        out.append((CUSTOM, item, words or [item]))    # no keywords: the name itself
    return out


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    findings = []
    wanted = checked_items(settings)
    for site_id, site in facts.sites.items():
        texts = list(facts.site_texts.loc[facts.site_texts["site_id"] == site_id, "text"].dropna())
        texts += list(facts.columns.loc[facts.columns["site_id"] == site_id, "name"].dropna())
        for group, item, keywords in wanted:
            if not any(word in text for text in texts for word in keywords if word):
                findings.append(Finding.of(
                    META, department_id=site["department"], site_id=site_id, evidence=item,
                    detail=f"{group}未提供「{item}」", data={"group": group, "item": item, "keywords": keywords}))
    return findings
