"""首页不更新 (V2): nothing new on a site's homepage for two weeks.

The homepage is the site's first start URL; the crawl stores the dated entries of every list
block on it (``hub_items``: 要闻, 通知公告, 部门动态 …). Per site, the newest of them is compared
with as_of: a veto when it is more than ``days`` (14) days old, an early warning (advisory) when
more than ``warn_days`` (10). Dates after as_of are not evidence of an update and are ignored.

A homepage without any dated entry is a navigation page: domain.md §3.1 then asks whether its
second-level pages have anything new, so the newest item of the site's columns the homepage
links to stands in for it (and the detail says so). Nothing dated on the homepage nor in those
columns counts as not updated (undated items count as not updated, domain.md §3.1): a veto.
A homepage that did not load is left to ``availability``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from crawler.scope import normalize_url
from rules.base import Finding, RuleMeta, as_date, cn_date
from rules.facts import RunFacts

META = RuleMeta(
    id="homepage_stale",
    title="首页不更新",
    category="homepage_stale",
    severity="veto",
    indicator="单项否决·首页不更新",
    source="国办秘函〔2019〕19号",
    confidence="C",
    identity=("site_id",),
    threshold={"days": 14, "warn_days": 10, "note": "提前预警天数（10天）为服务商常用预警值"},
    description="首页2周内无新信息为单项否决（首页仅为导航页的，以其链接的二级栏目均无更新计）；"
                "无发布日期的信息视为未更新；超过10天未更新提前预警。",
)


@dataclass
class Newest:
    """The newest dated item found for a site, and where it was found."""
    source: str                      # homepage | columns | none
    date: date | None = None
    title: str | None = None         # the item's title (homepage) or the column's name (columns)
    url: str | None = None
    block_title: str | None = None
    homepage_items: int = 0          # dated entries on the homepage
    linked_columns: int | None = None   # columns of the site the homepage links to (navigation homepage only)


def homepage_url(site: dict) -> str:
    return normalize_url(site["start_urls"][0])


def _loaded(facts: RunFacts, url: str) -> bool:
    rows = facts.pages[facts.pages["url"] == url]
    status = pd.to_numeric(rows["status"], errors="coerce")
    return bool(((status < 400) & (rows["kind"] != "error")).any())


def _dated(frame: pd.DataFrame, column: str, as_of: date) -> pd.DataFrame:
    """Rows whose `column` is a date on or before as_of, newest first (stable for ties)."""
    frame = frame.assign(day=frame[column].map(as_date))
    frame = frame.loc[frame["day"].map(lambda d: d is not None and d <= as_of).astype(bool)]
    return frame.sort_values("day", ascending=False, kind="stable")


def newest_item(facts: RunFacts, site_id: str, home: str, as_of: date) -> Newest:
    """The newest dated homepage entry, else the newest item of the columns the homepage links to."""
    entries = facts.hub_items[facts.hub_items["page_url"] == home].sort_values(["block", "position"])
    dated = _dated(entries, "date", as_of)
    if not dated.empty:
        top = dated.iloc[0]
        block = top["block_title"] if isinstance(top["block_title"], str) else None
        return Newest("homepage", top["day"], top["title"], top["url"], block, homepage_items=len(dated))
    links = facts.links
    shown = links[(links["page_url"] == home) & (links["context"] == "a") & ~links["hidden"].fillna(False).astype(bool)]
    columns = facts.columns
    linked = columns[(columns["site_id"] == site_id) & columns["url"].isin(set(shown["url"]))
                     & columns["fetched"].fillna(False).astype(bool)].drop_duplicates("url")
    latest = _dated(linked, "latest_date", as_of)
    if latest.empty:
        return Newest("none", linked_columns=len(linked))
    top = latest.iloc[0]
    return Newest("columns", top["day"], top["name"], top["url"], linked_columns=len(linked))


def _severity(age: int | None, settings: dict) -> str | None:
    if age is None or age > int(settings["days"]):
        return "veto"
    if age > int(settings["warn_days"]):
        return "advisory"
    return None


def _detail(newest: Newest, age: int | None, severity: str, settings: dict) -> str:
    days = int(settings["days"])
    if newest.source == "none":
        where = (f"其链接的{newest.linked_columns}个栏目也无带发布日期的信息" if newest.linked_columns
                 else "且未发现其链接的栏目")
        return f"首页无带发布日期的信息，{where}，视为未更新，达到单项否决标准（{days}天）"
    if newest.source == "homepage":
        block = f"「{newest.block_title}」板块" if newest.block_title else ""
        head = f"首页最新信息为{block}「{newest.title}」，发布于{cn_date(newest.date)}"
    else:
        head = (f"首页无带发布日期的信息（导航型首页），以其链接的{newest.linked_columns}个栏目计，"
                f"最新信息发布于{cn_date(newest.date)}（栏目「{newest.title}」）")
    if severity == "veto":
        return f"{head}，已{age}天未更新，超过{days}天，达到单项否决标准"
    return f"{head}，已{age}天未更新，再过{days + 1 - age}天将达到单项否决标准（{days}天），请及时更新"


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    findings = []
    for site_id, site in facts.sites.items():
        home = homepage_url(site)
        if not _loaded(facts, home):
            continue
        newest = newest_item(facts, site_id, home, as_of)
        age = (as_of - newest.date).days if newest.date else None
        severity = _severity(age, settings)
        if severity is None:
            continue
        findings.append(Finding.of(
            META, severity=severity, department_id=site.get("department"), site_id=site_id, url=home,
            evidence=f"最新信息日期：{newest.date.isoformat() if newest.date else '无'}",
            detail=_detail(newest, age, severity, settings),
            data={"source": newest.source, "newest_date": newest.date.isoformat() if newest.date else None,
                  "newest_title": newest.title, "newest_url": newest.url, "block_title": newest.block_title,
                  "days_since": age, "homepage_items": newest.homepage_items,
                  "linked_columns": newest.linked_columns, "days": int(settings["days"]),
                  "warn_days": int(settings["warn_days"])}))
    return findings
