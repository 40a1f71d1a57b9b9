"""链接不可用（死链）: link targets that answer 404/410/5xx, or do not answer at all.

19号 checks 链接可用性 (C); the points it deducts are not published (domain.md §3.2, U), so
``points_each`` / ``points_homepage`` are labelled local defaults, never national rules.

Targets and their facts (the crawler judged nothing; it stored answers):

* internal pages and attachments the crawl fetched: ``pages`` / ``attachments`` status 404, 410,
  5xx, or no status with a fetch error (timeout, refused, DNS, reset …; a download cancelled by our
  own size cap is not the site's fault and is skipped). A status 412 is unverifiable, not dead;
* everything the crawl checked instead of fetching (external targets, internal archives and
  media): ``link_checks`` with verdict ``dead`` (``unverifiable`` → rule unverifiable_link). A
  link_checks answer for a URL overrides what its page row says (a 503 that was a firewall
  challenge is unverifiable); ``skipped`` (check cap reached) and ``ok`` yield nothing.

Internal targets the crawl never fetched (page cap, depth) have no answer and yield nothing.

Referrers: pages whose *visible* ordinary links (``links.context == "a"``, not hidden) or list
entries point at the target. A target linked only from hidden, commented or scripted links is
left to the integrity rule. One finding per broken target **per site** (``page_sites`` of the
linking pages, the config snapshot for the department): a footer link broken on 2,000 pages is
one finding per site listing the count and ``max_examples`` pages; ``data`` lists them all. A
target linked only from pages no section claims gives one finding without site.

Evidence is the status ("HTTP 404") or the failure in Chinese ("连接超时", "连接被拒绝",
"域名无法解析", "连接中断"); the detail names the link by its anchor text.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from os.path import basename
from urllib.parse import unquote, urlsplit

import pandas as pd

from rules.base import Finding, RuleMeta
from rules.facts import RunFacts

META = RuleMeta(
    id="dead_link",
    title="链接不可用",
    category="dead_link",
    severity="deduct",
    indicator="链接可用性",
    source="国办秘函〔2019〕19号",
    confidence="C",
    threshold={
        "max_examples": 5,
        "points_each": 0.1,
        "points_homepage": 1.0,
        "note": "扣分分值为本地默认值（首页上的链接按points_homepage、其他页面按points_each计），"
                "国家未明确分值；链接可用性要求见国办秘函〔2019〕19号",
    },
    description="站内页面、附件及外部链接无法访问：HTTP 404/410/5xx，或连接超时、连接被拒绝、域名无法解析、"
                "连接中断。同一失效链接无论被多少页面引用只计一个问题（按网站分别计）；HTTP 412 与 "
                "JavaScript Cookie 验证页属于“无法核验”（unverifiable_link），不计为死链。扣分分值为本地默认值。",
)

#: Link contexts a reader clicks: ordinary visible anchors (list entries are added separately).
_READER_CONTEXT = "a"

# --- facts → verdicts ----------------------------------------------------------------------
_FAILURES = (   # (exception names, Chinese evidence); the crawler stores "Name: message"
    (("DownloadTimeoutError", "TimeoutError", "TCPTimedOutError", "UserTimeout"), "连接超时"),
    (("DownloadConnectionRefusedError", "ConnectionRefusedError"), "连接被拒绝"),
    (("CannotResolveHostError", "DNSLookupError"), "域名无法解析"),
    (("ConnectionLost", "ConnectionDone", "ConnectionAborted", "ResponseNeverReceived", "ResponseFailed",
      "DownloadFailedError", "ResponseDataLossError", "PotentialDataLoss"), "连接中断"),
    (("SSLError",), "安全连接失败"),
    (("NoRouteError", "ConnectError"), "无法连接"),
)
#: Failures that are our own decision (size cap), not the target's: no verdict.
_OWN_DECISIONS = ("DownloadCancelledError", "IgnoreRequest")


def _failure_name(error: str) -> str:
    return error.split(":", 1)[0].strip()


def failure_evidence(error: str | None) -> str:
    """Chinese evidence of a fetch or check that got no answer."""
    if not error:
        return "无法访问"
    if error.startswith("redirect loop"):
        return "重定向循环"
    name = _failure_name(error)
    for names, evidence in _FAILURES:
        if name in names:
            return evidence
    if "ssl" in error.lower() or "tls" in error.lower():
        return "安全连接失败"
    if "timed out" in error.lower() or "took longer than" in error.lower():
        return "连接超时"
    return "无法访问"


def answer_evidence(status, error) -> str:
    """Evidence of an answer: "HTTP 404", "HTTP 412（防火墙拦截）", "连接超时" …"""
    error = error if isinstance(error, str) else ""
    if _present(status):
        status = int(status)
        if error.startswith("JavaScript cookie challenge"):
            return f"HTTP {status}，JavaScript Cookie验证页（疑似防火墙）"
        if status == 412:
            return "HTTP 412（防火墙拦截）"
        if error.startswith("WAF block page"):
            return f"HTTP {status}（防火墙拦截页）"
        return f"HTTP {status}"
    return failure_evidence(error)


def _present(value) -> bool:
    return value is not None and not pd.isna(value)


def fetched_verdict(status, error) -> str | None:
    """Verdict of a page or attachment the crawl fetched itself, from its stored answer."""
    if _present(status):
        status = int(status)
        if status in (404, 410) or status >= 500:
            return "dead"
        return "unverifiable" if status == 412 else None
    if isinstance(error, str) and error.strip():
        return None if _failure_name(error) in _OWN_DECISIONS else "dead"
    return None


def link_targets(facts: RunFacts) -> pd.DataFrame:
    """Every target with a dead or unverifiable answer: url, verdict, status, error, final_url,
    source (page | attachment | check), evidence."""
    rows: dict[str, dict] = {}
    for source, frame in (("page", facts.pages), ("attachment", facts.attachments)):
        for url, status, error in zip(frame["url"], frame["status"], frame["error"]):
            verdict = fetched_verdict(status, error)
            if verdict:
                rows[url] = {"url": url, "verdict": verdict, "status": status, "error": error, "final_url": None,
                             "source": source}
    checks = facts.link_checks
    if not checks.empty:
        checks = checks[checks["verdict"].isin(("ok", "dead", "unverifiable"))]
        if "checked_at" in checks and checks["checked_at"].notna().any():
            checks = checks.sort_values("checked_at", kind="stable", na_position="first")
        for url, verdict, status, error, final_url in zip(checks["url"], checks["verdict"], checks["status"],
                                                         checks["error"], checks["final_url"]):
            if verdict == "ok":
                rows.pop(url, None)
            else:
                rows[url] = {"url": url, "verdict": verdict, "status": status, "error": error,
                             "final_url": final_url, "source": "check"}
    out = pd.DataFrame(list(rows.values()), columns=["url", "verdict", "status", "error", "final_url", "source"])
    out["evidence"] = [answer_evidence(s, e) for s, e in zip(out["status"], out["error"])]
    return out


def referrers(facts: RunFacts, urls: set[str]) -> pd.DataFrame:
    """(page_url, url, text, internal) of the visible links and list entries pointing at `urls`."""
    links = facts.links
    links = links[links["url"].isin(urls) & (links["context"] == _READER_CONTEXT)
                  & ~links["hidden"].fillna(False).astype(bool)]
    items = facts.list_items
    items = items[items["url"].isin(urls)]
    refs = pd.DataFrame({
        "page_url": [*links["page_url"], *items["page_url"]], "url": [*links["url"], *items["url"]],
        "text": [*links["text"], *items["title"]],
        "internal": [*(v is True or v == 1 for v in links["internal"]), *(False for _ in items["url"])]})
    return refs[refs["page_url"] != refs["url"]]


def _name(url: str) -> str:
    return unquote(basename(urlsplit(url).path)) or url


def _anchor(texts) -> str:
    counted = Counter(t.strip() for t in texts if isinstance(t, str) and t.strip())
    if not counted:
        return ""
    best = max(counted.values())
    return min(t for t, n in counted.items() if n == best)


# --- findings ------------------------------------------------------------------------------
def findings_for(meta: RuleMeta, verdict: str, facts: RunFacts, settings: dict) -> list[Finding]:
    """One finding per (broken target, site of its linking pages) for targets with `verdict`."""
    targets = link_targets(facts)
    targets = targets[targets["verdict"] == verdict]
    if targets.empty:
        return []
    refs = referrers(facts, set(targets["url"]))
    if refs.empty:
        return []
    attributed = facts.page_sites[["page_url", "site_id", "how"]].dropna(subset=["page_url", "site_id"])
    attributed = attributed[attributed["page_url"].isin(set(refs["page_url"]))]
    sites_of: dict[str, set[str]] = {}
    starts: set[tuple[str, str]] = set()
    for page_url, site_id, how in zip(attributed["page_url"], attributed["site_id"], attributed["how"]):
        sites_of.setdefault(page_url, set()).add(site_id)
        if how == "start":
            starts.add((site_id, page_url))
    limit = int(settings.get("max_examples", 5))
    by_target = {url: group for url, group in refs.groupby("url", sort=False)}
    findings = []
    for target in targets.sort_values("url").itertuples(index=False):
        group = by_target.get(target.url)
        if group is None:
            continue      # only hidden/comment/script links point here: the integrity rule's case
        placements: dict[str | None, list[int]] = {}
        for i, page_url in enumerate(group["page_url"]):
            for site_id in sites_of.get(page_url, ()):
                placements.setdefault(site_id, []).append(i)
        if not placements:          # linked only from pages no section claims: still reported
            placements = {None: list(range(len(group)))}
        internal = target.source != "check" or bool(group["internal"].any())
        all_sites = sorted(s for s in placements if s is not None)
        for site_id in sorted(placements, key=lambda s: (s is None, s or "")):
            rows = group.iloc[placements[site_id]]
            pages = sorted(set(rows["page_url"]), key=lambda u: ((site_id, u) not in starts, u))
            anchor = _anchor(rows["text"])
            site = facts.sites.get(site_id, {}) if site_id else {}
            findings.append(Finding.of(
                meta, department_id=site.get("department"), site_id=site_id, url=target.url,
                evidence=target.evidence,
                detail=_detail(verdict, anchor or _name(target.url), target.evidence, pages, limit),
                data=_data(target, internal, anchor, rows, pages, all_sites, limit, settings,
                           homepage=any((site_id, u) in starts for u in pages))))
    return findings


def _detail(verdict: str, name: str, evidence: str, pages: list[str], limit: int) -> str:
    examples = "、".join(pages[:limit]) + ("等" if len(pages) > limit else "")
    what = "无法访问" if verdict == "dead" else "无法自动核验，需人工核实"
    return f"链接「{name}」{what}（{evidence}），共{len(pages)}个页面引用，如：{examples}"


def _data(target, internal: bool, anchor: str, rows: pd.DataFrame, pages: list[str], sites: list[str],
          limit: int, settings: dict, homepage: bool) -> dict:
    anchors = sorted({t.strip() for t in rows["text"] if isinstance(t, str) and t.strip()})
    data = {
        "target": target.url, "verdict": target.verdict, "source": target.source, "internal": internal,
        "status": int(target.status) if _present(target.status) else None,
        "error": target.error if isinstance(target.error, str) else None,
        "final_url": target.final_url if isinstance(target.final_url, str) else None,
        "anchor": anchor, "anchors": anchors[:20], "count": len(pages), "examples": pages[:limit],
        "linked_from": pages, "sites": sites, "linked_from_homepage": homepage,
    }
    if "points_each" in settings:
        data["points"] = settings.get("points_homepage") if homepage else settings.get("points_each")
        data["points_note"] = settings.get("note")
    return data


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    return findings_for(META, "dead", facts, settings)
