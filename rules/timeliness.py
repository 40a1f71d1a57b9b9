"""信息发布时效: a document published more than 20 working days after it was made.

条例 Art. 26 (domain.md §3.3): proactively disclosed information is published within 20 working
days of being made (形成); 国办发〔2018〕118号 asks 行政许可/行政处罚 decisions to be published within
7 working days of the decision (P). Working days follow the official calendar with its 调休
make-up days (`govaudit.workdays`, data from the chinesecalendar package).

Judged pages: fetched (status 200) article pages with both a 成文日期 (``pages.written``: the
crawler's 成文日期/印发日期 label, 落款 or 版记 date) and a publication date (``pages.published``).
The lag is the number of working days after the written date up to and including the
publication date; a page is a finding when the lag exceeds its limit:

* ``decision_max_working_days`` (7) when the page title, its own column name, or the name of a
  column listing it (``list_items`` on a column's first page → ``columns.name``, or the list
  page's own ``column_name``, which covers later pagination pages) contains one of
  ``decision_keywords``;
* ``max_working_days`` (20) otherwise.

A lag exactly at the limit is on time. A page published *before* its written date is a data
problem (a wrong date on the page or a wrong reading by the crawler), not a late publication:
it is skipped, no finding. When a day of the interval lies outside the calendar data, that part
is counted Monday–Friday (an upper bound: holidays are not subtracted) and a finding over the
limit is downgraded to ``advisory`` with a note saying so.

One finding per page: the section that owns the page (start page or scope), else the one
section that reached it, else the first reaching section in config order (the others are in
``data["also_sites"]``). Points per finding are a local default (``note``).
"""
from __future__ import annotations

import re
from datetime import date

import pandas as pd

from govaudit.workdays import count_working_days
from rules.base import Finding, RuleMeta, as_date, cn_date
from rules.facts import RunFacts

META = RuleMeta(
    id="timeliness",
    title="信息发布不及时",
    category="timeliness",
    severity="deduct",
    indicator="信息发布时效",
    source="《政府信息公开条例》第二十六条；国办发〔2018〕118号",
    confidence="P",
    threshold={
        "max_working_days": 20,
        "decision_max_working_days": 7,
        "decision_keywords": ["行政许可", "行政处罚", "许可决定", "处罚决定"],
        "note": "扣分分值为本地默认值",
    },
    description="主动公开的政府信息应自形成之日起20个工作日内公开；行政许可、行政处罚决定信息应在"
                "7个工作日内公开。按成文日期至发布日期之间的法定工作日（含调休上班日）计算；"
                "发布日期早于成文日期的页面视为日期数据有误，不作判断。扣分分值为本地默认值。",
)

_OWNED = ("start", "scope")
_TITLE_SPLIT = re.compile(r"\s*(?:_|｜|\|| - | — )\s*")




def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _doc_title(title: str) -> str:
    """The document's own title: the first piece of "标题_栏目_网站"."""
    first = next((piece for piece in _TITLE_SPLIT.split(title) if piece.strip()), "")
    return first.strip()


def _column_names(facts: RunFacts) -> dict[str, list[str]]:
    """Article URL -> names of the columns whose list pages list it."""
    items = facts.list_items.dropna(subset=["url", "page_url"])
    if items.empty:
        return {}
    names_of_list: dict[str, list[str]] = {}
    columns = facts.columns.dropna(subset=["url", "name"])
    for url, name in zip(columns["url"], columns["name"]):
        names_of_list.setdefault(url, []).append(name)
    pages = facts.pages.dropna(subset=["url"])
    for url, name in zip(pages["url"], pages["column_name"]):
        if _text(name) and name not in names_of_list.get(url, []):
            names_of_list.setdefault(url, []).append(_text(name))
    out: dict[str, list[str]] = {}
    for list_url, url in zip(items["page_url"], items["url"]):
        for name in names_of_list.get(list_url, ()):
            if name not in out.setdefault(url, []):
                out[url].append(name)
    return out


def _site_of(facts: RunFacts) -> dict[str, tuple[str, list[str]]]:
    """Page URL -> (site id, other sites that reached it), see module doc."""
    order = {site_id: i for i, site_id in enumerate(facts.sites)}
    attributed = facts.page_sites.dropna(subset=["page_url", "site_id"])
    reached: dict[str, list[tuple[bool, int, str]]] = {}
    for page_url, site_id, how in zip(attributed["page_url"], attributed["site_id"], attributed["how"]):
        reached.setdefault(page_url, []).append((how not in _OWNED, order.get(site_id, len(order)), site_id))
    out = {}
    for page_url, candidates in reached.items():
        candidates.sort()
        chosen = candidates[0][2]
        others = [] if not candidates[0][0] else sorted({c[2] for c in candidates[1:] if c[2] != chosen},
                                                        key=lambda s: order.get(s, len(order)))
        out[page_url] = (chosen, others)
    return out


def _decision_keyword(texts: list[str], keywords: list[str]) -> tuple[str, str] | None:
    """(keyword, where it matched) for the first text containing a decision keyword."""
    for text in texts:
        for word in keywords:
            if word and word in text:
                return word, text
    return None


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    settings = META.settings(settings)
    normal_limit = int(settings["max_working_days"])
    decision_limit = int(settings["decision_max_working_days"])
    keywords = [w for w in settings["decision_keywords"] if isinstance(w, str) and w]

    pages = facts.pages
    status = pd.to_numeric(pages["status"], errors="coerce")
    pages = pages[(status == 200) & (pages["kind"] == "article")].drop_duplicates("url")
    if pages.empty:
        return []
    listed_in = _column_names(facts)
    sites = _site_of(facts)

    findings = []
    for row in pages.sort_values("url").itertuples():
        written, published = as_date(row.written), as_date(row.published)
        if written is None or published is None or published < written:
            continue
        title = _doc_title(_text(row.title))
        column = _text(row.column_name)
        columns = ([column] if column else []) + [c for c in listed_in.get(row.url, []) if c != column]
        decision = _decision_keyword([title] + columns, keywords)
        limit = decision_limit if decision else normal_limit
        lag = count_working_days(written, published)
        if lag.days <= limit:
            continue
        site_id, others = sites.get(row.url, (None, []))
        site = facts.sites.get(site_id, {}) if site_id else {}
        named = f"《{title}》" if title else f"页面{row.url}"
        kind = "（行政许可、行政处罚决定信息）" if decision else ""
        detail = (f"{named}成文于{cn_date(written)}，{cn_date(published)}才发布，间隔{lag.days}个工作日，"
                  f"超过{limit}个工作日的时限{kind}")
        if not lag.official:
            detail += f"；{lag.note}"
        data = {"title": title or None, "written": written.isoformat(), "published": published.isoformat(),
                "published_source": row.published_source if isinstance(row.published_source, str) else None,
                "working_days": lag.days, "calendar_days": (published - written).days, "limit": limit,
                "decision": bool(decision), "decision_keyword": decision[0] if decision else None,
                "decision_matched": decision[1] if decision else None,
                "calendar": lag.calendar, "official_calendar": lag.official, "note": settings.get("note")}
        if others:
            data["also_sites"] = others
        findings.append(Finding.of(
            META, severity=META.severity if lag.official else "advisory",
            department_id=site.get("department"), site_id=site_id, column=columns[0] if columns else None,
            url=row.url, evidence=f"成文日期：{written.isoformat()}；发布日期：{published.isoformat()}",
            detail=detail, data=data))
    return findings
