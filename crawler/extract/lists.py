"""Find the main list of a column page and read its entries.

Shapes (domain.md §2): plain <ul>/<ol>/<dl>/<div> lists, <table> rows, Hanweb jpage datastores
hidden in <script type="text/xml">, TRS WCM pages paginated by createPageHTML(), and lists
rendered client-side from a JavaScript array literal. The detection is generic: candidate
containers are scored by how many entries they hold that look like documents (dated, or with
a document-length title), and page chrome (header, nav, menus, footer, friend links) is ignored.
"""
from __future__ import annotations

import html
import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

import lxml.html
from lxml import etree

from .dates import date_from_url, date_only, find_date
from .html_util import (
    HiddenRules, absolute_url, base_url, collapse, el_classes, hidden_by_ancestry, hidden_rules,
)
from .jsliteral import assigned_arrays
from .model import Listing, ListEntry

MAX_PAGES = 200
#: Entries of a list item: one title link, maybe a category link and an icon link.
_MAX_ITEM_LINKS = 4
_CONTENT_TITLE_LEN = 8
PLACEHOLDER_RE = re.compile(
    r"暂无(?:相关)?(?:信息|内容|数据|记录|文章|文件|公告|资料)|没有(?:找到)?(?:相关)?(?:记录|信息|内容|数据)"
    r"|(?<![有])无记录|无相关(?:信息|记录|内容)")
_CHROME_EXACT = frozenset({"header", "foot", "footer", "nav", "menu", "copyright", "yqlj",
                           "flink", "friendlink", "topbar"})
#: Weak chrome words: "top-news" or "head-list" are content blocks, "top" alone is the header.
_CHROME_WEAK = frozenset({"top", "head", "bottom", "banner", "links"})
_CONTENT_TOKENS = frozenset({"news", "list", "lists", "con", "content", "article", "main", "xw",
                             "info", "doc", "wj", "gk", "xxgk", "tzgg", "zwgk", "item", "items"})
_CHROME_PREFIX = ("nav", "menu", "header", "footer", "friend", "copyright", "topnav", "topbar")
_CHROME_SUFFIX = ("nav", "menu", "header", "footer", "navbar")
_CHROME_TAGS = frozenset({"header", "footer", "nav", "select"})
_NAV_WORDS = re.compile(r"^(?:首页|上一页|上页|下一页|下页|后页|前页|尾页|末页|更多|more|next|prev|"
                        r"\d{1,3}|[<>«»›‹]+|返回|打印|关闭|收藏)\W*$", re.I)
_TRUNCATED = ("…", "...", "..", "．．．")
_BULLETS = "·•●○■□◆◇▪►▶>»-—*※ \u3000"
#: Badges CMSs glue in front of a title: "[置顶]", "【置顶】", "置顶：", "[new]", "【热】".
_BADGE = re.compile(r"^\s*(?:[\[【(（](?:置顶|顶|新|热|new|hot|top)[\]】)）]|置顶\s*[:：\s])\s*", re.I)
_DATE_EXCLUDED_COLUMNS = re.compile(r"成文|印发|发文|生效|施行|废止|索引|文号|编号")
_DATE_PREFERRED_COLUMNS = re.compile(r"发布|公开|日期|时间")
_LIST_ARRAY_NAME = re.compile(r"item|list|data|news|info|article|doc|record|row|result", re.I)
_URL_EXT = re.compile(r"\.(?:s?html?|jhtml|jsp|php|aspx?|do)(?:[?#]|$)", re.I)
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|bmp|webp|svg|ico|css|js)(?:[?#]|$)", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NEXT_WORDS = frozenset({"下一页", "下页", "后页", "next", "nextpage"})
_NEXT_SYMBOLS = frozenset({">", "›", "＞"})
_TIME_KEY = re.compile(r"time|date|pd|pub|day|ts$|created|updated", re.I)
_TITLE_KEY = re.compile(r"title|^bt$|biaoti|subject", re.I)


@dataclass
class ListAnalysis:
    """Everything the page extractor needs from list detection."""
    listing: Listing | None = None
    container: object | None = None          # lxml element holding the main HTML list
    blocks: list = field(default_factory=list)  # (container, entries) of every candidate list


# ---------------------------------------------------------------- entries

def _anchors(el, limit: int = _MAX_ITEM_LINKS + 1) -> list:
    found = []
    for a in el.iter("a"):
        if a.get("href") and not a.get("href").strip().lower().startswith(("javascript", "#")):
            found.append(a)
            if len(found) >= limit:
                break
    return found


def anchor_title(a) -> str:
    """Anchor text, or its title attribute when the text is truncated or empty.

    A leading pin/new badge ("[置顶]") is page decoration, not part of the document's name.
    """
    text = _BADGE.sub("", collapse(a.text_content()).lstrip(_BULLETS))
    title = collapse(a.get("title"))
    if title and (not text or text.endswith(_TRUNCATED)):
        return title
    if not text:
        img = next(a.iter("img"), None)
        text = collapse(img.get("alt")) if img is not None else ""
    return text


def _text_outside(item, anchor) -> str:
    """Text of item without the text of anchor (and its descendants)."""
    parts = [item.text or ""]
    for child in item:
        if child is anchor:
            pass
        elif any(d is anchor for d in child.iter("a")):
            parts.append(_text_outside(child, anchor))
        elif isinstance(child.tag, str) and child.tag not in ("script", "style"):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return " ".join(parts)


def _date_leaf(root, ref: date, skip=None):
    """First descendant element (outside `skip`) whose whole text is a date → (hit, raw, el)."""
    for el in root.iter():
        if el is root or not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        if skip is not None and (el is skip or any(d is skip for d in el.iter("a"))
                                 or any(p is skip for p in el.iterancestors())):
            continue
        text = el.text_content()
        if len(text) <= 60:
            hit = date_only(text, ref)
            if hit:
                return hit, collapse(text), el
    return None


def _set_date(entry: ListEntry, hit, raw: str) -> None:
    entry.date = hit[0]
    entry.date_source = "list" if hit[1] == "absolute" else "relative"
    entry.raw_date = raw


def _acceptable(text: str, hit) -> bool:
    """Relative words must stand alone: "[今日关注]" or "昨日青州" are labels, not dates."""
    start, end = hit[2]
    if hit[1] == "absolute" or text[start:start + 1].isdigit():
        return True
    around = text[start - 1:start] + text[end:end + 1]
    return not _CJK.search(around)


def _scope_date(entry: ListEntry, scope, anchor, ref: date) -> bool:
    """Date from the text around the anchor: a date-only element first, then any date."""
    leaf = _date_leaf(scope, ref, skip=anchor)
    if leaf:
        _set_date(entry, leaf[0], leaf[1])
        return True
    rest = collapse(_text_outside(scope, anchor))
    hit = find_date(rest, ref) if rest else None
    if hit and _acceptable(rest, hit):
        _set_date(entry, hit[:2], rest[hit[2][0]:hit[2][1]].strip())
        return True
    return False


def _item_date(entry: ListEntry, item, anchor, ref: date, date_cells=(), scope=None) -> None:
    """Fill entry's date: date cells, text around the anchor, inside the anchor, next sibling,
    and finally the URL."""
    for cell in date_cells:
        hit = date_only(cell.text_content(), ref)
        if hit:
            return _set_date(entry, hit, collapse(cell.text_content()))
    if _scope_date(entry, item if scope is None else scope, anchor, ref):
        return
    inner = _date_leaf(anchor, ref)
    if inner:
        _set_date(entry, inner[0], inner[1])
        entry.title = collapse(entry.title.replace(inner[1], " ")).lstrip(_BULLETS) or entry.title
        return
    sibling = item.getnext()
    if sibling is not None and isinstance(sibling.tag, str) and not _anchors(sibling, 1):
        hit = date_only(sibling.text_content(), ref)
        if hit:
            return _set_date(entry, hit, collapse(sibling.text_content()))
    from_url = date_from_url(entry.url)
    if from_url:
        entry.date, entry.date_source, entry.raw_date = from_url, "url", None


def entry_from_item(item, base: str, ref: date, date_cells=(),
                    anchor_cell=None) -> ListEntry | None:
    """One list entry from an item element (li, tr, div …), or None if it is not one.

    For table rows, `date_cells` are the candidate date cells (best first) and `anchor_cell`
    the cell holding the title link.
    """
    anchors = _anchors(anchor_cell if anchor_cell is not None else item)
    if not anchors or len(anchors) > _MAX_ITEM_LINKS:
        return None
    titled = [(anchor_title(a), a) for a in anchors]
    title, anchor = max(titled, key=lambda ta: len(ta[0]))
    url = absolute_url(base, anchor.get("href"))
    if not url or not title or _NAV_WORDS.match(title):
        return None
    entry = ListEntry(title=title, url=url)
    _item_date(entry, item, anchor, ref, date_cells, anchor_cell)
    return entry


def _flat_entries(container, base: str, ref: date) -> list[ListEntry]:
    """Entries of a container whose children are the anchors (`<a/><span>date</span><br>`)."""
    entries = []
    for a in container:
        if a.tag != "a" or not a.get("href"):
            continue
        title, url = anchor_title(a), absolute_url(base, a.get("href"))
        if not url or not title or _NAV_WORDS.match(title):
            continue
        entry = ListEntry(title=title, url=url)
        following = [a.tail or ""]
        for sib in a.itersiblings():
            if sib.tag == "a":
                break
            if isinstance(sib.tag, str):
                following.append(sib.text_content())
            following.append(sib.tail or "")
        rest = collapse(" ".join(following))
        hit = find_date(rest, ref) if rest else None
        if hit and _acceptable(rest, hit):
            _set_date(entry, hit[:2], rest[hit[2][0]:hit[2][1]].strip())
        elif date_from_url(url):
            entry.date, entry.date_source = date_from_url(url), "url"
        entries.append(entry)
    return entries


# ---------------------------------------------------------------- tables

def _rows(table) -> list:
    return [r for r in table.iterchildren() if r.tag == "tr"] + [
        r for sec in table.iterchildren() if sec.tag in ("tbody", "thead", "tfoot")
        for r in sec.iterchildren() if r.tag == "tr"]


_TITLE_COLUMNS = re.compile(r"标题|名称|题名|文件名|主题")


def _title_cell(anchor_cells: list, cells: list, labels: dict[int, str]):
    """The cell holding the document's name among a row's linked cells.

    目录 tables often link the 索引号 cell too; the name is the cell under a 标题/名称 header,
    else the one with the most Chinese text (an index number is as long but has none).
    """
    if len(anchor_cells) == 1:
        return anchor_cells[0]
    for cell in anchor_cells:
        if _TITLE_COLUMNS.search(labels.get(cells.index(cell), "")):
            return cell
    return max(anchor_cells, key=lambda c: (len(_CJK.findall(c.text_content())),
                                            len(collapse(c.text_content()))))


def _table_entries(table, base: str, ref: date) -> list[ListEntry]:
    """Entries of a table: one per row with a link; the date cell chosen by column header.

    A link-less row reading only "2025年" is a separator: it dates the MM-DD rows below it.
    """
    rows = _rows(table)
    labels: dict[int, str] = {}
    entries = []
    years = _YearContext(table, ref)
    for row in rows:
        cells = [c for c in row.iterchildren() if c.tag in ("td", "th")]
        if not _anchors(row, 1):
            if years.separator(row):
                continue
            if not labels and any(collapse(c.text_content()) for c in cells):
                labels = {i: collapse(c.text_content()) for i, c in enumerate(cells)}
            continue
        anchor_cells = [c for c in cells if _anchors(c, 1)]
        if len(anchor_cells) != 1 and len(_anchors(row)) > _MAX_ITEM_LINKS:
            continue
        main = _title_cell(anchor_cells, cells, labels) if anchor_cells else row
        others = [(i, c) for i, c in enumerate(cells) if c is not main
                  and not _DATE_EXCLUDED_COLUMNS.search(labels.get(i, ""))]
        others.sort(key=lambda ic: not _DATE_PREFERRED_COLUMNS.search(labels.get(ic[0], "")))
        entry = entry_from_item(row, base, ref, date_cells=[c for _, c in others],
                                anchor_cell=main)
        if entry is not None:
            entries.append(years.apply(entry))
    return entries


# ---------------------------------------------------------------- containers

def _chrome_token(token: str) -> bool:
    return (token in _CHROME_EXACT or token.startswith(_CHROME_PREFIX)
            or token.endswith(_CHROME_SUFFIX))


def is_chrome(el, memo: dict | None = None, own: "_OwnChrome | None" = None) -> bool:
    """Whether el sits in page chrome: header, nav, menu, footer, copyright, friend links.

    `memo` caches this answer per element; `own` (an _OwnChrome of the page) that of _own_chrome."""
    own_chrome = _own_chrome if own is None else own
    chain = []
    node = el
    result = False
    while node is not None:
        if memo is not None and node in memo:
            result = memo[node]
            break
        chain.append(node)
        if isinstance(node.tag, str) and own_chrome(node):
            result = True
            break
        node = node.getparent()
    if memo is not None:
        for n in chain:
            memo[n] = result
    return result


class _OwnChrome:
    """_own_chrome for the elements of one page, memoised. The 友情链接 heading test is skipped
    on a page whose text never says 友情链接 (the test reads text inside the page only)."""

    def __init__(self, root):
        self.friend_links = _FRIEND_LINKS in root.getroottree().getroot().text_content()
        self.memo: dict = {}

    def __call__(self, el) -> bool:
        chrome = self.memo.get(el)
        if chrome is None:
            chrome = self.memo[el] = _own_chrome(el, self.friend_links)
        return chrome


_FRIEND_LINKS = "友情链接"


def _own_chrome(el, friend_links: bool = True) -> bool:
    if el.tag in _CHROME_TAGS or _chrome_names(el_classes(el)):
        return True
    if friend_links and el.tag in ("ul", "ol", "dl", "table", "div", "td"):
        prev = el.getprevious()
        head = collapse(prev.text_content())[:12] if prev is not None and isinstance(
            prev.tag, str) else ""
        return _FRIEND_LINKS in head or _FRIEND_LINKS in collapse(el.text or "")[:12]
    return False


@lru_cache(maxsize=8192)
def _chrome_names(classes: str) -> bool:
    """Whether an "id class" string (el_classes) names page chrome."""
    tokens = [t for t in re.split(r"[^a-z0-9]+", classes) if t]
    if any(_chrome_token(t) for t in tokens):
        return True
    return any(t in _CHROME_WEAK for t in tokens) and not any(t in _CONTENT_TOKENS for t in tokens)


def _items_of(el):
    """(kind, items) of a candidate container: "table", "flat", or item children."""
    tag = el.tag
    if tag == "table":
        return "table", None
    children = [c for c in el if isinstance(c.tag, str)
                and c.tag not in ("br", "hr", "script", "style", "img")]
    if tag in ("ul", "ol"):
        return "items", [c for c in children if c.tag in ("li", "div", "p")]
    if tag == "dl":
        return "items", [c for c in children if c.tag in ("dt", "dd", "div")]
    if tag in ("a", "p", "li", "span", "font", "em", "b", "strong", "i", "h1", "h2", "h3",
               "h4", "h5", "h6", "tr", "select", "option", "head", "script", "style"):
        return None, None
    if sum(1 for c in children if c.tag == "a") >= 2:
        return "flat", None
    counts: dict[str, int] = {}
    for c in children:
        counts[c.tag] = counts.get(c.tag, 0) + 1
    if not counts:
        return None, None
    common, n = max(counts.items(), key=lambda kv: kv[1])
    if n < 2 or common not in ("div", "p", "li", "dd", "dt", "dl", "table", "section", "article",
                               "span", "h3", "h4", "h5", "em", "font"):
        return None, None
    return "items", [c for c in children if c.tag == common]


def _entries_of(el, base: str, ref: date) -> list[ListEntry]:
    kind, items = _items_of(el)
    if kind == "table":
        return _table_entries(el, base, ref)
    if kind == "flat":
        return _flat_entries(el, base, ref)
    if kind == "items":
        years = _YearContext(el, ref)
        entries = []
        for item in items:
            entry = entry_from_item(item, base, ref)
            if entry is not None:
                entries.append(years.apply(entry))
            else:
                years.separator(item)
        return entries
    return []


# ---------------------------------------------------------------- year context

_YEAR_HEADING = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年度?|年\s*\d{1,2}\s*月份?)?\s*[:：]?\s*$")
#: A four-digit year in a raw date; a date without one takes its year from the crawl date.
HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


class _YearContext:
    """The year a list states once for its MM-DD dates: a "2025年" separator row/item inside it,
    or a heading that reads only "2025年" just before it (year archive pages).

    Without it "[03-05]" is read as the most recent 3 March, which is wrong for every
    item of an older year's group. A stated year is only used when the date it gives is
    not in the future.
    """

    def __init__(self, container, ref: date):
        self.container, self.ref = container, ref
        self.year: int | None = None
        self.heading: int | None = None
        self.looked_up = False

    def separator(self, el) -> bool:
        """Take el's year if el is a year separator; whether it was one."""
        text = el.text_content()
        m = _YEAR_HEADING.match(text) if len(text) <= 40 else None
        if m:
            self.year = int(m.group(1))
        return m is not None

    def _heading_year(self) -> int | None:
        if not self.looked_up:
            self.heading, self.looked_up = _year_before(self.container), True
        return self.heading

    def apply(self, entry: ListEntry) -> ListEntry:
        raw = entry.raw_date or ""
        if entry.date is None or entry.date_source != "list" or HAS_YEAR.search(raw):
            return entry
        year = self.year or self._heading_year()
        if year and year != entry.date.year:
            try:
                stated = entry.date.replace(year=year)
            except ValueError:
                return entry
            if stated <= self.ref + timedelta(days=1):
                entry.date = stated
        return entry


def _year_before(el) -> int | None:
    """Year of a "2025年"-only heading among the few elements just before el (or its parents)."""
    node = el
    for _ in range(3):
        if node is None or node.tag in ("body", "html"):
            return None
        for sib in list(node.itersiblings(preceding=True))[:3]:
            if not isinstance(sib.tag, str) or sib.tag in ("script", "style"):
                continue
            text = sib.text_content()
            m = _YEAR_HEADING.match(text) if len(text) <= 40 else None
            if m:
                return int(m.group(1))
            if _anchors(sib, 1):
                return None
        node = node.getparent()
    return None


def _good(entry: ListEntry) -> bool:
    return entry.date is not None or len(entry.title) >= _CONTENT_TITLE_LEN


def _score(entries: list[ListEntry]) -> int:
    return sum(2 if e.date_source in ("list", "relative") else 1 for e in entries if _good(e))


def _qualifies(entries: list[ListEntry]) -> bool:
    good = [e for e in entries if _good(e)]
    return len(good) >= 2 or any(e.date_source in ("list", "relative") for e in good)


#: Containers that are lists by markup: one dated item in one of them is a one-item column.
_LIST_TAGS = frozenset({"ul", "ol", "dl", "table"})


def candidate_blocks(doc, base: str, ref: date, rules: HiddenRules | None = None,
                     page_url: str | None = None) -> list[tuple[object, list[ListEntry]]]:
    """Every visible, non-chrome container that holds a plausible list, in document order.

    Hidden containers are skipped: a planted block of spam links must never become the list.
    `page_url` (default: base) lets a menu be recognised by its link to the page itself.
    """
    rules = hidden_rules(doc) if rules is None else rules
    page_url = page_url or base
    body = next(doc.iter("body"), doc)
    counts = _link_counts(body)
    memo: dict = {}
    own = _OwnChrome(body)
    blocks = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("body", "html"):
            continue
        links = counts.get(el, 0)
        if links < 2 and not (links == 1 and el.tag in _LIST_TAGS):
            continue
        # Chrome first: reading the entries of every menu and footer box is most of the cost.
        if is_chrome(el, memo, own) or _spans_chrome(el, own):
            continue
        entries = _entries_of(el, base, ref)
        if links == 1 and not any(e.date_source == "list" for e in entries):
            continue   # a lone undated link in a <ul> is a menu item, not a one-item column
        if entries and _qualifies(entries) and not _navigation(entries, page_url) \
                and not hidden_by_ancestry(el, rules):
            blocks.append((el, entries))
    return blocks


def _link_counts(root) -> dict:
    """Element → number of followable links (see _anchors) in it, itself included: one pass
    over the links instead of a search under every element."""
    counts: dict = {}
    for a in root.iter("a"):
        href = a.get("href")
        if not href or href.strip().lower().startswith(("javascript", "#")):
            continue
        node = a
        while node is not None:
            counts[node] = counts.get(node, 0) + 1
            node = node.getparent()
    return counts


def _spans_chrome(el, own: _OwnChrome) -> bool:
    """A container with a header/nav/footer among its children is the page skeleton, not a list."""
    return any(isinstance(child.tag, str) and own(child) for child in el)


_COLUMN_URL = re.compile(r"(?:/|/index(?:_\d+)?\.s?html?|/col/col\d+/?(?:index\.html)?"
                         r"|/(?:list|channel|column|lanmu)[\w-]*\.(?:s?html?|jsp|aspx?|php|do))$", re.I)
_INDEX_FILE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|aspx?|php)$", re.I)


def page_key(url: str) -> str:
    """A URL without scheme, index/default file name and trailing slash, to compare pages."""
    parts = urlsplit(url)
    path = _INDEX_FILE.sub("/", parts.path or "/").rstrip("/")
    return f"{parts.netloc.lower()}{path}?{parts.query}"


def _navigation(entries: list[ListEntry], page_url: str | None = None) -> bool:
    """Links to other columns (a side menu), not a column's items: nearly all undated, and
    mostly pointing at column index pages or including a link to this very page (a menu of
    sibling columns always lists the current one; a column's items never link back to it)."""
    undated = sum(1 for e in entries if e.date is None)
    if undated < 0.8 * len(entries):
        return False
    to_columns = sum(1 for e in entries if _COLUMN_URL.search(urlsplit(e.url).path or "/"))
    if to_columns >= 0.5 * len(entries):
        return True
    own = page_key(page_url) if page_url else None
    return own is not None and any(page_key(e.url) == own for e in entries)


_EMPTY_LIST_TOKEN = re.compile(r"(?:^|[^a-z])(?:list|lists|news|infolist|lb|liebiao|xxgk|con_?list|items?)(?:$|[^a-z])")


def find_empty_list(doc, rules: HiddenRules | None = None) -> object | None:
    """A visible, list-named container in the content area with nothing in it (an empty column
    whose template still draws the list): `<ul class="list"></ul>`."""
    rules = hidden_rules(doc) if rules is None else rules
    memo: dict = {}
    for el in doc.iter("ul", "ol", "table", "div", "tbody"):
        if len(el) or collapse(el.text_content()):
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if _EMPTY_LIST_TOKEN.search(names) and not is_chrome(el, memo) and not hidden_by_ancestry(el, rules):
            return el
    return None


def _dedupe(entries: list[ListEntry]) -> list[ListEntry]:
    seen: set[str] = set()
    out = []
    for e in entries:
        if e.url not in seen:
            seen.add(e.url)
            out.append(e)
    return out


_PAGER_TEXT = re.compile(r"共\s*\d+\s*[条页]|页次|第?\s*\d+\s*/\s*\d+\s*页")
_PAGER_WORDS = frozenset({"下一页", "下页", "尾页", "末页", "上一页", "上页"})
_MORE = re.compile(r"更多|^\s*more\b|^\s*\+\s*$", re.I)


def _pager_ancestors(doc) -> set:
    """Ancestors of the page's pagination widgets (下一页/尾页 links, "共N条", createPageHTML)."""
    found = [a for a in doc.iter("a")
             if collapse(a.text_content()).replace(" ", "").strip("<>《》«»") in _PAGER_WORDS]
    found += [s for s in doc.iter("script") if s.text and "createPageHTML" in s.text]
    for text in doc.xpath("//body//text()[contains(., '共') or contains(., '页')]"):
        if len(text) <= 80 and _PAGER_TEXT.search(text) and text.getparent() is not None:
            found.append(text.getparent())
    return {anc for el in found for anc in el.iterancestors()}


def _climb(el, levels: int):
    """Up to `levels` ancestors of el, stopping below <body>."""
    node = el
    for _ in range(levels):
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            return
        yield node


def _pager_distance(el, pagers: set) -> int:
    """Levels from el up to the nearest element that also holds the pagination (99: none)."""
    return next((i for i, anc in enumerate(itertools.chain([el], _climb(el, 4)))
                 if anc in pagers), 99)


def _has_more_link(el, shared: dict) -> bool:
    """A "更多/more" link in the block's own box (not in a box shared with other blocks)."""
    for anc in _climb(el, 2):
        if shared.get(anc, 0) > 1:
            return False
        for a in anc.iter("a"):
            img = next(a.iter("img"), None)
            label = collapse(a.text_content()) + " " + (a.get("title") or "") + " " + (
                "" if img is None else (img.get("alt") or "") + (img.get("src") or ""))
            if _MORE.search(label.strip()) or (img is not None and "more" in label.lower()):
                return True
    return False


_SIDE_HEADING = re.compile(r"热点|热门|排行|推荐|相关|猜你|精选|浏览最多|点击最多")
_SIDE_TOKENS = frozenset({"side", "sidebar", "aside", "sidebox", "hot", "rank", "ranking",
                          "tuijian", "xgwz", "xglj", "related"})


def _side_box(el) -> bool:
    """A box in the page's margin: an <aside>/"side…" container, or a box headed 热点推荐,
    阅读排行, 相关文章 … (the names every CMS gives these boxes)."""
    for node in itertools.chain([el], _climb(el, 3)):
        tokens = set(re.split(r"[^a-z0-9]+", el_classes(node)))
        if node.tag == "aside" or tokens & _SIDE_TOKENS:
            return True
    for node in itertools.chain([el], _climb(el, 1)):
        for sib in list(node.itersiblings(preceding=True))[:2]:
            if isinstance(sib.tag, str) and sib.tag not in ("script", "style"):
                text = collapse(sib.text_content())
                if len(text) <= 20 and _SIDE_HEADING.search(text):
                    return True
    return False


def _local_share(entries: list[ListEntry], page_url: str) -> float:
    """Share of entries under the page's own directory (0 when the page sits at the root)."""
    parts = urlsplit(page_url)
    folder = parts.path.rsplit("/", 1)[0] + "/"
    if folder == "/" or not entries:
        return 0.0
    targets = [urlsplit(e.url) for e in entries]
    inside = sum(1 for t in targets if t.netloc == parts.netloc and t.path.startswith(folder))
    return inside / len(entries)


def _rank_blocks(blocks, doc, page_url: str) -> list[float]:
    """Score of each block as the column's own list.

    Side boxes (热点推荐, 阅读排行, 相关文章) are often longer and as well dated as the column's
    list. What tells them apart on any site: the column's list sits next to the pagination,
    links into the column's own directory, and has no "更多" link of its own; the side box
    is named like one (heading or container class).
    """
    pagers = _pager_ancestors(doc) if len(blocks) > 1 else set()
    distances = [_pager_distance(el, pagers) for el, _ in blocks]
    nearest = min(distances, default=99)
    shared: dict = {}
    for el, _ in blocks:
        for anc in _climb(el, 2):
            shared[anc] = shared.get(anc, 0) + 1
    ranks = []
    for (el, entries), distance in zip(blocks, distances):
        rank = float(_score(entries))
        if len(blocks) > 1:
            rank *= 2 if nearest < 99 and distance == nearest else 1
            rank *= 2 if _local_share(entries, page_url) >= 0.5 else 1
            rank /= 2 if _has_more_link(el, shared) else 1
            rank /= 2 if _side_box(el) else 1
        ranks.append(rank)
    return ranks


def _best_block(blocks, doc=None, page_url: str = ""):
    """The main list: highest rank (see _rank_blocks); same-tag same-class sibling blocks are
    merged into it."""
    if not blocks:
        return None, []
    ranks = _rank_blocks(blocks, doc, page_url) if doc is not None else [
        float(_score(es)) for _, es in blocks]
    best, entries = blocks[max(range(len(blocks)), key=lambda i: (ranks[i], -i))]
    parent = best.getparent()
    if parent is not None:
        siblings = [(el, es) for el, es in blocks if el.getparent() is parent
                    and el.tag == best.tag and el.get("class") == best.get("class")]
        if len(siblings) > 1:
            entries = [e for _, es in siblings for e in es]
    return best, _dedupe(entries)


# ---------------------------------------------------------------- Hanweb jpage datastore

_RECORD = re.compile(r"<record\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</nextgroup>",
                        re.S | re.I)
_TOTAL_TAG = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_JS_NUMBER = r"""['"]?\s*[:=]\s*['"]?(\d+)"""      # key may be quoted: "totalRecord": 87
_TOTAL_JS = re.compile(r"\btotalRecord" + _JS_NUMBER, re.I)
_PER_PAGE_JS = re.compile(r"\bperPage" + _JS_NUMBER, re.I)
_PROXY_JS = re.compile(r"""\bproxyUrl['"]?\s*[:=]\s*['"]([^'"]+)['"]""", re.I)
_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.I)
_PAGING_PARAMS = frozenset({"page", "startrecord", "endrecord", "perpage"})
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"


def records_of(text: str) -> list[str]:
    """HTML fragments of the <record> elements of a Hanweb datastore (CDATA or escaped)."""
    out = []
    for m in _RECORD.finditer(text):
        out.append(m.group(1) if m.group(1) is not None else html.unescape(m.group(2) or ""))
    return out


def _record_listing(records: list[str], base: str, ref: date) -> Listing:
    """Entries (or a placeholder) from Hanweb record HTML fragments."""
    entries: list[ListEntry] = []
    placeholder = False
    for record in records:
        if not record.strip():
            continue
        try:
            wrapper = lxml.html.fragment_fromstring(record, create_parent="div")
        except (etree.ParserError, ValueError):
            continue
        items = [el for el in wrapper.iter("li", "tr")] or [wrapper]
        found = [e for e in (entry_from_item(i, base, ref) for i in items) if e]
        if not found and PLACEHOLDER_RE.search(wrapper.text_content()):
            placeholder = True
        entries.extend(found)
    return Listing(shape="hanweb_datastore", entries=_dedupe(entries),
                   placeholder=placeholder and not entries)


def parse_datastore_xml(text: str, url: str, ref: date) -> Listing:
    """A Hanweb dataproxy.jsp response (`<datastore>…<record><![CDATA[<li>…]]>`).

    Read with regexes over the CDATA sections, never with an XML parser, so a hostile DOCTYPE
    cannot expand entities or reach the network.
    """
    listing = _record_listing(records_of(text), url, ref)
    total = _TOTAL_TAG.search(text)
    listing.total_records = int(total.group(1)) if total else None
    return listing


def _hanweb_next_pages(script_text: str, all_scripts: str, base: str, n_records: int,
                       total: int | None) -> list[str]:
    """GET URLs of the dataproxy for the pages not already embedded in the datastore."""
    per_page = _PER_PAGE_JS.search(all_scripts)
    nextgroup = _NEXTGROUP.search(script_text)
    if not total or not per_page or int(per_page.group(1)) <= 0:
        return []
    per = int(per_page.group(1))
    href_m = _HREF.search((nextgroup.group(1) or nextgroup.group(2) or "")) if nextgroup else None
    href = html.unescape(href_m.group(1)) if href_m else DEFAULT_PROXY
    proxy = _PROXY_JS.search(all_scripts)
    proxy_url = urljoin(base, proxy.group(1) if proxy else urlsplit(href).path or DEFAULT_PROXY)
    params = [(k, v) for k, v in parse_qsl(urlsplit(href).query, keep_blank_values=True)
              if k.lower() not in _PAGING_PARAMS]
    pages = min(math.ceil(total / per), MAX_PAGES)
    first = max(2, n_records // per + 1)
    urls = []
    for page in range(first, pages + 1):
        query = [("startrecord", str((page - 1) * per + 1)), ("endrecord", str(page * per)),
                 ("perpage", str(per))] + params
        urls.append(proxy_url.split("?")[0] + "?" + urlencode(query, safe="/", quote_via=quote))
    return urls


def _hanweb(scripts: list[str], base: str, ref: date) -> Listing | None:
    all_scripts = "\n".join(scripts)
    for text in scripts:
        if "<datastore" not in text.lower():
            continue
        records = records_of(text)
        listing = _record_listing(records, base, ref)
        total = _TOTAL_JS.search(all_scripts) or _TOTAL_TAG.search(text)
        listing.total_records = int(total.group(1)) if total else None
        listing.next_pages = _hanweb_next_pages(text, all_scripts, base, len(records),
                                                listing.total_records)
        return listing
    return None


# ---------------------------------------------------------------- TRS createPageHTML

_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^()]*)\)")


def _js_arg(arg: str, scripts: str):
    """A createPageHTML argument: int, str, or a variable resolved from `var name = N`."""
    arg = arg.strip()
    if re.fullmatch(r"-?\d+", arg):
        return int(arg)
    if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "\"'":
        return arg[1:-1]
    if re.fullmatch(r"[A-Za-z_$][\w$]*", arg):
        m = re.search(rf"\b{re.escape(arg)}\s*=\s*(?:parseInt\()?\s*['\"]?(-?\d+)", scripts)
        return int(m.group(1)) if m else None
    return None


def _createpagehtml(scripts: list[str], base: str, url: str) -> Listing | None:
    """A TRS WCM page: createPageHTML(count, current, "index", "html"[, total]).

    Also accepts the newer form with a leading container id. Next pages are only listed from
    page 0, which enumerates them all.
    """
    all_scripts = "\n".join(scripts)
    for m in _CREATE_PAGE.finditer(all_scripts):
        args = [_js_arg(a, all_scripts) for a in m.group(1).split(",")]
        if args and isinstance(args[0], str) and len(args) >= 5 and isinstance(args[1], int):
            args = args[1:]
        if len(args) < 4 or not isinstance(args[0], int) or not isinstance(args[1], int) \
                or not isinstance(args[2], str) or not isinstance(args[3], str):
            continue
        count, current, prefix, ext = args[:4]
        total = args[4] if len(args) > 4 and isinstance(args[4], int) else None
        listing = Listing(shape="trs_createpagehtml", total_records=total)
        own_name = urlsplit(url).path.rsplit("/", 1)[-1]
        if current == 0 and not re.fullmatch(rf"{re.escape(prefix)}_\d+\.{re.escape(ext)}",
                                             own_name):
            listing.next_pages = [urljoin(base, f"{prefix}_{i}.{ext}")
                                  for i in range(1, min(count, MAX_PAGES))]
        return listing
    return None


# ---------------------------------------------------------------- script arrays

_CHINA_TZ = timezone(timedelta(hours=8))


def _timestamp_date(value) -> date | None:
    """Epoch seconds or milliseconds (10/13 digits) → calendar date in China (UTC+8)."""
    text = str(int(value)) if isinstance(value, (int, float)) else str(value).strip()
    if not re.fullmatch(r"\d{10}|\d{13}", text):
        return None
    seconds = int(text) / (1000 if len(text) == 13 else 1)
    try:
        return datetime.fromtimestamp(seconds, tz=_CHINA_TZ).date()
    except (OverflowError, OSError, ValueError):
        return None


def _flatten(obj: dict, depth: int = 0) -> dict:
    out = {}
    for k, v in obj.items():
        if isinstance(v, dict) and depth < 1:
            out.update({f"{k}.{k2}": v2 for k2, v2 in _flatten(v, depth + 1).items()})
        elif isinstance(v, (str, int, float)) and not isinstance(v, bool):
            out[k] = v
    return out


def _url_score(value: str) -> int:
    v = value.strip()
    if not v or " " in v or len(v) > 500 or _IMAGE_EXT.search(v) or _CJK.search(v):
        return 0
    score = 2 if _URL_EXT.search(v) else 0
    if v.startswith(("http://", "https://", "/", "./", "../")):
        score += 1
    return score


def _object_entry(obj: dict, base: str, ref: date) -> ListEntry | None:
    """A list entry from one JS object: find its URL, date and title values by their look."""
    values = _flatten(obj)
    urls = sorted(((_url_score(v), k) for k, v in values.items() if isinstance(v, str)),
                  reverse=True)
    if not urls or urls[0][0] == 0:
        return None
    url_key = urls[0][1]
    url = absolute_url(base, values[url_key])
    date_key, hit = None, None
    for k, v in values.items():
        if k == url_key:
            continue
        found = date_only(v, ref) if isinstance(v, str) else None
        stamp = None if found or not _TIME_KEY.search(k) else _timestamp_date(v)
        if found or stamp:
            date_key, hit = k, found or (stamp, "absolute")
            break
    texts = [(k, v.strip()) for k, v in values.items()
             if isinstance(v, str) and k not in (url_key, date_key) and v.strip()]
    cjk = [t for _, t in texts if _CJK.search(t)]
    named = [t for k, t in texts if _CJK.search(t) and _TITLE_KEY.search(k.rsplit(".", 1)[-1])]
    title = collapse(max(named or cjk or [t for _, t in texts if len(t) >= 4] or [""], key=len))
    if not url or not title:
        return None
    entry = ListEntry(title=title, url=url)
    if hit:
        _set_date(entry, hit, str(values[date_key]))
    elif date_from_url(url):
        entry.date, entry.date_source = date_from_url(url), "url"
    return entry


def _script_array(scripts: list[str], base: str, ref: date) -> tuple[list[ListEntry], bool]:
    """Entries of the best JS array of objects; and whether a list-named array was empty."""
    best: list[ListEntry] = []
    empty_list = False
    for text in scripts:
        if "[" not in text:
            continue
        for name, array in assigned_arrays(text):
            if not array:
                empty_list = empty_list or bool(_LIST_ARRAY_NAME.search(name))
                continue
            objects = [o for o in array if isinstance(o, dict)]
            entries = [e for e in (_object_entry(o, base, ref) for o in objects) if e]
            if len(entries) > len(best):
                best = entries
    return _dedupe(best), empty_list


# ---------------------------------------------------------------- pagination, placeholders

def _next_links(doc, base: str, url: str) -> list[str]:
    """Ordinary "下一页" pagination links on the same host."""
    host = urlsplit(url).netloc.lower()
    out: list[str] = []
    for a in doc.iter("a"):
        text = collapse(a.text_content()) or collapse(a.get("title"))
        key = text.replace(" ", "").lower()
        if key not in _NEXT_SYMBOLS and key.rstrip(">》»›＞") not in _NEXT_WORDS:
            continue
        target = absolute_url(base, a.get("href"))
        if target and urlsplit(target).netloc.lower() == host and target != url \
                and target not in out:
            out.append(target)
    return out


def find_placeholder(doc, rules: HiddenRules | None = None) -> object | None:
    """The visible element showing a "暂无信息"-style text in the content area, if any."""
    rules = hidden_rules(doc) if rules is None else rules
    memo: dict = {}
    for text in doc.xpath("//body//text()[contains(., '暂无') or contains(., '记录')"
                          " or contains(., '没有') or contains(., '无相关')]"):
        parent = text.getparent()
        if parent is None or parent.tag in ("script", "style", "title", "option", "textarea"):
            continue
        if len(text.strip()) <= 40 and PLACEHOLDER_RE.search(text) \
                and not is_chrome(parent, memo) and not hidden_by_ancestry(parent, rules):
            return parent
    return None


def _scripts(doc) -> list[str]:
    return [s.text for s in doc.iter("script") if s.text and not s.get("src")]


_TOTAL_TEXT = re.compile(r"共\s*(\d{1,7})\s*条")


def _total_from_text(doc) -> int | None:
    body = next(doc.iter("body"), None)
    m = _TOTAL_TEXT.search(body.text_content()) if body is not None else None
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------- public

def analyze(doc, url: str, ref: date, rules: HiddenRules | None = None) -> ListAnalysis:
    """Detect the page's main list (see extract_listing) and keep the candidate blocks."""
    rules = hidden_rules(doc) if rules is None else rules
    base = base_url(doc, url)
    scripts = _scripts(doc)
    hanweb = _hanweb(scripts, base, ref)
    if hanweb is not None:
        return ListAnalysis(listing=hanweb)
    blocks = candidate_blocks(doc, base, ref, rules, page_url=url)
    container, entries = _best_block(blocks, doc, url)
    script_entries, empty_array = _script_array(scripts, base, ref)
    trs = _createpagehtml(scripts, base, url)
    shape = None
    if container is not None:
        shape = "table" if container.tag == "table" else "html_list"
    if script_entries and len(script_entries) >= len([e for e in entries if _good(e)]):
        container, entries, shape = None, script_entries, "script_array"
    listing = trs or (Listing(shape=shape) if shape else None)
    if listing is not None:
        listing.entries = entries
        for link in _next_links(doc, base, url):
            if link not in listing.next_pages:
                listing.next_pages.append(link)
        if listing.total_records is None and listing.next_pages:
            listing.total_records = _total_from_text(doc)
    if not entries and listing is None and not empty_array:
        empty = find_empty_list(doc, rules)
        if empty is not None:
            listing = Listing(shape="table" if empty.tag in ("table", "tbody") else "html_list")
    if not entries:
        holder = find_placeholder(doc, rules)
        if holder is not None or (empty_array and listing is None):
            in_table = holder is not None and next(
                (True for a in holder.iterancestors("table")), False)
            listing = listing or Listing(shape="table" if in_table else
                                         "html_list" if holder is not None else "script_array")
            listing.placeholder = holder is not None   # an empty JS array is empty, not a placeholder
    return ListAnalysis(listing=listing, container=container, blocks=blocks)


def extract_listing(doc, url: str, ref: date) -> Listing | None:
    """The main list of an HTML page (any shape of domain.md §2), or None if it has none.

    Priority: a Hanweb datastore; otherwise the best HTML list or a JS array (whichever holds
    more entries), labelled "trs_createpagehtml" when TRS pagination is present; next_pages
    gathers createPageHTML pages and "下一页" links; `placeholder` marks a "暂无信息" page.
    """
    return analyze(doc, url, ref).listing
