"""Distributed crawling: several processes, on one or several machines, crawl one run.

The engine is Scrapy + Redis through scrapy-redis: its scheduler keeps the frontier (a priority
queue) and the request dupe filter in Redis, so every process pops from, and pushes to, the same
queue. This module adds what govaudit's spider needs on top (docs/scaling.md has the operator's view):

* **the job** — ``govaudit crawl CONFIG --redis URL`` (the *seed*) creates the run in the store and
  publishes it under `JOB_KEY` (run id, config text, store URL); ``govaudit worker --redis URL``
  reads it and crawls the same config into the same run. The seed crawls too: its start requests
  are the frontier's first entries.
* **shared spider state** (`Frontier`) — what the single-process spider keeps in memory and the
  stored run depends on: the set of URLs requested and the page count per section (the
  ``max_pages_per_site`` cap), and the link-check cache and cap (``max_link_checks``). Both are
  claimed atomically in Redis (Lua scripts), so each URL is fetched and each target checked once
  per run, and the caps hold across processes.
* **the end of the run** — a process is idle when its own engine is (nothing downloading,
  nothing being parsed, nothing in the shared queue for it). The run is over when *every*
  request ever pushed has been processed by a process that went idle afterwards: each push is
  counted (``INCR``) before it reaches the queue, each process reports how many requests it has
  popped whenever it is idle (after flushing its items to the store), and the run is drained
  when the queue is empty and the reports add up to the pushes, read in one transaction. The seed
  holds one extra token until its start requests are all queued, so nobody ends a run that has
  not started. Then every process closes; the seed builds attribution and columns and marks the
  run complete (crawler.attribution.finalize_run), exactly as a single-process crawl does.

A process that stops abnormally marks the job failed: the others stop when next idle and the seed
marks the run ``interrupted``. A process killed outright (SIGKILL, power loss) cannot say so, and takes
the requests it had popped with it, so every process also keeps a **heartbeat** (a key that expires
`HEARTBEAT_TTL` seconds after its last beat, renewed every `HEARTBEAT_EVERY`) and counts each request
it pops in Redis (``taken``). An idle process that finds a process without a heartbeat that had taken
more requests than it had reported done marks the job failed, naming it: the run ends
``interrupted`` instead of waiting forever. A process that died with nothing in hand costs nothing
and is ignored.
"""
from __future__ import annotations

import atexit
import logging
import os
import shutil
import socket
import tempfile
import time
import warnings
from pathlib import Path

import redis
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, ScrapyDeprecationWarning
from scrapy_redis.scheduler import Scheduler

from crawler.linkcheck import LinkChecker
from crawler.pipelines import StorePipeline
from crawler.scope import normalize_url
from crawler.spiders.sections import SectionsSpider
from govaudit.config import Config, load_config

logger = logging.getLogger(__name__)
# scrapy-redis 0.9.1 (the latest) still passes `spider` to the stats and calls Spider.log
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")

#: The job the workers join: a hash of run_id, config_name, config_text, store_url, state.
JOB_KEY = "govaudit:job"
#: Seconds between an idle process's looks at the shared queue (Scrapy's own heartbeat is 5 s).
IDLE_POLL = 0.5
#: A process renews its heartbeat every HEARTBEAT_EVERY seconds; one silent for HEARTBEAT_TTL is dead
#: (the environment variable GOVAUDIT_HEARTBEAT_TTL overrides it; keep it above the longest callback).
HEARTBEAT_EVERY = 5.0
HEARTBEAT_TTL = 60.0

# 1 = claimed for this process; 0 = already requested by some process; -1 = the section's page cap
_CLAIM_PAGE = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
if ARGV[2] ~= '' then
  if tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0') >= tonumber(ARGV[3]) then return -1 end
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
"""
# 0 = already claimed; n > 0 = this target is the run's n-th distinct link check
_CLAIM_CHECK = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
return redis.call('SCARD', KEYS[1])
"""


class JobError(RuntimeError):
    """No job to join, or one already running."""


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, decode_responses=True)


class Frontier:
    """The Redis keys of one distributed run and the shared state of its spiders."""

    def __init__(self, server: redis.Redis, run_id: int):
        self.server, self.run_id = server, run_id
        self.prefix = f"govaudit:run:{run_id}:"
        self.popped = 0          # requests this process took from the queue
        self.token = 0           # the seed's start token (see the module docstring)
        self._claim_page = server.register_script(_CLAIM_PAGE)
        self._claim_check = server.register_script(_CLAIM_CHECK)

    def key(self, name: str) -> str:
        return self.prefix + name

    def scrapy_settings(self) -> dict:
        """Scheduler, queue and dupe-filter settings of scrapy-redis for this run."""
        return {
            "SCHEDULER": "crawler.distributed.DistributedScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
            "SCHEDULER_QUEUE_KEY": self.key("requests"),
            "SCHEDULER_DUPEFILTER_KEY": self.key("dupefilter"),
            "SCHEDULER_PERSIST": True,          # one process closing must not flush everyone's queue
            "GOVAUDIT_RUN_ID": self.run_id,
        }

    # --- shared spider state ---------------------------------------------------------------
    def claim_page(self, url: str, section: str | None, cap: int) -> int:
        return int(self._claim_page(keys=[self.key("seen"), self.key("pages")], args=[url, section or "", cap]))

    def claim_check(self, url: str) -> int:
        return int(self._claim_check(keys=[self.key("checks")], args=[url]))

    # --- the end of the run ----------------------------------------------------------------
    def pushed(self) -> None:
        self.server.incr(self.key("pushed"))

    def report_idle(self, worker: str) -> None:
        self.server.hset(self.key("done"), worker, self.popped + self.token)

    def took(self, worker: str) -> None:
        """One more request popped by `worker` (what a process killed outright had in hand)."""
        self.popped += 1
        self.server.hincrby(self.key("taken"), worker, 1)

    def beat(self, worker: str, ttl: float) -> None:
        if not self.running():           # after the run: leave nothing behind in Redis
            return
        with self.server.pipeline(transaction=False) as pipe:
            pipe.sadd(self.key("workers"), worker)
            pipe.set(self.key(f"alive:{worker}"), 1, px=int(ttl * 1000))
            pipe.execute()

    def lost(self) -> list[str]:
        """Processes whose heartbeat expired while they held requests they never reported done."""
        workers = self.server.smembers(self.key("workers"))
        taken, done = self.server.hgetall(self.key("taken")), self.server.hgetall(self.key("done"))
        return sorted(w for w in workers if int(taken.get(w, 0)) > int(done.get(w, 0))
                      and not self.server.exists(self.key(f"alive:{w}")))

    def drained(self) -> bool:
        """Queue empty and every pushed request processed by a process that was idle since."""
        with self.server.pipeline(transaction=True) as pipe:
            pipe.zcard(self.key("requests"))
            pipe.get(self.key("pushed"))
            pipe.hvals(self.key("done"))
            queued, pushed, done = pipe.execute()
        return queued == 0 and int(pushed or 0) == sum(map(int, done))

    def failure(self) -> str | None:
        return self.server.hget(JOB_KEY, "failed") if self._is_current() else None

    def fail(self, reason: str) -> None:
        """Mark the job failed (the first failure's reason is kept)."""
        if self._is_current():
            self.server.hsetnx(JOB_KEY, "failed", reason)
            self.server.hset(JOB_KEY, "state", "failed")

    def finish(self) -> None:
        """The run is stored: drop its frontier, mark the job done. The two small counters stay an
        hour for the processes still closing (deleted, a late report would make the run look busy)."""
        alive = [f"alive:{worker}" for worker in self.server.smembers(self.key("workers"))]
        self.server.delete(*(self.key(name) for name in ("requests", "dupefilter", "seen", "pages", "checks",
                                                           "taken", "workers", *alive)))
        for name in ("pushed", "done"):
            self.server.expire(self.key(name), 3600)
        if self._is_current():
            self.server.hset(JOB_KEY, "state", "complete")

    def running(self) -> bool:
        """This run is still the job being crawled (not completed, failed or replaced)."""
        return self._is_current() and self.server.hget(JOB_KEY, "state") == "running"

    def _is_current(self) -> bool:
        return self.server.hget(JOB_KEY, "run_id") == str(self.run_id)


# --- the job ---------------------------------------------------------------------------------
def assert_no_job(server: redis.Redis) -> None:
    """Refuse to seed a second run while one is running on the same Redis database."""
    if server.hget(JOB_KEY, "state") == "running":
        raise JobError(f"Redis already holds a running crawl (run {server.hget(JOB_KEY, 'run_id')}): wait for it, "
                       f"use another Redis database (URL ending /1, /2 …), or, if its seed is dead, "
                       f"redis-cli DEL {JOB_KEY}")


def publish_job(server: redis.Redis, run_id: int, config: Config, store_url: str, incremental: bool) -> Frontier:
    """Make run `run_id` the job workers join; its frontier starts with the seed's token."""
    frontier = Frontier(server, run_id)
    server.delete(JOB_KEY)
    server.hset(JOB_KEY, mapping={"run_id": run_id, "config_name": Path(config.path or "sites.yaml").name,
                                  "config_text": Path(config.path).read_text(encoding="utf-8"),
                                  "store_url": store_url, "incremental": int(incremental), "state": "running"})
    server.set(frontier.key("pushed"), 1)
    server.hset(frontier.key("taken"), worker_name(), 1)      # the token, as report_idle counts it
    frontier.token = 1
    return frontier


def read_job(server: redis.Redis, wait: float) -> dict:
    """The running job, waiting up to `wait` seconds for one to be published."""
    deadline = time.monotonic() + wait
    while True:
        job = server.hgetall(JOB_KEY)
        if job.get("state") == "running":
            return job
        if time.monotonic() >= deadline:
            raise JobError(f"no running crawl in Redis (key {JOB_KEY}); start one with `govaudit crawl CONFIG --redis URL`")
        time.sleep(0.5)


def job_config(job: dict) -> Config:
    """The job's config, from the seed's file text (the worker may run on another machine)."""
    folder = Path(tempfile.mkdtemp(prefix="govaudit-worker-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / job["config_name"]
    path.write_text(job["config_text"], encoding="utf-8")
    return load_config(str(path))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# --- Scrapy components -------------------------------------------------------------------------
class DistributedScheduler(Scheduler):
    """scrapy-redis's scheduler, counting what this process pushes and pops (`Frontier.drained`)."""

    def open(self, spider):
        self.frontier: Frontier = spider.frontier
        return super().open(spider)

    def enqueue_request(self, request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.frontier.pushed()      # counted before it can be popped: never drained too early
        self.queue.push(request)
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        request = super().next_request()
        if request is not None:
            self.frontier.took(worker_name())
        return request


class SharedLinkChecker(LinkChecker):
    """Link checks with the cache and the `max_link_checks` cap shared by every process."""

    def __init__(self, frontier: Frontier, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.frontier = frontier

    def requests_for(self, targets):
        if self.polite.max_link_checks <= 0:
            return
        for url, text in targets:
            if url in self.checked or not self.wanted(url, text):
                continue
            rank = self.frontier.claim_check(url)
            if rank == 0:                       # another process checks it
                self.checked[url] = "elsewhere"
                continue
            self.count = rank - 1               # the run's count before this target: the cap is run-wide
            yield from super().requests_for([(url, text)])


class DistributedSpider(SectionsSpider):
    """The sections spider with its dedup and page caps in Redis. Only the seed yields start requests."""

    frontier: Frontier

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.frontier = Frontier(connect(settings.get("GOVAUDIT_REDIS_URL")), settings.getint("GOVAUDIT_RUN_ID"))
        spider.frontier.token = settings.getint("GOVAUDIT_REDIS_TOKEN")
        spider.linkcheck = SharedLinkChecker(spider.frontier, spider.scope, spider.limits,
                                             callback=spider.check_answered, errback=spider.check_failed)
        return spider

    async def start(self):
        if self.frontier.token:
            async for request in super().start():
                yield request

    def _request(self, url, section, *, hops, **kwargs):
        """Claim `url` (and a page of the section's cap) run-wide first; the inherited method then
        builds the request, or logs the cap once per process."""
        key = normalize_url(url)
        if key in self.seen:
            return None
        claim = self.frontier.claim_page(key, section, self.limits.max_pages_per_site)
        if claim == 0:
            self.seen.add(key)
            return None
        if section is not None:   # the run-wide count decided; the local one only replays the verdict
            self.pages_per_site[section] = self.limits.max_pages_per_site if claim < 0 else 0
        return super()._request(url, section, hops=hops, **kwargs)


class DistributedStorePipeline(StorePipeline):
    """The store pipeline of a distributed run: flushes whenever the process is idle, keeps the
    process open until the whole run is drained, and lets only the seed finalize the run.

    The idle handler lives here, not in an extension, because it must flush this pipeline's
    batch before reporting the process idle."""

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = super().from_crawler(crawler)
        crawler.signals.connect(pipeline.spider_idle, signal=signals.spider_idle)
        return pipeline

    def open_spider(self):
        super().open_spider()
        from twisted.internet import task

        frontier, ttl = self.crawler.spider.frontier, float(os.environ.get("GOVAUDIT_HEARTBEAT_TTL", HEARTBEAT_TTL))
        self.heartbeat = task.LoopingCall(frontier.beat, worker_name(), ttl)
        self.heartbeat.start(min(HEARTBEAT_EVERY, ttl / 3), now=True).addErrback(
            lambda failure: logger.error("heartbeat stopped (others will take this process for dead): %s",
                                         failure.getErrorMessage()))

    def spider_idle(self, spider):
        self.flush()
        frontier = spider.frontier
        failed = frontier.failure()
        if failed:
            raise CloseSpider(f"distributed run failed: {failed}")
        if not frontier.running():
            return                   # the seed has completed the run
        frontier.report_idle(worker_name())
        if lost := frontier.lost():
            frontier.fail(f"{', '.join(lost)} stopped without a heartbeat while holding requests; they are lost")
            raise CloseSpider(f"distributed run failed: {frontier.failure()}")
        if not frontier.drained():
            self._look_again_soon()
            raise DontCloseSpider

    def _look_again_soon(self) -> None:
        """Ask the engine for the next request in IDLE_POLL seconds rather than at its 5 s heartbeat,
        so an idle process picks up what the others push (Scrapy has no public hook for this)."""
        from twisted.internet import reactor

        engine = self.crawler.engine

        def wake():
            slot = getattr(engine, "_slot", None)
            if engine.running and slot is not None:
                slot.nextcall.schedule()
        reactor.callLater(IDLE_POLL, wake)

    def spider_closed(self, spider, reason: str):
        if self.heartbeat.running:
            self.heartbeat.stop()
        frontier = spider.frontier
        if reason != "finished":
            frontier.fail(f"{worker_name()}: {reason}")
        if frontier.token:              # the seed: finalize (or mark interrupted) the stored run
            super().spider_closed(spider, reason)
            if reason == "finished":
                frontier.finish()
        logger.info("distributed run %s: this process took %d requests", frontier.run_id, frontier.popped)


def apply(settings, redis_url: str, frontier: Frontier) -> None:
    """Make the crawler `settings` those of one process of the distributed run."""
    pipelines = settings.getdict("ITEM_PIPELINES")
    pipelines.update({"crawler.pipelines.StorePipeline": None, "crawler.distributed.DistributedStorePipeline": 500})
    settings.setdict({
        **frontier.scrapy_settings(),
        "REDIS_URL": redis_url,
        "GOVAUDIT_REDIS_URL": redis_url,
        "GOVAUDIT_REDIS_TOKEN": frontier.token,
        "ITEM_PIPELINES": pipelines,
    }, priority="cmdline")
