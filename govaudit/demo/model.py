"""Data model of the demo portal: departments, sites (sections), columns and items.

Everything the demo serves and everything `ground_truth.json` says is derived from instances of
these classes, built in :mod:`govaudit.demo.content`. Nothing here renders HTML.

The update-class table and the staleness arithmetic below restate the crawler's documented
defaults (see the issue brief and ``/work/shared/domain.md`` §3.1) so that the ground truth is
computed from the data instead of being typed in by hand. A portal is built for one week
(:data:`WEEKS`); its columns judge staleness as of that week's day.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

#: The "today" of each demo week: week 1 is the first inspection, week 2 the re-inspection (复查)
#: a week later. Every page, HTTP ``Date`` header, date widget and relative date ("3天前") of a
#: week is relative to its day; so is the staleness arithmetic below.
WEEKS = {1: date(2026, 11, 20), 2: date(2026, 11, 27)}
#: Week 1's day: the demo's default "today" (config ``as_of``, first audit).
DEMO_AS_OF = WEEKS[1]

# List-page shapes, spelled like ``crawler.extract.model.LIST_SHAPES``.
HANWEB = "hanweb_datastore"     # /col/colN/index.html + <script type="text/xml"><datastore> + dataproxy.jsp
TRS = "trs_createpagehtml"      # index.html, index_1.html … + createPageHTML(total, current, "index", "html")
HTML_LIST = "html_list"         # plain <ul><li> with a date span, "下一页" pagination
TABLE = "table"                 # plain <table> rows with "[2026-03-05]" dates
SCRIPT = "script_array"         # var itemObj = [{"aT": …, "aU": …, "aPd": …}] rendered by a script

SHAPES = (HANWEB, TRS, HTML_LIST, TABLE, SCRIPT)

# Expected states of a column (what the planted data is meant to produce).
FRESH, STALE, BLANK = "fresh", "stale", "blank"

# Update classes: (class name, window, keywords). First match in this order wins; no match
# means 基础信息. Windows are ("days", n) or ("months", n).
UPDATE_CLASSES: tuple[tuple[str, tuple[str, int], tuple[str, ...]], ...] = (
    ("动态要闻", ("days", 14), ("要闻", "动态", "新闻", "资讯", "快讯")),
    ("通知公告", ("months", 6), ("通知", "公告", "公示")),
    ("政策文件", ("months", 6), ("政策文件", "规范性文件", "文件")),
)
DEFAULT_CLASS: tuple[str, tuple[str, int]] = ("基础信息", ("months", 12))

#: The four items every section's 政府信息公开专栏 must offer, in reporting order.
DISCLOSURE_ITEMS = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报")


def update_class(column_name: str) -> str:
    """Return the update class the crawler's default keyword table assigns to a column name."""
    for name, _window, keywords in UPDATE_CLASSES:
        if any(k in column_name for k in keywords):
            return name
    return DEFAULT_CLASS[0]


def _minus_months(day: date, months: int) -> date:
    """``day`` minus whole calendar months, clamping the day of month (Aug 31 − 6 → Feb 28)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def freshness_cutoff(cls: str, as_of: date = DEMO_AS_OF) -> date:
    """Earliest latest-item date that still counts as fresh for an update class.

    A column is stale iff its latest dated item is strictly before this date.
    """
    windows = {name: window for name, window, _ in UPDATE_CLASSES}
    windows[DEFAULT_CLASS[0]] = DEFAULT_CLASS[1]
    unit, amount = windows[cls]
    if unit == "days":
        return as_of - timedelta(days=amount)
    return _minus_months(as_of, amount)


@dataclass(frozen=True)
class Department:
    """A government unit; ``short`` is the form used in page text (区教育局)."""
    id: str
    name: str
    short: str
    email: str


@dataclass
class Item:
    """One entry of a column: a document with a title and (usually) a publication date.

    ``attachments`` holds keys of :data:`govaudit.demo.assets.ATTACHMENTS`. ``pinned`` marks a
    置顶 entry the CMS lists first regardless of its date. ``written`` overrides the 成文日期 the
    signed bodies print (default: 0-3 days before publication). ``plants`` are keys of
    :data:`govaudit.demo.plants.PLANTS` whose markup the document carries; ``related`` are the
    (label, title, url) links of its 相关解读 / 政策原文 box. ``url``, ``time``, ``plants`` and
    ``related`` are assigned when the portal is built (see :func:`govaudit.demo.content.build_portal`).
    """
    title: str
    date: date | None
    attachments: tuple[str, ...] = ()
    pinned: bool = False
    written: date | None = None
    id: int = 0
    time: str = "09:30"
    url: str = ""            # path of the article page on its host, e.g. /art/2026/3/5/art_1001_70012.html
    plants: tuple[str, ...] = ()
    related: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Column:
    """A list page (with its pagination) that belongs to one or more sections.

    ``path`` is the URL path of page 1 on the owning site's host. ``also_in`` lists further
    sites whose pages link to this column (a joint column is attributed to every one of them).
    ``expect`` and ``why`` document the planted state; the ground truth is *computed* from the
    items and checked against ``expect`` by the tests: one state for both weeks, or a
    (week 1, week 2) pair for a column whose state changes between the inspections. ``as_of``
    is the week's day, set when the portal is built.
    """
    site: str
    name: str
    shape: str
    path: str
    items: list[Item]
    expect: str | tuple[str, str]
    why: str
    body: str = "news"                 # which article-body generator the items use (texts.BODIES)
    per_page: int = 10
    also_in: tuple[str, ...] = ()
    date_style: str = "iso"            # how the list shows dates, see render.DATE_STYLES
    charset: str = "utf-8"             # "utf-8", "gb2312", "gbk-declared-utf8", "gbk-undeclared"
    placeholder: bool = False          # shows "暂无信息" where the items would be
    hanweb_id: int | None = None       # Hanweb column id (/col/col{N}/)
    group: str = ""                    # breadcrumb parent shown between home and the column
    as_of: date = DEMO_AS_OF

    def expected(self, week: int) -> str:
        """The planted state in ``week``."""
        return self.expect if isinstance(self.expect, str) else self.expect[week - 1]

    @property
    def sites(self) -> tuple[str, ...]:
        """Every site this column is attributed to, owner first."""
        return (self.site, *self.also_in)

    @property
    def dir(self) -> str:
        """Directory of page 1 (``/jyj/tzgg/``)."""
        return self.path.rsplit("/", 1)[0] + "/"

    @property
    def unit_id(self) -> int | None:
        """Hanweb ``unitid`` of the list container (5000 + column id − 1000)."""
        return None if self.hanweb_id is None else self.hanweb_id + 4000

    def ordered(self) -> list[Item]:
        """Items in the order the list shows them: pinned first, then newest first, undated last."""
        def key(item: Item):
            return (not item.pinned, item.date is None, -(item.date.toordinal() if item.date else 0), -item.id)
        return sorted(self.items, key=key)

    def pages(self) -> list[list[Item]]:
        """Items split into list pages (at least one page, possibly empty)."""
        items = self.ordered()
        if not items:
            return [[]]
        return [items[i:i + self.per_page] for i in range(0, len(items), self.per_page)]

    @property
    def update_class(self) -> str:
        return update_class(self.name)

    @property
    def latest(self) -> date | None:
        dated = [i.date for i in self.items if i.date is not None]
        return max(dated) if dated else None

    @property
    def blank(self) -> bool:
        return not self.items or self.placeholder

    @property
    def stale(self) -> bool:
        """Stale per the brief: latest date before the class cutoff, or no dated item at all.

        A blank column is reported as blank, never as stale.
        """
        if self.blank:
            return False
        latest = self.latest
        return latest is None or latest < freshness_cutoff(self.update_class, self.as_of)

    @property
    def state(self) -> str:
        return BLANK if self.blank else STALE if self.stale else FRESH


@dataclass
class Site:
    """A section in the config's sense: one department's part of the portal, or its own site.

    ``host`` is "portal" or "site" (the second server). ``prefix`` is the path scope ("/jyj/"),
    empty for the portal and the department's own site. ``disclosure`` maps each of the four
    政府信息公开 items to the path its link points to, or ``None`` where the section lacks it.
    """
    id: str
    name: str
    department: str
    host: str
    prefix: str
    index_path: str
    cms: str                                   # "hanweb", "trs", "plain", "client"
    disclosure: dict[str, str | None] = field(default_factory=dict)
    guide: Item | None = None                  # the 政府信息公开指南 document, if any
    profile: str = ""                          # path of the section's 机构职能 page
    footer_omits: tuple[str, ...] = ()         # identity items its pages' footer leaves out (公安机关备案号 …)

    @property
    def missing(self) -> list[str]:
        """The 政府信息公开 items this section does not offer, in canonical order."""
        return [name for name in DISCLOSURE_ITEMS if not self.disclosure.get(name)]


@dataclass
class Portal:
    """The whole demo in one week: departments, sites and columns, with lookup helpers.

    ``fixed`` holds the keys of the plants the week's changes have fixed (they render their
    fixed form); ``added`` the URLs of the documents that appeared this week.
    """
    departments: list[Department]
    sites: list[Site]
    columns: list[Column]
    week: int = 1
    fixed: frozenset[str] = frozenset()
    added: frozenset[str] = frozenset()

    @property
    def as_of(self) -> date:
        return WEEKS[self.week]

    def department(self, dept_id: str) -> Department:
        return next(d for d in self.departments if d.id == dept_id)

    def site(self, site_id: str) -> Site:
        return next(s for s in self.sites if s.id == site_id)

    def columns_of(self, site_id: str) -> list[Column]:
        """Columns attributed to a site (joint columns included), in table order."""
        return [c for c in self.columns if site_id in c.sites]

    def owned_by(self, site_id: str) -> list[Column]:
        """Columns whose pages live under the site (joint columns only for their owner)."""
        return [c for c in self.columns if c.site == site_id]

    def hanweb(self, column_id: int) -> Column | None:
        return next((c for c in self.columns if c.hanweb_id == column_id), None)

    def hanweb_by_unit(self, unit_id: int) -> Column | None:
        return next((c for c in self.columns if c.unit_id == unit_id), None)


_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})?\s*(.+)$")


def items(block: str, attachments: dict[int, tuple[str, ...]] | None = None, pinned: tuple[int, ...] = ()) -> list[Item]:
    """Parse a text block of ``YYYY-MM-DD 标题`` lines (date optional) into items.

    ``attachments`` and ``pinned`` refer to 0-based line numbers of the block.
    """
    result = []
    lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
    for n, line in enumerate(lines):
        m = _LINE.match(line)
        assert m, line
        day = date.fromisoformat(m.group(1)) if m.group(1) else None
        result.append(Item(title=m.group(2).strip(), date=day,
                           attachments=(attachments or {}).get(n, ()), pinned=n in pinned))
    return result
