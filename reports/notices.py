"""整改通知书: one Word notice per department with open problems, for a month (`govaudit notices`).

A month is judged from its last audited run (audit as-of date in the month), as the bulletin
is. A problem goes into its department's notice when its ledger status *as of that run* is open
(new, persisting, overdue, reopened: the latest `ledger_history` row up to the run) and it is
not marked accepted-risk or false-positive (marks apply whenever they were made, so a month
re-issued after a review leaves the reviewed problems out). Each line carries what the
department needs to find and fix it: site and column, the problem sentence, masked evidence,
URL, the ledger's problem number, first seen and the 整改 deadline. Site-level verdicts
(aggregate rules such as "6 columns stale: veto") are not problems of their own; a veto-level
one is printed as a 特别提示 above the list.

`Addressbook` (who issues, who to contact, each department's name and e-mail) is shared with
the 临期提醒 (reports.remind).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from govaudit.ledger import DEFAULT_DEADLINE_WORKDAYS, OPEN, PREFIX, STATE_TITLES
from govaudit.mail import Outgoing
from govaudit.store import Store, StoreError, findings, ledger, ledger_history
from govaudit.workdays import add_working_days
from reports import gongwen
from reports.frames import aggregate_rules
from reports.scoring import parse_month
from rules.base import CATEGORIES, SEVERITIES, as_date, cn_date

NOTICE_TITLE = "政府网站检查问题整改通知书"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


# --------------------------------------------------------------------------- who is who

@dataclass(frozen=True)
class Addressbook:
    """Names and contacts from a config snapshot (`govaudit.pipeline.config_snapshot`): the
    config given on the command line, else the one stored with the run."""
    organization: str
    contact: dict
    departments: dict[str, dict]
    sites: dict[str, str]

    @classmethod
    def from_snapshot(cls, snapshot: dict) -> "Addressbook":
        return cls(organization=snapshot.get("organization") or "",
                   contact={k: v for k, v in (snapshot.get("contact") or {}).items() if v},
                   departments={d["id"]: d for d in snapshot.get("departments", [])},
                   sites={s["id"]: s["name"] for s in snapshot.get("sites", [])})

    @property
    def office(self) -> str:
        return self.contact.get("office") or self.organization

    def name(self, department_id: str) -> str:
        return (self.departments.get(department_id) or {}).get("name") or department_id

    def emails(self, department_id: str) -> list[str]:
        email = (self.departments.get(department_id) or {}).get("email")
        return [email] if email else []

    def find(self, department: str) -> str:
        """A department id from an id or a name."""
        for dept_id, dept in self.departments.items():
            if department in (dept_id, dept.get("name")):
                return dept_id
        known = ", ".join(f"{i} ({d.get('name')})" for i, d in self.departments.items())
        raise StoreError(f"unknown department {department!r}; known: {known}")

    def supervisor_line(self) -> str:
        """联系人：区政务公开办 王五，电话：…，邮箱：… (what the config's `contact:` gives)."""
        return "联系人：" + _joined(self.office + (f" {self.contact['name']}" if "name" in self.contact else ""),
                                   self.contact.get("phone"), self.contact.get("email"))

    def department_line(self, department_id: str) -> str:
        dept = self.departments.get(department_id) or {}
        person = self.name(department_id) + (f" {dept['contact']}" if dept.get("contact") else "")
        return "被检查单位联系人：" + _joined(person, dept.get("phone"), dept.get("email"))


def _joined(who: str, phone: str | None, email: str | None) -> str:
    return "，".join([who, *([f"电话：{phone}"] if phone else []), *([f"邮箱：{email}"] if email else [])])


def file_name(department: str, kind: str, stamp: str, ext: str) -> str:
    """青溪区教育局-整改通知书-2026-11.docx: department name first, safe on any filesystem."""
    safe = _UNSAFE.sub("_", department).strip("._") or "department"
    return f"{safe}-{kind}-{stamp}.{ext}"


def month_label(month: str) -> str:
    year, mon = parse_month(month)
    return f"{year}年{mon}月"


# --------------------------------------------------------------------------- open problems

def month_run(store: Store, month: str) -> int:
    """The month's last audited run (audit as-of date in the month)."""
    run_ids = store.runs_in_month(*parse_month(month))
    if not run_ids:
        raise StoreError(f"no audited run with an as-of date in {month}; run `govaudit audit` first")
    return run_ids[-1]


def open_problems(store: Store, run_id: int) -> pd.DataFrame:
    """Problems open as of `run_id` and not marked, one row each, with the finding that last
    showed them up to that run: fingerprint, number, rule, category, severity, department_id,
    site_id, column, url, evidence, detail, status, first_seen, deadline."""
    history = store.frame(select(ledger_history).where(ledger_history.c.run_id <= run_id)).sort_values("run_id")
    latest = history.groupby("fingerprint").tail(1)
    latest = latest[latest["status"].isin(OPEN)]
    entries = store.frame(select(ledger.c.fingerprint, ledger.c.first_seen, ledger.c.opened_run, ledger.c.deadline,
                                 ledger.c.mark))
    frame = latest.merge(entries, on="fingerprint")
    frame = frame[frame["mark"].isna()]
    shown = store.frame(select(findings.c.id, findings.c.rule, findings.c.category, findings.c.severity,
                               findings.c.department_id, findings.c.site_id, findings.c.column, findings.c.url,
                               findings.c.evidence, findings.c.detail)
                        .where(findings.c.id.in_([int(i) for i in frame["finding_id"]])))
    frame = frame.merge(shown, left_on="finding_id", right_on="id")
    opened = history[history["status"].isin(["new", "reopened"])].groupby("fingerprint").tail(1)
    frame = frame.merge(opened[["fingerprint", "run_id", "as_of"]].rename(
        columns={"run_id": "opening_run", "as_of": "opened_on"}), on="fingerprint")
    frame["deadline"] = [_deadline(store, row) for row in frame.itertuples()]
    frame["number"] = frame["fingerprint"].str[:PREFIX]
    frame["first_seen"] = frame["first_seen"].map(as_date)
    order = {name: i for i, name in enumerate(CATEGORIES)}
    severity = {name: i for i, name in enumerate(SEVERITIES)}
    frame = frame.assign(_s=frame["severity"].map(severity), _c=frame["category"].map(order).fillna(len(order)))
    frame = frame.sort_values(["department_id", "_s", "_c", "site_id", "column", "url", "number"], na_position="last")
    keep = ["fingerprint", "number", "rule", "category", "severity", "department_id", "site_id", "column", "url",
            "evidence", "detail", "status", "first_seen", "deadline"]
    return frame[keep].astype(object).where(frame[keep].notna(), None).reset_index(drop=True)


def _deadline(store: Store, row) -> date:
    """The deadline of the open spell the run saw: the ledger's, unless the problem was
    rectified and reopened after the run (then the spell the run saw had its own)."""
    if row.opened_run == row.opening_run:
        return as_date(row.deadline)
    workdays = (store.run(int(row.opening_run))["config"].get("ledger") or {}).get(
        "deadline_workdays", DEFAULT_DEADLINE_WORKDAYS)
    return add_working_days(as_date(row.opened_on), int(workdays))


# --------------------------------------------------------------------------- the notice

@dataclass
class Notice:
    department_id: str
    department: str
    path: Path
    problems: int
    overdue: int
    deadline: date          # the latest deadline of its problems


def _site_column(book: Addressbook, row: dict) -> str:
    site = book.sites.get(row["site_id"], row["site_id"] or "")
    return f"{site}\n栏目「{row['column']}」" if row["column"] else site


def _description(row: dict) -> str:
    lines = [row["detail"] or ""]
    if row["evidence"]:
        lines.append(f"证据：{row['evidence']}")
    if row["url"]:
        lines.append(f"网址：{row['url']}")
    return "\n".join(lines)


def _deadline_cell(row: dict, issued: date) -> str:
    overdue = row["deadline"] < issued
    return row["deadline"].isoformat() + ("\n（已逾期）" if overdue else "")


def notice_document(book: Addressbook, department_id: str, problems: pd.DataFrame, verdicts: pd.DataFrame,
                    month: str, checked: date, issued: date):
    """The 整改通知书 of one department: `problems` its open problems (open_problems rows),
    `verdicts` its veto-level site verdicts."""
    name = book.name(department_id)
    rows = problems.to_dict("records")
    deadline = max(r["deadline"] for r in rows)
    overdue = sum(r["deadline"] < issued for r in rows)
    counts = problems["status"].value_counts()
    doc = gongwen.new_document(f"{name}{NOTICE_TITLE}")
    gongwen.title(doc, NOTICE_TITLE)
    gongwen.doc_number(doc, f"〔{issued.year}〕　　号")
    gongwen.addressee(doc, f"{name}：")
    spells = "、".join(f"{STATE_TITLES[s]}{int(counts[s])}个" for s in OPEN if s in counts.index)
    gongwen.paragraph(doc, f"{book.organization}于{cn_date(checked)}对你单位政府网站开展了{month_label(month)}检查。"
                           f"截至检查日，你单位共有{len(rows)}个问题尚未整改（{spells}）。现将问题清单印发给你单位，"
                           f"请认真核查，按期整改。")
    for verdict in verdicts.to_dict("records"):
        gongwen.paragraph(doc, f"特别提示：{verdict['detail']}。", bold=True)
    gongwen.heading(doc, gongwen.numbered(1, 1, "问题清单"))
    gongwen.table(doc, ["序号", "问题编号", "网站及栏目", "问题描述", "首次发现", "整改期限"],
                  [[i, r["number"], _site_column(book, r), _description(r), r["first_seen"].isoformat(),
                    _deadline_cell(r, issued)] for i, r in enumerate(rows, 1)],
                  widths_mm=[9, 21, 30, 56, 20, 20], align="cclllc")
    gongwen.heading(doc, gongwen.numbered(1, 2, "整改要求"))
    for n, text in enumerate(_requirements(book, deadline, overdue, issued), 1):
        gongwen.paragraph(doc, gongwen.numbered(3, n, text))
    gongwen.heading(doc, gongwen.numbered(1, 3, "联系方式"))
    gongwen.paragraph(doc, book.supervisor_line() + "。")
    gongwen.paragraph(doc, book.department_line(department_id) + "。")
    gongwen.signature(doc, book.organization, issued)
    return doc, deadline, overdue


def _requirements(book: Addressbook, deadline: date, overdue: int, issued: date) -> list[str]:
    if deadline >= issued:
        first = f"请于{cn_date(deadline)}前完成全部问题的整改（各问题整改期限见清单）"
        first += f"，其中{overdue}个问题已超过整改期限，请立即整改。" if overdue else "。"
    else:
        first = "清单所列问题均已超过整改期限，请立即整改。"
    return [first,
            f"整改完成后，请将整改情况（含整改后的网址或截图）报送{book.office}，问题编号请与清单一致。",
            "经核实确属误报或暂不具备整改条件的问题，请在反馈中说明理由，经核实后予以标注。",
            "下次检查将对清单所列问题逐项复查，逾期未整改的问题将在检查情况通报中予以通报。"]


def site_verdicts(store: Store, run_id: int) -> pd.DataFrame:
    """The run's veto-level site verdicts (aggregate rules), for the 特别提示."""
    frame = store.findings_frame(run_id)
    return frame[frame["rule"].isin(aggregate_rules()) & (frame["severity"] == "veto")]


def write_notices(store: Store, month: str, out_dir: Path, issued: date, book: Addressbook | None = None,
                  department: str | None = None) -> list[Notice]:
    """Write one notice per department with open problems into `out_dir`; return them in
    department order. `book` defaults to the config stored with the month's run."""
    run_id = month_run(store, month)
    book = book or Addressbook.from_snapshot(store.run(run_id)["config"])
    checked = as_date(store.audit_of(run_id)["as_of"])
    problems = open_problems(store, run_id)
    problems = problems[~problems["rule"].isin(aggregate_rules())]
    if department:
        problems = problems[problems["department_id"] == book.find(department)]
    verdicts = site_verdicts(store, run_id)
    notices = []
    for dept_id, group in problems.groupby("department_id", sort=True):
        doc, deadline, overdue = notice_document(book, dept_id, group, verdicts[verdicts["department_id"] == dept_id],
                                                 month, checked, issued)
        path = gongwen.save(doc, out_dir / file_name(book.name(dept_id), "整改通知书", month, "docx"))
        notices.append(Notice(dept_id, book.name(dept_id), path, len(group), overdue, deadline))
    return notices


def notice_mail(book: Addressbook, notice: Notice, month: str, issued: date, subject_template: str) -> Outgoing:
    """The message that carries a notice: a short body, the .docx attached."""
    due = notice.deadline >= issued
    deadline = cn_date(notice.deadline) if due else "立即"
    subject = subject_template.format(organization=book.organization, department=notice.department,
                                      month=month_label(month), deadline=deadline)
    ask = f"请于{deadline}前完成整改并反馈整改情况" if due else "所列问题均已超过整改期限，请立即整改并反馈整改情况"
    body = (f"{notice.department}：\n\n"
            f"    {book.organization}对你单位政府网站开展了{month_label(month)}检查，发现{notice.problems}个问题"
            f"尚未整改，详见附件《{NOTICE_TITLE}》。{ask}。\n\n"
            f"    {book.supervisor_line()}\n\n{book.organization}\n{cn_date(issued)}\n")
    return Outgoing(notice.department_id, notice.department, book.emails(notice.department_id), subject, body,
                    [notice.path])
