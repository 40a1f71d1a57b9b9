"""What every rule is: declarative metadata plus a pure check over stored facts.

A rule module defines ``META`` (a `RuleMeta`) and ``check(facts, as_of, settings)`` returning
`Finding`s. It reads facts (never fetches) and knows nothing about reports. Adding a rule
is adding one module here and its test; `rules.registry` finds it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import pandas as pd

#: Finding categories (the public list; docs/cli.md documents it).
CATEGORIES = ("availability", "homepage_stale", "column_stale", "column_blank", "section_missing",
              "annual_report", "privacy", "dead_link", "unverifiable_link", "integrity", "identity",
              "interpretation", "timeliness", "expression", "forged_date")
SEVERITIES = ("veto", "deduct", "advisory")
SEVERITY_TITLES = {"veto": "单项否决", "deduct": "扣分", "advisory": "提示"}
#: Finding fields a rule's `identity` may name (besides `data.<key>`).
IDENTITY_FIELDS = ("department_id", "site_id", "column", "url", "evidence")
#: One problem per site and URL (the column, the link target, the document, the page).
DEFAULT_IDENTITY = ("site_id", "url")
CATEGORY_TITLES = {
    "availability": "站点无法访问", "homepage_stale": "首页不更新", "column_stale": "栏目不更新",
    "column_blank": "空白栏目", "section_missing": "专栏缺失", "annual_report": "年度报告问题",
    "privacy": "个人信息泄露", "dead_link": "链接不可用", "unverifiable_link": "链接无法核验",
    "integrity": "暗链与篡改", "identity": "网站标识问题", "interpretation": "政策解读问题",
    "timeliness": "发布不及时", "expression": "严重表述错误", "forged_date": "发稿日期异常",
}


@dataclass(frozen=True)
class RuleMeta:
    id: str
    title: str                 # Chinese title shown to users
    category: str              # one of CATEGORIES
    severity: str              # veto | deduct | advisory (of one finding)
    indicator: str             # the 19号 indicator it belongs to
    source: str                # 文号 of the rule
    confidence: str            # C confirmed · P very likely · U unconfirmed local default
    threshold: dict[str, Any] = field(default_factory=dict)   # defaults; config `rules.<id>` overrides
    description: str = ""
    aggregate: bool = False    # a site-level verdict over other findings (a count), not a problem of its own
    #: What makes two findings of this rule "the same problem" across runs (the ledger's fingerprint):
    #: Finding fields and `data.<key>` entries. Never name evidence that changes from run to run
    #: (a latest date, a count). `govaudit.ledger.fingerprint` hashes the rule id and these values.
    identity: tuple[str, ...] = DEFAULT_IDENTITY

    def __post_init__(self):
        assert self.category in CATEGORIES, self.category
        assert self.severity in SEVERITIES, self.severity
        assert self.confidence in ("C", "P", "U"), self.confidence
        assert self.identity and all(f in IDENTITY_FIELDS or f.startswith("data.") for f in self.identity), \
            self.identity

    def settings(self, overrides: dict[str, Any] | None) -> dict[str, Any]:
        return {**self.threshold, **(overrides or {})}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Finding:
    rule: str
    category: str
    severity: str
    department_id: str | None
    site_id: str | None
    column: str | None = None
    url: str | None = None
    evidence: str | None = None     # short, masked where personal
    detail: str = ""                # the Chinese sentence a bulletin prints
    data: dict[str, Any] = field(default_factory=dict)   # facts the judgement used

    @classmethod
    def of(cls, meta: RuleMeta, **fields) -> "Finding":
        """A finding of `meta`'s rule; `severity` may be given to downgrade (e.g. an early warning)."""
        fields.setdefault("severity", meta.severity)
        return cls(rule=meta.id, category=meta.category, **fields)


def count_severity(count: int, veto_at: int, warn_at: int | None) -> str | None:
    """'veto' once a site-level count reaches its veto threshold, 'advisory' (the early warning
    vendors give, domain.md §3.1) from `warn_at`, else None."""
    if count >= veto_at:
        return "veto"
    if warn_at is not None and count >= warn_at:
        return "advisory"
    return None


def count_detail(site_name: str, what: str, names: list[str], severity: str, veto_at: int) -> str:
    """'…有N个X（「a」「b」…），达到单项否决标准（M个）' or the early-warning wording."""
    listed = "".join(f"「{n}」" for n in names[:8]) + ("等" if len(names) > 8 else "")
    if severity == "veto":
        return f"{site_name}共有{len(names)}个{what}（{listed}），达到单项否决标准（{veto_at}个）"
    return (f"{site_name}已有{len(names)}个{what}（{listed}），距单项否决标准（{veto_at}个）"
            f"仅差{veto_at - len(names)}个，请及时整改")


def as_date(value) -> date | None:
    """A stored date (date, Timestamp, ISO string, None/NaN) as a `date` or None."""
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    return value if isinstance(value, date) else pd.Timestamp(value).date()


def cn_date(value: date) -> str:
    """2026年5月3日 — how bulletins and notices write a date."""
    return f"{value.year}年{value.month}月{value.day}日"
