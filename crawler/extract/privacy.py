"""Personal data in published text (居民身份证号, mobile numbers, bank cards), found and masked.

Runs in the crawler on every page and attachment text BEFORE anything is stored: the store
keeps the text with every hit masked (`mask_text`, length-preserving so stored positions stay
valid) plus one row per hit (`PiiHit`: kind, span, masked value, masked context). A raw value
never leaves this module except in the caller's own input.

How it stays fast: one precompiled regex finds candidate digit runs (≥ 11 contiguous digits,
or the grouped spellings `138 1234 5678`, `6222 0212 3456 7890 123`, `330102 19900101 1234`);
every candidate is then validated cheaply in Python (boundaries, then checksums). Ordinary
Chinese text has few such runs, so the regex scan dominates.

What is NOT reported (see domain.md §3.4): already-masked values (`330102********1234`,
`138****1234` are not digit runs), 统一社会信用代码 (letters break the run; an all-digit one
near 信用代码 is skipped), landlines and 400/800 numbers (wrong length or leading 0/4/8),
numbers failing the ID checksum or Luhn, runs glued to other digits/letters (order numbers,
文号, ids in URLs such as `t20240305_13812345678`), ID-like numbers with an impossible province
or birth date, 16–19 digit numbers with no bank cue nearby, and institutional accounts
(户名：某某局 …), which are not personal data. A bank cue counts when it is within
CUE_DISTANCE chars before the number, after it in the same clause, or in the header row of
the table (tab/space-separated rows, as attachment extraction gives them) the number sits in.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from operator import mul

KINDS = ("id_card", "mobile", "bank_card")
KIND_NAMES = {"id_card": "身份证号", "mobile": "手机号", "bank_card": "银行卡号"}
CONTEXT_CHARS = 12
CUE_DISTANCE = 20            # bank cue within this many chars before (or after, same clause)


@dataclass(slots=True)
class PiiHit:
    kind: str        # "id_card" | "mobile" | "bank_card"
    start: int       # span of the value in the scanned text (separators included)
    end: int
    masked: str      # mask(text[start:end], kind): same length as the span
    context: str     # ≤ CONTEXT_CHARS chars each side, itself masked, whitespace flattened


# ---------------------------------------------------------------- candidates

_D = "[0-9\uff10-\uff19]"              # ASCII and full-width digits
_SEP = "[ \\-]"
#: Every candidate starts with 3 digits (a common prefix keeps the scan fast), then:
#: ≥ 8 more contiguous digits (+ check char X), or 3-4-4 / 4-4-4-4[-1..3] groups, or 6-8-4.
_CANDIDATE = re.compile(
    rf"{_D}{{3}}(?:{_D}{{8,}}[XxＸｘ]?"
    rf"|{_D}?{_SEP}{_D}{{4}}{_SEP}{_D}{{4}}(?:{_SEP}{_D}{{4}}(?:{_SEP}?{_D}{{1,3}})?)?"
    rf"|{_D}{{3}} {_D}{{8}} {_D}{{3}}[0-9XxＸｘ\uff10-\uff19])")
_GROUP_SPLIT = re.compile(_SEP)

_DIGITS = frozenset("0123456789０１２３４５６７８９")
#: A character that glues a number into a longer token (order numbers, codes, URL ids).
_WORD = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
                  "０１２３４５６７８９ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
                  "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ")
_TO_ASCII = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")

# ---------------------------------------------------------------- validation tables

_PROVINCES = frozenset(
    ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
     "71", "81", "82", "83", "91"])
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# ---------------------------------------------------------------- context cues

_CARD_CUE = re.compile("银行|账号|帐号|卡号|账户|帐户|开户|社保卡|储蓄卡|借记卡|信用卡|存折|折号|一卡通")
#: Accounts of institutions (a 缴款 notice's 财政专户) are public, not personal.
_ORG_ACCOUNT = re.compile(
    r"对公|基本户|基本账户|专户|单位账|单位帐"
    r"|(?:户\s*名|收款人|收款单位|账户名称|帐户名称|开户单位|单位名称)\s*[:：]?\s*[^\s，,。；;:：]{0,30}?"
    r"(?:局|委员会|委|办公室|中心|政府|公司|医院|学校|学院|大学|研究所|研究院|院|站|队|协会|商会|基金会"
    r"|财政|街道办事处|街道|社区|村民委员会|村委会|居委会|合作社|支行|分行)")
_ORG_WINDOW = 60
_CLAUSE_END = re.compile("[，,。；;！？\n]")
_CREDIT_CUE = re.compile("信用代码|组织机构代码|统一代码|注册号")
_ID_CUE = re.compile("身份证|证件号|身份号码|公民身份")
_CREDIT_WINDOW = 40
#: An 11-digit "mobile" right after these is a serial (unless 手机/电话 comes in between).
_SERIAL_CUE = re.compile("编号|单号|流水号|订单|批号|票号|序列号|文号|代码|登记号|证号|证书号|合同号")
_PHONE_CUE = re.compile("手机|电话|联系|移动|热线|tel|Tel|TEL|☎")
_SERIAL_WINDOW = 10
_AMOUNT_AFTER = frozenset("元万亿%‰")
_AMOUNT_BEFORE = frozenset("¥￥$")
_TABLE_CUE_REACH = 200_000     # chars a table-header bank cue reaches down its table


def _today() -> int:
    today = date.today()
    return today.year * 10000 + today.month * 100 + today.day


def _valid_birth(d: str, today: int) -> bool:
    """d[6:14] is YYYYMMDD of a real calendar date between 1900-01-01 and today."""
    ymd = int(d[6:14])
    if ymd < 19000101 or ymd > today:
        return False
    year, month, day = ymd // 10000, ymd // 100 % 100, ymd % 100
    if not 1 <= month <= 12 or day < 1 or day > _MONTH_DAYS[month]:
        return False
    return not (month == 2 and day == 29 and (year % 4 or (year % 100 == 0 and year % 400)))


def _id_structure(d: str, today: int) -> bool:
    """Province prefix and birth date of an 18-char ID look right (checksum not tested)."""
    return d[:2] in _PROVINCES and _valid_birth(d, today)


def id_checksum_ok(d: str) -> bool:
    """d: 17 digits + check char (digit or X/x)."""
    return _CHECK[sum(map(mul, map(int, d[:17]), _WEIGHTS)) % 11] == d[17].upper()


_LUHN_DOUBLE = {str(n): (2 * n - 9 if n > 4 else 2 * n) for n in range(10)}


def luhn_ok(d: str) -> bool:
    """d: digits only."""
    return (sum(map(int, d[-1::-2])) + sum(map(_LUHN_DOUBLE.__getitem__, d[-2::-2]))) % 10 == 0


# ---------------------------------------------------------------- masking

_KEEP = {"id_card": (6, 4), "mobile": (3, 4), "bank_card": (4, 4)}


def _significant(c: str) -> bool:
    return c in _DIGITS or c in "XxＸｘ*"      # "*": masking a masked value changes nothing


def mask(value: str, kind: str) -> str:
    """The value with its middle replaced by `*`, separators and length kept.

    IDs keep the first 6 and last 4 (`330102********1234`), mobiles 3 + 4 (`138****5678`;
    a leading +86/0086 counts as prefix and is kept), bank cards 4 + 4 (`6222 **** **** 7890`).
    """
    head, tail = _KEEP[kind]
    n = len(value)
    if (n == 11 or n >= 16) and (value.isdigit() or value[:-1].isdigit()):   # plain digits: fast path
        head += n - 11 if kind == "mobile" else 0
        return value[:head] + "*" * (n - head - tail) + value[n - tail:]
    positions = [i for i, c in enumerate(value) if _significant(c)]
    if kind == "mobile" and len(positions) > 11:
        head += len(positions) - 11
    hidden = positions[head:len(positions) - tail] if len(positions) > head + tail else positions
    chars = list(value)
    for i in hidden:
        chars[i] = "*"
    return "".join(chars)


# ---------------------------------------------------------------- scanning

def _clear_before(text: str, s: int) -> bool:
    if s == 0:
        return True
    c = text[s - 1]
    if c in _WORD:
        return False
    if c in "-." and s >= 2 and text[s - 2] in _DIGITS:
        # "+86-138…" / "0086-138…": a country code, not a longer number
        return text[max(0, s - 4):s - 1] == "+86" or text[max(0, s - 5):s - 1] == "0086"
    return True


def _clear_after(text: str, e: int) -> bool:
    if e >= len(text):
        return True
    c = text[e]
    if c in _WORD:
        return False
    return not (c in "-." and e + 1 < len(text) and text[e + 1] in _DIGITS)


class _Scan:
    """State of one scan: the text, today's date, and lazily the table-header bank cues."""

    __slots__ = ("text", "today", "_cues", "_table")

    def __init__(self, text: str):
        self.text, self.today, self._cues = text, _today(), None
        self._table = (-1, 0)      # (cue position, end of the last row known to be a table row)

    def id_hit(self, d: str, s: int) -> bool:
        if not (_id_structure(d, self.today) and id_checksum_ok(d)):
            return False
        lo = max(0, s - _CREDIT_WINDOW)
        credit = None
        for credit in _CREDIT_CUE.finditer(self.text, lo, s):
            pass
        if credit is None:
            return True
        # 统一社会信用代码 nearby: only an ID cue after it makes this an ID
        return _ID_CUE.search(self.text, credit.end(), s) is not None

    def mobile_hit(self, d: str, s: int, e: int) -> bool:
        if d[0] != "1" or d[1] not in "3456789" or d.endswith("000000"):   # …000000: an amount
            return False
        text = self.text
        after = text[e:e + 2].lstrip(" ")[:1]
        if after and after in _AMOUNT_AFTER:
            return False
        if s and text[s - 1] in _AMOUNT_BEFORE:
            return False
        lo = max(0, s - _SERIAL_WINDOW)
        serial = None
        for serial in _SERIAL_CUE.finditer(text, lo, s):
            pass
        return serial is None or _PHONE_CUE.search(text, serial.end(), s) is not None

    def card_hit(self, d: str, s: int, e: int) -> bool:
        if not luhn_ok(d):
            return False
        text = self.text
        if len(d) == 18 and _id_structure(d, self.today):
            return False          # an ID number (even a mistyped one) is not a bank card
        if _ORG_ACCOUNT.search(text, max(0, s - _ORG_WINDOW), s):
            return False
        if _CARD_CUE.search(text, max(0, s - CUE_DISTANCE), s):
            return True
        # after the number only within its own clause: "6222…（社保卡）", not "…，缴款账户：…"
        clause = _CLAUSE_END.search(text, e, e + CUE_DISTANCE)
        if _CARD_CUE.search(text, e, clause.start() if clause else min(len(text), e + CUE_DISTANCE)):
            return True
        return self._table_cue(s)

    def _table_cue(self, s: int) -> bool:
        """A bank cue in the header of the table this number sits in: every line from the
        cue's line down to the number's line is a row of cells (tab/space separated)."""
        text = self.text
        if self._cues is None:
            self._cues = [m.start() for m in _CARD_CUE.finditer(text)]
        i = bisect_right(self._cues, s) - 1
        if i < 0 or s - self._cues[i] > _TABLE_CUE_REACH:
            return False
        cue = self._cues[i]
        line_end = text.find("\n", s)
        line_end = len(text) if line_end < 0 else line_end
        known_cue, rows_until = self._table
        # rows already checked for this cue are not checked again (tables run long)
        if known_cue == cue and rows_until <= line_end:
            if rows_until == line_end:
                return True
            start = rows_until + 1
        else:
            start = text.rfind("\n", 0, cue) + 1
        ok = all(("\t" in row or " " in row or "\u3000" in row) for row in text[start:line_end].split("\n"))
        self._table = (cue, line_end) if ok else (-1, 0)
        return ok

    def classify(self, s: int, e: int) -> list[tuple[str, int, int]]:
        """Hits of the candidate text[s:e] (already boundary-checked), as (kind, start, end)."""
        raw = self.text[s:e]
        value = raw if raw.isascii() else raw.translate(_TO_ASCII)
        if " " in value or "-" in value:
            groups = [len(g) for g in _GROUP_SPLIT.split(value)]
            d = value.replace(" ", "").replace("-", "")
            if groups == [3, 4, 4]:
                return [("mobile", s, e)] if self.mobile_hit(d, s, e) else []
            if groups == [6, 8, 4]:
                return [("id_card", s, e)] if self.id_hit(d, s) else []
            if groups[:4] == [4, 4, 4, 4] and len(groups) <= 5 or groups[:3] == [4, 4, 4] \
                    and len(groups) == 4 and 5 <= groups[3] <= 7:
                return [("bank_card", s, e)] if d.isdigit() and self.card_hit(d, s, e) else []
            return []
        n = len(value)
        if n == 18 and self.id_hit(value, s):
            return [("id_card", s, e)]
        if not value.isdigit():
            return []
        if n == 11:
            return [("mobile", s, e)] if self.mobile_hit(value, s, e) else []
        if n == 13 and value.startswith("86") and s and self.text[s - 1] == "+" \
                or n == 15 and value.startswith("0086"):
            m = s + n - 11
            return [("mobile", m, e)] if self.mobile_hit(value[-11:], m, e) else []
        if 16 <= n <= 19:
            return [("bank_card", s, e)] if self.card_hit(value, s, e) else []
        return []


def _spans(text: str) -> list[tuple[str, int, int]]:
    if not text:
        return []
    scan = None
    found: list[tuple[str, int, int]] = []
    search = _CANDIDATE.search
    pos = 0
    while True:
        m = search(text, pos)
        if m is None:
            return found
        s, e = m.span()
        pos = e
        if scan is None:
            scan = _Scan(text)
        raw = m.group()
        grouped = " " in raw or "-" in raw
        if _clear_before(text, s) and _clear_after(text, e):
            hits = scan.classify(s, e)
            if not hits and grouped:
                # 4-4-4-4 plus a 1–3 digit tail that may be the next cell ("… 7890 12 张三")
                cut = max(raw.rfind(" "), raw.rfind("-"))
                if len(raw) - cut - 1 <= 3 and cut >= 19:
                    hits = scan.classify(s, s + cut)
            if hits:
                found.extend(hits)
                continue
        if grouped:
            # e.g. "2024 6222 0212 3456 7890": retry from the next group
            first = min(i for i in (raw.find(" "), raw.find("-")) if i >= 0)
            pos = s + first + 1


def _apply(text: str, spans) -> str:
    parts, last = [], 0
    for kind, s, e in spans:
        parts.append(text[last:s])
        parts.append(mask(text[s:e], kind))
        last = e
    parts.append(text[last:])
    return "".join(parts)


def _flat(context: str) -> str:
    if "\t" in context or "\n" in context or "\r" in context:
        return context.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return context


def find_personal_data(text: str) -> list[PiiHit]:
    """Unmasked personal values in `text`, in text order. Never raises on odd input."""
    spans = _spans(text)
    if not spans:
        return []
    masked_text = _apply(text, spans)
    return [PiiHit(kind=kind, start=s, end=e, masked=masked_text[s:e],
                   context=_flat(masked_text[max(0, s - CONTEXT_CHARS):e + CONTEXT_CHARS]))
            for kind, s, e in spans]


def mask_text(text: str, hits: list[PiiHit] | None = None) -> str:
    """`text` with every hit replaced by its masked form; same length, so positions stay valid.

    `hits` defaults to `find_personal_data(text)`; given hits must come from this same text.
    """
    if not text:
        return text
    spans = _spans(text) if hits is None else sorted(((h.kind, h.start, h.end) for h in hits),
                                                      key=lambda span: span[1])
    return _apply(text, spans) if spans else text
