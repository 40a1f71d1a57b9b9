"""专栏缺失: the four items of the 政府信息公开专栏 are offered by every section.

An item counts as offered when the section's own pages link to it, or a column or page of
the section carries its name. The portal's shared navigation does not count for a
department (a department's 专栏 must be its own), see rules.facts.
"""
from __future__ import annotations

from datetime import date

from rules.base import Finding, RuleMeta
from rules.facts import RunFacts

META = RuleMeta(
    id="section_missing",
    title="政府信息公开专栏内容缺失",
    category="section_missing",
    severity="deduct",
    indicator="政府信息公开专栏",
    source="《政府信息公开条例》(2019)；国办公开办函〔2019〕61号",
    confidence="P",
    threshold={"items": {
        "政府信息公开指南": ["信息公开指南", "公开指南"],
        "政府信息公开制度": ["信息公开制度", "公开制度"],
        "法定主动公开内容": ["法定主动公开", "主动公开内容"],
        "政府信息公开年报": ["信息公开年报", "信息公开工作年度报告", "公开年报", "年度报告"],
    }},
    description="政府信息公开专栏应提供政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报。",
)


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    findings = []
    for site_id, site in facts.sites.items():
        texts = list(facts.site_texts.loc[facts.site_texts["site_id"] == site_id, "text"])
        texts += list(facts.columns.loc[facts.columns["site_id"] == site_id, "name"].dropna())
        for item, keywords in settings["items"].items():
            if not any(word in text for text in texts for word in keywords):
                findings.append(Finding.of(
                    META, department_id=site["department"], site_id=site_id, evidence=item,
                    detail=f"政府信息公开专栏未提供「{item}」", data={"item": item, "keywords": keywords}))
    return findings
