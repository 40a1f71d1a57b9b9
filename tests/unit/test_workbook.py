"""问题清单.xlsx from a ledger frame, read back with openpyxl."""
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from govaudit import ledger
from govaudit.store import Store
from ledger_runs import audited_run, dead, finding, stale
from reports.workbook import HEADERS, write_ledger_workbook

A = stale("jyj", "通知公告", "2025-03-01")
B = dead("mzj", "http://mzj.qingxi.gov.cn/gone.html")
LEAK = finding("privacy", "mzj", "http://mzj.qingxi.gov.cn/gs.xls", "身份证号：330102********1234",
               "附件「2025年临时救助公示」含身份证号1处，未去标识化", column="通知公告", category="privacy")


@pytest.fixture
def frame(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'wb.db'}")
    audited_run(store, date(2025, 9, 26), [A, B])
    audited_run(store, date(2025, 10, 17), [A, LEAK])
    return ledger.ledger_frame(store)


def red(cell) -> bool:
    color = cell.font.color
    return color is not None and isinstance(color.rgb, str) and color.rgb.endswith("C00000")


def rows_of(path):
    sheet = load_workbook(path).active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def test_one_row_per_entry_with_chinese_titles_and_dates(frame, tmp_path):
    path = write_ledger_workbook(frame, tmp_path / "out" / "问题清单.xlsx")
    sheet, rows = rows_of(path)
    assert sheet.title == "问题清单"
    assert tuple(rows[0]) == HEADERS == ("部门", "网站", "栏目", "网址", "问题类别", "严重程度", "问题描述", "证据",
                                         "首次发现", "整改期限", "状态", "问题编号")
    assert len(rows) == 1 + len(frame) == 4
    by_url = {row[3]: row for row in rows[1:]}
    stale_row = by_url[A["url"]]
    assert stale_row[:8] == ["青溪区教育局", "青溪区教育局网站", "通知公告", A["url"], "栏目不更新", "扣分",
                             A["detail"], A["evidence"]]
    assert stale_row[8:11] == [datetime(2025, 9, 26), datetime(2025, 10, 16), "逾期未整改"]
    entry = frame[frame["url"] == A["url"]].iloc[0]
    assert stale_row[11] == f"{entry['id']} #{entry['finding']}"
    assert by_url[B["url"]][10] == "已整改" and by_url[LEAK["url"]][10] == "新发现"
    assert by_url[LEAK["url"]][4:6] == ["个人信息泄露", "扣分"] and by_url[LEAK["url"]][8] == datetime(2025, 10, 17)
    assert by_url[LEAK["url"]][7] == "身份证号：330102********1234"
    assert sheet.cell(row=2, column=9).number_format == "yyyy-mm-dd"


def test_header_frozen_filtered_and_overdue_in_red(frame, tmp_path):
    sheet, rows = rows_of(write_ledger_workbook(frame, tmp_path / "问题清单.xlsx"))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L4"
    assert sheet.cell(row=1, column=1).font.bold
    assert sheet.column_dimensions["G"].width > sheet.column_dimensions["F"].width
    status = {row[3]: sheet.cell(row=i, column=11) for i, row in enumerate(rows, start=1) if i > 1}
    assert red(status[A["url"]]) and not red(status[B["url"]]) and not red(status[LEAK["url"]])


def test_an_empty_ledger_still_has_its_header(frame, tmp_path):
    sheet, rows = rows_of(write_ledger_workbook(frame.iloc[:0], tmp_path / "empty.xlsx"))
    assert rows == [list(HEADERS)] and sheet.auto_filter.ref == "A1:L1"
