"""The three steps a supervisor runs — crawl, audit, report — as plain functions.

The CLI is a thin layer over these; tests and cron call the CLI. Each step reads what the
previous one stored, so `audit --run N` re-judges a stored run and `report` re-renders
without touching the network.
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import date
from pathlib import Path

from govaudit.config import Config
from govaudit.store import Store, StoreError

logger = logging.getLogger(__name__)


def config_snapshot(config: Config) -> dict:
    """What a run needs to be re-audited and reported without the config file."""
    return {
        "organization": config.organization,
        "departments": [d.model_dump() for d in config.departments],
        "sites": [s.model_dump() for s in config.sites],
        "update_classes": config.update_classes,
        "default_update_class": config.default_update_class,
        "class_keywords": config.class_keywords,
        "rules": config.rules,
        "scoring": config.scoring.model_dump(mode="json", exclude_none=True),
        "ledger": config.ledger.model_dump(),
        "contact": config.contact.model_dump(),
        "as_of": config.as_of.isoformat() if config.as_of else None,
    }


def crawl_settings(config: Config, store_url: str, run_id: int, progress: bool, resume: bool = False,
                   incremental: bool = True):
    """Scrapy settings: crawler.settings overridden by the config's politeness section."""
    from scrapy.settings import Settings

    from crawler.politeness import politeness_settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict({
        **politeness_settings(config),
        "GOVAUDIT_CONFIG": config.path,
        "GOVAUDIT_STORE": store_url,
        "GOVAUDIT_RUN_ID": run_id,
        "GOVAUDIT_PROGRESS": progress,
        "GOVAUDIT_RESUME": resume,
        "GOVAUDIT_INCREMENTAL": incremental,
    }, priority="cmdline")
    return settings


def crawl(config: Config, store_url: str | None = None, progress: bool = False, resume: bool = False,
          resume_run: int | None = None, incremental: bool = True, redis_url: str | None = None) -> int:
    """Crawl every section of `config` into a new run; return its id. Blocks until done.
    With `resume`, continue `resume_run` (default: the latest running/interrupted run of the
    config) where it stopped instead (crawler.resume). `incremental` revalidates the pages of
    the config's latest complete run instead of downloading them again (crawler.incremental).
    With `redis_url`, seed a distributed run that `worker` processes join (crawler.distributed)."""
    from scrapy.crawler import CrawlerProcess

    from crawler.resume import reopen_run, resumable_run
    from crawler.spiders.sections import SectionsSpider

    store_url = store_url or config.store_url()
    store = Store(store_url)
    if redis_url:
        from crawler import distributed
        server = distributed.connect(redis_url)
        distributed.assert_no_job(server)
    if resume:
        run_id = resumable_run(store, config, resume_run)
        reopen_run(store, run_id)
    else:
        run_id = store.new_run(config.path, config.digest, config_snapshot(config))
    settings = crawl_settings(config, store_url, run_id, progress, resume, incremental)
    spider = SectionsSpider
    if redis_url:
        frontier = distributed.publish_job(server, run_id, config, store_url, incremental)
        distributed.apply(settings, redis_url, frontier)
        spider = distributed.DistributedSpider
    process = CrawlerProcess(settings)
    process.crawl(spider, config=config)
    process.start()
    status = store.run(run_id)["status"]
    if status != "complete":
        raise StoreError(f"run {run_id} ended {status}; see `govaudit runs` and the crawl_log table")
    return run_id


def worker(redis_url: str, store_url: str | None = None, wait: float = 60.0, progress: bool = False) -> tuple[int, int]:
    """Join the distributed run seeded in Redis (waiting up to `wait` s for one) and crawl until it
    is drained; return (run id, requests this process took). The seed finalizes the run."""
    from scrapy.crawler import CrawlerProcess

    from crawler import distributed

    server = distributed.connect(redis_url)
    job = distributed.read_job(server, wait)
    config = distributed.job_config(job)
    frontier = distributed.Frontier(server, int(job["run_id"]))
    settings = crawl_settings(config, store_url or job["store_url"], frontier.run_id, progress,
                              incremental=bool(int(job["incremental"])))
    distributed.apply(settings, redis_url, frontier)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(distributed.DistributedSpider)
    process.crawl(crawler, config=config)
    process.start()
    failed = frontier.failure()
    if failed:
        raise StoreError(f"distributed run {frontier.run_id} failed ({failed}); the seed marks it interrupted")
    return frontier.run_id, crawler.spider.frontier.popped


def audit(store: Store, run_id: int, as_of: date) -> tuple[int, list[dict]]:
    """Judge a stored run with every rule; store and return (audit id, finding rows); update the ledger."""
    from govaudit.ledger import rebuild as rebuild_ledger
    from rules.facts import RunFacts
    from rules.registry import all_rules

    run = store.run(run_id)
    if run["status"] != "complete":
        raise StoreError(f"run {run_id} is {run['status']}, not complete; crawl again before auditing it")
    facts = RunFacts.load(store, run_id)
    rows, rule_ids = [], []
    for module in all_rules():
        meta = module.META
        rule_ids.append(meta.id)
        for finding in module.check(facts, as_of, meta.settings(facts.rule_settings(meta.id))):
            row = asdict(finding)
            row["data"] = json.dumps(row["data"], ensure_ascii=False, default=str)
            rows.append(row)
    # the ledger is derived from every audited run: rebuilt in the audit's own transaction
    audit_id = store.replace_findings(run_id, as_of, rule_ids, rows,
                                      then=lambda conn: rebuild_ledger(store, since_run=run_id, conn=conn))
    return audit_id, rows


def report(store: Store, month: str, out_dir: Path, formats: tuple[str, ...] | None = None,
           day: date | None = None, config: Config | None = None) -> list[Path]:
    """Write the month's bulletin (bulletin.html, bulletin.docx, 问题清单.xlsx, or `formats`) to
    `out_dir`, dated `day` (default: as issued before, else today); `config` overrides the
    scoring settings stored with the runs. Returns the paths written, the HTML first."""
    from reports.bulletin import FORMATS, write_bulletin

    return write_bulletin(store, month, out_dir, formats or FORMATS, day=day, config=config)
