"""extract_tables: merged cells expanded into a rectangular grid, layout tables left out, bounds."""
from datetime import date

import lxml.html

from crawler.extract import tables
from crawler.extract.page import extract_page
from crawler.extract.tables import extract_tables
from crawler.spiders.sections import masked_cells
from tests.fixtures.annual_report import report_html, report_list_html

REF = date(2026, 11, 20)
URL = "http://www.qingxi.gov.cn/mzj/xxgk/xxgknb/202601/t20260120_5001.html"


def parse(body: str):
    return extract_tables(lxml.html.document_fromstring(f"<html><body>{body}</body></html>"))


def test_rowspan_and_colspan_fill_every_slot_they_cover():
    found = parse("""<table>
      <tr><th rowspan="2">项目</th><th colspan="2">申请人</th><th rowspan="2">总计</th></tr>
      <tr><th>自然人</th><th>法人</th></tr>
      <tr><td rowspan="2">办理结果</td><td>3</td><td>1</td><td>4</td></tr>
      <tr><td>0</td><td colspan="2">２</td></tr>
    </table>""")
    assert [t.cells for t in found] == [[
        ["项目", "申请人", "申请人", "总计"],
        ["项目", "自然人", "法人", "总计"],
        ["办理结果", "3", "1", "4"],
        ["办理结果", "0", "2", "2"],
    ]]


def test_cell_text_is_collapsed_and_rows_padded_and_empty_lines_dropped():
    found = parse("""<style>.x{display:none}</style><table><tr><td>姓 名\n</td><td>申请<br>事项</td><td>　</td></tr>
      <tr><td>王某某</td><td style="display:none">13957112345</td></tr><tr><td></td><td></td></tr>
      <tr><td>李某某</td><td>低保<span class="x">暗</span></td><td class="x">藏</td></tr></table>""")
    assert found[0].cells == [["姓 名", "申请 事项"], ["王某某", ""], ["李某某", "低保"]]


def test_annual_report_tables_with_captions_from_the_headings_before_them():
    facts = extract_page(report_html().encode(), URL, ref=REF)
    assert facts.kind == "article"
    assert [t.caption for t in facts.tables] == [
        "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    assert [t.position for t in facts.tables] == [0, 1, 2]
    proactive, applications, review = (t.cells for t in facts.tables)
    assert proactive[6] == ["行政许可", "412", "412", "412"]          # full-width ４１２, colspan 3
    assert len(applications) == 28 and {len(r) for r in applications} == {10}
    assert applications[2][3:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert applications[1][4:9] == ["法人或其他组织"] * 5
    assert applications[7][:3] == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    assert applications[15][:3] == ["三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"]
    assert applications[15][3:] == ["5", "1", "0", "0", "0", "0", "6"]
    assert applications[-1] == ["四、结转下年度继续办理"] * 3 + ["1", "0", "0", "0", "0", "0", "1"]
    assert len(review) == 4 and len(review[0]) == 15


def test_caption_element_wins_over_the_text_before():
    found = parse("<p>附表</p><table><caption>2026年第三季度临时救助发放情况</caption>"
                  "<tr><td>街道</td><td>户数</td></tr><tr><td>青溪街道</td><td>12</td></tr></table>")
    assert found[0].caption == "2026年第三季度临时救助发放情况"
    nested = parse("<div><h3>表1 行政许可情况</h3><div><table><tr><td>事项</td><td>件数</td></tr>"
                   "<tr><td>许可</td><td>3</td></tr></table></div></div>")
    assert nested[0].caption == "表1 行政许可情况"
    after_table = parse("<table><tr><td>甲</td><td>1</td></tr><tr><td>乙</td><td>2</td></tr></table>"
                        "<table><tr><td>丙</td><td>3</td></tr><tr><td>丁</td><td>4</td></tr></table>")
    assert [t.caption for t in after_table] == [None, None]


DATA = "<table><tr><td>事项</td><td>件数</td></tr><tr><td>行政许可</td><td>412</td></tr></table>"


def test_layout_tables_are_left_out_and_the_data_table_inside_kept():
    page = f"""
    <table width="1000"><tr><td><img src="logo.png"></td><td>青溪区民政局</td></tr>
      <tr><td>{DATA}</td><td>正文</td></tr></table>
    <table class="nav"><tr><td><a href="/">首页</a></td><td><a href="/zwgk/">政务公开</a></td>
      <td><a href="/zwfw/">政务服务</a></td></tr><tr><td><a href="/hd/">互动交流</a> | </td>
      <td><a href="/about/">走进青溪</a></td><td><a href="/en/">English</a></td></tr></table>
    <table><tr><td>{"本报告根据条例编制。" * 120}</td><td><a href="/">返回首页</a></td></tr>
      <tr><td>附件</td><td>无</td></tr></table>
    <table><tr><td>全文</td></tr><tr><td>见附件</td></tr></table>
    <table style="display:none"><tr><td>隐藏</td><td>1</td></tr><tr><td>表格</td><td>2</td></tr></table>
    <noscript><table><tr><td>脚本</td><td>1</td></tr><tr><td>提示</td><td>2</td></tr></table></noscript>"""
    found = parse(page)
    assert [t.cells for t in found] == [[["事项", "件数"], ["行政许可", "412"]]]


def test_a_table_of_a_few_links_among_data_is_kept():
    found = parse("<table><tr><td>名称</td><td>文号</td><td>下载</td></tr>"
                  "<tr><td>低保标准</td><td>青民〔2026〕3号</td><td><a href='/a.xls'>下载</a></td></tr></table>")
    assert len(found) == 1


def test_bounds():
    many = "".join(DATA for _ in range(tables.MAX_TABLES + 5))
    assert len(parse(many)) == tables.MAX_TABLES
    rows = "".join(f"<tr><td>第{i}行</td><td>{i}</td></tr>" for i in range(tables.MAX_ROWS + 50))
    assert len(parse(f"<table>{rows}</table>")[0].cells) == tables.MAX_ROWS
    wide = parse('<table><tr><td colspan="5000">合并</td></tr><tr><td>甲</td><td rowspan="65534">乙</td></tr>'
                 '<tr><td>丙</td></tr></table>')[0].cells
    assert len(wide) == 3 and {len(r) for r in wide} == {tables.MAX_COLS}
    assert wide[2][:2] == ["丙", "乙"]
    long = parse(f"<table><tr><td>说明</td><td>{'长' * 900}</td></tr><tr><td>a</td><td>b</td></tr></table>")
    assert len(long[0].cells[0][1]) == tables.MAX_CELL_CHARS
    rest = parse('<table><tr><td rowspan="0">全部</td><td>1</td></tr><tr><td>2</td></tr><tr><td>3</td></tr></table>')
    assert rest[0].cells == [["全部", "1"], ["全部", "2"], ["全部", "3"]]


def test_only_document_pages_get_tables():
    listing = report_list_html([(f"青溪区民政局{y}年政府信息公开工作年度报告", f"/mzj/nb/{y}.html", date(y + 1, 1, 20))
                                for y in range(2016, 2026)])
    listing = listing.replace("</ul>", "</ul>" + DATA)
    facts = extract_page(listing.encode(), "http://www.qingxi.gov.cn/mzj/xxgknb/index.html", ref=REF)
    assert facts.kind == "list" and facts.tables == []


def test_cells_are_masked_like_page_text():
    card = "6222021202041234569"      # Luhn-valid; a bank card only by the 银行卡号 header of its column
    rows = [["姓名", "身份证号", "银行卡号"], ["张某某", "33010219850312041X", card], ["合计", "", "2"]]
    masked = masked_cells(rows)
    assert masked == [["姓名", "身份证号", "银行卡号"], ["张某某", "330102********041X", "6222***********4569"],
                      ["合计", "", "2"]]
    clean = [["事项", "件数"], ["行政许可", "412"]]
    assert masked_cells(clean) is clean
