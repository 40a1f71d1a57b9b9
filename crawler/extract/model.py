"""Plain data the extractors return.

Extractors are pure functions from bytes (plus the URL and a reference time) to these
dataclasses. The spider turns them into Scrapy items; `govaudit inspect` (a later issue)
prints them. Nothing here knows about Scrapy, the store or the rules.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: Where a publication date came from, most trusted first.
DATE_SOURCES = ("meta", "label", "url", "list", "relative")

#: Where a 成文日期 (the date a document was made) came from, most trusted first: a <meta>,
#: a labelled field (成文日期/印发日期/发文日期/签发日期, e.g. in the 信息公开 table), the 落款
#: (issuing authority + date closing the body), the 版记 line "… 2026年3月3日印发".
WRITTEN_SOURCES = ("meta", "label", "signature", "imprint")

#: List-page shapes the crawler understands (docs/crawler.md explains each).
LIST_SHAPES = ("html_list", "table", "hanweb_datastore", "trs_createpagehtml", "script_array")

#: Page kinds: a column list page, a single document, a hub/overview (homepage-like page with
#: several dated blocks), a Hanweb dataproxy XML continuation, or anything else.
PAGE_KINDS = ("list", "article", "hub", "datastore", "other")


@dataclass
class DateHit:
    value: date
    source: str          # one of DATE_SOURCES
    raw: str             # the text the date was read from


@dataclass
class RejectedDate:
    raw: str
    reason: str          # e.g. "header date widget", "copyright year", "文号", "ICP number"


@dataclass
class ListEntry:
    title: str
    url: str                         # absolute
    date: date | None = None
    date_source: str | None = None   # "list", "url" or "relative"
    raw_date: str | None = None


@dataclass
class Listing:
    shape: str                                         # one of LIST_SHAPES
    entries: list[ListEntry] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)  # absolute URLs of further list pages
    placeholder: bool = False                          # a "暂无信息"-style text stands where items would
    total_records: int | None = None                   # when the page states it (Hanweb, TRS)


@dataclass
class Link:
    url: str                 # absolute, fragment removed
    text: str                # anchor text (or title attribute when the text is empty)
    hidden: bool = False     # hidden by CSS (inline style or class rule on the page)
    context: str = "a"       # "a" (normal anchor), "comment" (inside <!-- -->), "script" (in JS / document.write)
    block: str = ""          # fingerprint of the enclosing navigation/list block, for template detection


@dataclass
class Identity:
    site_code: str | None = None      # 网站标识码
    icp: str | None = None            # ICP备案号
    police: str | None = None         # 公安机关备案号
    badge: bool = False               # 党政机关网站标识 shown (conac script, badge image or a link to conac.cn)


@dataclass
class HubBlock:
    """One dated block of a hub page (a homepage's 要闻, 通知公告 …): its heading and dated entries."""
    title: str | None
    entries: list[ListEntry] = field(default_factory=list)


@dataclass
class PageTable:
    """A data table of a document page as a rectangular grid (merged cells repeated)."""
    position: int                    # 0-based among the page's kept tables
    caption: str | None              # <caption>, else the text just before the table
    cells: list[list[str]]           # rows of cell texts


@dataclass
class PageFacts:
    url: str
    encoding: str
    title: str = ""
    text: str = ""                                 # visible text, whitespace-collapsed
    meta: dict[str, str] = field(default_factory=dict)   # <meta name=...> (SiteName, ColumnName, PubDate, ...)
    kind: str = "other"                            # one of PAGE_KINDS
    published: DateHit | None = None               # page-level publication date
    rejected_dates: list[RejectedDate] = field(default_factory=list)
    column_name: str | None = None
    column_name_source: str | None = None          # "breadcrumb", "meta", "heading", "title"
    listing: Listing | None = None
    links: list[Link] = field(default_factory=list)
    identity: Identity = field(default_factory=Identity)
    attachments: list[Link] = field(default_factory=list)   # links to xls/xlsx/doc/docx/pdf/wps/et
    written: DateHit | None = None                 # 成文日期 of a document page (source: WRITTEN_SOURCES)
    hub_blocks: list[HubBlock] = field(default_factory=list)   # kind "hub" only, in page order
    tables: list[PageTable] = field(default_factory=list)      # data tables of a document page (tables.py)
