"""End to end on the bundled demo portal: real HTTP on 127.0.0.1, real SQLite, the real CLI.

The crawl runs once per test session (module fixture); every test reads what it stored. The
ground truth ships with the demo (govaudit/demo/ground_truth.json) and is compared exactly:
no extra finding, none missed, every column's latest date right.
"""
import json
from pathlib import Path

import pytest

from govaudit.demo import DEMO_AS_OF, DemoPortal, demo_config, ground_truth
from .govaudit_cli import cli

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    with DemoPortal() as portal:
        config = out / "sites.yaml"
        config.write_text(demo_config(portal.portal_url, portal.site_url, "sqlite:///demo.db"), encoding="utf-8")
        run_id = int(cli("crawl", config, "--no-progress").stdout.strip())
        truth = ground_truth(portal.portal_url, portal.site_url)
    db = out / "demo.db"
    cli("audit", "--run", run_id, "--as-of", DEMO_AS_OF.isoformat(), "--db", db)
    return {"out": out, "db": db, "run": run_id, "truth": truth, "config": config}


def test_every_column_is_found_with_its_latest_date(demo):
    columns = json.loads(cli("columns", "--run", demo["run"], "--db", demo["db"], "--format", "json").stdout)
    got = {(c["site"], c["url"]): c for c in columns}
    want = {(c["site"], c["url"]): c for c in demo["truth"]["columns"]}
    assert sorted(got) == sorted(want)
    for key, expected in want.items():
        column = got[key]
        assert (column["department"], column["name"], column["update_class"]) == (
            expected["department"], expected["name"], expected["update_class"]), key
        assert column["latest_date"] == expected["latest_date"], key
        assert (column["item_count"], column["undated_count"]) == (expected["item_count"], expected["undated_count"]), key
        assert (column["stale"], column["blank"]) == (expected["stale"], expected["blank"]), key


def _finding_key(f):
    item = f.get("item") or (f.get("evidence") if f["rule"] == "section_missing" else None)
    return (f["rule"], f["site"], f["department"], f["url"], item)


#: Rules the demo's ground truth is complete for: their findings must match it exactly (none
#: extra, none missed); a rule listed here with nothing in the ground truth must find nothing.
#: Rules the demo does not plant cases for yet are left out.
COVERED_RULES = {"column_stale", "column_blank", "section_missing", "stale_count", "blank_count", "identity",
                 "integrity", "expression", "privacy", "timeliness", "dead_link", "unverifiable_link"}


def test_exactly_the_planted_findings(demo):
    findings = json.loads(cli("findings", "--run", demo["run"], "--db", demo["db"], "--format", "json").stdout)
    got = sorted(_finding_key(f) for f in findings if f["rule"] in COVERED_RULES)
    want = sorted(_finding_key(f) for f in demo["truth"]["findings"])
    assert {f["rule"] for f in demo["truth"]["findings"]} <= COVERED_RULES
    assert got == want


def test_findings_carry_the_public_fields(demo):
    findings = json.loads(cli("findings", "--db", demo["db"], "--format", "json").stdout)
    assert findings
    for f in findings:
        assert set(f) >= {"rule", "category", "severity", "department", "site", "column", "url", "evidence",
                          "detail", "run"}
        assert f["run"] == demo["run"]
    stale = [f for f in findings if f["rule"] == "column_stale"]
    assert all("栏目「" in f["detail"] and ("未更新" in f["detail"]) for f in stale)


def test_findings_csv_and_table(demo):
    csv_out = cli("findings", "--db", demo["db"], "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("id,rule,category,severity,department,site,column,url")
    assert "column_stale" in cli("findings", "--db", demo["db"], "--format", "table").stdout


def test_bulletin_lists_every_department_ranked(demo):
    out = demo["out"] / "report"
    path = Path(cli("report", "--month", DEMO_AS_OF.strftime("%Y-%m"), "--out", out, "--db", demo["db"]).stdout.strip())
    html = path.read_text(encoding="utf-8")
    assert path == out / "bulletin.html"
    assert "政府网站检查情况通报" in html and "各单位问题数量排名" in html
    stale = [f for f in demo["truth"]["findings"] if f["rule"] == "column_stale"]
    assert stale
    for finding in json.loads(cli("findings", "--db", demo["db"], "--format", "json").stdout):
        if finding["category"] in ("column_stale", "column_blank", "section_missing"):
            assert finding["detail"] in html
            assert f"{finding['detail']}<span class=\"fid\">（问题编号 {finding['id']}）</span>" in html


def test_reaudit_replaces_findings(demo):
    before = json.loads(cli("findings", "--db", demo["db"], "--format", "json").stdout)
    cli("audit", "--run", demo["run"], "--as-of", DEMO_AS_OF.isoformat(), "--db", demo["db"])
    after = json.loads(cli("findings", "--db", demo["db"], "--format", "json").stdout)
    assert [(f["rule"], f["url"], f["detail"]) for f in after] == [(f["rule"], f["url"], f["detail"]) for f in before]
    runs = json.loads(cli("runs", "--db", demo["db"], "--format", "json").stdout)
    assert [r["status"] for r in runs] == ["complete"]


def test_run_does_crawl_audit_and_report_in_one_go(tmp_path):
    with DemoPortal() as portal:
        config = tmp_path / "sites.yaml"
        config.write_text(demo_config(portal.portal_url, portal.site_url, "sqlite:///weekly.db"), encoding="utf-8")
        result = cli("run", config, "--out", tmp_path / "out", "--no-progress")
        expected = len(ground_truth(portal.portal_url, portal.site_url)["findings"])
    assert Path(result.stdout.strip()) == tmp_path / "out" / "bulletin.html"
    assert "检查基准日：2026年11月20日" in (tmp_path / "out" / "bulletin.html").read_text(encoding="utf-8")
    findings = json.loads(cli("findings", "--config", config, "--format", "json").stdout)
    assert len([f for f in findings if f["rule"] in COVERED_RULES]) == expected
