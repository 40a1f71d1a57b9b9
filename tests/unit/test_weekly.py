"""What `govaudit run` produces on which day (config `schedule:`), and where the files go."""
from datetime import date, timedelta
from pathlib import Path

import pytest

from govaudit.config import Schedule, parse_config
from govaudit.weekly import day_dir, month_dir, monthly_month, out_root, plan
from reports.scoring import previous_month


@pytest.mark.parametrize("day, month", [
    (date(2026, 11, 30), None), (date(2026, 12, 1), "2026-11"), (date(2026, 12, 7), "2026-11"),
    (date(2026, 12, 8), None), (date(2027, 1, 3), "2026-12"),
])
def test_first_run_on_or_after_day_1_reports_the_previous_month(day, month):
    assert monthly_month(Schedule(), day) == month


@pytest.mark.parametrize("day, month", [
    (date(2026, 12, 4), None), (date(2026, 12, 5), "2026-11"), (date(2026, 12, 11), "2026-11"),
    (date(2026, 12, 12), None),
])
def test_a_later_monthly_day(day, month):
    assert monthly_month(Schedule(monthly_day=5), day) == month


@pytest.mark.parametrize("day, month", [
    (date(2026, 11, 23), None), (date(2026, 11, 24), "2026-11"), (date(2026, 11, 30), "2026-11"),
    (date(2027, 2, 21), None), (date(2027, 2, 22), "2027-02"),
])
def test_last_run_of_the_month_reports_that_month(day, month):
    assert monthly_month(Schedule(monthly_day="last"), day) == month


@pytest.mark.parametrize("monthly_day", [1, 15, 22, "last"])
@pytest.mark.parametrize("first", [date(2026, 1, 1) + timedelta(days=n) for n in range(7)])
def test_weekly_runs_produce_every_month_exactly_once(monthly_day, first):
    schedule = Schedule(monthly_day=monthly_day)
    days = [first + timedelta(weeks=n) for n in range(110)]
    months = [m for m in (monthly_month(schedule, d) for d in days) if m]
    assert months == sorted(set(months))                       # each once, in order …
    for before, after in zip(months, months[1:]):             # … and none skipped
        assert previous_month(after) == before
    assert len(months) >= 24                                  # 110 weeks: two years and more


def test_fortnightly_runs_use_a_fortnight_window():
    schedule = Schedule(every_days=14, monthly_day=1)
    assert monthly_month(schedule, date(2026, 12, 14)) == "2026-11"
    assert monthly_month(schedule, date(2026, 12, 15)) is None


def test_send_on_the_command_line_overrides_the_schedule():
    schedule = Schedule(send_notices=True, reminders=False)
    assert plan(schedule, date(2026, 12, 1)).send_notices is True
    assert plan(schedule, date(2026, 12, 1), send=False).send_notices is False
    forced = plan(schedule, date(2026, 12, 1), send=True)
    assert (forced.send_notices, forced.send_reminders) == (True, False)    # reminders are off: nothing to send


def test_dated_layout_next_to_the_config(tmp_path):
    config = parse_config({"departments": [{"id": "a", "name": "甲"}], "schedule": {"out_dir": "reports"},
                           "sites": [{"id": "s", "name": "站", "department": "a", "start_urls": ["http://a.gov.cn/"]}]},
                          tmp_path / "sites.yaml")
    root = out_root(config)
    assert root == tmp_path / "reports"
    assert out_root(config, "elsewhere") == Path("elsewhere")
    assert month_dir(root, "2026-11") == tmp_path / "reports" / "2026-11"
    assert day_dir(root, date(2026, 12, 1)) == tmp_path / "reports" / "2026-12" / "2026-12-01"
