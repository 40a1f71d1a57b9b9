"""Hand-built audited runs in a real SQLite store, written with the Store API (no crawl).

A run here is: the config snapshot, one start page per site (2xx when the site was crawled,
503 when it was down), its page_sites attribution, the run marked complete, and an audit with
the given findings; then the ledger is rebuilt as `govaudit.pipeline.audit` does.
"""
from __future__ import annotations

import json
from datetime import date

from govaudit import ledger
from govaudit.store import Store

DEPARTMENTS = [{"id": "jyj", "name": "青溪区教育局"}, {"id": "mzj", "name": "青溪区民政局"}]
SITES = [{"id": "jyj", "name": "青溪区教育局网站", "department": "jyj"},
         {"id": "mzj", "name": "青溪区民政局网站", "department": "mzj"}]
RULES = ("column_stale", "dead_link", "expression", "privacy")


def start_url(site_id: str) -> str:
    return f"http://{site_id}.qingxi.gov.cn/"


def finding(rule: str, site_id: str | None, url: str | None, evidence: str = "", detail: str = "", column=None,
            category: str | None = None, severity: str = "deduct", data: dict | None = None) -> dict:
    department = next((s["department"] for s in SITES if s["id"] == site_id), None)
    return {"rule": rule, "category": category or rule, "severity": severity, "department_id": department,
            "site_id": site_id, "column": column, "url": url, "evidence": evidence, "detail": detail or evidence,
            "data": json.dumps(data or {}, ensure_ascii=False)}


def stale(site_id: str, name: str, latest: str) -> dict:
    return finding("column_stale", site_id, f"{start_url(site_id)}{name}/index.html", f"最新信息日期：{latest}",
                   f"栏目「{name}」更新至{latest}，已超过6个月未更新", column=name, category="column_stale",
                   data={"latest_date": latest})


def dead(site_id: str, target: str) -> dict:
    return finding("dead_link", site_id, target, "HTTP 404", f"链接「{target}」无法访问（HTTP 404）")


def audited_run(store: Store, as_of: date, found: list[dict], crawled=("jyj", "mzj"), rules=RULES,
                deadline_workdays: int | None = None, run_id: int | None = None) -> int:
    """A complete, audited run (or, with `run_id`, a re-audit of that run); the ledger rebuilt."""
    if run_id is None:
        snapshot = {"departments": DEPARTMENTS, "sites": SITES, "update_classes": {}, "rules": {}}
        if deadline_workdays is not None:
            snapshot["ledger"] = {"deadline_workdays": deadline_workdays}
        run_id = store.new_run(None, None, snapshot)
        store.write_batch({"pages": [{"run_id": run_id, "url": start_url(s["id"]), "kind": "hub",
                                      "status": 200 if s["id"] in crawled else 503} for s in SITES]})
        with store.tx() as conn:
            store.replace_derived(conn, run_id, {"page_sites": [
                {"run_id": run_id, "page_url": start_url(s["id"]), "site_id": s["id"], "how": "start"}
                for s in SITES]})
            store.finish_run(conn, run_id, "complete")
    store.replace_findings(run_id, as_of, list(rules), found)
    ledger.rebuild(store, since_run=run_id)      # as govaudit.pipeline.audit does
    return run_id
