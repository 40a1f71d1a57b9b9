"""Crawl benchmark: govaudit against a bare Scrapy spider and against linkchecker, same portal, same run.

    .venv/bin/python bench/crawl_bench.py [--pages 20000] [--repeat 1]      (part of make bench)

1. generates a deterministic government portal of --pages HTML pages (bench/portal_gen.py) with
   --dead planted dead links (half missing pages, half missing PDF attachments);
2. serves it on 127.0.0.1 (nginx if /usr/sbin/nginx exists, as an unprivileged process with its
   own prefix in the temp dir; else a Python ThreadingHTTPServer subprocess);
3. crawls it with a bare Scrapy spider that only follows same-host <a href> links, then with
   `govaudit crawl CONFIG --no-progress` (SQLite store in the temp dir), alternating --repeat times;
4. prints pages, wall seconds, pages/s, CPU seconds and peak RSS of each crawl and the ratio
   govaudit pages/s ÷ bare pages/s (medians over the repeats; target ≥ 0.7);
5. prints govaudit's RSS against pages stored while crawling and its peak (target ≤ 600 MB for a
   100,000-page crawl; below 100,000 pages a linear extrapolation, labelled as such);
6. audits the last govaudit run and compares its dead_link findings (target, referring page) with
   what linkchecker finds on the same server (internal links, same 16 threads), and the time
   ratio govaudit crawl+audit ÷ linkchecker.

The script exits 0 whatever the figures (it is a measurement) and 1 when a crawl fetched fewer
than 95% of the generated pages or a tool failed (something is broken).

Both crawlers use the politeness govaudit is configured with here: 16 concurrent requests per
host, no delay, no AutoThrottle, no robots.txt, LOG_LEVEL WARNING; the bare spider also uses
govaudit's scheduling settings (breadth-first FIFO queues, cookies off) so that the ratio
measures the per-page work govaudit adds (extraction, items, SQLite writes, attribution at
the end, process start-up), not a different crawl order.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.dont_write_bytecode = True   # no bench/__pycache__ left behind

import portal_gen  # noqa: E402

TIME_LIMIT = 30 * 60          # seconds per crawl subprocess (main() raises it for big portals: 20 pages/s)
TARGET_RATIO = 0.7
TARGET_RSS_MB = 600
RSS_PAGES = 100_000           # the crawl size the RSS target is for
MIN_SHARE = 0.95
SAMPLE_EVERY = 5.0            # seconds between RSS / pages samples of a govaudit crawl
AS_OF = "2026-11-20"          # the portal's "today"
LINKCHECKER = shutil.which("linkchecker") or "/usr/bin/linkchecker"
LINKCHECKER_VERSION = ""      # filled in by main()

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
    "DEPTH_LIMIT": 500,     # the pager links only ±2 pages: at 100,000 pages a column is ~360 list pages deep
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
politeness: {{concurrency_per_host: {conc}, delay: 0, autothrottle: false, robots_txt: false, timeout: 20, max_pages_per_site: 1000000, max_depth: 500, max_list_pages: 1000}}
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
    peak_rss: float = 0.0                                   # MB, the process's own high-water mark
    samples: list = field(default_factory=list)             # (pages stored so far, RSS MB) while crawling

    @property
    def rate(self) -> float:
        return self.pages / self.wall if self.wall else 0.0


@dataclass
class Run:
    rc: int
    wall: float
    cpu: float
    peak_rss: float
    server_cpu: float
    samples: list


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def _timed(cmd: list[str], log: Path, server: portal_gen.Server, count_pages=None) -> Run:
    """Run `cmd` (own process group, killed after TIME_LIMIT, stdout to log.out).

    The child is reaped with os.wait4, which gives its own CPU time and peak RSS (ru_maxrss)
    exactly. Meanwhile, every SAMPLE_EVERY seconds, `count_pages()` (if given) and the current
    RSS are sampled, for the RSS-vs-pages curve.
    """
    server_before = server.cpu_seconds()
    started = time.perf_counter()
    samples: list[tuple[int, float]] = []
    with open(log, "wb") as err, open(log.with_suffix(".out"), "wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                cwd=str(REPO), start_new_session=True)
        try:
            next_sample = started + SAMPLE_EVERY
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                now = time.perf_counter()
                if now - started > TIME_LIMIT:
                    os.killpg(proc.pid, signal.SIGKILL)
                    pid, status, usage = os.wait4(proc.pid, 0)
                    err.write(f"\n[bench] killed after {TIME_LIMIT} s\n".encode())
                    break
                if count_pages and now >= next_sample:
                    next_sample = now + SAMPLE_EVERY
                    samples.append((count_pages(), _rss_mb(proc.pid)))
                    if len(samples) % 12 == 0:     # about once a minute: a killed long run keeps its curve
                        print(f"      {now - started:5.0f} s: {samples[-1][0]} pages stored, RSS {samples[-1][1]:.0f} MB",
                              flush=True)
                time.sleep(0.2)
        except BaseException:          # Ctrl-C etc.: never leave a crawl running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
    proc.returncode = os.waitstatus_to_exitcode(status)    # reaped by wait4: tell Popen
    return Run(proc.returncode, time.perf_counter() - started, usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss / 1024, server.cpu_seconds() - server_before, samples)


def _tail(path: Path, n: int = 1500) -> str:
    text = path.read_text("utf-8", errors="replace") if path.exists() else ""
    return text[-n:].strip()


def bench_bare(start_url: str, work: Path, server: portal_gen.Server, i: int) -> Result:
    out = work / f"bare-{i}.json"
    log = work / f"bare-{i}.log"
    run = _timed([sys.executable, str(Path(__file__).resolve()), "--bare", start_url, str(out)], log, server)
    if run.rc != 0 or not out.exists():
        return Result("bare scrapy", 0, run.wall, 0, run.cpu, run.server_cpu, False, f"exit {run.rc}: {_tail(log)}",
                      run.peak_rss)
    data = json.loads(out.read_text())
    note = "" if set(data["status"]) <= {"200", "404"} else f"statuses {data['status']}"
    return Result("bare scrapy", data["pages"], run.wall, data["span"], run.cpu, run.server_cpu, True, note,
                  run.peak_rss)


def _latest_run(conn: sqlite3.Connection) -> int | None:
    return conn.execute("SELECT max(id) FROM runs").fetchone()[0]


def _page_counter(db: Path):
    """count_pages() for _timed: pages stored so far in the latest run (WAL: never blocks the crawl)."""
    def count() -> int:
        try:
            with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as conn:
                run = _latest_run(conn)
                return conn.execute("SELECT count(*) FROM pages WHERE run_id=?", (run,)).fetchone()[0] if run else 0
        except sqlite3.Error:
            return -1
    return count


def bench_govaudit(start_url: str, work: Path, server: portal_gen.Server, i: int) -> Result:
    db = work / f"govaudit-{i}.db"
    config = work / f"sites-{i}.yaml"
    config.write_text(CONFIG_TEMPLATE.format(db=db, start=start_url, conc=CONCURRENCY_PER_HOST), encoding="utf-8")
    log = work / f"govaudit-{i}.log"
    run = _timed(_govaudit_cmd("crawl", str(config), "--no-progress"), log, server, _page_counter(db))
    pages, span, statuses = 0, 0.0, ""
    if db.exists():
        with closing(sqlite3.connect(db)) as conn:
            run_id = _latest_run(conn)
            if run_id is not None:
                pages = conn.execute("SELECT count(*) FROM pages WHERE run_id=?", (run_id,)).fetchone()[0]
                first, last = conn.execute("SELECT min(fetched_at), max(fetched_at) FROM pages WHERE run_id=?",
                                           (run_id,)).fetchone()
                if first and last:
                    span = (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()
                bad = conn.execute("SELECT coalesce(kind, '?'), status, count(*) FROM pages WHERE run_id=? AND "
                                   "(status != 200 OR kind = 'error') GROUP BY 1, 2", (run_id,)).fetchall()
                statuses = ", ".join(f"{k} {st} ×{n}" for k, st, n in bad)
    ok = run.rc == 0
    note = "" if ok else f"exit {run.rc}: {_tail(log)}"
    if statuses:
        note = (note + "; " if note else "") + f"non-200 pages: {statuses}"
    return Result("govaudit", pages, run.wall, span, run.cpu, run.server_cpu, ok, note, run.peak_rss,
                  [s for s in run.samples if s[0] >= 0])


def _govaudit_cmd(*args: str) -> list[str]:
    govaudit = Path(sys.executable).parent / "govaudit"
    return [str(govaudit), *args] if govaudit.exists() else \
        [sys.executable, "-c", "from govaudit.cli import main; main()", *args]


# --- memory ------------------------------------------------------------------------------------

def rss_report(r: Result) -> list[str]:
    """The RSS-vs-pages curve of a govaudit crawl and, below RSS_PAGES, a labelled linear extrapolation.

    Two phases: while crawling (pages being stored), then finalize_run (attribution and columns),
    which loads the run's link graph at once. The extrapolation scales each phase on its own: the
    crawl phase by its measured slope, the finalization's extra memory in proportion to pages.
    """
    lines = [f"govaudit peak RSS: {r.peak_rss:.0f} MB for {r.pages} pages (target ≤ {TARGET_RSS_MB} MB at "
             f"{RSS_PAGES:,} pages)"]
    crawl = []        # while pages were being stored: one sample per page count, before the last flush
    for p, m in r.samples:
        if (crawl[-1][0] if crawl else 0) < p < r.pages:
            crawl.append((p, m))
    if crawl:
        marks = sorted({min(range(len(crawl)), key=lambda j: abs(crawl[j][0] - r.pages * q / 10)) for q in range(1, 10)})
        lines.append("  RSS while crawling (pages stored → RSS MB): " +
                     ", ".join(f"{crawl[j][0]} → {crawl[j][1]:.0f}" for j in marks) +
                     f"; peak (finalize_run at the end included): {r.peak_rss:.0f}")
    late = [(p, m) for p, m in crawl if p >= r.pages / 4]
    if r.pages >= RSS_PAGES:
        verdict = "met" if r.peak_rss <= TARGET_RSS_MB else "MISSED"
        lines.append(f"  measured at {r.pages} pages: {r.peak_rss:.0f} MB ({verdict})")
    elif len(late) >= 3 and late[-1][0] > late[0][0]:
        slope = max(statistics.linear_regression([p for p, _ in late], [m for _, m in late]).slope, 0.0)  # MB/page
        crawl_end = late[-1][1] + slope * (r.pages - late[-1][0])
        finalize = max(r.peak_rss - crawl_end, 0.0)
        at_target = crawl_end + slope * (RSS_PAGES - r.pages)
        estimate = max(r.peak_rss, at_target + finalize * RSS_PAGES / r.pages)
        lines.append(f"  crawl phase: {crawl_end:.0f} MB at the end, growing {slope * 1000:.2f} MB per 1,000 pages; "
                     f"finalize_run adds {finalize:.0f} MB on top")
        lines.append(f"  EXTRAPOLATED (not measured) peak at {RSS_PAGES:,} pages: {at_target:.0f} + {finalize:.0f} × "
                     f"{RSS_PAGES / r.pages:.1f} = {estimate:.0f} MB (target ≤ {TARGET_RSS_MB}: "
                     f"{'met' if estimate <= TARGET_RSS_MB else 'MISSED'}); measure it with "
                     f"`bench/crawl_bench.py --pages {RSS_PAGES} --only govaudit --no-linkchecker`")
    return lines


# --- dead links: govaudit's dead_link findings against linkchecker ----------------------------

def govaudit_dead_links(work: Path, i: int, server: portal_gen.Server) -> tuple[float, set[tuple[str, str]]]:
    """Audit crawl i's run; return (audit wall s, {(dead target, referring page)}) from the dead_link findings."""
    config = work / f"sites-{i}.yaml"
    run = _timed(_govaudit_cmd("audit", "--config", str(config), "--as-of", AS_OF), work / f"audit-{i}.log", server)
    if run.rc != 0:
        raise RuntimeError(f"govaudit audit failed: {_tail(work / f'audit-{i}.log')}")
    with closing(sqlite3.connect(work / f"govaudit-{i}.db")) as conn:
        rows = conn.execute("SELECT url, data FROM findings WHERE rule='dead_link' AND run_id=?",
                            (_latest_run(conn),)).fetchall()
    return run.wall, {(url, page) for url, data in rows for page in json.loads(data)["linked_from"]}


def linkchecker_dead_links(start_url: str, work: Path, server: portal_gen.Server) -> tuple[Run, set[tuple[str, str]]]:
    """Run linkchecker over the portal (internal links, same 16 threads); return (run, {(dead target, referrer)})."""
    rc = work / "linkcheckerrc"
    # maxrequestspersecond: only honoured above 10/s because the server sends a LinkChecker header
    rc.write_text(f"[checking]\nthreads={CONCURRENCY_PER_HOST}\nmaxrequestspersecond=100000\ntimeout=20\n"
                  "[filtering]\nignore=\n  ^mailto:\n  ^javascript:\n", encoding="utf-8")
    if os.geteuid() == 0:      # linkchecker drops root to nobody: it must read its config
        work.chmod(0o755)
        rc.chmod(0o644)
    log = work / "linkchecker.log"
    run = _timed([LINKCHECKER, "-f", str(rc), "--no-status", "--no-warnings", "-o", "csv", start_url], log, server)
    if run.rc not in (0, 1):                  # 1 = broken links found
        raise RuntimeError(f"linkchecker failed (exit {run.rc}): {_tail(log)}")
    lines = [line for line in log.with_suffix(".out").read_text("utf-8").splitlines() if not line.startswith("#")]
    found = set()
    for row in csv.DictReader(lines, delimiter=";"):
        if row["valid"] == "False":
            found.add((row["url"], row["parentname"]))
    return run, found


def dead_link_report(planted: set[tuple[str, str]], ours: set, theirs: set, ours_s: float, theirs_s: float,
                     crawl_s: float, audit_s: float) -> list[str]:
    def targets(pairs):
        return {t for t, _ in pairs}

    lines = [f"dead links planted: {len(planted)} targets, each linked from one article",
             f"  {'tool':<34} {'targets':>7} {'pairs':>6} {'= planted':>9} {'seconds':>8}",
             f"  {'govaudit crawl + audit (dead_link)':<34} {len(targets(ours)):>7} {len(ours):>6} "
             f"{'yes' if ours == planted else 'NO':>9} {ours_s:>8.1f}   (crawl {crawl_s:.1f} + audit {audit_s:.1f})",
             f"  {'linkchecker ' + LINKCHECKER_VERSION:<34} {len(targets(theirs)):>7} {len(theirs):>6} "
             f"{'yes' if theirs == planted else 'NO':>9} {theirs_s:>8.1f}"]
    for name, pairs in (("govaudit", ours), ("linkchecker", theirs)):
        for label, diff in (("missed", planted - pairs), ("extra", pairs - planted)):
            if diff:
                lines.append(f"  {name} {label} {len(diff)}: " + ", ".join(f"{t} (from {p})" for t, p in sorted(diff)[:5]))
    lines.append(f"  same dead links found: {'yes' if ours == theirs else 'NO'}; time ratio govaudit/linkchecker = "
                 f"{ours_s / theirs_s:.2f} (govaudit also extracts and stores every page's facts)")
    return lines


def _versions() -> dict[str, str]:
    import scrapy
    import twisted
    import lxml.etree as etree
    return {"python": platform.python_version(), "scrapy": scrapy.__version__, "twisted": twisted.__version__,
            "lxml": ".".join(map(str, etree.LXML_VERSION)), "nproc": str(os.cpu_count()),
            "machine": f"{platform.system()} {platform.machine()}"}


def _table(rows: list[Result]) -> str:
    head = (f"{'crawler':<12} {'pages':>6} {'wall s':>8} {'pages/s':>8} {'span s':>7} {'crawl cpu s':>11} "
            f"{'server cpu s':>12} {'peak RSS MB':>11}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.name:<12} {r.pages:>6} {r.wall:>8.1f} {r.rate:>8.1f} {r.span:>7.1f} {r.cpu:>11.1f} "
                     f"{r.server_cpu:>12.1f} {r.peak_rss:>11.0f}" + ("" if r.ok else "  FAILED"))
    return "\n".join(lines)


def _linkchecker_version() -> str:
    try:
        out = subprocess.run([LINKCHECKER, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return ""
    return out.split()[1] if out.startswith("LinkChecker") else "?"


def _crawls(args, start_url: str, work: Path, server: portal_gen.Server) -> list[Result]:
    results = []
    for i in range(args.repeat):
        for name, fn in (("bare", bench_bare), ("govaudit", bench_govaudit)):
            if args.only and args.only != name:
                continue
            print(f"[{i + 1}/{args.repeat}] crawling with {name} …", flush=True)
            result = fn(start_url, work, server, i)
            results.append(result)
            print(f"    {result.pages} pages in {result.wall:.1f} s = {result.rate:.1f} pages/s, peak RSS "
                  f"{result.peak_rss:.0f} MB" + (f"  ({result.note})" if result.note else ""), flush=True)
    return results


def _dead_links(args, info: dict, start_url: str, work: Path, server: portal_gen.Server, crawl: Result) -> list[str]:
    print("auditing the last govaudit run, then linkchecker …", flush=True)
    audit_s, ours = govaudit_dead_links(work, args.repeat - 1, server)
    run, theirs = linkchecker_dead_links(start_url, work, server)
    planted = {(server.base + target, server.base + page) for target, page in info["dead"]}
    return dead_link_report(planted, ours, theirs, crawl.wall + audit_s, run.wall, crawl.wall, audit_s) + \
        [f"  linkchecker: {run.cpu:.1f} CPU s, peak RSS {run.peak_rss:.0f} MB"]


def _summary(args, results: list[Result]) -> list[str]:
    by_name = {name: [r for r in results if r.name == name] for name in ("bare scrapy", "govaudit")}
    rates = {name: statistics.median(r.rate for r in rs) for name, rs in by_name.items() if rs}
    lines = []
    if len(rates) == 2 and rates["bare scrapy"] > 0:
        ratio = rates["govaudit"] / rates["bare scrapy"]
        label = "median " if args.repeat > 1 else ""
        lines.append(f"{label}pages/s: bare {rates['bare scrapy']:.1f}, govaudit {rates['govaudit']:.1f}; "
                     f"ratio govaudit/bare = {ratio:.2f} (target ≥ {TARGET_RATIO}: "
                     f"{'met' if ratio >= TARGET_RATIO else 'MISSED'})")
        per_cpu = {name: statistics.median(r.pages / r.cpu for r in rs if r.cpu) for name, rs in by_name.items()}
        lines.append(f"{label}pages per CPU second: bare {per_cpu['bare scrapy']:.1f}, govaudit "
                     f"{per_cpu['govaudit']:.1f}; ratio {per_cpu['govaudit'] / per_cpu['bare scrapy']:.2f} "
                     f"(less sensitive to other load on the machine than wall time)")
    if by_name["govaudit"]:
        lines += rss_report(max(by_name["govaudit"], key=lambda r: r.peak_rss))
    return lines


def main() -> int:
    global LINKCHECKER_VERSION, TIME_LIMIT
    parser = argparse.ArgumentParser(description="govaudit crawl benchmark (ratios against a bare Scrapy spider "
                                                 "and linkchecker)")
    parser.add_argument("--pages", type=int, default=20000, help="pages in the generated portal (default 20000)")
    parser.add_argument("--dead", type=int, default=40, help="planted dead links (default 40)")
    parser.add_argument("--repeat", type=int, default=1, help="bare/govaudit pairs to run, alternating (default 1)")
    parser.add_argument("--seed", type=int, default=20261120)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (portal, logs, SQLite stores)")
    parser.add_argument("--only", choices=["bare", "govaudit"], help="run one crawler only (no ratio)")
    parser.add_argument("--no-linkchecker", action="store_true", help="skip the dead-link comparison")
    parser.add_argument("--bare", nargs=2, metavar=("URL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        run_bare_spider(*args.bare)
        return 0
    if args.pages < 20000:
        print(f"note: --pages {args.pages} is below the 20,000 pages the benchmark is specified for", file=sys.stderr)
    LINKCHECKER_VERSION = _linkchecker_version()
    TIME_LIMIT = max(TIME_LIMIT, args.pages // 20)
    check_links = not args.no_linkchecker and args.only != "bare"
    if check_links and not LINKCHECKER_VERSION:
        print(f"note: {LINKCHECKER} not found (Debian package linkchecker): no dead-link comparison", file=sys.stderr)
        check_links = False

    work = Path(tempfile.mkdtemp(prefix="govaudit-bench-"))
    server = None
    results: list[Result] = []
    dead_lines: list[str] = []
    failures: list[str] = []
    try:
        started = time.perf_counter()
        info = portal_gen.generate(work / "site", args.pages, args.seed, dead=args.dead)
        print(f"portal: {info['pages']} pages ({info['articles']} articles, {info['list_pages']} list pages in "
              f"{info['columns']} columns, homepage), {info['bytes'] / 1e6:.1f} MB, {len(info['dead'])} planted dead "
              f"links; generated in {time.perf_counter() - started:.1f} s", flush=True)
        server = portal_gen.start_server(work / "site", work)
        start_url = f"{server.base}/index.html"
        versions = _versions()
        print(f"server: {server.kind} on {server.base}" + (f" ({server.note})" if server.note else ""))
        print("machine: {machine}, {nproc} cores; Python {python}, Scrapy {scrapy}, Twisted {twisted}, "
              "lxml {lxml}".format(**versions) + "; load average before: {:.2f}".format(os.getloadavg()[0]),
              flush=True)
        results = _crawls(args, start_url, work, server)
        govaudit_runs = [r for r in results if r.name == "govaudit"]
        if check_links and govaudit_runs and govaudit_runs[-1].ok:
            try:
                dead_lines = _dead_links(args, info, start_url, work, server, govaudit_runs[-1])
            except RuntimeError as exc:
                failures.append(str(exc))
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
    print()
    print("\n".join(_summary(args, results) + dead_lines))
    failures += [f"{r.name} fetched {r.pages} of {info['pages']} pages" + (f" — {r.note}" if r.note else "")
                 for r in results if not r.ok or r.pages < MIN_SHARE * info["pages"]]
    for failure in failures:
        print(f"BROKEN: {failure}", file=sys.stderr)
    return 1 if failures or not results else 0


if __name__ == "__main__":
    sys.exit(main())
