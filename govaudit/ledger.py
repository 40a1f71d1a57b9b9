"""The ledger (问题清单 / 监管台账): every problem tracked across runs until it is rectified.

The ledger is *derived*: `rebuild` recomputes it from the findings of every audited run, in
run order, in one transaction (`govaudit.pipeline.audit` calls it after storing a run's
findings), so re-auditing a run gives the same ledger as auditing it the first time. The only
thing a person adds is a *mark* (accepted-risk / false-positive, with a reason), kept in the
append-only ``ledger_marks`` table and joined in on every rebuild.

**Fingerprint.** Two findings are the same problem when their rule and their rule's
`identity` values agree (`rules.base.RuleMeta.identity`: by default the site and the URL — the
column, the link target, the document, the page; a rule whose evidence names the problem
says so, e.g. ``data.wrong`` for an expression error). Evidence that changes from run to run
(a latest date, a count) is never part of it. The fingerprint is the SHA-1 of the rule id and
those values; the ledger shows its first `PREFIX` hex digits as the problem number.

**Status per audited run**, walking the runs in order (a run's date is its audit's as-of):

* present, never seen before → ``new``; its deadline is the as-of date plus
  ``ledger.deadline_workdays`` working days (default 10; official calendar with 调休, taken
  from the config snapshot of the run that opened it);
* present again → ``persisting``, or ``overdue`` once the as-of date is past the deadline;
* absent from a run that *re-checked* it (复查) → ``rectified``. A run re-checks a problem
  when its audit ran the problem's rule and the problem's site was crawled in it (a start page
  of the site answered 2xx); a problem without a site is re-checked by any run whose audit ran
  its rule. A site that was down or left out of a run rectifies nothing;
* present after having been rectified → ``reopened``, with a new deadline from that run.

``ledger_history`` keeps (fingerprint, run, status) for every run that saw a problem or
rectified it, so a bulletin can say what was rectified or became overdue since the previous one.
A marked entry keeps its mark in later runs and is not counted as open.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import and_, case, delete, insert, select, update
from sqlalchemy.engine import Connection

from govaudit.store import (Store, StoreError, audits, findings, ledger, ledger_history, ledger_marks, now, page_sites,
                            pages, runs)
from govaudit.workdays import add_working_days
from rules.base import CATEGORIES, CATEGORY_TITLES, DEFAULT_IDENTITY, SEVERITY_TITLES, as_date

OPEN = ("new", "persisting", "overdue", "reopened")
STATUSES = ("new", "persisting", "overdue", "rectified", "reopened")
MARKS = ("accepted-risk", "false-positive")
#: Status and mark titles as bulletins and the 问题清单 print them.
STATE_TITLES = {"new": "新发现", "persisting": "未整改", "overdue": "逾期未整改", "rectified": "已整改",
                "reopened": "再次出现", "accepted-risk": "已确认风险", "false-positive": "误报"}
DEFAULT_DEADLINE_WORKDAYS = 10
PREFIX = 10          # hex digits of the fingerprint shown as the problem number
_MIN_PREFIX = 4
_CHUNK = 500         # bound parameters per IN (…) query
_HEX = re.compile(r"[0-9a-f]+")


# --------------------------------------------------------------------------- fingerprints

def rule_identities() -> dict[str, tuple[str, ...]]:
    """Rule id -> its identity fields, for every installed rule."""
    from rules.registry import all_rules

    return {module.META.id: tuple(module.META.identity) for module in all_rules()}


def _plain(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def identity_values(finding: Mapping[str, Any], identity: Iterable[str]) -> list[str | None]:
    """The finding's values for `identity` (`data.<key>` reads the finding's data, a dict or its JSON)."""
    data = finding.get("data")
    if isinstance(data, str):
        data = json.loads(data or "{}")
    values = []
    for name in identity:
        value = (data or {}).get(name[5:]) if name.startswith("data.") else finding.get(name)
        values.append(_plain(value))
    return values


def fingerprint(finding: Mapping[str, Any], identity: Iterable[str] | None = None) -> str:
    """The problem's fingerprint: SHA-1 of the rule id and the rule's identity values.
    `identity` defaults to the installed rule's (`DEFAULT_IDENTITY` for an unknown rule)."""
    if identity is None:
        identity = rule_identities().get(finding["rule"], DEFAULT_IDENTITY)
    return _digest(finding["rule"], *identity_values(finding, identity))


@lru_cache(maxsize=1 << 16)
def _digest(rule: str, *values: str | None) -> str:
    """A problem that persists over many runs is hashed once."""
    key = json.dumps([rule, *values], ensure_ascii=False)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- rebuild

@dataclass(frozen=True)
class AuditedRun:
    id: int
    as_of: date
    rules: frozenset[str]           # rules its audit ran
    sites: frozenset[str]           # sites crawled in it (a start page answered 2xx)
    deadline_workdays: int


@dataclass
class Entry:
    fingerprint: str
    rule: str
    site_id: str | None
    first_run: int
    first_seen: date
    opened_run: int
    opened_on: date
    deadline: date
    status: str = "new"
    last_run: int = 0
    last_seen: date | None = None
    last_finding_id: int | None = None
    rectified_run: int | None = None
    rectified_on: date | None = None

    def rechecked_by(self, run: AuditedRun) -> bool:
        """The 复查: the run judged this rule on this problem's site."""
        return self.rule in run.rules and (self.site_id is None or self.site_id in run.sites)


@dataclass(frozen=True)
class Sighting:
    """One finding as the ledger sees it."""
    finding_id: int
    fingerprint: str
    rule: str
    site_id: str | None


@dataclass
class Walk:
    entries: dict[str, Entry] = field(default_factory=dict)
    history: list[dict] = field(default_factory=list)


def walk(runs_in_order: list[AuditedRun], sightings: Mapping[int, list[Sighting]]) -> Walk:
    """The status machine (module doc) over the audited runs in order; pure."""
    out = Walk()
    open_fps: set[str] = set()
    for run in runs_in_order:
        seen: dict[str, Sighting] = {}
        for sighting in sightings.get(run.id, ()):
            seen.setdefault(sighting.fingerprint, sighting)      # the first finding of a run stands for it
        for fp, sighting in seen.items():
            entry = out.entries.get(fp)
            if entry is None:
                deadline = add_working_days(run.as_of, run.deadline_workdays)
                entry = out.entries[fp] = Entry(fp, sighting.rule, sighting.site_id, run.id, run.as_of,
                                                run.id, run.as_of, deadline)
            elif entry.status == "rectified":
                entry.status, entry.rectified_run, entry.rectified_on = "reopened", None, None
                entry.opened_run, entry.opened_on = run.id, run.as_of
                entry.deadline = add_working_days(run.as_of, run.deadline_workdays)
            else:
                entry.status = "overdue" if run.as_of > entry.deadline else "persisting"
            entry.last_run, entry.last_seen, entry.last_finding_id = run.id, run.as_of, sighting.finding_id
            open_fps.add(fp)
            out.history.append({"fingerprint": fp, "run_id": run.id, "as_of": run.as_of, "status": entry.status,
                                "finding_id": sighting.finding_id})
        for fp in sorted(open_fps - seen.keys()):
            entry = out.entries[fp]
            if entry.rechecked_by(run):
                entry.status, entry.rectified_run, entry.rectified_on = "rectified", run.id, run.as_of
                open_fps.discard(fp)
                out.history.append({"fingerprint": fp, "run_id": run.id, "as_of": run.as_of,
                                    "status": "rectified", "finding_id": None})
    return out


def _audited_runs(conn: Connection) -> list[AuditedRun]:
    rows = conn.execute(select(audits.c.run_id, audits.c.as_of, audits.c.rules, runs.c.config_json)
                        .select_from(audits.join(runs, runs.c.id == audits.c.run_id))
                        .order_by(audits.c.run_id, audits.c.id)).all()
    latest = {row.run_id: row for row in rows}        # one audit per run; the newest if ever more
    crawled = _crawled_sites(conn)
    out = []
    for run_id, row in sorted(latest.items()):
        config = json.loads(row.config_json or "{}")
        workdays = (config.get("ledger") or {}).get("deadline_workdays", DEFAULT_DEADLINE_WORKDAYS)
        out.append(AuditedRun(run_id, as_date(row.as_of), frozenset(json.loads(row.rules or "[]")),
                              frozenset(crawled.get(run_id, ())), int(workdays)))
    return out


def _crawled_sites(conn: Connection) -> dict[int, set[str]]:
    """Run id -> sites whose start page answered 2xx in it (the site was crawled)."""
    query = (select(page_sites.c.run_id, page_sites.c.site_id).distinct()
             .select_from(page_sites.join(pages, and_(pages.c.run_id == page_sites.c.run_id,
                                                      pages.c.url == page_sites.c.page_url)))
             .where(page_sites.c.how == "start", pages.c.status >= 200, pages.c.status < 300))
    out: dict[int, set[str]] = {}
    for run_id, site_id in conn.execute(query):
        out.setdefault(run_id, set()).add(site_id)
    return out


def _sightings(conn: Connection) -> dict[int, list[Sighting]]:
    """Every stored finding (each belongs to its run's audit), fingerprinted; `data` is read only
    for the rules whose identity names it."""
    identities = rule_identities()
    data_rules = [rule for rule, fields in identities.items() if any(f.startswith("data.") for f in fields)]
    data = case((findings.c.rule.in_(data_rules), findings.c.data), else_=None) if data_rules else None
    cols = [findings.c.id, findings.c.run_id, findings.c.rule, findings.c.department_id, findings.c.site_id,
            findings.c.column, findings.c.url, findings.c.evidence]
    query = select(*cols, *([data.label("data")] if data is not None else [])).order_by(findings.c.run_id,
                                                                                         findings.c.id)
    out: dict[int, list[Sighting]] = {}
    for row in conn.execute(query).mappings():
        fp = fingerprint(row, identities.get(row["rule"], DEFAULT_IDENTITY))
        out.setdefault(row["run_id"], []).append(Sighting(row["id"], fp, row["rule"], row["site_id"]))
    return out


def _latest_marks(conn: Connection) -> dict[str, dict]:
    """Fingerprint -> its mark (the latest ledger_marks row, unless that is an unmark)."""
    latest: dict[str, dict] = {}
    for row in conn.execute(select(ledger_marks).order_by(ledger_marks.c.id)).mappings():
        latest[row["fingerprint"]] = dict(row)
    return {fp: row for fp, row in latest.items() if row["action"] == "mark"}


def _mark_fields(row: dict | None) -> dict:
    if row is None:
        return {"mark": None, "mark_reason": None, "marked_by": None, "marked_at": None}
    return {"mark": row["mark"], "mark_reason": row["reason"], "marked_by": row["by"], "marked_at": row["at"]}


def _finding_fields(conn: Connection, ids: list[int]) -> dict[int, dict]:
    cols = [findings.c.id, findings.c.category, findings.c.severity, findings.c.department_id, findings.c.column,
            findings.c.url, findings.c.evidence, findings.c.detail]
    out = {}
    for i in range(0, len(ids), _CHUNK):
        for row in conn.execute(select(*cols).where(findings.c.id.in_(ids[i:i + _CHUNK]))).mappings():
            out[row["id"]] = dict(row)
    return out


def rebuild(store: Store, since_run: int | None = None, conn: Connection | None = None) -> dict[str, int]:
    """Recompute the ledger and its history from every audited run (one transaction: `conn`'s
    when given, so an audit stores its findings and the ledger they imply together); marks are
    kept. Returns the number of entries per status.

    `since_run` (the run just audited) only saves writing: the walk is always complete, but
    history rows of earlier runs, which an audit of `since_run` cannot change, are left in place.
    """
    if conn is None:
        with store.tx() as own:
            return rebuild(store, since_run, own)
    audited = _audited_runs(conn)
    result = walk(audited, _sightings(conn))
    fields = _finding_fields(conn, [e.last_finding_id for e in result.entries.values()])
    marks = _latest_marks(conn)
    rows = []
    for entry in result.entries.values():
        latest = fields[entry.last_finding_id]
        rows.append({
            "fingerprint": entry.fingerprint, "rule": entry.rule, "site_id": entry.site_id,
            **{k: latest[k] for k in ("category", "severity", "department_id", "column", "url", "evidence",
                                      "detail")},
            "first_run": entry.first_run, "first_seen": entry.first_seen, "last_run": entry.last_run,
            "last_seen": entry.last_seen, "last_finding_id": entry.last_finding_id,
            "opened_run": entry.opened_run, "opened_on": entry.opened_on, "deadline": entry.deadline,
            "status": entry.status, "rectified_run": entry.rectified_run, "rectified_on": entry.rectified_on,
            **_mark_fields(marks.get(entry.fingerprint)),
        })
    history = result.history
    if since_run is None:
        conn.execute(delete(ledger_history))
    else:
        conn.execute(delete(ledger_history).where(ledger_history.c.run_id >= since_run))
        history = [row for row in history if row["run_id"] >= since_run]
    conn.execute(delete(ledger))
    store.insert_rows(conn, ledger, rows)
    store.insert_rows(conn, ledger_history, history)
    return pd.Series([e.status for e in result.entries.values()], dtype=object).value_counts().to_dict()


def run_changes(store: Store, run_id: int) -> dict[str, int]:
    """How many problems took each status in `run_id` (new, persisting, overdue, rectified, reopened)."""
    frame = store.frame(select(ledger_history.c.status).where(ledger_history.c.run_id == run_id))
    counts = frame["status"].value_counts()
    return {status: int(counts[status]) for status in STATUSES if status in counts.index}


# --------------------------------------------------------------------------- reading

def _names(store: Store) -> tuple[dict[str, str], dict[str, str]]:
    """Department and site names from the audited runs' config snapshots (the latest wins)."""
    departments: dict[str, str] = {}
    sites: dict[str, str] = {}
    query = (select(runs.c.config_json).where(runs.c.id.in_(select(audits.c.run_id))).order_by(runs.c.id))
    with store.engine.connect() as conn:
        for (config_json,) in conn.execute(query):
            config = json.loads(config_json or "{}")
            departments.update({d["id"]: d["name"] for d in config.get("departments", [])})
            sites.update({s["id"]: s["name"] for s in config.get("sites", [])})
    return departments, sites


def ledger_frame(store: Store, department: str | None = None, site: str | None = None,
                 status: str | None = None) -> pd.DataFrame:
    """The public ledger view (docs/cli.md lists the keys), one row per problem, ordered by
    department, site, category and first seen. `department`/`site` match an id or a name;
    `status` matches the state (a mark, else the status) or ``open``."""
    frame = store.frame(select(ledger))
    departments, sites = _names(store)
    state = frame["mark"].where(frame["mark"].notna(), frame["status"])
    out = pd.DataFrame({
        "id": frame["fingerprint"].str[:PREFIX], "fingerprint": frame["fingerprint"],
        "department": frame["department_id"], "department_name": frame["department_id"].map(departments),
        "site": frame["site_id"], "site_name": frame["site_id"].map(sites),
        "rule": frame["rule"], "category": frame["category"], "category_title": frame["category"].map(CATEGORY_TITLES),
        "severity": frame["severity"], "severity_title": frame["severity"].map(SEVERITY_TITLES),
        "column": frame["column"], "url": frame["url"], "evidence": frame["evidence"], "detail": frame["detail"],
        "first_seen": frame["first_seen"], "first_run": frame["first_run"],
        "last_seen": frame["last_seen"], "last_run": frame["last_run"], "finding": frame["last_finding_id"],
        "deadline": frame["deadline"], "status": frame["status"], "mark": frame["mark"],
        "mark_reason": frame["mark_reason"], "marked_by": frame["marked_by"], "marked_at": frame["marked_at"],
        "state": state, "state_title": state.map(STATE_TITLES),
        "open": frame["status"].isin(OPEN) & frame["mark"].isna(),
        "rectified_on": frame["rectified_on"], "rectified_run": frame["rectified_run"],
    })
    for key, value in (("department", department), ("site", site)):
        if value:
            out = out[(out[key] == value) | (out[f"{key}_name"] == value)]
    if status:
        out = out[out["open"]] if status == "open" else out[out["state"] == status]
    order = {c: i for i, c in enumerate(CATEGORIES)}
    out = out.assign(_order=out["category"].map(order).fillna(len(order)))
    out = out.sort_values(["department", "site", "_order", "first_seen", "fingerprint"], na_position="last")
    return out.drop(columns="_order").reset_index(drop=True)


def entry_report(store: Store, finding: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ledger entry of a finding (a findings row, data as dict or JSON) with its history
    and marks, or None when the ledger has no entry for it."""
    fp = fingerprint(finding)
    with store.engine.connect() as conn:
        row = conn.execute(select(ledger).where(ledger.c.fingerprint == fp)).mappings().first()
        if row is None:
            return None
        history = conn.execute(select(ledger_history.c.run_id, ledger_history.c.as_of, ledger_history.c.status,
                                      ledger_history.c.finding_id)
                               .where(ledger_history.c.fingerprint == fp).order_by(ledger_history.c.run_id)).all()
        marks = conn.execute(select(ledger_marks.c.action, ledger_marks.c.mark, ledger_marks.c.reason,
                                    ledger_marks.c.by, ledger_marks.c.at, ledger_marks.c.finding_id)
                             .where(ledger_marks.c.fingerprint == fp).order_by(ledger_marks.c.id)).mappings().all()
    entry = dict(row)
    state = entry["mark"] or entry["status"]
    return {
        "id": fp[:PREFIX], **{k: v for k, v in entry.items() if k != "id"},
        "state": state, "state_title": STATE_TITLES[state],
        "open": entry["status"] in OPEN and entry["mark"] is None,
        "history": [{"run": r.run_id, "as_of": r.as_of, "status": r.status, "finding": r.finding_id} for r in history],
        "marks": [dict(m) for m in marks],
    }


# --------------------------------------------------------------------------- marks

def resolve(store: Store, ident: str) -> tuple[str, int | None]:
    """(fingerprint, finding id or None) for ID: a fingerprint prefix (≥ 4 hex digits) or a finding
    id. An all-digit ID may be either; it must not name two different entries."""
    ident = ident.strip().lower()
    found: dict[str, int | None] = {}
    with store.engine.connect() as conn:
        if ident.isdigit():
            row = conn.execute(select(findings).where(findings.c.id == int(ident))).mappings().first()
            if row is not None:
                fp = fingerprint(row)
                if conn.execute(select(ledger.c.id).where(ledger.c.fingerprint == fp)).first() is None:
                    raise StoreError(f"finding {ident} is not in the ledger; `govaudit ledger rebuild` builds it "
                                     "from the audited runs")
                found[fp] = int(ident)
        if len(ident) >= _MIN_PREFIX and _HEX.fullmatch(ident):
            prefixed = conn.execute(select(ledger.c.fingerprint).where(ledger.c.fingerprint.like(ident + "%"))
                                    .limit(5)).scalars().all()
            if len(prefixed) > 1:
                raise StoreError(f"{ident} matches several ledger entries ({', '.join(p[:PREFIX] for p in prefixed)}"
                                 " …); give more digits")
            for fp in prefixed:
                found.setdefault(fp, None)
    if not found:
        raise StoreError(f"no ledger entry or finding {ident!r} in {store.url}; `govaudit ledger` lists the "
                         f"problem numbers (at least {_MIN_PREFIX} digits) and `govaudit findings` the finding ids")
    if len(found) > 1:
        raise StoreError(f"{ident} is both finding {ident} and ledger entry "
                         f"{next(fp for fp, fid in found.items() if fid is None)[:PREFIX]}; give the problem number "
                         "with more digits")
    return next(iter(found.items()))


def set_mark(store: Store, ident: str, mark: str | None, reason: str, by: str) -> dict[str, Any]:
    """Mark (accepted-risk / false-positive) or, with ``mark=None``, unmark a ledger entry: one
    appended ledger_marks row and the entry updated, in one transaction. Returns the new mark row."""
    if mark is not None and mark not in MARKS:
        raise StoreError(f"unknown mark {mark!r}; use one of {', '.join(MARKS)}")
    if not reason or not reason.strip():
        raise StoreError("a reason is required (--reason): the ledger records why")
    if not by or not by.strip():
        raise StoreError("who marks it is required (--by, default $USER)")
    fp, finding_id = resolve(store, ident)
    with store.tx() as conn:
        current = conn.execute(select(ledger.c.mark).where(ledger.c.fingerprint == fp)).scalar()
        if mark is None and current is None:
            raise StoreError(f"ledger entry {fp[:PREFIX]} is not marked; nothing to unmark")
        row = {"fingerprint": fp, "action": "mark" if mark else "unmark", "mark": mark, "reason": reason.strip(),
               "by": by.strip(), "at": now(), "finding_id": finding_id}
        conn.execute(insert(ledger_marks).values(**row))
        conn.execute(update(ledger).where(ledger.c.fingerprint == fp)
                     .values(**_mark_fields(row if mark else None)))
    return row
