"""Dates on Chinese government pages: parsing, URL dates, and the page's publication date.

Regexes do the work; dateparser is only consulted for strings with English month names, which
regexes cannot enumerate cheaply. Pages are full of date-looking noise (a "today is …" widget
in the header, copyright years, 文号, ICP numbers): it is recognised explicitly, reported as
RejectedDate and never returned as a publication date.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from .html_util import visible_lines
from .model import DateHit, RejectedDate

MIN_YEAR = 1990

_ABS_TEXT = (r"(?:19|20)\d{2}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}(?!\d)\s*日?")
_ABS = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*(?:([-/.])|年)\s*(\d{1,2})\s*(?:([-/.])|月)"
                  r"\s*(\d{1,2})(?!\d)\s*日?")
#: Month-day without a year: "3月5日", or zero-padded "03-05" / "03/05".
_SHORT = re.compile(r"(?<![\d\-/.年])(?:(\d{1,2})\s*月\s*(\d{1,2})\s*日?"
                    r"|(\d{2})\s*[-/]\s*(\d{2})(?![\d\-/.:]))")
_RELATIVE = re.compile(r"(\d{1,4})\s*(秒钟?|分钟|分|个?小时|天|日|周|星期|个月|年)\s*[之以]?前")
_RELATIVE_WORDS = {"刚刚": 0, "今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}
_RELATIVE_WORD_RE = re.compile("|".join(_RELATIVE_WORDS))
_ENGLISH_MONTH = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
#: Whole-string date ("2026-03-05", "[03-05]", "2026年3月5日 17:00:00", "3天前").
_TIME = r"(?:\s*[T ]?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_BRACKETS = "[]()（）【】〔〕［］<>《》"


def _ref_date(ref: date) -> date:
    return ref.date() if isinstance(ref, datetime) else ref


def _valid(y: int, m: int, d: int, ref: date) -> date | None:
    if not (MIN_YEAR <= y <= _ref_date(ref).year + 1):
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer_year(m: int, d: int, ref: date) -> date | None:
    """Latest year for which month-day is not after ref + 1 day (lists omit the current year)."""
    limit = _ref_date(ref) + timedelta(days=1)
    for y in range(limit.year, limit.year - 9, -1):
        try:
            candidate = date(y, m, d)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    return None


def _months_ago(ref: date, months: int) -> date:
    total = ref.year * 12 + ref.month - 1 - months
    y, m = divmod(total, 12)
    return date(y, m + 1, min(ref.day, calendar.monthrange(y, m + 1)[1]))


def _relative(n: int, unit: str, ref: date) -> date | None:
    """ref minus n units. With a plain date ref (no clock), sub-day offsets mean "today"."""
    if not isinstance(ref, datetime) and (unit.startswith("秒") or unit in ("分钟", "分")
                                          or unit.endswith("小时")):
        return ref
    base = ref if isinstance(ref, datetime) else datetime.combine(ref, datetime.min.time())
    if unit.startswith("秒"):
        return (base - timedelta(seconds=n)).date()
    if unit in ("分钟", "分"):
        return (base - timedelta(minutes=n)).date()
    if unit.endswith("小时"):
        return (base - timedelta(hours=n)).date()
    if unit in ("天", "日"):
        return (base - timedelta(days=n)).date()
    if unit in ("周", "星期"):
        return (base - timedelta(weeks=n)).date()
    day = _ref_date(ref)
    if unit == "个月":
        return _months_ago(day, n) if n < 1200 else None
    return _months_ago(day, 12 * n) if n < 100 else None


def find_date(s: str, ref: date) -> tuple[date, str, tuple[int, int]] | None:
    """First date expression in s → (date, kind, (start, end)); absolute forms win."""
    for m in _ABS.finditer(s):
        if m.group(2) and m.group(4) and m.group(2) != m.group(4):
            continue  # "2026-3/5" mixes separators: not a date
        hit = _valid(int(m.group(1)), int(m.group(3)), int(m.group(5)), ref)
        if hit:
            return hit, "absolute", m.span()
    for m in _SHORT.finditer(s):
        month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        hit = _infer_year(int(month), int(day), ref) if 1 <= int(month) <= 12 else None
        if hit:
            return hit, "absolute", m.span()
    m = _RELATIVE.search(s)
    if m:
        hit = _relative(int(m.group(1)), m.group(2), ref)
        if hit:
            return hit, "relative", m.span()
    m = _RELATIVE_WORD_RE.search(s)
    if m:
        return _ref_date(ref) - timedelta(days=_RELATIVE_WORDS[m.group()]), "relative", m.span()
    if _ENGLISH_MONTH.search(s) and _YEAR.search(s):
        hit = _english_date(s, ref)
        if hit:
            return hit, "absolute", (0, len(s))
    return None


def _english_date(s: str, ref: date) -> date | None:
    """"March 5, 2026" and friends, via dateparser (lazy import: it is slow to load)."""
    import dateparser

    base = ref if isinstance(ref, datetime) else datetime.combine(ref, datetime.min.time())
    parsed = dateparser.parse(s[:80], languages=["en"],
                              settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
                                        "REQUIRE_PARTS": ["day", "month", "year"]})
    return _valid(parsed.year, parsed.month, parsed.day, ref) if parsed else None


def parse_date_text(s: str, ref: date) -> tuple[date, str] | None:
    """Parse one date expression in a short string → (date, "absolute" | "relative") or None."""
    if not s:
        return None
    hit = find_date(s, ref)
    return (hit[0], hit[1]) if hit else None


def date_only(s: str, ref: date) -> tuple[date, str] | None:
    """Like parse_date_text, but only when the string is nothing but a date (plus time/brackets)."""
    s = s.strip().strip(_BRACKETS + " \u3000").strip()
    if not s or len(s) > 40:
        return None
    hit = find_date(s, ref)
    if not hit:
        return None
    start, end = hit[2]
    rest = s[:start] + s[end:]
    if start == 0 and (not rest.strip() or re.fullmatch(_TIME, s[end:])):
        return hit[0], hit[1]
    label = rest.strip().rstrip(":：").strip()
    return (hit[0], hit[1]) if label in ("发布", "发布时间", "发布日期", "时间", "日期") else None


# ---------------------------------------------------------------- URL dates

_URL_DATES = (
    re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/art_\d+"),           # Hanweb
    re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+(?:_\d+)?\.[a-z]+$"),        # TRS t20260305_4567.html
    re.compile(r"/(\d{4})-(\d{2})/(\d{2})/"),                           # /2026-03/05/content_1.htm
    re.compile(r"/(\d{4})-(\d{2})-(\d{2})/"),                           # /2026-03-05/
    re.compile(r"/(\d{4})/(\d{2})(\d{2})/c\d+a\d+/"),                   # WebPlus /2026/0305/c1a2/
    re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/"),                       # /2026/03/05/
    re.compile(r"/(\d{4})/(\d{2})(\d{2})/"),                            # /2026/0305/
    re.compile(r"/(\d{4})(\d{2})(\d{2})/"),                             # /20260305/
)


def date_from_url(url: str) -> date | None:
    """Publication date encoded in a CMS article URL path (Hanweb, TRS, WebPlus, …), or None.

    Only whole path segments in a known layout count, so ids that merely contain digits
    (art_1234_20260305999.html, col1229583) never produce a date.
    """
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    today = date.today()
    for pattern in _URL_DATES:
        for m in pattern.finditer(path):
            hit = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)), today)
            if hit:
                return hit
    return None


# ---------------------------------------------------------------- page publication date

_META_NAMES = frozenset({
    "pubdate", "publishdate", "publish_date", "publishtime", "publish-date", "firstpublishedtime",
    "article:published_time", "og:article:published_time", "og:published_time", "published_time",
    "dc.date", "dc.date.issued", "dc.date.created", "dcterms.issued", "dcterms.date",
    "dcterms.created", "datepublished", "releasedate", "parsely-pub-date", "sailthru.date",
})
_LABEL = re.compile(r"(发布时间|发布日期|公开日期|发表时间|发布于)\s*[:：]?[\s\[\(（【]*")
_INFO_WORDS = re.compile(r"来源|作者|浏览|点击|阅读|编辑|字号")
_BARE_LABEL = re.compile(r"(?<![发布成文印开表新修更生施])(?:时间|日期)\s*[:：][\s\[\(（【]*")
_WEEKDAY = r"(?:星期|礼拜|周)[一二三四五六日天]"
_NOISE = (
    (re.compile(rf"(?:今天是|今日是|今天[:：]?|今日[:：]?)\s*{_ABS_TEXT}(?:\s*{_WEEKDAY})?"),
     "header date widget"),
    (re.compile(rf"{_ABS_TEXT}\s*{_WEEKDAY}"), "header date widget"),
    (re.compile(r"(?:建站于|始建于|建站时间[:：]?|网站开通于|开通于|创建于)\s*(?:19|20)\d{2}\s*年?"
                r"(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?"), "site founding year"),
    (re.compile(r"(?:©|&copy;|copyright|版权所有|\(c\))[^\n]{0,40}?(?<!\d)(?:19|20)\d{2}(?!\d)"
                r"(?:\s*[-–—~至]\s*(?:19|20)\d{2}(?!\d))?", re.I), "copyright year"),
    (re.compile(r"(?<!\d)(?:19|20)\d{2}(?:\s*[-–—~]\s*(?:19|20)\d{2})?\s*(?:©|copyright|版权所有)",
                re.I), "copyright year"),
    (re.compile(r"(?:[\u4e00-\u9fa5]{0,10}[发字函办令规复通告预社])?\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*"
                r"[〕\]］】)）]\s*\d{1,5}\s*号"), "文号"),
    (re.compile(r"[\u4e00-\u9fa5]?ICP\s*[备证]\s*[:：]?\s*\d{5,}\s*号?(?:\s*-\s*\d+)?", re.I),
     "ICP number"),
    (re.compile(r"网站标识码\s*[:：]?\s*[0-9A-Za-z]{10}"), "site identification code"),
    (re.compile(r"[\u4e00-\u9fa5]{0,2}公网安备\s*[:：]?\s*\d{6,}\s*号?"), "police registration number"),
    (re.compile(rf"(?:成文日期|成文时间|印发日期|印发时间|发文日期|发文时间|生效日期|施行日期)\s*[:：]?\s*"
                rf"{_ABS_TEXT}"), "not a publication date"),
)


def _meta_date(doc, ref: date) -> DateHit | None:
    for meta in doc.iter("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if name.strip() in _META_NAMES:
            content = (meta.get("content") or "").strip()
            hit = find_date(content, ref) if content else None
            if hit and hit[1] == "absolute":
                return DateHit(hit[0], "meta", content)
    return None


def scan_noise(text: str) -> tuple[list[RejectedDate], list[tuple[int, int]]]:
    """Date-looking noise in text → (rejections, their spans)."""
    rejected: list[RejectedDate] = []
    spans: list[tuple[int, int]] = []
    seen: set[tuple[str, str]] = set()
    for pattern, reason in _NOISE:
        for m in pattern.finditer(text):
            raw = re.sub(r"\s+", " ", m.group()).strip()
            overlaps = _inside(m.span(), spans)
            spans.append(m.span())
            if not overlaps and (raw, reason) not in seen:
                seen.add((raw, reason))
                rejected.append(RejectedDate(raw, reason))
    return rejected, spans


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


def _date_after(text: str, pos: int, ref: date) -> tuple[date, str, tuple[int, int]] | None:
    """A date starting right at text[pos:] (within a few characters), absolute positions."""
    window = text[pos:pos + 40]
    hit = find_date(window, ref)
    if not hit or hit[2][0] > 2:
        return None
    return hit[0], hit[1], (pos + hit[2][0], pos + hit[2][1])


def _label_date(text: str, noise: list[tuple[int, int]], ref: date) -> DateHit | None:
    """"发布时间：2026-03-05" style labels (the date may be on the next line, e.g. next cell)."""
    for m in _LABEL.finditer(text):
        hit = _date_after(text, m.end(), ref)
        if hit and not _inside(hit[2], noise):
            source = "label" if hit[1] == "absolute" else "relative"
            return DateHit(hit[0], source, re.sub(r"\s+", " ", text[m.start():hit[2][1]]).strip())
    return None


def _info_line_date(lines: list[str], ref: date) -> DateHit | None:
    """A date in a short article-info line ("时间：… 来源：… 浏览：…").

    A bare "时间："/"日期：" label wins; failing that, a line holding exactly one full date.
    """
    fallback = None
    for line in lines:
        if len(line) > 150 or not _INFO_WORDS.search(line):
            continue
        _, noise = scan_noise(line)
        for m in _BARE_LABEL.finditer(line):
            hit = _date_after(line, m.end(), ref)
            if hit and not _inside(hit[2], noise):
                return DateHit(hit[0], "label" if hit[1] == "absolute" else "relative",
                               line[m.start():hit[2][1]].strip())
        if fallback is None and len(line) <= 120:
            found = [m for m in _ABS.finditer(line) if not _inside(m.span(), noise)]
            hit = find_date(found[0].group(), ref) if len(found) == 1 else None
            if hit:
                fallback = DateHit(hit[0], "label", line)
    return fallback


def find_publication_date(doc, url: str, ref: date, *, lines: list[str] | None = None
                          ) -> tuple[DateHit | None, list[RejectedDate]]:
    """Publication date of a page: meta → labelled text → URL; plus the noise refused on the way.

    `lines` (visible text lines) may be passed when the caller already computed them.
    """
    lines = visible_lines(doc) if lines is None else lines
    text = "\n".join(lines)
    rejected, noise = scan_noise(text)
    hit = _meta_date(doc, ref) or _label_date(text, noise, ref) or _info_line_date(lines, ref)
    if hit is None:
        from_url = date_from_url(url)
        if from_url:
            hit = DateHit(from_url, "url", url)
    return hit, rejected
