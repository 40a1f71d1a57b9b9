"""Incremental crawls: revalidate with conditional requests instead of downloading again.

A run stores the HTTP validators (``ETag``, ``Last-Modified``) of the documents it downloaded
in ``page_validators``. The next crawl of the same config (same digest) starts from the latest
complete run: a page or attachment it has validators for is requested with ``If-None-Match`` /
``If-Modified-Since``; a ``304 Not Modified`` answer means the document is the one that run
read, so that run's rows for it (page, links, list and hub entries, tables, personal-data
hits — all masked as stored; or the attachment and its hits) become the new run's, and its
links are followed as if it had been parsed again. Nothing is skipped: every page is asked for.

List, datastore and hub pages and start pages get no validators, so they are always downloaded
and parsed again: freshness lives there, and their relative dates (3天前) depend on the day.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import datetime, timezone

from scrapy.http import Response
from sqlalchemy import select

from crawler.items import AttachmentItem, EntryRow, HubRow, LinkRow, PageItem
from govaudit.config import Config
from govaudit.store import (Store, attachments, hub_items, links, list_items, page_tables, page_validators, pages,
                            pii_hits, runs)

#: Pages always downloaded again (never given validators).
ALWAYS_FETCHED = ("list", "datastore", "hub")
CONDITIONAL = (b"If-None-Match", b"If-Modified-Since")
_CHILDREN = ("links", "entries", "hub_entries", "tables", "pii")
_PAGE_COLUMNS = [f.name for f in fields(PageItem) if f.name not in _CHILDREN]
_ATTACHMENT_COLUMNS = [f.name for f in fields(AttachmentItem) if f.name != "pii"]
_PII_COLUMNS = ("kind", "masked", "position", "context")


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

    def _rows(self, conn, table, *where):
        return conn.execute(select(table).where(table.c.run_id == self.run_id, *where)).mappings().all()

    def _pii(self, conn, url: str, kind: str) -> list[dict]:
        return [{k: row[k] for k in _PII_COLUMNS}
                for row in self._rows(conn, pii_hits, pii_hits.c.doc_url == url, pii_hits.c.doc_kind == kind)]

    def page(self, url: str, response: Response) -> PageItem | None:
        """The previous run's page `url` as a new item (fetched now, at this crawl's depth), or None."""
        with self.store.engine.connect() as conn:
            row = conn.execute(select(pages).where(pages.c.run_id == self.run_id, pages.c.url == url)).mappings().first()
            if row is None:
                return None
            item = PageItem(**{name: row[name] for name in _PAGE_COLUMNS})
            item.meta = json.loads(row["meta"] or "{}")
            item.rejected_dates = json.loads(row["rejected_dates"] or "[]")
            item.links = [LinkRow(**{k: r[k] for k in ("url", "text", "hidden", "context", "block", "internal")})
                          for r in self._rows(conn, links, links.c.page_url == url)]
            item.entries = [EntryRow(**{k: r[k] for k in ("position", "title", "url", "date", "date_source", "raw_date")})
                            for r in self._rows(conn, list_items, list_items.c.page_url == url)]
            item.hub_entries = [HubRow(**{k: r[k] for k in ("block", "block_title", "position", "title", "url", "date",
                                                              "date_source", "raw_date")})
                                for r in self._rows(conn, hub_items, hub_items.c.page_url == url)]
            item.tables = [{"position": r["position"], "caption": r["caption"], "cells": json.loads(r["cells"])}
                           for r in self._rows(conn, page_tables, page_tables.c.page_url == url)]
            item.pii = self._pii(conn, url, "page")
        item.entries.sort(key=lambda e: e.position)
        _refresh(item, response)
        item.depth = response.meta.get("depth", 0)
        return item

    def attachment(self, url: str, response: Response) -> AttachmentItem | None:
        """The previous run's attachment `url` as a new item, or None."""
        with self.store.engine.connect() as conn:
            row = conn.execute(select(attachments).where(attachments.c.run_id == self.run_id,
                                                         attachments.c.url == url)).mappings().first()
            if row is None:
                return None
            item = AttachmentItem(**{name: row[name] for name in _ATTACHMENT_COLUMNS})
            item.pii = self._pii(conn, url, "attachment")
        _refresh(item, response)
        return item


def _refresh(item: PageItem | AttachmentItem, response: Response) -> None:
    """What belongs to this fetch, not to the document: when, and how fast it answered."""
    item.fetched_at = datetime.now(timezone.utc)
    if isinstance(item, PageItem):
        latency = response.meta.get("download_latency")
        item.response_ms = round(latency * 1000) if latency is not None else None
