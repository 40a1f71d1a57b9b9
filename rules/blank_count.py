"""单项否决·空白栏目 (V5): 5 blank columns on a site is a veto; 2 gives the early warning vendors use."""
from __future__ import annotations

from datetime import date

from rules.base import Finding, RuleMeta, count_detail, count_severity
from rules.column_blank import blank_columns
from rules.facts import RunFacts

META = RuleMeta(
    id="blank_count",
    title="空白栏目数量",
    category="column_blank",
    severity="veto",
    indicator="单项否决·空白栏目",
    source="国办秘函〔2019〕19号",
    confidence="C",
    aggregate=True,
    identity=("site_id",),                   # one verdict per site, whatever the count
    threshold={"veto": 5, "warning": 2},
    description="空白栏目累计达5个，单项否决；达到2个时预警（厂商通行做法）。",
)


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    findings = []
    for site_id, group in blank_columns(facts).groupby("site_id"):
        site = facts.sites[site_id]
        names = list(group.drop_duplicates("url")["name"].fillna("未命名栏目"))
        severity = count_severity(len(names), settings["veto"], settings["warning"])
        if severity:
            findings.append(Finding.of(
                META, severity=severity, department_id=site["department"], site_id=site_id, evidence=f"{len(names)}个",
                detail=count_detail(site["name"], "空白栏目", names, severity, settings["veto"]),
                data={"count": len(names), "veto_at": settings["veto"], "warning_at": settings["warning"],
                      "columns": list(group.drop_duplicates("url")["url"])}))
    return findings
