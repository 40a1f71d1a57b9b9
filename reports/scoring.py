"""Scores (国办秘函〔2019〕19号 model), the month's judgement, department ranks, grades and 效能预警.

The model (docs/scoring.md explains every default, its source and its confidence):

* every finding counts under one **indicator** (`RULE_INDICATORS`, `scoring.rules` in the config);
  an indicator deducts ``points`` per finding up to its ``cap`` per site and run (`INDICATORS`);
* **veto gate**: a site with any finding of severity ``veto`` is 不合格 and gets no score (the
  veto reasons are listed); otherwise score = 100 − deductions, and below ``pass_mark`` (60) it
  is 不合格. Advisory findings (early warnings) never deduct; aggregate rules (site-level counts
  such as stale_count) may veto but never deduct on top of the findings they count;
* **no double deduction**: a column (its URL, else its name) counted under one ``per_column``
  indicator is not deducted again under another; it stays under the indicator that deducts most
  per finding (a stale 政策文件 column under the 19号 −5 indicator, not under 栏目更新不及时);
* a finding of a rule missing from the table deducts 0 and is listed in ``unknown_rules``
  (a veto finding still vetoes: the veto is the finding's own judgement).

Frames (tidy; verdicts are the strings 合格/不合格; numbers are numbers; a missing number is
NaN, a missing rank <NA>; ``frame.astype(object).where(frame.notna(), None)`` gives None):

``indicators`` (`indicator_table`)
    indicator, title, points, cap, source, confidence (C/P/U), per_column, note, rules (list of rule
    ids counted there), configured (the config sets this indicator's points: they replace the rule's own).
``points`` (`finding_points`), one row per finding
    id, run_id, department_id, site_id, rule, category, severity, column, url, detail, indicator
    (None for an unknown rule), status, counted_under, points. status is one of veto | deducted |
    duplicate (the column is already counted under ``counted_under``) | advisory | aggregate |
    unknown_rule | no_site (a finding no site owns) | false_positive (its ledger entry is marked a
    false positive: it neither vetoes nor deducts); points is what the finding deducts before the cap
    (0 unless deducted).
``deductions`` (`indicator_deductions`), one row per run, site and indicator with deducted findings
    run_id, site_id, indicator, title, findings, points (sum before the cap), cap, deducted, capped.
``site_runs`` (`site_scores`), one row per run and site of the run's config snapshot
    run_id, as_of, site_id, site, department_id, department, veto (bool), veto_reasons (list of
    Chinese sentences), deductions, score (NaN when vetoed), verdict.
``sites`` (the month per site, `month_judgement` then `finish_month`)
    the ``site_runs`` columns of the run that judges the month, plus month, rank, grade,
    previous_score, previous_rank, previous_verdict, score_change, rank_change, verdict_change.
``departments`` (`department_scores` then `finish_month`)
    month, department_id, department, sites, sites_failed, veto, veto_reasons (「site：reason」),
    score, verdict, rank, grade, previous_score, previous_rank, previous_verdict, score_change,
    rank_change, verdict_change, warning (效能预警, bool).
``unknown_rules``: rule, findings.

Ranks are competition ranks (1, 2, 2, 4): 合格 units by score, then 不合格 units with a score,
then vetoed units (all tied); listings are ordered by rank, then name. score_change = score −
previous_score; rank_change = previous_rank − rank (positive: moved up); verdict_change is None
without a previous month, else 不变, 转为合格 or 转为不合格.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date

import numpy as np
import pandas as pd

from sqlalchemy import select

from govaudit.config import Config, RuleRoute, Scoring
from govaudit.store import Store, StoreError, ledger, ledger_history

PASS, FAIL = "合格", "不合格"
FULL_MARKS = 100.0
SITE_KEYS = ["run_id", "site_id"]


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    points: float          # deducted per finding
    cap: float             # most the indicator deducts from one site in one run
    source: str
    confidence: str        # C confirmed · P very likely · U unconfirmed local default
    per_column: bool = False
    note: str = ""


_19 = "国办秘函〔2019〕19号"
_LOCAL = "本地默认值"
_VETO_NOTE = "单项否决，不扣分"

#: The default indicator table; `scoring.indicators` in the config changes or extends it.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("veto_unreachable", "单项否决·站点无法访问", 0, 0, _19, "C", note=_VETO_NOTE),
    Indicator("veto_homepage", "单项否决·首页不更新", 0, 0, _19, "C", note=_VETO_NOTE),
    Indicator("veto_stale_columns", "单项否决·栏目不更新", 0, 0, _19, "C", note=_VETO_NOTE),
    Indicator("veto_blank_columns", "单项否决·空白栏目", 0, 0, _19, "C", note=_VETO_NOTE),
    Indicator("veto_severe", "单项否决·严重问题", 0, 0, _19, "C", note=_VETO_NOTE),
    Indicator("policy_stale", "政策文件类栏目6个月未更新", 5, 5, _19, "P", per_column=True,
              note="19号：政策文件类一级栏目6个月未更新扣5分（栏目层级暂未识别，按全部政策文件类栏目计）"),
    Indicator("service_stats_stale", "办事统计数据3个月未更新", 2, 2, _19, "P", per_column=True,
              note="19号扣2分；暂无对应规则"),
    Indicator("reply_stale", "留言答复2个月未更新", 3, 3, _19, "P", per_column=True,
              note="19号扣3分；暂无对应规则"),
    Indicator("column_stale", "栏目更新不及时", 1, 10, _LOCAL, "U", per_column=True),
    Indicator("column_blank", "空白栏目", 1, 4, _LOCAL, "U", per_column=True,
              note="达到5个时单项否决（blank_count），否决前每个扣分"),
    Indicator("section_missing", "政府信息公开专栏内容缺失", 2, 8, _LOCAL, "U"),
    Indicator("profile_missing", "概况信息缺失", 1, 4, _LOCAL, "U"),
    Indicator("annual_report", "政府信息公开年度报告问题", 2, 6, _LOCAL, "U"),
    Indicator("interpretation", "政策解读问题", 0.5, 5, _LOCAL, "U", note="规则自带分值（rules.interpretation.points_each）"),
    Indicator("links", "链接不可用", 0.1, 5, _LOCAL, "U",
              note="规则自带分值（rules.dead_link.points_each / points_homepage）"),
    Indicator("identity", "网站标识不规范", 0.5, 3, _LOCAL, "U", note="规则自带分值（rules.identity.points_each）"),
    Indicator("privacy", "个人信息未去标识化", 2, 10, _LOCAL, "U"),
    Indicator("timeliness", "信息发布不及时", 0.5, 5, _LOCAL, "U"),
)

#: rule id -> indicator id, or a route by one value of the finding's data. Every rule of
#: rules/registry.py is here (a test checks it); `scoring.rules` in the config overrides.
RULE_INDICATORS: dict[str, str | RuleRoute] = {
    "availability": "veto_unreachable",
    "homepage_stale": "veto_homepage",
    "stale_count": "veto_stale_columns",
    "blank_count": "veto_blank_columns",
    "expression": "veto_severe",
    "integrity": "veto_severe",
    "forged_date": "veto_severe",
    "column_stale": RuleRoute(by="update_class", map={"政策文件": "policy_stale"}, default="column_stale"),
    "column_blank": "column_blank",
    "section_missing": RuleRoute(by="group", map={"概况信息": "profile_missing"}, default="section_missing"),
    "annual_report": "annual_report",
    "interpretation": "interpretation",
    "dead_link": "links",
    "unverifiable_link": "links",
    "identity": "identity",
    "privacy": "privacy",
    "timeliness": "timeliness",
}


# --- the model -----------------------------------------------------------------------------------
def rule_routes(scoring: Scoring) -> dict[str, str | RuleRoute]:
    """rule id -> indicator id or route: the default table overridden by `scoring.rules`."""
    return {**RULE_INDICATORS, **scoring.rules}


def indicator_table(scoring: Scoring) -> pd.DataFrame:
    """The indicators in force: the default table changed or extended by `scoring.indicators`."""
    rows = {i.id: {**asdict(i), "configured": False} for i in INDICATORS}
    for ident, setting in scoring.indicators.items():
        base = rows.get(ident, {"id": ident, "title": ident, "source": "本地配置", "confidence": "U",
                                "per_column": False, "note": ""})
        rows[ident] = {**base, **setting.model_dump(exclude_none=True), "configured": setting.points is not None}
    table = pd.DataFrame(list(rows.values())).rename(columns={"id": "indicator"})
    table[["points", "cap"]] = table[["points", "cap"]].astype(float)
    targets: dict[str, list[str]] = {}
    for rule, route in rule_routes(scoring).items():
        for target in ({route} if isinstance(route, str) else {*route.map.values(), route.default}):
            targets.setdefault(target, []).append(rule)
    table["rules"] = table["indicator"].map(lambda ident: sorted(targets.get(ident, [])))
    return table[["indicator", "title", "points", "cap", "source", "confidence", "per_column", "note", "rules",
                  "configured"]]


def _data(value) -> dict:
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value:
        try:
            parsed = json.loads(value)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


def _as_key(value) -> str | None:
    """A data value as the text a route's map is keyed by (JSON for non-strings: true, 3)."""
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _indicators(findings: pd.DataFrame, data: pd.Series, routes: dict[str, str | RuleRoute]) -> pd.Series:
    """The indicator each finding counts under (None for a rule the routes do not know)."""
    simple = {rule: route for rule, route in routes.items() if isinstance(route, str)}
    indicator = findings["rule"].map(simple).astype(object)
    for rule, route in routes.items():
        if isinstance(route, RuleRoute):
            mask = findings["rule"] == rule
            values = data[mask].map(lambda d: _as_key(d.get(route.by)))
            indicator[mask] = values.map(route.map).fillna(route.default).astype(object)
    return indicator.where(indicator.notna(), None)


def finding_points(findings: pd.DataFrame, scoring: Scoring, aggregate: frozenset[str] | None = None) -> pd.DataFrame:
    """One row per finding: its indicator, status and the points it deducts before the cap.

    `findings` has store.findings' columns (id, run_id, rule, category, severity, department_id,
    site_id, column, url, detail, data as JSON text or dict). Points: the indicator's points when
    the config sets them, else the finding's own ``data.points`` / ``data.points_each`` (rules
    that weigh their findings themselves), else the table's."""
    aggregate = aggregate_rules() if aggregate is None else aggregate
    table = indicator_table(scoring).set_index("indicator")
    frame = findings.reindex(columns=["id", "run_id", "department_id", "site_id", "rule", "category", "severity",
                                      "column", "url", "detail", "data", "mark"]).copy()
    data = frame.pop("data").map(_data)
    frame["indicator"] = _indicators(frame, data, rule_routes(scoring))
    known = frame["indicator"].isin(table.index)
    frame["indicator"] = frame["indicator"].where(known, None)
    own = pd.to_numeric(data.map(lambda d: d.get("points", d.get("points_each"))), errors="coerce")
    configured = frame["indicator"].map(table["configured"]).fillna(False).astype(bool)
    listed = frame["indicator"].map(table["points"]).astype(float)
    points = listed.where(configured | own.isna(), own)
    frame["status"] = np.select(
        [frame.pop("mark").eq("false-positive"), frame["site_id"].isna(), frame["severity"].eq("veto"),
         frame["severity"].ne("deduct"), ~known, frame["rule"].isin(aggregate)],
        ["false_positive", "no_site", "veto", "advisory", "unknown_rule", "aggregate"], default="deducted")
    frame["points"] = points.where(frame["status"].eq("deducted"), 0.0).fillna(0.0)
    return _mark_duplicates(frame, table)


def _mark_duplicates(frame: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """A column counted under one per-column indicator is not deducted again under another: it
    stays under the one deducting most per finding (then the first in the table)."""
    frame["counted_under"] = None
    key = frame["url"].where(frame["url"].notna(), frame["column"])
    per_column = (frame["status"].eq("deducted") & key.notna()
                  & frame["indicator"].map(table["per_column"]).fillna(False).astype(bool))
    order = {ident: n for n, ident in enumerate(table.index)}
    candidates = (frame[per_column].assign(_key=key, _order=frame["indicator"].map(order))
                  .sort_values(["points", "_order", "id"], ascending=[False, True, True]))
    groups = candidates.groupby(["run_id", "site_id", "_key"], sort=False)["indicator"]
    repeated = candidates.index[groups.cumcount() > 0]
    frame.loc[repeated, "counted_under"] = groups.transform("first")[repeated]
    frame.loc[repeated, ["status", "points"]] = ["duplicate", 0.0]
    return frame


def indicator_deductions(points: pd.DataFrame, scoring: Scoring) -> pd.DataFrame:
    """Per run, site and indicator: findings deducted, their points, the cap and what is deducted."""
    table = indicator_table(scoring).set_index("indicator")
    counted = points[points["status"].eq("deducted")]
    out = (counted.groupby([*SITE_KEYS, "indicator"]).agg(findings=("points", "size"), points=("points", "sum"))
           .reset_index())
    out["title"] = out["indicator"].map(table["title"])
    out["cap"] = out["indicator"].map(table["cap"]).astype(float)
    out["points"] = out["points"].round(2)
    out["deducted"] = out[["points", "cap"]].min(axis=1)
    out["capped"] = out["points"] > out["cap"]
    return out[[*SITE_KEYS, "indicator", "title", "findings", "points", "cap", "deducted", "capped"]]


def sites_frame(run_id: int, snapshot: dict) -> pd.DataFrame:
    """run_id, site_id, site, department_id, department from a run's config snapshot."""
    names = {d["id"]: d["name"] for d in snapshot["departments"]}
    sites = pd.DataFrame(snapshot["sites"], columns=["id", "name", "department"])
    return pd.DataFrame({"run_id": run_id, "site_id": sites["id"], "site": sites["name"],
                         "department_id": sites["department"], "department": sites["department"].map(names)})


def site_scores(points: pd.DataFrame, sites: pd.DataFrame, scoring: Scoring) -> pd.DataFrame:
    """Per run and site (`sites`: sites_frame rows, optionally with as_of): the veto gate, then
    100 − capped deductions; 不合格 when vetoed or below the pass mark."""
    deducted = indicator_deductions(points, scoring).groupby(SITE_KEYS)["deducted"].sum().rename("deductions")
    vetoes = points[points["status"].eq("veto")]
    reasons = vetoes["detail"].where(vetoes["detail"].fillna("").astype(str).str.len() > 0, vetoes["rule"])
    reasons = vetoes[SITE_KEYS].assign(veto_reasons=reasons).groupby(SITE_KEYS)["veto_reasons"].agg(list)
    out = sites.merge(deducted.reset_index(), on=SITE_KEYS, how="left").merge(reasons.reset_index(), on=SITE_KEYS,
                                                                              how="left")
    out["veto"] = out["veto_reasons"].notna()
    out["veto_reasons"] = out["veto_reasons"].map(lambda r: r if isinstance(r, list) else [])
    out["deductions"] = out["deductions"].fillna(0.0).round(2)
    out["score"] = (FULL_MARKS - out["deductions"]).clip(lower=0).where(~out["veto"])
    out["verdict"] = _verdict(out["veto"] | (out["score"] < scoring.pass_mark))
    return out.reset_index(drop=True)


def _verdict(failed: pd.Series) -> pd.Series:
    return pd.Series(np.where(failed, FAIL, PASS), index=failed.index)


# --- months, departments, ranks -----------------------------------------------------------------
def _standing(frame: pd.DataFrame) -> pd.Series:
    """Higher is better: every 合格 above every 不合格, then the score; a vetoed unit is −1."""
    return frame["score"].fillna(-1.0) + frame["verdict"].eq(PASS) * 1000.0


def month_judgement(site_runs: pd.DataFrame, how: str) -> pd.DataFrame:
    """One row per site: its last run of the month (latest as_of, then run id), or its worst
    (lowest standing; ties: the later run)."""
    latest_first = site_runs.sort_values(["as_of", "run_id"], ascending=False)
    if how == "last":
        chosen = latest_first.drop_duplicates("site_id")
    else:
        chosen = latest_first.loc[_standing(latest_first).groupby(latest_first["site_id"], sort=False).idxmin()]
    return chosen.sort_values("site_id").reset_index(drop=True)


def department_scores(sites: pd.DataFrame, scoring: Scoring) -> pd.DataFrame:
    """One row per department from its sites' month: 不合格 when any site is; vetoed (no score)
    when any site is vetoed; else the lowest (`min`) or mean site score."""
    vetoed = sites[sites["veto"]].explode("veto_reasons").dropna(subset=["veto_reasons"])
    reasons = (vetoed["site"].astype(str) + "：" + vetoed["veto_reasons"].astype(str)).groupby(
        vetoed["department_id"]).agg(list)
    out = (sites.assign(failed=sites["verdict"].eq(FAIL))
           .groupby("department_id").agg(department=("department", "first"), sites=("site_id", "size"),
                                         sites_failed=("failed", "sum"), veto=("veto", "any"),
                                         score=("score", scoring.department_score))
           .reset_index())
    out["sites_failed"] = out["sites_failed"].astype(int)
    out["veto_reasons"] = out["department_id"].map(reasons).map(lambda r: r if isinstance(r, list) else [])
    out["score"] = out["score"].where(~out["veto"]).round(2)
    out["verdict"] = _verdict(out["sites_failed"] > 0)
    return out


def rank(frame: pd.DataFrame, name: str, ident: str) -> pd.DataFrame:
    """Competition ranks (1, 2, 2, 4) by standing; ordered by rank, then `name`, then `ident`."""
    out = frame.assign(rank=_standing(frame).rank(method="min", ascending=False).astype("Int64"))
    return out.sort_values(["rank", name, ident]).reset_index(drop=True)


def grade(scores: pd.Series, grades: list[tuple[float, str]]) -> pd.Series:
    """The mark of the highest grade whose minimum the score reaches (≥); a vetoed unit (no
    score) is graded as 0; below every minimum, or without grades: None."""
    if not grades:
        return pd.Series([None] * len(scores), index=scores.index, dtype=object)
    ascending = sorted(grades, key=lambda pair: pair[0])
    mins = np.array([low for low, _mark in ascending], dtype=float)
    marks = np.array([None] + [mark for _low, mark in ascending], dtype=object)
    return pd.Series(marks[np.searchsorted(mins, scores.fillna(0.0).to_numpy(float), side="right")],
                     index=scores.index, dtype=object)


def bottom(ranks: pd.Series, n: int) -> pd.Series:
    """效能预警: the N lowest-ranked units, with every unit tied with the N-th from the bottom;
    never a unit ranked first (when every unit ties, nobody is at the bottom)."""
    if n <= 0 or ranks.empty:
        return pd.Series(False, index=ranks.index)
    cutoff = ranks.sort_values(ascending=False).iloc[min(n, len(ranks)) - 1]
    return ((ranks >= cutoff) & (ranks > 1)).astype(bool)


def compare(current: pd.DataFrame, previous: pd.DataFrame | None, key: str) -> pd.DataFrame:
    """Adds previous_score/rank/verdict and the changes (absent previous month or unit: NaN/None)."""
    columns = {"score": "previous_score", "rank": "previous_rank", "verdict": "previous_verdict"}
    before = (previous[[key, *columns]] if previous is not None
              else pd.DataFrame({key: pd.Series(dtype=object), "score": pd.Series(dtype=float),
                                 "rank": pd.Series(dtype="Int64"), "verdict": pd.Series(dtype=object)}))
    out = current.merge(before.rename(columns=columns), on=key, how="left")
    out["previous_rank"] = out["previous_rank"].astype("Int64")
    out["previous_verdict"] = out["previous_verdict"].astype(object).where(out["previous_verdict"].notna(), None)
    out["score_change"] = (out["score"] - out["previous_score"]).round(2)
    out["rank_change"] = out["previous_rank"] - out["rank"]
    change = np.select([out["previous_verdict"].isna(), out["previous_verdict"].eq(out["verdict"]),
                        out["verdict"].eq(PASS)], [None, "不变", "转为合格"], default="转为不合格")
    out["verdict_change"] = pd.Series(change, index=out.index, dtype=object)
    return out


def finish_month(frame: pd.DataFrame, previous: pd.DataFrame | None, ident: str, scoring: Scoring) -> pd.DataFrame:
    """Grade one month's ranked units (sites or departments) and compare them with the previous
    month's ranked units."""
    out = compare(frame, previous, ident)
    out["grade"] = grade(out["score"].where(~out["veto"]), scoring.grades)
    return out


# --- loading a month from the store -------------------------------------------------------------
@dataclass
class MonthFrames:
    """One month's scoring, as the bulletin and notices render it (module docstring: columns)."""
    month: str
    scoring: Scoring
    runs: pd.DataFrame            # run_id, as_of
    indicators: pd.DataFrame
    points: pd.DataFrame
    deductions: pd.DataFrame
    site_runs: pd.DataFrame
    sites: pd.DataFrame
    departments: pd.DataFrame
    unknown_rules: pd.DataFrame


def aggregate_rules() -> frozenset[str]:
    from reports.frames import aggregate_rules as from_registry

    return from_registry()


def parse_month(month: str) -> tuple[int, int]:
    try:
        year, mon = (int(part) for part in month.split("-"))
        date(year, mon, 1)
    except ValueError:
        raise StoreError(f"month {month!r} is not YYYY-MM (e.g. 2026-11)") from None
    return year, mon


def previous_month(month: str) -> str:
    year, mon = parse_month(month)
    return f"{year - (mon == 1)}-{(mon - 2) % 12 + 1:02d}"


def _scoring(store: Store, run_id: int, config: Config | Scoring | None) -> Scoring:
    """A config given at report time wins; else the scoring stored with the run."""
    if config is not None:
        return config.scoring if isinstance(config, Config) else config
    stored = store.run(run_id)["config"].get("scoring") or {}
    try:
        return Scoring.model_validate(stored)
    except ValueError as exc:
        raise StoreError(f"run {run_id}'s stored scoring settings are not valid any more ({exc}); "
                         "give the config file to score it") from None


def finding_marks(store: Store, run_ids: list[int]) -> pd.DataFrame:
    """id, mark of the runs' findings whose ledger entry the supervisor has marked (govaudit
    ledger mark): a false positive neither vetoes nor deducts; an accepted risk still counts."""
    query = (select(ledger_history.c.finding_id.label("id"), ledger.c.mark)
             .join(ledger, ledger.c.fingerprint == ledger_history.c.fingerprint)
             .where(ledger_history.c.run_id.in_(run_ids), ledger.c.mark.is_not(None),
                    ledger_history.c.finding_id.is_not(None)))
    return store.frame(query).drop_duplicates("id")


def _score_runs(store: Store, run_ids: list[int], scoring: Scoring, aggregate: frozenset[str]):
    """(runs, points, site_runs) of stored, audited runs."""
    runs = pd.DataFrame({"run_id": run_ids, "as_of": [store.audit_of(r)["as_of"] for r in run_ids]})
    findings = pd.concat([store.findings_frame(r) for r in run_ids], ignore_index=True)
    findings = findings.merge(finding_marks(store, run_ids), on="id", how="left")
    sites = pd.concat([sites_frame(r, store.run(r)["config"]) for r in run_ids], ignore_index=True)
    points = finding_points(findings, scoring, aggregate)
    site_runs = site_scores(points, sites.merge(runs, on="run_id"), scoring)
    return runs, points, site_runs


def _ranked_month(store: Store, run_ids: list[int], scoring: Scoring, aggregate: frozenset[str]):
    """(runs, points, site_runs, sites, departments) of a month's runs, sites and departments ranked."""
    runs, points, site_runs = _score_runs(store, run_ids, scoring, aggregate)
    sites = month_judgement(site_runs, scoring.month_judgement)
    departments = department_scores(sites, scoring)
    return (runs, points, site_runs, rank(sites, "site", "site_id"),
            rank(departments, "department", "department_id"))


def month_frames(store: Store, month: str, config: Config | Scoring | None = None) -> MonthFrames:
    """Score every audited run of `month` (audit as_of in the month) and judge the month per site
    and per department, compared with the previous month under the same scoring settings."""
    year, mon = parse_month(month)
    run_ids = store.runs_in_month(year, mon)
    if not run_ids:
        raise StoreError(f"no audited run with an as-of date in {month}; run `govaudit audit` first")
    scoring = _scoring(store, run_ids[-1], config)
    aggregate = aggregate_rules()
    runs, points, site_runs, sites, departments = _ranked_month(store, run_ids, scoring, aggregate)
    before_ids = store.runs_in_month(*parse_month(previous_month(month)))
    before_sites = before_departments = None
    if before_ids:
        *_, before_sites, before_departments = _ranked_month(store, before_ids, scoring, aggregate)
    sites = finish_month(sites, before_sites, "site_id", scoring)
    departments = finish_month(departments, before_departments, "department_id", scoring)
    departments["warning"] = bottom(departments["rank"], scoring.bottom_n)
    unknown = points[points["indicator"].isna()].groupby("rule").size().rename("findings").reset_index()
    return MonthFrames(month=month, scoring=scoring, runs=runs, indicators=indicator_table(scoring), points=points,
                       deductions=indicator_deductions(points, scoring), site_runs=site_runs,
                       sites=sites.assign(month=month), departments=departments.assign(month=month),
                       unknown_rules=unknown)
