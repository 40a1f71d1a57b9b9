"""Everything the crawler records about one fetched HTML page (or Hanweb dataproxy XML)."""
from __future__ import annotations

import hashlib
import html
import re
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from . import lists
from .attachments import attachment_ext
from .dates import date_from_url, find_publication_date, find_written_date
from .encoding import decode_html
from .html_util import (
    absolute_url, base_url, collapse, el_classes, hidden_by_ancestry, hidden_rules,
    visible_lines,
)
from .model import HubBlock, Identity, Link, PageFacts
from .tables import extract_tables

TEXT_CAP = 500_000
_PARSER = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)

# ---------------------------------------------------------------- parsing


def _is_datastore(text: str) -> bool:
    """A Hanweb dataproxy response: a <datastore> root (after any prolog/DOCTYPE/comments)."""
    head = text[:65536].lower()
    at = head.find("<datastore")
    if at < 0:
        return False
    markup = re.search(r"<(?:html|head|body|script|div|table)\b", head)
    return markup is None or at < markup.start()


def _parse(text: str):
    """lxml document for the text; re-encoded as UTF-8 so meta charsets cannot mislead lxml."""
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>")


def _meta(doc) -> dict[str, str]:
    out: dict[str, str] = {}
    for meta in doc.iter("meta"):
        name = meta.get("name") or meta.get("property")
        if name and name.strip() and name.strip() not in out:
            out[name.strip()] = (meta.get("content") or "").strip()
    return out


def _title(doc) -> str:
    title = next(doc.iter("title"), None)
    return collapse(title.text_content()) if title is not None else ""


# ---------------------------------------------------------------- links

_BLOCK_TAGS = frozenset({"ul", "ol", "dl", "nav", "header", "footer", "table"})
_JS_STRING = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'""")
_COMPLETE_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)(?=[\s>]))""", re.I)
_COMMENT_ANCHOR = re.compile(r"""<a\b[^>]*?href\s*=\s*["']?([^"'\s>]+)[^>]*>(.*?)</a\s*>""",
                             re.I | re.S)
_BARE_URL = re.compile(r"""https?://[^\s"'<>()]+""", re.I)
_JS_TYPES = ("", "text/javascript", "application/javascript", "module", "text/ecmascript",
             "application/x-javascript", "javascript")


def _link_text(a) -> str:
    text = collapse(a.text_content()) or collapse(a.get("title")) or collapse(a.get("alt"))
    if not text:
        img = next(a.iter("img"), None)
        text = collapse(img.get("alt")) if img is not None else ""
    return text


def _fingerprint(urls) -> str:
    return hashlib.sha1("\n".join(sorted(set(urls))).encode("utf-8")).hexdigest()[:12]


class _Blocks:
    """Fingerprints of the navigation/list block around each anchor (template detection)."""

    def __init__(self, anchors: list, base: str):
        self.base = base
        self.counts: dict = {}
        self.memo: dict = {}
        self.boxes: dict = {}       # element → the container of the anchors below it
        for a in anchors:
            for anc in a.iterancestors():
                self.counts[anc] = self.counts.get(anc, 0) + 1

    def container(self, a):
        """The nearest list/nav block (or a div/p holding ≥ 2 links) above the anchor."""
        chain = []
        node = a.getparent()
        box = None
        while node is not None:
            if node in self.boxes:
                box = self.boxes[node]
                break
            chain.append(node)
            if node.tag in _BLOCK_TAGS or (node.tag in ("div", "p") and self.counts.get(node, 0) >= 2):
                box = node
                break
            node = node.getparent()
        for node in chain:
            self.boxes[node] = box
        return box

    def fingerprint(self, a) -> str:
        box = self.container(a)
        if box is None:
            return ""
        if box not in self.memo:
            urls = (absolute_url(self.base, x.get("href")) for x in box.iter("a", "area"))
            self.memo[box] = _fingerprint(u for u in urls if u)
        return self.memo[box]


def _anchor_links(doc, base: str, rules) -> list[Link]:
    anchors = [a for a in doc.iter("a", "area") if a.get("href")]
    blocks = _Blocks(anchors, base)
    links = []
    for a in anchors:
        url = absolute_url(base, a.get("href"))
        if url:
            links.append(Link(url=url, text=_link_text(a), hidden=hidden_by_ancestry(a, rules),
                              context="a", block=blocks.fingerprint(a)))
    return links


def _comment_links(doc, base: str) -> list[Link]:
    """URLs in HTML comments: commented-out anchors and bare URLs (a classic 暗链 hiding place)."""
    links: list[Link] = []
    for comment in doc.iter(etree.Comment):
        text = comment.text or ""
        seen: set[str] = set()
        found = [(m.group(1), collapse(re.sub(r"<[^>]+>", " ", m.group(2))))
                 for m in _COMMENT_ANCHOR.finditer(text)]
        found += [(next(g for g in m.groups() if g is not None), "")
                  for m in _COMPLETE_HREF.finditer(text)]
        if not text.lstrip().startswith("[if"):
            found += [(m.group().rstrip(".,;"), "") for m in _BARE_URL.finditer(text)]
        for href, label in found:
            url = absolute_url(base, html.unescape(href))
            if url and url not in seen:
                seen.add(url)
                links.append(Link(url=url, text=label, hidden=True, context="comment"))
    return links


def _unescape_js(s: str) -> str:
    s = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), s)
    return re.sub(r"\\(.)", r"\1", s)


def _script_links(doc, base: str, rules) -> list[Link]:
    """Anchors written by scripts (document.write / innerHTML strings) with literal hrefs."""
    links: list[Link] = []
    for script in doc.iter("script"):
        code = script.text or ""
        if script.get("src") or (script.get("type") or "").strip().lower() not in _JS_TYPES \
                or "<a" not in code.lower():
            continue
        literals = [_unescape_js(m.group(1) if m.group(1) is not None else m.group(2))
                    for m in _JS_STRING.finditer(code)]
        complete = {next(g for g in m.groups() if g is not None).strip()
                    for lit in literals for m in _COMPLETE_HREF.finditer(lit)}
        markup = "".join(literals)
        if not complete or "<a" not in markup.lower():
            continue
        try:
            fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
        except (etree.ParserError, ValueError):
            continue
        in_hidden_place = hidden_by_ancestry(script, rules)
        for a in fragment.iter("a"):
            href = (a.get("href") or "").strip()
            url = absolute_url(base, href) if href in complete and "{" not in href else None
            if url:
                hidden = in_hidden_place or hidden_by_ancestry(a, rules)
                links.append(Link(url=url, text=_link_text(a), hidden=hidden, context="script"))
    return links


def _datastore_links(doc, base: str) -> list[Link]:
    """Anchors of Hanweb datastore records: jpage renders them as ordinary list links."""
    links: list[Link] = []
    for script in doc.iter("script"):
        code = script.text or ""
        if "<datastore" not in code.lower():
            continue
        anchors = []
        for record in lists.records_of(code):
            try:
                anchors += lxml.html.fragment_fromstring(record, create_parent="div").iter("a")
            except (etree.ParserError, ValueError):
                continue
        pairs = [(absolute_url(base, a.get("href")), a) for a in anchors]
        block = _fingerprint(u for u, _ in pairs if u)
        links += [Link(url=u, text=_link_text(a), context="a", block=block) for u, a in pairs if u]
    return links


def _attachments(links: list[Link]) -> list[Link]:
    """Links to attachments (see attachments.attachment_ext), first occurrence of each URL."""
    out, seen = [], set()
    for link in links:
        if link.url not in seen and attachment_ext(link.url, link.text):
            seen.add(link.url)
            out.append(link)
    return out


# ---------------------------------------------------------------- identity

_SITE_CODE = re.compile(r"网站标识码\s*[:：]?\s*([0-9A-Za-z]{10})(?![0-9])")
_ICP = re.compile(r"[\u4e00-\u9fa5]\s*ICP\s*[备证]\s*[:：]?\s*\d{5,}\s*号?(?:\s*-\s*\d+)?", re.I)
_POLICE = re.compile(r"[\u4e00-\u9fa5]{1,2}公网安备\s*[:：]?\s*\d{6,}\s*号?")


def _identity(visible: str, source: str) -> Identity:
    """网站标识码 / ICP备案号 / 公安机关备案号, from visible text, else from the raw markup
    (footers are often written by document.write and so are not in the visible text)."""
    ident = Identity()
    for text in (visible, None):
        if text is None:
            if ident.site_code and ident.icp and ident.police:
                break
            text = html.unescape(re.sub(r"<[^>]+>", " ", source))
        if not ident.site_code and (m := _SITE_CODE.search(text)):
            ident.site_code = m.group(1)
        if not ident.icp and (m := _ICP.search(text)):
            ident.icp = re.sub(r"\s+", "", m.group())
        if not ident.police and (m := _POLICE.search(text)):
            ident.police = collapse(m.group())
    return ident


# ---------------------------------------------------------------- 党政机关网站标识

_BADGE_FILE = re.compile(r"dzjg|conac", re.I)
_BADGE_LABEL = re.compile(r"党政机关")
_BADGE_LABEL_MAX = 12      # "党政机关网站标识"; a longer alt text is a photo caption, not the badge
_CONAC_LOADER = re.compile(r"\bdcs\.conac\.cn/js/", re.I)


@lru_cache(maxsize=4096)
def _conac(url: str | None) -> bool:
    host = (urlsplit(url).hostname or "").lower() if url else ""
    return host == "conac.cn" or host.endswith(".conac.cn")


def _badge_image(img, base: str) -> bool:
    src = absolute_url(base, img.get("src")) or ""
    if _conac(src) or _BADGE_FILE.search(urlsplit(src).path):
        return True
    return any(_BADGE_LABEL.search(label) and len(label) <= _BADGE_LABEL_MAX
               for label in (collapse(img.get("alt")), collapse(img.get("title"))))


def _badge(doc, base: str, rules, links: list[Link]) -> bool:
    """Whether the page shows the 党政机关网站标识: the conac script (`<span id="_ideConac">` +
    `<script src="https://dcs.conac.cn/js/…">`, also when loaded by an inline script), a badge
    image (src naming dzjg/conac, or alt/title 党政机关…), or a visible link to *.conac.cn (markup
    or document.write). Hidden elements and comments do not count; neither does the word
    党政机关 in the text."""
    if any(link.context in ("a", "script") and not link.hidden and _conac(link.url) for link in links):
        return True
    for script in doc.iter("script"):
        src = script.get("src")
        shown = _conac(absolute_url(base, src)) if src else bool(_CONAC_LOADER.search(script.text or ""))
        if shown and not hidden_by_ancestry(script, rules):
            return True
    return any(_badge_image(img, base) and not hidden_by_ancestry(img, rules) for img in doc.iter("img"))


# ---------------------------------------------------------------- column name

_CRUMB_CLASS = re.compile(r"bread|crumb|position|location|dqwz|curpos|weizhi")
_CRUMB_LABEL = re.compile(r"^\s*(?:当前位置|您的位置|您当前的位置|所在位置|您现在的位置|当前的位置|"
                          r"您当前所在位置|现在位置|您所在的位置|所在的位置|您现在所在的位置)\s*(?:是)?\s*[:：]?")
_CRUMB_SPLIT = re.compile(r"\s*(?:>|＞|»|›|→|/|&gt;|>>|－>|-&gt;)\s*")
_GENERIC_SEGMENTS = frozenset({"正文", "详情", "内容", "正文内容", "详细内容", "文章内容", "浏览文章",
                               "查看详情", "详细信息", "文章详情", "信息详情", "阅读", "浏览"})
_HEADING_CLASS = re.compile(r"(?:^|[^a-z])(?:title|tit|lmmc|lm_?name|column_?name|bt)(?:[^a-z]|$)")
_HEADING_NOISE = re.compile(r"更多|more|[>»＞+]+|\s", re.I)
_TITLE_SPLIT = re.compile(r"\s*[-_|｜—–]+\s*")
#: Titles of error pages (often served with status 200): they name no column.
_ERROR_TITLE = re.compile(r"^\s*(?:40[034]|50[0-4])(?!\d)|页面不存在|页面未找到|找不到(?:该|此|您要的)?页面"
                          r"|不存在或已被删除|not\s*found|访问出错|出错了|错误页面", re.I)


def _crumb_segments(box) -> list[str]:
    text = _CRUMB_LABEL.sub("", collapse(box.text_content()))
    segments = [s for s in _CRUMB_SPLIT.split(text) if s]
    if len(segments) <= 1:
        anchors = [collapse(a.text_content()) for a in box.iter("a")]
        segments = [s for s in anchors if s] or segments
    return segments


def _crumb_boxes(doc):
    body = next(doc.iter("body"), doc)
    for el in body.iter():
        if isinstance(el.tag, str) and _CRUMB_CLASS.search(el_classes(el)):
            yield el
    for text in doc.xpath("//body//text()[contains(., '位置')]"):
        box = text.getparent()
        for _ in range(3):
            if box is None or not _CRUMB_LABEL.match(collapse(box.text_content())):
                break
            if len(_crumb_segments(box)) >= 2 or box.getparent() is None:
                yield box
                break
            box = box.getparent()


def _breadcrumb(doc) -> str | None:
    for box in _crumb_boxes(doc):
        text = collapse(box.text_content())
        if not text or len(text) > 300:
            continue
        segments = [s for s in _crumb_segments(box) if s not in _GENERIC_SEGMENTS and len(s) <= 30]
        if len(segments) >= 1 and (len(segments) >= 2 or _CRUMB_LABEL.match(text)):
            return segments[-1]
    return None


def _heading_text(el) -> str | None:
    text = _HEADING_NOISE.sub("", collapse(el.text_content()))
    return text if 2 <= len(text) <= 20 else None


def _holds_any(node, others) -> bool:
    """`node` is, or contains, one of the elements `others`."""
    return any(o is node or any(a is node for a in o.iterancestors()) for o in others)


def _list_heading(container, others=()) -> str | None:
    """A heading (h1–h4, .title, .tit …) just before the main list or in its box; with `others`
    (the other blocks of a hub page), never beyond a box or sibling that holds another block."""
    node = container
    for _ in range(4):
        if node is None or (node is not container and _holds_any(node, others)):
            return None
        for sib in list(node.itersiblings(preceding=True))[:3]:
            if not isinstance(sib.tag, str):
                continue
            if _holds_any(sib, others):
                return None
            for el in sib.iter():
                if isinstance(el.tag, str) and (el.tag in ("h1", "h2", "h3", "h4")
                                                or _HEADING_CLASS.search(el_classes(el))):
                    text = _heading_text(el)
                    if text:
                        return text
        node = node.getparent()
    return None


def _column_name(doc, meta: dict, container, title: str) -> tuple[str | None, str | None]:
    crumb = _breadcrumb(doc)
    if crumb:
        return crumb, "breadcrumb"
    for key, value in meta.items():
        if key.lower() == "columnname" and value.strip():
            return value.strip(), "meta"
    heading = _list_heading(container) if container is not None else None
    if heading:
        return heading, "heading"
    if not title or _ERROR_TITLE.search(title):
        return None, None
    first = next((s for s in _TITLE_SPLIT.split(title) if s.strip()), "")
    return (first.strip(), "title") if first.strip() else (None, None)


# ---------------------------------------------------------------- page kind

_ARTICLE_URL = re.compile(r"art_\d+_\d+\.|/t\d{8}_\d+|content_\d+\.|/c\d+a\d+/page\.", re.I)
_BODY_CLASS = re.compile(r"trs_editor|article|content|zoom|detail|wenzhang|main_?text|con_?text"
                         r"|news_?text|text_?con")
_MORE = re.compile(r"更多|^\s*more|^\s*\+\s*$", re.I)
_PUBLISH_LABEL = re.compile(r"发布时间|发布日期|公开日期|发表时间|发布于")
ARTICLE_MAX_ENTRIES = 8
_BODY_MIN_CHARS = 150


def _non_link_chars(el, skip=None) -> int:
    """Characters of el's own prose: text outside links (and outside `skip`), no dates/digits."""
    text = el.text_content()
    for a in el.iter("a"):
        text = text.replace(a.text_content(), "", 1)
    if skip is not None and any(anc is el for anc in skip.iterancestors()):
        listed = skip.text_content()
        for a in skip.iter("a"):
            listed = listed.replace(a.text_content(), "", 1)
        text = text.replace(listed, "", 1)
    return len(re.sub(r"[\d\s\-/:.\[\]【】()（）年月日]", "", text))


def _has_article_body(doc, main_list=None) -> bool:
    """Whether a content-classed box holds real prose.

    The main list is left out: summary paragraphs under each item of a news list are text too,
    but they make a list page, not a document.
    """
    body = next(doc.iter("body"), doc)
    checked = 0
    for el in body.iter("div", "td", "article", "section"):
        classes = el_classes(el)
        if not _BODY_CLASS.search(classes):
            continue
        if main_list is not None and (el is main_list or any(
                anc is main_list for anc in el.iterancestors())):
            continue
        if "trs_editor" in classes:
            return True
        checked += 1
        if _non_link_chars(el, main_list) >= _BODY_MIN_CHARS:
            return True
        if checked >= 20:
            break
    return False


def _article_signals(doc, facts: PageFacts, n_entries: int, main_list=None
                     ) -> tuple[bool, bool, bool, bool]:
    """(strong, weak, has body, labelled): evidence that the page is a single document.

    A 发布时间 label only counts when it is not repeated per list entry (some column pages
    print "发布时间：…" on every item).
    """
    keys = {k.lower() for k, v in facts.meta.items() if v.strip()}
    strong = bool(keys & {"articletitle", "pubdate"}) or bool(_ARTICLE_URL.search(facts.url)) \
        or date_from_url(facts.url) is not None
    body = _has_article_body(doc, main_list)
    labels = len(_PUBLISH_LABEL.findall(facts.text))
    labelled = (facts.published is not None and facts.published.source in ("label", "relative")
                and bool(_PUBLISH_LABEL.search(facts.published.raw))
                and labels <= 2 and not (n_entries >= 2 and labels >= n_entries))
    return strong, body or labelled, body, labelled


def _more_link_near(block, others) -> bool:
    node = block
    for _ in range(4):
        if node is None:
            return False
        if any(o is not block and any(d is o for d in node.iter()) for o in others):
            return False
        for a in node.iter("a"):
            img = next(a.iter("img"), None)
            label = " ".join(filter(None, [collapse(a.text_content()), a.get("title"),
                                           img.get("alt") if img is not None else None,
                                           img.get("src") if img is not None else None]))
            if _MORE.search(label) or (img is not None and "more" in (img.get("src") or "")):
                return True
        node = node.getparent()
    return False


def _is_hub(analysis: lists.ListAnalysis) -> bool:
    """≥2 separate blocks, each with ≥3 dated entries and its own "更多/more" link."""
    listing = analysis.listing
    if listing is not None and (listing.next_pages or listing.shape in (
            "hanweb_datastore", "trs_createpagehtml")):
        return False
    chosen = []
    for el, entries in analysis.blocks:
        if sum(1 for e in entries if e.date_source in ("list", "relative")) < 3:
            continue
        if any(el is c or any(p is c for p in el.iterancestors()) or
               any(p is el for p in c.iterancestors()) for c in chosen):
            continue
        chosen.append(el)
    return sum(1 for el in chosen if _more_link_near(el, chosen)) >= 2


def _hub_blocks(analysis: lists.ListAnalysis) -> list[HubBlock]:
    """Every dated entry of every list block of a hub page, grouped by block in page order.

    Candidate blocks nest (a row of boxes is itself a candidate, pairing titles and dates of
    different boxes): each entry URL belongs to the innermost block that lists it, so an outer
    block keeps only entries no inner block has. A Hanweb or script-array page has no HTML
    blocks: its listing is the one block."""
    if not analysis.blocks:
        dated = [e for e in analysis.listing.entries if e.date] if analysis.listing else []
        return [HubBlock(None, dated)] if dated else []
    depth = [sum(1 for _ in el.iterancestors()) for el, _ in analysis.blocks]
    claimed: set[str] = set()
    own: dict[int, list] = {}
    for i in sorted(range(len(analysis.blocks)), key=lambda i: -depth[i]):
        entries = analysis.blocks[i][1]
        dated = [e for e in entries if e.date and e.url not in claimed]
        claimed.update(e.url for e in entries)
        if dated:
            own[i] = dated
    kept = [analysis.blocks[i][0] for i in sorted(own)]
    return [HubBlock(_list_heading(el, [o for o in kept if o is not el]), own[i])
            for el, i in zip(kept, sorted(own))]


def _kind(doc, facts: PageFacts, analysis: lists.ListAnalysis, is_start_page: bool) -> str:
    """Decide the page kind.

    Order: start page → hub; strong article evidence (PubDate/ArticleTitle meta, article URL)
    with a short list, or with a long unpaginated list next to a substantial body → article;
    a single 发布时间 label plus prose outside an unpaginated list (相关文章) → article;
    several dated blocks each with a "more" link and no pagination → hub; a long list
    (≥ 8 entries) → list; weak article evidence (发布时间 label, article body text) unless the
    list is paginated/placeholder/CMS-shaped → article; any list → list; else other.
    """
    if is_start_page:
        return "hub"
    listing = analysis.listing
    n = len(listing.entries) if listing else 0
    strong, weak, body, labelled = _article_signals(doc, facts, n, analysis.container)
    paginated = listing is not None and (listing.placeholder or bool(listing.next_pages)
                                         or listing.shape not in ("html_list", "table"))
    if strong and (n < ARTICLE_MAX_ENTRIES or (body and not paginated)):
        return "article"
    if labelled and body and not paginated:
        return "article"
    if _is_hub(analysis):
        return "hub"
    if listing is not None and n >= ARTICLE_MAX_ENTRIES:
        return "list"
    if weak and not paginated:
        return "article"
    return "list" if listing is not None else "other"


# ---------------------------------------------------------------- public

def _datastore_facts(text: str, url: str, encoding: str, ref: date) -> PageFacts:
    listing = lists.parse_datastore_xml(text, url, ref)
    block = _fingerprint(e.url for e in listing.entries)
    links = [Link(url=e.url, text=e.title, context="a", block=block) for e in listing.entries]
    return PageFacts(url=url, encoding=encoding, kind="datastore", listing=listing, links=links,
                     attachments=_attachments(links))


def extract_page(body: bytes, url: str, *, ref: date, content_type: str | None = None,
                 header_charset: str | None = None, is_start_page: bool = False) -> PageFacts:
    """Decode, parse and describe one page. Pure: no network, no state.

    `content_type` only matters for XML bodies (a dataproxy response is recognised by its
    <datastore> root whatever the header says).
    """
    text, encoding = decode_html(body, header_charset)
    if _is_datastore(text) or ("xml" in (content_type or "").lower() and "<datastore" in
                               text[:2000].lower()):
        return _datastore_facts(text, url, encoding, ref)
    doc = _parse(text)
    # Hold a Python proxy for every node while we work: lxml then hands back these same objects
    # on every later walk instead of building (and class-looking-up) new ones each time.
    # Released by the `del` before the return.
    elements = list(doc.iter())
    rules = hidden_rules(doc)
    lines = visible_lines(doc, rules, TEXT_CAP)
    facts = PageFacts(url=url, encoding=encoding, title=_title(doc), meta=_meta(doc))
    facts.text = " ".join(lines)[:TEXT_CAP]
    base = base_url(doc, url)
    facts.links = (_anchor_links(doc, base, rules) + _datastore_links(doc, base)
                   + _comment_links(doc, base) + _script_links(doc, base, rules))
    facts.attachments = _attachments(facts.links)
    facts.identity = _identity(facts.text, text)
    facts.identity.badge = _badge(doc, base, rules, facts.links)
    facts.published, facts.rejected_dates = find_publication_date(doc, url, ref, lines=lines)
    analysis = lists.analyze(doc, url, ref, rules)
    facts.kind = _kind(doc, facts, analysis, is_start_page)
    # A hub's best block is one of its boxes: its heading names that box, not the page.
    facts.column_name, facts.column_name_source = _column_name(
        doc, facts.meta, analysis.container if facts.kind != "hub" else None, facts.title)
    facts.listing = analysis.listing if facts.kind == "list" else None
    if facts.kind == "hub":
        facts.hub_blocks = _hub_blocks(analysis)
    # 成文日期 belongs to a document: list and hub pages (whose rows may carry one each) get none.
    if facts.kind not in ("list", "hub"):
        facts.written = find_written_date(doc, ref, lines=lines, rules=rules)
    if facts.kind in ("article", "other"):      # a document's tables (a list's rows are its listing)
        facts.tables = extract_tables(doc, rules)
    del elements
    return facts
