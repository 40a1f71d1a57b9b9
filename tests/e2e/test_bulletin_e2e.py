"""Acceptance: the demo portal inspected twice a week apart (week 1, then the same portal switched
to week 2, each audited as of its week's day), then `govaudit report --month 2026-11`.

Every number the Word bulletin prints is checked against what the CLI and the store say: the
config (units, sites), the findings of the month's last run (problems by category, vetoes), the
ledger and its history (new, rectified on time or late, open, overdue), the scores. The demo's
week-2 fixes must show as rectified and its week-2 problems as new; no raw planted personal
value may appear in any output; the HTML renders in headless Chromium.
"""
import html
import json
import re
import sqlite3
import zipfile
from datetime import date

import openpyxl
import pytest
import yaml
from docx import Document
from PIL import Image

from govaudit.demo import DemoPortal, demo_config
from govaudit.demo.assets import planted_personal_values
from govaudit.demo.model import WEEKS
from govaudit.store import Store
from reports.scoring import month_frames
from reports.workbook import HEADERS
from rules.base import CATEGORY_TITLES
from .chromium import ink_fraction, screenshot
from .govaudit_cli import cli

pytestmark = pytest.mark.e2e
MONTH, DAY = "2026-11", date(2026, 11, 30)       # a Monday: + 10 working days is Monday 2026-12-14
OPEN = ("new", "persisting", "overdue", "reopened")


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    out = tmp_path_factory.mktemp("bulletin")
    db = out / "demo.db"
    runs = []
    with DemoPortal(week=1) as portal:
        config = out / "sites.yaml"
        config.write_text(demo_config(portal.portal_url, portal.site_url, "sqlite:///demo.db"), encoding="utf-8")
        for week in (1, 2):
            portal.set_week(week)
            run = int(cli("crawl", config, "--no-progress").stdout.strip())
            cli("audit", "--run", run, "--as-of", WEEKS[week].isoformat(), "--db", db)
            runs.append(run)
    printed = cli("report", "--month", MONTH, "--out", out / "report", "--db", db, "--date", DAY.isoformat()).stdout
    doc = Document(str(out / "report" / "bulletin.docx"))
    return {"out": out, "db": db, "runs": runs, "printed": printed.split("\n"), "doc": doc,
            "paragraphs": [p.text for p in doc.paragraphs], "config": yaml.safe_load(config.read_text("utf-8")),
            "findings": {run: json.loads(cli("findings", "--run", run, "--db", db, "--format", "json").stdout)
                         for run in runs},
            "ledger": json.loads(cli("ledger", "--db", db, "--format", "json").stdout),
            "aggregate": {r["id"] for r in json.loads(cli("rules", "--format", "json").stdout) if r["aggregate"]}}


def _problems(month, run):
    return [f for f in month["findings"][run] if f["severity"] in ("veto", "deduct")
            and f["rule"] not in month["aggregate"]]


def _key(f):
    """A problem across runs, from the CLI's finding or ledger objects (evidence names a missing item)."""
    return (f["rule"], f["site"], f["url"] or f["evidence"])


def _history(month) -> list[tuple]:
    db = sqlite3.connect(month["db"])
    try:
        return db.execute("SELECT fingerprint, run_id, as_of, status FROM ledger_history ORDER BY run_id").fetchall()
    finally:
        db.close()


def _overview(month) -> str:
    return next(p for p in month["paragraphs"] if p.startswith("2026年11月，"))


def _figure(pattern: str, text: str) -> tuple:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text!r}"
    return tuple(int(g) if g.isdigit() else g for g in found.groups())


def test_report_writes_three_files_numbered_and_dated(month):
    report = month["out"] / "report"
    assert month["printed"][:3] == [str(report / n) for n in ("bulletin.html", "bulletin.docx", "问题清单.xlsx")]
    assert month["paragraphs"][:3] == ["政府网站检查情况通报", "〔2026〕第1期",
                                       f"{month['config']['organization']}\t2026年11月30日"]
    assert any(p.startswith("请各单位对照本通报及问题清单逐项整改，于2026年12月14日前（自本通报印发之日起10个工作日内）")
               for p in month["paragraphs"])
    again = cli("report", "--month", MONTH, "--out", month["out"] / "again", "--db", month["db"], "--format", "docx")
    assert Document(again.stdout.strip()).paragraphs[1].text == "〔2026〕第1期"     # re-rendered: same number


def test_overview_counts_match_the_config_and_the_last_runs_findings(month):
    text, last = _overview(month), month["runs"][-1]
    config = month["config"]
    assert _figure(r"对(\d+)个单位的(\d+)个政府网站（专栏）开展了(\d+)轮检查，检查基准日为2026年11月(\d+)日", text) == (
        len(config["departments"]), len(config["sites"]), 2, WEEKS[2].day)
    problems = _problems(month, last)
    by_category = {}
    for f in problems:
        by_category[f["category"]] = by_category.get(f["category"], 0) + 1
    total, listing = _figure(r"共发现问题(\d+)个，其中(.*?)。", text)
    assert total == len(problems) > 0
    assert dict(re.findall(r"([^、]+?)(\d+)个", listing)) == {CATEGORY_TITLES[c]: str(n) for c, n in by_category.items()}
    vetoed = {f["site"] for f in month["findings"][last] if f["severity"] == "veto"}
    passed, failed, n_vetoed, rate = _figure(r"合格网站(\d+)个，不合格网站(\d+)个（其中单项否决(\d+)个），合格率([\d.]+)%", text)
    assert n_vetoed == len(vetoed) > 0 and passed + failed == len(config["sites"])
    sites = _site_table(month)
    assert passed == sum(row["检查结果"] == "合格" for row in sites)
    assert rate == f"{100 * passed / len(config['sites']):.1f}"


def _site_table(month) -> list[dict]:
    rows = [[c.text for c in row.cells] for row in month["doc"].tables[-1].rows]
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_rectification_counts_match_the_ledger_history(month):
    entries = {e["fingerprint"]: e for e in month["ledger"]}
    problem = {fp for fp, e in entries.items() if e["severity"] in ("veto", "deduct")
               and e["rule"] not in month["aggregate"] and e["mark"] is None}
    history = [h for h in _history(month) if h[0] in problem and h[1] in month["runs"]]
    statuses = lambda s: {h[0] for h in history if h[3] == s}            # noqa: E731
    rectified = [h for h in history if h[3] == "rectified"]
    on_time = sum(h[2] <= entries[h[0]]["deadline"] for h in rectified)
    last = {}
    for fp, _run, _as_of, status in history:
        last[fp] = status
    text = _overview(month)
    assert _figure(r"新发现问题(\d+)个", text) == (len(statuses("new")),)
    assert _figure(r"已整改问题(\d+)个（其中按期整改(\d+)个，逾期整改(\d+)个）", text) == (
        len(rectified), on_time, len(rectified) - on_time)
    assert _figure(r"尚未整改问题(\d+)个，其中逾期未整改(\d+)个", text) == (
        sum(s in OPEN for s in last.values()), sum(s == "overdue" for s in last.values()))
    assert len(rectified) > 0 and len(statuses("new")) > 0


def test_rectified_and_new_problems_are_the_demos_week_two_changes(month):
    week1, week2 = ({_key(f): f for f in _problems(month, run)} for run in month["runs"])
    fixed, appeared = set(week1) - set(week2), set(week2) - set(week1)
    # the demo's declared week-2 fixes (govaudit.demo.content.CHANGES) are among the fixed ones
    fixed_columns = {week1[k]["column"] for k in fixed if k[0] in ("column_stale", "column_blank")}
    assert {"街道动态", "疾病预防控制"} <= fixed_columns
    assert {"expression", "privacy"} <= {k[0] for k in fixed}
    ledger = {_key(e): e for e in month["ledger"]}
    assert {k for k, e in ledger.items() if e["status"] == "rectified" and k[0] not in month["aggregate"]
            and e["severity"] != "advisory"} == fixed
    text = "\n".join(month["paragraphs"])
    sheet = openpyxl.load_workbook(month["out"] / "report" / "问题清单.xlsx").active
    rows = [dict(zip(HEADERS, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    state = {row["问题编号"].split()[0]: row["状态"] for row in rows}
    for key in fixed:
        assert state[ledger[key]["id"]] == "已整改", key
        assert week1[key]["detail"] not in text, key                 # no longer listed
    assert appeared
    for key in appeared:
        finding = week2[key]
        assert f"{finding['detail']}（问题编号{finding['id']}，新发现）" in text, key
        assert state[ledger[key]["id"]] == "新发现"
    for key in set(week2) & set(week1):
        assert state[ledger[key]["id"]] in ("未整改", "逾期未整改"), key


def test_ranked_scores_are_the_months_scores(month):
    frames = month_frames(Store(f"sqlite:///{month['db']}"), MONTH)
    rows = [[c.text for c in row.cells] for row in month["doc"].tables[0].rows]
    header, body = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
    assert header[:6] == ["排名", "单位", "网站数", "检查结果", "得分", "较上月"]
    expected = frames.departments
    assert [r["单位"] for r in body] == expected["department"].tolist()
    assert [int(r["排名"]) for r in body] == expected["rank"].tolist()
    sites = _site_table(month)
    last = month["runs"][-1]
    vetoed = {f["site"] for f in month["findings"][last] if f["severity"] == "veto"}
    names = {s["id"]: s["name"] for s in month["config"]["sites"]}
    for row, dept in zip(body, expected.itertuples()):
        own = [s for s in month["config"]["sites"] if s["department"] == dept.department_id]
        assert int(row["网站数"]) == len(own)
        own_rows = [r for r in sites if r["网站"] in {names[s["id"]] for s in own}]
        if any(s["id"] in vetoed for s in own):
            assert row["得分"] == "单项否决" and row["检查结果"] == "不合格"
        else:      # a department scores its lowest site (scoring default `department_score: min`)
            assert float(row["得分"]) == dept.score == min(float(r["得分"]) for r in own_rows)
            assert row["检查结果"] == ("合格" if dept.score >= 60 else "不合格")
    standings = [(-1 if r["得分"] == "单项否决" else float(r["得分"])) for r in body]
    assert standings == sorted(standings, reverse=True)
    for before, after in zip(body, body[1:]):          # ties share the better rank
        same = before["得分"] == after["得分"]
        assert (before["排名"] == after["排名"]) == same
    for row in sites:
        if row["得分"] != "单项否决":
            assert float(row["得分"]) + float(row["扣分"]) == 100


def test_privacy_shows_masked_evidence_only(month):
    raw = planted_personal_values()
    report = month["out"] / "report"
    texts = [report.joinpath("bulletin.html").read_text(encoding="utf-8")]
    for name in ("bulletin.docx", "问题清单.xlsx"):
        with zipfile.ZipFile(report / name) as archive:
            texts += [html.unescape(archive.read(part).decode("utf-8", "replace")) for part in archive.namelist()
                      if part.endswith(".xml")]
    for value in raw:
        assert all(value not in text for text in texts), f"raw value {value[:3]}… in the bulletin"
    privacy = [f for f in month["findings"][month["runs"][0]] if f["rule"] == "privacy"]
    assert privacy and all("*" in f["evidence"] for f in privacy)
    sheet = openpyxl.load_workbook(report / "问题清单.xlsx").active
    rows = [dict(zip(HEADERS, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    shown = {row["证据"] for row in rows if row["问题类别"] == "个人信息泄露"}
    assert shown == {f["evidence"] for f in privacy}              # the (rectified) leak, masked as stored


def test_html_renders_in_headless_chromium(month):
    png = screenshot(month["out"] / "report" / "bulletin.html", month["out"] / "bulletin.png", height=2600)
    with Image.open(png) as image:
        assert image.size == (1000, 2600)
    assert 0.03 < ink_fraction(png) < 0.6          # neither blank nor a solid block
