"""`govaudit ledger` and `govaudit ledger mark/unmark/rebuild` over a small real store."""
import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from govaudit import ledger
from govaudit.cli import main
from govaudit.store import Store
from ledger_runs import audited_run, dead, stale

A = stale("jyj", "通知公告", "2025-03-01")
B = dead("mzj", "http://mzj.qingxi.gov.cn/gone.html")
C = dead("jyj", "http://jyj.qingxi.gov.cn/old.html")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    store = Store(f"sqlite:///{path}")
    audited_run(store, date(2025, 9, 26), [A, B, C])
    audited_run(store, date(2025, 10, 17), [A, B])      # C rectified; A and B overdue
    return path


def run(*args, ok=True, env=None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    if ok:
        assert result.exit_code == 0, (result.output, result.exception)
    return result


def listed(db, *args):
    return json.loads(run("ledger", "--db", db, "--format", "json", *args).stdout)


def test_json_lists_every_entry_with_its_status(db):
    entries = listed(db)
    assert [(e["site"], e["rule"], e["state"]) for e in entries] == [
        ("jyj", "column_stale", "overdue"), ("jyj", "dead_link", "rectified"), ("mzj", "dead_link", "overdue")]
    first = entries[0]
    assert first["department_name"] == "青溪区教育局" and first["category_title"] == "栏目不更新"
    assert (first["first_seen"], first["deadline"], first["state_title"]) == ("2025-09-26", "2025-10-16", "逾期未整改")
    assert first["id"] == first["fingerprint"][:10] and first["open"] is True
    assert entries[1]["rectified_on"] == "2025-10-17" and entries[1]["open"] is False


def test_filters_compose(db):
    assert [e["site"] for e in listed(db, "--department", "mzj")] == ["mzj"]
    assert [e["site"] for e in listed(db, "--department", "青溪区教育局")] == ["jyj", "jyj"]
    assert [e["rule"] for e in listed(db, "--site", "jyj", "--status", "open")] == ["column_stale"]
    assert [e["url"] for e in listed(db, "--status", "rectified")] == [C["url"]]
    assert listed(db, "--status", "new") == []
    result = run("ledger", "--db", db, "--status", "fixed", ok=False)
    assert result.exit_code == 2 and "fixed" in result.output


def test_csv_table_and_out_file(db, tmp_path):
    rows = list(csv.DictReader(io.StringIO(run("ledger", "--db", db, "--format", "csv").stdout)))
    assert len(rows) == 3 and rows[0]["state_title"] == "逾期未整改" and rows[0]["deadline"] == "2025-10-16"
    table = run("ledger", "--db", db, "--site", "mzj", env={"COLUMNS": "400"}).stdout
    assert "gone.html" in table and "old.html" not in table
    out = tmp_path / "ledger.json"
    assert run("ledger", "--db", db, "--format", "json", "--out", out).stdout.strip() == str(out)
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 3
    result = run("ledger", "--db", db, "--out", out, ok=False)
    assert result.exit_code == 2 and "--out takes" in result.output


def test_xlsx_has_headers_rows_frozen_pane_and_filter(db, tmp_path):
    out = tmp_path / "问题清单.xlsx"
    assert run("ledger", "--db", db, "--format", "xlsx", "--out", out, "--status", "open").stdout.strip() == str(out)
    sheet = load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(values_only=False)]
    assert rows[0][:4] == ["部门", "网站", "栏目", "网址"] and rows[0][-2:] == ["状态", "问题编号"]
    assert len(rows) == 3
    assert rows[1][:3] == ["青溪区教育局", "青溪区教育局网站", "通知公告"] and rows[1][10] == "逾期未整改"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:L3"


def test_mark_by_problem_number_and_by_finding_id(db):
    entries = listed(db)
    overdue_link = entries[2]
    result = run("ledger", "mark", overdue_link["id"], "--as", "accepted-risk", "--reason", "系统迁移中，年底前下线",
                 "--db", db, env={"USER": "zhang"})
    assert result.stdout.strip() == f"{overdue_link['id']} marked accepted-risk by zhang: 系统迁移中，年底前下线"
    assert [e["url"] for e in listed(db, "--status", "open")] == [A["url"]]
    marked = listed(db, "--status", "accepted-risk")[0]
    assert (marked["mark_reason"], marked["marked_by"], marked["state_title"]) == ("系统迁移中，年底前下线", "zhang", "已确认风险")

    stale_entry = entries[0]
    run("ledger", "--db", db, "mark", str(stale_entry["finding"]), "--as", "false-positive", "--reason", "栏目已撤销",
        "--by", "li")
    assert listed(db, "--status", "open") == []
    run("ledger", "--db", db, "unmark", stale_entry["id"], "--reason", "栏目仍在使用", "--by", "li")
    assert [e["url"] for e in listed(db, "--status", "open")] == [A["url"]]
    # the marks outlive a rebuild
    assert run("ledger", "rebuild", "--db", db).stdout.strip() == "2 overdue, 1 rectified"
    assert [e["url"] for e in listed(db, "--status", "accepted-risk")] == [B["url"]]


def test_mark_errors_are_clear(db):
    result = run("ledger", "mark", "abcdef12", "--as", "false-positive", "--reason", "x", "--db", db, ok=False)
    assert result.exit_code == 1 and "no ledger entry or finding 'abcdef12'" in result.output
    result = run("ledger", "mark", listed(db)[0]["id"], "--as", "false-positive", "--db", db, ok=False)
    assert result.exit_code == 2 and "--reason" in result.output
    result = run("ledger", "unmark", listed(db)[0]["id"], "--reason", "x", "--db", db, ok=False)
    assert result.exit_code == 1 and "is not marked" in result.output


def test_ledger_of_a_store_without_audits_is_empty(tmp_path):
    db = tmp_path / "empty.db"
    assert json.loads(run("ledger", "--db", db, "--format", "json").stdout) == []
    assert ledger.rebuild(Store(f"sqlite:///{db}")) == {}
