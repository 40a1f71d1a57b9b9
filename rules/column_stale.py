"""栏目不更新: a column with nothing new within its update class's window.

A column is stale when its latest item date is strictly before ``as_of − window`` (so a
14-day column whose latest item is exactly 14 days old is still fresh), or when none of its
items carries a date at all (undated counts as not updated, domain.md §3.1). Blank columns
are left to column_blank.
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from rules.base import Finding, RuleMeta, as_date, cn_date
from rules.facts import RunFacts

META = RuleMeta(
    id="column_stale",
    title="栏目不更新",
    category="column_stale",
    severity="deduct",
    indicator="单项否决·栏目不更新 / 扣分·栏目更新不及时",
    source="国办秘函〔2019〕19号",
    confidence="C",
    threshold={"windows": "update_classes (动态要闻 两周, 通知公告/政策文件 半年, 基础信息 每年)"},
    description="动态要闻类栏目2周、通知公告与政策文件类栏目6个月、其他基础信息类栏目1年内无更新；无发布日期的信息视为未更新。",
)




def stale_columns(facts: RunFacts, as_of: date) -> pd.DataFrame:
    """Non-blank fetched columns past their window, with `since` (window start), `latest`
    and `days_since` (None when every item is undated)."""
    frame = facts.columns
    frame = frame[frame["fetched"].astype(bool) & (frame["item_count"] > 0) & ~frame["placeholder"].astype(bool)].copy()
    frame["since"] = frame["update_class"].map(lambda cls: facts.windows[cls].start(as_of))
    frame["latest"] = frame["latest_date"].map(as_date).astype(object)
    mask = pd.Series([latest is None or latest < since for latest, since in zip(frame["latest"], frame["since"])],
                     index=frame.index, dtype=bool)
    stale = frame.loc[mask].copy()
    stale["days_since"] = pd.Series([(as_of - d).days if d else None for d in stale["latest"]],
                                    index=stale.index, dtype=object)
    return stale


def _detail(row) -> str:
    if row.latest is None:
        return f"栏目「{row.name}」共{row.item_count}条信息均无发布日期，视为未更新（更新要求{row.window}）"
    return (f"栏目「{row.name}」更新至{cn_date(row.latest)}，已超过{row.window}未更新"
            f"（距检查日{row.days_since}天）")


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    return [
        Finding.of(META, department_id=row.department_id, site_id=row.site_id, column=row.name, url=row.url,
                   evidence=f"最新信息日期：{row.latest.isoformat() if isinstance(row.latest, date) else '无'}",
                   detail=_detail(row),
                   data={"latest_date": row.latest.isoformat() if isinstance(row.latest, date) else None,
                         "latest_source": row.latest_source, "update_class": row.update_class,
                         "window": row.window, "since": row.since.isoformat(), "days_since": row.days_since,
                         "item_count": int(row.item_count), "undated_count": int(row.undated_count)})
        for row in stale_columns(facts, as_of).itertuples()
    ]


def due_columns(facts: RunFacts, as_of: date, days: int = 3) -> pd.DataFrame:
    """The 临期提醒: columns fresh as of `as_of` that go stale within `days` days, with the
    first day they count as stale (`due_date`) and the days left."""
    frame = facts.columns
    frame = frame[frame["fetched"].astype(bool) & (frame["item_count"] > 0) & ~frame["placeholder"].astype(bool)].copy()
    frame["latest"] = frame["latest_date"].map(as_date).astype(object)
    frame = frame[frame["latest"].map(lambda d: d is not None).astype(bool)]   # bool even when empty
    due = []
    for row in frame.itertuples():
        window = facts.windows[row.update_class]
        stale_days = [as_of + timedelta(days=n) for n in range(0, days + 1)
                      if row.latest < window.start(as_of + timedelta(days=n))]
        due.append(stale_days[0] if stale_days and stale_days[0] > as_of else None)
    frame["due_date"] = pd.Series(due, index=frame.index, dtype=object)
    frame = frame[frame["due_date"].notna()].copy()
    frame["days_left"] = [(d - as_of).days for d in frame["due_date"]]
    return frame.sort_values(["due_date", "site_id", "url"])
