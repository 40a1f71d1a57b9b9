"""The monthly 检查情况通报 (inspection bulletin): figures as tidy frames, then HTML, Word and Excel.

`build_bulletin` gathers everything a bulletin says into a `Bulletin` — scores and ranks from
`reports.scoring.month_frames`, problems from the stored findings of the runs that judge the
month, rectification figures from the ledger (`govaudit.ledger`), charts from `reports.charts`
— and the writers only lay it out: `render_html` (jinja2, templates/bulletin.html.j2),
`write_docx` (公文 layout, `reports.gongwen`) and `write_xlsx` (问题清单, `reports.workbook`).
Every sentence with a figure in it is made here once, so the HTML and the Word bulletin say
the same thing. docs/reports.md explains how each number is computed.

Reports never re-check findings: a problem is listed because a stored finding says so, in the
finding's own Chinese `detail`, with its evidence as stored (masked by the crawler).
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import func, insert, select, update

from govaudit.ledger import STATE_TITLES, fingerprint, rule_identities
from govaudit.store import Store, audits, bulletins, findings, ledger, ledger_history
from govaudit.workdays import add_working_days
from reports import charts
from reports.frames import aggregate_rules
from reports.scoring import FAIL, PASS, MonthFrames, finding_points, month_frames, month_judgement, parse_month, \
    site_scores, sites_frame
from rules.base import CATEGORIES, CATEGORY_TITLES, DEFAULT_IDENTITY, as_date, cn_date

BEIJING = timezone(timedelta(hours=8))
#: Output format -> file name written in the output folder.
FILES = {"html": "bulletin.html", "docx": "bulletin.docx", "xlsx": "问题清单.xlsx"}
FORMATS = tuple(FILES)
TITLE = "政府网站检查情况通报"
TREND_MONTHS = 12
DEFAULT_DEADLINE_WORKDAYS = 10
#: Ledger statuses that mean "still to be rectified".
OPEN = ("new", "persisting", "overdue", "reopened")


# --- numbering ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Issue:
    """期号 and date of a month's bulletin (the `bulletins` table)."""
    year: int
    number: int
    issued: date

    @property
    def doc_number(self) -> str:
        return f"〔{self.year}〕第{self.number}期"


def today() -> date:
    return datetime.now(BEIJING).date()


def issue(store: Store, month: str, day: date | None = None, earliest: date | None = None) -> Issue:
    """The month's number and date: the stored ones when the month was issued before (`day`
    re-dates it), else the next number of the month's year, dated `day` or today (Beijing),
    never before `earliest` (a bulletin cannot predate the inspection it reports)."""
    year, _mon = parse_month(month)
    with store.tx() as conn:
        row = conn.execute(select(bulletins).where(bulletins.c.month == month)).mappings().first()
        if row is not None:
            if day is not None and day != row["issued_at"]:
                conn.execute(update(bulletins).where(bulletins.c.month == month).values(issued_at=day))
            return Issue(row["year"], row["number"], day or as_date(row["issued_at"]))
        number = (conn.execute(select(func.max(bulletins.c.number)).where(bulletins.c.year == year)).scalar() or 0) + 1
        issued = day or max(today(), earliest or date.min)
        conn.execute(insert(bulletins).values(year=year, number=number, month=month, issued_at=issued))
    return Issue(year, number, issued)


# --- findings of the month ------------------------------------------------------------------------
def month_findings(store: Store, frames: MonthFrames) -> pd.DataFrame:
    """The stored findings the month is judged on: each site's findings in the run that judges
    its month (`frames.sites.run_id`), plus site-less findings of the month's last run. Ordered
    by finding id."""
    judged = frames.sites[["run_id", "site_id"]]
    last_run = int(frames.runs["run_id"].max())
    run_ids = sorted({*judged["run_id"].astype(int), last_run})
    found = store.frame(select(findings).where(findings.c.run_id.in_(run_ids)))
    by_site = found.merge(judged, on=["run_id", "site_id"])
    siteless = found[found["site_id"].isna() & found["run_id"].eq(last_run)]
    return pd.concat([by_site, siteless], ignore_index=True).sort_values("id").reset_index(drop=True)


def problems(found: pd.DataFrame) -> pd.DataFrame:
    """Findings that are problems of their own: veto or deduct severity, not a site-level count
    (aggregate rules, whose verdicts appear as veto reasons)."""
    return found[found["severity"].isin(("veto", "deduct")) & ~found["rule"].isin(aggregate_rules())]


def advisories(found: pd.DataFrame) -> pd.DataFrame:
    """Early warnings and hints (severity advisory), e.g. a site one stale column short of a veto."""
    return found[found["severity"].eq("advisory")]


def category_counts(problem_rows: pd.DataFrame) -> pd.DataFrame:
    """category, title, count — problems per category in the rulebook's order (non-zero only)."""
    counts = problem_rows.groupby("category").size()
    order = [c for c in CATEGORIES if c in counts.index] + sorted(set(counts.index) - set(CATEGORIES))
    return pd.DataFrame({"category": order, "title": [CATEGORY_TITLES.get(c, c) for c in order],
                         "count": [int(counts[c]) for c in order]})


# --- the ledger -----------------------------------------------------------------------------------
def _history(store: Store, run_ids: list[int]) -> pd.DataFrame:
    query = select(ledger_history).where(ledger_history.c.run_id.in_(run_ids))
    return store.frame(query).sort_values(["run_id", "fingerprint"]).reset_index(drop=True)


def _entries(store: Store) -> pd.DataFrame:
    """fingerprint, deadline, mark, problem (a problem of its own, as `problems` counts them)."""
    frame = store.frame(select(ledger.c.fingerprint, ledger.c.rule, ledger.c.severity, ledger.c.deadline, ledger.c.mark))
    frame["problem"] = frame["severity"].isin(("veto", "deduct")) & ~frame["rule"].isin(aggregate_rules())
    return frame


def finding_states(store: Store, found: pd.DataFrame) -> pd.DataFrame:
    """id, fingerprint, state, state_title per finding: its ledger status in its own run (new,
    persisting, overdue, reopened) or the entry's mark. state is None when the store has no
    ledger for that run (audited before the ledger existed)."""
    identities = rule_identities()
    records = found[["id", "rule", "department_id", "site_id", "column", "url", "evidence", "data"]].to_dict("records")
    prints = [fingerprint(r, identities.get(r["rule"], DEFAULT_IDENTITY)) for r in records]
    out = pd.DataFrame({"id": found["id"].to_numpy(), "run_id": found["run_id"].to_numpy(), "fingerprint": prints})
    history = _history(store, sorted(out["run_id"].unique().tolist()))[["fingerprint", "run_id", "status"]]
    out = out.merge(history.drop_duplicates(["fingerprint", "run_id"]), on=["fingerprint", "run_id"], how="left")
    out = out.merge(_entries(store)[["fingerprint", "mark"]], on="fingerprint", how="left")
    state = out["mark"].where(out["mark"].notna(), out["status"])
    out["state"] = state.astype(object).where(state.notna(), None)
    out["state_title"] = out["state"].map(STATE_TITLES).astype(object)
    return out[["id", "fingerprint", "state", "state_title"]]


@dataclass(frozen=True)
class Changes:
    """What happened to problems in the month's runs (the ledger's history), marked entries aside."""
    new: int = 0
    reopened: int = 0
    rectified: int = 0
    rectified_on_time: int = 0
    open: int = 0
    overdue: int = 0
    marked: int = 0

    @property
    def rectified_late(self) -> int:
        return self.rectified - self.rectified_on_time


def ledger_changes(store: Store, run_ids: list[int]) -> Changes:
    """Counts of distinct problems over `run_ids` (the month's audited runs): new, reopened and
    rectified in any of them (on time: rectified no later than the entry's deadline); open and
    overdue as of the last of them. Only problems count (not site-level counts nor advisories,
    as in `problems`); entries marked accepted-risk/false-positive count only as `marked`."""
    entries = _entries(store).set_index("fingerprint")
    history = _history(store, run_ids)
    history = history[history["fingerprint"].map(entries["problem"]).fillna(False).astype(bool)]
    if history.empty:
        return Changes()
    marked = history["fingerprint"].map(entries["mark"]).notna()
    counted = history[~marked]

    def distinct(status: str) -> int:
        return counted.loc[counted["status"].eq(status), "fingerprint"].nunique()

    rectified = counted[counted["status"].eq("rectified")].drop_duplicates("fingerprint", keep="last")
    deadlines = pd.to_datetime(rectified["fingerprint"].map(entries["deadline"]))
    on_time = int((pd.to_datetime(rectified["as_of"]) <= deadlines).sum())
    latest = counted.drop_duplicates("fingerprint", keep="last")["status"]
    return Changes(new=distinct("new"), reopened=distinct("reopened"), rectified=len(rectified),
                   rectified_on_time=on_time, open=int(latest.isin(OPEN).sum()), overdue=int(latest.eq("overdue").sum()),
                   marked=int(history.loc[marked, "fingerprint"].nunique()))


def ledger_rows(store: Store, run_ids: list[int]) -> pd.DataFrame:
    """The 问题清单 of the month: ledger entries seen or rectified in `run_ids` (site-level counts
    aside), shaped like `govaudit.ledger.ledger_frame`, each entry's state as of the last of those runs."""
    from govaudit.ledger import ledger_frame

    history = _history(store, run_ids).drop_duplicates("fingerprint", keep="last").set_index("fingerprint")
    frame = ledger_frame(store)
    frame = frame[frame["fingerprint"].isin(history.index) & ~frame["rule"].isin(aggregate_rules())].copy()
    status = frame["fingerprint"].map(history["status"])
    frame["status"] = status
    frame["state"] = frame["mark"].where(frame["mark"].notna(), status)
    frame["state_title"] = frame["state"].map(STATE_TITLES)
    frame["open"] = status.isin(OPEN) & frame["mark"].isna()
    return frame.reset_index(drop=True)


# --- figures and sentences --------------------------------------------------------------------------
def fmt_number(value, digits: int = 2) -> str:
    """92.5, 100, 87.25; — when missing."""
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):.{digits}f}".rstrip("0").rstrip(".")


def fmt_rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def fmt_signed(value) -> str:
    if value is None or pd.isna(value):
        return "—"
    return "持平" if float(value) == 0 else ("+" if value > 0 else "−") + fmt_number(abs(value))


@dataclass(frozen=True)
class Figures:
    """The numbers of the overview paragraph."""
    month: str
    as_of: date
    runs: int
    departments: int
    sites: int
    passed: int
    vetoed: int
    departments_failed: int
    mean_score: float | None
    problems: int
    categories: pd.DataFrame
    changes: Changes

    @property
    def failed(self) -> int:
        return self.sites - self.passed

    @property
    def pass_rate(self) -> str:
        return fmt_rate(self.passed, self.sites)


def figures(frames: MonthFrames, problem_rows: pd.DataFrame, changes: Changes) -> Figures:
    sites, departments = frames.sites, frames.departments
    scored = sites.loc[~sites["veto"], "score"]
    return Figures(month=frames.month, as_of=as_date(sites["as_of"].max()), runs=len(frames.runs),
                   departments=len(departments), sites=len(sites), passed=int(sites["verdict"].eq(PASS).sum()),
                   vetoed=int(sites["veto"].sum()), departments_failed=int(departments["verdict"].eq(FAIL).sum()),
                   mean_score=float(scored.mean()) if len(scored) else None, problems=len(problem_rows),
                   categories=category_counts(problem_rows), changes=changes)


def month_title(month: str) -> str:
    year, mon = parse_month(month)
    return f"{year}年{mon}月"


def _listing(frame: pd.DataFrame) -> str:
    return "、".join(f"{row.title}{row.count}个" for row in frame.itertuples())


def intro_text(month: str) -> str:
    return (f"为加强政府网站日常监管，根据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）等要求，"
            f"现将{month_title(month)}政府网站检查情况通报如下。")


#: Section headings, in order (both the HTML and the Word bulletin number them 一、二、…).
SECTIONS = ("总体情况", "各单位得分排名", "不合格网站情况", "各单位存在的问题", "整改要求")
APPENDIX = "附表：各网站检查得分情况"
ID_NOTE = "注：问题编号为检查系统中的问题记录编号，整改反馈时请注明；问题清单（含网址、证据与整改期限）见附件问题清单。"


def ranking_note(frames: MonthFrames) -> str:
    scoring = frames.scoring
    how = {"min": "的最低分", "mean": "的平均分"}.get(scoring.department_score, "得分")
    judged = "最后一轮" if scoring.month_judgement == "last" else "得分最低的一轮"
    return (f"注：单项否决的网站判为不合格、不计分；其余网站以100分为基础扣分，低于{fmt_number(scoring.pass_mark)}分"
            f"为不合格。每个网站取本月{judged}检查结果，单位得分取其所属网站{how}；合格单位按得分排名在前，"
            "不合格单位在后，得分相同的并列。")


def overview_text(fig: Figures, organization: str) -> str:
    """The 总体情况 paragraph: sites checked, 合格率, problems by category, rectification."""
    rounds = f"开展了{fig.runs}轮检查" if fig.runs > 1 else "开展了检查"
    text = (f"{month_title(fig.month)}，{organization or '我办'}对{fig.departments}个单位的{fig.sites}个政府网站（专栏）"
            f"{rounds}，检查基准日为{cn_date(fig.as_of)}。经检查，合格网站{fig.passed}个，不合格网站{fig.failed}个"
            f"（其中单项否决{fig.vetoed}个），合格率{fig.pass_rate}")
    if fig.mean_score is not None:
        text += f"；未被单项否决的网站平均得分{fmt_number(fig.mean_score, 1)}分"
    text += "。"
    if fig.problems:
        text += f"共发现问题{fig.problems}个，其中{_listing(fig.categories)}。"
    else:
        text += "未发现问题。"
    return text + rectification_text(fig.changes)


def rectification_text(ch: Changes) -> str:
    """The 整改 sentence from the ledger: new, rectified (on time / late), overdue."""
    text = f"本月检查中新发现问题{ch.new}个"
    if ch.reopened:
        text += f"、整改后再次出现问题{ch.reopened}个"
    text += f"；已整改问题{ch.rectified}个"
    if ch.rectified:
        text += f"（其中按期整改{ch.rectified_on_time}个，逾期整改{ch.rectified_late}个）"
    text += f"；截至检查基准日，尚未整改问题{ch.open}个，其中逾期未整改{ch.overdue}个。"
    if ch.marked:
        text += f"另有{ch.marked}个问题经核实标记为误报或已确认风险，不计入上述整改统计。"
    return text


def warning_text(departments: pd.DataFrame, bottom_n: int) -> str | None:
    warned = departments[departments["warning"]]
    if warned.empty:
        return None
    names = "、".join(warned["department"])
    return f"根据得分排名，对排名后{bottom_n}位（含并列）的{names}予以效能预警，请主要负责同志高度重视、限期整改。"


def requirement_paragraphs(deadline: date, workdays: int, fig: Figures, organization: str) -> list[str]:
    """整改要求, with the deadline in working days from the bulletin's date."""
    paragraphs = [
        f"请各单位对照本通报及问题清单逐项整改，于{cn_date(deadline)}前（自本通报印发之日起{workdays}个工作日内）"
        f"完成整改，并将整改情况报送{organization or '我办'}。整改情况将在下轮检查中复查，"
        "复查仍未整改的，将予以通报并纳入年度考核。",
        "不更新栏目应及时发布信息，确无信息可发布的应按规定整合或关停；空白栏目应补充内容或撤并；"
        "政府信息公开专栏应补齐政府信息公开指南、政府信息公开制度、法定主动公开内容和政府信息公开年报；"
        "涉及个人信息的，应立即撤下或去标识化处理后重新发布。",
    ]
    if fig.changes.overdue:
        paragraphs.append(f"对逾期未整改的{fig.changes.overdue}个问题，相关单位须立即整改，并书面说明逾期原因。")
    if fig.failed:
        paragraphs.append("被单项否决或检查不合格的网站，主管单位应组织专项整改，整改完成前不得新开栏目。")
    return paragraphs


# --- tables ---------------------------------------------------------------------------------------
def _change(row) -> str:
    """较上月: the score change, or the verdict change of a vetoed unit, and the rank change."""
    if row["previous_verdict"] is None:
        return "—"
    if pd.notna(row["score_change"]):
        text = fmt_signed(row["score_change"])
    else:
        text = row["verdict_change"] if row["verdict_change"] != "不变" else "—"
    if pd.notna(row["rank_change"]) and row["rank_change"]:
        text += f"（{'↑' if row['rank_change'] > 0 else '↓'}{abs(int(row['rank_change']))}位）"
    return text


def _score(row) -> str:
    return "单项否决" if row["veto"] else fmt_number(row["score"])


def ranking_table(departments: pd.DataFrame, graded: bool) -> pd.DataFrame:
    """The ranked departments as printed: 排名, 单位, 网站数, 检查结果, 得分, 较上月, [等次], 备注."""
    rows = departments.astype(object).where(departments.notna(), None)
    table = pd.DataFrame({
        "排名": rows["rank"].map(int), "单位": rows["department"], "网站数": rows["sites"].map(int),
        "检查结果": rows["verdict"], "得分": rows.apply(_score, axis=1), "较上月": rows.apply(_change, axis=1),
    })
    if graded:
        table["等次"] = rows["grade"].map(lambda g: g or "—")
    table["备注"] = rows["warning"].map(lambda w: "效能预警" if w else "")
    return table


def site_table(sites: pd.DataFrame) -> pd.DataFrame:
    """Every site as printed in the appendix: 排名, 网站, 所属单位, 检查结果, 得分, 扣分, 较上月."""
    rows = sites.astype(object).where(sites.notna(), None)
    return pd.DataFrame({
        "排名": rows["rank"].map(int), "网站": rows["site"], "所属单位": rows["department"],
        "检查结果": rows["verdict"], "得分": rows.apply(_score, axis=1),
        "扣分": rows.apply(lambda r: "—" if r["veto"] else fmt_number(r["deductions"]), axis=1),
        "较上月": rows.apply(_change, axis=1),
    })


def failed_sites(frames: MonthFrames) -> pd.DataFrame:
    """site, department, verdict, score, reasons (list of sentences) for every 不合格 site: its
    veto reasons, or its score below the pass mark with its largest deductions."""
    failed = frames.sites[frames.sites["verdict"].eq(FAIL)]
    deductions = frames.deductions.sort_values(["deducted", "indicator"], ascending=[False, True])
    rows = []
    for site in failed.itertuples():
        if site.veto:
            reasons = list(site.veto_reasons)
        else:
            own = deductions[deductions["run_id"].eq(site.run_id) & deductions["site_id"].eq(site.site_id)]
            items = "、".join(f"{r.title}扣{fmt_number(r.deducted)}分" for r in own.head(5).itertuples())
            reasons = [f"得分{fmt_number(site.score)}分，低于合格线{fmt_number(frames.scoring.pass_mark)}分"
                       + (f"（主要扣分：{items}）" if items else "")]
        rows.append({"site": site.site, "department": site.department, "veto": bool(site.veto),
                     "score": _score(site._asdict()), "reasons": reasons})
    return pd.DataFrame(rows, columns=["site", "department", "veto", "score", "reasons"])


def problem_items(rows: pd.DataFrame, states: pd.DataFrame, frames: MonthFrames) -> pd.DataFrame:
    """One printable line per finding: department, site, id, category, detail, state_title, url,
    evidence (privacy findings only, masked as stored), ordered by the ranking's department
    order, then category, site, column."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    dept_order = {d: i for i, d in enumerate(frames.departments["department_id"])}
    sites = frames.sites.drop_duplicates("site_id").set_index("site_id")
    departments = frames.departments.set_index("department_id")["department"]
    out = rows.merge(states, on="id", how="left")
    out = out.assign(_dept=out["department_id"].map(dept_order).fillna(len(dept_order)),
                     _cat=out["category"].map(order).fillna(len(order)))
    out = out.sort_values(["_dept", "_cat", "site_id", "column", "url", "id"], na_position="last")
    evidence = out["evidence"].where(out["category"].eq("privacy"))
    items = pd.DataFrame({
        "department_id": out["department_id"], "department": out["department_id"].map(departments),
        "site": out["site_id"].map(sites["site"]).fillna(out["site_id"]), "id": out["id"].astype(int),
        "category": out["category"], "severity": out["severity"], "detail": out["detail"],
        "state": out["state"], "state_title": out["state_title"], "url": out["url"], "evidence": evidence,
    })
    return items.astype(object).where(items.notna(), None).reset_index(drop=True)


def by_department(items: pd.DataFrame) -> list[dict]:
    """[{department, items: [records]}] in the items' order (departments with items only)."""
    return [{"department": group["department"].iloc[0] or dept, "items": group.to_dict("records")}
            for dept, group in items.groupby("department_id", sort=False)]


# --- trend ----------------------------------------------------------------------------------------
def _month_of(day) -> str:
    day = as_date(day)
    return f"{day.year}-{day.month:02d}"


def trend_frame(store: Store, frames: MonthFrames, current_problems: int, months: int = TREND_MONTHS) -> pd.DataFrame:
    """month, problems, sites, pass_rate — the reported month (its own figures) and up to
    `months` − 1 earlier months with audited runs, each judged like the reported month (same
    scoring settings, scored in one pass)."""
    year, mon = parse_month(frames.month)
    first_year, first_month0 = divmod(year * 12 + mon - 1 - (months - 1), 12)
    audited = store.frame(select(audits.c.run_id, audits.c.as_of)
                          .where(audits.c.as_of >= date(first_year, first_month0 + 1, 1)))
    audited["month"] = audited["as_of"].map(_month_of)
    earlier = audited[audited["month"] < frames.month].drop_duplicates("run_id", keep="last")
    rows = _earlier_months(store, frames, earlier) if len(earlier) else []
    sites = frames.sites
    rows.append({"month": frames.month, "problems": current_problems, "sites": len(sites),
                 "pass_rate": sites["verdict"].eq(PASS).mean()})
    return pd.DataFrame(rows, columns=["month", "problems", "sites", "pass_rate"])


def _earlier_months(store: Store, frames: MonthFrames, runs: pd.DataFrame) -> list[dict]:
    run_ids = sorted(runs["run_id"].astype(int))
    found = store.frame(select(findings).where(findings.c.run_id.in_(run_ids)))
    sites = pd.concat([sites_frame(r, store.run(r)["config"]) for r in run_ids], ignore_index=True)
    scored = site_scores(finding_points(found, frames.scoring), sites.merge(runs[["run_id", "as_of"]], on="run_id"),
                         frames.scoring)
    scored["month"] = scored["run_id"].map(runs.set_index("run_id")["month"])
    rows = []
    for month, site_runs in scored.groupby("month"):
        judged = month_judgement(site_runs, frames.scoring.month_judgement)
        month_found = found.merge(judged[["run_id", "site_id"]], on=["run_id", "site_id"])
        rows.append({"month": month, "problems": len(problems(month_found)), "sites": len(judged),
                     "pass_rate": judged["verdict"].eq(PASS).mean()})
    return rows


# --- the bulletin ---------------------------------------------------------------------------------
@dataclass
class Bulletin:
    month: str
    organization: str
    issue: Issue
    deadline: date
    deadline_workdays: int
    frames: MonthFrames
    figures: Figures
    overview: str
    rectification: str
    ranking: pd.DataFrame
    warning: str | None
    failed: pd.DataFrame
    items: pd.DataFrame            # problems, one line each
    hints: pd.DataFrame            # advisories, one line each
    sites: pd.DataFrame
    trend: pd.DataFrame
    requirements: list[str]
    charts: dict[str, bytes] = field(default_factory=dict)
    run_ids: list[int] = field(default_factory=list)

    @property
    def title(self) -> str:
        return TITLE


def _deadline_workdays(store: Store, run_id: int) -> int:
    ledger_settings = store.run(run_id)["config"].get("ledger") or {}
    return int(ledger_settings.get("deadline_workdays", DEFAULT_DEADLINE_WORKDAYS))


def build_bulletin(store: Store, month: str, day: date | None = None, config=None,
                   with_charts: bool = True) -> Bulletin:
    """Everything the month's bulletin says; `day` dates it (default: as issued before, else
    today); `config` (a Config) overrides the scoring settings stored with the runs."""
    frames = month_frames(store, month, config)
    run_ids = frames.runs["run_id"].astype(int).tolist()
    last_run = max(run_ids)
    snapshot = store.run(last_run)["config"]
    found = month_findings(store, frames)
    problem_rows, hint_rows = problems(found), advisories(found)
    states = finding_states(store, found)
    changes = ledger_changes(store, run_ids)
    fig = figures(frames, problem_rows, changes)
    issued = issue(store, month, day, earliest=fig.as_of)
    workdays = _deadline_workdays(store, last_run)
    deadline = add_working_days(issued.issued, workdays)
    organization = snapshot.get("organization") or ""
    bulletin = Bulletin(
        month=month, organization=organization, issue=issued, deadline=deadline, deadline_workdays=workdays,
        frames=frames, figures=fig, overview=overview_text(fig, organization),
        rectification=rectification_text(changes),
        ranking=ranking_table(frames.departments, bool(frames.scoring.grades)),
        warning=warning_text(frames.departments, frames.scoring.bottom_n), failed=failed_sites(frames),
        items=problem_items(problem_rows, states, frames), hints=problem_items(hint_rows, states, frames),
        sites=site_table(frames.sites), trend=trend_frame(store, frames, len(problem_rows)),
        requirements=requirement_paragraphs(deadline, workdays, fig, organization), run_ids=run_ids)
    if with_charts:
        bulletin.charts = {
            "scores": charts.score_distribution_chart(charts.score_bands(frames.sites)),
            "categories": charts.category_chart(fig.categories) if fig.problems else None,
            "trend": charts.trend_chart(bulletin.trend),
        }
    return bulletin


# --- writers --------------------------------------------------------------------------------------
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["cn_date"] = cn_date
    return env


def _data_uri(png: bytes | None) -> str | None:
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(b: Bulletin) -> str:
    """The standalone HTML bulletin (inline CSS, charts as data URIs)."""
    departments, hints = by_department(b.items), by_department(b.hints)
    return _environment().get_template("bulletin.html.j2").render(
        b=b, fig=b.figures, ranking=b.ranking, departments=departments, hints=hints,
        hint_map={d["department"]: d["items"] for d in hints},
        problem_departments={d["department"] for d in departments}, failed=b.failed.to_dict("records"),
        sites=b.sites, charts={k: _data_uri(v) for k, v in b.charts.items()}, intro=intro_text(b.month),
        sections=SECTIONS, appendix=APPENDIX, id_note=ID_NOTE, ranking_note=ranking_note(b.frames),
        month_title=month_title(b.month), generated=datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M"))


def _atomic_text(path: Path, text: str) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)     # never leave a half-written bulletin behind
    return path


def write_html(b: Bulletin, path: Path) -> Path:
    return _atomic_text(path, render_html(b))


def write_xlsx(b: Bulletin, store: Store, path: Path) -> Path:
    """问题清单.xlsx: the ledger entries of the month's runs, states as of the month."""
    from reports.workbook import write_ledger_workbook

    return write_ledger_workbook(ledger_rows(store, b.run_ids), path, title=f"问题清单{b.month}")


def write_bulletin(store: Store, month: str, out_dir: Path, formats: tuple[str, ...] = FORMATS,
                   day: date | None = None, config=None) -> list[Path]:
    """Write the month's bulletin in `formats` (html, docx, xlsx) to `out_dir`; return the paths."""
    from reports.bulletin_docx import write_docx

    unknown = sorted(set(formats) - set(FILES))
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; use {', '.join(FORMATS)}")
    b = build_bulletin(store, month, day, config, with_charts=bool({"html", "docx"} & set(formats)))
    out_dir.mkdir(parents=True, exist_ok=True)
    writers = {"html": lambda p: write_html(b, p), "docx": lambda p: write_docx(b, p),
               "xlsx": lambda p: write_xlsx(b, store, p)}
    return [writers[fmt](out_dir / FILES[fmt]) for fmt in FORMATS if fmt in formats]
