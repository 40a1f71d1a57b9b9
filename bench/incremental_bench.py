"""Incremental re-crawl benchmark: wall time of a re-crawl of an unchanged portal ÷ the first crawl's.

The crawls run in the same script run against the same generated portal (bench/portal_gen.py),
served by `ConditionalServer`: a static file server that, like nginx, answers with ``ETag`` and
``Last-Modified`` and honours ``If-None-Match`` / ``If-Modified-Since`` with ``304 Not Modified``.
The first crawl downloads everything; the second (same config, same store) is the weekly
re-crawl: the homepage is downloaded again, list pages are revalidated (304: same body, same
entries), every other document is answered from the store (crawler.incremental) — the figure,
target ≤ 0.15. A third crawl, after the
store's verification times are moved back a month, shows the re-crawl when every document is
due and revalidated with a conditional request (the worst week; normally an eighth are due).

    .venv/bin/python bench/incremental_bench.py [--pages 20000] [--keep]

`ConditionalServer` is also what tests/e2e/test_incremental.py crawls.
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.dont_write_bytecode = True

import portal_gen  # noqa: E402

TARGET = 0.15
CONFIG = """\
store: sqlite:///{db}
departments: [{{id: zfb, name: 基准区人民政府办公室}}]
sites:
  - {{id: portal, name: 基准门户, department: zfb, start_urls: ["{start}"]}}
politeness: {{concurrency_per_host: 16, delay: 0, autothrottle: false, robots_txt: false, timeout: 20, max_pages_per_site: 100000, max_depth: 50, max_list_pages: 1000}}
"""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ConditionalServer

    def do_GET(self):  # noqa: N802 (http.server naming)
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        target = self.server.root / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        if not target.is_file():
            return self._answer(404, b"<html><body><h1>404 Not Found</h1></body></html>")
        body = target.read_bytes()
        headers = {"ETag": '"%s"' % hashlib.sha1(body).hexdigest()[:16],
                   "Last-Modified": formatdate(int(target.stat().st_mtime), usegmt=True)}
        if self._not_modified(headers):
            return self._answer(304, b"", headers)
        self._answer(200, body, headers)

    def _not_modified(self, headers: dict) -> bool:
        """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            return headers["ETag"] in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        try:
            return since is not None and parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False

    def _answer(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.server.count(status)
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class ConditionalServer(ThreadingHTTPServer):
    """Serve the files under `root` on 127.0.0.1 with validators and 304s; `answers` counts statuses."""
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, root: Path):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = Path(root)
        self.answers: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def count(self, status: int) -> None:
        with self._lock:
            self.answers[status] += 1

    def take_answers(self) -> Counter[int]:
        """The statuses answered since the last call."""
        with self._lock:
            answers, self.answers = self.answers, Counter()
        return answers

    def __enter__(self) -> "ConditionalServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


def crawl(config: Path) -> tuple[float, int]:
    """Wall seconds of `govaudit crawl CONFIG` (start-up included) and the run id it printed."""
    govaudit = Path(sys.executable).parent / "govaudit"
    started = time.perf_counter()
    result = subprocess.run([str(govaudit), "crawl", str(config), "--no-progress"], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return wall, int(result.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20000, help="pages of the generated portal")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (portal, store)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govaudit-incr-"))
    try:
        portal = portal_gen.generate(work / "portal", args.pages)
        db = work / "bench.db"
        config = work / "sites.yaml"
        with ConditionalServer(work / "portal") as server:
            config.write_text(CONFIG.format(db=db, start=server.base + "/index.html"), encoding="utf-8")
            first, run1 = crawl(config)
            first_answers = server.take_answers()
            second, run2 = crawl(config)
            second_answers = server.take_answers()
            with sqlite3.connect(db) as conn:     # a month later: every document is due
                conn.execute("UPDATE page_validators SET verified_at = datetime(verified_at, '-30 days') "
                             "WHERE run_id = ?", (run2,))
            third, run3 = crawl(config)
            third_answers = server.take_answers()
        with sqlite3.connect(db) as conn:
            counts = [conn.execute("SELECT count(*) FROM pages WHERE run_id=?", (run,)).fetchone()[0]
                      for run in (run1, run2, run3)]
        ratio = second / first
        print(f"portal: {portal['pages']} pages ({portal['list_pages']} list pages), ThreadingHTTPServer with ETag/304")
        print(f"first crawl:              {first:7.1f} s  {counts[0]} pages  answers {dict(first_answers)}")
        print(f"weekly re-crawl:          {second:7.1f} s  {counts[1]} pages  answers {dict(second_answers)}")
        print(f"re-crawl, everything due: {third:7.1f} s  {counts[2]} pages  answers {dict(third_answers)}"
              f"  ({third / first:.3f} of the first)")
        print(f"weekly re-crawl / first wall time: {ratio:.3f}  (target ≤ {TARGET}: {'met' if ratio <= TARGET else 'MISSED'})")
        if args.keep:
            print(f"kept {work}")
        return 0 if counts[0] == counts[1] == counts[2] == portal["pages"] else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
