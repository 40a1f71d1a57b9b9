"""Incremental crawls: reuse what has not changed instead of downloading it again.

A run keeps, for every page and attachment a later run may reuse, a ``page_validators`` row: its
HTTP validators (``ETag``, ``Last-Modified``, when the server sent them) and ``verified_at``, when
its content was last downloaded or confirmed by a 304. The next crawl of the same config (same
digest) starts from the latest complete run, and each request the spider makes for such a
document is either

* **answered from the store** while the document is not yet *due*: until
  ``politeness.revalidate_after_days`` after ``verified_at``, shortened by up to half by a hash
  of the URL so that a weekly crawl rechecks a steady share, never everything at once. No request
  is sent: the spider reuses it inside the callback that found it (``SectionsSpider._reuse``)
  and follows its stored links there, so the cost is a store read, not a Scrapy round trip;
* or **revalidated**: sent with ``If-None-Match`` / ``If-Modified-Since``; a 304 confirms it
  (``verified_at`` becomes now), a 200 is parsed as new.

Either way an unchanged document's rows in that run (page, links, list and hub entries, tables,
personal-data hits — all masked as stored; or the attachment and its hits) are copied into the
new run (``Store.copy_documents``) and its stored links are followed as if it had been parsed
again, so only what this crawl reaches is reused: a page no longer linked drops out.

Never answered from the store, always asked for: list, datastore and hub pages (freshness lives
there: they are revalidated, and a 304 means the same body, hence the same entries), start pages
and pages whose dates depend on the day they are read (3天前, or 03-05 without a year:
``depends_on_the_day``; these two get no ``page_validators`` row, so they are downloaded every
time), pages that were not a 200, and every document a finding of that run points at (its
``url``), so the re-crawl that verifies rectification (复查) always reads the page again.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from scrapy.http import Response
from scrapy.spidermiddlewares.depth import DepthMiddleware
from sqlalchemy import and_, select

from crawler.extract.lists import HAS_YEAR
from crawler.items import PageItem
from crawler.resume import stored_page, stored_pages
from govaudit.config import Config
from govaudit.store import Store, attachments, findings, page_validators, pages, runs

#: Pages never answered from the store: always asked for (with validators when they have them).
ALWAYS_FETCHED = ("list", "datastore", "hub")
CONDITIONAL = (b"If-None-Match", b"If-Modified-Since")
#: Request meta: the depth of the stored page a request was found on (``StoredDepth``).
STORED_DEPTH = "stored_depth"


@dataclass
class ValidatorItem:
    """What a later crawl needs to reuse a stored page or attachment (a `page_validators` row)."""
    url: str
    etag: str | None
    last_modified: str | None
    verified_at: datetime


@dataclass
class ReusedItem:
    """An unchanged page or attachment: its rows in run `from_run` are copied into this run, and
    `validator` is its `page_validators` row in this run."""
    url: str
    doc: str                    # page | attachment
    from_run: int
    fetched_at: datetime
    validator: ValidatorItem
    response_ms: int | None = None
    depth: int | None = None


@dataclass
class ReusedBatch:
    """Documents answered from the store inside one callback, stored as one item: Scrapy's
    per-item cost (pipeline chain, signals) would otherwise exceed the cost of the reuse itself."""
    items: list[ReusedItem]


def validators(url: str, response: Response, known: tuple | None = None) -> ValidatorItem:
    """The `page_validators` row for `url` after `response`: a download (200) or a revalidation
    (304) verifies it now, with the answer's ETag / Last-Modified or else the `known` ones."""
    etag, modified = (response.headers.get(name) for name in (b"ETag", b"Last-Modified"))
    if etag or modified:
        etag, modified = (v.decode("latin-1") if v else None for v in (etag, modified))
    elif known:
        etag, modified = known[:2]
    return ValidatorItem(url, etag, modified, datetime.now(timezone.utc))


def depends_on_the_day(item: PageItem) -> bool:
    """Whether the same body read on another day would give other facts: a relative date (3天前,
    昨天) or one without a year (03-05, whose year is the latest that is not in the future). Such
    a page gets no validators, so every crawl downloads and reads it again; any other page's facts
    follow from its body alone, so a 304 may reuse them."""
    dated = [(e.date_source, e.raw_date) for e in (*item.entries, *item.hub_entries)]
    dated += [(item.published_source, item.published_raw), ("written" if item.written else None, item.written_raw)]
    return any(source == "relative" or (raw and not HAS_YEAR.search(raw)) for source, raw in dated if source)


def is_revalidation(response: Response) -> bool:
    """A 304 answer to a request that carried our validators."""
    request = response.request
    return response.status == 304 and request is not None and any(name in request.headers for name in CONDITIONAL)


def due_after(url: str, days: int) -> timedelta:
    """How long after its last verification `url` is reused without asking: between half and all of
    `days`, fixed per URL by a hash, so the pages of one first crawl come due spread over weeks."""
    share = zlib.crc32(url.encode("utf-8")) / 0xFFFFFFFF
    return timedelta(days=days) * (1 - share / 2)


def previous_run(store: Store, config: Config, current: int | None) -> int | None:
    """The latest complete run of `config` (same digest) other than `current`."""
    with store.engine.connect() as conn:
        return conn.execute(select(runs.c.id).where(runs.c.config_digest == config.digest,
                                                    runs.c.status == "complete", runs.c.id != (current or -1))
                            .order_by(runs.c.id.desc())).scalar()


class Revalidator:
    """The previous complete run's reusable documents and, on a 304, its stored rows of one."""

    def __init__(self, store: Store, run_id: int, revalidate_after_days: int = 0):
        self.store, self.run_id = store, run_id
        self.now = datetime.now(timezone.utc)
        v = page_validators
        with store.engine.connect() as conn:
            rows = conn.execute(select(v.c.url, v.c.etag, v.c.last_modified, v.c.verified_at, pages.c.depth, pages.c.kind)
                                .select_from(v.outerjoin(pages, and_(pages.c.run_id == v.c.run_id, pages.c.url == v.c.url)))
                                .where(v.c.run_id == run_id).order_by(pages.c.fetched_at, v.c.url)).all()
            flagged = set(conn.execute(select(findings.c.url).where(findings.c.run_id == run_id,
                                                                    findings.c.url.is_not(None))).scalars())
        self.known = {url: (etag, modified, _aware(verified)) for url, etag, modified, verified, _depth, _kind in rows}
        #: URL -> the depth it was stored at (None: an attachment), for documents not due yet
        self.trusted: dict[str, int | None] = {} if revalidate_after_days <= 0 else {
            url: depth for url, _etag, _modified, verified, depth, kind in rows
            if url not in flagged and verified is not None and kind not in ALWAYS_FETCHED
            and self.now - _aware(verified) < due_after(url, revalidate_after_days)}
        self.reader = ReadAhead(store, run_id, [url for url, depth in self.trusted.items() if depth is not None])

    @classmethod
    def for_crawl(cls, store: Store, config: Config, current: int | None) -> Revalidator | None:
        run_id = previous_run(store, config, current)
        return cls(store, run_id, config.politeness.revalidate_after_days) if run_id is not None else None

    def answers(self, url: str, attachment: bool) -> bool:
        """Whether the store answers a request for `url`: trusted (not due), and the same kind of
        document as stored — a page (stored with its depth) or an attachment (stored without)."""
        return url in self.trusted and (self.trusted[url] is None) == attachment

    def headers(self, url: str) -> dict[str, str] | None:
        known = self.known.get(url)
        if known is None:
            return None
        etag, modified, _verified = known
        return {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v} or None

    def stored_page(self, url: str) -> PageItem | None:
        """The previous run's page `url` as much as following it needs, or None if it has none."""
        with self.store.engine.connect() as conn:
            if conn.execute(select(pages.c.url).where(pages.c.run_id == self.run_id, pages.c.url == url)).first() is None:
                return None
            return stored_page(conn, self.run_id, url)

    def stored_pages(self, urls: list[str]) -> dict[str, PageItem]:
        """`stored_page` of trusted pages (ReadAhead)."""
        return self.reader.pages(urls)

    def has_attachment(self, url: str) -> bool:
        with self.store.engine.connect() as conn:
            return conn.execute(select(attachments.c.url).where(attachments.c.run_id == self.run_id,
                                                                attachments.c.url == url)).first() is not None

    def reused(self, url: str, doc: str, response: Response) -> ReusedItem:
        """The item that copies the previous run's rows of `url` into this run (Store.copy_documents)
        after a 304 `response`: verified now."""
        latency = response.meta.get("download_latency")
        return ReusedItem(url=url, doc=doc, from_run=self.run_id, fetched_at=datetime.now(timezone.utc),
                          validator=validators(url, response, self.known.get(url)),
                          response_ms=round(latency * 1000) if latency is not None else None,
                          depth=response.meta.get("depth", 0))

    def answered(self, url: str, doc: str, depth: int | None) -> ReusedItem:
        """The same for a document answered from the store at `depth`: its validators row is carried
        over unchanged (still due when it was)."""
        return ReusedItem(url=url, doc=doc, from_run=self.run_id, fetched_at=datetime.now(timezone.utc),
                          validator=ValidatorItem(url, *self.known[url]), depth=depth)


class ReadAhead:
    """Stored pages for the spider's reuse walk, read a few hundred per query.

    A walk that follows an article's "next article" link learns of one page at a time, and one
    query per page would cost more than the rest of the reuse. So a read also takes the pages the
    previous run stored right after each one asked for (`order`: trusted pages in the order that
    run fetched or reused them, which is the order the same walk took then) and keeps them until
    they are asked for, at most `KEEP` of them. Trusted pages are never list pages (those are
    always fetched), so they have no list entries to read.
    """
    AHEAD = 200
    KEEP = 5000

    def __init__(self, store: Store, run_id: int, order: list[str]):
        self.store, self.run_id, self.order = store, run_id, order
        self.position = {url: i for i, url in enumerate(order)}
        self.kept: dict[str, PageItem] = {}
        self.taken: set[str] = set()

    def pages(self, urls: list[str]) -> dict[str, PageItem]:
        missing = [url for url in urls if url not in self.kept]
        if missing:
            wanted = dict.fromkeys(missing)
            for url in missing:
                start = self.position.get(url, len(self.order)) + 1
                wanted.update(dict.fromkeys(u for u in self.order[start:start + self.AHEAD]
                                            if u not in self.kept and u not in self.taken))
            with self.store.engine.connect() as conn:
                self.kept.update(stored_pages(conn, self.run_id, list(wanted), entries=False))
            for stale in list(self.kept)[:max(0, len(self.kept) - self.KEEP)]:
                if stale not in urls:
                    del self.kept[stale]
        self.taken.update(urls)
        return {url: self.kept.pop(url) for url in urls}


def _aware(moment: datetime | None) -> datetime | None:
    """A stored UTC timestamp as an aware datetime (SQLite gives it back naive)."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def parent_depth(request, response) -> int:
    """The depth of the page `request` was found on: a page answered from the store inside the
    callback of `response` (``STORED_DEPTH``), else `response`'s page."""
    return request.meta.get(STORED_DEPTH, response.meta.get("depth", 0))


class _AtDepth:
    """Stands in for the response in DepthMiddleware: it reads nothing but ``meta['depth']``."""

    def __init__(self, depth: int):
        self.meta = {"depth": depth}


class StoredDepth(DepthMiddleware):
    """Scrapy's DepthMiddleware, except that a request found on a page answered from the store counts
    its depth from that page (the depth it was stored at), not from the callback's response: a
    page reused inside one callback may lie anywhere in the site."""

    def get_processed_request(self, request, response):
        stored = request.meta.pop(STORED_DEPTH, None)
        if stored is not None and response is not None:
            response = _AtDepth(stored)
        return super().get_processed_request(request, response)
