"""python-docx primitives for Word documents in 公文 layout (GB/T 9704-2012, plain black).

Bulletins (检查情况通报) and rectification notices (整改通知书) are built from these; nothing
here knows about findings. A document is made with `new_document`, then filled top to bottom::

    doc = new_document("政府网站检查情况通报")
    title(doc, "政府网站检查情况通报")
    doc_number(doc, "〔2026〕第3期")
    masthead_rule(doc, "江州市青溪区人民政府办公室", "2026年11月24日")
    addressee(doc, "区教育局：")
    paragraph(doc, "现将2026年11月政府网站检查情况通报如下。")
    heading(doc, numbered(1, 1, "总体情况"))          # 一、总体情况
    table(doc, ["排名", "单位"], [[1, "区教育局"]], widths_mm=[20, 60])
    image(doc, png_bytes, width_mm=150, caption="图1 得分分布")
    signature(doc, "江州市青溪区人民政府办公室", date(2026, 11, 24))
    save(doc, Path("bulletin.docx"))

Layout (GB/T 9704-2012): A4, top margin 37 mm, left 28 mm, text block 156 × 225 mm (so right
26 mm, bottom 35 mm); body 3号仿宋 (16 pt) on a fixed 28.95 pt line (22 lines a page); title 2号
小标宋; first-level headings 黑体 (一、), second 楷体 (（一）), third 仿宋 bold (1．); page numbers
"— N —" in 4号宋体 at the foot. Fonts are named as Chinese Word installations name them; each
run sets its east-asian font explicitly (w:eastAsia), otherwise Word shows CJK text in the
theme font. Change them with `Fonts` (e.g. 仿宋_GB2312 on machines that have it).

Every function writes at the end of the document and returns what it added (paragraph, table).
Paragraph styles are real Word styles (公文正文, 公文标题, Heading 1–3 …), so a supervisor who
edits the result in Word keeps the layout, and headings appear in Word's navigation pane.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

#: Chinese type sizes (字号) in points.
SIZES = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
         "四号": 14, "小四": 12, "五号": 10.5, "小五": 9}
BODY_PT = SIZES["三号"]
LINE_PT = 28.95            # 225 mm text block / 22 lines
CHAR_PT = BODY_PT          # one full-width character of body text (for "空两字" indents)
BLACK = RGBColor(0, 0, 0)
_DIGITS = "零一二三四五六七八九"
#: Paragraph style name -> its Word style id (ASCII ids for the 公文 styles this module adds).
STYLE_IDS = {"Normal": "Normal", "公文正文": "GwBody", "公文标题": "GwTitle", "公文文号": "GwNumber",
             "Heading 1": "Heading1", "Heading 2": "Heading2", "Heading 3": "Heading3", "公文表格": "GwTableText",
             "公文表头": "GwTableHead", "公文图片": "GwPicture", "公文题注": "GwCaption"}


@dataclass(frozen=True)
class Fonts:
    """East-asian font names per role, and the Latin font for digits and letters."""
    body: str = "仿宋"
    heading1: str = "黑体"
    heading2: str = "楷体"
    title: str = "方正小标宋简体"
    page_number: str = "宋体"
    latin: str = "Times New Roman"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 101 → 一百零一, 110 → 一百一十 (as 公文 number headings)."""
    if not 0 < n < 10000:
        raise ValueError(f"heading numbers run from 1 to 9999, not {n}")
    digits, out, zero = str(n), "", False
    for position, digit in zip(range(len(str(n)) - 1, -1, -1), map(int, digits)):
        if digit == 0:
            zero = bool(out)
            continue
        out += ("零" if zero else "") + _DIGITS[digit] + ("", "十", "百", "千")[position]
        zero = False
    return out[1:] if 10 <= n < 20 else out        # 十二, not 一十二


def numbered(level: int, n: int, text: str) -> str:
    """The 公文 numbering of heading levels 1–4: 一、 （一） 1． （1）."""
    prefix = {1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}．", 4: f"（{n}）"}[level]
    return prefix + text


# --- fonts and styles ---------------------------------------------------------------------------
def set_fonts(element, east_asia: str, latin: str) -> None:
    """Give a run or style element (anything with rPr) explicit fonts, dropping theme fonts."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), value)


def _paragraph_style(doc: DocxDocument, name: str, east_asia: str, latin: str, size: float, *, bold: bool = False,
                     align=None, indent_chars: float = 0, line_pt: float | None = LINE_PT,
                     space_before: float = 0, space_after: float = 0, base: str | None = None):
    styles = doc.styles
    if name in [s.name for s in styles]:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = STYLE_IDS[name]
    if base:
        style.base_style = styles[base]
    set_fonts(style.element, east_asia, latin)
    font = style.font
    font.size, font.bold, font.italic, font.color.rgb = Pt(size), bold, False, BLACK
    color = style.element.rPr.find(qn("w:color"))
    for attr in ("w:themeColor", "w:themeShade"):
        color.attrib.pop(qn(attr), None)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(indent_chars * size) if indent_chars else Pt(0)
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    if line_pt:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line_pt)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.widow_control = True
    return style


def _styles(doc: DocxDocument, fonts: Fonts) -> None:
    """公文正文 (= Normal), 公文标题, 公文文号, Heading 1–3, 公文表格, 公文图片, 公文题注."""
    latin = fonts.latin
    normal = _paragraph_style(doc, "Normal", fonts.body, latin, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    _paragraph_style(doc, "公文正文", fonts.body, latin, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2,
                     base="Normal")
    _paragraph_style(doc, "公文标题", fonts.title, latin, SIZES["二号"], align=WD_ALIGN_PARAGRAPH.CENTER,
                     line_pt=36, space_after=6, base="Normal")
    _paragraph_style(doc, "公文文号", fonts.body, latin, BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER, base="Normal")
    _paragraph_style(doc, "Heading 1", fonts.heading1, latin, BODY_PT, indent_chars=2, base="Normal")
    _paragraph_style(doc, "Heading 2", fonts.heading2, latin, BODY_PT, indent_chars=2, base="Normal")
    _paragraph_style(doc, "Heading 3", fonts.body, latin, BODY_PT, bold=True, indent_chars=2, base="Normal")
    _paragraph_style(doc, "公文表格", fonts.body, latin, SIZES["五号"], line_pt=None, base="Normal")
    _paragraph_style(doc, "公文表头", fonts.heading1, latin, SIZES["五号"], align=WD_ALIGN_PARAGRAPH.CENTER,
                     line_pt=None, base="Normal")
    _paragraph_style(doc, "公文图片", fonts.body, latin, BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=None,
                     space_before=6, base="Normal")
    _paragraph_style(doc, "公文题注", fonts.body, latin, SIZES["小四"], align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=None,
                     space_after=6, base="Normal")


# --- page ---------------------------------------------------------------------------------------
def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (e.g. PAGE) as begin/instruction/end runs; Word fills it in when shown."""
    for kind, text in (("begin", None), (None, code), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)


def _page_numbers(doc: DocxDocument, fonts: Fonts) -> None:
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    _field(footer, "PAGE")
    footer.add_run(" —")
    for run in footer.runs:
        set_fonts(run._r, fonts.page_number, fonts.page_number)
        run.font.size = Pt(SIZES["四号"])


def new_document(core_title: str = "", fonts: Fonts = Fonts(), landscape: bool = False) -> DocxDocument:
    """An empty A4 公文 document: GB/T 9704 margins, the styles above, "— N —" page numbers.

    `core_title` goes into the file's properties (what Explorer and mail clients show).
    """
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    _styles(doc, fonts)
    _page_numbers(doc, fonts)
    doc.core_properties.title = core_title
    doc.core_properties.language = "zh-CN"
    return doc


def text_width_mm(doc: DocxDocument) -> float:
    """Width of the text block (156 mm on portrait A4)."""
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


# --- paragraphs ---------------------------------------------------------------------------------
def _add(doc: DocxDocument, text: str = "", style: str = "Normal") -> Paragraph:
    """A paragraph in `style` set by id: python-docx's lookup by name scans every style each time,
    which makes documents with thousands of paragraphs and cells slow."""
    par = doc.add_paragraph(text)
    if style != "Normal":
        par._p.style = STYLE_IDS[style]
    return par


def paragraph(doc: DocxDocument, text: str = "", *, style: str = "公文正文", bold: bool = False,
              align=None) -> Paragraph:
    """A body paragraph (first line indented two characters); `add_text` appends more runs."""
    par = _add(doc, style=style)
    if text:
        add_text(par, text, bold=bold)
    if align is not None:
        par.alignment = align
    return par


def add_text(par: Paragraph, text: str, *, bold: bool = False, font: str | None = None, size: float | None = None,
             color: RGBColor | None = None):
    """Append a run; `font` overrides the style's east-asian font (e.g. 黑体 for a lead-in)."""
    run = par.add_run(text)
    run.bold = bold or None
    if font:
        set_fonts(run._r, font, font)
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def title(doc: DocxDocument, text: str) -> list[Paragraph]:
    """The document title (2号小标宋, centred); a newline in `text` starts a new title line."""
    return [_add(doc, line, "公文标题") for line in text.split("\n")]


def doc_number(doc: DocxDocument, text: str) -> Paragraph:
    """The 文号 line under the title, e.g. 〔2026〕第3期 or 青政办〔2026〕12号 (centred)."""
    return _add(doc, text, "公文文号")


def _bottom_border(par: Paragraph, size_eighths: int = 12) -> None:
    ppr = par._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", "4"), ("w:color", "000000")):
        bottom.set(qn(attr), value)
    borders.append(bottom)
    ppr.append(borders)


def masthead_rule(doc: DocxDocument, left: str, right: str) -> Paragraph:
    """The 简报 masthead line: `left` (issuing organization) flush left, `right` (date) flush
    right, over a full-width rule."""
    par = _add(doc)
    _bottom_border(par)          # before the tab stop: w:pBdr precedes w:tabs in w:pPr
    par.paragraph_format.tab_stops.add_tab_stop(Mm(text_width_mm(doc)), WD_TAB_ALIGNMENT.RIGHT)
    par.add_run(f"{left}\t{right}")
    _add(doc)
    return par


def addressee(doc: DocxDocument, text: str) -> Paragraph:
    """主送机关, flush left without indent, e.g. 各单位： or 区教育局："""
    return _add(doc, text)


def heading(doc: DocxDocument, text: str, level: int = 1) -> Paragraph:
    """A heading of level 1 (黑体), 2 (楷体) or 3 (仿宋 bold); number it with `numbered`."""
    if level not in (1, 2, 3):
        raise ValueError("公文 headings have levels 1 to 3")
    par = _add(doc, text, f"Heading {level}")
    par.paragraph_format.keep_with_next = True
    return par


def signature(doc: DocxDocument, organization: str, day: date) -> list[Paragraph]:
    """落款: the organization and the date (2026年11月24日), right-aligned four characters in,
    after one blank line."""
    _add(doc)
    out = []
    for text in (organization, f"{day.year}年{day.month}月{day.day}日"):
        par = _add(doc, text)
        par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        par.paragraph_format.right_indent = Pt(4 * CHAR_PT)
        out.append(par)
    return out


def page_break(doc: DocxDocument) -> None:
    doc.add_page_break()


# --- tables and images --------------------------------------------------------------------------
def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _cell_text(cell, text, style: str, align) -> None:
    par = cell.paragraphs[0]
    par._p.style = STYLE_IDS[style]
    par.text = "" if text is None else str(text)
    if align is not None:
        par.alignment = align
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def table(doc: DocxDocument, header: list[str], rows: list[list], *, widths_mm: list[float] | None = None,
          align: list[str] | None = None) -> Table:
    """A bordered table, header row in 黑体 repeated on every page, cells in 5号仿宋.

    `rows` are lists of values (None prints empty); `widths_mm` should add up to at most
    `text_width_mm(doc)`; `align` gives per column "l", "c" or "r" (default: centred).
    """
    aligns = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
    col_align = [aligns[a] for a in (align or "c" * len(header))]
    widths = [Mm(w) for w in widths_mm] if widths_mm else [None] * len(header)
    grid = doc.add_table(rows=1 + len(rows), cols=len(header))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths_mm:
        grid.autofit = False
        for column, width in zip(grid.columns, widths):
            column.width = width
    _repeat_header(grid.rows[0])
    for n, (row, values) in enumerate(zip(grid.rows, [header, *rows])):
        style = "公文表头" if n == 0 else "公文表格"
        for cell, value, cell_align, width in zip(row.cells, values, col_align, widths):
            _cell_text(cell, value, style, cell_align if n else None)
            if width is not None:
                cell.width = width
    _add(doc, style="公文题注")   # Word joins adjacent tables; keep them apart
    return grid


def image(doc: DocxDocument, png: bytes | Path, *, width_mm: float | None = None, caption: str | None = None) -> Paragraph:
    """A centred picture (PNG bytes or a path), full text width unless `width_mm`, with an
    optional caption line under it."""
    par = _add(doc, style="公文图片")
    source = io.BytesIO(png) if isinstance(png, bytes) else str(png)
    par.add_run().add_picture(source, width=Mm(width_mm or text_width_mm(doc)))
    if caption:
        _add(doc, caption, "公文题注")
    return par


def save(doc: DocxDocument, path: Path) -> Path:
    """Write atomically (a half-written .docx never replaces a good one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    doc.save(str(tmp))
    tmp.replace(path)
    return path
