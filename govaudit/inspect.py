"""`govaudit inspect`: the crawler's own facts about one page, live or saved.

There is no second implementation here. A live URL is fetched once (urllib, the crawler's
User-Agent and timeout, redirects followed) and wrapped in a Scrapy `Response`, so the spider's
own helpers read it: `reference_date` ("now" for 3天前: the server's Date header, else the
clock) and `header_charset`. A saved file is wrapped the same way, with its modification time
as the Date header, so `reference_date` turns the mtime into a Beijing date. The page then goes
through `crawler.extract.page.extract_page`, exactly as in a crawl, and through the spider's
`masked` before anything is printed.

Privacy first: the visible text is scanned as the crawl scans it (`privacy` lists its hits with
``field: "text"`` and the offset in the visible text, as `pii_hits.position` would), and then
*every* string of the report (titles, link texts, list titles, raw dates, URLs …) goes through
`masked` too; a hit found there is listed with the field it was in. No raw personal value is
printed. docs/cli.md documents every key of the report.
"""
from __future__ import annotations

import mimetypes
import re
import urllib.error
import urllib.request
from datetime import date, datetime
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.settings import default_settings

from crawler import settings as crawler_settings
from crawler.extract.attachments import attachment_ext
from crawler.extract.encoding import normalize_charset
from crawler.extract.model import PageFacts
from crawler.extract.page import extract_page
from crawler.scope import normalize_url
from crawler.spiders.sections import TEXTUAL_TYPES, BEIJING, header_charset, masked, reference_date

#: The keys of an inspect report, in print order (docs/cli.md documents each).
KEYS = ("url", "final_url", "status", "content_type", "file", "encoding", "ref_date", "ref_source", "title",
        "kind", "error", "published", "published_source", "published_raw", "written", "written_source",
        "written_raw", "rejected_dates", "column_name", "column_name_source", "listing", "hub_blocks", "links",
        "identity",
        "attachments", "privacy")

#: Base of a saved page with neither --base-url nor a "saved from url" mark: the extractors keep
#: http(s) links only, and the reserved .invalid host can never be mistaken for a real site.
PLACEHOLDER_BASE = "http://saved-page.invalid/"
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)


class InspectError(Exception):
    """A target that cannot be inspected (no such file, bad option, unknown charset)."""


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


# --------------------------------------------------------------------------- fetching

def _headers(message) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in message.items():
        out.setdefault(key, []).append(value)
    return out


def as_response(url: str, status: int, headers: dict, body: bytes) -> Response:
    """The response class Scrapy itself would build for these headers and body (HtmlResponse,
    XmlResponse, TextResponse or a bare Response), so the spider's checks apply unchanged."""
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url, status=status, headers=headers, body=body)


def fetch(url: str, timeout: float | None = None) -> tuple[Response | None, str | None]:
    """(response, error): one GET with the crawler's User-Agent, Accept headers and timeout,
    redirects followed (urllib's limit). An HTTP error status is an answer (a 404 page is a fact);
    no answer at all (DNS, refused, timeout, redirect loop) gives (None, reason)."""
    headers = {**default_settings.DEFAULT_REQUEST_HEADERS, "User-Agent": crawler_settings.USER_AGENT}
    request = urllib.request.Request(url, headers=headers)
    limit = crawler_settings.DOWNLOAD_MAXSIZE
    try:
        try:
            answer = urllib.request.urlopen(request, timeout=timeout or crawler_settings.DOWNLOAD_TIMEOUT)
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:      # urllib gave up redirecting (a loop, no Location …)
                return None, f"redirect loop or unfollowable redirect (HTTP {exc.code}): {exc.reason}"
            answer = exc
        with answer:
            body = answer.read(limit + 1)
            if len(body) > limit:
                return None, f"larger than DOWNLOAD_MAXSIZE ({limit} bytes)"
            return as_response(answer.geturl(), answer.getcode(), _headers(answer.headers), body), None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"{type(exc).__name__}: {reason}"[:500]


def saved_from(path: Path) -> str | None:
    """The address a browser's "Save as" recorded in the page (`<!-- saved from url=(0031)http://… -->`)."""
    with path.open("rb") as handle:
        match = _SAVED_FROM.search(handle.read(4096))
    return match.group(1).decode("ascii", "replace") if match else None


def _file_response(path: Path, url: str, ref: date | None) -> Response:
    """The saved file as a response: its mtime stands in for the server's Date header (unless
    `ref` is given), so the spider's `reference_date` reads it."""
    headers = {}
    stamp = None if ref is not None else path.stat().st_mtime
    if stamp is not None:
        headers["Date"] = formatdate(stamp, usegmt=True)
    content_type = "text/xml" if path.suffix.lower() == ".xml" else (mimetypes.guess_type(path.name)[0] or "text/html")
    headers["Content-Type"] = content_type
    return as_response(url, 200, headers, path.read_bytes())


# --------------------------------------------------------------------------- inspecting

def inspect(target: str, *, encoding: str | None = None, base_url: str | None = None, start_page: bool = False,
            ref: date | None = None, timeout: float | None = None) -> dict[str, Any]:
    """The report for a live URL or a saved file (see the module docstring and docs/cli.md).

    `ref` overrides the reference date (tests); `start_page` reads the page as a configured
    start page (the spider's `is_start_page`: always a hub)."""
    if encoding is not None and normalize_charset(encoding) is None:
        raise InspectError(f"unknown encoding {encoding!r} (try gbk, gb18030, utf-8, big5)")
    if is_url(target):
        if base_url:
            raise InspectError("--base-url is for saved files; a live URL resolves links against its final URL")
        response, error = fetch(target, timeout)
        if response is None:
            return _report(target, target, None, None, None, ref or datetime.now(BEIJING).date(),
                           "given" if ref else "clock", error=error)
        ref_source = "given" if ref else ("date header" if response.headers.get(b"Date") else "clock")
        return inspect_response(response, target, ref=ref or reference_date(response), ref_source=ref_source,
                                encoding=encoding, start_page=start_page)
    path = Path(target)
    if not path.is_file():
        raise InspectError(f"{target}: no such file (give an http(s):// URL or a saved page)")
    if base_url and not is_url(base_url):
        raise InspectError(f"--base-url {base_url!r} is not an http(s):// URL")
    url = base_url or saved_from(path) or f"{PLACEHOLDER_BASE}{quote(path.name)}"
    response = _file_response(path, url, ref)
    return inspect_response(response, url, ref=ref or reference_date(response),
                            ref_source="given" if ref else "file mtime", encoding=encoding,
                            start_page=start_page, file=str(path))


def inspect_directory(directory: str | Path, **options) -> list[dict[str, Any]]:
    """Reports for every saved page (*.htm, *.html, *.shtml, *.jsp …) in a folder, in name order,
    in one process (one start-up for the whole folder)."""
    folder = Path(directory)
    pages = sorted(p for p in folder.iterdir() if p.is_file() and re.search(r"\.(s?html?|jsp|aspx?|php)$", p.name, re.I))
    if not pages:
        raise InspectError(f"{directory}: no saved pages (*.html, *.htm, *.shtml …) in this folder")
    return [inspect(str(page), **options) for page in pages]


def inspect_response(response: Response, url: str, *, ref: date, ref_source: str, encoding: str | None = None,
                     start_page: bool = False, file: str | None = None) -> dict[str, Any]:
    """Extract and report one response the way the spider's `parse` does: an HTTP error status
    is a page of kind `error`, a non-textual body of kind `other`, anything else goes through
    `extract_page` (an extractor crash becomes kind `error`, as in a crawl). A saved `file` has
    no status."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
    base = dict(url=url, final_url=response.url, status=None if file else response.status,
                content_type=content_type, ref=ref, ref_source=ref_source, file=file)
    textual = isinstance(response, TextResponse) or (content_type or "").startswith(TEXTUAL_TYPES) or not content_type
    if response.status >= 400 or not textual:
        return _report(**base, kind="error" if response.status >= 400 else "other")
    body, charset = response.body, header_charset(response)
    if encoding:   # forced: decode with it, hand the extractor UTF-8 (valid UTF-8 wins there)
        forced = normalize_charset(encoding)
        body, charset = body.decode(forced, errors="replace").encode("utf-8"), "utf-8"
    try:
        facts = extract_page(body, response.url, ref=ref, content_type=content_type, header_charset=charset,
                             is_start_page=start_page)
    except Exception as exc:  # noqa: BLE001 - the crawl records this as a page of kind error
        return _report(**base, kind="error", error=f"extraction failed: {exc!r}"[:500])
    if encoding:
        facts.encoding = normalize_charset(encoding)
    return _report(**base, facts=facts)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _entry(entry) -> dict[str, Any]:
    return {"title": entry.title, "url": normalize_url(entry.url), "date": _day(entry.date),
            "date_source": entry.date_source, "raw_date": entry.raw_date}


def _report(url: str, final_url: str, status: int | None, content_type: str | None, file: str | None,
            ref: date, ref_source: str, *, facts: PageFacts | None = None, kind: str = "error",
            error: str | None = None) -> dict[str, Any]:
    """The JSON-ready report, masked (privacy first)."""
    out: dict[str, Any] = {key: None for key in KEYS}
    out.update(url=url, final_url=final_url, status=status, content_type=content_type, file=file,
               ref_date=_day(ref), ref_source=ref_source, kind=kind, error=error, rejected_dates=[], links=[],
               hub_blocks=[], identity={"site_code": None, "icp": None, "police": None, "badge": None},
               attachments=[], privacy=[])
    text = ""
    if facts is not None:
        text = facts.text
        out.update(encoding=facts.encoding, title=facts.title, kind=facts.kind,
                   rejected_dates=[{"raw": r.raw, "reason": r.reason} for r in facts.rejected_dates],
                   column_name=facts.column_name, column_name_source=facts.column_name_source,
                   identity={"site_code": facts.identity.site_code, "icp": facts.identity.icp,
                             "police": facts.identity.police, "badge": facts.identity.badge},
                   hub_blocks=[{"title": block.title, "entries": [_entry(e) for e in block.entries]}
                               for block in facts.hub_blocks])
        if facts.published:
            out.update(published=_day(facts.published.value), published_source=facts.published.source,
                       published_raw=facts.published.raw)
        if facts.written:
            out.update(written=_day(facts.written.value), written_source=facts.written.source,
                       written_raw=facts.written.raw)
        listing = facts.listing
        if listing is not None:
            out["listing"] = {
                "shape": listing.shape, "placeholder": listing.placeholder, "total_records": listing.total_records,
                "entries": [_entry(e) for e in listing.entries],
                "next_pages": [normalize_url(u) for u in listing.next_pages],
            }
        out["links"] = [{"url": normalize_url(link.url), "text": link.text, "hidden": link.hidden,
                         "context": link.context, "block": link.block} for link in facts.links]
        out["attachments"] = [{"url": normalize_url(link.url), "text": link.text,
                               "ext": attachment_ext(link.url, link.text), "hidden": link.hidden,
                               "context": link.context} for link in facts.attachments]
    return _masked_report(out, text)


def _masked_report(report: dict[str, Any], text: str) -> dict[str, Any]:
    """Privacy first: the visible text's hits as the crawl records them, then every string of the
    report through the spider's `masked` (length-preserving), each further hit listed too."""
    hits = [{"kind": h["kind"], "masked": h["masked"], "position": h["position"], "field": "text"}
            for h in masked(text)[1]] if text else []

    def walk(value, path: str):
        if isinstance(value, str):
            clean, found = masked(value)
            hits.extend({"kind": h["kind"], "masked": h["masked"], "position": h["position"], "field": path}
                        for h in found)
            return clean
        if isinstance(value, dict):
            return {k: walk(v, f"{path}.{k}" if path else k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return value

    out = walk({k: v for k, v in report.items() if k != "privacy"}, "")
    out["privacy"] = hits
    return {key: out[key] for key in KEYS}


# --------------------------------------------------------------------------- table output

def render_table(report: dict[str, Any], console) -> None:
    """A readable Rich summary of a report (all of it is in --format json)."""
    from rich.table import Table
    from rich.text import Text

    def t(value) -> Text:     # page text is never Rich markup ("[置顶]")
        return Text("" if value is None else str(value))

    def grid(title: str) -> Table:
        table = Table(title=title, show_header=False, title_justify="left", box=None, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        return table

    page = grid("page")
    published = report["published"] and f"{report['published']}  ({report['published_source']}: {report['published_raw']})"
    written = report["written"] and f"{report['written']}  ({report['written_source']}: {report['written_raw']})"
    column = report["column_name"] and f"{report['column_name']}  ({report['column_name_source']})"
    identity = report["identity"]
    for label, value in [("url", report["url"]), ("final url", report["final_url"]), ("file", report["file"]),
                         ("status", report["status"]), ("content type", report["content_type"]),
                         ("encoding", report["encoding"]),
                         ("reference date", f"{report['ref_date']}  ({report['ref_source']})"),
                         ("title", report["title"]), ("kind", report["kind"]), ("error", report["error"]),
                         ("published", published or "—"), ("written", written), ("column", column or "—"),
                         ("网站标识码", identity["site_code"]), ("ICP备案", identity["icp"]),
                         ("公安备案", identity["police"]),
                         ("党政机关标识", {True: "shown", False: "not shown"}.get(identity["badge"]))]:
        if value is not None and value != "":
            page.add_row(label, t(value))
    console.print(page)

    if report["rejected_dates"]:
        table = Table(title="dates rejected as noise", title_justify="left")
        table.add_column("raw", overflow="fold")
        table.add_column("reason")
        for r in report["rejected_dates"]:
            table.add_row(t(r["raw"]), t(r["reason"]))
        console.print(table)

    listing = report["listing"]
    if listing is not None:
        summary = (f"shape {listing['shape']}, {len(listing['entries'])} entries"
                   + (f", {listing['total_records']} records stated" if listing["total_records"] is not None else "")
                   + (", placeholder (暂无信息)" if listing["placeholder"] else ""))
        table = Table(title=f"list: {summary}", title_justify="left")
        for name in ("#", "date", "source", "raw", "title", "url"):
            table.add_column(name, overflow="fold")
        for i, e in enumerate(listing["entries"], 1):
            table.add_row(str(i), t(e["date"] or "—"), t(e["date_source"]), t(e["raw_date"]), t(e["title"]), t(e["url"]))
        console.print(table)
        for url in listing["next_pages"]:
            console.print(Text(f"next page: {url}"))

    for block in report["hub_blocks"]:
        table = Table(title=f"hub block: {block['title'] or '(no heading)'}, {len(block['entries'])} dated entries",
                      title_justify="left")
        for name in ("date", "source", "title", "url"):
            table.add_column(name, overflow="fold")
        for e in block["entries"]:
            table.add_row(t(e["date"]), t(e["date_source"]), t(e["title"]), t(e["url"]))
        console.print(table)

    links = report["links"]
    if links:
        hidden = [link for link in links if link["hidden"] or link["context"] != "a"]
        console.print(Text(f"links: {len(links)} ({len(links) - len(hidden)} visible anchors, "
                           f"{len(hidden)} hidden, in comments or written by scripts)"))
        if hidden:
            table = Table(title="hidden / comment / script links", title_justify="left")
            for name in ("context", "hidden", "text", "url"):
                table.add_column(name, overflow="fold")
            for link in hidden:
                table.add_row(t(link["context"]), t("yes" if link["hidden"] else "no"), t(link["text"]), t(link["url"]))
            console.print(table)

    if report["attachments"]:
        table = Table(title="attachments", title_justify="left")
        for name in ("ext", "text", "url"):
            table.add_column(name, overflow="fold")
        for a in report["attachments"]:
            table.add_row(t(a["ext"]), t(a["text"]), t(a["url"]))
        console.print(table)

    if report["privacy"]:
        table = Table(title="personal data (masked)", title_justify="left")
        for name in ("kind", "masked", "field", "position"):
            table.add_column(name, overflow="fold")
        for h in report["privacy"]:
            table.add_row(t(h["kind"]), t(h["masked"]), t(h["field"]), t(h["position"]))
        console.print(table)
    else:
        console.print(Text("personal data: none found"))
