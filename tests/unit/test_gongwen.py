"""reports.gongwen: the 公文 primitives other writers (bulletin, notices) build on."""
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from reports import gongwen as g


def test_heading_numbers():
    assert [g.cn_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == ["一", "九", "十", "十一", "二十", "二十一", "九十九"]
    assert [g.cn_number(n) for n in (100, 101, 110, 115, 205, 1010, 9999)] == [
        "一百", "一百零一", "一百一十", "一百一十五", "二百零五", "一千零一十", "九千九百九十九"]
    assert [g.numbered(level, 3, "总体情况") for level in (1, 2, 3, 4)] == [
        "三、总体情况", "（三）总体情况", "3．总体情况", "（3）总体情况"]
    with pytest.raises(ValueError):
        g.cn_number(10000)


def _east_asian(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_a_document_round_trips_with_its_layout(tmp_path):
    doc = g.new_document("测试通知", fonts=g.Fonts(body="仿宋_GB2312"))
    g.title(doc, "关于政府网站检查问题的\n整改通知")
    g.doc_number(doc, "青政办〔2026〕12号")
    g.addressee(doc, "区教育局：")
    g.paragraph(doc, "经检查，你单位网站存在以下问题。")
    g.heading(doc, g.numbered(1, 1, "存在问题"))
    g.table(doc, ["序号", "问题"], [[1, "栏目「通知公告」未更新"], [2, None]], widths_mm=[20, 136], align="cl")
    g.signature(doc, "江州市青溪区人民政府办公室", date(2026, 11, 24))
    path = g.save(doc, tmp_path / "n.docx")
    assert not (tmp_path / "n.docx.tmp").exists()

    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:4] == ["关于政府网站检查问题的", "整改通知", "青政办〔2026〕12号", "区教育局："]
    assert texts[-2:] == ["江州市青溪区人民政府办公室", "2026年11月24日"]
    assert doc.paragraphs[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert _east_asian(doc.styles["公文正文"]) == "仿宋_GB2312" and _east_asian(doc.styles["公文标题"]) == "方正小标宋简体"
    assert doc.styles["公文标题"].font.size.pt == 22 and doc.styles["Heading 1"].font.color.rgb == g.BLACK
    assert doc.core_properties.title == "测试通知"
    table = doc.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [["序号", "问题"], ["1", "栏目「通知公告」未更新"], ["2", ""]]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None      # header repeats on every page
    assert round(table.rows[1].cells[1].width.mm) == 136
    section = doc.sections[0]
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    assert "PAGE" in section.footer.paragraphs[0]._p.xml


def test_masthead_rule_has_the_date_flush_right(tmp_path):
    doc = g.new_document()
    par = g.masthead_rule(doc, "区政务公开办", "2026年11月24日")
    assert par.text == "区政务公开办\t2026年11月24日"
    assert par.paragraph_format.tab_stops[0].position.mm == pytest.approx(g.text_width_mm(doc), abs=0.1)
    assert par._p.pPr.find(qn("w:pBdr")) is not None
    with pytest.raises(ValueError):
        g.heading(doc, "太深", level=4)
