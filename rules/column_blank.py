"""空白栏目: a column page with no items, or a "暂无信息"-style placeholder where items would be."""
from __future__ import annotations

from datetime import date

import pandas as pd

from rules.base import Finding, RuleMeta
from rules.facts import RunFacts

META = RuleMeta(
    id="column_blank",
    title="空白栏目",
    category="column_blank",
    severity="deduct",
    indicator="单项否决·空白栏目",
    source="国办秘函〔2019〕19号",
    confidence="C",
    threshold={},
    description="栏目无任何信息，或仅显示“暂无信息”等占位内容。",
)


def blank_columns(facts: RunFacts) -> pd.DataFrame:
    """Fetched columns with no items or a placeholder."""
    frame = facts.columns
    return frame[frame["fetched"].astype(bool) & ((frame["item_count"] == 0) | frame["placeholder"].astype(bool))]


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    blank = blank_columns(facts)
    return [
        Finding.of(META, department_id=row.department_id, site_id=row.site_id, column=row.name, url=row.url,
                   evidence="暂无信息" if row.placeholder else "栏目无信息",
                   detail=f"栏目「{row.name}」为空白栏目（{'显示“暂无信息”' if row.placeholder else '无任何信息'}）",
                   data={"item_count": int(row.item_count), "placeholder": bool(row.placeholder), "shape": row.shape})
        for row in blank.itertuples()
    ]
