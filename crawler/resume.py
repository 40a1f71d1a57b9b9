"""Resume a killed or stopped crawl: the store is the journal (docs/crawler.md, *Resume*).

No Scrapy JOBDIR: a run's committed rows already say what was fetched. The pipeline writes a
page's rows (page, links, list and hub entries, tables, personal-data hits) in the same
transaction, so a stored page is whole. On resume the spider *replays* the crawl over the
stored pages instead of fetching them: from the start requests, each stored page is handed to
the spider's own `_follow` and link-check scheduling with the request meta the replay gave it
(section, off-scope hops, list page number, depth as Scrapy's DepthMiddleware would set it),
in the order the pages were fetched. Every request the replay makes for a URL that is not
stored (as a page, an attachment or a link check) is the frontier and is really fetched.
The `seen` set, the per-section page counts and the link-check cap end where an uninterrupted
crawl would have had them, so depth, `max_pages_per_site` and `max_link_checks` are applied
as if the crawl had never stopped.

Scrapy's own dupe filter is seeded likewise (`ResumeDupeFilter`): a redirect to a page the
interrupted crawl already fetched is dropped, as it would have been without the interruption.

Rows written ahead of their page (the homepage probe, a page's own WAF/challenge answer) are
deleted for the URLs about to be fetched again, so they are not doubled.
"""
from __future__ import annotations

import heapq
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import scrapy
from scrapy.dupefilters import RFPDupeFilter
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from crawler.items import EntryRow, LinkCheckItem, LinkRow, PageItem
from govaudit.store import Store, StoreError, attachments, link_checks, links, list_items, pages, probes, runs

if TYPE_CHECKING:
    from crawler.spiders.sections import SectionsSpider
    from govaudit.config import Config

logger = logging.getLogger(__name__)
RESUMABLE = ("running", "interrupted")


# --- which run ------------------------------------------------------------------------------
def resumable_run(store: Store, config: Config, run_id: int | None = None) -> int:
    """`run_id`, or the latest running/interrupted run of `config` (same config digest), checked
    to be resumable; raises StoreError naming the fix otherwise."""
    if run_id is None:
        with store.engine.connect() as conn:
            run_id = conn.execute(select(runs.c.id).where(runs.c.config_digest == config.digest,
                                                          runs.c.status.in_(RESUMABLE))
                                  .order_by(runs.c.id.desc())).scalar()
        if run_id is None:
            raise StoreError(f"no running or interrupted run of {config.path} in {store.url} to resume; "
                             "start a new crawl without --resume")
        return int(run_id)
    run = store.run(run_id)
    if run["status"] not in RESUMABLE:
        raise StoreError(f"run {run_id} is {run['status']}; only a running or interrupted run can be resumed")
    if run["config_digest"] != config.digest:
        raise StoreError(f"run {run_id} was crawled with another version of the config; resume it with the "
                         "config it started with, or start a new crawl")
    return run_id


def reopen_run(store: Store, run_id: int) -> None:
    """Mark a resumed run running again (it is finalized or marked interrupted when the crawl ends)."""
    with store.tx() as conn:
        conn.execute(update(runs).where(runs.c.id == run_id).values(status="running", finished_at=None))


# --- what is stored -------------------------------------------------------------------------
class Journal:
    """The committed facts of a run that steer the crawl: its pages in fetch order (with depth),
    the attachment and link-check URLs already answered, and — read page by page, so memory
    grows with the pages, not their links — each page's links and list entries."""

    def __init__(self, conn: Connection, run_id: int):
        self.conn, self.run_id = conn, run_id
        self.pages: list[tuple[str, int]] = [(url, depth or 0) for url, depth in conn.execute(
            select(pages.c.url, pages.c.depth).where(pages.c.run_id == run_id).order_by(pages.c.fetched_at, pages.c.url))]
        self.attachments: set[str] = set(conn.execute(
            select(attachments.c.url).where(attachments.c.run_id == run_id)).scalars())
        self.checks: set[str] = set(conn.execute(
            select(link_checks.c.url).where(link_checks.c.run_id == run_id)).scalars())

    def page(self, url: str) -> PageItem:
        return stored_page(self.conn, self.run_id, url)


def stored_page(conn: Connection, run_id: int, url: str) -> PageItem:
    """A stored page as much as following it needs: its links (in stored order: the index keeps
    insertion order per page) and list entries."""
    return stored_pages(conn, run_id, [url])[url]


def stored_pages(conn: Connection, run_id: int, urls: list[str], entries: bool = True) -> dict[str, PageItem]:
    """`stored_page` of each of `urls`, read in a few queries (an incremental crawl reads thousands);
    `entries=False` for pages known not to be list pages (only those have list entries)."""
    found = {url: PageItem(url=url, final_url=url, status=None, fetched_at=None) for url in urls}
    for start in range(0, len(urls), 500):
        chunk = urls[start:start + 500]
        query = select(links.c.page_url, links.c.url, links.c.text, links.c.hidden, links.c.context, links.c.block,
                       links.c.internal).where(links.c.run_id == run_id, links.c.page_url.in_(chunk))
        # many pages: the driver's rows are 2–3× cheaper; one page: not worth compiling the query afresh
        rows = Store.raw_rows(conn, query) if len(chunk) > 1 else conn.execute(query).all()
        for page_url, u, text, hidden, context, block, internal in rows:
            found[page_url].links.append(LinkRow(u, text or "", bool(hidden), context, block or "", bool(internal)))
        if not entries:
            continue
        for page_url, position, title, u in conn.execute(
                select(list_items.c.page_url, list_items.c.position, list_items.c.title, list_items.c.url)
                .where(list_items.c.run_id == run_id, list_items.c.page_url.in_(chunk))
                .order_by(list_items.c.page_url, list_items.c.position)):
            found[page_url].entries.append(EntryRow(position, title or "", u))
    return found


def attachment_links(stored: Iterable[LinkRow]) -> list[LinkRow]:
    """A stored page's attachment candidates for `_follow`, like the extractor's `attachments`
    (first link to each URL; `_follow` keeps the downloadable types)."""
    out, seen = [], set()
    for link in stored:
        if link.context != "next" and link.url not in seen:
            seen.add(link.url)
            out.append(link)
    return out


# --- replay ---------------------------------------------------------------------------------
class Replay:
    """Re-run the spider's scheduling over the stored pages; collect what is still to fetch."""

    def __init__(self, spider: SectionsSpider, journal: Journal):
        self.spider, self.journal = spider, journal
        self.order = {url: i for i, (url, _depth) in enumerate(journal.pages)}
        self.max_depth = spider.settings.getint("DEPTH_LIMIT")
        self.depth_priority = spider.settings.getint("DEPTH_PRIORITY")
        self.waiting: dict[str, scrapy.Request] = {}      # stored page URL -> the replay's request for it
        self.ready: list[int] = []                        # fetch-order indexes of stored pages requested
        self.frontier: list[scrapy.Request | LinkCheckItem] = []

    def run(self) -> list[scrapy.Request | LinkCheckItem]:
        self.offer(self.spider.start_requests_list(), parent_depth=None)
        replayed = 0
        while self.ready:
            url, depth = self.journal.pages[heapq.heappop(self.ready)]
            request = self.waiting.pop(url)
            page = self.journal.page(url)
            self.offer(self.spider._follow(page, attachment_links(page.links), request.meta), depth)
            if not request.meta.get("reference"):
                self.offer(self.spider.linkcheck.requests_for(self.spider._check_targets(page)), depth)
            replayed += 1
        if replayed < len(self.journal.pages):
            logger.warning("resume: %d stored pages were not reached again by the replay",
                           len(self.journal.pages) - replayed)
        return self.frontier

    def offer(self, outputs, parent_depth: int | None) -> None:
        """Sort the spider's output: stored work is replayed (pages) or dropped, the rest is the frontier."""
        for out in outputs:
            if isinstance(out, LinkCheckItem):             # `skipped` past the link-check cap
                if out.url not in self.journal.checks:
                    self.frontier.append(out)
            elif "link_check" in out.meta:
                if out.meta["link_check"]["url"] not in self.journal.checks:
                    self.frontier.append(out)
            elif self._within_depth(out, parent_depth):
                if out.url in self.order:
                    self.waiting[out.url] = out
                    heapq.heappush(self.ready, self.order[out.url])
                elif out.url not in self.journal.attachments:
                    self.frontier.append(out)

    def _within_depth(self, request: scrapy.Request, parent_depth: int | None) -> bool:
        """Set depth and priority as Scrapy's DepthMiddleware would on a followed request; False past DEPTH_LIMIT."""
        if parent_depth is None:
            return True                                    # a start request: depth 0, like the crawl's
        depth = parent_depth + 1
        request.meta["depth"] = depth
        request.priority -= depth * self.depth_priority
        return not (self.max_depth and depth > self.max_depth)


def forget_unfinished(store: Store, run_id: int, frontier) -> None:
    """Delete rows written ahead of a page that was never stored: its homepage probe and its
    own firewall/challenge answer (`link_checks`), both yielded just before the page item."""
    urls = [r.url for r in frontier if isinstance(r, scrapy.Request) and "link_check" not in r.meta]
    with store.tx() as conn:
        for start in range(0, len(urls), 500):
            chunk = urls[start:start + 500]
            conn.execute(delete(link_checks).where(link_checks.c.run_id == run_id, link_checks.c.url.in_(chunk)))
            conn.execute(delete(probes).where(probes.c.run_id == run_id, probes.c.source == "crawl",
                                              probes.c.url.in_(chunk)))


def _resumed(spider: SectionsSpider) -> tuple[Store, int]:
    """The store and the run being resumed (GOVAUDIT_STORE, GOVAUDIT_RUN_ID)."""
    settings = spider.settings
    return Store(settings.get("GOVAUDIT_STORE") or spider.config.store_url()), settings.getint("GOVAUDIT_RUN_ID")


class ResumeDupeFilter(RFPDupeFilter):
    """Scrapy's dupe filter, opened with the requests the interrupted crawl already made: its
    stored pages, where they redirected to, and its attachments (the spider installs it on resume)."""

    @classmethod
    def from_crawler(cls, crawler):
        dupefilter = super().from_crawler(crawler)
        dupefilter.crawler = crawler
        return dupefilter

    def open(self):
        store, run_id = _resumed(self.crawler.spider)
        with store.engine.connect() as conn:
            urls = {url for row in conn.execute(select(pages.c.url, pages.c.final_url).where(pages.c.run_id == run_id))
                    for url in row if url}
            urls.update(conn.execute(select(attachments.c.url).where(attachments.c.run_id == run_id)).scalars())
        for url in urls:
            self.request_seen(scrapy.Request(url))
        return super().open()


def resume_frontier(spider: SectionsSpider) -> list[scrapy.Request | LinkCheckItem]:
    """What the resumed crawl still has to do."""
    store, run_id = _resumed(spider)
    with store.engine.connect() as conn:
        journal = Journal(conn, run_id)
        frontier = Replay(spider, journal).run()
    forget_unfinished(store, run_id, frontier)
    logger.warning("resuming run %d: %d pages stored, %d requests left in the frontier",
                   run_id, len(journal.pages), len(frontier))
    return frontier
