"""availability (V1): failure ratio of homepage probes over the week before the run ended."""
from datetime import date, datetime, timedelta, timezone

import pandas as pd

from rules import availability
from rules.facts import RunFacts

AS_OF = date(2026, 3, 1)                                   # a fixed past day (demo style): not the window
ENDED = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
SITES = [{"id": s, "name": s, "department": f"d{s}", "start_urls": [f"http://{s}.gov.cn/"]} for s in "abcd"]
CONFIG = {"update_classes": {"基础信息": "每年"}, "sites": SITES, "rules": {}}


def probes(site, ok, failed, error="timeout: deadline passed", status=None, start=ENDED, source="probe"):
    """`ok` good and `failed` bad probes of `site`, one an hour going back from `start`."""
    rows = []
    for i in range(ok + failed):
        bad = i < failed
        rows.append({"site_id": site, "url": f"http://{site}.gov.cn/", "at": start - timedelta(hours=i),
                     "ok": not bad, "status": status if bad else 200, "response_ms": 300,
                     "error": error if bad else None, "source": source, "run_id": None})
    return rows


def check(rows, ended=ENDED, **settings):
    facts = RunFacts(run_id=1, config=CONFIG, ended_at=ended, probes=pd.DataFrame(rows))
    return {f.site_id: f for f in availability.check(facts, AS_OF, availability.META.settings(settings))}


def test_veto_at_five_percent_warning_at_three_nothing_below_or_without_failures():
    rows = (probes("a", 95, 5)                       # 5.0%: veto
            + probes("b", 96, 4)                     # 4.0%: early warning
            + probes("c", 98, 2)                     # 2.0%: below the warning line
            + probes("d", 150, 0))                   # nothing failed
    found = check(rows)
    assert sorted(found) == ["a", "b"]
    a, b = found["a"], found["b"]
    assert (a.severity, b.severity) == ("veto", "advisory")
    assert a.category == "availability" and a.department_id == "da" and a.url == "http://a.gov.cn/"
    assert a.detail == "近7日首页监测100次，失败5次（5.0%；超时5次），达到单项否决标准（5%）"
    assert b.detail.startswith("近7日首页监测100次，失败4次（4.0%；超时4次），已达预警线（3%）")
    assert (a.data["probes"], a.data["failed"], a.data["ratio"], a.data["sufficient"]) == (100, 5, 0.05, True)


def test_small_sample_is_at_most_advisory_and_says_so():
    found = check(probes("a", 10, 9))                # 47% failed, but only 19 probes
    f = found["a"]
    assert f.severity == "advisory" and f.data["sufficient"] is False
    assert f.detail == "近7日首页监测19次，失败9次（47.4%；超时9次），监测样本不足（少于20次），暂不作单项否决判定，请增加监测频次"
    assert check(probes("a", 10, 9), min_probes=10)["a"].severity == "veto"


def test_window_is_the_week_before_the_run_ended_not_as_of():
    old = probes("a", 0, 30, start=ENDED - timedelta(days=8))      # failures before the week
    late = probes("a", 0, 30, start=ENDED + timedelta(days=2))     # after the run ended (a later re-audit)
    recent = probes("a", 40, 0)
    assert check(old + late + recent) == {}
    # the week is (end - 7 days, end]: the failure at exactly 7 days before is out, the one at the end in
    edges = [probes("a", 0, 1, start=at)[0] for at in (ENDED - timedelta(days=7), ENDED - timedelta(days=7) + timedelta(seconds=1),
                                                       ENDED - timedelta(days=3), ENDED + timedelta(seconds=1))]
    found = check(edges + probes("a", 40, 0, start=ENDED - timedelta(minutes=1)) + [probes("a", 0, 1)[0]])
    assert found["a"].data["probes"] == 43 and found["a"].data["failed"] == 3


def test_crawl_probes_count_and_reasons_are_grouped():
    rows = (probes("a", 30, 3, error="http: HTTP 503", status=503) + probes("a", 0, 2, start=ENDED - timedelta(minutes=30))
            + probes("a", 1, 1, error="refused: Connection refused", source="crawl", start=ENDED - timedelta(minutes=5)))
    f = check(rows)["a"]
    assert (f.data["probes"], f.data["failed"]) == (37, 6)
    assert f.data["reasons"] == "HTTP 503错误3次、超时2次、拒绝连接1次"
    assert f.data["sources"] == {"probe": 35, "crawl": 2}


def test_naive_timestamps_are_utc_and_missing_run_end_uses_newest_probe():
    rows = probes("a", 95, 5)
    for row in rows:
        row["at"] = row["at"].replace(tzinfo=None)                  # as SQLite returns them
    assert check(rows, ended=ENDED.replace(tzinfo=None))["a"].severity == "veto"
    assert check(rows, ended=None)["a"].severity == "veto"


def test_thresholds_come_from_settings():
    assert check(probes("a", 96, 4), veto_ratio=0.04)["a"].severity == "veto"
    assert check(probes("a", 98, 2), warn_ratio=0.02)["a"].severity == "advisory"


def test_no_probes_no_finding():
    assert check([]) == {}
