"""Weekly operation: what `govaudit run` produces after crawling and auditing, on which day, and where.

Cron calls `govaudit run CONFIG` every `schedule.every_days` days (weekly by default). Every
run crawls, audits (which updates the ledger) and, with `schedule.reminders`, writes the
临期提醒. On the *monthly day* it also writes the month's bulletin and the 整改通知书:

* ``monthly_day: N`` (1–28, default 1): at the first run on or after day N of a month, for the
  previous month (complete by then); with weekly runs keep N ≤ 22 so that every month has
  such a run;
* ``monthly_day: last``: at the month's last run (the next one falls in the next month), for
  that month, this run included.

Files go under ``schedule.out_dir`` (relative: next to the config), docs/operations.md::

    OUT/2026-11/                         the month's products (report / notices --month 2026-11)
        bulletin.html …                  the bulletin in every format `govaudit report` writes
        整改通知书/<部门>-整改通知书-2026-11.docx
        整改通知书/delivery.json         one outcome per department, when sent
    OUT/2026-12/2026-12-01/              one folder per run day
        临期提醒/<部门>-临期提醒-2026-12-01.txt
        临期提醒/delivery.json
        run.json                         what the run did: run id, ledger changes, files, deliveries, exit code
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from govaudit.config import Config, Mail, Schedule
from govaudit.mail import Delivery, MailError, Outgoing, deliver
from govaudit.store import Store
from reports.scoring import parse_month, previous_month

if TYPE_CHECKING:
    from reports.notices import Addressbook

NOTICES_DIR, REMINDERS_DIR = "整改通知书", "临期提醒"
#: Exit codes of `govaudit run`, `notices --send` and `remind --send` (docs/operations.md).
EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_UNDELIVERED = 0, 1, 2, 3


@dataclass(frozen=True)
class Plan:
    """What one run produces."""
    day: date
    month: str | None          # the month whose bulletin and notices are due today, or None
    notices: bool
    send_notices: bool
    reminders: bool
    send_reminders: bool
    reminder_days: int


def monthly_month(schedule: Schedule, day: date) -> str | None:
    """The month (YYYY-MM) whose bulletin and notices a run on `day` produces, or None."""
    every = timedelta(days=schedule.every_days)
    if schedule.monthly_day == "last":
        return f"{day:%Y-%m}" if (day + every).month != day.month else None
    start = day.replace(day=schedule.monthly_day)
    if day >= start > day - every:        # the first run on or after day N of this month
        return previous_month(f"{day:%Y-%m}")
    return None


def plan(schedule: Schedule, day: date, send: bool | None = None) -> Plan:
    """The plan for a run on `day`; `send` (the command line's --send/--no-send) overrides
    the schedule's send_notices and send_reminders."""
    return Plan(day=day, month=monthly_month(schedule, day), notices=schedule.notices,
                send_notices=schedule.send_notices if send is None else send and schedule.notices,
                reminders=schedule.reminders,
                send_reminders=schedule.send_reminders if send is None else send and schedule.reminders,
                reminder_days=schedule.reminder_days)


def out_root(config: Config, override: str | Path | None = None) -> Path:
    """The output root: --out, else schedule.out_dir (relative to the config's folder)."""
    root = Path(override or config.schedule.out_dir)
    if not root.is_absolute() and override is None and config.path:
        root = Path(config.path).resolve().parent / root
    return root


def month_dir(root: Path, month: str) -> Path:
    return root / month


def day_dir(root: Path, day: date) -> Path:
    return root / f"{day:%Y-%m}" / day.isoformat()


def require_mail(config: Config | None) -> Mail:
    """The config's `mail:` section; MailError (before anything is done) when there is none."""
    if config is None or config.mail is None:
        raise MailError("--send needs the config's `mail:` section (host, port, security, user, password_env, from): "
                        "give --config FILE; `govaudit init` shows an example")
    return config.mail


def send_all(mail: Mail, items: list[Outgoing], log_dir: Path, base_dir: Path | None) -> list[Delivery]:
    """Deliver `items` and record every outcome in log_dir/delivery.json."""
    log_dir.mkdir(parents=True, exist_ok=True)
    return deliver(mail, items, base_dir, log=log_dir / "delivery.json")


@dataclass
class Summary:
    """What `govaudit run` did (written as run.json in the day's folder)."""
    run: int
    day: str
    plan: dict
    ledger: dict = field(default_factory=dict)
    bulletin: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    deliveries: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    exit: int = EXIT_OK

    def delivered(self, deliveries: list[Delivery]) -> None:
        self.deliveries += [asdict(d) for d in deliveries]
        if any(not d.ok for d in deliveries):
            self.exit = EXIT_UNDELIVERED

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "run.json"
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        return path


def produce(store: Store, config: Config, run_id: int, the_plan: Plan, root: Path) -> Summary:
    """Everything after the audit: reminders, and on the monthly day the bulletin and notices.
    A plan that sends needs the config's `mail:` (check with `require_mail` before crawling).
    run.json is written even when a step fails (with exit 1), then the error propagates."""
    from govaudit.ledger import run_changes
    from govaudit.pipeline import config_snapshot
    from reports.notices import Addressbook

    book = Addressbook.from_snapshot(config_snapshot(config))
    summary = Summary(run=run_id, day=the_plan.day.isoformat(), plan=asdict(the_plan),
                      ledger=run_changes(store, run_id))
    try:
        if the_plan.reminders:
            _reminders(store, config, run_id, the_plan, book, day_dir(root, the_plan.day) / REMINDERS_DIR, summary)
        if the_plan.month and not store.runs_in_month(*parse_month(the_plan.month)):
            summary.notes.append(f"no audited run in {the_plan.month}: no bulletin or notices for it")
        elif the_plan.month:
            _monthly(store, config, the_plan, book, month_dir(root, the_plan.month), summary)
    except BaseException:
        summary.exit = EXIT_FAILED
        raise
    finally:
        summary.write(day_dir(root, the_plan.day))
    return summary


def _base_dir(config: Config) -> Path | None:
    return Path(config.path).resolve().parent if config.path else None


def _reminders(store: Store, config: Config, run_id: int, the_plan: Plan, book: Addressbook, folder: Path,
               summary: Summary) -> None:
    from reports.remind import reminder_frame, reminder_mail, write_reminders

    frame = reminder_frame(store, run_id, the_plan.day, the_plan.reminder_days, book)
    reminders = write_reminders(store, run_id, frame, folder, the_plan.day, book)
    summary.reminders = [str(r.path) for r in reminders]
    if the_plan.send_reminders and reminders:
        items = [reminder_mail(book, r, the_plan.day, config.mail.subject_reminder) for r in reminders]
        summary.delivered(send_all(config.mail, items, folder, _base_dir(config)))


def _monthly(store: Store, config: Config, the_plan: Plan, book: Addressbook, folder: Path,
             summary: Summary) -> None:
    from govaudit.pipeline import report
    from reports.notices import notice_mail, write_notices

    month = the_plan.month
    summary.bulletin = [str(p) for p in report(store, month, folder, day=the_plan.day, config=config)]
    if not the_plan.notices:
        return
    notices = write_notices(store, month, folder / NOTICES_DIR, the_plan.day, book)
    summary.notices = [str(n.path) for n in notices]
    if the_plan.send_notices and notices:
        items = [notice_mail(book, n, month, the_plan.day, config.mail.subject_notice) for n in notices]
        summary.delivered(send_all(config.mail, items, folder / NOTICES_DIR, _base_dir(config)))
