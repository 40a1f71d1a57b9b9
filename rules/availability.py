"""站点无法访问 (V1): the share of failed homepage probes over the week before the run ended.

Probes are wall-clock measurements (``govaudit probe`` from cron, and every crawl's own fetch
of each homepage, crawler.probe). The week judged is the 7 days ending when the audited run's
crawl ended — not the audit's as_of, which may be a fixed day in the past (the demo, a re-audit)
while probes are taken now. A probe failed when the whole homepage did not load within its
timeout (15 s) or the fetch errored (refused, reset, DNS, TLS, 4xx/5xx).

Per site: veto when failures reach ``veto_ratio`` (5%), an early warning (advisory) from
``warn_ratio`` (3%). 19号 asks for ≥20 probes a day; below ``min_probes`` probes in the week the
sample is too small to judge, and a site with failures gets at most an advisory that says so.
No failed probe, no finding.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from rules.base import Finding, RuleMeta
from rules.facts import PROBE_WINDOW, RunFacts

META = RuleMeta(
    id="availability",
    title="站点无法访问",
    category="availability",
    severity="veto",
    indicator="单项否决·站点无法访问",
    source="国办秘函〔2019〕19号",
    confidence="C",
    identity=("site_id",),
    threshold={"veto_ratio": 0.05, "warn_ratio": 0.03, "min_probes": 20,
               "note": "19号要求连续1周、每天监测不少于20次；预警比例3%为服务商常用预警值，"
                       "最少监测次数min_probes为本地默认值"},
    description="连续1周对首页进行监测（每天不少于20次），首页打开时间超过15秒或无法打开即为失败；"
                "失败次数占比达到5%为单项否决，达到3%提前预警。监测次数不足时只作提示。",
)

#: How a probe's error kind (crawler.probe) reads in a bulletin.
ERROR_KINDS = {"timeout": "超时", "dns": "域名解析失败", "refused": "拒绝连接", "reset": "连接中断",
               "tls": "加密连接失败", "redirects": "重定向过多", "other": "其他错误"}


def _reason(error, status) -> str:
    kind = str(error).split(":", 1)[0] if isinstance(error, str) else "other"
    if kind == "http" and pd.notna(status):
        return f"HTTP {int(status)}错误"
    return ERROR_KINDS.get(kind, ERROR_KINDS["other"])


def _reasons(failed: pd.DataFrame) -> str:
    """'超时3次、HTTP 503错误2次', most frequent first."""
    counts = pd.Series([_reason(e, s) for e, s in zip(failed["error"], failed["status"])]).value_counts()
    return "、".join(f"{reason}{n}次" for reason, n in counts.items())


def window_end(facts: RunFacts, frame: pd.DataFrame) -> pd.Timestamp | None:
    """When the judged week ends: the run's end, else (facts built without one) the newest probe."""
    end = pd.Timestamp(facts.ended_at) if facts.ended_at is not None else frame["at"].max()
    if end is None or pd.isna(end):
        return None
    return end.tz_localize("UTC") if end.tzinfo is None else end.tz_convert("UTC")


def week_of_probes(facts: RunFacts) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    """The probes of the judged week (UTC `at`, boolean `ok`) and the week's end."""
    frame = facts.probes.dropna(subset=["site_id", "at"]).copy()
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    frame["ok"] = frame["ok"].fillna(False).astype(bool)
    end = window_end(facts, frame)
    if end is None:
        return frame.iloc[0:0], None
    return frame[(frame["at"] > end - PROBE_WINDOW) & (frame["at"] <= end)], end


def _severity(ratio: float, total: int, settings: dict) -> str | None:
    if ratio < float(settings["warn_ratio"]) and total >= int(settings["min_probes"]):
        return None
    if ratio >= float(settings["veto_ratio"]) and total >= int(settings["min_probes"]):
        return "veto"
    return "advisory"


def _detail(total: int, failed: int, ratio: float, reasons: str, severity: str, settings: dict) -> str:
    veto, warn, minimum = float(settings["veto_ratio"]), float(settings["warn_ratio"]), int(settings["min_probes"])
    head = f"近{PROBE_WINDOW.days}日首页监测{total}次，失败{failed}次（{ratio:.1%}；{reasons}）"
    if total < minimum:
        return f"{head}，监测样本不足（少于{minimum}次），暂不作单项否决判定，请增加监测频次"
    if severity == "veto":
        return f"{head}，达到单项否决标准（{veto:.0%}）"
    return f"{head}，已达预警线（{warn:.0%}），距单项否决标准（{veto:.0%}）较近，请及时排查"


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    week, end = week_of_probes(facts)
    findings = []
    for site_id, site in facts.sites.items():
        probes = week[week["site_id"] == site_id].sort_values("at")
        failed = probes[~probes["ok"]]
        if failed.empty:
            continue
        total, ratio = len(probes), len(failed) / len(probes)
        severity = _severity(ratio, total, settings)
        if severity is None:
            continue
        reasons = _reasons(failed)
        findings.append(Finding.of(
            META, severity=severity, department_id=site.get("department"), site_id=site_id,
            url=probes["url"].iloc[-1], evidence=f"失败{len(failed)}/{total}次（{ratio:.1%}）",
            detail=_detail(total, len(failed), ratio, reasons, severity, settings),
            data={"probes": total, "failed": len(failed), "ratio": round(ratio, 4), "reasons": reasons,
                  "sufficient": total >= int(settings["min_probes"]),
                  "from": (end - PROBE_WINDOW).isoformat(), "to": end.isoformat(),
                  "sources": {k: int(v) for k, v in probes["source"].fillna("probe").value_counts().items()},
                  "first_failure": failed["at"].iloc[0].isoformat(), "last_failure": failed["at"].iloc[-1].isoformat(),
                  "veto_ratio": float(settings["veto_ratio"]), "warn_ratio": float(settings["warn_ratio"]),
                  "min_probes": int(settings["min_probes"])}))
    return findings
