"""Attachment text extraction; binaries are generated here, never committed."""
import io
import struct
import zipfile
from datetime import datetime

import docx
import openpyxl
import pytest

from crawler.extract.attachments import (
    ATTACHMENT_EXTS, AttachmentError, attachment_ext, extract_attachment_text,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def make_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "低保名单"
    sheet.append(["序号", "姓名", "身份证号", "金额", "发放日期"])
    sheet.append([1, "张三", "330102199001011234", 1200.0, datetime(2026, 11, 1)])
    sheet.append([2, "李四", "330102********5678", 980.5, None])
    other = book.create_sheet("说明")
    other.append(["制表：青州市民政局"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("关于2026年城乡低保对象的公示")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("姓名", "住址", "电话"), ("王五", "青州市范公亭西路1号", "13800138000")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("公示期：7天")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(contents: list[bytes]) -> bytes:
    """A minimal valid PDF, one page per content stream, Helvetica text."""
    n = len(contents)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               ("<< /Type /Pages /Kids [%s] /Count %d >>" % (
                   " ".join(f"{4 + 2 * i} 0 R" for i in range(n)), n)).encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        objects.append(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
                        "<< /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)).encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def make_biff(rows) -> bytes:
    """A bare BIFF8 workbook stream (xlrd reads it without the OLE container)."""
    def rec(rid, data):
        return struct.pack("<HH", rid, len(data)) + data

    def bof(kind):
        return rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))

    sheet = bof(0x10)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet += rec(0x0204, struct.pack("<HHHHB", r, c, 0, len(value), 1)
                             + value.encode("utf-16-le"))
            else:
                sheet += rec(0x0203, struct.pack("<HHHd", r, c, 0, value))
    sheet += rec(0x000A, b"")
    head = bof(0x05) + rec(0x0042, struct.pack("<H", 1200)) + rec(
        0x00E0, struct.pack("<HHHBBBBIiH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    name = b"Sheet1"
    eof = rec(0x000A, b"")
    offset = len(head) + 4 + 8 + len(name) + len(eof)
    boundsheet = rec(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 0) + name)
    return head + boundsheet + eof + sheet


def make_word_binary(text: str, misalign: bool = False) -> bytes:
    """An OLE-looking file holding text as UTF-16LE, like the text stream of a .doc/.wps."""
    return (OLE_MAGIC + b"\x00" * 504 + "Root Entry".encode("utf-16-le") + b"\x00" * 44
            + "WordDocument".encode("utf-16-le") + b"\x00" * 40
            + (b"\x07" if misalign else b"") + text.encode("utf-16-le")
            + b"\x00\x00" + bytes(range(256)) * 4)


# ---------------------------------------------------------------- formats

def test_xlsx_all_sheets_tab_separated():
    assert extract_attachment_text(make_xlsx(), "xlsx") == (
        "序号\t姓名\t身份证号\t金额\t发放日期\n"
        "1\t张三\t330102199001011234\t1200\t2026-11-01\n"
        "2\t李四\t330102********5678\t980.5\n"
        "制表：青州市民政局")


def test_docx_paragraphs_and_table_cells_in_order():
    assert extract_attachment_text(make_docx(), ".DOCX") == (
        "关于2026年城乡低保对象的公示\n"
        "姓名\t住址\t电话\n"
        "王五\t青州市范公亭西路1号\t13800138000\n"
        "公示期：7天")


def test_pdf_text_per_page():
    body = make_pdf([b"BT /F1 12 Tf 72 720 Td (Qingzhou minimum living allowance 2026) Tj ET",
                     b"BT /F1 12 Tf 72 720 Td (Page two: 13800138000) Tj ET"])
    assert extract_attachment_text(body, "pdf") == (
        "Qingzhou minimum living allowance 2026\nPage two: 13800138000")


def test_pdf_broken_page_is_skipped():
    body = make_pdf([b"BT /F1 12 Tf 72 720 Td (first page) Tj ET",
                     b"BT /F9 12 Tf 72 720 Td (missing font) Tj ET q 1 0 0 1 0 0 cm /X0 Do Q",
                     b"BT /F1 12 Tf 72 720 Td (third page) Tj ET"])
    text = extract_attachment_text(body, "pdf")
    assert text.startswith("first page") and text.endswith("third page")


def test_xls_via_xlrd():
    body = make_biff([["姓名", "电话", "金额"], ["张三", 13800138000.0, 1200.5]])
    assert extract_attachment_text(body, "xls") == "姓名\t电话\t金额\n张三\t13800138000\t1200.5"


@pytest.mark.parametrize("ext", ["doc", "wps"])
@pytest.mark.parametrize("misalign", [False, True])
def test_binary_word_utf16_scan(ext, misalign):
    body = make_word_binary("关于城乡低保对象名单的公示　张三 330102199001011234", misalign)
    assert extract_attachment_text(body, ext) == "关于城乡低保对象名单的公示 张三 330102199001011234"


def test_binary_word_without_text_is_unsupported():
    with pytest.raises(AttachmentError, match="unsupported"):
        extract_attachment_text(OLE_MAGIC + bytes(range(256)) * 8, "doc")


def test_html_table_saved_as_xls():
    body = ("<html><head><meta charset='gbk'></head><body><table><tr><td>姓名</td><td>身份证号</td></tr>"
            "<tr><td>赵六</td><td>370781199202023456</td></tr></table></body></html>").encode("gbk")
    assert extract_attachment_text(body, "xls") == "姓名\n身份证号\n赵六\n370781199202023456"


def test_xlsx_served_as_xls_is_sniffed():
    assert extract_attachment_text(make_xlsx(), "xls").startswith("序号\t姓名")


def test_max_chars_truncates():
    assert extract_attachment_text(make_xlsx(), "xlsx", max_chars=12) == "序号\t姓名\t身份证号\t金"


# ---------------------------------------------------------------- failures

def test_zip_bomb_guard_uses_declared_size():
    with pytest.raises(AttachmentError, match="zip bomb"):
        extract_attachment_text(make_xlsx(), "xlsx", max_unzipped_bytes=1000)


def test_highly_compressed_member_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"\0" * 5_000_000)
    assert len(out.getvalue()) < 20_000
    with pytest.raises(AttachmentError, match="zip bomb"):
        extract_attachment_text(out.getvalue(), "xlsx", max_unzipped_bytes=1_000_000)


@pytest.mark.parametrize("body, ext, reason", [
    (b"", "pdf", "empty"),
    (b"PK\x03\x04 not really a zip", "docx", "bad zip"),
    (b"Rar!\x1a\x07\x00", "rar", "unsupported"),
    (b"{\\rtf1\\ansi hello}", "doc", "unsupported"),
    (b"random bytes", "txt", "unsupported"),
    (b"%PDF-1.4\n garbage without xref", "pdf", "pdf parse failed"),
    (OLE_MAGIC + b"\x00" * 600, "xls", "unsupported"),
    # a broken .xls full of byte noise: no Word stream either, so no invented CJK "text"
    (OLE_MAGIC + b"\x00" * 16 + bytes((i * 151 + 7) % 256 for i in range(1536)), "xls", "unsupported"),
])
def test_failures_are_attachment_errors(body, ext, reason):
    with pytest.raises(AttachmentError, match=reason):
        extract_attachment_text(body, ext)


def test_docx_that_is_not_a_word_package():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<not-word/>")
    with pytest.raises(AttachmentError):
        extract_attachment_text(out.getvalue(), "docx")


def test_plain_zip_is_unsupported():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("名单.xls", "x")
    with pytest.raises(AttachmentError, match="unsupported: zip archive"):
        extract_attachment_text(out.getvalue(), "zip")


# ---------------------------------------------------------------- link helpers

@pytest.mark.parametrize("url, text, expected", [
    ("http://a.gov.cn/files/名单.XLSX?v=2", "", "xlsx"),
    ("http://a.gov.cn/P020261110123.pdf", "", "pdf"),
    ("http://a.gov.cn/module/download/downfile.jsp?classid=0&filename=2026_10.xls", "", "xls"),
    ("http://a.gov.cn/download?id=9", "低保名单.doc", "doc"),
    ("http://a.gov.cn/art/2026/3/5/art_1_2.html", "名单.xls", None),
    ("http://a.gov.cn/files/a.zip", "", "zip"),
    ("http://a.gov.cn/index.html?f=a.pdf", "", None),
])
def test_attachment_ext(url, text, expected):
    assert attachment_ext(url, text) == expected


def test_attachment_exts():
    assert ATTACHMENT_EXTS == {"xls", "xlsx", "doc", "docx", "pdf", "wps", "et", "zip", "rar"}
