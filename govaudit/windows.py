"""Update windows written the way supervisors write them.

"一日一更新", "两周", "每月", "每季度", "半年", "每年", "14天", "6个月", "1 year" … all parse to a
`Window` of calendar days and/or months. Months are calendar months (6 months before
2026-11-20 is 2026-05-20), because that is how an inspector counts "6个月未更新".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

#: unit word -> (days, months) per unit
_UNITS = {
    "天": (1, 0), "日": (1, 0), "day": (1, 0), "days": (1, 0), "d": (1, 0),
    "周": (7, 0), "星期": (7, 0), "week": (7, 0), "weeks": (7, 0), "w": (7, 0),
    "月": (0, 1), "个月": (0, 1), "month": (0, 1), "months": (0, 1), "m": (0, 1),
    "季度": (0, 3), "季": (0, 3), "quarter": (0, 3), "quarters": (0, 3), "q": (0, 3),
    "年": (0, 12), "year": (0, 12), "years": (0, 12), "y": (0, 12),
}
_HALVES = {"半月": (15, 0), "半个月": (15, 0), "半年": (0, 6)}
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
# ASCII units must stand alone ("3m", "14 days"), so "sometimes" does not read as a month.
_AMOUNT_RE = re.compile(rf"(\d+|[零一二两三四五六七八九十]+)?\s*(?<![a-z])({_UNIT_RE})(?![a-z])", re.IGNORECASE)


class WindowError(ValueError):
    """A window phrase that cannot be read."""


@dataclass(frozen=True)
class Window:
    days: int = 0
    months: int = 0

    def start(self, as_of: date) -> date:
        """The earliest date that still counts as 'updated within the window' as of `as_of`."""
        return as_of - relativedelta(months=self.months, days=self.days)

    @property
    def nominal_days(self) -> int:
        """Length in days for display and sorting (months counted as 365/12 days)."""
        return self.days + round(self.months * 365 / 12)

    def label(self) -> str:
        """Chinese label, e.g. '14天', '6个月', '1年'."""
        if self.months and not self.days:
            return f"{self.months // 12}年" if self.months % 12 == 0 else f"{self.months}个月"
        if self.days and not self.months:
            return f"{self.days}天"
        return f"{self.months}个月{self.days}天"


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def parse_window(value: str | int) -> Window:
    """Parse '两周', '每季度', '一日一更新', '6个月', '14 days', 14 (days) … into a Window.

    Phrases like '一周一更新' name the window once and repeat the verb; only the first
    amount+unit is read. Raises WindowError with the accepted forms when nothing matches.
    """
    if isinstance(value, int):
        if value <= 0:
            raise WindowError(f"window must be positive, got {value}")
        return Window(days=value)
    text = str(value).strip().lower()
    if text.isdigit():
        return parse_window(int(text))
    for word, (days, months) in _HALVES.items():
        if word in text:
            return Window(days, months)
    match = _AMOUNT_RE.search(text)
    if not match:
        raise WindowError(
            f"cannot read update window {value!r}; write e.g. 一日一更新, 每周, 两周, 每月, 每季度, 半年, 每年, "
            "14天, 6个月, 1年 or a number of days"
        )
    amount = _cn_number(match.group(1)) if match.group(1) else 1
    days, months = _UNITS[match.group(2)]
    if amount <= 0:
        raise WindowError(f"window must be positive, got {value!r}")
    return Window(days * amount, months * amount)
