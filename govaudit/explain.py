"""`govaudit explain`: the evidence behind one finding, read back from the store.

A finding (by the id `govaudit findings` prints) is shown with the rule that made it (文号,
severity, confidence, the settings the audit used: the rule's defaults overridden by the run's
config snapshot, as `govaudit.pipeline.audit` merges them), the audit's as-of date, and the
facts the judgement used:

* ``column_stale`` / ``column_blank``: the column row, the window start for the audit's as-of
  date, the list pages read (``column_pages`` joined with ``pages``: URL, status, when) and the
  items seen over them with each date and where it came from. Items are assembled by the
  crawler's own code (`crawler.columns.column_items`: list entry date, else the item page's
  publication date as ``page:<source>``), so they are exactly what the column's latest date
  was computed from;
* ``privacy``: the document (page or attachment, and the pages linking to an attachment) and
  its hits from ``pii_hits``, masked;
* ``dead_link`` / ``unverifiable_link``: every stored answer for the target (its page or
  attachment row, its link checks) with the verdict `rules.dead_link` gives it, and the pages
  whose visible links or list entries point at it (`rules.dead_link.referrers`);
* any other rule: the finding's stored ``data`` (and the page row of its URL, if any).

Then the runs involved: the finding's run, and earlier runs with a finding of the same rule,
site and URL, and the finding's ledger entry (`govaudit.ledger.entry_report`: its problem number,
status or mark, first seen, 整改 deadline, the status in every run, the marks with who and when);
when the ledger has no entry for it (a store audited before the ledger existed) ``ledger`` says
so instead of inventing a history.

Privacy first: every string of the report goes through the spider's `masked` before it is
returned, on top of the masking the crawl did before storing (the store holds no raw value).
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

import pandas as pd
from sqlalchemy import select

from crawler.extract.privacy import mask
from crawler.spiders.sections import masked
from govaudit.ledger import entry_report
from govaudit.store import (Store, StoreError, attachments, audits, column_pages, columns, findings, link_checks,
                            links, list_items, page_sites, pages, pii_hits, runs)

NO_LEDGER = "not in the ledger (govaudit ledger rebuild)"
COLUMN_RULES = ("column_stale", "column_blank")
LINK_RULES = ("dead_link", "unverifiable_link")
_PAGE_FIELDS = ("url", "final_url", "status", "fetched_at", "response_ms", "kind", "title", "published",
                "published_source", "column_name", "list_shape", "list_total", "list_placeholder", "error")
_CHUNK = 500     # bound parameters per IN (…) query


def plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO strings, NaN/NaT as None, numpy scalars as Python ones."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)) and not (isinstance(value, float) and value != value):
        return value
    if isinstance(value, pd.Timestamp):
        value = None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, datetime):     # the store keeps UTC; SQLite hands it back naive
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):          # numpy scalar
        return plain(value.item())
    return str(value)


def _records(frame: pd.DataFrame) -> list[dict]:
    return [plain(row) for row in frame.astype(object).to_dict("records")]


def _in(column, values: list) -> list:
    """`column IN values` conditions, chunked."""
    values = list(dict.fromkeys(v for v in values if v is not None))
    return [column.in_(values[i:i + _CHUNK]) for i in range(0, len(values), _CHUNK)] or [column.in_([])]


def _frame_in(store: Store, conn, table, run_id: int, column, values: list, cols=None) -> pd.DataFrame:
    selected = [table.c[c] for c in cols] if cols else [table]
    parts = [store.frame(select(*selected).where(table.c.run_id == run_id, cond), conn) for cond in _in(column, values)]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


# --------------------------------------------------------------------------- the report

def explain(store: Store, finding_id: int) -> dict[str, Any]:
    """The evidence for finding `finding_id` (docs/cli.md lists every key), masked."""
    with store.engine.connect() as conn:
        row = conn.execute(select(findings).where(findings.c.id == finding_id)).mappings().first()
        if row is None:
            raise StoreError(f"no finding {finding_id} in {store.url}; `govaudit findings` lists the finding ids")
        finding = dict(row)
        data = json.loads(finding.pop("data") or "{}")
        run = store.run(finding["run_id"])
        config = run.pop("config")
        audit = conn.execute(select(audits).where(audits.c.id == finding["audit_id"])).mappings().first()
        audit = dict(audit) if audit else {"id": finding["audit_id"], "as_of": None, "created_at": None, "rules": None}
        as_of = audit["as_of"]
        rule_id = finding["rule"]
        if rule_id in COLUMN_RULES:
            facts = _column_facts(store, conn, finding, data, as_of, config)
        elif rule_id == "privacy":
            facts = _privacy_facts(store, conn, finding, data)
        elif rule_id in LINK_RULES:
            facts = _link_facts(store, conn, finding, data, config)
        else:
            facts = _generic_facts(store, conn, finding, data)
        earlier = _earlier_runs(store, conn, finding)
    report = {
        "finding": {
            "id": finding["id"], "rule": rule_id, "category": finding["category"], "severity": finding["severity"],
            "department": finding["department_id"], "site": finding["site_id"], "column": finding["column"],
            "url": finding["url"], "evidence": finding["evidence"], "detail": finding["detail"], "data": data,
            "run": finding["run_id"], "audit": finding["audit_id"],
        },
        "rule": _rule(rule_id, config),
        "audit": {"id": audit["id"], "as_of": audit["as_of"], "created_at": audit["created_at"],
                  "rules": json.loads(audit["rules"]) if isinstance(audit.get("rules"), str) else audit.get("rules")},
        "facts": facts,
        "runs": {
            "run": {key: run.get(key) for key in ("id", "status", "started_at", "finished_at", "pages", "errors",
                                                  "config_path", "config_digest")},
            "earlier": earlier,
        },
        "ledger": entry_report(store, {**finding, "data": data}) or {"status": NO_LEDGER, "history": [], "marks": []},
    }
    return _masked(plain(report))


def _masked(value: Any) -> Any:
    """Every string through the spider's `masked` (the store is masked already; this is the guard)."""
    if isinstance(value, str):
        return masked(value)[0]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _rule(rule_id: str, config: dict) -> dict[str, Any]:
    """The rule's metadata and the settings the audit used (defaults + the run's config)."""
    from rules.registry import rule

    try:
        meta = rule(rule_id).META
    except KeyError:
        return {"id": rule_id, "known": False, "note": "this rule is no longer installed; its metadata is unknown"}
    overrides = config.get("rules", {}).get(rule_id, {})
    return {**meta.as_dict(), "known": True, "settings": meta.settings(overrides), "config_overrides": overrides}


def _earlier_runs(store: Store, conn, finding: dict) -> list[dict]:
    """Earlier runs whose (latest) audit has a finding of the same rule, site and URL."""
    query = (select(findings.c.id.label("finding"), findings.c.run_id.label("run"), findings.c.severity,
                    findings.c.detail, audits.c.as_of, runs.c.status, runs.c.started_at, runs.c.finished_at)
             .select_from(findings.join(audits, audits.c.id == findings.c.audit_id)
                          .join(runs, runs.c.id == findings.c.run_id))
             .where(findings.c.rule == finding["rule"], findings.c.run_id < finding["run_id"],
                    findings.c.site_id.is_not_distinct_from(finding["site_id"]),
                    findings.c.url.is_not_distinct_from(finding["url"]))
             .order_by(findings.c.run_id.desc(), findings.c.id))
    return _records(store.frame(query, conn))


def _page_rows(store: Store, conn, run_id: int, urls: list[str]) -> pd.DataFrame:
    return _frame_in(store, conn, pages, run_id, pages.c.url, urls, list(_PAGE_FIELDS))


# --------------------------------------------------------------------------- columns

def _column_facts(store: Store, conn, finding: dict, data: dict, as_of: date | None, config: dict) -> dict:
    from crawler.columns import ENTRY_FIELDS, column_items
    from rules.facts import RunFacts

    run_id, url = finding["run_id"], finding["url"]
    column = conn.execute(select(columns).where(columns.c.run_id == run_id, columns.c.url == url,
                                                columns.c.site_id.is_not_distinct_from(finding["site_id"]))
                          ).mappings().first()
    if column is None:
        column = conn.execute(select(columns).where(columns.c.run_id == run_id, columns.c.url == url)).mappings().first()
    column = dict(column) if column else None
    update_class = column["update_class"] if column else data.get("update_class")
    window_start = None
    if as_of is not None and update_class:
        window_start = RunFacts(run_id, config).windows[update_class].start(as_of)
    col_pages = store.frame(select(column_pages.c.run_id, column_pages.c.column_url, column_pages.c.page_url,
                                   column_pages.c.page_no)
                            .where(column_pages.c.run_id == run_id, column_pages.c.column_url == url)
                            .order_by(column_pages.c.page_no), conn)
    page_urls = list(col_pages["page_url"]) or [url]      # an unfetched configured column: its own row
    fetched = _page_rows(store, conn, run_id, page_urls)
    order = {u: i for i, u in enumerate(page_urls)}
    fetched = fetched.assign(page_no=fetched["url"].map(lambda u: order.get(u, len(order)) + 1)).sort_values("page_no")
    entries = _frame_in(store, conn, list_items, run_id, list_items.c.page_url, list(col_pages["page_url"]),
                        ENTRY_FIELDS + ["raw_date"])
    item_pages = _page_rows(store, conn, run_id, list(entries["url"].dropna()))[["url", "published", "published_source"]]
    items = column_items(entries[ENTRY_FIELDS], col_pages, item_pages) if not col_pages.empty else pd.DataFrame()
    entries = entries[["page_url", "position", "url", "raw_date"]]
    latest = column["latest_date"] if column else None
    rows = []
    if not items.empty:
        items = items.merge(entries.rename(columns={"url": "entry_url"}), on=["page_url", "position"], how="left")
        marked = False
        for item in items.itertuples(index=False):
            day = item.date if isinstance(item.date, date) and not pd.isna(item.date) else None
            is_latest = bool(day is not None and latest is not None and day == latest and not marked)
            marked = marked or is_latest
            rows.append({"page_no": item.page_no, "page_url": item.page_url, "position": item.position,
                         "title": item.title, "url": item.url, "date": day, "date_source": item.date_source,
                         "raw_date": item.raw_date,
                         "in_window": None if day is None or window_start is None else day >= window_start,
                         "latest": is_latest})
    dated = [r for r in rows if r["date"] is not None]
    return {
        "kind": "column",
        "column": column,
        "as_of": as_of,
        "window": column["window"] if column else data.get("window"),
        "window_start": window_start,
        "latest_date": latest,
        "latest_source": column["latest_source"] if column else data.get("latest_source"),
        "days_since": (as_of - latest).days if as_of and latest else None,
        "pages": _records(fetched[["page_no", *_PAGE_FIELDS]]),
        "items": rows,
        "counts": {"items": len(rows), "dated": len(dated), "undated": len(rows) - len(dated),
                   "in_window": sum(1 for r in dated if r["in_window"])},
    }


# --------------------------------------------------------------------------- privacy

def _privacy_facts(store: Store, conn, finding: dict, data: dict) -> dict:
    run_id, url = finding["run_id"], finding["url"]
    hits = store.frame(select(pii_hits.c.doc_kind, pii_hits.c.kind, pii_hits.c.masked, pii_hits.c.position,
                              pii_hits.c.context)
                       .where(pii_hits.c.run_id == run_id, pii_hits.c.doc_url == url)
                       .order_by(pii_hits.c.position), conn)
    doc_kind = data.get("doc_kind") or (hits["doc_kind"].iloc[0] if not hits.empty else None)
    if doc_kind == "attachment":
        document = store.frame(select(attachments.c.url, attachments.c.status, attachments.c.content_type,
                                      attachments.c.ext, attachments.c.bytes, attachments.c.fetched_at,
                                      attachments.c.error)
                               .where(attachments.c.run_id == run_id, attachments.c.url == url), conn)
    else:
        document = _page_rows(store, conn, run_id, [url])
    linking = store.frame(select(links.c.page_url, links.c.text, links.c.hidden, links.c.context)
                          .where(links.c.run_id == run_id, links.c.url == url).order_by(links.c.page_url), conn)
    return {
        "kind": "privacy",
        "document": {"url": url, "doc_kind": doc_kind, **(_records(document)[0] if not document.empty else {})},
        "hits": [{"kind": h.kind, "masked": mask(str(h.masked), h.kind), "position": h.position,
                  "context": h.context} for h in hits.itertuples(index=False)],
        "counts": data.get("counts"),
        "linked_from": _records(linking) if doc_kind == "attachment" else [],
    }


# --------------------------------------------------------------------------- links

def _link_facts(store: Store, conn, finding: dict, data: dict, config: dict) -> dict:
    from rules.dead_link import answer_evidence, fetched_verdict, referrers
    from rules.facts import RunFacts

    run_id = finding["run_id"]
    target = data.get("target") or finding["url"]
    answers = []
    for source, table in (("page", pages), ("attachment", attachments)):
        cols = [table.c.url, table.c.status, table.c.error, table.c.fetched_at] + (
            [table.c.final_url] if source == "page" else [])
        for row in store.frame(select(*cols).where(table.c.run_id == run_id, table.c.url == target), conn
                               ).to_dict("records"):
            answers.append({"source": source, "status": row["status"], "error": row["error"],
                            "final_url": row.get("final_url"), "at": row["fetched_at"],
                            "verdict": fetched_verdict(row["status"], row["error"]),
                            "evidence": answer_evidence(row["status"], row["error"])})
    checks = store.frame(select(link_checks).where(link_checks.c.run_id == run_id, link_checks.c.url == target)
                         .order_by(link_checks.c.checked_at), conn)
    for row in checks.to_dict("records"):
        answers.append({"source": "check", "status": row["status"], "error": row["error"],
                        "final_url": row["final_url"], "at": row["checked_at"], "verdict": row["verdict"],
                        "evidence": answer_evidence(row["status"], row["error"]), "response_ms": row["response_ms"]})
    link_rows = store.frame(select(links.c.page_url, links.c.url, links.c.text, links.c.hidden, links.c.context,
                                   links.c.block, links.c.internal)
                            .where(links.c.run_id == run_id, links.c.url == target), conn)
    entry_rows = store.frame(select(list_items.c.page_url, list_items.c.position, list_items.c.title,
                                    list_items.c.url, list_items.c.date, list_items.c.date_source)
                             .where(list_items.c.run_id == run_id, list_items.c.url == target), conn)
    refs = referrers(RunFacts(run_id, config, links=link_rows, list_items=entry_rows), {target})
    ref_pages = sorted(set(refs["page_url"]))
    sites = _frame_in(store, conn, page_sites, run_id, page_sites.c.page_url, ref_pages, ["page_url", "site_id", "how"])
    sites_of = {u: sorted(set(g["site_id"])) for u, g in sites.groupby("page_url")} if not sites.empty else {}
    info = _page_rows(store, conn, run_id, ref_pages).set_index("url") if ref_pages else pd.DataFrame()
    in_finding = set(data.get("linked_from") or [])
    linking = []
    for ref in refs.sort_values("page_url").itertuples(index=False):
        page = info.loc[ref.page_url] if ref.page_url in info.index else None
        linking.append({"page_url": ref.page_url, "text": ref.text, "title": page["title"] if page is not None else None,
                        "status": page["status"] if page is not None else None,
                        "sites": sites_of.get(ref.page_url, []), "in_this_finding": ref.page_url in in_finding})
    other = link_rows[(link_rows["context"] != "a") | link_rows["hidden"].fillna(False).astype(bool)]
    return {
        "kind": "link",
        "target": target,
        "verdict": data.get("verdict"),
        "evidence": finding["evidence"],
        "answers": answers,
        "linking_pages": linking,
        "hidden_or_script_links": _records(other[["page_url", "text", "hidden", "context"]]),
    }


# --------------------------------------------------------------------------- other rules

def _generic_facts(store: Store, conn, finding: dict, data: dict) -> dict:
    page = _page_rows(store, conn, finding["run_id"], [finding["url"]]) if finding["url"] else pd.DataFrame()
    return {"kind": "generic", "data": data, "page": _records(page)[0] if not page.empty else None}


# --------------------------------------------------------------------------- text output

def render_text(report: dict[str, Any]) -> str:
    """The report as plain text for a supervisor (everything is also in --format json)."""
    f, rule, audit, facts = report["finding"], report["rule"], report["audit"], report["facts"]
    out: list[str] = []
    add = out.append

    def kv(label: str, value, indent: int = 2) -> None:
        if value is not None and value != "" and value != []:
            add(" " * indent + f"{label}: {value}")

    add(f"Finding {f['id']} · {f['rule']} · {rule.get('title', '?')} · severity {f['severity']}")
    kv("detail", f["detail"])
    kv("department / site", f"{f['department'] or '—'} / {f['site'] or '—'}")
    kv("column", f["column"])
    kv("url", f["url"])
    kv("evidence", f["evidence"])
    data = json.dumps(f["data"], ensure_ascii=False) if f["data"] else None
    kv("data", data if data is None or len(data) <= 600 else data[:600] + " … (--format json has all)")
    add("")
    add("Rule")
    if rule.get("known"):
        kv("title", f"{rule['title']} ({rule['id']}, category {rule['category']})")
        kv("文号 / source", rule["source"])
        kv("indicator", rule["indicator"])
        kv("severity / confidence", f"{rule['severity']} / {rule['confidence']}")
        kv("settings used", json.dumps(rule["settings"], ensure_ascii=False))
        if rule["config_overrides"]:
            kv("overridden by the run's config", json.dumps(rule["config_overrides"], ensure_ascii=False))
        kv("description", rule["description"])
    else:
        kv("note", rule.get("note"))
    add("")
    add(f"Audit {audit['id']}: as of {audit['as_of']} (created {audit['created_at']})")
    add("")
    kind = facts["kind"]
    if kind == "column":
        _column_text(facts, add, kv)
    elif kind == "privacy":
        _privacy_text(facts, add, kv)
    elif kind == "link":
        _link_text(facts, add, kv)
    else:
        add("Facts (the finding's data)")
        for key, value in (facts["data"] or {}).items():
            kv(key, json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value)
        if facts["page"]:
            p = facts["page"]
            kv("page", f"{p['url']}  status {p['status']}  fetched {p['fetched_at']}  kind {p['kind']}")
    add("")
    run = report["runs"]["run"]
    add("Runs")
    add(f"  run {run['id']}: {run['status']}, started {run['started_at']}, finished {run['finished_at']}, "
        f"{run['pages']} pages, {run['errors']} errors")
    earlier = report["runs"]["earlier"]
    if earlier:
        add("  earlier runs with the same finding (rule, site, URL):")
        for e in earlier:
            add(f"    run {e['run']} ({e['status']}, started {e['started_at']}): finding {e['finding']} "
                f"as of {e['as_of']} — {e['detail']}")
    else:
        add("  earlier runs with the same finding (rule, site, URL): none")
    add("")
    _ledger_text(report["ledger"], add)
    return "\n".join(out) + "\n"


def _ledger_text(entry: dict, add) -> None:
    if "fingerprint" not in entry:
        add(f"Ledger: {entry['status']}")
        return
    add(f"Ledger: problem {entry['id']} · {entry['state_title']} ({entry['state']})"
        + ("" if entry["open"] else " · not open"))
    add(f"  first seen {entry['first_seen']} (run {entry['first_run']}), last seen {entry['last_seen']} "
        f"(run {entry['last_run']}), deadline {entry['deadline']}"
        + (f" (reopened {entry['opened_on']}, run {entry['opened_run']})" if entry["opened_run"] != entry["first_run"]
           else "")
        + (f", rectified {entry['rectified_on']} (run {entry['rectified_run']})" if entry["rectified_run"] else ""))
    add("  history: " + "; ".join(f"run {h['run']} {h['as_of']} {h['status']}"
                                  + (f" (finding {h['finding']})" if h["finding"] else "") for h in entry["history"]))
    for m in entry["marks"]:
        what = f"{m['action']} {m['mark']}" if m["mark"] else m["action"]
        add(f"  {what} by {m['by']} at {m['at']}: {m['reason']}")


def _column_text(facts: dict, add, kv) -> None:
    c = facts["column"]
    add("Facts: the column")
    if c:
        kv("name", f"{c['name']} ({c['name_source']})")
        kv("url", c["url"])
        kv("update class", f"{c['update_class']} ({c['class_source']}), window {c['window']}")
        kv("shape / pages", f"{c['shape']} / {c['pages']}")
        kv("items", f"{c['item_count']} ({c['undated_count']} undated)"
           + (", placeholder 暂无信息" if c["placeholder"] else "") + ("" if c["fetched"] else ", NOT FETCHED"))
    kv("latest date", f"{facts['latest_date'] or 'none'} (source {facts['latest_source'] or '—'})")
    kv("as of", facts["as_of"])
    kv("window start", f"{facts['window_start']} (an item dated on or after it counts as an update)"
       if facts["window_start"] else None)
    kv("days since latest", facts["days_since"])
    add("  list pages read:")
    for p in facts["pages"]:
        add(f"    {p['page_no']}. {p['url']}  status {p['status'] if p['status'] is not None else '—'}  "
            f"fetched {p['fetched_at']}" + (f"  error {p['error']}" if p["error"] else ""))
    counts = facts["counts"]
    add(f"  items seen ({counts['items']}: {counts['dated']} dated, {counts['undated']} undated, "
        f"{counts['in_window']} within the window):")
    for i in facts["items"]:
        flag = "  ← latest" if i["latest"] else ""
        raw = f" raw “{i['raw_date']}”" if i["raw_date"] else ""
        add(f"    {i['date'] or 'undated':10}  {i['date_source'] or '—':12}{raw}  p{i['page_no']}#{i['position']}  "
            f"{i['title']}  {i['url']}{flag}")


def _privacy_text(facts: dict, add, kv) -> None:
    d = facts["document"]
    add(f"Facts: the document ({d.get('doc_kind') or '?'})")
    kv("url", d["url"])
    kv("title", d.get("title"))
    kv("status", d.get("status"))
    kv("fetched", d.get("fetched_at"))
    kv("counts", json.dumps(facts["counts"], ensure_ascii=False) if facts["counts"] else None)
    add(f"  personal data found (masked; positions are offsets in the stored text): {len(facts['hits'])}")
    for h in facts["hits"]:
        add(f"    {h['kind']:9}  {h['masked']}  at {h['position']}  context “{h['context']}”")
    if facts["linked_from"]:
        add("  linked from:")
        for link in facts["linked_from"]:
            add(f"    {link['page_url']}  “{link['text']}”")


def _link_text(facts: dict, add, kv) -> None:
    add("Facts: the link target")
    kv("target", facts["target"])
    kv("verdict", f"{facts['verdict']} ({facts['evidence']})")
    add("  answers stored for it:")
    for a in facts["answers"]:
        add(f"    {a['source']:10} status {a['status'] if a['status'] is not None else '—'}  "
            f"verdict {a['verdict'] or '—'}  {a['evidence']}  at {a['at']}"
            + (f"  error {a['error']}" if a["error"] else "") + (f"  → {a['final_url']}" if a["final_url"] and a["final_url"] != facts["target"] else ""))
    add(f"  pages linking to it (visible links and list entries): {len(facts['linking_pages'])}")
    for p in facts["linking_pages"]:
        sites = ",".join(p["sites"]) or "no section"
        add(f"    {p['page_url']}  “{p['text']}”  [{sites}]" + ("" if p["in_this_finding"] else "  (other site)"))
    if facts["hidden_or_script_links"]:
        add("  also linked from hidden, commented or scripted links (left to the integrity rule):")
        for link in facts["hidden_or_script_links"]:
            add(f"    {link['page_url']}  {link['context']}{' hidden' if link['hidden'] else ''}  “{link['text']}”")
