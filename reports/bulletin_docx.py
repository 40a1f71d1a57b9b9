"""bulletin.docx: the monthly bulletin in 公文 layout (reports.gongwen), from a built `Bulletin`.

Same sections, sentences and tables as the HTML bulletin (reports.bulletin makes them); only
the layout is Word's: title, 期号 line, masthead rule with the issuing office and date,
numbered headings, tables with repeated header rows, charts as pictures, 落款.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from docx.shared import Pt, RGBColor

from reports import gongwen as g
from reports.bulletin import (APPENDIX, ID_NOTE, SECTIONS, Bulletin, by_department, intro_text, ranking_note)
from rules.base import cn_date

_GREY = RGBColor(0x59, 0x59, 0x59)
#: Relative column widths of the printed tables (scaled to the text block).
_WIDTHS = {"排名": 10, "单位": 30, "网站": 30, "所属单位": 28, "网站数": 12, "检查结果": 16, "得分": 16, "扣分": 12,
           "较上月": 20, "等次": 10, "备注": 16}
_LEFT = ("单位", "网站", "所属单位")


def _frame_table(doc, frame: pd.DataFrame) -> None:
    header = list(frame.columns)
    weights = [_WIDTHS.get(h, 14) for h in header]
    scale = g.text_width_mm(doc) / sum(weights)
    g.table(doc, header, frame.astype(object).where(frame.notna(), "").values.tolist(),
            widths_mm=[w * scale for w in weights], align=["l" if h in _LEFT else "c" for h in header])


def _note(doc, text: str) -> None:
    par = g.paragraph(doc)
    g.add_text(par, text, size=g.SIZES["小四"], color=_GREY)


def _overview(doc, b: Bulletin) -> None:
    g.paragraph(doc, b.overview)
    for key, caption in (("categories", "图1 发现问题分类统计"), ("scores", "图2 网站得分分布"), ("trend", "图3 近期检查情况趋势")):
        if b.charts.get(key):
            g.image(doc, b.charts[key], width_mm=140, caption=caption)


def _ranking(doc, b: Bulletin) -> None:
    _frame_table(doc, b.ranking)
    _note(doc, ranking_note(b.frames))
    if b.warning:
        g.paragraph(doc, b.warning)


def _failed(doc, b: Bulletin) -> None:
    if b.failed.empty:
        g.paragraph(doc, "本月无不合格网站。")
        return
    for n, site in enumerate(b.failed.itertuples(), start=1):
        g.heading(doc, g.numbered(2, n, f"{site.site}（{site.department}）"), level=2)
        for reason in site.reasons:
            g.paragraph(doc, ("单项否决：" if site.veto else "") + reason)


def _item(doc, n: int, item: dict) -> None:
    par = g.paragraph(doc, f"{n}．{item['site']}：{item['detail']}")
    tags = "，".join(t for t in (f"问题编号{item['id']}", item["state_title"]) if t)
    g.add_text(par, f"（{tags}）")
    if item["evidence"]:
        g.add_text(par, f"证据：{item['evidence']}。")
    if item["url"]:          # its own paragraph: a line break would stretch the justified line above it
        url = g.paragraph(doc, style="公文表格")
        url.paragraph_format.left_indent = Pt(2 * g.CHAR_PT)
        g.add_text(url, item["url"], color=_GREY)


def _problems(doc, b: Bulletin) -> None:
    departments = by_department(b.items)
    if not departments:
        g.paragraph(doc, "各单位均未发现问题。")
    hints = {d["department"]: d["items"] for d in by_department(b.hints)}
    for n, dept in enumerate(departments, start=1):
        g.heading(doc, g.numbered(2, n, f"{dept['department']}（{len(dept['items'])}个问题）"), level=2)
        for i, item in enumerate(dept["items"], start=1):
            _item(doc, i, item)
        for item in hints.pop(dept["department"], []):
            g.paragraph(doc, f"提示：{item['site']}：{item['detail']}（问题编号{item['id']}）")
    for dept, items in hints.items():       # departments with hints only
        for item in items:
            g.paragraph(doc, f"提示：{dept}　{item['site']}：{item['detail']}（问题编号{item['id']}）")
    _note(doc, ID_NOTE)


def _requirements(doc, b: Bulletin) -> None:
    for text in b.requirements:
        g.paragraph(doc, text)


def write_docx(b: Bulletin, path: Path) -> Path:
    """Write the Word bulletin to `path` (atomically)."""
    doc = g.new_document(f"{b.title}（{b.issue.doc_number}）")
    g.title(doc, b.title)
    g.doc_number(doc, b.issue.doc_number)
    g.masthead_rule(doc, b.organization, cn_date(b.issue.issued))
    g.addressee(doc, "各单位：")
    g.paragraph(doc, intro_text(b.month))
    sections = (_overview, _ranking, _failed, _problems, _requirements)
    for n, (name, write) in enumerate(zip(SECTIONS, sections), start=1):
        g.heading(doc, g.numbered(1, n, name))
        write(doc, b)
    g.signature(doc, b.organization, b.issue.issued)
    g.page_break(doc)
    g.heading(doc, APPENDIX)
    _frame_table(doc, b.sites)
    return g.save(doc, path)
