"""Crawl benchmark: govaudit against a bare Scrapy spider on the same generated portal, same run.

    .venv/bin/python bench/crawl_bench.py [--pages 6000] [--repeat 1]      (make bench)

1. generates a deterministic government portal of --pages HTML pages (bench/portal_gen.py);
2. serves it on 127.0.0.1 (nginx if /usr/sbin/nginx exists, else a Python ThreadingHTTPServer
   subprocess with the files in memory);
3. crawls it with a bare Scrapy spider that only follows same-host <a href> links, then with
   `govaudit crawl CONFIG --no-progress` (SQLite store in the temp dir), alternating --repeat times;
4. prints pages, wall seconds, pages/s and CPU seconds of each crawl and the ratio
   govaudit pages/s ÷ bare pages/s (medians over the repeats). The target for later issues is
   a ratio of at least 0.7; the script exits 0 whatever the ratio (it is a measurement) and 1
   when a crawl fetched fewer than 95% of the generated pages (something is broken).

Both crawlers use the politeness govaudit is configured with here: 16 concurrent requests per
host, no delay, no AutoThrottle, no robots.txt, LOG_LEVEL WARNING; the bare spider also uses
govaudit's scheduling settings (breadth-first FIFO queues, cookies off) so that the ratio
measures the per-page work govaudit adds (extraction, items, SQLite writes, attribution at
the end, process start-up), not a different crawl order.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.dont_write_bytecode = True   # no bench/__pycache__ left behind

import portal_gen  # noqa: E402

TIME_LIMIT = 15 * 60          # seconds per crawl subprocess
TARGET_RATIO = 0.7
MIN_SHARE = 0.95

# Shared by both crawlers (govaudit gets them from the config's politeness section).
CONCURRENCY_PER_HOST = 16
BARE_SETTINGS = {
    "CONCURRENT_REQUESTS": 32,                 # crawler.settings.CONCURRENT_REQUESTS
    "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY_PER_HOST,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "LOG_LEVEL": "WARNING",
    "DOWNLOAD_TIMEOUT": 20,
    "DEPTH_LIMIT": 50,
    "DEPTH_PRIORITY": 1,                       # govaudit crawls breadth-first
    "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
    "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "USER_AGENT": "govaudit-bench-bare/0.1",
}

CONFIG_TEMPLATE = """\
store: sqlite:///{db}
departments: [{{id: zfb, name: 基准区人民政府办公室}}]
sites:
  - {{id: portal, name: 基准门户, department: zfb, start_urls: ["{start}"]}}
politeness: {{concurrency_per_host: {conc}, delay: 0, autothrottle: false, robots_txt: false, timeout: 20, max_pages_per_site: 100000, max_depth: 50, max_list_pages: 1000}}
"""


# --- the bare spider (runs in a subprocess: crawl_bench.py --bare URL OUT.json) -------------

def run_bare_spider(start_url: str, out_path: str) -> None:
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    host = urlsplit(start_url).netloc
    times: dict[str, float] = {}
    urls: set[str] = set()

    class BareSpider(scrapy.Spider):
        name = "bare"
        start_urls = [start_url]

        def parse(self, response):
            for href in response.css("a::attr(href)").getall():
                if urlsplit(response.urljoin(href)).netloc == host:
                    yield response.follow(href, callback=self.parse)

    def on_response(response, request, spider):
        now = time.perf_counter()
        urls.add(request.url)
        times.setdefault("first", now)
        times["last"] = now

    process = CrawlerProcess(settings=BARE_SETTINGS)
    crawler = process.create_crawler(BareSpider)
    crawler.signals.connect(on_response, signal=signals.response_received)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    status = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("downloader/response_status_count/")}
    Path(out_path).write_text(json.dumps({
        "pages": len(urls),                      # distinct URLs (the start URL is fetched twice:
        "responses": stats.get("response_received_count", 0),   # start requests skip the dupe filter)
        "status": status,
        "span": times.get("last", 0) - times.get("first", 0),
        "finish_reason": stats.get("finish_reason"),
    }))


# --- measuring ---------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    pages: int
    wall: float          # subprocess wall time, start-up and shutdown included
    span: float          # first to last fetched page
    cpu: float           # user+sys CPU seconds of the crawler process
    server_cpu: float    # CPU seconds the web server used meanwhile
    ok: bool
    note: str = ""

    @property
    def rate(self) -> float:
        return self.pages / self.wall if self.wall else 0.0


def _timed(cmd: list[str], log: Path, server: portal_gen.Server, env: dict | None = None):
    """Run `cmd` (own process group, killed after TIME_LIMIT); return (rc, wall, cpu, server_cpu, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = server.cpu_seconds()
    started = time.perf_counter()
    with open(log, "wb") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                                cwd=str(REPO), env=env, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            err.write(f"\n[bench] killed after {TIME_LIMIT} s\n".encode())
        except BaseException:          # Ctrl-C etc.: never leave a crawl running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.returncode, wall, cpu, server.cpu_seconds() - server_before, out.decode("utf-8", "replace")


def _tail(path: Path, n: int = 1500) -> str:
    text = path.read_text("utf-8", errors="replace") if path.exists() else ""
    return text[-n:].strip()


def bench_bare(start_url: str, work: Path, server: portal_gen.Server, i: int) -> Result:
    out = work / f"bare-{i}.json"
    log = work / f"bare-{i}.log"
    rc, wall, cpu, server_cpu, _ = _timed([sys.executable, str(Path(__file__).resolve()), "--bare", start_url, str(out)],
                                          log, server)
    if rc != 0 or not out.exists():
        return Result("bare scrapy", 0, wall, 0, cpu, server_cpu, False, f"exit {rc}: {_tail(log)}")
    data = json.loads(out.read_text())
    note = "" if set(data["status"]) <= {"200"} else f"statuses {data['status']}"
    return Result("bare scrapy", data["pages"], wall, data["span"], cpu, server_cpu, True, note)


def bench_govaudit(start_url: str, work: Path, server: portal_gen.Server, i: int) -> Result:
    db = work / f"govaudit-{i}.db"
    config = work / f"sites-{i}.yaml"
    config.write_text(CONFIG_TEMPLATE.format(db=db, start=start_url, conc=CONCURRENCY_PER_HOST), encoding="utf-8")
    log = work / f"govaudit-{i}.log"
    govaudit = Path(sys.executable).parent / "govaudit"
    cmd = [str(govaudit), "crawl", str(config), "--no-progress"] if govaudit.exists() else \
        [sys.executable, "-c", "from govaudit.cli import main; main()", "crawl", str(config), "--no-progress"]
    rc, wall, cpu, server_cpu, out = _timed(cmd, log, server)
    pages, span, statuses = 0, 0.0, ""
    if db.exists():
        with sqlite3.connect(db) as conn:
            run = conn.execute("SELECT max(id) FROM runs").fetchone()[0]
            if run is not None:
                pages = conn.execute("SELECT count(*) FROM pages WHERE run_id=?", (run,)).fetchone()[0]
                first, last = conn.execute("SELECT min(fetched_at), max(fetched_at) FROM pages WHERE run_id=?",
                                           (run,)).fetchone()
                if first and last:
                    from datetime import datetime
                    span = (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()
                bad = conn.execute("SELECT coalesce(kind, '?'), count(*) FROM pages WHERE run_id=? AND "
                                   "(status != 200 OR kind = 'error') GROUP BY 1", (run,)).fetchall()
                statuses = ", ".join(f"{k} {n}" for k, n in bad)
    ok = rc == 0
    note = "" if ok else f"exit {rc}: {_tail(log)}"
    if statuses:
        note = (note + "; " if note else "") + f"error pages: {statuses}"
    return Result("govaudit", pages, wall, span, cpu, server_cpu, ok, note)


def _versions() -> dict[str, str]:
    import scrapy
    import twisted
    import lxml.etree as etree
    return {"python": platform.python_version(), "scrapy": scrapy.__version__, "twisted": twisted.__version__,
            "lxml": ".".join(map(str, etree.LXML_VERSION)), "nproc": str(os.cpu_count()),
            "machine": f"{platform.system()} {platform.machine()}"}


def _table(rows: list[Result]) -> str:
    head = f"{'crawler':<12} {'pages':>6} {'wall s':>8} {'pages/s':>8} {'span s':>7} {'crawl cpu s':>11} {'server cpu s':>12}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.name:<12} {r.pages:>6} {r.wall:>8.1f} {r.rate:>8.1f} {r.span:>7.1f} {r.cpu:>11.1f} "
                     f"{r.server_cpu:>12.1f}" + ("" if r.ok else "  FAILED"))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="govaudit crawl benchmark (ratio against a bare Scrapy spider)")
    parser.add_argument("--pages", type=int, default=6000, help="pages in the generated portal (default 6000)")
    parser.add_argument("--repeat", type=int, default=1, help="bare/govaudit pairs to run, alternating (default 1)")
    parser.add_argument("--seed", type=int, default=20261120)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (portal, logs, SQLite stores)")
    parser.add_argument("--only", choices=["bare", "govaudit"], help="run one crawler only (no ratio)")
    parser.add_argument("--bare", nargs=2, metavar=("URL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        run_bare_spider(*args.bare)
        return 0
    if args.pages < 5000:
        print(f"note: --pages {args.pages} is below the 5,000 pages the benchmark is specified for", file=sys.stderr)

    work = Path(tempfile.mkdtemp(prefix="govaudit-bench-"))
    server = None
    results: list[Result] = []
    try:
        started = time.perf_counter()
        info = portal_gen.generate(work / "site", args.pages, args.seed)
        print(f"portal: {info['pages']} pages ({info['articles']} articles, {info['list_pages']} list pages in "
              f"{info['columns']} columns, homepage), {info['bytes'] / 1e6:.1f} MB, generated in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        server = portal_gen.start_server(work / "site", work)
        start_url = f"{server.base}/index.html"
        versions = _versions()
        print(f"server: {server.kind} on {server.base}" + (f" ({server.note})" if server.note else ""))
        print("machine: {machine}, {nproc} cores; Python {python}, Scrapy {scrapy}, Twisted {twisted}, "
              "lxml {lxml}".format(**versions) + "; load average before: {:.2f}".format(os.getloadavg()[0]),
              flush=True)
        for i in range(args.repeat):
            for name, fn in (("bare", bench_bare), ("govaudit", bench_govaudit)):
                if args.only and args.only != name:
                    continue
                print(f"[{i + 1}/{args.repeat}] crawling with {name} …", flush=True)
                result = fn(start_url, work, server, i)
                results.append(result)
                print(f"    {result.pages} pages in {result.wall:.1f} s = {result.rate:.1f} pages/s"
                      + (f"  ({result.note})" if result.note else ""), flush=True)
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\nload average after: {os.getloadavg()[0]:.2f} (other work on the machine skews the figures; "
          f"use --repeat 3 for a median)")
    print(_table(results))
    by_name = {name: [r for r in results if r.name == name] for name in ("bare scrapy", "govaudit")}
    rates = {name: statistics.median(r.rate for r in rs) for name, rs in by_name.items() if rs}
    if len(rates) == 2 and rates["bare scrapy"] > 0:
        ratio = rates["govaudit"] / rates["bare scrapy"]
        label = "median " if args.repeat > 1 else ""
        print(f"\n{label}pages/s: bare {rates['bare scrapy']:.1f}, govaudit {rates['govaudit']:.1f}; "
              f"ratio govaudit/bare = {ratio:.2f} (target ≥ {TARGET_RATIO})")
    broken = [r for r in results if not r.ok or r.pages < MIN_SHARE * info["pages"]]
    for r in broken:
        print(f"BROKEN: {r.name} fetched {r.pages} of {info['pages']} pages"
              + (f" — {r.note}" if r.note else ""), file=sys.stderr)
    return 1 if broken or not results else 0


if __name__ == "__main__":
    sys.exit(main())
