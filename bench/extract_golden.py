"""Golden-output harness for `crawler.extract.page.extract_page` (guards optimisations).

The corpus: every HTML/XML page of the demo portal (weeks 1 and 2, rendered straight from
govaudit.demo.render for fixed base URLs), every page under tests/fixtures, and ~300 pages of
bench/portal_gen.py output (generated into a temp dir). Each page goes through extract_page with
the spider's arguments (fixed reference date, content_type, header_charset, is_start_page).

    .venv/bin/python bench/extract_golden.py --write golden.json      # record the output
    .venv/bin/python bench/extract_golden.py --compare golden.json    # exit 1 on any difference
    .venv/bin/python bench/extract_golden.py --time                   # CPU ms/page, median of 3 passes

CPU time (time.process_time), not wall time, so that other processes on a shared machine blur
the figure less.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawler.extract.page import extract_page  # noqa: E402

REF = date(2026, 11, 20)
PORTAL_URL, SITE_URL = "http://127.0.0.1:18080", "http://127.0.0.1:18081"
GEN_URL = "http://127.0.0.1:18090"
GEN_PAGES = 300
#: Content types the spider parses as pages (not attachments such as .xlsx, whose type says "xml").
_PAGE_TYPES = ("text/html", "application/xhtml", "text/xml", "application/xml")


@dataclasses.dataclass
class Page:
    group: str           # "demo", "fixtures" or "portal_gen"
    name: str
    body: bytes
    url: str
    content_type: str | None
    start: bool
    ref: date = REF


def _charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type, as the spider reads it (sections.header_charset)."""
    for part in (content_type or "").lower().split(";"):
        key, _, value = part.strip().partition("=")
        if key == "charset" and value:
            return value.strip("\"' ")
    return None


def _demo_pages() -> list[Page]:
    from govaudit.demo.content import build_portal
    from govaudit.demo.model import WEEKS
    from govaudit.demo.render import build_routes
    pages = []
    for week in (1, 2):
        routes = build_routes(build_portal(week), PORTAL_URL, SITE_URL)
        for host, base in (("portal", PORTAL_URL), ("site", SITE_URL)):
            for path, res in sorted(routes[host].items()):
                if not res.content_type.lower().startswith(_PAGE_TYPES):
                    continue
                pages.append(Page("demo", f"w{week}:{host}:{path}", res.body, base + path,
                                  res.content_type, path in ("/", "/index.html"), WEEKS[week]))
    return pages


def _fixture_pages() -> list[Page]:
    pages = []
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*")):
        if path.suffix not in (".html", ".htm", ".xml"):
            continue
        rel = path.relative_to(ROOT / "tests" / "fixtures").as_posix()
        ctype = "text/xml" if path.suffix == ".xml" else "text/html"
        pages.append(Page("fixtures", rel, path.read_bytes(), f"http://www.example.gov.cn/{rel}",
                          ctype, False))
    return pages


def _gen_pages() -> list[Page]:
    from portal_gen import generate
    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "portal"
        generate(root, pages=GEN_PAGES, seed=20261120)
        for path in sorted(root.rglob("*.html")):
            rel = "/" + path.relative_to(root).as_posix()
            pages.append(Page("portal_gen", rel, path.read_bytes(), GEN_URL + rel,
                              "text/html; charset=utf-8", rel == "/index.html"))
    return pages


def corpus() -> list[Page]:
    return _demo_pages() + _fixture_pages() + _gen_pages()


def _extract(page: Page):
    return extract_page(page.body, page.url, ref=page.ref, content_type=page.content_type,
                        header_charset=_charset(page.content_type), is_start_page=page.start)


def _plain(obj):
    """dataclasses → dicts, dates → ISO strings, recursively."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def golden(pages: list[Page]) -> dict:
    return {f"{p.group}:{p.name}": _plain(_extract(p)) for p in pages}


def _differences(old, new, path: str = ""):
    """Paths where two JSON values differ (first level of difference only)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if key not in old or key not in new:
                yield f"{path}/{key}: {'missing' if key not in new else 'added'}"
            else:
                yield from _differences(old[key], new[key], f"{path}/{key}")
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            yield from _differences(a, b, f"{path}[{i}]")
    elif old != new:
        yield f"{path}: {json.dumps(old, ensure_ascii=False)[:200]} != {json.dumps(new, ensure_ascii=False)[:200]}"


def _time(pages: list[Page]) -> None:
    groups = sorted({p.group for p in pages})
    passes: dict[str, list[float]] = {g: [] for g in groups + ["all"]}
    for _ in range(3):
        spent = {g: 0.0 for g in groups}
        for p in pages:
            started = time.process_time()
            _extract(p)
            spent[p.group] += time.process_time() - started
        for g in groups:
            passes[g].append(spent[g] * 1000 / sum(1 for p in pages if p.group == g))
        passes["all"].append(sum(spent.values()) * 1000 / len(pages))
    for g, values in passes.items():
        n = len(pages) if g == "all" else sum(1 for p in pages if p.group == g)
        print(f"{g:11s} {n:5d} pages  {statistics.median(values):7.2f} ms/page  "
              f"(passes: {', '.join(f'{v:.2f}' for v in values)})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", metavar="FILE", type=Path)
    mode.add_argument("--compare", metavar="FILE", type=Path)
    mode.add_argument("--time", action="store_true")
    args = parser.parse_args(argv)
    pages = corpus()
    if args.time:
        _time(pages)
        return 0
    out = golden(pages)
    if args.write:
        args.write.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True, indent=1), "utf-8")
        print(f"wrote {len(out)} pages to {args.write}")
        return 0
    old = json.loads(args.compare.read_text("utf-8"))
    new = json.loads(json.dumps(out, ensure_ascii=False, sort_keys=True))
    diffs = list(_differences(old, new))
    for line in diffs[:20]:
        print(line)
    print(f"{len(new)} pages, {len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
