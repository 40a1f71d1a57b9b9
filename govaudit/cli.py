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
import io
import json
import os
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from govaudit.config import ConfigError, load_config
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


def _as_of(value: str | None, store: Store, run_id: int) -> date:
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not YYYY-MM-DD", param_hint="--as-of") from None
    configured = store.run(run_id)["config"].get("as_of")
    return date.fromisoformat(configured) if configured else today()


def _emit(frame: pd.DataFrame, fmt: str, title: str) -> None:
    """Print a frame as JSON (a list of objects), CSV or a Rich table."""
    if fmt == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")   # NaN -> null
        click.echo(json.dumps(records, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL)
        click.echo(buffer.getvalue(), nl=False)
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
        except StoreError as exc:
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
def crawl(config: str, db: str | None, progress: bool) -> None:
    """Crawl every site of CONFIG into a new run and print the run id."""
    from govaudit.pipeline import crawl as do_crawl

    cfg = load_config(config)
    run_id = do_crawl(cfg, _store_url(db, None) if db else None, progress=progress)
    click.echo(run_id)


def _audit(store: Store, run_id: int, as_of: date) -> None:
    from govaudit.pipeline import audit as do_audit

    with err.status(f"审核批次 {run_id}（基准日 {as_of}）…"):
        _audit_id, rows = do_audit(store, run_id, as_of)
    counts = pd.Series([r["category"] for r in rows], dtype=object).value_counts().to_dict()
    summary = ", ".join(f"{k} {v}" for k, v in counts.items()) or "no findings"
    err.print(f"run {run_id} audited as of {as_of}: {len(rows)} findings ({summary})", highlight=False)


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


@main.command()
@click.option("--month", required=True, help="YYYY-MM: the month whose latest audited run is reported")
@click.option("--out", "out", type=click.Path(file_okay=False), default="out", show_default=True)
@db_option
@config_option
def report(month: str, out: str, db: str | None, config_path: str | None) -> None:
    """Write the month's inspection bulletin (bulletin.html) to --out."""
    from govaudit.pipeline import report as do_report

    store = _open_store(db, config_path)
    with err.status("生成通报…"):
        path = do_report(store, month, Path(out))
    click.echo(path)


@main.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False))
@click.option("--as-of", "as_of", help="YYYY-MM-DD (default: the config's as_of, else today)")
@click.option("--out", "out", type=click.Path(file_okay=False), default="out", show_default=True)
@db_option
@click.option("--progress/--no-progress", default=True)
def run(config: str, as_of: str | None, out: str, db: str | None, progress: bool) -> None:
    """Crawl, audit and report in one go (what cron calls)."""
    from govaudit.pipeline import crawl as do_crawl, report as do_report

    cfg = load_config(config)
    store_url = _store_url(db, None) if db else cfg.store_url()
    run_id = do_crawl(cfg, store_url, progress=progress)
    store = Store(store_url)
    day = _as_of(as_of, store, run_id)
    _audit(store, run_id, day)
    click.echo(do_report(store, f"{day:%Y-%m}", Path(out)))


@main.command()
@db_option
@config_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def runs(db: str | None, config_path: str | None, fmt: str) -> None:
    """List stored runs."""
    _emit(_open_store(db, config_path).runs_frame(), fmt, "runs")


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
    """Serve the bundled demo portal, run the whole pipeline on it, and write the bulletin."""
    if ctx.invoked_subcommand is not None:
        return
    from govaudit.demo import DEMO_AS_OF, DemoPortal, demo_config
    from govaudit.pipeline import crawl as do_crawl, report as do_report

    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "demo.db"
    if db.exists():
        db.unlink()
    with DemoPortal() as portal:
        config_file = out_dir / "sites.yaml"
        config_file.write_text(demo_config(portal.portal_url, portal.site_url, f"sqlite:///{db}"), encoding="utf-8")
        err.print(f"demo portal on {portal.portal_url} (department site {portal.site_url})", highlight=False)
        cfg = load_config(config_file)
        run_id = do_crawl(cfg, progress=progress)
    store = Store(cfg.store_url())
    _audit(store, run_id, DEMO_AS_OF)
    path = do_report(store, f"{DEMO_AS_OF:%Y-%m}", out_dir)
    err.print(f"columns: govaudit columns --db {db}\nfindings: govaudit findings --db {db}", highlight=False)
    click.echo(path)


@demo.command("serve")
@click.option("--port", type=int, default=8080, show_default=True, help="portal port; the department site uses PORT+1")
def demo_serve(port: int) -> None:
    """Serve the demo portal alone (Ctrl-C stops it)."""
    from govaudit.demo.server import serve_forever

    serve_forever(port)


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
