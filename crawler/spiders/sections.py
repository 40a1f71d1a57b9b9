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
from crawler.extract.model import PageFacts
from crawler.extract.page import extract_page
from crawler.extract.privacy import find_personal_data, mask_text
from crawler.items import AttachmentItem, EntryRow, LinkRow, LogItem, PageItem
from crawler.linkcheck import DOWNLOADED_EXTS, LinkChecker, install as install_linkcheck, page_answer
from crawler.politeness import politeness_settings
from crawler.scope import SKIP_EXTS, Scope, extension, normalize_url
from govaudit.config import Config, load_config

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
        self.linkcheck = LinkChecker(self.scope, self.limits, callback=self.check_answered,
                                     errback=self.check_failed)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        kwargs.setdefault("config", crawler.settings.get("GOVAUDIT_CONFIG"))
        spider = super().from_crawler(crawler, *args, **kwargs)
        # `scrapy crawl sections -a config=…` gets the config's politeness too; settings given
        # on the command line (or by `govaudit crawl`) keep their higher priority.
        crawler.settings.setdict(politeness_settings(spider.config), priority="spider")
        install_linkcheck(crawler.settings)     # per-host slots and body cap of the link checks
        return spider

    # --- scheduling ------------------------------------------------------------------------
    async def start(self):
        for request in self.start_requests_list():
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
        return scrapy.Request(url, callback=callback, errback=self.failed, meta=meta, priority=priority)

    def _section_for(self, url: str, current: str | None, hops: int) -> tuple[str | None, int] | None:
        """Crawl-time section of a link target and its off-scope hop count; None to skip it."""
        owner = self.scope.owner(url) or self.scope.home_of(url)
        if owner is not None:
            return owner, 0
        if hops + 1 > self.limits.max_offscope_hops:
            return None
        return current, hops + 1

    def _follow(self, item: PageItem, facts: PageFacts, response: Response):
        """Requests for what a page leads to: pagination first, then entries and links."""
        section, hops = response.meta.get("section"), response.meta.get("hops", 0)
        if response.meta.get("reference"):
            return   # a template reference is read for its navigation, not followed
        page_no = response.meta.get("list_page_no", 1)
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
        for link in facts.attachments:
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
    def parse(self, response: Response):
        started = time.perf_counter()
        item = self._base_item(response)
        content_type = item.content_type or ""
        textual = isinstance(response, TextResponse) or content_type.startswith(TEXTUAL_TYPES) or not content_type
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
        self._fill(item, facts)
        yield item
        yield from self._follow(item, facts, response)
        if not response.meta.get("reference"):
            yield from self.linkcheck.requests_for(self._check_targets(item))
        logger.debug("parsed %s in %.1f ms", response.url, (time.perf_counter() - started) * 1000)

    def _base_item(self, response: Response) -> PageItem:
        latency = response.meta.get("download_latency")
        return PageItem(
            url=response.request.url if response.request else response.url,
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
        if facts.published:
            item.published, item.published_source = facts.published.value, facts.published.source
            item.published_raw = facts.published.raw
        if facts.written:
            item.written, item.written_raw = facts.written.value, masked(facts.written.raw)[0]
        item.rejected_dates = [{"raw": r.raw, "reason": r.reason} for r in facts.rejected_dates]
        item.column_name, item.column_name_source = facts.column_name, facts.column_name_source
        item.site_code, item.icp, item.police = facts.identity.site_code, facts.identity.icp, facts.identity.police
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
        ext = response.meta.get("attachment") or extension(response.url)
        item = AttachmentItem(url=response.request.url if response.request else response.url,
                              status=response.status, fetched_at=datetime.now(timezone.utc),
                              content_type=response.headers.get(b"Content-Type", b"").decode("latin-1") or None,
                              ext=ext, bytes=len(response.body))
        check = page_answer(item.url, response)
        if check is not None:
            yield check
        if response.status < 400:
            try:
                item.text, item.pii = masked(extract_attachment_text(response.body, ext))
            except AttachmentError as exc:
                item.error = str(exc)[:500] or "unreadable"
                yield LogItem("WARNING", item.url, f"attachment not readable: {item.error}")
        yield item

    def failed(self, failure):
        """Errback: the page could not be fetched at all (DNS, refused, timeout, too large …)."""
        request = failure.request
        message = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500]
        if failure.check(IgnoreRequest):   # robots.txt, size caps: a decision, not a broken site
            yield LogItem("INFO", request.url, f"not fetched: {message}")
            return
        now = datetime.now(timezone.utc)
        if request.callback == self.parse_attachment:
            yield AttachmentItem(url=request.url, status=None, fetched_at=now, ext=request.meta.get("attachment"),
                                 error=message)
        else:
            yield PageItem(url=request.url, final_url=request.url, status=None, fetched_at=now, kind="error",
                           error=message, depth=request.meta.get("depth", 0))
        yield LogItem("ERROR", request.url, message)

    # --- link checks (crawler.linkcheck): one answer per target, never a page ------------------
    def check_answered(self, response: Response):
        yield from self.linkcheck.answered(response)

    def check_failed(self, failure):
        yield from self.linkcheck.failed(failure)
