"""Item pipeline: batched, transactional writes of crawl facts to the store.

Rows are buffered and written `GOVAUDIT_BATCH_SIZE` at a time, each batch in one
transaction, so a killed crawl loses at most one uncommitted batch and never leaves half a
page. When the spider finishes, the run's derived tables (attribution, columns) are built
and the run is marked ``complete`` in one more transaction; an interrupted run stays
``interrupted`` and is never audited as if it were whole.
"""
from __future__ import annotations

import json
import logging
from dataclasses import fields

from scrapy import signals

from crawler.attribution import finalize_run
from crawler.incremental import ReusedBatch, ReusedItem, ValidatorItem
from crawler.items import AttachmentItem, LinkCheckItem, LogItem, PageItem
from crawler.probe import Probe
from govaudit.store import Store, now

logger = logging.getLogger(__name__)
PAGE_FIELDS = [f.name for f in fields(PageItem) if f.name not in ("links", "entries", "hub_entries", "tables", "pii")]
ATTACHMENT_FIELDS = [f.name for f in fields(AttachmentItem) if f.name != "pii"]
LINK_CHECK_FIELDS = [f.name for f in fields(LinkCheckItem)]


class StorePipeline:
    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.store_url = settings.get("GOVAUDIT_STORE")
        self.run_id: int | None = settings.getint("GOVAUDIT_RUN_ID") or None
        self.batch_size = settings.getint("GOVAUDIT_BATCH_SIZE", 500)
        self.batch: dict[str, list[dict]] = {}
        self.pending = 0
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # spider_closed fires after every pipeline's close_spider, with the close reason
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        spider = self.crawler.spider
        config = spider.config
        self.store = Store(self.store_url or config.store_url())
        if self.run_id is None:   # started by `scrapy crawl`, not by `govaudit crawl`
            from govaudit.pipeline import config_snapshot
            self.run_id = self.store.new_run(config.path, config.digest, config_snapshot(config))
        spider.run_id = self.run_id

    def process_item(self, item):
        if isinstance(item, PageItem):
            self._add_page(item)
        elif isinstance(item, AttachmentItem):
            row = {name: getattr(item, name) for name in ATTACHMENT_FIELDS}
            self._add("attachments", row)
            self._add_pii(item.url, "attachment", item.pii)
        elif isinstance(item, Probe):
            self._add("probes", item.row())
        elif isinstance(item, LinkCheckItem):
            self._add("link_checks", {name: getattr(item, name) for name in LINK_CHECK_FIELDS})
        elif isinstance(item, LogItem):
            self._add("crawl_log", {"at": now(), "level": item.level, "url": item.url, "message": item.message})
        elif isinstance(item, ValidatorItem):
            self._add("page_validators", dict(vars(item)))
        elif isinstance(item, ReusedItem):      # an unchanged document: Store.copy_documents
            self._add_reused(item)
        elif isinstance(item, ReusedBatch):
            for reused in item.items:
                self._add_reused(reused)
        if self.pending >= self.batch_size:
            self.flush()
        return item

    def _add(self, table: str, row: dict) -> None:
        row["run_id"] = self.run_id
        self.batch.setdefault(table, []).append(row)
        self.pending += 1

    def _add_reused(self, item: ReusedItem) -> None:
        row = dict(vars(item))
        self._add("page_validators", dict(vars(row.pop("validator"))))
        self._add("reused", row)

    def _add_page(self, item: PageItem) -> None:
        # shallow copies: dataclasses.asdict deep-copies every link, a measurable cost per page
        row = {name: getattr(item, name) for name in PAGE_FIELDS}
        row["meta"] = json.dumps(item.meta, ensure_ascii=False)
        row["rejected_dates"] = json.dumps(item.rejected_dates, ensure_ascii=False)
        self._add("pages", row)
        for link in item.links:
            self._add("links", {"page_url": item.url, **vars(link)})
        for entry in item.entries:
            self._add("list_items", {"page_url": item.url, **vars(entry)})
        for entry in item.hub_entries:
            self._add("hub_items", {"page_url": item.url, **vars(entry)})
        for table in item.tables:
            self._add("page_tables", {"page_url": item.url, "position": table["position"],
                                      "caption": table["caption"],
                                      "cells": json.dumps(table["cells"], ensure_ascii=False)})
        self._add_pii(item.url, "page", item.pii)

    def _add_pii(self, doc_url: str, doc_kind: str, hits: list[dict]) -> None:
        for hit in hits:
            self._add("pii_hits", {"doc_url": doc_url, "doc_kind": doc_kind, **hit})

    def flush(self) -> None:
        if self.batch:
            self.store.write_batch(self.batch)
            self.batch, self.pending = {}, 0

    def close_spider(self):
        self.flush()

    def spider_closed(self, spider, reason: str):
        if reason == "finished":
            finalize_run(self.store, self.run_id, spider.config)
        else:
            self.store.set_status(self.run_id, "interrupted")
            logger.warning("run %s interrupted (%s); its facts are kept but it is not complete", self.run_id, reason)
