"""问题清单.xlsx: one row per ledger entry, for supervisors who work in Excel.

`write_ledger_workbook` takes a frame shaped like `govaudit.ledger.ledger_frame` (any subset of
its rows, in the order they should appear) so the ledger command and the monthly bulletin write
the same sheet. Evidence is written as stored: masked by the crawler, never raw.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

#: (header, width in characters, how a cell is made from a ledger row)
COLUMNS = (
    ("部门", 18, lambda r: r["department_name"] or r["department"]),
    ("网站", 20, lambda r: r["site_name"] or r["site"]),
    ("栏目", 14, lambda r: r["column"]),
    ("网址", 40, lambda r: r["url"]),
    ("问题类别", 12, lambda r: r["category_title"] or r["category"]),
    ("严重程度", 9, lambda r: r["severity_title"] or r["severity"]),
    ("问题描述", 50, lambda r: r["detail"]),
    ("证据", 28, lambda r: r["evidence"]),
    ("首次发现", 11, lambda r: r["first_seen"]),
    ("整改期限", 11, lambda r: r["deadline"]),
    ("状态", 11, lambda r: r["state_title"] or r["state"]),
    ("问题编号", 18, lambda r: f"{r['id']} #{int(r['finding'])}" if r["finding"] is not None else r["id"]),
)
HEADERS = tuple(header for header, _width, _cell in COLUMNS)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_BOLD = Font(bold=True)
_ALERT = Font(color="C00000")
_CENTER = Alignment(horizontal="center", vertical="center")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAPPED = ("网址", "问题描述", "证据")      # long texts wrap; the rest stay one line
_ALERT_STATES = ("overdue", "reopened")


def _value(value):
    """A cell value: None for missing, a date for dates, plain Python scalars."""
    if value is None or (not isinstance(value, (str, date)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value


def write_ledger_workbook(frame: pd.DataFrame, path: Path, title: str = "问题清单") -> Path:
    """Write `frame`'s entries to `path` (.xlsx): headers frozen, autofilter over the table,
    dates as dates, overdue and reopened problems in red. Streamed (write-only), so a ledger of
    tens of thousands of rows stays fast; written to a temporary file first."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    last = get_column_letter(len(COLUMNS))
    for index, (_header, width, _cell) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    sheet.append([_styled(sheet, header, font=_BOLD, fill=_HEADER_FILL, alignment=_CENTER) for header in HEADERS])
    status_at = HEADERS.index("状态")
    wrapped = [header in _WRAPPED for header in HEADERS]
    for record in frame.astype(object).where(frame.notna(), None).to_dict("records"):
        # plain values are fastest; dates get yyyy-mm-dd from openpyxl itself
        cells = [_styled(sheet, value, alignment=_WRAP) if wrap and value else value
                 for wrap, value in zip(wrapped, (_value(cell(record)) for _h, _w, cell in COLUMNS))]
        if record["state"] in _ALERT_STATES:
            cells[status_at] = _styled(sheet, cells[status_at], font=_ALERT)
        sheet.append(cells)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)      # never leave a half-written workbook behind
    return path


def _styled(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, spec in style.items():
        setattr(cell, name, spec)
    return cell
