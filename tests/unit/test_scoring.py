"""Scores, months, ranks and grades (reports/scoring.py) with hand-computed expectations."""
import json
import re
from datetime import date

import pandas as pd
import pytest
import yaml

from govaudit.config import ConfigError, Scoring, parse_config
from govaudit.pipeline import config_snapshot
from govaudit.starter import STARTER_CONFIG
from govaudit.store import Store
from reports.scoring import (FAIL, PASS, RULE_INDICATORS, bottom, compare, department_scores,
                             finding_points, grade, indicator_deductions, indicator_table, month_frames,
                             month_judgement, previous_month, rank, site_scores, sites_frame)

DEFAULT = Scoring()
AGGREGATE = frozenset({"stale_count", "blank_count"})
SNAPSHOT = {"departments": [{"id": "a", "name": "甲局"}, {"id": "b", "name": "乙局"}],
            "sites": [{"id": "a1", "name": "甲局网站", "department": "a"},
                      {"id": "a2", "name": "甲局信息公开", "department": "a"},
                      {"id": "b1", "name": "乙局网站", "department": "b"}]}


def finding(rule, site="a1", severity="deduct", column=None, url=None, run=1, detail="", **data):
    return {"rule": rule, "category": rule, "severity": severity, "department_id": site[:1] if site else None,
            "site_id": site, "column": column, "url": url, "detail": detail, "run_id": run,
            "data": json.dumps(data, ensure_ascii=False)}


def frame(*rows):
    out = pd.DataFrame(list(rows), columns=["rule", "category", "severity", "department_id", "site_id", "column",
                                            "url", "detail", "run_id", "data"])
    return out.assign(id=range(1, len(out) + 1))


def stale(n, site="a1", cls="动态要闻", prefix="c"):
    return [finding("column_stale", site, column=f"{prefix}{i}", url=f"http://x/{site}/{prefix}{i}/", update_class=cls)
            for i in range(n)]


def scores(*rows, scoring=DEFAULT, snapshot=SNAPSHOT):
    points = finding_points(frame(*rows), scoring, AGGREGATE)
    return site_scores(points, sites_frame(1, snapshot), scoring).set_index("site_id")


# --- the table -------------------------------------------------------------------------------------
def test_every_rule_maps_to_an_indicator_with_points_and_cap():
    from rules.registry import all_rules

    table = indicator_table(DEFAULT).set_index("indicator")
    expected = {m.META.id for m in all_rules()} | {"availability", "homepage_stale", "annual_report", "forged_date"}
    assert expected <= set(RULE_INDICATORS)
    for rule in expected:
        route = RULE_INDICATORS[rule]
        targets = {route} if isinstance(route, str) else {*route.map.values(), route.default}
        assert targets <= set(table.index), rule
    assert table[["points", "cap"]].notna().all().all() and (table["cap"] >= table["points"]).all()
    confirmed = table[table["source"].str.contains("19号") & (table["points"] > 0)]
    assert sorted(confirmed["points"]) == [2, 3, 5] and set(confirmed["confidence"]) == {"P"}
    local = table[table["points"] > 0].drop(confirmed.index)
    assert set(local["confidence"]) == {"U"} and set(local["source"]) == {"本地默认值"}
    assert {"availability", "homepage_stale", "forged_date"} <= set(table.loc["veto_unreachable":"veto_severe", "rules"].sum())


# --- sites ----------------------------------------------------------------------------------------
def test_veto_gate_lists_reasons_and_computes_no_score():
    site = scores(finding("integrity", "a1", "veto", detail="首页含暗链"), *stale(3, "a1"),
                  finding("stale_count", "a2", "advisory", detail="预警"), finding("column_blank", "a2", column="空",
                                                                                   url="http://x/a2/k/"))
    assert site.loc["a1", "veto"] and pd.isna(site.loc["a1", "score"]) and site.loc["a1", "verdict"] == FAIL
    assert site.loc["a1", "veto_reasons"] == ["首页含暗链"]
    # decoy: an early warning of an aggregate rule neither vetoes nor deducts
    assert not site.loc["a2", "veto"] and site.loc["a2", "score"] == 99 and site.loc["a2", "verdict"] == PASS
    assert site.loc["b1", "score"] == 100 and site.loc["b1", "veto_reasons"] == []


def test_each_indicator_is_capped():
    site = scores(*stale(12, "a1"), *stale(3, "a2"), *[finding("privacy", "b1", url=f"u{i}") for i in range(4)])
    assert site.loc["a1", "deductions"] == 10 and site.loc["a1", "score"] == 90      # 12 × 1, cap 10
    assert site.loc["a2", "score"] == 97                                             # 3 × 1, under the cap
    assert site.loc["b1", "score"] == 92                                             # privacy 4 × 2 = 8 ≤ 10
    table = indicator_deductions(finding_points(frame(*stale(12, "a1")), DEFAULT, AGGREGATE), DEFAULT)
    assert table[["findings", "points", "cap", "deducted", "capped"]].iloc[0].tolist() == [12, 12, 10, 10, True]


def test_no_double_deduction_for_a_column():
    policy = [finding("column_stale", "a1", column="政策文件", url="http://x/zcwj/", update_class="政策文件"),
              finding("column_blank", "a1", column="政策文件", url="http://x/zcwj/"),
              finding("column_stale", "a1", column="规范性文件", url="http://x/gfxwj/", update_class="政策文件")]
    decoy = finding("column_blank", "a1", column="通知公告", url="http://x/tzgg/")
    points = finding_points(frame(*policy, decoy), DEFAULT, AGGREGATE)
    assert points["indicator"].tolist() == ["policy_stale", "column_blank", "policy_stale", "column_blank"]
    assert points["status"].tolist() == ["deducted", "duplicate", "deducted", "deducted"]
    assert points["counted_under"].tolist()[1] == "policy_stale"
    # two stale policy columns: −5 once (the cap), never again under 栏目更新不及时; the blank decoy −1
    site = site_scores(points, sites_frame(1, SNAPSHOT), DEFAULT).set_index("site_id")
    assert site.loc["a1", "deductions"] == 6 and site.loc["a1", "score"] == 94


def test_below_the_pass_mark_fails_and_the_pass_mark_itself_passes():
    def lots(site, n):      # privacy 10 + section 8 + annual report 6 + timeliness 5 + identity 3 + n stale
        counts = {"privacy": 5, "section_missing": 4, "annual_report": 3, "timeliness": 10, "identity": 6}
        return [finding(rule, site, url=f"{rule}{i}") for rule, k in counts.items() for i in range(k)] + stale(n, site)

    site = scores(*lots("a1", 9), *lots("a2", 8))
    assert site.loc["a1", "score"] == 59 and site.loc["a1", "verdict"] == FAIL and not site.loc["a1", "veto"]
    assert site.loc["a2", "score"] == 60 and site.loc["a2", "verdict"] == PASS


def test_advisory_aggregate_and_unknown_rules_never_deduct():
    rows = [finding("unverifiable_link", "a1", "advisory", url="u1"),
            finding("stale_count", "a1", "deduct", detail="计数"),          # an aggregate never deducts on top
            finding("brand_new_rule", "a1", url="u2"),
            finding("brand_new_veto", "a2", "veto", detail="新否决项"),      # its veto is the finding's own judgement
            finding("dead_link", None, url="u3")]                         # no site owns it
    points = finding_points(frame(*rows), DEFAULT, AGGREGATE)
    assert points["status"].tolist() == ["advisory", "aggregate", "unknown_rule", "veto", "no_site"]
    assert points["points"].sum() == 0
    site = site_scores(points, sites_frame(1, SNAPSHOT), DEFAULT).set_index("site_id")
    assert site.loc["a1", "score"] == 100 and site.loc["a2", "veto_reasons"] == ["新否决项"]


def test_points_a_rule_attaches_unless_the_config_sets_them():
    links = [finding("dead_link", "a1", url="h", points=1.0, points_each=0.1),
             finding("dead_link", "a1", url="p", points=0.1), finding("identity", "a2", url="i", points_each=0.75)]
    assert scores(*links).loc[["a1", "a2"], "deductions"].tolist() == [1.1, 0.75]
    configured = Scoring(indicators={"links": {"points": 2, "cap": 3}})
    assert scores(*links, scoring=configured).loc[["a1", "a2"], "deductions"].tolist() == [3, 0.75]


def test_routes_and_new_indicators_from_the_config():
    custom = Scoring(indicators={"notices": {"title": "通知公告栏目", "points": 4, "cap": 8, "per_column": True}},
                     rules={"column_stale": {"by": "update_class", "map": {"通知公告": "notices"},
                                             "default": "column_stale"}})
    rows = [*stale(3, "a1", "通知公告", "n"), *stale(1, "a1", "政策文件", "p")]
    assert scores(*rows, scoring=custom).loc["a1", "deductions"] == 9        # 3 × 4 capped at 8, + 1
    assert scores(*rows).loc["a1", "deductions"] == 8                        # default: 3 × 1 + 5 (policy)


# --- months, departments, ranks --------------------------------------------------------------------
def site_runs(rows):
    """(run_id, as_of, site_id, veto, score) rows as site_scores output."""
    out = pd.DataFrame(rows, columns=["run_id", "as_of", "site_id", "veto", "score"])
    names = {"a1": "甲局网站", "a2": "甲局信息公开", "b1": "乙局网站", "c1": "丙局网站"}
    out["site"] = out["site_id"].map(names)
    out["department_id"] = out["site_id"].str[0]
    out["department"] = out["department_id"].map({"a": "甲局", "b": "乙局", "c": "丙局"})
    out["veto_reasons"] = [["否决"] if v else [] for v in out["veto"]]
    out["verdict"] = [FAIL if v or s < 60 else PASS for v, s in zip(out["veto"], out["score"])]
    return out


def test_last_or_worst_run_judges_the_month():
    runs = site_runs([(1, date(2026, 5, 4), "a1", False, 70.0), (2, date(2026, 5, 11), "a1", True, None),
                      (3, date(2026, 5, 25), "a1", False, 95.0),
                      (1, date(2026, 5, 4), "b1", False, 55.0), (3, date(2026, 5, 25), "b1", False, 58.0),
                      (2, date(2026, 5, 11), "c1", False, 80.0)])          # c1 only in one run
    last = month_judgement(runs, "last").set_index("site_id")
    assert last["run_id"].to_dict() == {"a1": 3, "b1": 3, "c1": 2}
    worst = month_judgement(runs, "worst").set_index("site_id")
    assert worst["run_id"].to_dict() == {"a1": 2, "b1": 1, "c1": 2} and worst.loc["a1", "verdict"] == FAIL


def test_department_with_two_sites():
    sites = site_runs([(1, date(2026, 5, 4), "a1", False, 92.0), (1, date(2026, 5, 4), "a2", False, 70.0),
                       (1, date(2026, 5, 4), "b1", False, 58.0), (1, date(2026, 5, 4), "c1", True, None)])
    sites.loc[sites["site_id"] == "c1", "department_id"] = "a"               # a third site of 甲局, vetoed
    by_min = department_scores(sites[sites["site_id"] != "c1"], DEFAULT).set_index("department_id")
    assert by_min.loc["a", ["sites", "sites_failed", "score", "verdict"]].tolist() == [2, 0, 70.0, PASS]
    by_mean = department_scores(sites[sites["site_id"] != "c1"], Scoring(department_score="mean"))
    assert by_mean.set_index("department_id").loc["a", "score"] == 81.0
    vetoed = department_scores(sites, DEFAULT).set_index("department_id")
    assert vetoed.loc["a", "veto"] and pd.isna(vetoed.loc["a", "score"]) and vetoed.loc["a", "verdict"] == FAIL
    assert vetoed.loc["a", "veto_reasons"] == ["丙局网站：否决"] and vetoed.loc["b", "verdict"] == FAIL


def units(rows):
    """(id, name, score, verdict, veto) rows."""
    return pd.DataFrame(rows, columns=["department_id", "department", "score", "verdict", "veto"])


def test_ranks_with_ties_and_failures_below_passes():
    table = rank(units([("e", "戊局", 61.0, PASS, False), ("b", "乙局", 90.0, PASS, False),
                        ("a", "甲局", 90.0, PASS, False), ("c", "丙局", 75.0, FAIL, False),   # 不合格 by a site
                        ("v", "庚局", None, FAIL, True), ("d", "丁局", 85.0, PASS, False),
                        ("w", "辛局", None, FAIL, True)]), "department", "department_id")
    assert table["department_id"].tolist() == ["b", "a", "d", "e", "c", "v", "w"]   # ties: by name (乙 < 甲)
    assert table["rank"].tolist() == [1, 1, 3, 4, 5, 6, 6]


def test_previous_month_changes():
    now = rank(units([("a", "甲局", 90.0, PASS, False), ("b", "乙局", 55.0, FAIL, False),
                      ("c", "丙局", 80.0, PASS, False)]), "department", "department_id")
    before = rank(units([("a", "甲局", 70.0, PASS, False), ("b", "乙局", 85.5, PASS, False)]),
                  "department", "department_id")
    out = compare(now, before, "department_id").set_index("department_id")
    assert out.loc["a", ["score_change", "rank_change", "previous_rank", "verdict_change"]].tolist() == [20.0, 1, 2, "不变"]
    assert out.loc["b", ["score_change", "rank_change", "verdict_change"]].tolist() == [-30.5, -2, "转为不合格"]
    assert pd.isna(out.loc["c", "previous_score"]) and pd.isna(out.loc["c", "rank_change"])
    assert out.loc["c", "verdict_change"] is None and out.loc["c", "previous_verdict"] is None
    first = compare(now, None, "department_id")
    assert first["verdict_change"].isna().all() and first["previous_rank"].isna().all()


def test_grade_edges():
    grades = Scoring(grades=[[70, 60], [90, "满分"], [80, 90], [0, 0]]).grades
    assert grades == [(90, "满分"), (80, "90"), (70, "60"), (0, "0")]
    scores = pd.Series([100, 90, 89.99, 80, 79.5, 70, 69.9, 0, None])
    assert grade(scores, grades).tolist() == ["满分", "满分", "90", "90", "60", "60", "0", "0", "0"]
    assert grade(pd.Series([85.0, 60.0]), [(90, "满分"), (80, "90")]).tolist() == ["90", None]
    assert grade(pd.Series([85.0]), []).tolist() == [None]


def test_bottom_n_includes_ties():
    ranks = pd.Series([1, 2, 3, 3, 5], index=list("abcde"))
    assert bottom(ranks, 2).tolist() == [False, False, True, True, True]     # the 2nd from bottom ties with c
    assert bottom(ranks, 1).tolist() == [False, False, False, False, True]
    assert not bottom(ranks, 0).any() and bottom(ranks, 9).tolist() == [False, True, True, True, True]
    assert bottom(pd.Series([1, 1, 1, 1, 5]), 2).tolist() == [False, False, False, False, True]
    assert not bottom(pd.Series([1, 1, 1]), 3).any()                        # everyone ties: nobody is last


def test_previous_month_wraps_the_year():
    assert previous_month("2026-01") == "2025-12" and previous_month("2026-11") == "2026-10"


# --- config ---------------------------------------------------------------------------------------
BASE = {"departments": [{"id": "a", "name": "甲局"}],
        "sites": [{"id": "a1", "name": "甲局网站", "department": "a", "start_urls": ["http://a.gov.cn/"]}]}


def config_problems(scoring):
    with pytest.raises(ConfigError) as info:
        parse_config({**BASE, "scoring": scoring}, "sites.yaml")
    return str(info.value)


def test_scoring_config_errors_name_field_and_fix():
    text = config_problems({"indicators": {"column_stal": {"points": 2}}})
    assert "sites.yaml: scoring.indicators.column_stal: unknown indicator" in text and "`column_stale`" in text
    text = config_problems({"rules": {"column_stale": "nowhere", "no_such_rule": "privacy"}})
    assert "scoring.rules.column_stale: unknown indicator 'nowhere'" in text
    assert "scoring.rules.no_such_rule: unknown rule" in text
    assert "scoring.month_judgement" in config_problems({"month_judgement": "best"})
    assert "own minimum" in config_problems({"grades": [[90, "满分"], [90, "90"]]})
    assert "did you mean `pass_mark`" in config_problems({"pass_mrk": 50})
    assert "scoring.rules.column_stale.route.default: Field required" in config_problems(
        {"rules": {"column_stale": {"by": "update_class"}}})
    cfg = parse_config({**BASE, "scoring": {"indicators": {"mine": {"points": 1, "cap": 2}},
                                            "rules": {"privacy": "mine"}}})
    assert cfg.scoring.rules["privacy"] == "mine"


def test_starter_scoring_section_is_valid_when_uncommented():
    block = re.search(r"^# scoring:\n(?:#.*\n)+", STARTER_CONFIG, re.M).group(0)
    data = yaml.safe_load("\n".join(re.sub(r"^# ?", "", line) for line in block.splitlines()))
    cfg = parse_config({**BASE, **data})
    assert cfg.scoring.grades[0] == (90, "满分") and cfg.scoring.month_judgement == "last"


# --- from the store ---------------------------------------------------------------------------------
def stored_run(store, snapshot, as_of, rows):
    run_id = store.new_run(None, None, snapshot)
    store.replace_findings(run_id, as_of, sorted({r["rule"] for r in rows}),
                           [{k: v for k, v in r.items() if k != "run_id"} for r in rows])
    return run_id


def test_month_frames_from_a_store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    config = parse_config({**BASE, **SNAPSHOT, "sites": [{**s, "start_urls": ["http://a.gov.cn/"]}
                                                         for s in SNAPSHOT["sites"]],
                           "scoring": {"grades": [[90, "满分"], [0, "0"]], "bottom_n": 1}})
    snapshot = config_snapshot(config)
    assert snapshot["scoring"]["bottom_n"] == 1
    assert Scoring.model_validate(json.loads(json.dumps(snapshot["scoring"]))) == config.scoring
    stored_run(store, snapshot, date(2026, 4, 27), [
        *stale(2, "a1"), finding("integrity", "b1", "veto", detail="首页含暗链")])
    may = stored_run(store, snapshot, date(2026, 5, 25), [
        *stale(12, "a2"), finding("privacy", "b1", url="http://x/b1/gs.xls"),
        finding("blank_count", "b1", "advisory", detail="预警")])
    frames = month_frames(store, "2026-05")
    assert frames.runs["run_id"].tolist() == [may]
    sites = frames.sites.set_index("site_id")
    assert sites["score"].to_dict() == {"a1": 100.0, "a2": 90.0, "b1": 98.0}
    assert sites.loc["a1", "score_change"] == 2 and sites.loc["b1", "verdict_change"] == "转为合格"
    depts = frames.departments.set_index("department_id")
    # April: 甲局 min(98, 100) = 98 rank 1; 乙局 vetoed rank 2. May: 乙局 98 rank 1; 甲局 min(100, 90) = 90 rank 2
    assert depts[["score", "rank", "previous_rank", "rank_change", "grade"]].to_dict("index") == {
        "a": {"score": 90.0, "rank": 2, "previous_rank": 1, "rank_change": -1, "grade": "满分"},
        "b": {"score": 98.0, "rank": 1, "previous_rank": 2, "rank_change": 1, "grade": "满分"}}
    assert depts["warning"].to_dict() == {"a": True, "b": False}
    assert pd.isna(depts.loc["b", "previous_score"]) and depts.loc["b", "verdict_change"] == "转为合格"
    assert frames.unknown_rules.empty and frames.deductions["capped"].sum() == 1
    # a config given at report time wins over the stored one
    strict = month_frames(store, "2026-05", Scoring(pass_mark=95, department_score="mean"))
    assert strict.departments.set_index("department_id")[["score", "verdict"]].to_dict("index") == {
        "a": {"score": 95.0, "verdict": FAIL}, "b": {"score": 98.0, "verdict": PASS}}
    first = month_frames(store, "2026-04").departments
    assert first["verdict_change"].isna().all() and first["previous_rank"].isna().all()
    assert first["department_id"].tolist() == ["a", "b"] and first["warning"].tolist() == [False, True]
    assert first["veto_reasons"].tolist() == [[], ["乙局网站：首页含暗链"]]


def test_a_finding_marked_false_positive_neither_vetoes_nor_deducts(tmp_path):
    import ledger_runs as lr
    from govaudit import ledger

    store = Store(f"sqlite:///{tmp_path / 'marks.db'}")
    lr.audited_run(store, date(2026, 5, 20), [
        lr.stale("jyj", "通知公告", "2025-10-01"), lr.stale("mzj", "通知公告", "2025-10-01"),
        lr.finding("expression", "jyj", "http://jyj.qingxi.gov.cn/a.html", "国务园办公厅", severity="veto",
                   data={"wrong": "国务园办公厅"})])
    before = month_frames(store, "2026-05").sites.set_index("site_id")
    assert before.loc["jyj", "veto"] and before.loc["mzj", "score"] == 99.0
    for problem in ledger.ledger_frame(store).itertuples():
        if problem.rule == "expression" or problem.site == "mzj":
            ledger.set_mark(store, problem.fingerprint, "false-positive", "人工核实为误报", "审核员")
    after = month_frames(store, "2026-05")
    sites = after.sites.set_index("site_id")
    assert not sites.loc["jyj", "veto"] and sites.loc["jyj", "score"] == 99.0
    assert sites.loc["mzj", "score"] == 100.0
    assert set(after.points.loc[after.points["status"] == "false_positive", "rule"]) == {"expression", "column_stale"}
