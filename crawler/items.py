"""Items the spider yields; the store pipeline turns each into rows.

Dataclass items (Scrapy's item adapters handle them) keep the facts typed. Each item maps
onto one store table plus its child rows (a page's links and list entries). The spider also
yields `crawler.probe.Probe`s: its own fetch of each homepage, an availability probe.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class LinkRow:
    url: str
    text: str = ""
    hidden: bool = False
    context: str = "a"        # a | comment | script | next
    block: str = ""
    internal: bool = True


@dataclass
class EntryRow:
    position: int
    title: str
    url: str
    date: date | None = None
    date_source: str | None = None
    raw_date: str | None = None


@dataclass
class HubRow:
    """A dated entry of one block (要闻, 通知公告 …) of a hub page such as a homepage."""
    block: int                       # 0-based index of the block on the page
    block_title: str | None
    position: int
    title: str
    url: str
    date: date | None = None
    date_source: str | None = None
    raw_date: str | None = None


@dataclass
class PageItem:
    url: str
    final_url: str
    status: int | None
    fetched_at: datetime
    content_type: str | None = None
    response_ms: int | None = None
    bytes: int | None = None
    depth: int | None = None
    encoding: str | None = None
    title: str | None = None
    kind: str = "other"
    published: date | None = None
    published_source: str | None = None
    published_raw: str | None = None
    written: date | None = None          # 成文日期/印发日期
    written_raw: str | None = None
    rejected_dates: list[dict] = field(default_factory=list)
    column_name: str | None = None
    column_name_source: str | None = None
    list_shape: str | None = None
    list_placeholder: bool | None = None
    list_total: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    site_code: str | None = None
    icp: str | None = None
    police: str | None = None
    badge: bool | None = None            # the 党政机关网站标识 is shown (None: not an HTML page)
    text: str | None = None
    error: str | None = None
    links: list[LinkRow] = field(default_factory=list)
    entries: list[EntryRow] = field(default_factory=list)
    hub_entries: list[HubRow] = field(default_factory=list)   # dated entries of every block of a hub page
    tables: list[dict] = field(default_factory=list)  # data tables: position, caption, cells (masked)
    pii: list[dict] = field(default_factory=list)     # personal-data hits, masked (text is masked too)


@dataclass
class AttachmentItem:
    url: str
    status: int | None
    fetched_at: datetime
    content_type: str | None = None
    ext: str | None = None
    bytes: int | None = None
    text: str | None = None
    error: str | None = None
    pii: list[dict] = field(default_factory=list)


@dataclass
class LogItem:
    """A problem worth keeping with the run (unreachable page, unparsable attachment …)."""
    level: str
    url: str | None
    message: str


@dataclass
class LinkCheckItem:
    """The answer of one link target checked once per run (crawler.linkcheck): an external
    target, an internal file the crawl does not download, or an internal page or attachment
    whose answer was a firewall (WAF) block or a JavaScript cookie challenge."""
    url: str
    final_url: str | None
    status: int | None
    verdict: str                    # ok | dead | unverifiable | skipped
    checked_at: datetime
    error: str | None = None        # no answer (timeout, refused, DNS …), or why unverifiable / skipped
    response_ms: int | None = None
