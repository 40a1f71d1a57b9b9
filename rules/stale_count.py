"""单项否决·栏目不更新 (V3/V4): site-level counts of stale columns, with an early warning.

V3 counts key columns (动态要闻 2 weeks, 通知公告/政策文件 6 months; the 一级栏目 restriction of
19号 is not applied because column depth is not yet known) and vetoes at 5; V4 counts every
stale column and vetoes at 10. The warnings (key 3, all 6) come before the veto: 6 is the
vendors' figure, 3 is a local default.
"""
from __future__ import annotations

from datetime import date

from rules.base import Finding, RuleMeta, count_detail, count_severity
from rules.column_stale import stale_columns
from rules.facts import RunFacts

META = RuleMeta(
    id="stale_count",
    title="栏目不更新数量",
    category="column_stale",
    severity="veto",
    indicator="单项否决·栏目不更新",
    source="国办秘函〔2019〕19号",
    confidence="C",
    aggregate=True,
    identity=("site_id", "data.scope"),      # one verdict per site and scope, whatever the count
    threshold={"key_classes": ["动态要闻", "通知公告", "政策文件"], "key_veto": 5, "key_warning": 3,
               "all_veto": 10, "all_warning": 6},
    description="动态要闻、通知公告、政策文件类栏目不更新累计达5个，或应更新栏目不更新累计达10个，单项否决；"
                "预警阈值（3个、6个）为本地默认值。",
)


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    stale = stale_columns(facts, as_of)
    findings = []
    for site_id, group in stale.groupby("site_id"):
        site = facts.sites[site_id]
        key = group[group["update_class"].isin(settings["key_classes"])]
        counts = (("key", key, "重点栏目（动态要闻、通知公告、政策文件类）未按期更新", settings["key_veto"], settings["key_warning"]),
                  ("all", group, "栏目未按期更新", settings["all_veto"], settings["all_warning"]))
        for scope, frame, what, veto_at, warn_at in counts:
            names = list(frame.drop_duplicates("url")["name"].fillna("未命名栏目"))
            severity = count_severity(len(names), veto_at, warn_at)
            if severity:
                findings.append(Finding.of(
                    META, severity=severity, department_id=site["department"], site_id=site_id,
                    evidence=f"{len(names)}个", detail=count_detail(site["name"], what, names, severity, veto_at),
                    data={"scope": scope, "count": len(names), "veto_at": veto_at, "warning_at": warn_at,
                          "columns": list(frame.drop_duplicates("url")["url"])}))
    return findings
