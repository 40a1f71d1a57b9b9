"""decode_html: GBK/UTF-8 pages with missing, correct and wrong charset declarations."""
import codecs
from datetime import date
from pathlib import Path

import pytest

from crawler.extract.encoding import decode_html, declared_charsets, normalize_charset
from crawler.extract.page import extract_page

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
TITLE = "政策文件_青州市财政局"


def page(charset_decl: str) -> str:
    """The table fixture with its charset declaration replaced."""
    src = (PAGES / "list_table.html").read_text(encoding="utf-8")
    return src.replace('content="text/html; charset=gb2312"', f'content="{charset_decl}"')


def test_normalize_charset_folds_gb_family_into_gb18030():
    assert [normalize_charset(n) for n in ("GB2312", "gbk", "x-gbk", "cp936", "GB18030")] == \
        ["gb18030"] * 5
    assert normalize_charset("UTF8") == "utf-8"
    assert normalize_charset("no-such-charset") is None


def test_declared_charsets_order_header_then_meta():
    body = b'<html><head><meta charset="gb2312"><meta http-equiv="Content-Type" ' \
           b'content="text/html; charset=utf-8"></head></html>'
    assert declared_charsets(body, "ISO-8859-1") == ["iso8859-1", "gb18030", "utf-8"]


def test_utf8_without_declaration():
    text, enc = decode_html("<p>政务公开</p>".encode("utf-8"))
    assert (text, enc) == ("<p>政务公开</p>", "utf-8")


def test_gbk_without_any_charset():
    body = page("text/html").encode("gbk")
    text, enc = decode_html(body)
    assert enc == "gb18030"
    assert TITLE in text


def test_gbk_with_correct_gb2312_meta():
    text, enc = decode_html(page("text/html; charset=gb2312").encode("gbk"))
    assert enc == "gb18030" and TITLE in text


@pytest.mark.parametrize("header", [None, "utf-8"])
def test_gbk_bytes_declared_utf8(header):
    body = page("text/html; charset=utf-8").encode("gbk")
    text, enc = decode_html(body, header)
    assert enc == "gb18030"
    assert TITLE in text
    assert "\ufffd" not in text


@pytest.mark.parametrize("header", [None, "gb2312", "GBK"])
def test_utf8_bytes_declared_gb2312(header):
    body = page("text/html; charset=gb2312").encode("utf-8")
    text, enc = decode_html(body, header)
    assert enc == "utf-8"
    assert TITLE in text


def test_gb18030_only_characters_survive():
    # U+9FB4 and the euro sign are outside GB2312; a GBK-declared page may still carry them.
    body = "<p>龴€ 政务</p>".encode("gb18030")
    assert decode_html(body, "gb2312") == ("<p>龴€ 政务</p>", "gb18030")


def test_utf8_bom_wins_over_wrong_header():
    body = codecs.BOM_UTF8 + "<title>通知公告</title>".encode("utf-8")
    assert decode_html(body, "gbk") == ("<title>通知公告</title>", "utf-8")


def test_utf16_bom():
    body = codecs.BOM_UTF16_LE + "<title>通知</title>".encode("utf-16-le")
    assert decode_html(body) == ("<title>通知</title>", "utf-16")


def test_truncated_gbk_download_keeps_the_page():
    body = page("text/html").encode("gbk") + "政".encode("gbk")[:1]
    text, enc = decode_html(body)
    assert enc == "gb18030"
    assert TITLE in text
    assert text.count("\ufffd") <= 1


def test_ascii_page_reports_declared_charset():
    assert decode_html(b"<html><meta charset='gbk'>ok</html>") == (
        "<html><meta charset='gbk'>ok</html>", "gb18030")
    assert decode_html(b"plain")[1] == "ascii"


def test_latin1_declaration_is_not_trusted_for_gbk_bytes():
    body = page("text/html; charset=iso-8859-1").encode("gbk")
    text, enc = decode_html(body)
    assert enc == "gb18030" and TITLE in text


def test_extract_page_gbk_declared_utf8_end_to_end():
    body = page("text/html; charset=utf-8").encode("gbk")
    facts = extract_page(body, "http://czj.qingzhou.gov.cn/czj/zcwj/index.html",
                         ref=date(2026, 11, 20), header_charset="utf-8")
    assert facts.encoding == "gb18030"
    assert facts.title == TITLE
    assert facts.listing.entries[0].title == "青州市财政局关于印发《青州市财政专项资金管理办法》的通知"


def test_extract_page_utf8_declared_gb2312_end_to_end():
    body = page("text/html; charset=gb2312").encode("utf-8")
    facts = extract_page(body, "http://czj.qingzhou.gov.cn/czj/zcwj/index.html",
                         ref=date(2026, 11, 20), header_charset="gb2312")
    assert facts.encoding == "utf-8"
    assert facts.title == TITLE
    assert facts.identity.site_code == "3707810012"
