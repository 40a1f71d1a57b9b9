"""临期提醒: per department, the columns that will go stale within N days (`govaudit remind`).

Supervisors warn departments before a column crosses its update window ("对临期未更新栏目进行
发布提醒", domain.md §1). The columns and their windows come from a stored crawl; the first day
each counts as stale is computed by `rules.column_stale.due_columns`, the same windows the
audit judges by, so a reminder never disagrees with the next audit.

A reminder is written as plain text, one file per department, and is the mail body itself:
it is a short heads-up to whoever maintains the site, not a document to file (the 整改通知书
is), so it reads in any mail client, on a phone or pasted into an instant message without
opening an attachment. Files are UTF-8 with a byte-order mark, which every Notepad opens
correctly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, timezone
from pathlib import Path

import pandas as pd

from govaudit.mail import Outgoing
from govaudit.store import Store
from reports.notices import Addressbook, file_name
from rules.base import cn_date
from rules.column_stale import due_columns
from rules.facts import RunFacts

TITLE = "政府网站栏目更新临期提醒"
BEIJING = timezone(timedelta(hours=8))
FIELDS = ["department_id", "department", "site_id", "site", "column", "update_class", "window", "latest_date",
          "due_date", "days_left", "url"]


def reminder_frame(store: Store, run_id: int, as_of: date, days: int, book: Addressbook) -> pd.DataFrame:
    """One row per column of run `run_id` that is fresh on `as_of` and stale within `days`
    days: FIELDS, with `due_date` the first day it counts as stale."""
    due = due_columns(RunFacts.load(store, run_id), as_of, days)
    frame = pd.DataFrame({
        "department_id": due["department_id"], "department": due["department_id"].map(book.name),
        "site_id": due["site_id"], "site": due["site_id"].map(lambda s: book.sites.get(s, s)),
        "column": due["name"], "update_class": due["update_class"], "window": due["window"],
        "latest_date": due["latest"], "due_date": due["due_date"], "days_left": due["days_left"], "url": due["url"],
    }, columns=FIELDS)
    return frame.sort_values(["department_id", "due_date", "site_id", "url"]).reset_index(drop=True)


@dataclass
class Reminder:
    department_id: str
    department: str
    path: Path
    text: str
    columns: int


def reminder_text(book: Addressbook, department_id: str, rows: pd.DataFrame, as_of: date, crawled: date) -> str:
    source = f"根据{cn_date(crawled)}采集的网站数据" if crawled < as_of else "经检查"
    lines = [TITLE, "", f"{book.name(department_id)}：", "",
             f"    {source}，截至{cn_date(as_of)}，你单位以下{len(rows)}个栏目即将超过更新时限，"
             f"请在到期日前发布更新内容，以免被认定为栏目不更新：", ""]
    for n, row in enumerate(rows.itertuples(), 1):
        lines += [f"{n}. {row.site}「{row.column}」（{row.update_class}类，更新时限{row.window}）",
                  f"   最近更新：{cn_date(row.latest_date)}；{cn_date(row.due_date)}起视为未更新（还有{row.days_left}天）",
                  f"   {row.url}"]
    lines += ["", "    如上述栏目已更新，请忽略本提醒。", f"    {book.supervisor_line()}", "",
              book.organization, cn_date(as_of)]
    return "\n".join(lines) + "\n"


def crawl_day(store: Store, run_id: int) -> date:
    """The day (Beijing time) run `run_id` started crawling."""
    started = store.run(run_id)["started_at"]
    if started.tzinfo is None:        # SQLite gives back the stored UTC time without its zone
        started = started.replace(tzinfo=timezone.utc)
    return started.astimezone(BEIJING).date()


def write_reminders(store: Store, run_id: int, frame: pd.DataFrame, out_dir: Path, as_of: date,
                    book: Addressbook) -> list[Reminder]:
    """One text file per department with columns in `frame` (reminder_frame), in `out_dir`."""
    crawled = crawl_day(store, run_id)
    out = []
    for dept_id, rows in frame.groupby("department_id", sort=True):
        text = reminder_text(book, dept_id, rows, as_of, crawled)
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / file_name(book.name(dept_id), "临期提醒", as_of.isoformat(), "txt")
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8-sig")
        tmp.replace(path)
        out.append(Reminder(dept_id, book.name(dept_id), path, text, len(rows)))
    return out


def reminder_mail(book: Addressbook, reminder: Reminder, as_of: date, subject_template: str) -> Outgoing:
    """The reminder as a plain-text message (no attachment: the text is the message)."""
    subject = subject_template.format(organization=book.organization, department=reminder.department,
                                      date=cn_date(as_of), count=reminder.columns)
    return Outgoing(reminder.department_id, reminder.department, book.emails(reminder.department_id), subject,
                    reminder.text)
