"""govaudit — crawl government websites, judge them against the rulebook, write bulletins.

Typical week (what cron runs):

\b
    govaudit run sites.yaml            # crawl + audit + report

Step by step:

\b
    govaudit crawl sites.yaml          # prints the new run id
    govaudit audit --run 3 --as-of 2026-11-20
    govaudit findings --run 3 --format table
    govaudit report --month 2026-11 --out out/

The store is the config's `store:` (default sqlite:///govaudit.db next to the config); commands
that take no config find it with --db URL (or a .db path), --config FILE, or $GOVAUDIT_DB.
"""
from __future__ import annotations

import csv
import getpass
import io
import json
import os
import sys
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from govaudit import migrations
from govaudit.config import ConfigError, load_config
from govaudit.mail import MailError
from govaudit.ledger import MARKS, STATUSES
from govaudit.store import Store, StoreError

BEIJING = timezone(timedelta(hours=8))
err = Console(stderr=True)


def today() -> date:
    return datetime.now(BEIJING).date()


def _store_url(db: str | None, config: str | None) -> str:
    if db:
        return db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    if config:
        return load_config(config).store_url()
    return os.environ.get("GOVAUDIT_DB") or f"sqlite:///{Path('govaudit.db').resolve()}"


def _open_store(db: str | None, config: str | None) -> Store:
    return Store(_store_url(db, config))


def _run_id(store: Store, run: int | None) -> int:
    return run if run is not None else store.latest_run_id()


def _parse_day(value: str, option: str = "--as-of") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not YYYY-MM-DD", param_hint=option) from None


def _as_of(value: str | None, store: Store, run_id: int) -> date:
    if value:
        return _parse_day(value)
    configured = store.run(run_id)["config"].get("as_of")
    return date.fromisoformat(configured) if configured else today()


def _serialized(frame: pd.DataFrame, fmt: str) -> str:
    """A frame as JSON (a list of objects) or CSV text."""
    if fmt == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")   # NaN -> null
        return json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n"
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue()


def _emit(frame: pd.DataFrame, fmt: str, title: str) -> None:
    """Print a frame as JSON (a list of objects), CSV or a Rich table."""
    if fmt in ("json", "csv"):
        click.echo(_serialized(frame, fmt), nl=False)
    else:
        table = Table(title=title, show_lines=False)
        for name in frame.columns:
            table.add_column(str(name), overflow="fold")
        for row in frame.itertuples(index=False):
            table.add_row(*["" if pd.isna(v) else str(v) for v in row])
        Console().print(table)


class GovauditGroup(click.Group):
    """Turns known errors into a clear message and a non-zero exit instead of a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            click.secho("config error:", fg="red", err=True)
            click.echo(str(exc), err=True)    # plain text: messages must not be re-wrapped
            sys.exit(2)
        except (StoreError, MailError) as exc:
            click.echo(f"{click.style('error:', fg='red')} {exc}", err=True)
            sys.exit(1)


@click.group(cls=GovauditGroup, help=__doc__)
@click.version_option(package_name="govaudit")
def main() -> None:
    pass


db_option = click.option("--db", help="store URL (sqlite:///x.db, postgresql://…) or a .db file path")
config_option = click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
                             help="take the store from this config file")
run_option = click.option("--run", "run", type=int, help="run id (default: the latest complete run)")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False), default="sites.yaml")
@click.option("--force", is_flag=True, help="overwrite an existing file")
def init(path: str, force: bool) -> None:
    """Write a commented starter config to PATH (default sites.yaml)."""
    from govaudit.starter import STARTER_CONFIG

    target = Path(path)
    if target.exists() and not force:
        raise click.ClickException(f"{path} exists; use --force to overwrite it")
    target.write_text(STARTER_CONFIG, encoding="utf-8")
    click.echo(f"wrote {path}; edit departments and sites, then run: govaudit crawl {path}")


@main.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--progress/--no-progress", default=True, help="show a progress bar on a terminal")
@click.option("--resume", "resume", type=int, is_flag=False, flag_value=0, default=None, metavar="[RUN]",
              help="continue a killed or stopped run where it stopped (default: the latest running or "
                   "interrupted run of CONFIG) instead of starting a new one")
@click.option("--full", is_flag=True, help="download every page again instead of reusing what the config's latest "
                                           "complete run read (answered from the store until due, then revalidated)")
@click.option("--redis", "redis_url", metavar="URL", help="seed a distributed run in Redis (redis://host:6379/0) "
              "that `govaudit worker` processes join; crawls too, waits for the run to drain, then completes it")
def crawl(config: str, db: str | None, progress: bool, resume: int | None, full: bool, redis_url: str | None) -> None:
    """Crawl every site of CONFIG into a new run (or --resume one) and print the run id."""
    from govaudit.pipeline import crawl as do_crawl

    if redis_url and resume is not None:
        raise click.UsageError("--resume and --redis cannot be combined: a distributed run is not resumable")
    cfg = load_config(config)
    with _redis_errors(redis_url is not None):
        run_id = do_crawl(cfg, _store_url(db, None) if db else None, progress=progress, resume=resume is not None,
                          resume_run=resume or None, incremental=not full, redis_url=redis_url)
    click.echo(run_id)


@contextmanager
def _redis_errors(distributed: bool = True):
    """No job to join, or Redis unreachable: a message, not a traceback. (Imported only for a
    distributed crawl: redis and scrapy-redis cost half a second of start-up.)"""
    if not distributed:
        yield
        return
    from redis.exceptions import RedisError

    from crawler.distributed import JobError

    try:
        yield
    except (JobError, RedisError) as exc:
        raise click.ClickException(f"Redis: {exc}") from exc


@main.command()
@click.option("--redis", "redis_url", metavar="URL", required=True, help="the Redis the seed used (redis://host:6379/0)")
@db_option
@click.option("--wait", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="seconds to wait for a seeded run to join")
@click.option("--progress/--no-progress", default=True, help="show a progress bar on a terminal")
def worker(redis_url: str, db: str | None, wait: float, progress: bool) -> None:
    """Join the distributed run seeded by `govaudit crawl CONFIG --redis URL` and crawl until it is drained.
    Writes to the seed's store unless --db names the same store as seen from this machine."""
    from govaudit.pipeline import worker as do_worker

    with _redis_errors():
        run_id, taken = do_worker(redis_url, _store_url(db, None) if db else None, wait=wait, progress=progress)
    click.echo(f"run {run_id}: {taken} requests")


@main.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=15.0, show_default=True,
              help="seconds within which the whole homepage must have loaded")
@click.option("--repeat", type=click.IntRange(min=1), default=1, show_default=True, help="rounds of probes")
@click.option("--every", type=click.FloatRange(min=0), default=3600.0, show_default=True,
              help="seconds from the start of one round to the next (with --repeat)")
def probe(config: str, db: str | None, timeout: float, repeat: int, every: float) -> None:
    """Probe every site's homepage once (per round) and store the probes (for cron: hourly or more)."""
    import time

    from crawler.probe import homepages, probe_all

    cfg = load_config(config)
    store = Store(_store_url(db, None) if db else cfg.store_url())
    targets = homepages(cfg)
    for round_no in range(repeat):
        started = time.monotonic()
        probes = probe_all(targets, timeout=timeout, user_agent=cfg.politeness.user_agent)
        store.write_batch({"probes": [p.row() for p in probes]})
        for p in probes:
            click.echo("\t".join([p.site_id, "ok" if p.ok else "FAIL", str(p.status or "-"),
                                  f"{p.response_ms}ms", p.url, p.error or ""]).rstrip("\t"))
        failed = sum(not p.ok for p in probes)
        err.print(f"probed {len(probes)} homepages: {failed} failed", highlight=False)
        if round_no + 1 < repeat:
            time.sleep(max(0.0, every - (time.monotonic() - started)))


def _audit(store: Store, run_id: int, as_of: date) -> None:
    from govaudit.ledger import run_changes
    from govaudit.pipeline import audit as do_audit

    with err.status(f"审核批次 {run_id}（基准日 {as_of}）…"):
        _audit_id, rows = do_audit(store, run_id, as_of)
    counts = pd.Series([r["category"] for r in rows], dtype=object).value_counts().to_dict()
    summary = ", ".join(f"{k} {v}" for k, v in counts.items()) or "no findings"
    err.print(f"run {run_id} audited as of {as_of}: {len(rows)} findings ({summary})", highlight=False)
    changes = ", ".join(f"{n} {status}" for status, n in run_changes(store, run_id).items())
    err.print(f"ledger: {changes or 'no problems'} (govaudit ledger lists them)", highlight=False)


@main.command()
@run_option
@click.option("--as-of", "as_of", help="judge dates as of YYYY-MM-DD (default: the config's as_of, else today)")
@db_option
@config_option
def audit(run: int | None, as_of: str | None, db: str | None, config_path: str | None) -> None:
    """Judge a stored run with every rule (replaces that run's earlier findings)."""
    store = _open_store(db, config_path)
    run_id = _run_id(store, run)
    _audit(store, run_id, _as_of(as_of, store, run_id))


def _formats(value: str) -> tuple[str, ...]:
    from reports.bulletin import FORMATS

    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise click.BadParameter(f"{unknown[0] if unknown else value!r} is not a format; give a comma-separated "
                                 f"list of {', '.join(FORMATS)}", param_hint="--format")
    return formats


@main.command()
@click.option("--month", required=True, help="YYYY-MM: the month reported (its audited runs)")
@click.option("--out", "out", type=click.Path(file_okay=False), default="out", show_default=True)
@click.option("--format", "fmt", default="html,docx,xlsx", show_default=True,
              help="comma-separated: html (bulletin.html), docx (bulletin.docx), xlsx (问题清单.xlsx)")
@click.option("--date", "day", help="YYYY-MM-DD the bulletin bears (default: the date it was first issued, else "
                                    "today); 整改 deadlines count from it")
@db_option
@config_option
def report(month: str, out: str, fmt: str, day: str | None, db: str | None, config_path: str | None) -> None:
    """Write the month's numbered inspection bulletin (检查情况通报) to --out; prints each file."""
    from govaudit.pipeline import report as do_report

    formats = _formats(fmt)
    store = _open_store(db, config_path)
    config = load_config(config_path) if config_path else None
    with err.status("生成通报…"):
        paths = do_report(store, month, Path(out), formats, day=_parse_day(day, "--date") if day else None,
                           config=config)
    for path in paths:
        click.echo(path)


def _report_deliveries(deliveries) -> int:
    """Print every delivery outcome (standard error) and return the exit code they call for."""
    from govaudit.weekly import EXIT_OK, EXIT_UNDELIVERED

    table = Table(title="mail", show_lines=False)
    for name in ("department", "to", "status", "error"):
        table.add_column(name, overflow="fold")
    for d in deliveries:
        table.add_row(d.department, ", ".join(d.to), d.status, d.error or "")
    err.print(table)
    counts = pd.Series([d.status for d in deliveries], dtype=object).value_counts().to_dict()
    err.print("mail: " + (", ".join(f"{n} {status}" for status, n in counts.items()) or "nothing to send"),
              highlight=False)
    return EXIT_OK if all(d.ok for d in deliveries) else EXIT_UNDELIVERED


def _send_and_exit(cfg, items, folder: Path) -> None:
    """Mail `items`, record them in folder/delivery.json, print the outcomes, exit 0 or 3."""
    from govaudit.weekly import send_all

    sys.exit(_report_deliveries(send_all(cfg.mail, items, folder, Path(cfg.path).resolve().parent)))


def _mail_ready(cfg) -> None:
    """Fail before doing anything when mail is asked for but cannot be sent."""
    from govaudit.mail import password
    from govaudit.weekly import require_mail

    password(require_mail(cfg))


@main.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False))
@click.option("--as-of", "as_of", help="the run's day, YYYY-MM-DD: audits judge as of it and the schedule "
                                       "decides by it (default: the config's as_of, else today)")
@click.option("--month", help="YYYY-MM: write this month's bulletin and notices now, whatever the schedule says")
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="output root (default: the config's schedule.out_dir)")
@click.option("--send/--no-send", default=None,
              help="mail notices and reminders (default: the schedule's send_notices / send_reminders)")
@db_option
@click.option("--progress/--no-progress", default=True)
def run(config: str, as_of: str | None, month: str | None, out: str | None, send: bool | None, db: str | None,
        progress: bool) -> None:
    """What cron calls: crawl, audit (which updates the ledger), then what the config's
    `schedule:` asks for on this day: the 临期提醒 every run; the monthly bulletin and the
    整改通知书 on the monthly day; mail when the schedule (or --send) says so. Prints the files
    written; run.json in the day's folder records everything (docs/operations.md).

    Exit codes: 0 done; 1 failed (crawl, store, mail not configured); 2 bad config; 3 done but
    some mail was not delivered (see run.json)."""
    from dataclasses import replace

    from govaudit import weekly
    from govaudit.pipeline import crawl as do_crawl
    from reports.scoring import parse_month

    cfg = load_config(config)
    day = _parse_day(as_of) if as_of else (cfg.as_of or today())
    plan = weekly.plan(cfg.schedule, day, send)
    if month:
        parse_month(month)
        plan = replace(plan, month=month)
    if plan.send_reminders or (plan.month and plan.send_notices):
        _mail_ready(cfg)
    store_url = _store_url(db, None) if db else cfg.store_url()
    run_id = do_crawl(cfg, store_url, progress=progress)
    store = Store(store_url)
    _audit(store, run_id, day)
    summary = weekly.produce(store, cfg, run_id, plan, weekly.out_root(cfg, out))
    for path in (*summary.bulletin, *summary.notices, *summary.reminders):
        click.echo(path)
    for note in summary.notes:
        err.print(note, highlight=False)
    err.print(f"{len(summary.notices)} notices, {len(summary.reminders)} reminders; "
              f"record: {weekly.day_dir(weekly.out_root(cfg, out), day) / 'run.json'}", highlight=False)
    if summary.deliveries:
        from govaudit.mail import Delivery

        _report_deliveries([Delivery(**d) for d in summary.deliveries])
    sys.exit(summary.exit)


def _book(config_path: str | None):
    """(config, Addressbook) from --config, or (None, None) to use the run's stored config."""
    from govaudit.pipeline import config_snapshot
    from reports.notices import Addressbook

    if not config_path:
        return None, None
    cfg = load_config(config_path)
    return cfg, Addressbook.from_snapshot(config_snapshot(cfg))


@main.command()
@click.option("--month", required=True, help="YYYY-MM: problems open as of the month's last audited run")
@click.option("--out", "out", type=click.Path(file_okay=False), default="out", show_default=True)
@click.option("--department", help="only this department (id or name)")
@click.option("--date", "issued", help="date the notices carry, YYYY-MM-DD (default: today)")
@click.option("--send", is_flag=True, help="mail each department its notice (needs --config with a `mail:` section)")
@db_option
@config_option
def notices(month: str, out: str, department: str | None, issued: str | None, send: bool, db: str | None,
            config_path: str | None) -> None:
    """Write one 整改通知书 (.docx) per department with open problems: its findings, deadlines
    and contacts. Names and contacts come from --config, else from the config stored with the
    run. Prints the files written. Exit 3 when --send could not deliver every notice."""
    from reports.notices import notice_mail, write_notices

    cfg, book = _book(config_path)
    if send:
        _mail_ready(cfg)
    day = _parse_day(issued, "--date") if issued else today()
    written = write_notices(_open_store(db, config_path), month, Path(out), day, book, department)
    for notice in written:
        click.echo(notice.path)
    err.print(f"{len(written)} notices, {sum(n.problems for n in written)} open problems"
              + ("" if written else f": no department has open problems in {month}"), highlight=False)
    if send and written:
        _send_and_exit(cfg, [notice_mail(book, n, month, day, cfg.mail.subject_notice) for n in written], Path(out))


@main.command()
@click.option("--days", type=click.IntRange(1, 366), default=3, show_default=True,
              help="columns that go stale within this many days")
@click.option("--as-of", "as_of", help="YYYY-MM-DD (default: the run's config as_of, else today)")
@run_option
@click.option("--out", "out", type=click.Path(file_okay=False), default="out", show_default=True)
@click.option("--department", help="only this department (id or name)")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option("--send", is_flag=True, help="mail each department its reminder (needs --config with a `mail:` section)")
@db_option
@config_option
def remind(days: int, as_of: str | None, run: int | None, out: str, department: str | None, fmt: str, send: bool,
           db: str | None, config_path: str | None) -> None:
    """The 临期提醒: per department, the columns of the latest crawl (or --run) that will go
    stale within --days days, with the first day each counts as stale. Prints them (table,
    JSON or CSV) and writes one text file per department to --out. Exit 3 when --send could
    not deliver every reminder."""
    from reports.notices import Addressbook
    from reports.remind import reminder_frame, reminder_mail, write_reminders

    cfg, book = _book(config_path)
    if send:
        _mail_ready(cfg)
    store = _open_store(db, config_path)
    run_id = _run_id(store, run)
    day = _as_of(as_of, store, run_id)
    book = book or Addressbook.from_snapshot(store.run(run_id)["config"])
    frame = reminder_frame(store, run_id, day, days, book)
    if department:
        frame = frame[frame["department_id"] == book.find(department)]
    written = write_reminders(store, run_id, frame, Path(out), day, book)
    table = frame[["department", "site", "column", "window", "latest_date", "due_date", "days_left", "url"]]
    _emit(table if fmt == "table" else frame, fmt,
          f"临期提醒: columns of run {run_id} going stale by {day + timedelta(days=days)}")
    err.print(f"{len(frame)} columns due within {days} days in {len(written)} departments; files: "
              + (", ".join(str(r.path) for r in written) or "none"), highlight=False)
    if send and written:
        _send_and_exit(cfg, [reminder_mail(book, r, day, cfg.mail.subject_reminder) for r in written], Path(out))


@main.command()
@db_option
@config_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def runs(db: str | None, config_path: str | None, fmt: str) -> None:
    """List stored runs."""
    _emit(_open_store(db, config_path).runs_frame(), fmt, "runs")


@main.group("db")
def db_cmd() -> None:
    """The store's schema (alembic migrations; docs/schema.md, Schema versions)."""


@db_cmd.command("upgrade")
@db_option
@config_option
def db_upgrade(db: str | None, config_path: str | None) -> None:
    """Bring the store's schema to the newest revision (every command also does so when it opens
    the store) and print the revision."""
    store = _open_store(db, config_path)
    with store.engine.connect() as conn:
        click.echo(f"{store.url}: schema revision {migrations.current(conn)} (newest {migrations.head()})")


def columns_frame(store: Store, run_id: int) -> pd.DataFrame:
    """The public `columns` view: one object per (site, column) with its audit verdicts."""
    from govaudit.store import columns

    frame = store.table_frame(columns, run_id)
    found = store.findings_frame(run_id)
    audited = store.audit_of(run_id) is not None
    flagged = {cat: set(zip(found.loc[found["category"] == cat, "site_id"], found.loc[found["category"] == cat, "url"]))
               for cat in ("column_stale", "column_blank")}
    keys = list(zip(frame["site_id"], frame["url"]))
    out = pd.DataFrame({
        "department": frame["department_id"], "site": frame["site_id"], "name": frame["name"], "url": frame["url"],
        "update_class": frame["update_class"], "window_days": frame["window_days"],
        "item_count": frame["item_count"], "latest_date": frame["latest_date"].map(lambda d: d.isoformat() if pd.notna(d) else None),
        "undated_count": frame["undated_count"],
        "stale": [(k in flagged["column_stale"]) if audited else None for k in keys],
        "blank": [(k in flagged["column_blank"]) if audited else None for k in keys],
        "shape": frame["shape"],
    })
    return out.sort_values(["department", "site", "url"]).reset_index(drop=True)


@main.command("columns")
@run_option
@db_option
@config_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def columns_cmd(run: int | None, db: str | None, config_path: str | None, fmt: str) -> None:
    """List the columns of a run: class, window, items, latest date, stale/blank verdicts."""
    store = _open_store(db, config_path)
    run_id = _run_id(store, run)
    _emit(columns_frame(store, run_id), fmt, f"columns of run {run_id}")


def findings_frame(store: Store, run_id: int) -> pd.DataFrame:
    frame = store.findings_frame(run_id)
    return pd.DataFrame({
        "id": frame["id"], "rule": frame["rule"], "category": frame["category"], "severity": frame["severity"],
        "department": frame["department_id"], "site": frame["site_id"], "column": frame["column"],
        "url": frame["url"], "evidence": frame["evidence"], "detail": frame["detail"], "run": frame["run_id"],
    })


@main.command("findings")
@run_option
@db_option
@config_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def findings_cmd(run: int | None, db: str | None, config_path: str | None, fmt: str) -> None:
    """List the findings of a run's latest audit (evidence is masked where personal)."""
    store = _open_store(db, config_path)
    run_id = _run_id(store, run)
    if store.audit_of(run_id) is None:
        raise StoreError(f"run {run_id} has not been audited; run `govaudit audit --run {run_id}`")
    _emit(findings_frame(store, run_id), fmt, f"findings of run {run_id}")


_LEDGER_TABLE = ["id", "department", "site", "category_title", "severity_title", "column", "url", "evidence",
                 "first_seen", "deadline", "state_title", "finding"]


@main.group("ledger", invoke_without_command=True)
@click.option("--department", help="department id or name")
@click.option("--site", help="site id or name")
@click.option("--status", type=click.Choice(["open", *STATUSES, *MARKS]),
              help="open (not rectified, not marked), a status, or a mark")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table")
@click.option("--out", "out", type=click.Path(dir_okay=False),
              help="write to FILE instead of standard output (xlsx: default 问题清单.xlsx)")
@db_option
@config_option
@click.pass_context
def ledger_cmd(ctx: click.Context, department: str | None, site: str | None, status: str | None, fmt: str,
               out: str | None, db: str | None, config_path: str | None) -> None:
    """The problem ledger (问题清单): every problem across the audited runs with its first-seen
    date, 整改 deadline and status (new, persisting, overdue, rectified, reopened) or mark.
    Subcommands mark, unmark and rebuild it."""
    ctx.obj = {"db": db, "config": config_path}
    if ctx.invoked_subcommand is not None:
        return
    from govaudit.ledger import ledger_frame

    frame = ledger_frame(_open_store(db, config_path), department=department, site=site, status=status)
    if fmt == "xlsx":
        from reports.workbook import write_ledger_workbook

        click.echo(write_ledger_workbook(frame, Path(out or "问题清单.xlsx")))
    elif out:
        if fmt == "table":
            raise click.UsageError("--out takes --format json, csv or xlsx")
        Path(out).write_text(_serialized(frame, fmt), encoding="utf-8")
        click.echo(out)
    else:
        _emit(frame[_LEDGER_TABLE] if fmt == "table" else frame, fmt, "ledger (问题清单)")


def _ledger_store(ctx: click.Context, db: str | None, config_path: str | None) -> Store:
    """The store named on the subcommand, else on `govaudit ledger` itself."""
    parent = ctx.obj or {}
    return _open_store(db or parent.get("db"), config_path or parent.get("config"))


def _who(by: str | None) -> str:
    return by or os.environ.get("USER") or getpass.getuser()


@ledger_cmd.command("mark")
@click.argument("ident", metavar="ID")
@click.option("--as", "mark", type=click.Choice(MARKS), required=True, help="what the supervisor decided")
@click.option("--reason", required=True, help="why (recorded with who and when)")
@click.option("--by", help="who decided (default $USER)")
@db_option
@config_option
@click.pass_context
def ledger_mark(ctx: click.Context, ident: str, mark: str, reason: str, by: str | None, db: str | None,
                config_path: str | None) -> None:
    """Mark a problem (ID: its number from `govaudit ledger`, or a finding id) accepted-risk or
    false-positive. The mark stays in later runs; the problem no longer counts as open."""
    from govaudit.ledger import PREFIX, set_mark

    row = set_mark(_ledger_store(ctx, db, config_path), ident, mark, reason, _who(by))
    click.echo(f"{row['fingerprint'][:PREFIX]} marked {mark} by {row['by']}: {row['reason']}")


@ledger_cmd.command("unmark")
@click.argument("ident", metavar="ID")
@click.option("--reason", required=True, help="why the mark is withdrawn")
@click.option("--by", help="who (default $USER)")
@db_option
@config_option
@click.pass_context
def ledger_unmark(ctx: click.Context, ident: str, reason: str, by: str | None, db: str | None,
                  config_path: str | None) -> None:
    """Withdraw a problem's mark (the earlier mark stays on record)."""
    from govaudit.ledger import PREFIX, set_mark

    row = set_mark(_ledger_store(ctx, db, config_path), ident, None, reason, _who(by))
    click.echo(f"{row['fingerprint'][:PREFIX]} unmarked by {row['by']}: {row['reason']}")


@ledger_cmd.command("rebuild")
@db_option
@config_option
@click.pass_context
def ledger_rebuild(ctx: click.Context, db: str | None, config_path: str | None) -> None:
    """Recompute the ledger from every audited run (audit does this itself; for stores audited
    before the ledger existed). Marks are kept."""
    from govaudit.ledger import rebuild

    counts = rebuild(_ledger_store(ctx, db, config_path))
    click.echo(", ".join(f"{n} {status}" for status, n in counts.items()) or "no problems")


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table")
def rules_cmd(fmt: str) -> None:
    """List every rule with its metadata (id, title, severity, source 文号, threshold).
    `--format markdown` writes docs/rules.md."""
    from rules.registry import all_rules, rules_markdown

    if fmt == "markdown":
        click.echo(rules_markdown(), nl=False)
        return
    frame = pd.DataFrame([m.META.as_dict() for m in all_rules()])
    if fmt == "table":   # the full metadata is in --format json / markdown
        frame = frame[["id", "title", "category", "severity", "confidence", "source"]]
    _emit(frame, fmt, "rules")


@main.group(invoke_without_command=True)
@click.option("--out", "out", type=click.Path(file_okay=False), default="govaudit-demo", show_default=True)
@click.option("--progress/--no-progress", default=True)
@click.pass_context
def demo(ctx: click.Context, out: str, progress: bool) -> None:
    """Serve the bundled demo portal and run a fortnight on it: homepage probes, the week-1 crawl
    and audit (2026-11-20), the week-2 re-inspection after the demo fixed some problems and grew
    new ones (2026-11-27), then the month's bulletin. Prints where everything is."""
    if ctx.invoked_subcommand is not None:
        return
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from crawler.probe import homepages, probe_all
    from govaudit.demo import DemoPortal, demo_config
    from govaudit.demo.content import PROBE_ROUNDS
    from govaudit.demo.model import WEEKS
    from govaudit.pipeline import report as do_report

    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "demo.db"
    if db.exists():
        db.unlink()
    runs = []
    with DemoPortal(week=1) as portal:
        config_file = out_dir / "sites.yaml"
        config_file.write_text(demo_config(portal.portal_url, portal.site_url, f"sqlite:///{db}"), encoding="utf-8")
        err.print(f"demo portal on {portal.portal_url} (department site {portal.site_url})", highlight=False)
        cfg = load_config(config_file)
        store = Store(cfg.store_url())
        with err.status(f"{PROBE_ROUNDS} rounds of homepage probes…"):
            for _ in range(PROBE_ROUNDS):
                probes = probe_all(homepages(cfg), user_agent=cfg.politeness.user_agent)
                store.write_batch({"probes": [p.row() for p in probes]})
        for week, as_of in sorted(WEEKS.items()):
            portal.set_week(week)
            err.print(f"week {week}: the demo as of {as_of}", highlight=False)
            # a Twisted reactor runs once per process: each week's crawl gets a fresh one
            with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as child:
                run_id = child.submit(_crawl_config, str(config_file), progress).result()
            _audit(store, run_id, as_of)
            runs.append(run_id)
    paths = do_report(store, f"{WEEKS[2]:%Y-%m}", out_dir, day=WEEKS[2])
    paths += _demo_department_output(store, runs[-1], WEEKS[2], out_dir)
    err.print(f"runs {runs[0]} (week 1) and {runs[1]} (week 2) in {db}\n"
              f"findings: govaudit findings --db {db} --run {runs[1]}\n"
              f"ledger:   govaudit ledger --db {db}\n"
              f"explain:  govaudit explain ID --db {db}", highlight=False)
    for path in paths:
        click.echo(path)


def _crawl_config(config_file: str, progress: bool) -> int:
    """Crawl a config into a new run (run in a child process by `govaudit demo`)."""
    from govaudit.pipeline import crawl as do_crawl

    return do_crawl(load_config(config_file), progress=progress)


def _demo_department_output(store: Store, run_id: int, as_of: date, out_dir: Path) -> list[Path]:
    """The week-2 整改通知书 (one per department with open problems) and 临期提醒 of the demo."""
    from reports.notices import Addressbook, write_notices
    from reports.remind import reminder_frame, write_reminders

    book = Addressbook.from_snapshot(store.run(run_id)["config"])
    notices = write_notices(store, f"{as_of:%Y-%m}", out_dir / "整改通知书", issued=as_of, book=book)
    due = reminder_frame(store, run_id, as_of, 3, book)
    reminders = write_reminders(store, run_id, due, out_dir / "临期提醒", as_of, book)
    return [n.path for n in notices] + [r.path for r in reminders]


@demo.command("serve")
@click.option("--port", type=int, default=8080, show_default=True, help="portal port; the department site uses PORT+1")
@click.option("--week", type=click.Choice(["1", "2"]), default="1", show_default=True,
              help="serve the first inspection's week or the re-inspection's")
def demo_serve(port: int, week: str) -> None:
    """Serve the demo portal alone (Ctrl-C stops it)."""
    from govaudit.demo.server import serve_forever

    serve_forever(port, int(week))


@main.command("inspect")
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
@click.option("--encoding", help="decode the page with this charset (e.g. gbk) instead of detecting it")
@click.option("--base-url", "base_url", help="URL a saved page was served at (resolves its links, dates in URLs)")
@click.option("--start-page", "start_page", is_flag=True, help="read the page as a configured start page (a hub)")
def inspect_cmd(target: str, fmt: str, encoding: str | None, base_url: str | None, start_page: bool) -> None:
    """Show what the crawler's extractors see on one page: TARGET is a live http(s) URL, a saved
    HTML file, or a folder of saved pages (JSON: a list). Personal data is masked before anything
    is printed."""
    from govaudit.inspect import InspectError, inspect, inspect_directory, render_table

    try:
        if Path(target).is_dir():
            reports = inspect_directory(target, encoding=encoding, start_page=start_page)
            if fmt == "json":
                click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
            else:
                for each in reports:
                    render_table(each, Console(highlight=False))
            return
        report = inspect(target, encoding=encoding, base_url=base_url, start_page=start_page)
    except InspectError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        render_table(report, Console(highlight=False))
    if report["file"] is None and report["status"] is None:     # no answer at all
        click.echo(f"{click.style('error:', fg='red')} no answer from {target}: {report['error']}", err=True)
        sys.exit(1)


@main.command("explain")
@click.argument("finding", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option
@config_option
def explain_cmd(finding: int, fmt: str, db: str | None, config_path: str | None) -> None:
    """Show the evidence for one finding (its id from `govaudit findings`): the rule and the
    settings used, the facts it judged, and the runs involved."""
    from govaudit.explain import explain, render_text

    report = explain(_open_store(db, config_path), finding)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(report), nl=False)
