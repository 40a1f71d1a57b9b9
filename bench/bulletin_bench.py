"""Bulletin benchmark: `govaudit report` for a big supervisor's store, against loading its frames.

    .venv/bin/python bench/bulletin_bench.py [--departments 500] [--months 12] [--repeat 3] [--keep]

1. writes a deterministic history with the Store API (no crawl): --departments departments
   (every fifth owns a second site), one audited run per month for --months months ending
   2026-11, each site with 30 columns whose staleness drifts from month to month (so the
   ledger sees problems persist, get rectified and reappear), blank columns, missing 专栏
   items, dead links, occasional privacy leaks (masked evidence) and, from 5 stale columns,
   the site-level veto (stale_count); then rebuilds the ledger once, as audits do;
2. times, in the same process and on the same store (median of --repeat passes):
   - **frames**: `reports.scoring.month_frames` for 2026-11 (scores, month judgement, ranks,
     change against 2026-10): the baseline, what any report of the month must load;
   - **groupby**: reading the month's findings and one pandas groupby (department × category):
     the least a report could do;
   - **bulletin**: `build_bulletin` (everything the bulletin says, 12-month trend, ledger
     figures, three charts), then each writer: bulletin.html, bulletin.docx, 问题清单.xlsx;
3. prints the figures and the ratios total ÷ frames and total ÷ groupby.

Only a measurement: exits 0 whatever the figures. The store lives in a temp dir (--keep keeps it).
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.dont_write_bytecode = True

import pandas as pd  # noqa: E402
from sqlalchemy import select  # noqa: E402

from govaudit import ledger  # noqa: E402
from govaudit.store import Store, findings  # noqa: E402
from reports import bulletin as B  # noqa: E402
from reports.bulletin_docx import write_docx  # noqa: E402
from reports.scoring import month_frames  # noqa: E402

MONTH = "2026-11"
COLUMNS = 30
RULES = ["column_stale", "column_blank", "section_missing", "dead_link", "privacy", "stale_count"]
CLASSES = ("动态要闻", "通知公告", "政策文件", "基础信息")
ITEMS = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报")


def months_back(last: str, n: int) -> list[str]:
    year, mon = (int(p) for p in last.split("-"))
    out = []
    for back in range(n - 1, -1, -1):
        y, m0 = divmod(year * 12 + mon - 1 - back, 12)
        out.append(f"{y}-{m0 + 1:02d}")
    return out


def snapshot(departments: int) -> dict:
    depts = [{"id": f"d{i:03d}", "name": f"青溪区第{i}局"} for i in range(departments)]
    sites = []
    for i, dept in enumerate(depts):
        for k in range(2 if i % 5 == 0 else 1):
            sites.append({"id": f"{dept['id']}s{k}", "name": f"{dept['name']}网站{k + 1}", "department": dept["id"]})
    return {"organization": "江州市青溪区人民政府办公室", "departments": depts, "sites": sites, "rules": {},
            "ledger": {"deadline_workdays": 10}}


def _finding(site: dict, rule: str, category: str, severity: str, url, column, evidence: str, detail: str,
             data: dict) -> dict:
    return {"rule": rule, "category": category, "severity": severity, "department_id": site["department"],
            "site_id": site["id"], "column": column, "url": url, "evidence": evidence, "detail": detail,
            "data": json.dumps(data, ensure_ascii=False)}


def site_findings(site: dict, state: dict, rng: random.Random, as_of: date) -> list[dict]:
    """One month of one site: the drifting column states in `state`, plus random problems."""
    base = f"http://{site['id']}.example.gov.cn"
    out = []
    stale = state.setdefault("stale", set(rng.sample(range(COLUMNS), rng.randint(0, 4))))
    for col in list(stale):
        if rng.random() < 0.35:
            stale.discard(col)                         # rectified
    for col in range(COLUMNS):
        if col not in stale and rng.random() < 0.04:
            stale.add(col)                             # new (or reopened)
    for col in sorted(stale):
        cls = CLASSES[col % 4]
        out.append(_finding(site, "column_stale", "column_stale", "deduct", f"{base}/col{col}/index.html",
                            f"栏目{col}", "最新信息日期：2026-01-05",
                            f"栏目「栏目{col}」更新至2026年1月5日，已超过6个月未更新", {"update_class": cls}))
    if len(stale) >= 5:
        out.append(_finding(site, "stale_count", "column_stale", "veto", None, None, f"{len(stale)}个栏目",
                            f"{site['name']}共有{len(stale)}个栏目不更新，达到单项否决标准（5个）", {"scope": "key"}))
    for col in range(COLUMNS, COLUMNS + 3):
        if rng.random() < 0.15:
            out.append(_finding(site, "column_blank", "column_blank", "deduct", f"{base}/col{col}/index.html",
                                f"栏目{col}", "栏目无信息", f"栏目「栏目{col}」为空白栏目（无任何信息）", {}))
    for item in ITEMS:
        if rng.random() < 0.05:
            out.append(_finding(site, "section_missing", "section_missing", "deduct", None, None, item,
                                f"政府信息公开专栏未提供「{item}」", {"item": item, "group": "专栏"}))
    for k in range(rng.choice((0, 0, 1, 2, 3))):
        out.append(_finding(site, "dead_link", "dead_link", "deduct", f"{base}/old/{k}.html", None, "HTTP 404",
                            f"链接「{base}/old/{k}.html」无法访问（HTTP 404）", {}))
    if rng.random() < 0.03:
        out.append(_finding(site, "privacy", "privacy", "deduct", f"{base}/files/roster.xlsx", None,
                            "身份证号：330102********1234", "附件含身份证号1处，未去标识化", {}))
    return out


def build_store(path: Path, departments: int, months: int, seed: int) -> tuple[Store, int]:
    store = Store(f"sqlite:///{path}")
    snap = snapshot(departments)
    rng = random.Random(seed)
    states: dict[str, dict] = {}
    total = 0
    for month in months_back(MONTH, months):
        year, mon = (int(p) for p in month.split("-"))
        as_of = date(year, mon, 20)
        run_id = store.new_run(None, None, snap)
        starts = {s["id"]: f"http://{s['id']}.example.gov.cn/" for s in snap["sites"]}
        store.write_batch({"pages": [{"run_id": run_id, "url": u, "kind": "hub", "status": 200}
                                     for u in starts.values()]})
        with store.tx() as conn:
            store.replace_derived(conn, run_id, {"page_sites": [
                {"run_id": run_id, "page_url": u, "site_id": s, "how": "start"} for s, u in starts.items()]})
            store.finish_run(conn, run_id, "complete")
        rows = [f for site in snap["sites"] for f in site_findings(site, states.setdefault(site["id"], {}), rng, as_of)]
        store.replace_findings(run_id, as_of, RULES, rows)
        total += len(rows)
    ledger.rebuild(store)
    return store, total


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def groupby_baseline(store: Store) -> pd.Series:
    run_id = store.runs_in_month(2026, 11)[-1]
    frame = store.frame(select(findings.c.department_id, findings.c.category).where(findings.c.run_id == run_id))
    return frame.groupby(["department_id", "category"]).size()


def one_pass(store: Store, out: Path) -> dict[str, float]:
    figures = {}
    figures["frames"], _ = timed(lambda: month_frames(store, MONTH))
    figures["groupby"], _ = timed(lambda: groupby_baseline(store))
    figures["bulletin"], b = timed(lambda: B.build_bulletin(store, MONTH, day=date(2026, 11, 24)))
    figures["html"], _ = timed(lambda: B.write_html(b, out / "bulletin.html"))
    figures["docx"], _ = timed(lambda: write_docx(b, out / "bulletin.docx"))
    figures["xlsx"], _ = timed(lambda: B.write_xlsx(b, store, out / "问题清单.xlsx"))
    figures["total"] = sum(figures[k] for k in ("bulletin", "html", "docx", "xlsx"))
    figures["_items"], figures["_sites"] = len(b.items), len(b.sites)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=500)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (store and outputs)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govaudit-bulletin-bench-"))
    try:
        setup, (store, total) = timed(lambda: build_store(work / "bench.db", args.departments, args.months, args.seed))
        print(f"store: {args.departments} departments, {args.months} months, {total} findings "
              f"(written and ledger rebuilt in {setup:.1f} s)")
        passes = [one_pass(store, work) for _ in range(args.repeat)]
        med = {k: statistics.median(p[k] for p in passes) for k in passes[0]}
        print(f"bulletin of {MONTH}: {int(med['_sites'])} sites ranked, {int(med['_items'])} problem lines; "
              f"median of {args.repeat} passes")
        print(f"{'step':<28}{'seconds':>9}")
        for key, label in (("groupby", "groupby baseline"), ("frames", "month_frames (baseline)"),
                           ("bulletin", "build_bulletin"), ("html", "bulletin.html"), ("docx", "bulletin.docx"),
                           ("xlsx", "问题清单.xlsx"), ("total", "total bulletin")):
            print(f"{label:<28}{med[key]:>9.2f}")
        print(f"ratio total / month_frames: {med['total'] / med['frames']:.1f}")
        print(f"ratio total / groupby:      {med['total'] / med['groupby']:.0f}")
        print(f"machine: {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
              f"pandas {pd.__version__}")
        if args.keep:
            print(f"kept: {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
