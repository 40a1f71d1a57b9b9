"""Working days on the official calendar (chinesecalendar data), with 调休 make-up days.

Expected values come from the installed package's data, which matches the State Council
notices: 2025 春节 1月28日–2月4日 off, 1月26日(日)、2月8日(六) 上班; 2025 国庆/中秋 10月1日–8日 off,
9月28日(日)、10月11日(六) 上班; 2026 元旦 1月1日–3日 off, 1月4日(日) 上班; 2026 春节 2月15日–23日 off,
2月14日(六)、2月28日(六) 上班.
"""
from datetime import date, datetime, timedelta

import pytest

from govaudit.workdays import (
    CALENDAR_NAME, CalendarUnavailable, count_working_days, is_working_day, supported_range,
    working_days_between,
)


def test_same_day_is_zero_and_a_weekend_is_skipped():
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1        # Fri → Mon
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 30)) == 20      # four plain weeks


@pytest.mark.parametrize("day, working", [
    (date(2026, 2, 14), True),     # Saturday, 调休 make-up day for 春节
    (date(2026, 2, 28), True),     # Saturday, 调休
    (date(2026, 1, 4), True),      # Sunday, 调休 for 元旦
    (date(2026, 2, 16), False),    # Monday inside 春节
    (date(2026, 2, 23), False),    # Monday, last day of 春节
    (date(2026, 10, 7), False),    # Wednesday, last day of 国庆 2026
    (date(2026, 10, 8), True),     # Thursday after it: an ordinary working day
    (date(2025, 10, 8), False),    # Wednesday, 国庆/中秋 2025
    (date(2025, 10, 11), True),    # Saturday, 调休
    (date(2025, 1, 26), True),     # Sunday, 调休 before 春节 2025
    (date(2026, 3, 7), False),     # ordinary Saturday
])
def test_official_days(day, working):
    assert is_working_day(day) is working


def test_spring_festival_2026_with_make_up_saturdays():
    # Fri 2-13 → Tue 2-24: Sat 2-14 (调休) and Tue 2-24 are the only working days
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2
    # Fri 2-27 → Mon 3-2: Sat 2-28 is a working day, Sun 3-1 is not
    assert working_days_between(date(2026, 2, 27), date(2026, 3, 2)) == 2
    # 2-10 → 3-10 is 28 calendar days but only 16 working days
    assert working_days_between(date(2026, 2, 10), date(2026, 3, 10)) == 16


def test_national_day_2025():
    # Fri 9-26 → Fri 10-10: 9-28 (Sunday 调休), 9-29, 9-30, 10-9, 10-10; 10-1…10-8 off
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 10)) == 5
    assert working_days_between(date(2025, 10, 10), date(2025, 10, 11)) == 1    # Saturday 调休


def test_datetimes_and_reversed_intervals():
    assert working_days_between(datetime(2026, 3, 6, 18), datetime(2026, 3, 9, 8)) == 1
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 6)) == -1


def test_outside_the_data_strict_raises_lenient_estimates():
    first, last = supported_range()
    assert first == date(2004, 1, 1) and last >= date(2026, 12, 31)
    after = last + timedelta(days=1)                  # 1 January of the first year without data
    with pytest.raises(CalendarUnavailable, match="超出"):
        working_days_between(last - timedelta(days=1), after + timedelta(days=7))
    with pytest.raises(CalendarUnavailable):
        is_working_day(after)
    result = count_working_days(last, after + timedelta(days=6))   # 7 days beyond the data
    weekdays = sum((after + timedelta(days=n)).weekday() < 5 for n in range(7))
    assert (result.days, result.official, result.estimated_days) == (weekdays, False, 7)
    assert "周一至周五" in result.calendar and "仅供参考" in result.note
    # Mon 2003-12-29 → Fri 2004-01-02: 12-30 and 12-31 estimated (2 weekdays), 1-1 holiday, 1-2 working
    before = count_working_days(date(2003, 12, 29), date(2004, 1, 2))
    assert (before.days, before.official, before.estimated_days) == (3, False, 2)


def test_inside_the_data_is_official():
    result = count_working_days(date(2026, 2, 13), date(2026, 2, 24))
    assert (result.days, result.official, result.calendar, result.note) == (2, True, CALENDAR_NAME, None)
