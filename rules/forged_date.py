"""伪造发稿日期: items whose date claims they were there before we looked, and dates in the future.

**Back-dated items (veto).** An item of a column that first appears in a later run F than an
earlier crawl R of the same column (same page-1 URL), yet carries a date more than
``tolerance_days`` before R's crawl date: it was not on the list when R read it, but claims to
have been. The runs come from ``facts.history`` (this run's columns in this run and the earlier
complete runs of the store). An earlier run's crawl date is the day it looked: the earlier of its
start and its audit's as_of (``rules.facts.crawl_date``), so re-judging an old run as of a later
day never moves what it saw forward. The judged run is dated ``as_of``, the 检查基准日 bulletins
print; its date only names when the item was first seen and never makes a finding by itself.

A false V8 vetoes a whole site, so every guard leans towards silence:

* R must be complete and audited and must have crawled before F.
* *Coverage: the slot.* R must have read the very place where the item now stands. In F's list
  the item sits between A, the nearest item above it that R also read, and B, the nearest one
  below it that R read, with ``date(A) ≥ date ≥ date(B)``. B read by R means the item's date is
  not older than the oldest dated item R read there, so an item beyond R's pagination reach is
  never suspicious; A read by R with a date no older than the item's means R's list was not a
  stale (cached) copy ending before the item's date, and a pinned old item above the item does
  not count as a neighbour. The items F shows between A and B (the item included) must number at
  most ``max_new_in_slot``: a page of unseen items between two neighbours means R failed to read a
  list page, not that a page of items was back-dated.
* *Seen before.* An item whose URL or (whitespace- and ellipsis-normalised) title appears in any
  earlier run, in any of this run's columns, is not new: a changed URL with an identical title is
  a move (改版, URL scheme changes), a URL listed earlier in another column a cross-listing.
* *Displayed dates only.* The item's date must be what the site shows: its list date (absolute or
  relative) or the labelled/meta date of its page. A date read from the URL path is not a claim.
* *Skipped classes.* Columns of the ``skip_classes`` update classes (default 政策文件) are not
  judged: policy-document lists commonly show the 成文日期 (the day a document was made) rather
  than the publication date, and documents are published days or weeks after they are made, so a
  new 政策文件 item "dated before" the last crawl is the normal case (its lag is the timeliness
  rule's business, not forgery).

The finding names the runs that prove it: the first-seen run F, the proving run R (the latest
one; ``data["proving_runs"]`` lists every earlier run that read the slot without the item) and
their crawl dates.

**Future dates (advisory).** An item or a page whose displayed date is more than ``future_days``
after ``as_of``. It is a strong sign that a date was not set honestly, but in practice it is
most often a typo in the year (2062 for 2026, 2027 typed in December) or a CMS scheduled-publish
or clock error, which is not what 19号 means by forgery; it is reported as an advisory finding for
a person to verify, never a veto.

One finding per item (URL): the first section the column (or page) is attributed to, the others
in ``data["also_sites"]``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from rules.base import Finding, RuleMeta, as_date, cn_date
from rules.facts import RunFacts

META = RuleMeta(
    id="forged_date",
    title="伪造发稿日期",
    category="forged_date",
    severity="veto",
    indicator="单项否决·严重问题（伪造发稿日期）",
    source="国办秘函〔2019〕19号",
    confidence="P",
    identity=("site_id", "url", "data.kind"),     # a back-dated and a future date of one item are two problems
    threshold={"tolerance_days": 3, "future_days": 1, "skip_classes": ["政策文件"], "max_new_in_slot": 3},
    description="栏目中新出现的信息，其标注的发布日期早于此前一次检查该栏目的日期（超过容差天数），"
                "而该次检查已读取该栏目中排在其前后的信息（日期一新一旧）却未见此条，"
                "视为倒签发稿日期（单项否决）。政策文件类栏目列表常显示成文日期而非发布日期，默认不判断；"
                "网址变化但标题相同的信息视为迁移，不是新信息。发布日期晚于检查日期（超过容差天数）的"
                "信息或页面作提示：常见原因是年份笔误或系统定时发布、时钟错误，需人工核实后再认定。",
)

#: Date sources that are the site's own claim: the list date (absolute or relative) and the
#: page's labelled or meta date. Dates read from URL paths are not shown to readers.
_SHOWN = {"list", "relative", "page:label", "page:meta", "page:relative"}
_PAGE_SHOWN = {"label", "meta"}
_TITLE_NOISE = re.compile(r"\s+|(?:…|\.\.\.|．．．)+$")


@dataclass
class _List:
    """One run's reading of one column: item URLs in list order with their rows."""
    urls: list[str]
    rows: dict[str, object]       # url -> history row (itertuples)
    index: dict[str, int]         # url -> place in `urls`

    @classmethod
    def of(cls, frame: pd.DataFrame) -> "_List":
        rows = {row.url: row for row in frame.itertuples()}
        return cls(list(rows), rows, {url: i for i, url in enumerate(rows)})


class _Lists:
    """(run, column URL) -> that run's `_List` of the column, built when first asked for (a
    store's history holds thousands of columns; only a few items are ever candidates)."""

    def __init__(self, history: pd.DataFrame):
        self.history, self.built = history, {}
        self.positions = history.groupby(["run_id", "column_url"], sort=False).indices

    def get(self, run: int, column_url: str) -> _List | None:
        key = (run, column_url)
        if key not in self.built:
            rows = self.positions.get(key)
            self.built[key] = None if rows is None else _List.of(self.history.iloc[rows])
        return self.built[key]


def _prepared(facts: RunFacts) -> pd.DataFrame:
    """The history with ``stamp`` (the date as a timestamp), ``day`` (a `date` or None) and ``key``
    (the title without whitespace or a trailing ellipsis), in list order."""
    history = facts.history.dropna(subset=["url", "column_url"])
    stamps = pd.to_datetime(history["date"], errors="coerce")
    history = history.assign(stamp=stamps, day=stamps.dt.date.astype(object).where(stamps.notna(), None),
                             key=history["title"].fillna("").astype(str).str.replace(_TITLE_NOISE, "", regex=True))
    return history.sort_values(["run_id", "column_url", "page_no", "position"]).reset_index(drop=True)


def _column_rows(facts: RunFacts) -> dict[str, list]:
    """Column page-1 URL -> the fetched, non-placeholder column rows (one per section)."""
    frame = facts.columns.dropna(subset=["url"])
    frame = frame[frame["fetched"].fillna(True).astype(bool) & ~frame["placeholder"].fillna(False).astype(bool)]
    out: dict[str, list] = {}
    for row in frame.itertuples():
        out.setdefault(row.url, []).append(row)
    return out


def _run_dates(history: pd.DataFrame, run_id: int, as_of: date) -> tuple[dict[int, date], set[int]]:
    """Crawl date of every run in the history (the judged run: as_of) and the audited runs."""
    runs = history.drop_duplicates("run_id")
    dates = {int(r): as_date(d) for r, d in zip(runs["run_id"], runs["crawl_date"]) if as_date(d) is not None}
    dates[run_id] = as_of
    audited = {int(r) for r, a in zip(runs["run_id"], runs["audited"]) if bool(a)}
    return dates, audited


@dataclass
class _Proof:
    run: int
    before: object    # A: R's row of the nearest item above the item's place in F's list
    after: object     # B: R's row of the nearest item below it


def _slot_proof(item, earlier: _List, first: _List, run: int, settings: dict) -> _Proof | None:
    """R (`earlier`) read the place where the item stands in F's list (`first`), without it."""
    at = first.index[item.url]
    above = [i for i in range(at) if first.urls[i] in earlier.rows]
    below = next((i for i in range(at + 1, len(first.urls)) if first.urls[i] in earlier.rows), None)
    if not above or below is None or below - above[-1] - 1 > settings["max_new_in_slot"]:
        return None
    a, b = earlier.rows[first.urls[above[-1]]], earlier.rows[first.urls[below]]
    if a.day is None or b.day is None or not a.day >= item.day >= b.day:
        return None                                          # beyond R's reach, or not a date-ordered stretch
    return _Proof(run, a, b)


def _candidates(facts: RunFacts, history: pd.DataFrame, columns: dict[str, list], dates: dict[int, date],
                audited: set[int], settings: dict) -> pd.DataFrame:
    """Shown-dated items of the judged run's judged columns that were new in some run F (column
    ``first``): not seen before F under their URL or title, with an audited run of their column
    before F, and dated more than the tolerance before F looked. A cheap, vectorised pre-filter."""
    skipped = {url for url, rows in columns.items() if any(r.update_class in settings["skip_classes"] for r in rows)}
    current = history[(history["run_id"] == facts.run_id) & history["column_url"].isin(set(columns) - skipped)
                      & history["date_source"].isin(_SHOWN) & history["stamp"].notna()]
    first = current["url"].map(history.groupby("url")["run_id"].min())
    by_title = current["key"].map(history[history["key"] != ""].groupby("key")["run_id"].min()).fillna(first)
    earliest_proof = current["column_url"].map(
        history[history["run_id"].isin(audited)].groupby("column_url")["run_id"].min())
    looked = pd.to_datetime(first.map(dates))
    keep = (by_title >= first) & (earliest_proof < first) \
        & (current["stamp"] + pd.Timedelta(days=settings["tolerance_days"]) < looked)
    return current[keep].assign(first=first[keep].astype(int))


def _backdated(facts: RunFacts, history: pd.DataFrame, columns: dict[str, list], as_of: date,
               settings: dict) -> list[Finding]:
    dates, audited = _run_dates(history, facts.run_id, as_of)
    lists = _Lists(history)
    findings, found = [], set()
    for item in _candidates(facts, history, columns, dates, audited, settings).itertuples():
        first, first_list = item.first, lists.get(item.first, item.column_url)
        if item.url in found or first_list is None or item.url not in first_list.rows:
            continue                                         # listed in another column first: a cross-listing
        proofs = []
        for run in sorted(r for r in audited & set(dates) if r < first):
            earlier = lists.get(run, item.column_url)
            if earlier and dates[run] < min(dates[first], as_of) \
                    and (dates[run] - item.day).days > settings["tolerance_days"]:
                proof = _slot_proof(item, earlier, first_list, run, settings)
                proofs += [proof] if proof else []
        if proofs:
            found.add(item.url)
            findings.append(_backdated_finding(item, proofs, first, dates, columns[item.column_url], settings))
    return findings


def _brief(row) -> dict:
    return {"title": row.title, "url": row.url, "date": row.day.isoformat()}


def _backdated_finding(item, proofs: list[_Proof], first: int, dates: dict[int, date], rows: list,
                       settings: dict) -> Finding:
    proof = proofs[-1]
    seen, earlier = dates[first], dates[proof.run]
    days = (earlier - item.day).days
    return Finding.of(
        META, department_id=rows[0].department_id, site_id=rows[0].site_id, column=rows[0].name, url=item.url,
        evidence=f"标注日期：{item.day.isoformat()}；第{proof.run}批次检查（{earlier.isoformat()}）未见，"
                 f"第{first}批次检查（{seen.isoformat()}）首次出现",
        detail=(f"「{item.title}」首次出现于第{first}批次检查（{cn_date(seen)}），但标注的发布日期为"
                f"{cn_date(item.day)}，早于第{proof.run}批次检查（{cn_date(earlier)}）{days}天；该次检查已读取"
                f"栏目「{rows[0].name}」中排在其前后的「{proof.before.title}」（{cn_date(proof.before.day)}）和"
                f"「{proof.after.title}」（{cn_date(proof.after.day)}），却未见此条，疑似倒签发稿日期"),
        data={"kind": "backdated", "title": item.title, "date": item.day.isoformat(), "date_source": item.date_source,
              "column_url": item.column_url, "first_seen_run": first, "first_seen_date": seen.isoformat(),
              "earlier_run": proof.run, "earlier_run_date": earlier.isoformat(), "days_before": days,
              "tolerance_days": settings["tolerance_days"], "proving_runs": [p.run for p in proofs],
              "before": _brief(proof.before), "after": _brief(proof.after),
              "also_sites": [r.site_id for r in rows[1:]]})


def _future_claims(facts: RunFacts, history: pd.DataFrame, columns: dict[str, list], limit: date) -> dict[str, dict]:
    """URL -> {title, sites [(site, department, column)], dates [(what, date)]} for dates after `limit`."""
    claims: dict[str, dict] = {}
    items = history[(history["run_id"] == facts.run_id) & history["date_source"].isin(_SHOWN)]
    for item in items.itertuples():
        if item.day is not None and item.day > limit and item.column_url in columns:
            claim = claims.setdefault(item.url, {"title": item.title, "sites": [], "dates": []})
            claim["sites"] += [(r.site_id, r.department_id, r.name) for r in columns[item.column_url]]
            claim["dates"].append(("列表日期", item.day))
    pages = facts.pages[facts.pages["published_source"].isin(_PAGE_SHOWN)]
    for page in pages.itertuples():
        day = as_date(page.published)
        sites = facts.sites_by_page.get(page.url, [])
        if day is not None and day > limit:
            claim = claims.setdefault(page.url, {"title": page.title, "sites": [], "dates": []})
            claim["sites"] += [(s, facts.sites[s]["department"], page.column_name) for s in sites if s in facts.sites]
            claim["dates"].append(("页面发布日期", day))
    return {url: claim for url, claim in claims.items() if claim["sites"]}


def _future(facts: RunFacts, history: pd.DataFrame, columns: dict[str, list], as_of: date,
            settings: dict) -> list[Finding]:
    limit = as_of + timedelta(days=settings["future_days"])
    findings = []
    for url, claim in _future_claims(facts, history, columns, limit).items():
        day = max(d for _what, d in claim["dates"])
        site_id, department_id, column = claim["sites"][0]
        also = list(dict.fromkeys(s for s, _d, _c in claim["sites"] if s != site_id))
        findings.append(Finding.of(
            META, severity="advisory", department_id=department_id, site_id=site_id,
            column=column if isinstance(column, str) else None, url=url,
            evidence="；".join(f"{what}：{d.isoformat()}" for what, d in dict.fromkeys(claim["dates"])),
            detail=(f"「{claim['title']}」标注的发布日期为{cn_date(day)}，晚于检查日期（{cn_date(as_of)}）"
                    f"{(day - as_of).days}天，请核实是否为日期错误或伪造发稿日期"),
            data={"kind": "future", "title": claim["title"], "date": day.isoformat(), "as_of": as_of.isoformat(),
                  "days_after": (day - as_of).days, "future_days": settings["future_days"],
                  "dates": [{"what": what, "date": d.isoformat()} for what, d in dict.fromkeys(claim["dates"])],
                  "also_sites": also}))
    return findings


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    history, columns = _prepared(facts), _column_rows(facts)
    return _backdated(facts, history, columns, as_of, settings) + _future(facts, history, columns, as_of, settings)
