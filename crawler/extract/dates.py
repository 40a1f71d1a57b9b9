"""Dates on Chinese government pages: parsing, URL dates, the page's publication date and the
document's 成文日期 (the date it was made).

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

from .html_util import HiddenRules, el_classes, visible_lines
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
#: The bracketed year and number of a 文号 ("〔2026〕3号"), without the optional issuer before it.
_WENHAO_CORE = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,5}\s*号")
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
    (re.compile(r"(?:[\u4e00-\u9fa5]{0,10}[发字函办令规复通告预社])?\s*" + _WENHAO_CORE.pattern), "文号"),
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


#: Noise patterns whose short optional prefix makes finditer try a match at every position of
#: the text, by reason: (where their fixed part starts (zero-width, overlapping starts all
#: found), the longest prefix, whether whitespace may sit between prefix and fixed part).
_PREFIXED_NOISE = {
    "文号": (re.compile(f"(?=(?:{_WENHAO_CORE.pattern}))"), 11, True),     # 青政办发 〔2026〕3号
    "ICP number": (re.compile(r"(?=ICP)", re.I), 1, False),               # 浙ICP备…
    "police registration number": (re.compile(r"(?=公网安备)"), 2, False),  # 浙公网安备…
}


def _prefixed_matches(pattern: re.Pattern, text: str, anchor: re.Pattern, prefix: int,
                      spaced: bool):
    """pattern.finditer(text) for a pattern made of an optional prefix of at most `prefix`
    characters (then whitespace when `spaced`) and a fixed part that `anchor` finds.

    A match can only start within that many characters before a fixed part (and the
    whitespace run in front of it), so only those starting positions are tried, in increasing
    order, skipping what an earlier match consumed: the same matches as finditer, in order.
    """
    pos = 0
    for hit in anchor.finditer(text):
        at = hit.start()
        if at < pos:
            continue
        lo = at
        while spaced and lo > pos and text[lo - 1].isspace():
            lo -= 1
        for start in range(max(pos, lo - prefix), at + 1):
            m = pattern.match(text, start)
            if m:
                yield m
                pos = m.end()
                break


def _noise_matches(pattern: re.Pattern, reason: str, text: str):
    prefixed = _PREFIXED_NOISE.get(reason)
    return _prefixed_matches(pattern, text, *prefixed) if prefixed else pattern.finditer(text)


def scan_noise(text: str) -> tuple[list[RejectedDate], list[tuple[int, int]]]:
    """Date-looking noise in text → (rejections, their spans)."""
    rejected: list[RejectedDate] = []
    spans: list[tuple[int, int]] = []
    seen: set[tuple[str, str]] = set()
    for pattern, reason in _NOISE:
        for m in _noise_matches(pattern, reason, text):
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


# ---------------------------------------------------------------- 成文日期 (the date a document was made)
#
# A fact, not a judgement: rules.timeliness compares it with the publication date. Order:
# <meta> → labelled field (成文日期/印发日期/发文日期/签发日期, in an info line or the 信息公开
# table) → 落款 (issuing authority + date closing the body) → 版记 ("… 2026年3月3日印发").

#: Meta names some CMSs use for the 成文日期. No national standard names one (the 47号 meta set
#: has only PubDate); these are accepted when present, never required.
_WRITTEN_META = frozenset({"makedate", "maketime", "writtendate", "writedate", "chengwenriqi", "cwrq"})
#: Labels in priority order: 成文日期 is the statutory "made" date (GB/T 9704 puts it in the
#: 落款); 印发/发文/签发 stand in for it when it is the only one given.
_WRITTEN_KINDS = ("成文", "印发", "发文", "签发")
_WRITTEN_LABEL = re.compile(r"(成\s*文|印\s*发|发\s*文|签\s*发)\s*(?:日\s*期|时\s*间)\s*[:：]?[\s\[\(（【]*")
#: Chinese-numeral dates (二〇二六年三月二日), still common in older 落款.
_CN_DIGITS = "〇○零０一二三四五六七八九"
_CN_DATE = re.compile(rf"([{_CN_DIGITS}]{{4}})\s*年\s*([一二三四五六七八九十]{{1,3}})\s*月"
                      rf"\s*([一二三四五六七八九十]{{1,3}})\s*日")
#: An issuing authority: a short name ending like one (人民政府, 办公室, 局, 委员会 …), optionally
#: followed by a seal mark; several joint issuers may share the line.
_ORG_SUFFIX = (r"(?:人民政府|政府|办公室|办公厅|委员会|管委会|领导小组|指挥部|工作组|办事处|街道|中心|"
               r"局|厅|部|委|办|处|科|署|院|所|站|队|会|社|馆|校|园|司|镇|乡|公司|集团)")
_SEAL = r"(?:\s*[（(](?:盖章|印章|章|印)[)）])?"
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fa5（）()、 ]{{2,60}}?{_ORG_SUFFIX}{_SEAL}$")
#: Boxes that hold a document's body (the CMS classes/ids page.py also knows), strongest first.
_STRONG_BODY = re.compile(r"trs_editor|(?:^|\s)zoom(?:\s|$)|(?:^|\s)ucap-content(?:\s|$)")
_DOC_BODY = re.compile(r"trs_editor|article|content|zoom|detail|wenzhang|main_?text|con_?text"
                       r"|news_?text|text_?con|zhengwen")
_BODY_MIN_PROSE = 60
_BODY_MAX_CANDIDATES = 40


_CN_VALUES = {**{c: 0 for c in "〇○零０"}, **{c: i for i, c in enumerate("一二三四五六七八九", 1)}}


def _cn_number(s: str) -> int:
    """一 … 三十一 → int (month/day numerals); -1 when malformed."""
    if "十" not in s:
        return _CN_VALUES.get(s, -1) if len(s) == 1 else -1
    tens, _, ones = s.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return -1
    return (_CN_VALUES.get(tens, -100) if tens else 1) * 10 + (_CN_VALUES.get(ones, -100) if ones else 0)


def _cn_date(m: re.Match, ref: date) -> date | None:
    year = int("".join(str(_CN_VALUES[c]) for c in m.group(1)))
    month, day = _cn_number(m.group(2)), _cn_number(m.group(3))
    if month < 1 or day < 1:
        return None
    return _valid(year, month, day, ref)


def _full_date(line: str, ref: date) -> tuple[date, tuple[int, int]] | None:
    """A full date (with year) in the line: Arabic (2026年3月2日, 2026-03-02) or Chinese numerals."""
    for m in _ABS.finditer(line):
        if m.group(2) and m.group(4) and m.group(2) != m.group(4):
            continue
        hit = _valid(int(m.group(1)), int(m.group(3)), int(m.group(5)), ref)
        if hit:
            return hit, m.span()
    for m in _CN_DATE.finditer(line):
        hit = _cn_date(m, ref)
        if hit:
            return hit, m.span()
    return None


def _has_date(line: str, ref: date) -> bool:
    return _full_date(line, ref) is not None or bool(re.search(r"\d{1,2}\s*月\s*\d{1,2}\s*日", line))


def _written_meta(doc, ref: date) -> DateHit | None:
    for meta in doc.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name in _WRITTEN_META:
            content = (meta.get("content") or "").strip()
            hit = find_date(content, ref) if content else None
            if hit and hit[1] == "absolute":
                return DateHit(hit[0], "meta", content)
    return None


def _written_noise(text: str) -> list[tuple[int, int]]:
    """Spans of date-looking noise (copyright years, 文号 …). Not the 成文日期-style labels
    themselves, and not "date + weekday" (a header widget elsewhere, but right after a 成文日期
    label it is that date: "成文日期：2026年3月2日 星期一")."""
    spans: list[tuple[int, int]] = []
    for pattern, reason in _NOISE:
        if reason not in ("not a publication date", "header date widget"):
            spans += [m.span() for m in _noise_matches(pattern, reason, text)]
    return spans


def _written_label(text: str, ref: date) -> DateHit | None:
    """"成文日期：2026-03-02" (the value may sit in the next table cell); 成文 beats 印发 beats
    发文 beats 签发; an empty field next to a 发布日期 is no hit (the date must follow the label)."""
    noise: list[tuple[int, int]] | None = None     # computed only when a label is found
    best: tuple[int, DateHit] | None = None
    for m in _WRITTEN_LABEL.finditer(text):
        hit = _date_after(text, m.end(), ref)
        if not hit or hit[1] != "absolute":
            continue
        noise = _written_noise(text) if noise is None else noise
        if _inside(hit[2], noise):
            continue
        rank = _WRITTEN_KINDS.index(re.sub(r"\s+", "", m.group(1)))
        if best is None or rank < best[0]:
            raw = re.sub(r"\s+", " ", text[m.start():hit[2][1]]).strip()
            best = (rank, DateHit(hit[0], "label", raw))
    return best[1] if best else None


def _prose_chars(el) -> int:
    text = el.text_content()
    for a in el.iter("a"):
        text = text.replace(a.text_content(), "", 1)
    return len(re.sub(r"[\d\s\-/:.\[\]【】()（）年月日]", "", text))


def document_body(doc):
    """The element holding a document's body text, or None.

    An explicit editor box (TRS_Editor, #zoom) wins; otherwise the innermost content-classed
    box with real prose, so that a surrounding "article" box with its 相关链接 list is not taken.
    """
    body = next(doc.iter("body"), doc)
    candidates = []
    for el in body.iter("div", "td", "article", "section"):
        classes = el_classes(el)
        if _STRONG_BODY.search(classes):
            return el
        if _DOC_BODY.search(classes) and _prose_chars(el) >= _BODY_MIN_PROSE:
            candidates.append(el)
            if len(candidates) >= _BODY_MAX_CANDIDATES:
                break
    chosen = set(candidates)
    outer = {anc for el in candidates for anc in el.iterancestors() if anc in chosen}
    inner = [el for el in candidates if el not in outer]
    return max(inner, key=_prose_chars) if inner else None


_IMPRINT = re.compile(r"印\s*发")


def _signature(box, ref: date, rules: HiddenRules | None) -> DateHit | None:
    """The 落款 date: the last date line of the body, a date alone on its line (or after the
    authority on the same line), right after an issuing authority's name. A 版记 line
    ("青溪区人民政府办公室 2026年3月3日印发") after it does not count as a later date line and
    is itself the fallback (source "imprint")."""
    lines = visible_lines(box, rules)
    imprint = None
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not _has_date(line, ref):
            continue
        found = _full_date(line, ref)
        if not found:
            return imprint
        value, (start, end) = found
        before, after = line[:start].strip(), line[end:].strip()
        if _IMPRINT.fullmatch(after) and imprint is None and (not before or _ORG_LINE.match(before)):
            imprint = DateHit(value, "imprint", line)
            continue
        if after:
            return imprint
        if before:
            signed = bool(_ORG_LINE.match(before))
            raw = line
        else:
            prev = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
            signed = bool(_ORG_LINE.match(prev))
            raw = f"{prev} {line}"
        return DateHit(value, "signature", raw) if signed else imprint
    return imprint


def find_written_date(doc, ref: date, *, lines: list[str] | None = None,
                      rules: HiddenRules | None = None) -> DateHit | None:
    """成文日期 of a document page: meta → labelled field → 落款 → 版记, or None.

    `lines` (visible text lines of the page) and `rules` (its CSS hiding rules) may be passed
    when the caller already computed them. Publication dates are never taken: the labels are
    成文/印发/发文/签发 only, and the 落款 must close the body under an authority's name.
    """
    lines = visible_lines(doc, rules) if lines is None else lines
    hit = _written_meta(doc, ref) or _written_label("\n".join(lines), ref)
    if hit is None:
        box = document_body(doc)
        if box is not None:
            hit = _signature(box, ref, rules)
    return hit
