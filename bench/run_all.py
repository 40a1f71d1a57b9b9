"""Run every benchmark of bench/ in turn and end with one list of figures, each with its target.

    .venv/bin/python bench/run_all.py [--quick]          (make bench)

Each benchmark runs as its own subprocess with its own defaults (its output is shown as it
runs); then the lines that carry a figure are printed again together. --quick runs smaller
sizes (a smoke run: the figures are not the specified ones). Exits 1 if any benchmark did.
Takes about 30 minutes on a 2-core machine (most of it the 20,000-page crawls).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent

# (script, arguments, --quick arguments, [(regex a figure line matches, target to print beside it)])
BENCHMARKS = [
    ("crawl_bench.py", [], ["--pages", "3000", "--dead", "10"], [
        ("ratio govaudit/bare", "target ≥ 0.7 of the bare spider's pages/s"),
        ("pages per CPU second", "same ratio on CPU time (no target)"),
        ("govaudit peak RSS", "target ≤ 600 MB at 100,000 pages"),
        ("EXTRAPOLATED", "target ≤ 600 MB"),
        ("measured at", "target ≤ 600 MB"),
        ("same dead links found", "target: the same dead links as linkchecker"),
    ]),
    ("incremental_bench.py", [], ["--pages", "1000"], [
        ("weekly re-crawl / first wall time", "target ≤ 0.15"),
        ("everything due", "no target: the worst week, every document revalidated"),
    ]),
    ("privacy_bench.py", [], ["--mb", "5", "--repeat", "1"], [
        ("ratio detector/naive", "no target: kept from earlier issues (detector precision/recall 1.000 on planted values)"),
        (r"^detector\s", "MB/s, flags, right, precision, recall"),
    ]),
    ("bulletin_bench.py", [], ["--departments", "100", "--repeat", "1"], [
        ("total bulletin", "seconds; no target: kept from earlier issues"),
        ("ratio total / month_frames", "no target: kept from earlier issues"),
    ]),
    ("inspect_bench.py", [], ["--repeat", "1"], [
        (r"^\| extract_page", "ms/page; no target"),
        (r"^\| inspect", "ms/page; no target"),
    ]),
]


def run(script: str, args: list[str]) -> tuple[int, list[str], float]:
    """Run one benchmark, echoing its output; return (exit code, output lines, seconds)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(BENCH_DIR / script), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines = []
    for line in proc.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    return proc.wait(), lines, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run, not the specified figures")
    parser.add_argument("--only", nargs="+", metavar="SCRIPT", help="run only these (e.g. crawl_bench.py)")
    args = parser.parse_args()
    summary, failed = [], []
    for script, full, quick, figures in BENCHMARKS:
        if args.only and script not in args.only:
            continue
        print(f"\n===== {script} {' '.join(quick if args.quick else full)}", flush=True)
        rc, lines, seconds = run(script, quick if args.quick else full)
        summary.append(f"{script} ({seconds:.0f} s{', exit ' + str(rc) if rc else ''}):")
        for needle, target in figures:
            summary += [f"    {line.strip()}    [{target}]" for line in lines if re.search(needle, line)]
        if rc:
            failed.append(script)
    print("\n===== figures" + (" (--quick: smoke sizes, not the specified figures)" if args.quick else ""))
    print("\n".join(summary))
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
