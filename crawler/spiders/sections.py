"""The one generic spider: crawls every configured section and yields the facts of each page.

It decides only *what to fetch*: start pages, links on the configured hosts, column
pagination (Hanweb dataproxy, TRS index_N, 下一页, …) and attachments. What a page *is* comes
from the extractors; which section it *belongs to* is settled after the crawl from the link
graph (crawler.attribution), so the order pages arrive in never changes the result.

Link targets it does not fetch (external ones, internal archives and media) are checked once
per run by crawler.linkcheck: requests with their own callback that answer "does it work?" and
are never pages, never followed, never attributed.
"""
from __future__ import annotations

import logging
import time
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from crawler.extract.attachments import AttachmentError, attachment_ext, extract_attachment_text
from crawler.extract.encoding import charset_mismatch, looks_binary
from crawler.extract.model import PageFacts
from crawler.extract.page import extract_page
from crawler.extract.privacy import find_personal_data, mask_text
from crawler.incremental import (STORED_DEPTH, ReusedBatch, Revalidator, depends_on_the_day, is_revalidation,
                                 validators)
from crawler.items import AttachmentItem, EntryRow, HubRow, LinkRow, LogItem, PageItem
from crawler.linkcheck import DOWNLOADED_EXTS, LinkChecker, install as install_linkcheck, page_answer
from crawler.middlewares import RedirectLoop, failure_text
from crawler.politeness import politeness_settings
from crawler.probe import Probe, describe_failure, homepages, outcome
from crawler.resume import attachment_links
from crawler.scope import SKIP_EXTS, Scope, extension, normalize_url
from govaudit.config import Config, load_config
from govaudit.store import Store

logger = logging.getLogger(__name__)
BEIJING = timezone(timedelta(hours=8))
#: Attachment types whose text is extracted (archives are only link-checked, crawler.linkcheck).
DOWNLOADABLE = DOWNLOADED_EXTS
TEXTUAL_TYPES = ("text/", "application/xhtml", "application/xml", "text/xml")


def reference_date(response: Response) -> date:
    """'Now' for relative dates (3天前): the server's Date header, else our clock, in Beijing time."""
    header = response.headers.get(b"Date")
    if header:
        try:
            return parsedate_to_datetime(header.decode("latin-1")).astimezone(BEIJING).date()
        except (TypeError, ValueError, IndexError):
            pass
    return datetime.now(BEIJING).date()


def masked(text: str | None) -> tuple[str | None, list[dict]]:
    """`text` with personal data (ID, mobile, bank card numbers) masked, and the masked hits.

    Privacy first: this runs before anything is stored or logged, so a leak found on a site is
    never re-published by the store, the logs or any report."""
    if not text:
        return text, []
    hits = find_personal_data(text)
    if not hits:
        return text, []
    return mask_text(text, hits), [{"kind": h.kind, "masked": h.masked, "position": h.start, "context": h.context}
                                   for h in hits]


def masked_cells(rows: list[list[str]]) -> list[list[str]]:
    """Table cells with personal data masked like page text. The table is scanned as one text
    (cells tab-separated, rows on lines) so a header cue such as 银行卡号 reaches its column;
    masking keeps lengths and cells hold no tabs or newlines, so the split gives the cells back."""
    text = "\n".join("\t".join(row) for row in rows)
    clean = masked(text)[0]
    return rows if clean == text else [line.split("\t") for line in clean.split("\n")]


def header_charset(response: Response) -> str | None:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "charset" and value:
            return value.strip("\"' ")
    return None


class SectionsSpider(scrapy.Spider):
    """Crawl the sections (sites) of one config. Arguments: ``config`` (path to sites.yaml)."""

    name = "sections"

    def __init__(self, config: str | Config | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if config is None:
            raise ValueError("the sections spider needs a config: scrapy crawl sections -a config=sites.yaml")
        self.config = config if isinstance(config, Config) else load_config(config)
        self.scope = Scope.from_config(self.config)
        self.limits = self.config.politeness
        self.seen: set[str] = set()
        self.pages_per_site: dict[str, int] = {}
        self.capped: set[str] = set()
        self.homepages: dict[str, list[str]] = {}      # homepage URL -> sites it is the homepage of
        for site_id, url in homepages(self.config):
            self.homepages.setdefault(url, []).append(site_id)
        self.linkcheck = LinkChecker(self.scope, self.limits, callback=self.check_answered,
                                     errback=self.check_failed)
        self.revalidator: Revalidator | None = None     # set by from_crawler for an incremental crawl

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        kwargs.setdefault("config", crawler.settings.get("GOVAUDIT_CONFIG"))
        spider = super().from_crawler(crawler, *args, **kwargs)
        # `scrapy crawl sections -a config=…` gets the config's politeness too; settings given
        # on the command line (or by `govaudit crawl`) keep their higher priority.
        crawler.settings.setdict(politeness_settings(spider.config), priority="spider")
        install_linkcheck(crawler.settings)     # per-host slots and body cap of the link checks
        if crawler.settings.getbool("GOVAUDIT_RESUME"):   # Scrapy's dupe filter knows the stored requests
            crawler.settings.set("DUPEFILTER_CLASS", "crawler.resume.ResumeDupeFilter", priority="spider")
        if crawler.settings.getbool("GOVAUDIT_INCREMENTAL"):  # revalidate what the last complete run read
            store = Store(crawler.settings.get("GOVAUDIT_STORE") or spider.config.store_url())
            spider.revalidator = Revalidator.for_crawl(store, spider.config, crawler.settings.getint("GOVAUDIT_RUN_ID"))
        return spider

    # --- scheduling ------------------------------------------------------------------------
    async def start(self):
        if self.settings.getbool("GOVAUDIT_RESUME"):
            from crawler.resume import resume_frontier   # continue a stored run where it stopped
            requests = resume_frontier(self)
        else:
            requests = self.start_requests_list()
        for request in requests:
            yield request

    def start_requests_list(self) -> list[scrapy.Request]:
        requests = []
        for site in self.config.sites:
            for url in site.start_urls:
                requests.append(self._request(url, site.id, hops=0, start=True))
            for column in site.columns:
                requests.append(self._request(column.url, site.id, hops=0))
        for root in self.scope.reference_roots():
            requests.append(self._request(root, None, hops=0, reference=True))
        return [r for r in requests if r is not None]

    def _request(self, url: str, section: str | None, *, hops: int, priority: int = 0,
                 attachment: str | None = None, **meta) -> scrapy.Request | None:
        """A request for `url` unless seen before or over the section's page cap.
        `attachment` is the file type of an attachment link (its text is extracted, not parsed as HTML)."""
        url = normalize_url(url)
        if url in self.seen:
            return None
        if section is not None:
            count = self.pages_per_site.get(section, 0)
            if count >= self.limits.max_pages_per_site:
                if section not in self.capped:
                    self.capped.add(section)
                    logger.warning("section %s reached max_pages_per_site=%d", section, self.limits.max_pages_per_site)
                return None
            self.pages_per_site[section] = count + 1
        self.seen.add(url)
        meta.update(section=section, hops=hops)
        callback = self.parse
        if attachment:
            callback = self.parse_attachment
            meta.update(attachment=attachment, download_maxsize=self.limits.max_attachment_bytes)
        headers = self.revalidator.headers(url) if self.revalidator else None
        return scrapy.Request(url, callback=callback, errback=self.failed, meta=meta, priority=priority,
                              headers=headers)

    def _section_for(self, url: str, current: str | None, hops: int) -> tuple[str | None, int] | None:
        """Crawl-time section of a link target and its off-scope hop count; None to skip it."""
        owner = self.scope.owner(url) or self.scope.home_of(url)
        if owner is not None:
            return owner, 0
        if hops + 1 > self.limits.max_offscope_hops:
            return None
        return current, hops + 1

    def _follow(self, item: PageItem, attachments: list, meta: dict):
        """Requests for what a page leads to: pagination first, then entries and links.
        `meta` is the page's request meta; `attachments` its attachment links (`Link`s or `LinkRow`s).
        Also replayed over stored pages when a run is resumed (crawler.resume)."""
        section, hops = meta.get("section"), meta.get("hops", 0)
        if meta.get("reference"):
            return   # a template reference is read for its navigation, not followed
        page_no = meta.get("list_page_no", 1)
        for link in item.links:
            if link.context == "next" and link.internal and page_no < self.limits.max_list_pages:
                request = self._request(link.url, section, hops=hops, priority=5, list_page_no=page_no + 1)
                if request is not None:
                    yield request
        targets = [entry.url for entry in item.entries]
        targets += [link.url for link in item.links if link.context == "a" and not link.hidden and link.internal]
        for url in targets:
            if url in self.seen or not self.scope.is_internal(url) or extension(url) in SKIP_EXTS:
                continue
            placed = self._section_for(url, section, hops)
            if placed is not None:
                request = self._request(url, placed[0], hops=placed[1])
                if request is not None:
                    yield request
        for link in attachments:
            ext = attachment_ext(link.url, link.text)
            if ext in DOWNLOADABLE and self.scope.is_internal(link.url) and not link.hidden:
                request = self._request(link.url, section, hops=hops, attachment=ext)
                if request is not None:
                    yield request

    @staticmethod
    def _check_targets(item: PageItem):
        """(url, anchor) of what a reader can click on a page: visible links and list entries."""
        for link in item.links:
            if link.context == "a" and not link.hidden:
                yield link.url, link.text or ""
        for entry in item.entries:
            yield entry.url, entry.title or ""

    # --- callbacks ---------------------------------------------------------------------------
    def _probes(self, meta: dict, url: str, status: int | None, response_ms: int | None, error: str | None):
        """The crawl's fetch of a homepage as availability probes (one per site it is the homepage of)."""
        if not meta.get("start"):
            return
        first = normalize_url((meta.get("redirect_urls") or [url])[0])
        ok, error = outcome(status, response_ms, error)
        for site_id in self.homepages.get(first, ()):
            yield Probe(site_id=site_id, url=first, at=datetime.now(timezone.utc), ok=ok, status=status,
                        response_ms=response_ms, error=error, source="crawl")

    def parse(self, response: Response):
        if self.revalidator and is_revalidation(response):
            yield from self._unchanged(response)
            return
        started = time.perf_counter()
        item = self._base_item(response)
        yield from self._probes(response.meta, item.url, item.status, item.response_ms, None)
        content_type = item.content_type or ""
        textual = isinstance(response, TextResponse) or content_type.startswith(TEXTUAL_TYPES) or not content_type
        if textual and looks_binary(response.body):
            textual = False
            yield LogItem("WARNING", item.url, f"binary body served as {content_type or 'no type'}: not parsed")
        check = page_answer(item.url, response) if textual or response.status >= 400 else None
        if check is not None:      # a firewall or JavaScript challenge answered, not the page
            yield check
        if response.status >= 400 or not textual:
            item.kind = "error" if response.status >= 400 else "other"
            yield item
            return
        try:
            facts = extract_page(response.body, response.url, ref=reference_date(response),
                                 content_type=content_type, header_charset=header_charset(response),
                                 is_start_page=bool(response.meta.get("start")))
        except Exception as exc:  # a hostile page must never stop the crawl
            logger.warning("extraction failed on %s: %r", response.url, exc)
            item.kind, item.error = "error", f"extraction failed: {exc!r}"[:500]
            yield item
            yield LogItem("ERROR", response.url, item.error)
            return
        if mismatch := charset_mismatch(header_charset(response), facts.encoding):
            yield LogItem("INFO", item.url, mismatch)
        self._fill(item, facts)
        yield item
        if response.status == 200 and not response.meta.get("start") and not depends_on_the_day(item):
            yield validators(item.url, response)    # for the next crawl's reuse (crawler.incremental)
        yield from self._reuse(self._follow(item, facts.attachments, response.meta))
        if not response.meta.get("reference"):
            yield from self.linkcheck.requests_for(self._check_targets(item))
        logger.debug("parsed %s in %.1f ms", response.url, (time.perf_counter() - started) * 1000)

    def _unchanged(self, response: Response):
        """A 304 to a revalidation: the previous run's page, stored again and followed (crawler.incremental)."""
        url = self._key(response)
        page = self.revalidator.stored_page(url)
        if page is None:          # validators without their page: cannot be reused, nor re-read
            yield PageItem(url=url, final_url=response.url, status=304, fetched_at=datetime.now(timezone.utc),
                           kind="error", error="304 Not Modified, but the previous run has no such page")
            return
        yield self.revalidator.reused(url, "page", response)
        yield from self._reuse(self._follow(page, attachment_links(page.links), response.meta))
        if not response.meta.get("reference"):
            yield from self.linkcheck.requests_for(self._check_targets(page))

    def _reuse(self, requests):
        """`requests`, except that a document the store may answer (crawler.incremental: not due for
        revalidation) is reused right here instead of being requested: its stored rows are copied
        and its stored links followed in turn, breadth-first, inside this callback. No request
        reaches the site, and none goes through Scrapy."""
        wave, reused = list(requests), []
        while wave:
            answered = [r for r in wave if self._answerable(r)]
            stored = self.revalidator.stored_pages(
                [r.url for r in answered if r.callback != self.parse_attachment]) if answered else {}
            answered_ids = {id(r) for r in answered}
            found = []
            for request in wave:
                if id(request) not in answered_ids:
                    yield request
                elif request.url in stored:
                    yield from self._from_store(stored[request.url], request, found, reused)
                else:
                    reused.append(self.revalidator.answered(request.url, "attachment", None))
            wave = found
            if len(reused) >= 100 or not wave and reused:
                yield ReusedBatch(reused)
                reused = []

    def _answerable(self, request: scrapy.Request) -> bool:
        return self.revalidator is not None and self.revalidator.answers(
            request.url, attachment=request.callback == self.parse_attachment)

    def _from_store(self, page: PageItem, request: scrapy.Request, found: list, reused: list):
        """Reuse a stored page at the depth it was stored at: its rows go to `reused`, the requests
        it leads to to `found`; its link checks are yielded."""
        depth = self.revalidator.trusted[page.url]
        reused.append(self.revalidator.answered(page.url, "page", depth))
        for follow in self._follow(page, attachment_links(page.links), {**request.meta, "depth": depth}):
            follow.meta[STORED_DEPTH] = depth
            found.append(follow)
        for check in self.linkcheck.requests_for(self._check_targets(page)):
            if isinstance(check, scrapy.Request):
                check.meta[STORED_DEPTH] = depth
            yield check

    @staticmethod
    def _key(response: Response) -> str:
        """The URL as first requested (what links and start_urls name); a redirect (/ → /index.html,
        http → https) only changes final_url, which attribution aliases."""
        requested = response.request.url if response.request else response.url
        return (response.meta.get("redirect_urls") or [requested])[0]

    def _base_item(self, response: Response) -> PageItem:
        latency = response.meta.get("download_latency")
        return PageItem(
            url=self._key(response),
            final_url=response.url,
            status=response.status,
            fetched_at=datetime.now(timezone.utc),
            content_type=response.headers.get(b"Content-Type", b"").decode("latin-1") or None,
            response_ms=round(latency * 1000) if latency is not None else None,
            bytes=len(response.body),
            depth=response.meta.get("depth", 0),
        )

    def _fill(self, item: PageItem, facts: PageFacts) -> None:
        item.encoding, item.kind, item.meta = facts.encoding, facts.kind, facts.meta
        item.text, item.pii = masked(facts.text)
        item.title = masked(facts.title)[0]
        item.tables = [{"position": t.position, "caption": masked(t.caption)[0], "cells": masked_cells(t.cells)}
                       for t in facts.tables]
        if facts.published:
            item.published, item.published_source = facts.published.value, facts.published.source
            item.published_raw = facts.published.raw
        if facts.written:
            item.written, item.written_raw = facts.written.value, masked(facts.written.raw)[0]
        item.rejected_dates = [{"raw": r.raw, "reason": r.reason} for r in facts.rejected_dates]
        item.column_name, item.column_name_source = facts.column_name, facts.column_name_source
        item.site_code, item.icp, item.police = facts.identity.site_code, facts.identity.icp, facts.identity.police
        item.badge = facts.identity.badge
        item.hub_entries = [HubRow(b, block.title, i, masked(e.title)[0], normalize_url(e.url), e.date, e.date_source,
                                   e.raw_date)
                            for b, block in enumerate(facts.hub_blocks) for i, e in enumerate(block.entries)]
        item.links = [LinkRow(normalize_url(link.url), masked(link.text)[0], link.hidden, link.context, link.block,
                              self.scope.is_internal(link.url)) for link in facts.links]
        listing = facts.listing
        if listing is not None:
            item.list_shape, item.list_placeholder, item.list_total = (
                listing.shape, listing.placeholder, listing.total_records)
            item.entries = [EntryRow(i, masked(e.title)[0], normalize_url(e.url), e.date, e.date_source, e.raw_date)
                            for i, e in enumerate(listing.entries)]
            item.links += [LinkRow(normalize_url(url), "", False, "next", "", self.scope.is_internal(url))
                           for url in listing.next_pages]

    def parse_attachment(self, response: Response):
        url = response.request.url if response.request else response.url
        if self.revalidator and is_revalidation(response) and self.revalidator.has_attachment(url):
            yield self.revalidator.reused(url, "attachment", response)
            return
        ext = response.meta.get("attachment") or extension(response.url)
        item = AttachmentItem(url=url, status=response.status, fetched_at=datetime.now(timezone.utc),
                              content_type=response.headers.get(b"Content-Type", b"").decode("latin-1") or None,
                              ext=ext, bytes=len(response.body))
        check = page_answer(item.url, response)
        if check is not None:
            yield check
        if response.status < 400:
            try:
                item.text, item.pii = masked(extract_attachment_text(
                    response.body, ext, max_unzipped_bytes=self.limits.max_unzipped_bytes))
            except AttachmentError as exc:
                item.error = str(exc)[:500] or "unreadable"
                yield LogItem("WARNING", item.url, f"attachment not readable: {item.error}")
        yield item
        if response.status == 200 and item.error is None:
            yield validators(item.url, response)

    def failed(self, failure):
        """Errback: the page could not be fetched at all (DNS, refused, timeout, too large …)."""
        request = failure.request
        message = failure_text(failure, request.meta, self.limits)
        url = (request.meta.get("redirect_urls") or [request.url])[0]    # as linked, not the last hop
        if failure.check(IgnoreRequest) and not failure.check(RedirectLoop):
            yield LogItem("INFO", url, f"not fetched: {message}")   # robots.txt, size caps: our decision
            return
        now = datetime.now(timezone.utc)
        yield from self._probes(request.meta, url, None, None, describe_failure(failure.value))
        if request.callback == self.parse_attachment:
            yield AttachmentItem(url=url, status=None, fetched_at=now, ext=request.meta.get("attachment"),
                                 error=message)
        else:
            yield PageItem(url=url, final_url=request.url, status=None, fetched_at=now, kind="error",
                           error=message, depth=request.meta.get("depth", 0))
        yield LogItem("ERROR", url, message)

    # --- link checks (crawler.linkcheck): one answer per target, never a page ------------------
    def check_answered(self, response: Response):
        yield from self.linkcheck.answered(response)

    def check_failed(self, failure):
        yield from self.linkcheck.failed(failure)
