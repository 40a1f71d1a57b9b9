"""Incremental crawls: revalidate with conditional requests instead of downloading again.

A run stores the HTTP validators (``ETag``, ``Last-Modified``) of the documents it downloaded
in ``page_validators``. The next crawl of the same config (same digest) starts from the latest
complete run: a page or attachment it has validators for is requested with ``If-None-Match`` /
``If-Modified-Since``; a ``304 Not Modified`` answer means the document is the one that run
read, so that run's rows for it (page, links, list and hub entries, tables, personal-data
hits — all masked as stored; or the attachment and its hits) are copied into the new run
(Store.copy_documents: INSERT … SELECT in the batch's transaction), and its stored links are
followed as if it had been parsed again. Nothing is skipped: every page is asked for.

List, datastore and hub pages and start pages get no validators, so they are always downloaded
and parsed again: freshness lives there, and their relative dates (3天前) depend on the day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from scrapy.http import Response
from sqlalchemy import select

from crawler.items import PageItem
from crawler.resume import stored_page
from govaudit.config import Config
from govaudit.store import Store, attachments, page_validators, pages, runs

#: Pages always downloaded again (never given validators).
ALWAYS_FETCHED = ("list", "datastore", "hub")
CONDITIONAL = (b"If-None-Match", b"If-Modified-Since")


@dataclass
class ReusedItem:
    """An unchanged page or attachment: its rows in run `from_run` are copied into this run."""
    url: str
    doc: str                    # page | attachment
    from_run: int
    fetched_at: datetime
    response_ms: int | None = None
    depth: int | None = None


@dataclass
class ValidatorItem:
    """The validators of a stored page or attachment (a `page_validators` row)."""
    url: str
    etag: str | None
    last_modified: str | None


def validators(url: str, response: Response, known: tuple | None = None) -> list[ValidatorItem]:
    """The validators to keep for `url`: the response's ETag / Last-Modified, else `known`
    (those a 304 confirmed), else none."""
    etag, modified = (response.headers.get(name) for name in (b"ETag", b"Last-Modified"))
    if etag or modified:
        return [ValidatorItem(url, etag.decode("latin-1") if etag else None,
                              modified.decode("latin-1") if modified else None)]
    return [ValidatorItem(url, *known)] if known else []


def is_revalidation(response: Response) -> bool:
    """A 304 answer to a request that carried our validators."""
    request = response.request
    return response.status == 304 and request is not None and any(name in request.headers for name in CONDITIONAL)


def previous_run(store: Store, config: Config, current: int | None) -> int | None:
    """The latest complete run of `config` (same digest) other than `current`."""
    with store.engine.connect() as conn:
        return conn.execute(select(runs.c.id).where(runs.c.config_digest == config.digest,
                                                    runs.c.status == "complete", runs.c.id != (current or -1))
                            .order_by(runs.c.id.desc())).scalar()


class Revalidator:
    """The previous complete run's validators and, on a 304, its stored rows of a document."""

    def __init__(self, store: Store, run_id: int):
        self.store, self.run_id = store, run_id
        with store.engine.connect() as conn:
            self.known = {url: (etag, modified) for url, etag, modified in conn.execute(
                select(page_validators.c.url, page_validators.c.etag, page_validators.c.last_modified)
                .where(page_validators.c.run_id == run_id))}

    @classmethod
    def for_crawl(cls, store: Store, config: Config, current: int | None) -> Revalidator | None:
        run_id = previous_run(store, config, current)
        return cls(store, run_id) if run_id is not None else None

    def headers(self, url: str) -> dict[str, str] | None:
        known = self.known.get(url)
        if known is None:
            return None
        etag, modified = known
        return {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v} or None

    def stored_page(self, url: str) -> PageItem | None:
        """The previous run's page `url` as much as following it needs, or None if it has none."""
        with self.store.engine.connect() as conn:
            if conn.execute(select(pages.c.url).where(pages.c.run_id == self.run_id, pages.c.url == url)).first() is None:
                return None
            return stored_page(conn, self.run_id, url)

    def has_attachment(self, url: str) -> bool:
        with self.store.engine.connect() as conn:
            return conn.execute(select(attachments.c.url).where(attachments.c.run_id == self.run_id,
                                                                attachments.c.url == url)).first() is not None

    def reused(self, url: str, doc: str, response: Response) -> ReusedItem:
        """The item that copies the previous run's rows of `url` into this run (Store.copy_documents)."""
        latency = response.meta.get("download_latency")
        return ReusedItem(url=url, doc=doc, from_run=self.run_id, fetched_at=datetime.now(timezone.utc),
                          response_ms=round(latency * 1000) if latency is not None else None,
                          depth=response.meta.get("depth", 0))
