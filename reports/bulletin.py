"""The monthly 检查情况通报 (first version: HTML). Data comes from reports.frames; layout
lives in templates/bulletin.html.j2 so the later multi-format bulletin can grow from it."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from govaudit.store import Store, StoreError, columns
from reports.frames import (BULLETIN_CATEGORIES, category_totals, departments_frame, problem_counts,
                            problems_by_department)
from rules.base import CATEGORY_TITLES, cn_date


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["cn_date"] = cn_date
    return env


def _month_run(store: Store, month: str) -> int:
    try:
        year, mon = (int(part) for part in month.split("-"))
        datetime(year, mon, 1)
    except ValueError:
        raise StoreError(f"--month {month!r} is not YYYY-MM (e.g. 2026-11)") from None
    run_ids = store.runs_in_month(year, mon)
    if not run_ids:
        raise StoreError(f"no audited run with an as-of date in {month}; run `govaudit audit` first")
    return run_ids[-1]


def bulletin_context(store: Store, month: str) -> dict:
    """Everything the template shows, as plain data."""
    run_id = _month_run(store, month)
    run, audit = store.run(run_id), store.audit_of(run_id)
    findings = store.findings_frame(run_id)
    findings = findings.astype(object).where(findings.notna(), None)   # NaN would print as "nan"
    departments = departments_frame(run["config"])
    ranking = problem_counts(findings, departments)
    names = dict(zip(departments["department_id"], departments["department"]))
    site_names = {site["id"]: site["name"] for site in run["config"]["sites"]}
    columns_checked = store.count(columns, run_id)
    # this first bulletin reports the backbone's categories; lists and counts must agree
    by_dept = problems_by_department(findings[findings["category"].isin(BULLETIN_CATEGORIES)])
    return {
        "organization": run["config"].get("organization") or "",
        "month": month,
        "as_of": audit["as_of"],
        "run_id": run_id,
        "generated": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "departments_checked": len(departments),
        "sites_checked": len(run["config"]["sites"]),
        "columns_checked": columns_checked,
        "total_problems": int(ranking["total"].sum()),
        "totals": category_totals(findings[findings["category"].isin(BULLETIN_CATEGORIES)]).to_dict("records"),
        "categories": [(c, CATEGORY_TITLES[c]) for c in BULLETIN_CATEGORIES],
        "ranking": ranking.to_dict("records"),
        "problems": [
            {"department": names[row["department_id"]], "department_id": row["department_id"],
             "items": [dict(item, site=site_names.get(item["site_id"], item["site_id"]))
                       for item in by_dept.get(row["department_id"], pd.DataFrame()).to_dict("records")]}
            for row in ranking.sort_values(["total", "department_id"], ascending=[False, True]).to_dict("records")
            if row["total"] > 0
        ],
    }


def write_bulletin(store: Store, month: str, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    html = _environment().get_template("bulletin.html.j2").render(**bulletin_context(store, month))
    path = out_dir / "bulletin.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)     # never leave a half-written bulletin behind
    return path
