"""Working days (工作日) on the official Chinese calendar, 调休 make-up days included.

The calendar data comes from the PyPI package ``chinesecalendar`` (import name
``chinese_calendar``), which tracks the State Council's yearly holiday notices and so covers
2004 up to the year after its release. Outside that range nothing is known about holidays:

- `working_days_between` (strict) raises `CalendarUnavailable`;
- `count_working_days` (lenient) counts those days as Monday–Friday working days and says so
  (``official=False``), so a caller can report the figure as an estimate instead of failing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar

#: What the official figures are based on, for findings' data.
CALENDAR_NAME = f"chinesecalendar {chinese_calendar.__version__}"
WEEKDAY_FALLBACK = "周一至周五（超出官方日历数据范围，未计节假日与调休）"


class CalendarUnavailable(ValueError):
    """A date outside the years the installed chinesecalendar data covers."""


def supported_range() -> tuple[date, date]:
    """First and last day the installed calendar data covers (whole years)."""
    years = [d.year for d in chinese_calendar.holidays]
    return date(min(years), 1, 1), date(max(years), 12, 31)


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


@lru_cache(maxsize=8192)
def _official(day: date) -> bool | None:
    """Whether `day` is an official working day; None when the calendar has no data for it."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def is_working_day(day: date) -> bool:
    """Official working day (holidays off, 调休 weekend make-up days on); raises
    `CalendarUnavailable` outside `supported_range()`."""
    official = _official(_day(day))
    if official is None:
        first, last = supported_range()
        raise CalendarUnavailable(f"{day.isoformat()} 超出{CALENDAR_NAME}的日历数据范围"
                                  f"（{first.year}–{last.year}年）")
    return official


@dataclass(frozen=True)
class WorkdayCount:
    days: int                 # working days after start up to and including end (negative if end < start)
    official: bool            # every day counted was on the official calendar
    calendar: str             # CALENDAR_NAME, or that plus the weekday fallback
    estimated_days: int = 0   # days of the interval counted Monday–Friday for lack of data

    @property
    def note(self) -> str | None:
        """The advisory sentence a report prints when the figure is an estimate."""
        if self.official:
            return None
        first, last = supported_range()
        return (f"所涉日期有{self.estimated_days}天超出官方节假日数据范围（{first.year}–{last.year}年），"
                f"该部分按周一至周五计算工作日，结果仅供参考")


def _walk(start: date, end: date):
    day = start + timedelta(days=1)
    while day <= end:
        yield day
        day += timedelta(days=1)


def count_working_days(start: date, end: date) -> WorkdayCount:
    """Working days after `start` up to and including `end`; never raises for range reasons.

    Days the calendar data does not cover are counted Monday–Friday and the result is marked
    ``official=False``. `end` before `start` gives the negated count of the reverse interval.
    """
    start, end = _day(start), _day(end)
    if end < start:
        reverse = count_working_days(end, start)
        return WorkdayCount(-reverse.days, reverse.official, reverse.calendar, reverse.estimated_days)
    days = estimated = 0
    for day in _walk(start, end):
        official = _official(day)
        if official is None:
            estimated += 1
            official = day.weekday() < 5
        days += official
    calendar = CALENDAR_NAME if not estimated else f"{CALENDAR_NAME}；{WEEKDAY_FALLBACK}"
    return WorkdayCount(days, estimated == 0, calendar, estimated)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` on the official calendar.

    Same day → 0; a Friday to the next Monday → 1. `end` before `start` gives a negative
    count. Raises `CalendarUnavailable` when any counted day is outside `supported_range()`
    (use `count_working_days` for a Monday–Friday estimate instead).
    """
    result = count_working_days(start, end)
    if not result.official:
        first, last = supported_range()
        raise CalendarUnavailable(f"{min(start, end).isoformat()}–{max(start, end).isoformat()} 超出"
                                  f"{CALENDAR_NAME}的日历数据范围（{first.year}–{last.year}年）")
    return result.days


@lru_cache(maxsize=4096)
def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (a deadline such as 10 个工作日 from a notice).

    Official calendar with 调休 make-up days; days outside the calendar data are counted
    Monday–Friday, as `count_working_days` does. ``days <= 0`` gives `start` itself.
    """
    day, left = _day(start), days
    while left > 0:
        day += timedelta(days=1)
        official = _official(day)
        left -= official if official is not None else day.weekday() < 5
    return day
