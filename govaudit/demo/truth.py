"""The ground truth of the demo: what a correct crawl + audit of each week must report.

``generate()`` computes it from the demo data (:mod:`govaudit.demo.content`, the same data the
pages are rendered from): columns from their items and the update-class windows, site-level
counts from the column verdicts, documents' plants from :mod:`govaudit.demo.plants`, lags on
the official working-day calendar, the homepages from what they list, the annual reports from
their dates and layouts, availability from the flaky homepages and the probe schedule, forged
dates from what week 2 added. The rules' documented defaults it needs (thresholds, keyword
lists) are restated below, as the update classes are in :mod:`govaudit.demo.model`, so a rule
that drifts from its documentation fails the end-to-end test instead of rewriting the truth.

The result is committed as ``ground_truth.json`` with ``{portal}`` / ``{site}`` URL
placeholders; ``ground_truth(portal_url, site_url, week)`` loads one week with them filled in.
A finding is ``{rule, site, department, severity, url, item}``: ``url`` is None where the rule
names no single URL (counts, 专栏 items, footers), ``item`` tells apart findings of one rule and
site (the 专栏 item, the footer item, the count's scope, the 年报 check, the forged-date kind).
:func:`finding_key` makes the same key of a stored finding.

Regenerate after changing the demo data::

    .venv/bin/python -m govaudit.demo ground-truth          # rewrite ground_truth.json
    .venv/bin/python -m govaudit.demo ground-truth --check  # exit 1 if the file is out of date
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from govaudit.workdays import count_working_days

from . import texts
from .content import FLAKY, GOVERNMENT_SITES, PROBE_ROUNDS, build_portal
from .model import WEEKS, Column, Item, Site
from .plants import PLANTS, Plant
from .render import homepage_entries

GROUND_TRUTH_PATH = Path(__file__).with_name("ground_truth.json")

_HOST_PLACEHOLDER = {"portal": "{portal}", "site": "{site}"}

# -- the rules' documented defaults (docs/rules.md) -------------------------------------------
SEVERITY = {"column_stale": "deduct", "column_blank": "deduct", "section_missing": "deduct", "identity": "deduct",
            "interpretation": "deduct", "integrity": "veto", "expression": "veto", "privacy": "deduct",
            "dead_link": "deduct", "unverifiable_link": "advisory", "timeliness": "deduct",
            "annual_report": "deduct"}
KEY_CLASSES = ("动态要闻", "通知公告", "政策文件")
STALE_COUNTS = {"key": (5, 3), "all": (10, 6)}          # scope -> (veto at, warning at)
BLANK_COUNT = (5, 2)
POLICY_WORDS = ("办法", "规定", "意见", "方案", "细则", "规划", "条例", "决定", "实施", "政策", "措施", "指导")
NOT_POLICY_WORDS = ("公示", "会议", "任免", "任职", "表彰", "招聘", "录用", "名单", "通报", "征求意见", "解读")
LAG_LIMIT, DECISION_LAG_LIMIT = 20, 7
DECISION_WORDS = ("行政许可", "行政处罚", "许可决定", "处罚决定")
HOMEPAGE_DAYS, HOMEPAGE_WARN_DAYS = 14, 10
REPORT_DEADLINES = {True: (3, 31), False: (1, 31)}      # government? -> (month, day) of the next year
AVAILABILITY = (0.05, 0.03)                              # veto ratio, warning ratio
FORGED_TOLERANCE_DAYS, FORGED_FUTURE_DAYS, FORGED_MAX_NEW_IN_SLOT = 3, 1, 3
FORGED_SKIP_CLASSES = ("政策文件",)

#: Findings whose URL the truth does not pin (no single URL, or the first of many pages).
URL_FREE = {"stale_count", "blank_count", "section_missing", "identity"}
#: The `data` field that tells apart findings of one rule and site (the truth's ``item``).
ITEM_FIELD = {"section_missing": "item", "identity": "item", "stale_count": "scope", "annual_report": "check",
              "forged_date": "kind"}


def finding_key(rule: str, site: str | None, department: str | None, severity: str, url: str | None,
                data: dict) -> tuple:
    """The comparison key of a finding: the truth's rows and stored findings alike."""
    field = ITEM_FIELD.get(rule)
    return (rule, site, department, severity, None if rule in URL_FREE else url,
            data.get(field) if field else None)


def truth_key(row: dict) -> tuple:
    return finding_key(row["rule"], row["site"], row["department"], row["severity"], row["url"],
                       {ITEM_FIELD.get(row["rule"], "item"): row["item"]})


class _Week:
    """The truth of one week: its portal and the finding rows as they are computed."""

    def __init__(self, week: int):
        self.week, self.portal = week, build_portal(week)
        self.as_of = self.portal.as_of
        self.findings: list[dict[str, Any]] = []

    def url(self, site: Site, path: str) -> str:
        return _HOST_PLACEHOLDER[site.host] + path

    def add(self, rule: str, site: Site, url: str | None = None, item: str | None = None,
            severity: str | None = None) -> None:
        self.findings.append({"rule": rule, "site": site.id, "department": site.department,
                              "severity": severity or SEVERITY[rule], "url": url, "item": item})

    # -- columns and counts ----------------------------------------------------------------------
    def columns(self) -> list[dict[str, Any]]:
        rows = []
        for site in self.portal.sites:
            for column in self.portal.columns_of(site.id):
                url = self.url(self.portal.site(column.site), column.path)
                latest = column.latest
                rows.append({
                    "department": site.department, "site": site.id, "name": column.name, "url": url,
                    "update_class": column.update_class, "latest_date": latest.isoformat() if latest else None,
                    "item_count": len({i.url for i in column.items}),
                    "undated_count": sum(1 for i in column.items if i.date is None),
                    "stale": column.stale, "blank": column.blank})
                for rule, hit in (("column_stale", column.stale), ("column_blank", column.blank)):
                    if hit:
                        self.add(rule, site, url)
        return rows

    def counts(self) -> None:
        for site in self.portal.sites:
            columns = self.portal.columns_of(site.id)
            stale = [c for c in columns if c.stale]
            scopes = {"key": [c for c in stale if c.update_class in KEY_CLASSES], "all": stale}
            for scope, counted in scopes.items():
                self._count("stale_count", site, len(counted), *STALE_COUNTS[scope], item=scope)
            self._count("blank_count", site, sum(c.blank for c in columns), *BLANK_COUNT)

    def _count(self, rule: str, site: Site, n: int, veto: int, warning: int, item: str | None = None) -> None:
        if n >= warning:
            self.add(rule, site, item=item, severity="veto" if n >= veto else "advisory")

    # -- sections, footers, interpretations -----------------------------------------------------
    def sections(self) -> None:
        for site in self.portal.sites:
            for item in site.missing:
                self.add("section_missing", site, item=item)
            for item in site.footer_omits:
                self.add("identity", site, item=item)

    def interpretations(self) -> None:
        for column in self.portal.columns:
            site = self.portal.site(column.site)
            for item in column.items:
                if column.body == "policy" and _policy_like(item.title) and "相关解读" not in _labels(item):
                    self.add("interpretation", site, self.url(site, item.url))
                if "解读" in column.name and "政策原文" not in _labels(item):
                    self.add("interpretation", site, self.url(site, item.url))

    # -- plants in documents ---------------------------------------------------------------------
    def plants(self) -> None:
        for plant in PLANTS:
            if not plant.true or plant.key in self.portal.fixed or plant.rule not in _DOCUMENT_RULES:
                continue
            site = self.portal.site(plant.site)
            self.add(plant.rule, site, self.url(site, self._target(plant)))

    def _target(self, plant: Plant) -> str:
        if plant.target:
            return plant.target
        column = next(c for c in self.portal.owned_by(plant.site) if c.name == plant.column)
        if plant.attachment:
            return column.dir + "files/" + plant.attachment
        return next(i.url for i in column.items if i.title.startswith(plant.title))

    # -- timeliness ---------------------------------------------------------------------------------
    def lags(self) -> None:
        for column in self.portal.columns:
            site = self.portal.site(column.site)
            dept = self.portal.department(site.department)
            for item in column.items:
                if item.date is None or not _signed(item, column, dept):
                    continue
                decision = any(w in text for w in DECISION_WORDS for text in (item.title, column.name))
                limit = DECISION_LAG_LIMIT if decision else LAG_LIMIT
                if count_working_days(texts.written_date(item), item.date).days > limit:
                    self.add("timeliness", site, self.url(site, item.url))

    # -- homepages, annual reports, availability --------------------------------------------------
    def homepages(self) -> None:
        for site in self.portal.sites:
            dates = [i.date for i in homepage_entries(self.portal, site) if i.date and i.date <= self.as_of]
            age = (self.as_of - max(dates)).days if dates else None
            if age is None or age > HOMEPAGE_WARN_DAYS:
                severity = "veto" if age is None or age > HOMEPAGE_DAYS else "advisory"
                self.add("homepage_stale", site, self.url(site, site.index_path), severity=severity)

    def annual_reports(self) -> None:
        for site in self.portal.sites:
            month, day = REPORT_DEADLINES[site.id in GOVERNMENT_SITES]
            year = self.as_of.year - 1 if self.as_of > date(self.as_of.year, month, day) else self.as_of.year - 2
            deadline = date(year + 1, month, day)
            reports = [(c, i) for c in self.portal.owned_by(site.id) for i in c.items
                       if re.search(rf"{year}年政府信息公开工作年度报告", i.title)]
            if not reports:
                self.add("annual_report", site, item="missing")
                continue
            column, report = reports[0]
            url = self.url(site, report.url)
            if report.date > deadline:
                self.add("annual_report", site, url, item="late")
            bodies = {PLANT_BY_KEY[key].body for key in report.plants}
            if "report_old" in bodies:
                self.add("annual_report", site, url, item="old_layout")
            if "report_miscounted" in bodies:
                self.add("annual_report", site, url, item="table")

    def availability(self) -> None:
        probes = PROBE_ROUNDS + self.week            # the probes, then one crawl fetch per week so far
        veto, warning = AVAILABILITY
        for flaky in FLAKY:
            ratio = sum(flaky.fails(n) for n in range(1, PROBE_ROUNDS + 1)) / probes
            if ratio >= warning:
                site = self.portal.site(flaky.site)
                self.add("availability", site, self.url(site, site.index_path),
                         severity="veto" if ratio >= veto else "advisory")

    # -- forged dates (week 2 only: they need an earlier crawl) ----------------------------------
    def forged_dates(self) -> None:
        first_crawl = WEEKS[1]
        for column in self.portal.columns:
            site = self.portal.site(column.site)
            listed = column.ordered()
            for at, item in enumerate(listed):
                if item.url not in self.portal.added or item.date is None:
                    continue
                url = self.url(site, item.url)
                if item.date > self.as_of + timedelta(days=FORGED_FUTURE_DAYS):
                    self.add("forged_date", site, url, item="future", severity="advisory")
                elif (column.update_class not in FORGED_SKIP_CLASSES
                      and (first_crawl - item.date).days > FORGED_TOLERANCE_DAYS
                      and self._slot_read_before(listed, at)):
                    self.add("forged_date", site, url, item="backdated", severity="veto")

    def _slot_read_before(self, listed: list[Item], at: int) -> bool:
        """Week 1 read items directly above and below the new item's place, dated around it."""
        old = [i for i, item in enumerate(listed) if item.url not in self.portal.added]
        above = [i for i in old if i < at]
        below = [i for i in old if i > at]
        if not above or not below or below[0] - above[-1] - 1 > FORGED_MAX_NEW_IN_SLOT:
            return False
        return listed[above[-1]].date >= listed[at].date >= listed[below[0]].date

    def generate(self) -> dict[str, Any]:
        columns = self.columns()
        self.counts()
        self.sections()
        self.interpretations()
        self.plants()
        self.lags()
        self.homepages()
        self.annual_reports()
        self.availability()
        if self.week > 1:
            self.forged_dates()
        return {"week": self.week, "as_of": self.as_of.isoformat(), "columns": columns, "findings": self.findings}


#: Rules whose true cases are plants in documents (see _Week.plants).
_DOCUMENT_RULES = {"integrity", "expression", "privacy", "dead_link", "unverifiable_link"}
PLANT_BY_KEY = {p.key: p for p in PLANTS}


def _policy_like(title: str) -> bool:
    return any(w in title for w in POLICY_WORDS) and not any(w in title for w in NOT_POLICY_WORDS)


def _labels(item: Item) -> set[str]:
    return {label for label, _title, _url in item.related}


def _signed(item: Item, column: Column, dept) -> bool:
    """Whether the document's body ends with a dated signature (落款), where its 成文日期 shows."""
    variant = next((PLANT_BY_KEY[k].body for k in item.plants if PLANT_BY_KEY[k].body), None)
    blocks = texts.BODIES[variant or column.body](item, column, dept)
    return any(block[0] == "sign" and len(block[1]) > 1 for block in blocks)


def generate() -> dict[str, Any]:
    """The ground truth of both weeks, URLs with ``{portal}`` / ``{site}`` placeholders."""
    return {"weeks": [_Week(week).generate() for week in sorted(WEEKS)]}


def render_json(data: dict[str, Any]) -> str:
    """The exact text of ground_truth.json for ``data``: one column / finding per line."""
    def rows(items: list[dict]) -> str:
        return ",\n".join("    " + json.dumps(row, ensure_ascii=False) for row in items)
    weeks = [f'  {{"week": {w["week"]}, "as_of": {json.dumps(w["as_of"])},\n   "columns": [\n{rows(w["columns"])}\n'
             f'   ],\n   "findings": [\n{rows(w["findings"])}\n   ]}}' for w in data["weeks"]]
    return '{"weeks": [\n' + ",\n".join(weeks) + "\n]}\n"


def write(path: Path = GROUND_TRUTH_PATH) -> None:
    """(Re)write ground_truth.json from the current demo data."""
    path.write_text(render_json(generate()), encoding="utf-8")


def _substitute(value: Any, portal_url: str, site_url: str) -> Any:
    if isinstance(value, str):
        return value.replace("{portal}", portal_url).replace("{site}", site_url)
    if isinstance(value, list):
        return [_substitute(v, portal_url, site_url) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, portal_url, site_url) for k, v in value.items()}
    return value


def ground_truth(portal_url: str, site_url: str, week: int = 1) -> dict[str, Any]:
    """One week of ground_truth.json (``week``, ``as_of``, ``columns``, ``findings``) with the
    placeholders replaced by the running demo's base URLs."""
    data = json.loads(GROUND_TRUTH_PATH.read_text(encoding="utf-8"))
    chosen = next(w for w in data["weeks"] if w["week"] == week)
    return _substitute(chosen, portal_url.rstrip("/"), site_url.rstrip("/"))


def check(path: Path = GROUND_TRUTH_PATH) -> bool:
    """True when ground_truth.json is exactly what the current demo data generates."""
    return path.exists() and path.read_text(encoding="utf-8") == render_json(generate())
