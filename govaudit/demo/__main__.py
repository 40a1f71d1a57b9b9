"""``python -m govaudit.demo``: serve the demo or regenerate its ground truth.

    python -m govaudit.demo serve [--port 8000] [--week 2]   # portal on 8000, 区发改局 site on 8001
    python -m govaudit.demo ground-truth [--check]   # rewrite / verify ground_truth.json
"""
from __future__ import annotations

import argparse
import sys

from .server import serve_forever
from .truth import GROUND_TRUTH_PATH, check, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govaudit.demo", description="The govaudit demo portal.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the demo (portal on PORT, department site on PORT+1)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--week", type=int, choices=(1, 2), default=1, help="serve week 1 or week 2 of the demo")
    truth = sub.add_parser("ground-truth", help="regenerate ground_truth.json (both weeks) from the demo data")
    truth.add_argument("--check", action="store_true", help="only verify that the file is up to date")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve_forever(args.port, args.week)
        return 0
    if args.check:
        if not check():
            print(f"{GROUND_TRUTH_PATH} is out of date; run: python -m govaudit.demo ground-truth", file=sys.stderr)
            return 1
        return 0
    write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
