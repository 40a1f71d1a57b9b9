"""End to end on the bundled demo portal, both weeks: real HTTP on 127.0.0.1, real SQLite, the real CLI.

The module fixture runs a supervisor's fortnight once: PROBE_ROUNDS rounds of homepage probes,
the week-1 crawl audited as of 2026-11-20, the demo switched to week 2 on the same ports, the
week-2 crawl audited as of 2026-11-27, the month's report. Every test reads what was stored. Each week is compared
with the ground truth that ships with the demo (govaudit/demo/ground_truth.json, computed from
the demo data) rule by rule: every true case found, no decoy reported — precision and recall 1
for every registered rule, printed as a table at the end of the pytest output (conftest.py).
"""
import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from govaudit.demo import DEMO_AS_OF, DemoPortal, demo_config, ground_truth
from govaudit.demo.assets import planted_personal_values
from govaudit.demo.content import PROBE_ROUNDS
from govaudit.demo.model import WEEKS
from govaudit.demo.plants import decoys
from govaudit.demo.truth import finding_key, truth_key
from rules.registry import all_rules
from .govaudit_cli import cli as run_cli

pytestmark = pytest.mark.e2e

#: Every registered rule: the demo must plant a true case and a decoy of each, and find exactly them.
COVERED_RULES = sorted(module.META.id for module in all_rules())


@pytest.fixture(scope="module")
def outputs():
    """stdout and stderr of every CLI call of this module (grepped for raw personal data)."""
    return []


@pytest.fixture(scope="module")
def cli(outputs):
    def call(*args, **kwargs):
        result = run_cli(*args, **kwargs)
        outputs.extend((result.stdout, result.stderr))
        return result
    return call


@pytest.fixture(scope="module")
def demo(tmp_path_factory, cli):
    out = tmp_path_factory.mktemp("demo")
    db = out / "demo.db"
    weeks = {}
    with DemoPortal(week=1) as portal:
        config = out / "sites.yaml"
        config.write_text(demo_config(portal.portal_url, portal.site_url, "sqlite:///demo.db"), encoding="utf-8")
        cli("probe", config, "--repeat", PROBE_ROUNDS, "--every", 0)
        for week, as_of in sorted(WEEKS.items()):
            portal.set_week(week)
            run = int(cli("crawl", config, "--no-progress").stdout.strip())
            cli("audit", "--run", run, "--as-of", as_of.isoformat(), "--db", db)
            weeks[week] = {"run": run, "truth": ground_truth(portal.portal_url, portal.site_url, week)}
    report = cli("report", "--month", DEMO_AS_OF.strftime("%Y-%m"), "--out", out / "report", "--db", db).stdout
    return {"out": out, "db": db, "config": config, "weeks": weeks, "report": report}


def stored_findings(db: Path, run: int) -> list[dict]:
    """The run's findings with their data (the CLI's JSON leaves data out)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT rule, site_id, department_id, severity, url, data, detail FROM findings "
                           "WHERE run_id = ?", (run,)).fetchall()
    finally:
        con.close()
    return [{"rule": r, "site": s, "department": d, "severity": sev, "url": u, "data": json.loads(data or "{}"),
             "detail": detail} for r, s, d, sev, u, data, detail in rows]


def scores(got: Counter, want: Counter) -> dict[str, tuple[int, int, int]]:
    """rule -> (true positives, false positives, false negatives) over finding keys."""
    out = {}
    for rule in COVERED_RULES:
        g = Counter({k: n for k, n in got.items() if k[0] == rule})
        w = Counter({k: n for k, n in want.items() if k[0] == rule})
        tp = sum((g & w).values())
        out[rule] = (tp, sum(g.values()) - tp, sum(w.values()) - tp)
    return out


@pytest.mark.parametrize("week", sorted(WEEKS))
def test_every_column_is_found_with_its_latest_date(demo, cli, week):
    run, truth = demo["weeks"][week]["run"], demo["weeks"][week]["truth"]
    columns = json.loads(cli("columns", "--run", run, "--db", demo["db"], "--format", "json").stdout)
    got = {(c["site"], c["url"]): c for c in columns}
    want = {(c["site"], c["url"]): c for c in truth["columns"]}
    assert sorted(got) == sorted(want)
    for key, expected in want.items():
        column = got[key]
        assert (column["department"], column["name"], column["update_class"]) == (
            expected["department"], expected["name"], expected["update_class"]), key
        assert column["latest_date"] == expected["latest_date"], key
        assert (column["item_count"], column["undated_count"]) == (expected["item_count"], expected["undated_count"]), key
        assert (column["stale"], column["blank"]) == (expected["stale"], expected["blank"]), key


@pytest.mark.parametrize("week", sorted(WEEKS))
def test_every_true_case_and_no_decoy_per_rule(demo, demo_scores, week):
    """Precision = recall = 1 for every registered rule (a rule with nothing planted this week
    must report nothing)."""
    run, truth = demo["weeks"][week]["run"], demo["weeks"][week]["truth"]
    got = Counter(finding_key(f["rule"], f["site"], f["department"], f["severity"], f["url"], f["data"])
                  for f in stored_findings(demo["db"], run))
    want = Counter(truth_key(f) for f in truth["findings"])
    per_rule = scores(got, want)
    demo_scores.extend((week, rule, *counts) for rule, counts in per_rule.items())
    assert set(k[0] for k in got) <= set(COVERED_RULES)
    wrong = {rule: {"extra": sorted(map(str, (got - want).keys() & {k for k in got if k[0] == rule})),
                    "missed": sorted(map(str, (want - got).keys() & {k for k in want if k[0] == rule}))}
             for rule, (_tp, fp, fn) in per_rule.items() if fp or fn}
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


def test_every_rule_has_a_true_case_and_a_decoy(demo):
    found = {f["rule"] for week in demo["weeks"].values() for f in week["truth"]["findings"]}
    declared = decoys()
    assert [r for r in COVERED_RULES if r not in found] == [], "rules without a true case in the demo"
    assert [r for r in COVERED_RULES if not declared.get(r)] == [], "rules without a declared decoy"
    assert set(declared) <= set(COVERED_RULES)


def test_week_two_keeps_every_url_and_changes_what_the_table_says(demo):
    """The ledger recognises a problem by its URL: week 2 serves every week-1 page at the same
    address. Rectified and new problems are exactly the difference of the two truths."""
    con = sqlite3.connect(demo["db"])
    try:
        pages = {run: {u for (u,) in con.execute("SELECT url FROM pages WHERE run_id = ? AND status = 200", (run,))}
                 for run in (demo["weeks"][1]["run"], demo["weeks"][2]["run"])}
    finally:
        con.close()
    week1, week2 = (pages[demo["weeks"][w]["run"]] for w in (1, 2))
    assert week1 and week1 <= week2
    keys = {w: {truth_key(f) for f in demo["weeks"][w]["truth"]["findings"]} for w in (1, 2)}
    rectified, new = keys[1] - keys[2], keys[2] - keys[1]
    assert {k[0] for k in rectified} >= {"privacy", "dead_link", "expression", "column_blank", "homepage_stale"}
    assert {k[0] for k in new} >= {"forged_date", "column_stale"}
    got = {w: {finding_key(f["rule"], f["site"], f["department"], f["severity"], f["url"], f["data"])
               for f in stored_findings(demo["db"], demo["weeks"][w]["run"])} for w in (1, 2)}
    assert (got[1] - got[2], got[2] - got[1]) == (rectified, new)


def test_findings_carry_the_public_fields(demo, cli):
    run = demo["weeks"][1]["run"]
    findings = json.loads(cli("findings", "--run", run, "--db", demo["db"], "--format", "json").stdout)
    assert findings
    for f in findings:
        assert set(f) >= {"rule", "category", "severity", "department", "site", "column", "url", "evidence",
                          "detail", "run"}
        assert f["run"] == run
    stale = [f for f in findings if f["rule"] == "column_stale"]
    assert stale and all("栏目「" in f["detail"] and ("未更新" in f["detail"]) for f in stale)
    privacy = [f for f in findings if f["rule"] == "privacy"]
    assert privacy and all("********" in f["evidence"] for f in privacy)


def test_findings_csv_and_table(demo, cli):
    csv_out = cli("findings", "--db", demo["db"], "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("id,rule,category,severity,department,site,column,url")
    assert "column_stale" in cli("findings", "--db", demo["db"], "--format", "table").stdout


def test_month_bulletin(demo):
    out = demo["out"] / "report"
    assert Path(demo["report"].split()[0]).parent == out
    assert "检查情况通报" in (out / "bulletin.html").read_text(encoding="utf-8")


def test_no_raw_personal_value_anywhere(demo, outputs):
    """The week-1 roster publishes raw ID and mobile numbers: none may reach the store, the CLI's
    output or the reports. (Failures name where, never the value.)"""
    con = sqlite3.connect(demo["db"])
    try:
        dump = "\n".join(con.iterdump())
    finally:
        con.close()
    reports = [path for path in (demo["out"] / "report").rglob("*") if path.is_file()]
    assert reports
    places = [("store", dump), *((f"cli output {i}", text) for i, text in enumerate(outputs)),
              *((path.name, path.read_bytes().decode("utf-8", "replace")) for path in reports)]
    leaks = [(where, n) for n, raw in enumerate(planted_personal_values()) for where, text in places if raw in text]
    assert not leaks, f"raw planted values (by index) found in: {leaks}"
    assert "privacy" in dump                         # the leak was found, masked


def test_reaudit_replaces_findings(demo, cli):
    run = demo["weeks"][1]["run"]
    before = json.loads(cli("findings", "--run", run, "--db", demo["db"], "--format", "json").stdout)
    cli("audit", "--run", run, "--as-of", DEMO_AS_OF.isoformat(), "--db", demo["db"])
    after = json.loads(cli("findings", "--run", run, "--db", demo["db"], "--format", "json").stdout)
    assert [(f["rule"], f["url"], f["detail"]) for f in after] == [(f["rule"], f["url"], f["detail"]) for f in before]
    runs = json.loads(cli("runs", "--db", demo["db"], "--format", "json").stdout)
    assert [r["status"] for r in runs] == ["complete", "complete"]


def test_run_does_crawl_audit_and_report_in_one_go(tmp_path, cli):
    with DemoPortal() as portal:
        config = tmp_path / "sites.yaml"
        config.write_text(demo_config(portal.portal_url, portal.site_url, "sqlite:///weekly.db"), encoding="utf-8")
        cli("probe", config, "--repeat", PROBE_ROUNDS, "--every", 0)
        result = cli("run", config, "--out", tmp_path / "out", "--month", "2026-11", "--no-progress")
        truth = ground_truth(portal.portal_url, portal.site_url, 1)
    assert any(line.endswith("bulletin.html") for line in result.stdout.split())
    findings = stored_findings(tmp_path / "weekly.db", 1)
    got = Counter(finding_key(f["rule"], f["site"], f["department"], f["severity"], f["url"], f["data"])
                  for f in findings)
    assert got == Counter(truth_key(f) for f in truth["findings"])
