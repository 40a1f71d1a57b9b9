"""`govaudit inspect` benchmark: milliseconds per saved page against a bare lxml parse.

    .venv/bin/python bench/inspect_bench.py [--dir DIR] [--portal-pages 200] [--repeat 3]

The directory of saved pages is DIR (every *.html, *.htm, *.shtml and *.xml under it) or, by
default, a temporary one holding every page of tests/fixtures (pages/ and variants/: real-world
list shapes, GBK pages, Hanweb datastore XML, hubs, articles) plus a generated TRS-style portal
of --portal-pages pages (bench/portal_gen.py: homepage, paginated list pages, articles).

Per page, in the same run and on the same bytes (files read once, before timing):

1. **lxml parse** (the baseline): `lxml.html.document_fromstring(body)`, nothing else;
2. **extract_page**: the crawler's extractor, what a crawl runs per page;
3. **inspect**: `govaudit.inspect.inspect(path, base_url=…)` and `json.dumps` of the report, i.e.
   everything `govaudit inspect FILE --format json` does after start-up (file read, response
   wrapper, reference date, extraction, masking, report).

Each is timed page by page over --repeat passes; the table gives the median ms/page over the
passes (each pass's figure is its total time ÷ pages) and the slowest single page. The start-up
of one `govaudit inspect` process (imports) is timed separately, because a user pays it once
per command, not per page.

Only a measurement: exits 0 whatever the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.dont_write_bytecode = True

import lxml  # noqa: E402
import lxml.html  # noqa: E402

import portal_gen  # noqa: E402
from crawler.extract.page import extract_page  # noqa: E402
from govaudit.inspect import inspect  # noqa: E402

REF = date(2026, 11, 20)
SUFFIXES = (".html", ".htm", ".shtml", ".xml")
BASE = "http://bench.gov.cn/"


def gather(directory: Path) -> list[tuple[Path, str, bytes]]:
    """(path, base URL, bytes) of every saved page under `directory`, in a stable order."""
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    return [(p, BASE + p.relative_to(directory).as_posix(), p.read_bytes()) for p in files]


def build_default(work: Path, portal_pages: int) -> Path:
    pages = work / "pages"
    for sub in ("pages", "variants"):
        shutil.copytree(ROOT / "tests" / "fixtures" / sub, pages / "fixtures" / sub)
    portal_gen.generate(pages / "portal", portal_pages)
    return pages


def time_pass(pages, run) -> tuple[float, float]:
    """(total seconds, slowest page seconds) of one pass of `run` over every page."""
    slowest, total = 0.0, 0.0
    for page in pages:
        started = time.perf_counter()
        run(page)
        spent = time.perf_counter() - started
        total += spent
        slowest = max(slowest, spent)
    return total, slowest


def startup_seconds(sample: Path, base: str, repeat: int) -> float:
    cmd = [str(Path(sys.executable).parent / "govaudit"), "inspect", str(sample), "--base-url", base, "--format", "json"]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="directory of saved pages (default: fixtures + generated portal)")
    parser.add_argument("--portal-pages", type=int, default=200, help="generated portal size (≥ 200) for the default set")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="inspect-bench-"))
    try:
        directory = args.dir or build_default(work, args.portal_pages)
        pages = gather(directory)
        if len(pages) < 50:
            print(f"only {len(pages)} saved pages under {directory}; the benchmark wants at least 50", file=sys.stderr)
            return 1
        size = sum(len(body) for _, _, body in pages)

        runs = {
            "lxml parse (baseline)": lambda page: lxml.html.document_fromstring(page[2]),
            "extract_page (crawl extractor)": lambda page: extract_page(page[2], page[1], ref=REF),
            "inspect (+ masking, JSON report)": lambda page: json.dumps(
                inspect(str(page[0]), base_url=page[1], ref=REF), ensure_ascii=False),
        }
        for run in runs.values():          # warm-up: imports, regex compilation, caches of the first page
            run(pages[0])
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for _ in range(args.repeat):       # interleaved passes: machine load hits all three alike
            for name, run in runs.items():
                results[name].append(time_pass(pages, run))
        startup = startup_seconds(pages[0][0], pages[0][1], args.repeat)

        n = len(pages)
        kinds: dict[str, int] = {}
        for path, base, _ in pages:
            kind = inspect(str(path), base_url=base, ref=REF)["kind"]
            kinds[kind] = kinds.get(kind, 0) + 1
        print(f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, lxml {lxml.__version__}; load average "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"pages: {n} saved pages, {size / 1e6:.1f} MB, under {directory if args.dir else 'a temp dir'} "
              f"(kinds: {', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); {args.repeat} passes\n")
        baseline = statistics.median(total for total, _ in results["lxml parse (baseline)"]) / n
        print("| run | ms/page (median of passes) | slowest page ms | × lxml parse |")
        print("|---|---:|---:|---:|")
        for name, passes in results.items():
            per_page = statistics.median(total for total, _ in passes) / n
            slowest = max(s for _, s in passes)
            print(f"| {name} | {per_page * 1000:.2f} | {slowest * 1000:.1f} | {per_page / baseline:.1f} |")
        print(f"\n`govaudit inspect FILE --format json`, one process (start-up included): {startup * 1000:.0f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
