"""A small hand-built history for bulletin tests: four departments, five sites, one audited run
in October 2026 and two in November, written with the Store API (no crawl), ledger rebuilt.

Scoring is pinned in the runs' config snapshot (1 point per stale or blank column, 2 per missing
item or privacy leak; bottom_n 1; grades ≥95 满分, ≥90 "90") so the expected figures below are
computed by hand here, not taken from reports.scoring's defaults:

October, run 1 (2026-10-20): a1 stale ux · b1 stale uy · d1 blank uz
    a1 99, a2 100 → 甲局 99 · b1 99 → 乙局 99 · c1 100 → 丙局 100 · d1 99 → 丁局 99
November, run 2 (2026-11-13): a1 stale ux, stale uw · b1 stale uy          (d1's uz rectified, late)
November, run 3 (2026-11-20), the month's judgement:                        (a1's uw rectified, on time)
    a1: stale ux, privacy (masked)             → 100 − 1 − 2 = 97
    a2: blank ×2                                → 98              甲局 = min(97, 98) = 97
    b1: stale uy + 4 new stale + stale_count veto (a site-level count) → 不合格, 单项否决
    c1: section_missing ×1, blank ×1            → 97              丙局 97 (tied with 甲局)
    d1: nothing                                 → 100             丁局 100
"""
from __future__ import annotations

import json
from datetime import date

from govaudit import ledger
from govaudit.store import Store

ORG = "江州市青溪区人民政府办公室"
DEPARTMENTS = [{"id": "a", "name": "甲局"}, {"id": "b", "name": "乙局"}, {"id": "c", "name": "丙局"},
               {"id": "d", "name": "丁局"}]
SITES = [{"id": "a1", "name": "甲局门户", "department": "a"}, {"id": "a2", "name": "甲局政务公开", "department": "a"},
         {"id": "b1", "name": "乙局网站", "department": "b"}, {"id": "c1", "name": "丙局网站", "department": "c"},
         {"id": "d1", "name": "丁局网站", "department": "d"}]
SCORING = {"bottom_n": 1, "grades": [[95, "满分"], [90, 90]],
           "indicators": {"column_stale": {"points": 1, "cap": 10}, "column_blank": {"points": 1, "cap": 4},
                          "section_missing": {"points": 2, "cap": 8}, "privacy": {"points": 2, "cap": 10}}}
RULES = ["column_stale", "column_blank", "section_missing", "privacy", "stale_count"]
MASKED_ID = "330102********1234"


def url(site: str, path: str) -> str:
    return f"http://{site}.qingxi.gov.cn/{path}/index.html"


def _department(site: str) -> str:
    return next(s["department"] for s in SITES if s["id"] == site)


def stale(site: str, path: str, latest: str = "2026-10-01") -> dict:
    y, m, d = (int(p) for p in latest.split("-"))
    return {"rule": "column_stale", "category": "column_stale", "severity": "deduct", "department_id": _department(site),
            "site_id": site, "column": f"栏目{path}", "url": url(site, path), "evidence": f"最新信息日期：{latest}",
            "detail": f"栏目「栏目{path}」更新至{y}年{m}月{d}日，已超过14天未更新",
            "data": json.dumps({"update_class": "动态要闻", "latest_date": latest}, ensure_ascii=False)}


def blank(site: str, path: str) -> dict:
    return {"rule": "column_blank", "category": "column_blank", "severity": "deduct", "department_id": _department(site),
            "site_id": site, "column": f"栏目{path}", "url": url(site, path), "evidence": "栏目无信息",
            "detail": f"栏目「栏目{path}」为空白栏目（无任何信息）", "data": "{}"}


def missing(site: str, item: str) -> dict:
    return {"rule": "section_missing", "category": "section_missing", "severity": "deduct",
            "department_id": _department(site), "site_id": site, "column": None, "url": None, "evidence": item,
            "detail": f"政府信息公开专栏未提供「{item}」", "data": json.dumps({"item": item}, ensure_ascii=False)}


def privacy(site: str) -> dict:
    return {"rule": "privacy", "category": "privacy", "severity": "deduct", "department_id": _department(site),
            "site_id": site, "column": None, "url": f"http://{site}.qingxi.gov.cn/files/roster.xlsx",
            "evidence": f"身份证号 {MASKED_ID}", "detail": "附件「救助名单.xlsx」公开了未去标识化的个人信息（身份证号1处）",
            "data": "{}"}


def stale_count(site: str, n: int) -> dict:
    return {"rule": "stale_count", "category": "column_stale", "severity": "veto", "department_id": _department(site),
            "site_id": site, "column": None, "url": None, "evidence": f"{n}个栏目不更新",
            "detail": f"{site}共有{n}个栏目不更新，达到单项否决标准（5个）", "data": "{}"}


def audited_run(store: Store, as_of: date, found: list[dict]) -> int:
    """A complete run (every site's start page answered 200) audited as of `as_of`; ledger rebuilt."""
    snapshot = {"organization": ORG, "departments": DEPARTMENTS, "sites": SITES, "scoring": SCORING,
                "ledger": {"deadline_workdays": 10}, "rules": {}}
    run_id = store.new_run(None, None, snapshot)
    start = {s["id"]: f"http://{s['id']}.qingxi.gov.cn/" for s in SITES}
    store.write_batch({"pages": [{"run_id": run_id, "url": u, "kind": "hub", "status": 200} for u in start.values()]})
    with store.tx() as conn:
        store.replace_derived(conn, run_id, {"page_sites": [
            {"run_id": run_id, "page_url": u, "site_id": s, "how": "start"} for s, u in start.items()]})
        store.finish_run(conn, run_id, "complete")
    store.replace_findings(run_id, as_of, RULES, found)
    ledger.rebuild(store)
    return run_id


def build(store: Store) -> list[int]:
    """The three runs of the module docstring; returns their ids."""
    october = [stale("a1", "ux"), stale("b1", "uy"), blank("d1", "uz")]
    november_1 = [stale("a1", "ux"), stale("a1", "uw"), stale("b1", "uy")]
    november_2 = [stale("a1", "ux"), privacy("a1"), blank("a2", "k1"), blank("a2", "k2"), stale("b1", "uy"),
                  *[stale("b1", f"n{i}") for i in range(1, 5)], stale_count("b1", 5), missing("c1", "政府信息公开年报"),
                  blank("c1", "k3")]
    return [audited_run(store, date(2026, 10, 20), october), audited_run(store, date(2026, 11, 13), november_1),
            audited_run(store, date(2026, 11, 20), november_2)]
